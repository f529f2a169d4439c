"""信访形势: petitions received by category, township, channel or month, with 环比 and 同比 changes."""

import frappe
from frappe import _

from xinfang_app import reporting
from xinfang_app.domain import kpi

GROUPS = {"category": "Matter Category", "township": "Township", "channel": "Channel", "month": "Month"}
MONTHS_SHOWN = 12


def execute(filters=None):
	filters = frappe._dict(filters or {})
	group = filters.get("group_by") or "category"
	if group not in GROUPS:
		frappe.throw(_("Group by one of: {0}").format(", ".join(GROUPS)), reporting.ReportFilterError)
	period = reporting.month_from(filters)
	try:
		rows = by_month(filters, period) if group == "month" else by_key(filters, period, group)
	except kpi.KpiError as error:
		reporting.throw_kpi_error(error)
	return columns(group), rows, None, chart(rows, group)


def by_key(filters, period, group):
	table = reporting.situation(filters, period, group)
	rows = [row_of(r.key if r.key is not None else _("Not Set"), r) for r in table.rows]
	rows.append({**row_of(_("Total"), table.total), "is_total": 1})
	return rows


def row_of(key, r):
	return {
		"key": key,
		"current": r.current,
		"previous_month": r.previous_month,
		"same_month_last_year": r.same_month_last_year,
		"month_on_month": r.month_on_month,
		"year_on_year": r.year_on_year,
	}


def by_month(filters, period):
	"""The twelve months up to the chosen one, each against the month before and the same month a year earlier."""
	first = kpi.Period.month(period.start.year, period.start.month)
	months = [first]
	for _i in range(MONTHS_SHOWN - 1):
		months.insert(0, kpi.previous_month(months[0]))
	earliest = kpi.same_period_last_year(months[0]).start
	counts = reporting.received_counts(filters, kpi.Period(earliest, period.end), kpi.MONTH)
	rows = []
	for month in months:
		key = f"{month.start.year:04d}-{month.start.month:02d}"
		before = kpi.previous_month(month).start
		year_ago = kpi.same_period_last_year(month).start
		current = counts[key]
		previous = counts.get(f"{before.year:04d}-{before.month:02d}", 0)
		last_year = counts.get(f"{year_ago.year:04d}-{year_ago.month:02d}", 0)
		rows.append(
			{
				"key": key,
				"current": current,
				"previous_month": previous,
				"same_month_last_year": last_year,
				"month_on_month": kpi.change(current, previous),
				"year_on_year": kpi.change(current, last_year),
			}
		)
	return rows


def columns(group):
	return [
		{"fieldname": "key", "label": _(GROUPS[group]), "fieldtype": "Data", "width": 180},
		{"fieldname": "current", "label": _("Petitions Received"), "fieldtype": "Int", "width": 120},
		{"fieldname": "previous_month", "label": _("Previous Month"), "fieldtype": "Int", "width": 110},
		{
			"fieldname": "month_on_month",
			"label": _("Month-on-Month Change (%)"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 150,
		},
		{
			"fieldname": "same_month_last_year",
			"label": _("Same Month Last Year"),
			"fieldtype": "Int",
			"width": 130,
		},
		{
			"fieldname": "year_on_year",
			"label": _("Year-on-Year Change (%)"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 150,
		},
	]


def chart(rows, group):
	shown = [row for row in rows if not row.get("is_total")]
	return {
		"data": {
			"labels": [row["key"] for row in shown],
			"datasets": [
				{"name": _("Petitions Received"), "values": [row["current"] for row in shown]},
				{"name": _("Same Month Last Year"), "values": [row["same_month_last_year"] for row in shown]},
			],
		},
		"type": "line" if group == "month" else "bar",
	}
