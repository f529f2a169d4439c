"""Permission levels on the wire: remove from a response every field its reader may not read.

Frappe strips fields above the reader's permission levels when a form is loaded, but not from the
documents that writes send back (set_value, save, savedocs, insert, submit) nor from version history
(each Version's diff names the old and new value of every changed field). The app's after_request hook
(xinfang_app.response_guard) passes every JSON response through `strip_documents`, so a hidden field (a
petitioner's full ID number, phone and address, the person an accusation names) never reaches the wire,
whichever endpoint produced it.

Pure: the caller says which fields of a doctype are hidden from the reader (`hidden(doctype, parenttype)`)
and which doctype a table field holds (`table_doctype(doctype, fieldname)`).
"""

from __future__ import annotations

import json
from collections.abc import Callable

Hidden = Callable[[str, "str | None"], "frozenset[str]"]
TableDoctype = Callable[[str, str], "str | None"]


def strip_documents(payload, hidden: Hidden, table_doctype: TableDoctype) -> bool:
	"""Delete, in place, the hidden fields of every document (a dict with a "doctype") at any depth of
	`payload`, and the hidden fields' entries of version diffs (a document's "versions" list, as in the
	form's docinfo). Returns True when anything was removed."""
	changed = False
	stack = [payload]
	while stack:
		node = stack.pop()
		if isinstance(node, list):
			stack.extend(item for item in node if isinstance(item, dict | list))
			continue
		if not isinstance(node, dict):
			continue
		doctype = node.get("doctype")
		if isinstance(doctype, str):
			parenttype = node.get("parenttype") if isinstance(node.get("parenttype"), str) else None
			for fieldname in hidden(doctype, parenttype) & node.keys():
				del node[fieldname]
				changed = True
			versions = node.get("versions")
			if isinstance(versions, list):
				for version in versions:
					if isinstance(version, dict):
						changed |= strip_version(version, doctype, hidden, table_doctype)
		stack.extend(value for value in node.values() if isinstance(value, dict | list))
	return changed


def strip_version(version: dict, doctype: str, hidden: Hidden, table_doctype: TableDoctype) -> bool:
	"""Remove hidden fields from one Version's `data` (Frappe's diff: changed, added, removed, row_changed)."""
	raw = version.get("data")
	try:
		data = json.loads(raw) if isinstance(raw, str) else raw
	except ValueError:
		return False
	if not isinstance(data, dict):
		return False
	own = hidden(doctype, None)
	changed = False

	def keep_field(entry) -> bool:
		return not (isinstance(entry, list | tuple) and entry and entry[0] in own)

	for key in ("changed", "added", "removed", "row_changed"):
		entries = data.get(key)
		if not isinstance(entries, list):
			continue
		kept = [entry for entry in entries if keep_field(entry)]
		changed |= len(kept) != len(entries)
		data[key] = kept
	for entry in data.get("row_changed") or ():
		# [table fieldname, row index, row name, [[field, old, new], …]]
		if not (isinstance(entry, list) and len(entry) == 4 and isinstance(entry[3], list)):
			continue
		child = table_doctype(doctype, entry[0]) if isinstance(entry[0], str) else None
		child_hidden = hidden(child, doctype) if child else frozenset()
		rows = [row for row in entry[3] if not (isinstance(row, list) and row and row[0] in child_hidden)]
		changed |= len(rows) != len(entry[3])
		entry[3] = rows
	for key in ("added", "removed"):
		# [table fieldname, row as a dict]: rows are documents of the child doctype
		for entry in data.get(key) or ():
			if isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], dict):
				row = entry[1]
				child = row.get("doctype") or (
					table_doctype(doctype, entry[0]) if isinstance(entry[0], str) else None
				)
				if isinstance(child, str):
					for fieldname in hidden(child, doctype) & row.keys():
						del row[fieldname]
						changed = True
	if changed:
		version["data"] = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
	return changed
