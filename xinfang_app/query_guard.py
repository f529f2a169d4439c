"""The query guard's Frappe side: the names a client put in a query must be real, readable fields.

xinfang_app.domain.query_guard decides the shape (structured filters, plain fieldnames); `check` then
looks every name up on the doctype (or on one of its child tables, for a [doctype, field, operator, value]
filter) and refuses a field above the user's permission levels, so a hidden field (a petitioner's ID
number, the person a petition accuses) can be neither read nor used as a filter or sort key to guess it.

Malformed input is a QueryValidationError (HTTP 417), an unreadable doctype or field a QueryPermissionError
(HTTP 403); both reach the user as a plain message through frappe.throw, never as a traceback.

Every endpoint that takes filters, or_filters, fields, order_by, group_by or a field name calls `check`:
the app's own (api, cards, ledger_excel.export_ledger, reception.get_schedule_events) and Frappe's, which
the app replaces through domain.query_guard.GUARDED_METHODS (hooks.py) with the wrappers in xinfang_app.api.
"""

from __future__ import annotations

import json
from contextlib import contextmanager

import frappe
from frappe.model import child_table_fields, default_fields, no_value_fields, optional_fields, table_fields

from xinfang_app.domain import query_guard as qg
from xinfang_app.domain import secrecy as secrecy_rules

# Columns every table has (and the optional ones Frappe adds for tags, comments, assignments and likes).
STANDARD_FIELDS = frozenset(default_fields) - {"doctype"} | frozenset(optional_fields)
CHILD_FIELDS = frozenset(child_table_fields)
NOT_COLUMNS = frozenset(no_value_fields) | frozenset(table_fields)


class QueryValidationError(frappe.ValidationError):
	pass


class QueryPermissionError(frappe.PermissionError):
	pass


def refuse(message: str, exc: type[Exception] = QueryValidationError):
	"""A clean refusal: the message, and no traceback in the response even where the site allows them
	(frappe.utils.response.report_error honours disable_traceback, as for a failed login)."""
	frappe.local.flags.disable_traceback = True
	frappe.throw(message, exc, title="查询被拒绝")


@contextmanager
def guarded():
	"""Turn a pure QueryGuardError into a clean 417 message."""
	try:
		yield
	except qg.QueryGuardError as error:
		refuse(error.message_zh)


def known_doctype(doctype) -> str:
	"""A DocType name as a client sent it, if it names a DocType of the site; else a clean 417."""
	with guarded():
		doctype = qg.parse_doctype(doctype)
	try:
		frappe.get_meta(doctype)  # cached: a card or chart asks on every load
	except frappe.DoesNotExistError:
		frappe.clear_last_message()
		refuse(qg.doctype_message(doctype))
	return doctype


