"""Frappe methods that answer malformed input with a 500 (an AttributeError, a JSON or SQL error from
inside): the app replaces them (hooks.py, from domain/query_guard.TOLERANT_METHODS) with a wrapper that
calls Frappe's own method and turns such an error into a 417 with a Chinese message. Frappe's own
exceptions (permission, validation, not found) pass through unchanged; the error is kept in the Error Log
for the administrator. tests/test_sweep.py finds the methods that need it. Two exports are checked
before they run: no full ID number leaves in an export (PRECHECKS).
"""

from __future__ import annotations

from typing import Any

import frappe

from xinfang_app.domain import secrecy as secrecy_rules
from xinfang_app.domain.query_guard import TOLERANT_METHODS
from xinfang_app.query_guard import QueryPermissionError, refuse

FRAPPE_ERRORS = (
	frappe.ValidationError,
	frappe.PermissionError,
	frappe.DoesNotExistError,
	frappe.AuthenticationError,
	frappe.TooManyRequestsError,
	frappe.SessionExpired,
	frappe.CSRFTokenError,
)


def export_columns(doctype, columns) -> dict[str, list]:
	"""Export columns as {doctype: [fieldname, …]}, whether keyed by doctype or by table field (as Data
	Import's exporter keys a child table)."""
	if not isinstance(doctype, str) or not frappe.db.exists("DocType", doctype):
		return {}
	tables = {df.fieldname: df.options for df in frappe.get_meta(doctype).get_table_fields()}
	return {
		tables.get(key, key): fields if isinstance(fields, list) else []
		for key, fields in (columns or {}).items()
		if isinstance(key, str)
	}


def refuse_record_only_export(doctype, columns, with_data: bool) -> None:
	"""An export with data carries no full ID number (domain/secrecy.RECORD_ONLY_FIELDS): the columns must be
	chosen, without it, wherever the doctype or one of its tables holds one."""
	if not with_data or not isinstance(doctype, str) or not frappe.db.exists("DocType", doctype):
		return
	meta = frappe.get_meta(doctype)
	holders = {doctype, *(df.options for df in meta.get_table_fields())}
	if not holders & secrecy_rules.RECORD_ONLY_DOCTYPES:
		return
	try:
		chosen = frappe.parse_json(columns) if isinstance(columns, str) else columns
	except ValueError:
		chosen = None
	if not isinstance(chosen, dict) or secrecy_rules.exported_record_only_fields(
		export_columns(doctype, chosen)
	):
		refuse(secrecy_rules.RECORD_ONLY_MESSAGE, QueryPermissionError)


# What is checked before Frappe's method runs.
PRECHECKS = {
	"frappe.core.doctype.data_export.exporter.export_data": lambda kwargs: refuse_record_only_export(
		kwargs.get("doctype"),
		kwargs.get("select_columns"),
		str(kwargs.get("with_data") or "").lower() not in ("", "0", "false"),
	),
	"frappe.core.doctype.data_import.data_import.download_template": lambda kwargs: refuse_record_only_export(
		kwargs.get("doctype"),
		kwargs.get("export_fields"),
		kwargs.get("export_records") != "blank_template",
	),
}


def tolerant(original: str):
	def call(**kwargs: Any):
		kwargs.pop("cmd", None)
		if original in PRECHECKS:
			PRECHECKS[original](kwargs)
		try:
			return frappe.call(frappe.get_attr(original), **kwargs)
		except FRAPPE_ERRORS:
			raise
		except Exception:
			frappe.log_error(f"xinfang_app: {original} refused malformed input")
			refuse("请求参数不正确或不完整，请检查后重试")

	call.__name__ = original.rsplit(".", 1)[-1]
	call.__doc__ = f"{original}, with malformed input answered by a 417"
	return frappe.whitelist()(call)


for _original, _wrapper in TOLERANT_METHODS.items():
	globals()[_wrapper.rsplit(".", 1)[-1]] = tolerant(_original)
