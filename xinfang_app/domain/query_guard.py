"""The shape of what a client may put in a query: filters, or_filters, fields, order_by, group_by.

Frappe's query builder pastes a plain string filter (and any string field, order or group) into SQL as it
stands, so a desk user could send `1=1) or (select substr(id_number,1,6) from tabPetitioner …)='…'` and read
any column of any table one bit at a time. Every endpoint that takes such arguments first passes them
through this module (and then through xinfang_app.query_guard, which checks the names against the doctype
and the user's permission levels):

- filters are structured only: a dict {field: value | [operator, value]}, a list of [field, operator, value]
  or [doctype, field, operator, value] (a desk filter's fifth element, its "hidden" flag, is dropped), or a
  JSON string of those. A bare string, a string inside the list, a nested dict is refused.
- a field is a plain fieldname (`^[a-z_][a-z0-9_]*$`): no dots, backticks, spaces, brackets or comments.
- an operator is one of Frappe's; a value is a scalar (text, number, true/false, null), or a flat list of
  scalars where the operator takes one. Values are escaped by Frappe, so any text is harmless as a value.
- fields, order_by and group_by are plain fieldnames (order with asc/desc); `count(*)`/`count(field)` only
  where an endpoint asks for it.

Pure: no frappe import. Errors are QueryGuardError with a Chinese `message_zh` naming the offending part
(HTML-escaped, since the desk shows it as HTML).
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from xinfang_app.domain.errors import DomainError

MAX_CONDITIONS = 100
MAX_VALUES = 1000
MAX_TEXT = 5000
MAX_FIELDS = 200
MAX_ORDER_FIELDS = 10
SHOWN = 40

FIELDNAME = re.compile(r"[a-z_][a-z0-9_]{0,63}")
# A DocType's name as Frappe allows it (letters of any script, digits, spaces, _ and -); it is then matched
# against the query's doctype and its child tables, never pasted as given.
DOCTYPE = re.compile(r"[^\W\d_][\w \-]{0,139}")
DIRECTION = re.compile(r"asc|desc", re.IGNORECASE)
COUNT = re.compile(r"count\(\s*(\*|[a-z_][a-z0-9_]{0,63})\s*\)", re.IGNORECASE)
COUNT_COLUMN = re.compile(r"count\(\s*(`tab[^`]{1,140}`\.`[a-z_][a-z0-9_]{0,63}`)\s*\)", re.IGNORECASE)

COMPARISONS = frozenset({"=", "!=", ">", "<", ">=", "<=", "like", "not like"})
LISTS = frozenset({"in", "not in"})
TREE = frozenset(
	{
		"descendants of",
		"descendants of (inclusive)",
		"not descendants of",
		"ancestors of",
		"not ancestors of",
	}
)
TIMESPANS = frozenset(
	{
		"last week",
		"last month",
		"last quarter",
		"last 6 months",
		"last year",
		"yesterday",
		"today",
		"tomorrow",
		"this week",
		"this month",
		"this quarter",
		"this year",
		"next week",
		"next month",
		"next quarter",
		"next 6 months",
		"next year",
	}
)
PERIODS = frozenset({"1 week", "1 month", "3 months", "6 months", "1 year"})  # "previous"/"next"
OPERATORS = COMPARISONS | LISTS | TREE | {"is", "between", "timespan", "previous", "next"}

FORMAT_MESSAGE = "筛选条件格式不正确：只接受字段、运算符和值组成的结构化条件"
FIELDS_FORMAT_MESSAGE = "查询字段格式不正确：只接受字段名的列表"

# The Frappe methods the app replaces (hooks.py: override_whitelisted_methods), each with a wrapper in
# xinfang_app.api that checks its filters, fields, order and group through this guard and then calls Frappe's
# own function. One list, here, so the hooks and the tests read the same one.
GUARDED_METHODS = {
	"frappe.client.get_count": "xinfang_app.api.get_count",
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get": "xinfang_app.api.get_dashboard_chart",
	"frappe.desk.doctype.number_card.number_card.get_result": "xinfang_app.api.get_number_card_result",
	"frappe.desk.doctype.number_card.number_card.get_percentage_difference": (
		"xinfang_app.api.get_percentage_difference"
	),
	"frappe.desk.reportview.get_stats": "xinfang_app.api.get_stats",
	"frappe.desk.reportview.get_sidebar_stats": "xinfang_app.api.get_sidebar_stats",
	"frappe.desk.reportview.get_filter_dashboard_data": "xinfang_app.api.get_filter_dashboard_data",
	"frappe.desk.listview.get_list_settings": "xinfang_app.api.get_list_settings",
	"frappe.desk.listview.get_group_by_count": "xinfang_app.api.get_group_by_count",
	"frappe.desk.search.search_widget": "xinfang_app.api.search_widget",
	"frappe.desk.search.search_link": "xinfang_app.api.search_link",
	"frappe.desk.calendar.get_events": "xinfang_app.api.get_events",
	"frappe.desk.form.utils.get_next": "xinfang_app.api.get_next",
	# the list channels: lists, values, the report view and its export
	"frappe.client.get_list": "xinfang_app.api.get_list",
	"frappe.client.get_value": "xinfang_app.api.get_value",
	"frappe.desk.reportview.get": "xinfang_app.api.reportview_get",
	"frappe.desk.reportview.get_list": "xinfang_app.api.reportview_get_list",
	"frappe.desk.reportview.get_count": "xinfang_app.api.reportview_get_count",
	"frappe.desk.reportview.export_query": "xinfang_app.api.reportview_export_query",
	# side writes on a record (likes, tags) and the tag search, which Frappe v15 allows on any record
	"frappe.desk.like.toggle_like": "xinfang_app.api.toggle_like",
	"frappe.desk.doctype.tag.tag.add_tag": "xinfang_app.api.add_tag",
	"frappe.desk.doctype.tag.tag.add_tags": "xinfang_app.api.add_tags",
	"frappe.desk.doctype.tag.tag.remove_tag": "xinfang_app.api.remove_tag",
	"frappe.desk.doctype.tag.tag.get_tagged_docs": "xinfang_app.api.get_tagged_docs",
	# a link's title (a petitioner's name), or that a typed link exists, only for a record the user may read
	"frappe.desk.search.get_link_title": "xinfang_app.api.get_link_title",
	"frappe.client.validate_link": "xinfang_app.api.validate_link",
}

# Frappe methods that answer malformed input with a 500 (found by xinfang_app/tests/test_sweep.py): the
# app's wrapper (xinfang_app/tolerant.py) answers a 417 instead.
TOLERANT_METHODS = {
	original: "xinfang_app.tolerant." + original.replace(".", "__")
	for original in (
		"frappe.core.doctype.data_export.exporter.export_data",
		"frappe.core.doctype.data_import.data_import.download_template",
		"frappe.custom.doctype.customize_form.customize_form.get_link_filters_from_doc_without_customisations",
		"frappe.core.doctype.prepared_report.prepared_report.get_reports_in_queued_state",
		"frappe.core.doctype.prepared_report.prepared_report.make_prepared_report",
		"frappe.desk.doctype.system_console.system_console.execute_code",
		"frappe.desk.query_report.run",
		"frappe.desk.treeview.get_children",
		"frappe.model.workflow.get_common_transition_actions",
		"frappe.utils.print_format.download_multi_pdf",
		"frappe.utils.print_format.download_multi_pdf_async",
		"frappe.utils.print_format.download_pdf",
	)
}

# REST lists and counts (/api/resource/<doctype>, /api/v2/document/<doctype>, /api/v2/doctype/<doctype>/count)
# call Frappe's functions directly, not through the whitelisted names above: a before_request hook checks
# their arguments (xinfang_app.api.guard_rest_lists).
REST_LIST_PATH = re.compile(
	r"/api/(?:v1/)?resource/([^/]+)/?|/api/v2/(?:document/([^/]+)|doctype/([^/]+)/count)/?"
)


class QueryGuardError(DomainError):
	"""Refused query input; `message_zh` is shown to the user."""


def shown(part) -> str:
	"""The offending part as it may be quoted in a message: short, and HTML-escaped."""
	if isinstance(part, str):
		text = part
	else:
		try:
			text = json.dumps(part, ensure_ascii=False, default=str)
		except (TypeError, ValueError):
			text = repr(part)
	text = " ".join(text.split())  # no newlines or control whitespace in a message
	if len(text) > SHOWN:
		text = text[:SHOWN] + "…"
	return html.escape(text, quote=True)


# ---- messages (also used by xinfang_app.query_guard for the permission checks) ---------------------------

PURPOSES = {"filter": "筛选", "field": "查询", "order": "排序", "group": "分组"}


def field_message(fieldname, purpose: str = "filter") -> str:
	"""Not a field this query can use (malformed, unknown, or a layout field)."""
	if purpose == "field":
		return f"不能查询字段 {shown(fieldname)}"
	return f"不能按字段 {shown(fieldname)} {PURPOSES[purpose]}"


def unreadable_message(fieldname, purpose: str = "filter") -> str:
	"""A field above the user's permission levels."""
	if purpose == "field":
		return f"无权查询字段 {shown(fieldname)}"
	return f"无权按字段 {shown(fieldname)} {PURPOSES[purpose]}"


