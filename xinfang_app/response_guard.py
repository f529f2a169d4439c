"""after_request: no field above the reader's permission level leaves the site in a JSON response.

The rule is domain.field_levels.strip_documents; this side tells it, from the doctypes' metadata and the
reader's roles, which fields each doctype hides from the current user (a child table's fields by the
parent's levels, as Frappe itself reads them).
"""

from __future__ import annotations

import json

import frappe

from xinfang_app.domain.field_levels import strip_documents


class Levels:
	"""The hidden fields of each doctype for one user, computed once per response."""

	def __init__(self, user: str):
		self.user = user
		self._hidden: dict[tuple[str, str | None], frozenset[str]] = {}

	def hidden(self, doctype: str, parenttype: str | None) -> frozenset[str]:
		key = (doctype, parenttype)
		if key not in self._hidden:
			self._hidden[key] = self._compute(doctype, parenttype)
		return self._hidden[key]

	def _compute(self, doctype: str, parenttype: str | None) -> frozenset[str]:
		if not frappe.db.exists("DocType", doctype):
			return frozenset()
		meta = frappe.get_meta(doctype)
		protected = [df for df in meta.fields if (df.permlevel or 0) > 0]
		if not protected:
			return frozenset()
		holder = parenttype if meta.istable and parenttype else doctype
		levels = set(frappe.get_meta(holder).get_permlevel_access("read", user=self.user))
		return frozenset(df.fieldname for df in protected if df.permlevel not in levels)

	@staticmethod
	def table_doctype(doctype: str, fieldname: str) -> str | None:
		if not frappe.db.exists("DocType", doctype):
			return None
		df = frappe.get_meta(doctype).get_field(fieldname)
		return df.options if df and df.fieldtype in ("Table", "Table MultiSelect") else None


def strip_hidden_fields(response=None, request=None):
	user = frappe.session.user if getattr(frappe.local, "session", None) else None
	if response is None or not user or user == "Administrator" or response.mimetype != "application/json":
		return
	try:
		payload = json.loads(response.get_data())
	except ValueError:
		return
	levels = Levels(user)
	try:
		changed = strip_documents(payload, levels.hidden, levels.table_doctype)
	except Exception:
		# fail closed: a response that could not be checked is not sent
		frappe.logger("xinfang_app").exception("response permission-level check failed")
		response.set_data(json.dumps({"exc_type": "PermissionError", "message": "响应未能通过字段权限检查"}))
		response.status_code = 500
		return
	if changed:
		response.set_data(json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str))
