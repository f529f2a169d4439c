"""Whitelisted methods that replace Frappe's where Frappe v15 skips a permission check or pastes a client's
filters, fields, order or group into SQL.

Each replacement keeps the original's signature (the desk calls it unchanged), checks its arguments with the
query guard (xinfang_app.query_guard: structured filters on real fields the user may read) and then calls
Frappe's own function with the checked, normalised arguments. The list of replaced methods is
domain.query_guard.GUARDED_METHODS, which hooks.py installs as override_whitelisted_methods.
"""

from __future__ import annotations

import frappe
from frappe.utils import cint

from xinfang_app import permissions
from xinfang_app import query_guard as guard
from xinfang_app.domain import access
from xinfang_app.domain import query_guard as qg
from xinfang_app.domain.display import localise_labels
from xinfang_app.query_guard import as_json, check, guarded, refuse


@frappe.whitelist()
def get_count(
	doctype: str, filters: str | dict | list | None = None, debug: bool = False, cache: bool = False
) -> int:
	"""`frappe.client.get_count` with permissions and structured filters only.

	Frappe v15's version counts with `frappe.db.count`, which applies neither role permissions nor
	row-level scope: any logged-in user could count (and so probe) another village's petitions.
	Counting through `frappe.get_list` applies the same rules as listing.
	"""
	checked = check(doctype, filters)
	rows = frappe.get_list(
		doctype,
		filters=checked.filters,
		fields=["count(*) as total"],
		as_list=True,
		order_by="",
	)
	return rows[0][0] if rows else 0


# ---- dashboard charts and number cards ----------------------------------------------------------------

CHART_TYPES = ("Count", "Sum", "Average", "Group By")
AGGREGATES = ("Count", "Sum", "Average")


def check_chart(chart, filters) -> tuple[list | None, list]:
	"""A Dashboard Chart (stored or sent by the client) whose type, doctype and fields Frappe's `get` pastes
	into its query: each must be one Frappe knows, and a field the user may read. Returns the checked
	`filters` (None when none were given, so that the chart's own filters apply) and the checked
	filters_json of the chart."""
	if chart.get("chart_type") not in CHART_TYPES:
		refuse(f"不支持的图表类型：{qg.shown(chart.get('chart_type'))}")
	checker = guard.Checker(
		chart.get("document_type"), parent_doctype=chart.get("parent_document_type") or None
	)
	if chart.get("chart_type") == "Group By":
		if (chart.get("group_by_type") or "Count") not in AGGREGATES:
			refuse(f"不支持的统计方式：{qg.shown(chart.get('group_by_type'))}")
		checker.field(chart.get("group_by_based_on"), "group")
		if chart.get("aggregate_function_based_on"):
			checker.field(chart.get("aggregate_function_based_on"), "field")
	else:
		checker.field(chart.get("based_on"), "field")
		if chart.get("value_based_on"):
			checker.field(chart.get("value_based_on"), "field")
	own = checker.filters(chart.get("filters_json"))
	return (checker.filters(filters) if filters else None), own