def doctype_message(doctype) -> str:
	return f"不能查询单据类型 {shown(doctype)}"


def unreadable_doctype_message(doctype) -> str:
	return f"无权读取 {shown(doctype)}"


# ---- filters --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
	"""One structured filter. `doctype` is None for the query's own doctype, else the doctype the client
	named (the query's own or one of its child tables; xinfang_app.query_guard checks which)."""

	fieldname: str
	operator: str
	value: object
	doctype: str | None = None

	def as_list(self, doctype: str) -> list:
		return [self.doctype or doctype, self.fieldname, self.operator, self.value]


def parse_fieldname(name, purpose: str = "filter") -> str:
	if isinstance(name, str) and FIELDNAME.fullmatch(name):
		return name
	raise QueryGuardError(field_message(name, purpose))


def parse_doctype(doctype) -> str:
	if isinstance(doctype, str) and DOCTYPE.fullmatch(doctype):
		return doctype
	raise QueryGuardError(doctype_message(doctype))


def loads(value, kinds: tuple[type, ...] = (list, dict), message: str = FORMAT_MESSAGE):
	"""A JSON argument as the desk sends it: "" and None are nothing; anything else must decode to `kinds`."""
	if value is None:
		return None
	if isinstance(value, str):
		text = value.strip()
		if not text:
			return None
		try:
			value = json.loads(text)
		except ValueError:
			raise QueryGuardError(message) from None
	if isinstance(value, tuple):
		value = list(value)
	if not isinstance(value, kinds):
		raise QueryGuardError(message)
	return value


