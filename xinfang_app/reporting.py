"""What every report of the app shares: reading petitions within the reader's scope, the period and division
filters, and the counts of the KPI core (domain/kpi.py), taken in the database by its SQL twin
(domain/kpi_sql.py) so that a report at a city's scale reads sums, not every petition.

Every read goes through frappe.get_list, so role permissions, User Permissions and the app's
permission_query_conditions (permissions.petition_query) apply: a report shows only what its reader may see.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import frappe
from frappe import _
from frappe.utils import get_first_day, getdate, today

from xinfang_app.domain import access, kpi, kpi_sql
from xinfang_app.domain.backlog import BacklogError, BacklogRule
from xinfang_app.lifecycle import quote
from xinfang_app.permissions import get_scope, tree_condition

TOWNSHIP_LEVELS = ("Township", "Subdistrict")
DIVISION = "Administrative Division"


class ReportFilterError(frappe.ValidationError):
	pass


def throw_kpi_error(error: kpi.KpiError | BacklogError):
	frappe.throw(error.message_zh, ReportFilterError)


def period_from(filters, default_start: dt.date | None = None) -> kpi.Period:
	"""from_date/to_date, default this month up to today."""
	start = getdate(filters.get("from_date") or default_start or get_first_day(today()))
	end = getdate(filters.get("to_date") or today())
	try:
		return kpi.Period(start, end)
	except kpi.KpiError as error:
		throw_kpi_error(error)


def month_from(filters) -> kpi.Period:
	"""The calendar month containing filters.month (any day of it), default this month."""
	day = getdate(filters.get("month") or today())
	return kpi.Period.month(day.year, day.month)


def as_of(filters, period: kpi.Period | None = None) -> dt.date:
	"""The day overdue counts and backlog are read on: the period's end, never after today."""
	day = getdate(filters.get("as_of") or (period.end if period else today()))
	return min(day, getdate(today()))


def division_condition(filters, doctype: str | None = None) -> list:
	"""The division filter of a report: records in that division or under it, matched as the place scope
	is (permissions.place_condition): a stamped city/county/township column where `doctype` has it, else
	Frappe's descendants filter."""
	division = filters.get("division")
	if not division:
		return []
	node = frappe.db.get_value(DIVISION, division, "division_level", as_dict=True)
	column = access.PLACE_COLUMNS.get(node.division_level) if node else None
	if column in access.STAMPED_PLACES.get(doctype, ()):
		return [[column, "=", division]]
	return [["division", "descendants of (inclusive)", division]]


def scoped_filters(filters, conditions: list | None = None, doctype: str = "Petition") -> list:
	"""get_list filters of `doctype`: the division filter and `conditions`, which are get_list filters or
	SQL text built from server-side values only (never client text). The SQL goes last, in one string:
	get_list takes a list that starts with strings for a list of fields."""
	structured = [c for c in conditions or () if not isinstance(c, str)]
	sql = [f"({c})" for c in conditions or () if isinstance(c, str)]
	return [
		*division_condition(filters, doctype=doctype),
		*structured,
		*([" and ".join(sql)] if sql else []),
	]


def scoped_petitions(filters, conditions: list, fields: list[str], as_list: bool = False) -> list:
	"""The reader's petitions under the division filter, through get_list (their scope applies), in no
	particular order (the reports sort what they show); as tuples of `fields` with as_list."""
	return frappe.get_list(
		"Petition",
		fields=fields,
		filters=scoped_filters(filters, conditions),
		order_by="",
		as_list=as_list,
		limit_page_length=0,
	)


def scoped_sums(
	filters, parts: list[kpi_sql.RangedSums], group_by: str | None = None, doctype: str = "Petition"
) -> dict:
	"""Each part's sums among the reader's records of `doctype` (petitions) under the division filter,
	added up: {name: count}, or by the value of the field `group_by` ({value: {name: count}}). Read
	through frappe.get_list, so the reader's scope applies; the parts' SQL is built from server-side
	values only (kpi_sql with frappe.db.escape), never from client text."""
	totals: dict = {}
	for part in parts:
		names = list(part.sums)
		rows = frappe.get_list(
			doctype,
			fields=[*([group_by] if group_by else []), *(f"sum({expr})" for expr in part.sums.values())],
			filters=scoped_filters(filters, [part.where], doctype),
			group_by=group_by,
			order_by="",
			as_list=True,
			limit_page_length=0,
		)
		for row in rows:
			key, values = (row[0], row[1:]) if group_by else (None, row)
			bucket = totals.setdefault(key, {})
			for name, value in zip(names, values, strict=True):
				bucket[name] = bucket.get(name, 0) + int(value or 0)
	return totals if group_by else totals.get(None, {})