@frappe.whitelist()
@frappe.read_only()
def get_dashboard_chart(
	chart_name: str | None = None,
	chart: str | dict | None = None,
	no_cache: int | str | None = None,
	filters: str | list | dict | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	timespan: str | None = None,
	time_interval: str | None = None,
	heatmap_year: int | str | None = None,
	refresh: int | str | None = None,
) -> dict | None:
	"""`dashboard_chart.get` with the chart and its filters checked, and without the shared result cache for
	the app's charts.

	Frappe v15 caches a chart's figures under the chart's name alone, so the first reader's figures (a
	county leader's) would be served to every later reader (a township's). The app's charts are computed
	for each reader through frappe.get_list, i.e. within their scope; other apps' charts keep the cache.
	Frappe pastes a chart's document type, date, value and group-by fields into SQL, so a chart sent by the
	client (and a stored one) is checked like any query: known types, readable fields, structured filters.
	"""
	import inspect

	from frappe.desk.doctype.dashboard_chart import dashboard_chart

	if chart_name:
		doc = frappe.get_doc("Dashboard Chart", chart_name)
		checked, _own = check_chart(doc.as_dict(), filters)
		module = doc.module
	else:
		with guarded():
			sent = qg.loads(chart, (dict,)) or {}
		checked, own = check_chart(frappe._dict(sent), filters)
		# Frappe reads a sent chart's filters_json (not `filters`) when no_cache is set: send it checked.
		chart = as_json({**sent, "filters_json": as_json(own)})
		module = None
	kwargs = dict(
		chart_name=chart_name,
		chart=chart,
		no_cache=no_cache,
		filters=as_json(checked) if checked is not None else None,
		from_date=from_date,
		to_date=to_date,
		timespan=timespan,
		time_interval=time_interval,
		heatmap_year=heatmap_year,
		refresh=refresh,
	)
	if module == "Xinfang App":
		# As Frappe's cache wrapper does: the desk sends empty strings for unset dates and filters.
		uncached = {key: value or None for key, value in kwargs.items() if key not in ("no_cache", "refresh")}
		result = inspect.unwrap(dashboard_chart.get)(**uncached)
		if isinstance(result, dict) and isinstance(result.get("labels"), list):
			# periods and stored values (states, lights) in the reader's language
			chinese = (frappe.local.lang or "").startswith("zh")
			result["labels"] = localise_labels(result["labels"], chinese, frappe._)
		return result
	return dashboard_chart.get(**kwargs)


CARD_FUNCTIONS = ("Count", "Sum", "Average", "Minimum", "Maximum")


def check_number_card(card, filters) -> list:
	"""A Number Card's doctype and aggregate field (which Frappe pastes into SQL) and its filters."""
	if card.get("function") not in CARD_FUNCTIONS:
		refuse(f"不支持的统计方式：{qg.shown(card.get('function'))}")
	checker = guard.Checker(
		card.get("document_type"), parent_doctype=card.get("parent_document_type") or None
	)
	if card.get("function") != "Count":
		checker.field(card.get("aggregate_function_based_on"), "field")
	return checker.filters(filters)


@frappe.whitelist()
@frappe.read_only()
def get_number_card_result(
	doc: str | dict, filters: str | dict | list | None = None, to_date: str | None = None
):
	"""`number_card.get_result` for a card the desk sends, its fields and filters checked."""
	from frappe.desk.doctype.number_card import number_card

	with guarded():
		card = frappe._dict(qg.loads(doc, (dict,)) or {})
	checked = check_number_card(card, filters)
	sent = {
		key: card.get(key)
		for key in ("function", "aggregate_function_based_on", "document_type", "parent_document_type")
	}
	return number_card.get_result(as_json(sent), as_json(checked), to_date or None)


@frappe.whitelist()
@frappe.read_only()
def get_percentage_difference(
	doc: str | dict, filters: str | dict | list | None = None, result: str | float | None = None
):
	"""`number_card.get_percentage_difference`: the stored card named by `doc`, under checked filters."""
	from frappe.desk.doctype.number_card import number_card

	with guarded():
		name = (qg.loads(doc, (dict,)) or {}).get("name")
	card = frappe.get_doc("Number Card", name)
	checked = check_number_card(card.as_dict(), filters)
	return number_card.get_percentage_difference(as_json({"name": card.name}), as_json(checked), result)


# ---- list view: sidebar, group-by counts, filter dashboard, settings -------------------------------------


def stats_columns(checker: guard.Checker, stats) -> list[str]:
	with guarded():
		columns = qg.loads(stats, (list,), qg.FIELDS_FORMAT_MESSAGE) or []
	return [checker.field(column, "group") for column in columns]


@frappe.whitelist()
def get_stats(stats: str | list, doctype: str, filters: str | list | dict | None = None):
	"""`reportview.get_stats` (tag and field counts of the list sidebar) on checked columns and filters."""
	from frappe.desk import reportview

	checker = guard.Checker(doctype)
	columns = stats_columns(checker, stats)
	return reportview.get_stats(as_json(columns), checker.doctype, as_json(checker.filters(filters)))