def parse_filters(filters) -> list[Condition]:
	"""filters or or_filters, in any form Frappe's desk sends, as a list of Conditions; or QueryGuardError."""
	filters = loads(filters)
	if not filters:
		return []
	if isinstance(filters, Mapping):
		conditions = parse_mapping(filters)
	else:
		conditions = []
		for row in filters:
			if isinstance(row, Mapping):
				conditions.extend(parse_mapping(row))
			elif isinstance(row, list | tuple):
				conditions.append(parse_row(list(row)))
			else:
				raise QueryGuardError(FORMAT_MESSAGE)
	if len(conditions) > MAX_CONDITIONS:
		raise QueryGuardError(f"筛选条件过多：最多 {MAX_CONDITIONS} 条")
	return conditions


def parse_mapping(filters: Mapping) -> list[Condition]:
	conditions = []
	for key, value in filters.items():
		fieldname = parse_fieldname(key)
		if isinstance(value, list | tuple):
			if len(value) != 2:
				raise QueryGuardError(FORMAT_MESSAGE)
			conditions.append(condition(fieldname, value[0], value[1]))
		else:
			conditions.append(condition(fieldname, "=", value))
	return conditions


def parse_row(row: list) -> Condition:
	if len(row) == 5 and (row[4] is None or isinstance(row[4], bool)):
		row = row[:4]  # the desk filter area's "hidden" flag
	if len(row) == 3:
		return condition(parse_fieldname(row[0]), row[1], row[2])
	if len(row) == 4:
		return condition(parse_fieldname(row[1]), row[2], row[3], parse_doctype(row[0]))
	raise QueryGuardError(FORMAT_MESSAGE)


def parse_operator(operator) -> str:
	if isinstance(operator, str):
		normalised = " ".join(operator.split()).lower()
		if normalised in OPERATORS:
			return normalised
	raise QueryGuardError(f"不支持的筛选运算符：{shown(operator)}")