def kpi_counts(filters, period: kpi.Period, day: dt.date, group_by: str | None = None) -> dict:
	"""kpi.kpi_counts of the reader's petitions, counted in the database (domain/kpi_sql.py), or by the
	value of `group_by` (e.g. township)."""
	parts = kpi_sql.kpi_parts(period, day, quote)
	# Petitions closed in the period that had a 复查 are not resolved the first time. Their names (only
	# names, used to count among the reader's own) are read across scopes, as a review may be anyone's.
	reviewed = frappe.db.sql_list(
		"""select distinct r.petition from `tabPetition Review` r join `tabPetition` p on p.name = r.petition
		where r.review_type = '复查' and p.closed_on between %s and %s""",
		(period.start, period.end),
	)
	if reviewed:
		parts.append(kpi_sql.reviewed_part(period, reviewed, quote))
	sums = scoped_sums(filters, parts, group_by)
	if group_by:
		return {key: kpi_sql.settle(counts) for key, counts in sums.items()}
	return kpi_sql.settle(sums)


def received_counts(filters, period: kpi.Period, group_by: str) -> dict:
	"""Petitions received in the period by category, channel, township or month (kpi.count_by's keys and
	order), counted in the database among the reader's petitions."""
	if group_by == kpi.MONTH:
		field = "year(received_on) * 100 + month(received_on)"
	elif group_by in kpi.GROUP_KEYS:
		field = group_by
	else:
		frappe.throw(_("Group by one of: {0}").format(", ".join(kpi.GROUP_KEYS)), ReportFilterError)
	rows = frappe.get_list(
		"Petition",
		fields=[f"{field} as group_key", "count(*)"],
		filters=scoped_filters(filters, [["received_on", "between", [period.start, period.end]]]),
		group_by="group_key",
		order_by="",
		as_list=True,
		limit_page_length=0,
	)
	if group_by == kpi.MONTH:
		months = {f"{int(k) // 100:04d}-{int(k) % 100:02d}": n for k, n in rows if k is not None}
		return kpi.monthly(months, period)
	counts: dict = {}
	for key, n in rows:
		key = (str(key).strip() or None) if key is not None else None
		counts[key] = counts.get(key, 0) + n
	return kpi.ordered_counts(counts)


def situation(filters, period: kpi.Period, group_by: str) -> kpi.SituationTable:
	"""The situation table (kpi.situation_table) of the reader's petitions, counted in the database."""
	return kpi.situation_from_counts(
		period,
		received_counts(filters, period, group_by),
		received_counts(filters, kpi.previous_month(period), group_by),
		received_counts(filters, kpi.same_period_last_year(period), group_by),
	)


def township_ranking(filters, period: kpi.Period, day: dt.date) -> list[kpi.TownshipRow]:
	"""The township ranking (kpi.rank_townships) of the reader's petitions, counted in the database; every
	township in scope is listed. Petitions without a township are left out."""
	counts = kpi_counts(filters, period, day, group_by="township")
	counts.pop(None, None)
	counts.pop("", None)
	return kpi.rank_townships(counts, townships_in_scope(filters))


def townships_in_scope(filters) -> list[str]:
	"""Townships the reader may see under the division filter, so a township without petitions is listed."""
	return [d.name for d in divisions_in_scope(filters.get("division"), TOWNSHIP_LEVELS)]


def divisions_in_scope(division: str | None = None, levels: tuple[str, ...] = ()) -> list[frappe._dict]:
	"""The reader's part of the tree (name, parent, level), in tree order: the divisions of their places
	and all under them (the division alone where the permission hides descendants), cut to `division` and
	what lies under it, and to `levels` when given. Read by the tree's lft/rgt ranges: Frappe's own User
	Permission check on the tree would put every division under the reader's place into the query."""
	conditions = []
	if division:
		node = frappe.db.get_value(DIVISION, division, ["lft", "rgt"], as_dict=True)
		if not node:
			frappe.throw(_("Unknown division {0}").format(division), ReportFilterError)
		conditions.append(f"lft >= {int(node.lft)} and rgt <= {int(node.rgt)}")
	if levels:
		conditions.append(f"division_level in ({', '.join(quote(level) for level in levels)})")
	scope = get_scope()
	if not scope.unrestricted:
		if not scope.places:
			return []
		conditions.append(tree_condition(scope.places))
	# no values: the SQL is whole, its literals escaped without doubling a % (as permissions writes them)
	return frappe.db.sql(
		f"""select name, parent_administrative_division as parent, division_level as level
		from `tabAdministrative Division` where {" and ".join(conditions) or "1=1"} order by lft""",
		as_dict=True,
	)