@frappe.whitelist()
def get_sidebar_stats(stats: str | list, doctype: str, filters: str | list | dict | None = None):
	"""`reportview.get_sidebar_stats` on checked columns and filters."""
	from frappe.desk import reportview

	checker = guard.Checker(doctype)
	columns = stats_columns(checker, stats)
	return reportview.get_sidebar_stats(as_json(columns), checker.doctype, as_json(checker.filters(filters)))


@frappe.whitelist()
def get_filter_dashboard_data(stats: str | list, doctype: str, filters: str | list | dict | None = None):
	"""`reportview.get_filter_dashboard_data`: its tags are {name, type}; each name a readable field."""
	from frappe.desk import reportview

	checker = guard.Checker(doctype)
	with guarded():
		tags = qg.loads(stats, (list,), qg.FIELDS_FORMAT_MESSAGE) or []
	checked = []
	for tag in tags:
		if not isinstance(tag, dict) or not isinstance(tag.get("type"), str):
			refuse(qg.FIELDS_FORMAT_MESSAGE)
		checked.append({"name": checker.field(tag.get("name"), "group"), "type": tag["type"]})
	return reportview.get_filter_dashboard_data(
		as_json(checked), checker.doctype, as_json(checker.filters(filters))
	)


@frappe.whitelist()
def get_list_settings(doctype: str):
	"""`listview.get_list_settings`, for a doctype the user may read."""
	from frappe.desk import listview

	return listview.get_list_settings(guard.Checker(doctype).doctype)


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str | list | dict | None, field: str) -> list[dict]:
	"""`listview.get_group_by_count` on a checked field and filters.

	For "assigned_to" Frappe counts the ToDos of every record matching the filters, the reader's or not
	(its subquery applies no permission): here the records are the reader's, through frappe.get_list.
	"""
	from frappe.desk import listview

	checker = guard.Checker(doctype)
	filters = checker.filters(current_filters)
	if field == "assigned_to":
		return assigned_to_counts(checker.doctype, filters)
	field = checker.field(field, "group")
	return listview.get_group_by_count(checker.doctype, as_json(filters), field)


def assigned_to_counts(doctype: str, filters: list) -> list[dict]:
	# frappe.get_list(run=False) returns its query, values already escaped, permission conditions included.
	records = frappe.get_list(
		doctype, filters=filters, fields=["name"], order_by="", limit_page_length=0, run=False
	)
	return frappe.db.sql(
		f"""select `tabToDo`.`allocated_to` as name, count(*) as count
		from `tabToDo`, `tabUser`
		where `tabToDo`.`status` != 'Cancelled'
			and `tabToDo`.`allocated_to` = `tabUser`.`name`
			and `tabUser`.`user_type` = 'System User'
			and `tabToDo`.`reference_type` = {frappe.db.escape(doctype)}
			and `tabToDo`.`reference_name` in ({records})
		group by `tabToDo`.`allocated_to`
		order by count desc
		limit 50""",
		as_dict=True,
	)


# ---- search -----------------------------------------------------------------------------------------


def may_ignore_user_permissions(doctype: str, reference_doctype: str | None) -> bool:
	"""A client's ignore_user_permissions counts only where the form's own doctype (or one of its child
	tables) has a Link field to `doctype` set to ignore user permissions; the client cannot set it itself.

	A place field (access.PLACE_FIELDS) does not count, nor a read-only field (nobody picks a value for
	it): the app scopes those records by place itself, and a division picked for them is still one of
	the user's own."""
	if not reference_doctype or not frappe.db.exists("DocType", reference_doctype):
		return False
	meta = frappe.get_meta(reference_doctype)
	metas = [meta, *(frappe.get_meta(df.options) for df in meta.get_table_fields())]
	return any(
		df.ignore_user_permissions and not df.read_only and access.PLACE_FIELDS.get(each.name) != df.fieldname
		for each in metas
		for df in each.get("fields", {"fieldtype": "Link", "options": doctype})
	)