def condition(fieldname: str, operator, value, doctype: str | None = None) -> Condition:
	operator = parse_operator(operator)
	return Condition(fieldname, operator, parse_value(fieldname, operator, value), doctype)


def bad_value(fieldname: str) -> QueryGuardError:
	return QueryGuardError(f"字段 {shown(fieldname)} 的筛选值格式不正确：只接受文字、数字或它们的列表")


def is_scalar(value) -> bool:
	if value is None or isinstance(value, bool | int):
		return True
	if isinstance(value, float):
		return math.isfinite(value)
	return isinstance(value, str) and len(value) <= MAX_TEXT


def parse_value(fieldname: str, operator: str, value):
	if operator in LISTS:
		if isinstance(value, str):
			if len(value) > MAX_TEXT or value.count(",") >= MAX_VALUES:
				raise too_many(fieldname)
			return value
		if value is None:
			return []
		if not isinstance(value, list | tuple):
			raise bad_value(fieldname)
		if len(value) > MAX_VALUES:
			raise too_many(fieldname)
		if not all(is_scalar(v) for v in value):
			raise bad_value(fieldname)
		return list(value)
	if operator == "between":
		if (
			not isinstance(value, list | tuple)
			or not 1 <= len(value) <= 2
			or not all(is_scalar(v) for v in value)
		):
			raise QueryGuardError(f"字段 {shown(fieldname)} 的“介于”条件需要起止两个值")
		return list(value)
	if operator == "is":
		normalised = value.strip().lower() if isinstance(value, str) else value
		if normalised not in ("set", "not set"):
			raise QueryGuardError(f"字段 {shown(fieldname)} 的“is”条件只能是 set（有值）或 not set（无值）")
		return normalised
	if operator == "timespan":
		if value not in TIMESPANS:
			raise QueryGuardError(f"字段 {shown(fieldname)} 的时间范围不正确：{shown(value)}")
		return value
	if operator in ("previous", "next"):
		if value not in PERIODS:
			raise QueryGuardError(f"字段 {shown(fieldname)} 的时间范围不正确：{shown(value)}")
		return value
	if not is_scalar(value):
		raise bad_value(fieldname)
	return value


def too_many(fieldname: str) -> QueryGuardError:
	return QueryGuardError(f"字段 {shown(fieldname)} 的筛选值过多：最多 {MAX_VALUES} 个")


# ---- fields, order, group --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
	"""A field to read: a plain fieldname, or count(*) / count(fieldname) where allowed; on the list channels
	(columns=True) also a column as the desk writes it, `tabDocType`.`fieldname`, with an optional alias."""

	fieldname: str | None  # None for count(*)
	aggregate: str | None = None  # "count"
	doctype: str | None = None  # the query's doctype or one of its child tables
	alias: str | None = None

	def __str__(self) -> str:
		column = f"`tab{self.doctype}`.`{self.fieldname}`" if self.doctype else (self.fieldname or "*")
		text = f"{self.aggregate}({column})" if self.aggregate else column
		return f"{text} as {self.alias}" if self.alias else text


# What the desk's list, report and REST channels send: `tabPetition`.`name`, `tabPetition Party`.`parent`.
COLUMN = re.compile(r"`tab([^`]{1,140})`\.`([a-z_][a-z0-9_]{0,63})`")
# Frappe's notation for a child table's column by its table field: petitioners.full_name [as alias]
CHILD_COLUMN = re.compile(
	r"([a-z_][a-z0-9_]{0,63})\.([a-z_][a-z0-9_]{0,63})(?:\s+as\s+([a-z_][a-z0-9_]{0,63}))?", re.IGNORECASE
)
ALIAS = re.compile(r"(.+?)\s+as\s+([a-z_][a-z0-9_]{0,63})", re.IGNORECASE)


def parse_column(text, purpose: str = "field") -> tuple[str | None, str]:
	"""(doctype or None, fieldname) of a plain fieldname or a `tabDocType`.`fieldname` column."""
	if isinstance(text, str):
		if FIELDNAME.fullmatch(text):
			return None, text
		match = COLUMN.fullmatch(text)
		if match and DOCTYPE.fullmatch(match.group(1)):
			return match.group(1), match.group(2)
	raise QueryGuardError(field_message(text, purpose))


