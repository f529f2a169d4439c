"""Static checks of the app's Frappe metadata, run without a database.

Each check returns a list of human-readable problems; an empty list means the check passed.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "xinfang_app"
MODULE_DIR = APP / "xinfang_app"
MODULE_NAME = "Xinfang App"

# Frappe core doctypes the app may link to (it requires no other app).
FRAPPE_DOCTYPES = frozenset(
	{
		"User",
		"Role",
		"Workflow State",
		"Workflow",
		"File",
		"ToDo",
		"Print Format",
		"Letter Head",
		"DocType",
		"Module Def",
		"Report",
		"Email Template",
		"Notification",
		"Comment",
		"Communication",
		"Address",
		"Contact",
		"Event",
	}
)
LINK_TYPES = ("Link", "Table", "Table MultiSelect")
TRANSLATABLE_FIELD_KEYS = ("label", "description")


def load_json(path: Path) -> tuple[dict | None, list[str]]:
	try:
		return json.loads(path.read_text(encoding="utf-8")), []
	except (json.JSONDecodeError, UnicodeDecodeError) as error:
		return None, [f"{path.name}: not valid JSON ({error})"]


def doctype_files(root: Path = MODULE_DIR) -> list[Path]:
	return sorted(p for p in (root / "doctype").glob("*/*.json") if p.stem == p.parent.name)


def load_doctypes(root: Path = MODULE_DIR) -> tuple[dict[str, dict], list[str]]:
	doctypes, problems = {}, []
	for path in doctype_files(root):
		data, errors = load_json(path)
		problems += errors
		if data is not None:
			doctypes[data.get("name", path.stem)] = data
	return doctypes, problems


def check_doctype_structure(name: str, data: dict, folder: str | None = None) -> list[str]:
	problems = []
	if data.get("doctype") != "DocType":
		problems.append(f"{name}: 'doctype' must be 'DocType'")
	if data.get("module") != MODULE_NAME:
		problems.append(f"{name}: module must be {MODULE_NAME!r}")
	if folder and folder != name.lower().replace(" ", "_").replace("-", "_"):
		problems.append(f"{name}: folder {folder!r} does not match the DocType name")
	fields = data.get("fields")
	if not isinstance(fields, list):
		return [*problems, f"{name}: 'fields' must be a list"]
	seen = set()
	for index, field in enumerate(fields):
		fieldname, fieldtype = field.get("fieldname"), field.get("fieldtype")
		if not fieldname or not fieldtype:
			problems.append(f"{name}: field #{index} needs fieldname and fieldtype")
			continue
		if fieldname in seen:
			problems.append(f"{name}: duplicate fieldname {fieldname!r}")
		seen.add(fieldname)
		if fieldtype in LINK_TYPES and not field.get("options"):
			problems.append(f"{name}.{fieldname}: {fieldtype} without options")
	order = data.get("field_order")
	if order is not None and order != [f.get("fieldname") for f in fields]:
		problems.append(f"{name}: field_order does not list the fields in order")
	if data.get("is_tree") and data.get("nsm_parent_field") not in seen:
		problems.append(f"{name}: tree without its nsm_parent_field")
	if data.get("istable") and data.get("permissions"):
		problems.append(f"{name}: a child table carries no permissions of its own")
	if not data.get("istable") and not data.get("permissions"):
		problems.append(f"{name}: no permissions")
	return problems


def check_links(doctypes: dict[str, dict], known_external=FRAPPE_DOCTYPES) -> list[str]:
	problems = []
	known = set(doctypes) | set(known_external)
	for name, data in doctypes.items():
		for field in data.get("fields", []):
			if field.get("fieldtype") in LINK_TYPES and field.get("options") not in known:
				problems.append(
					f"{name}.{field.get('fieldname')}: links to DocType {field.get('options')!r}, which does not exist"
				)
	return problems


def check_roles(doctypes: dict[str, dict], declared: set[str]) -> list[str]:
	problems = []
	for name, data in doctypes.items():
		for row in data.get("permissions", []):
			if row.get("role") not in declared:
				problems.append(f"{name}: permission for undeclared role {row.get('role')!r}")
	return problems


def load_translations(path: Path = APP / "translations" / "zh.csv") -> dict[str, str]:
	with path.open(encoding="utf-8", newline="") as handle:
		return {row[0]: row[1] for row in csv.reader(handle) if len(row) >= 2 and row[1].strip()}


def doctype_strings(name: str, data: dict) -> set[str]:
	strings = {name}
	for field in data.get("fields", []):
		for key in TRANSLATABLE_FIELD_KEYS:
			if field.get(key):
				strings.add(field[key])
		if field.get("fieldtype") == "Select" and field.get("options"):
			strings.update(option for option in field["options"].split("\n") if option.strip())
	return strings


def workflow_strings(data: dict) -> set[str]:
	strings = {data.get("workflow_name") or data.get("name") or ""}
	for state in data.get("states", []):
		strings.add(state.get("state", ""))
	for transition in data.get("transitions", []):
		strings.update(
			{transition.get("action", ""), transition.get("state", ""), transition.get("next_state", "")}
		)
	return {s for s in strings if s}


def needs_translation(text: str) -> bool:
	"""Strings already written in Chinese (no Latin letters) need no entry."""
	return bool(re.search(r"[A-Za-z]", text))


def check_translated(strings: set[str], translations: dict[str, str], where: str) -> list[str]:
	missing = {text for text in strings if needs_translation(text)} - set(translations)
	return [f"{where}: {text!r} has no Chinese translation in zh.csv" for text in sorted(missing)]


def check_workflow_roles(data: dict, declared: set[str]) -> list[str]:
	problems = []
	for state in data.get("states", []):
		if state.get("allow_edit") not in declared:
			problems.append(
				f"workflow state {state.get('state')!r}: undeclared role {state.get('allow_edit')!r}"
			)
	for transition in data.get("transitions", []):
		if transition.get("allowed") not in declared:
			problems.append(
				f"workflow transition {transition.get('action')!r}: undeclared role {transition.get('allowed')!r}"
			)
	return problems


# The desk draws a workspace's block from the row of the workspace's table whose label is the block's name
# (frappe/public/js/frappe/views/workspace/blocks/block.js `make`); a block without such a row is not drawn.
WORKSPACE_BLOCKS = {
	"number_card": ("number_cards", "number_card_name"),
	"chart": ("charts", "chart_name"),
	"shortcut": ("shortcuts", "shortcut_name"),
	"quick_list": ("quick_lists", "quick_list_name"),
	"custom_block": ("custom_blocks", "custom_block_name"),
}


def workspace_files(root: Path = MODULE_DIR) -> list[Path]:
	return sorted(root.glob("workspace/*/*.json"))


def check_workspace_blocks(data: dict) -> list[str]:
	"""Every widget block of the page finds its row by label; every card block finds its Card Break."""
	problems = []
	breaks = {row.get("label") for row in data.get("links", []) if row.get("type") == "Card Break"}
	for block in json.loads(data.get("content") or "[]"):
		kind, fields = block.get("type"), block.get("data", {})
		if kind in WORKSPACE_BLOCKS:
			table, key = WORKSPACE_BLOCKS[kind]
			labels = {row.get("label") for row in data.get(table, [])}
		elif kind == "card":
			key, labels = "card_name", breaks
		else:
			continue
		if fields.get(key) not in labels:
			problems.append(
				f"{data.get('name')}: {kind} block {fields.get(key)!r} has no row labelled so "
				f"(labels: {sorted(filter(None, labels))}); the desk would not draw it"
			)
	return problems