def check_search(
	doctype, query, searchfield, filters, filter_fields, reference_doctype, ignore_user_permissions
):
	"""The arguments of search_widget/search_link, checked: structured filters on readable fields, and
	searchfield and filter_fields kept only where the user may read them."""
	with guarded():
		qg.parse_doctype(doctype)
		if reference_doctype:
			qg.parse_doctype(reference_doctype)
		if searchfield:
			qg.parse_fieldname(searchfield)
		requested = qg.loads(filter_fields, (list,), qg.FIELDS_FORMAT_MESSAGE) or []
		for fieldname in requested:
			qg.parse_fieldname(fieldname, "field")
	ignore = bool(cint(ignore_user_permissions)) and may_ignore_user_permissions(doctype, reference_doctype)
	standard_queries = frappe.get_hooks().standard_queries or {}
	if query or doctype in standard_queries:
		# A custom query (itself a whitelisted method) reads its filters its own way: shape only.
		return frappe._dict(
			filters=guard.structured(filters),
			searchfield=searchfield,
			filter_fields=as_json(requested) if requested else None,
			ignore_user_permissions=ignore,
		)
	tree_range = None
	if doctype == permissions.DIVISION and not ignore:
		# the reader's place and all under it by the tree's range, instead of Frappe's IN list of every
		# division under it (15,000 names for a city), which it then no longer applies
		tree_range = permissions.division_range_filters()
		ignore = tree_range is not None
	# Frappe lets everyone search DocType names (its search_widget skips permissions for them); the
	# fields are checked all the same.
	checker = guard.Checker(doctype, check_permission=doctype != "DocType")
	readable = [fieldname for fieldname in requested if checker.may_read(fieldname)]
	return frappe._dict(
		filters=checker.filters(filters) + (tree_range or []),
		searchfield=searchfield if searchfield and checker.may_read(searchfield) else None,
		filter_fields=as_json(readable) if readable else None,
		ignore_user_permissions=ignore,
	)