def parse_fields(fields, allow_count: bool = False, columns: bool = False) -> list[Field]:
	"""A list (or JSON list, or comma-separated string) of plain fieldnames (and columns, see Field)."""
	if isinstance(fields, str) and fields.strip() and not fields.strip().startswith("["):
		fields = fields.split(",")
	fields = loads(fields, (list,), FIELDS_FORMAT_MESSAGE) or []
	if columns and len(fields) == 1 and isinstance(fields[0], str) and fields[0].strip() == "*":
		return [Field(None)]  # every field: Frappe itself narrows "*" to the fields the user may read
	if len(fields) > MAX_FIELDS:
		raise QueryGuardError(f"查询字段过多：最多 {MAX_FIELDS} 个")
	parsed = []
	for field in fields:
		if not isinstance(field, str):
			raise QueryGuardError(field_message(field, "field"))
		field = field.strip()
		alias = None
		if columns and (named := ALIAS.fullmatch(field)):
			field, alias = named.group(1).strip(), named.group(2)
		match = COUNT.fullmatch(field) if allow_count else None
		if columns and allow_count and not match:
			match = COUNT_COLUMN.fullmatch(field)
		if match:
			doctype, name = (None, match.group(1)) if match.re is COUNT else parse_column(match.group(1))
			parsed.append(Field(None if name == "*" else name, "count", doctype, alias))
		elif columns:
			doctype, name = parse_column(field)
			parsed.append(Field(name, None, doctype, alias))
		else:
			parsed.append(Field(parse_fieldname(field, "field")))
	return parsed


def parse_direction(direction, default: str = "desc") -> str:
	if direction is None or direction == "":
		return default
	if isinstance(direction, str) and DIRECTION.fullmatch(direction.strip()):
		return direction.strip().lower()
	raise QueryGuardError(f"排序方向只能是 asc（升序）或 desc（降序）：{shown(direction)}")


def parse_order_by(order_by, columns: bool = False) -> list[tuple]:
	"""`field [asc|desc], …` as (fieldname, direction) pairs; direction defaults to asc as in SQL. With
	columns=True (the list channels) a field may be a `tabDocType`.`fieldname` column, and the items are
	(doctype or None, fieldname, direction)."""
	if order_by is None or (isinstance(order_by, str) and not order_by.strip()):
		return []
	if not isinstance(order_by, str):
		raise QueryGuardError(field_message(order_by, "order"))
	parts = order_by.split(",")
	if len(parts) > MAX_ORDER_FIELDS:
		raise QueryGuardError(f"排序字段过多：最多 {MAX_ORDER_FIELDS} 个")
	items = []
	for part in parts:
		words = part.strip().rsplit(" ", 1) if columns else part.split(" ")
		words = [w for w in words if w]
		if len(words) == 2 and not DIRECTION.fullmatch(words[1]) and columns:
			words = [part.strip()]
		if not 1 <= len(words) <= 2:
			raise QueryGuardError(field_message(part.strip(), "order"))
		direction = words[1] if len(words) == 2 else "asc"
		if not DIRECTION.fullmatch(direction):
			raise QueryGuardError(field_message(part.strip(), "order"))
		if columns:
			doctype, fieldname = parse_column(words[0], "order")
			items.append((doctype, fieldname, direction.lower()))
		else:
			items.append((parse_fieldname(words[0], "order"), direction.lower()))
	return items


def format_order_by(items: list[tuple]) -> str:
	parts = []
	for item in items:
		*column, direction = item
		doctype, fieldname = column if len(column) == 2 else (None, column[0])
		parts.append(f"{Field(fieldname, doctype=doctype)!s} {direction}")
	return ", ".join(parts)


def parse_group_by(group_by, columns: bool = False):
	"""One fieldname (None if empty); with columns=True a (doctype or None, fieldname) column."""
	if group_by is None or (isinstance(group_by, str) and not group_by.strip()):
		return None
	if not isinstance(group_by, str):
		raise QueryGuardError(field_message(group_by, "group"))
	if columns:
		return parse_column(group_by.strip(), "group")
	return parse_fieldname(group_by.strip(), "group")