class Checker:
	"""The fields one user may use on one doctype (and its child tables) in one query."""

	def __init__(
		self,
		doctype,
		user: str | None = None,
		parent_doctype: str | None = None,
		*,
		check_permission: bool = True,
	):
		doctype = known_doctype(doctype)
		if parent_doctype:
			with guarded():
				parent_doctype = qg.parse_doctype(parent_doctype)
		self.doctype = doctype
		self.user = user or frappe.session.user
		self.parent_doctype = parent_doctype
		self.meta = frappe.get_meta(doctype)
		if check_permission:
			ptype = "select" if frappe.only_has_select_perm(doctype, user=self.user) else "read"
			if not frappe.has_permission(doctype, ptype, user=self.user, parent_doctype=parent_doctype):
				refuse(qg.unreadable_doctype_message(doctype), QueryPermissionError)
		self._levels = {}

	def levels(self, meta, parenttype) -> set[int]:
		key = (meta.name, parenttype)
		if key not in self._levels:
			levels = set(meta.get_permlevel_access("read", parenttype, user=self.user))
			levels |= set(meta.get_permlevel_access("select", parenttype, user=self.user))
			# The doctype is readable (checked above), so its level 0 is, whatever gave the access
			# (a share, a has_permission hook, or Frappe's open search of DocType names).
			levels.add(0)
			self._levels[key] = levels
		return self._levels[key]

	def table(self, doctype: str | None):
		"""The meta and permission parent of the doctype a condition names: the query's own or a child table."""
		if not doctype or doctype == self.doctype:
			return self.meta, self.parent_doctype
		if doctype in {df.options for df in self.meta.get_table_fields()}:
			return frappe.get_meta(doctype), self.doctype
		return None, None

	def problem(self, fieldname: str, doctype: str | None = None) -> type[Exception] | None:
		"""None if the user may use the field; else the exception class to refuse it with."""
		meta, parenttype = self.table(doctype)
		if meta is None:
			return QueryValidationError
		if fieldname in STANDARD_FIELDS or (meta.istable and fieldname in CHILD_FIELDS):
			return None
		df = meta.get_field(fieldname)
		if not df or df.fieldtype in NOT_COLUMNS or df.get("is_virtual"):
			return QueryValidationError
		if (df.permlevel or 0) not in self.levels(meta, parenttype):
			return QueryPermissionError
		return None

	def field(self, fieldname, purpose: str = "filter", doctype: str | None = None) -> str:
		with guarded():
			fieldname = qg.parse_fieldname(fieldname, purpose)
		if purpose != "filter" and self.record_only(fieldname, doctype):
			refuse(secrecy_rules.RECORD_ONLY_MESSAGE, QueryPermissionError)
		exc = self.problem(fieldname, doctype)
		if exc is QueryPermissionError:
			refuse(qg.unreadable_message(fieldname, purpose), exc)
		if exc:
			refuse(qg.field_message(fieldname, purpose), exc)
		return fieldname

	def record_only(self, fieldname: str, doctype: str | None = None) -> bool:
		meta, _parent = self.table(doctype)
		return meta is not None and secrecy_rules.record_only(meta.name, fieldname)

	def may_read(self, fieldname) -> bool:
		"""A field the user may have listed (in a search result, a calendar, …)."""
		return (
			isinstance(fieldname, str)
			and bool(qg.FIELDNAME.fullmatch(fieldname))
			and not self.problem(fieldname)
			and not self.record_only(fieldname)
		)

	def every_field(self, columns: bool) -> list[str]:
		"""What "*" means for this user, spelt out: the columns they may read, the record-only ones left out."""
		names = ["name", "owner", "creation", "modified", "modified_by", "docstatus", "idx"]
		if self.meta.istable:
			names += ["parent", "parentfield", "parenttype"]
		names += [
			df.fieldname
			for df in self.meta.fields
			if df.fieldtype not in NOT_COLUMNS
			and not df.get("is_virtual")
			and not self.problem(df.fieldname)
			and not self.record_only(df.fieldname)
		]
		return [f"`tab{self.doctype}`.`{name}`" if columns else name for name in names]

	def filters(self, filters) -> list[list]:
		with guarded():
			conditions = qg.parse_filters(filters)
		for condition in conditions:
			if condition.doctype and self.table(condition.doctype)[0] is None:
				refuse(qg.doctype_message(condition.doctype))
			self.field(condition.fieldname, "filter", condition.doctype)
		return [condition.as_list(self.doctype) for condition in conditions]

	def fields(self, fields, allow_count: bool = False, columns: bool = False) -> list[str]:
		if columns:
			fields = self.child_columns(fields)
		with guarded():
			parsed = qg.parse_fields(fields, allow_count=allow_count, columns=columns)
		for field in parsed:
			if field.fieldname:
				self.field(field.fieldname, "field", field.doctype)
		if self.doctype in secrecy_rules.RECORD_ONLY_DOCTYPES and any(
			field.fieldname is None and field.aggregate is None for field in parsed
		):
			return self.every_field(columns)  # Frappe's own "*" would include the full ID number
		return [str(field) for field in parsed]

	def child_columns(self, fields):
		"""Frappe's `table_field.child_field` (a column of a child table, by the table field's name) as the
		`tabChild`.`child_field` column it stands for; a dotted link field (`petitioner.phone`) stays as it
		is, and is refused by the parser."""
		try:
			listed = qg.loads(fields, (list,)) if not isinstance(fields, list) else fields
		except qg.QueryGuardError:
			return fields
		if not isinstance(listed, list):
			return fields
		tables = {df.fieldname: df.options for df in self.meta.get_table_fields()}
		rewritten = []
		for field in listed:
			match = qg.CHILD_COLUMN.fullmatch(field.strip()) if isinstance(field, str) else None
			if match and match.group(1) in tables:
				alias = f" as {match.group(3)}" if match.group(3) else ""
				field = f"`tab{tables[match.group(1)]}`.`{match.group(2)}`{alias}"
			rewritten.append(field)
		return rewritten

	def order_by(self, order_by, columns: bool = False) -> str | None:
		with guarded():
			items = qg.parse_order_by(order_by, columns=columns)
		for item in items:
			doctype, fieldname = item[:2] if columns else (None, item[0])
			self.field(fieldname, "order", doctype)
		return qg.format_order_by(items) or None

	def group_by(self, group_by, columns: bool = False) -> str | None:
		with guarded():
			group_by = qg.parse_group_by(group_by, columns=columns)
		if not group_by:
			return None
		if columns:
			doctype, fieldname = group_by
			self.field(fieldname, "group", doctype)
			return str(qg.Field(fieldname, doctype=doctype))
		return self.field(group_by, "group")


def check(
	doctype,
	filters=None,
	or_filters=None,
	fields=None,
	order_by=None,
	group_by=None,
	user: str | None = None,
	*,
	parent_doctype: str | None = None,
	allow_count: bool = False,
) -> frappe._dict:
	"""The query's arguments, checked and normalised, or a clean 417/403.

	filters and or_filters come back as lists of [doctype, field, operator, value]; fields as a list of
	fieldnames; order_by as "field asc, …" (None if empty); group_by as one fieldname (or None).
	"""
	checker = Checker(doctype, user, parent_doctype)
	return frappe._dict(
		doctype=checker.doctype,
		filters=checker.filters(filters),
		or_filters=checker.filters(or_filters),
		fields=checker.fields(fields, allow_count=allow_count),
		order_by=checker.order_by(order_by),
		group_by=checker.group_by(group_by),
		checker=checker,
	)


def structured(filters):
	"""Filters for a custom search query (whose own code reads them): the shape is checked, the value is
	passed on as the client sent it (decoded), since such a query may read keys that are not fields."""
	with guarded():
		qg.parse_filters(filters)
		return qg.loads(filters)


def as_json(value) -> str:
	return json.dumps(value, default=str)