@frappe.whitelist()
def search_widget(
	doctype: str,
	txt: str,
	query: str | None = None,
	searchfield: str | None = None,
	start: int = 0,
	page_length: int = 10,
	filters: str | dict | list | None = None,
	filter_fields: str | list | None = None,
	as_dict: bool = False,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	"""`search.search_widget` with checked filters, searchfield and filter_fields."""
	from frappe.desk import search

	args = check_search(
		doctype, query, searchfield, filters, filter_fields, reference_doctype, ignore_user_permissions
	)
	return search.search_widget(
		doctype,
		txt,
		query,
		searchfield=args.searchfield,
		start=cint(start),
		page_length=cint(page_length),
		filters=args.filters,
		filter_fields=args.filter_fields,
		as_dict=as_dict,
		reference_doctype=reference_doctype,
		ignore_user_permissions=args.ignore_user_permissions,
	)


@frappe.whitelist()
def search_link(
	doctype: str,
	txt: str,
	query: str | None = None,
	filters: str | dict | list | None = None,
	page_length: int = 10,
	searchfield: str | None = None,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	"""`search.search_link` (a Link field's suggestions) with checked filters and searchfield."""
	from frappe.desk import search

	args = check_search(
		doctype, query, searchfield, filters, None, reference_doctype, ignore_user_permissions
	)
	results = search.search_link(
		doctype,
		txt,
		query,
		filters=args.filters,
		page_length=cint(page_length),
		searchfield=args.searchfield,
		reference_doctype=reference_doctype,
		ignore_user_permissions=args.ignore_user_permissions,
	)
	if frappe.get_meta(doctype).module == "Xinfang App":
		# a suggestion's description ("何家屯, Hamlet") names levels and types in the reader's language
		for row in results or ():
			if isinstance(row, dict) and row.get("description"):
				row["description"] = ", ".join(frappe._(part) for part in row["description"].split(", "))
	return results


# ---- calendar and form navigation ----------------------------------------------------------------------


@frappe.whitelist()
def get_events(
	doctype: str,
	start: str,
	end: str,
	field_map: str | dict,
	filters: str | list | dict | None = None,
	fields: str | list | None = None,
):
	"""`calendar.get_events`: Frappe pastes field_map's start and end into its conditions; each field of the
	map and of `fields` must be readable, the filters structured."""
	from frappe.desk import calendar

	checker = guard.Checker(doctype)
	with guarded():
		mapping = qg.loads(field_map, (dict,)) or {}
	if not mapping.get("start") or not mapping.get("end"):
		refuse(qg.FIELDS_FORMAT_MESSAGE)
	used = {
		key: checker.field(mapping[key], "field")
		for key in ("start", "end", "title", "color")
		if mapping.get(key)
	}
	return calendar.get_events(
		checker.doctype,
		start,
		end,
		as_json(used),
		filters=as_json(checker.filters(filters)),
		fields=checker.fields(fields) or None,
	)


@frappe.whitelist()
def get_next(
	doctype: str,
	value: str,
	prev: int | str,
	filters: str | list | dict | None = None,
	sort_order: str = "desc",
	sort_field: str = "modified",
):
	"""`form.utils.get_next` from a document the user may read, on a readable sort field."""
	from frappe.desk.form import utils

	checker = guard.Checker(doctype)
	checked = checker.filters(filters)
	sort_field = checker.field(sort_field or "modified", "order")
	with guarded():
		sort_order = qg.parse_direction(sort_order)
	if not isinstance(value, str) or not frappe.db.exists(checker.doctype, value):
		refuse(qg.unreadable_doctype_message(checker.doctype), guard.QueryPermissionError)
	if not frappe.has_permission(checker.doctype, "read", doc=value):
		refuse(qg.unreadable_doctype_message(checker.doctype), guard.QueryPermissionError)
	return utils.get_next(checker.doctype, value, cint(prev), as_json(checked), sort_order, sort_field)


# ---- the list channels: get_list, get_value, the report view, REST lists ----------------------------------


def check_list(doctype, args: dict, parent_doctype: str | None = None) -> None:
	"""Check, in place, the list arguments a channel hands to Frappe's DatabaseQuery: structured filters,
	fields, order and group on real fields of the doctype (or its child tables) that the user may read. A
	client's `debug` (which answers with the SQL, permission conditions included) is dropped."""
	checker = guard.Checker(doctype, parent_doctype=parent_doctype or None)
	for key in ("filters", "or_filters"):
		if args.get(key) not in (None, ""):
			args[key] = checker.filters(args[key])
	if args.get("fields") not in (None, ""):
		args["fields"] = checker.fields(args["fields"], allow_count=True, columns=True)
	if args.get("order_by"):
		args["order_by"] = checker.order_by(args["order_by"], columns=True)
	if args.get("group_by"):
		args["group_by"] = checker.group_by(args["group_by"], columns=True)
	if args.get("aggregate_on_field"):
		checker.field(args["aggregate_on_field"], "field", args.get("aggregate_on_doctype") or None)
	args.pop("debug", None)


@frappe.whitelist()
def get_list(
	doctype: str,
	fields: str | list | None = None,
	filters: str | list | dict | None = None,
	group_by: str | None = None,
	order_by: str | None = None,
	limit_start: int | str | None = None,
	limit_page_length: int | str | None = 20,
	parent: str | None = None,
	debug: bool = False,
	as_dict: bool = True,
	or_filters: str | list | dict | None = None,
):
	"""`frappe.client.get_list` with checked arguments."""
	from frappe.client import get_list as frappe_get_list

	args = dict(fields=fields, filters=filters, group_by=group_by, order_by=order_by, or_filters=or_filters)
	check_list(doctype, args, parent)
	return frappe_get_list(
		doctype,
		limit_start=limit_start,
		limit_page_length=limit_page_length,
		parent=parent,
		as_dict=as_dict,
		**args,
	)


@frappe.whitelist()
def get_value(
	doctype: str,
	fieldname: str | list,
	filters: str | list | dict | None = None,
	as_dict: bool = True,
	debug: bool = False,
	parent: str | None = None,
):
	"""`frappe.client.get_value` with checked filters and fieldnames (a plain name as filters stays a name)."""
	from frappe.client import get_value as frappe_get_value

	checker = guard.Checker(doctype, parent_doctype=parent)
	is_name = isinstance(filters, str) and not filters.strip().startswith(("[", "{"))
	if filters not in (None, "") and not is_name:
		filters = checker.filters(filters)
	is_list = isinstance(fieldname, list) or fieldname.strip().startswith("[")
	fields = checker.fields(fieldname, allow_count=True, columns=True)
	return frappe_get_value(doctype, fields if is_list else fields[0], filters, as_dict, False, parent)


def checked_form_dict() -> None:
	"""The report view's endpoints read frappe.form_dict: check it in place."""
	form = frappe.local.form_dict
	check_list(form.get("doctype"), form, form.get("parent_doctype"))


@frappe.whitelist()
def reportview_get():
	from frappe.desk import reportview

	checked_form_dict()
	return reportview.get()


@frappe.whitelist()
def reportview_get_list():
	from frappe.desk import reportview

	checked_form_dict()
	return reportview.get_list()


@frappe.whitelist()
def reportview_get_count() -> int:
	from frappe.desk import reportview

	checked_form_dict()
	return reportview.get_count()


@frappe.whitelist()
def reportview_export_query():
	"""The Report Builder's export, checked; the app's stored codes (states, lights, levels, types) are
	exported in the reader's language unless the reader asks for the codes."""
	from frappe.desk import reportview

	checked_form_dict()
	form = frappe.local.form_dict
	if (
		form.get("translate_values") is None
		and frappe.db.get_value("DocType", form.get("doctype"), "module") == "Xinfang App"
	):
		form.translate_values = "1"
	return reportview.export_query()


def guard_rest_lists():
	"""before_request: REST lists and counts get the same check as the desk's list channels."""
	import json
	from urllib.parse import unquote

	request = getattr(frappe.local, "request", None)
	if not request or request.method != "GET":
		return
	match = qg.REST_LIST_PATH.fullmatch(unquote(request.path))
	if not match:
		return
	if frappe.session.user == "Guest" and frappe.get_request_header("Authorization"):
		from frappe.auth import validate_auth

		validate_auth()  # token and basic auth are read after before_request; the check needs the user
	form = frappe.local.form_dict
	check_list(next(group for group in match.groups() if group), form, form.get("parent"))
	if isinstance(form.get("fields"), list):
		form["fields"] = json.dumps(form["fields"])  # the REST handlers decode it themselves


# ---- side writes: likes and tags ---------------------------------------------------------------------------


def require_readable(doctype, name) -> None:
	"""A like or a tag is a write on the record: only on a record the user may read (and no 500 for a
	malformed name or doctype)."""
	doctype = guard.known_doctype(doctype)
	if not isinstance(name, str | int) or frappe.get_meta(doctype).istable:  # a row has no likes or tags
		refuse(qg.doctype_message(doctype))
	if not frappe.db.exists(doctype, name) or not frappe.has_permission(doctype, "read", doc=str(name)):
		refuse(f"无权操作该记录：{qg.shown(name)}", guard.QueryPermissionError)


@frappe.whitelist()
def toggle_like(doctype: str, name: str, add: str | bool = False):
	from frappe.desk.like import toggle_like as frappe_toggle_like

	require_readable(doctype, name)
	return frappe_toggle_like(doctype, name, add)


@frappe.whitelist()
def add_tag(tag: str, dt: str, dn: str, color: str | None = None):
	from frappe.desk.doctype.tag.tag import add_tag as frappe_add_tag

	require_readable(dt, dn)
	return frappe_add_tag(tag, dt, dn, color)


@frappe.whitelist()
def add_tags(tags: str | list, dt: str, docs: str | list, color: str | None = None):
	from frappe.desk.doctype.tag.tag import add_tags as frappe_add_tags

	for name in frappe.parse_json(docs) or ():
		require_readable(dt, name)
	return frappe_add_tags(tags, dt, docs, color)


@frappe.whitelist()
def remove_tag(tag: str, dt: str, dn: str):
	from frappe.desk.doctype.tag.tag import remove_tag as frappe_remove_tag

	require_readable(dt, dn)
	return frappe_remove_tag(tag, dt, dn)


@frappe.whitelist()
def get_tagged_docs(doctype: str, tag: str):
	"""The records with a tag, among those the user may list (Frappe's answers every record's name)."""
	guard.Checker(doctype)
	return frappe.get_list(
		doctype, filters={"_user_tags": ("like", f"%{tag}%")}, fields=["name"], as_list=True
	)


@frappe.whitelist()
def get_link_title(doctype: str, docname: str):
	"""`frappe.desk.search.get_link_title` for readable records; any other record keeps its bare name, as
	Frappe answers for a doctype without titles (a petitioner's name is not given away by their number)."""
	from frappe.desk.search import get_link_title as frappe_get_link_title

	doctype = guard.known_doctype(doctype)
	if not isinstance(docname, str):
		refuse(qg.doctype_message(doctype))
	if not frappe.db.exists(doctype, docname) or not frappe.has_permission(doctype, "read", doc=docname):
		return docname
	return frappe_get_link_title(doctype, docname)


@frappe.whitelist()
def validate_link(doctype: str, docname: str, fields=None):
	"""`frappe.client.validate_link` (the desk's check of a typed link) that confirms a scoped record only
	to a user who may read it: any other is answered as a missing one, so the check is no oracle of what
	exists outside the user's scope. A petitioner registered elsewhere is the exception the app makes on
	proof (their full ID number, checked on save): their number is confirmed, none of their fields."""
	from frappe.client import validate_link as frappe_validate_link

	doctype = guard.known_doctype(doctype)
	if not isinstance(docname, str):
		refuse(qg.doctype_message(doctype))
	if (
		doctype in frappe.get_hooks("has_permission", app_name="xinfang_app")  # the app scopes its records
		and frappe.db.exists(doctype, docname)
		and not frappe.has_permission(doctype, "read", doc=docname)
	):
		return frappe._dict(
			name=frappe.db.get_value(doctype, docname) if doctype in LINKED_ON_PROOF else None
		)
	return frappe_validate_link(doctype, docname, fields)


# Records a user links without reading them, on a proof the save checks (Petition.validate_petitioners).
LINKED_ON_PROOF = frozenset({"Petitioner"})

# Arguments that Frappe's endpoints decode as JSON themselves; a malformed one would end in a 500 there.
JSON_ARGUMENTS = (
	"filters",
	"or_filters",
	"fields",
	"doc",
	"docs",
	"args",
	"tags",
	"names",
	"fieldname",
	"columns",
)


def check_request_arguments():
	"""before_request: a JSON argument that does not decode, or a whitelisted method called without one of
	its required arguments, is a clear 417 here, not a traceback from inside the method."""
	import json

	form = getattr(frappe.local, "form_dict", None) or {}
	for key in JSON_ARGUMENTS:
		value = form.get(key)
		if isinstance(value, str) and value.lstrip()[:1] in ("[", "{"):
			try:
				json.loads(value)
			except ValueError:
				refuse(f"参数 {key} 不是有效的 JSON，请检查后重试")
	missing = missing_arguments(form)
	if missing:
		refuse(f"缺少参数：{qg.shown('、'.join(missing))}")


def missing_arguments(form) -> list[str]:
	"""The required parameters of the whitelisted method a /api/method request names that it lacks."""
	import inspect

	request = getattr(frappe.local, "request", None)
	path = getattr(request, "path", "") or ""
	if not path.startswith("/api/method/"):
		return []
	cmd = path[len("/api/method/") :].split("/")[0]
	cmd = (frappe.get_hooks("override_whitelisted_methods", {}).get(cmd) or [cmd])[-1]
	try:
		method = frappe.get_attr(cmd) if "." in cmd else None
	except Exception:
		return []  # Frappe answers an unknown method itself
	if method is None or method not in frappe.whitelisted:
		return []
	try:
		parameters = inspect.signature(method).parameters.values()
	except (TypeError, ValueError):
		return []
	return [
		p.name
		for p in parameters
		if p.default is inspect.Parameter.empty
		and p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
		and p.name not in form
	]