def backlog_rule() -> BacklogRule:
	try:
		return BacklogRule.from_mapping(frappe.get_cached_doc("Xinfang Settings").as_dict())
	except BacklogError as error:
		throw_kpi_error(error)


def rate_value(rate: kpi.Rate) -> float | None:
	return rate.value


def rate_text(rate: kpi.Rate) -> str:
	return f"{rate.numerator}/{rate.denominator}"


def scope_label(filters, user: str | None = None) -> str:
	"""The scope a figure covers, for titles: the division filter, else the reader's own places."""
	if filters.get("division"):
		return filters.get("division")
	from xinfang_app.permissions import get_scope

	scope = get_scope(user)
	if scope.unrestricted:
		return _("All Divisions")
	top = frappe.get_all(
		"Administrative Division",
		filters={"name": ("in", list(scope.place_names) or [""])},
		fields=["name", "lft", "rgt"],
		order_by="lft asc",
	)
	roots = [row.name for row in top if not any(o.lft < row.lft and row.rgt < o.rgt for o in top)]
	return "、".join(roots + sorted(scope.units)) or _("No Scope")


def user_name(user: str | None) -> str | None:
	"""A person as readers know them: their full name, not their login."""
	return frappe.utils.get_fullname(user) if user else None


def rows_with_total(counted: list, row_of: Callable[[Any, str], dict], key: str) -> list[dict]:
	"""Report rows of a count whose last row is the total (dispute_stats' tables): each group labelled by
	its `key` (Not Set where blank, never the total's label), the total labelled Total and marked is_total
	(what charts and the benchmark leave out)."""
	rows = [row_of(r, getattr(r, key) or _("Not Set")) for r in counted[:-1]]
	if counted:
		rows.append({**row_of(counted[-1], _("Total")), "is_total": 1})
	return rows


def township_chart(rows: list[dict], datasets: dict, **options) -> dict:
	"""A bar chart of report rows by township (blank: Not Set), one dataset per test of `datasets`
	({label: test(row)}), counted in one pass over the rows."""
	not_set = _("Not Set")
	counts = {label: Counter() for label in datasets}
	for row in rows:
		township = row["township"] or not_set
		for label, test in datasets.items():
			counts[label][township] += 1 if test(row) else 0
	townships = sorted({row["township"] or not_set for row in rows})
	return {
		"data": {
			"labels": townships,
			"datasets": [
				{"name": label, "values": [counts[label][t] for t in townships]} for label in datasets
			],
		},
		"type": "bar",
		**options,
	}


class Names:
	"""What a report with many rows shows of a few values again and again, looked up once each: a word (a
	state, a light) in the reader's language, a person by their full name."""

	def __init__(self):
		self.states: dict = {}
		self.users: dict = {}

	def state(self, state: str | None) -> str | None:
		if state not in self.states:
			self.states[state] = _(state) if state else None
		return self.states[state]

	def user(self, user: str | None) -> str | None:
		if user not in self.users:
			self.users[user] = user_name(user)
		return self.users[user]


@frappe.whitelist()
@frappe.read_only()
def export_query():
	"""Frappe's export of a query report, its file named and its sheet titled in the reader's language
	(Frappe calls every sheet "Query Report" and names the file after the report's English name)."""
	from io import BytesIO

	from frappe.desk.query_report import export_query as frappe_export_query
	from openpyxl import load_workbook

	frappe_export_query()
	response = frappe.response
	if response.get("type") != "binary" or not str(response.get("filename", "")).endswith(".xlsx"):
		return
	title = _(frappe.form_dict.report_name or "")
	workbook = load_workbook(BytesIO(response["filecontent"]))
	workbook.active.title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or workbook.active.title
	content = BytesIO()
	workbook.save(content)
	response["filecontent"] = content.getvalue()
	response["filename"] = f"{title}.xlsx"
