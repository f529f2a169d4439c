"""周排查汇总: each division of the reader's scope, village → township → county, with the ledger
entries found and resolved in the week and those on the ledger at its end by tier (三级清单)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import getdate

from xinfang_app import reporting
from xinfang_app.domain import ledger as lg


def execute(filters=None):
	filters = frappe._dict(filters or {})
	start, end = period(filters)
	rows = lg.weekly_rollup(visible_divisions(filters.get("division")), ledger_entries(end), start, end)
	data = [row_dict(row) for row in rows]
	return columns(), data, None, chart(rows), summary(rows, start, end)


def period(filters) -> tuple:
	if filters.get("from_date") or filters.get("to_date"):
		if not (filters.get("from_date") and filters.get("to_date")):
			frappe.throw(_("Give both From Date and To Date, or a screening week"))
		start, end = getdate(filters.from_date), getdate(filters.to_date)
		if start > end:
			frappe.throw(_("From Date must not be after To Date"))
		return start, end
	week = filters.get("week") or lg.screening_week(getdate())
	try:
		return lg.week_bounds(week)
	except lg.LedgerError as error:
		frappe.throw(error.message_zh)


def visible_divisions(division: str | None) -> list[lg.Division]:
	"""The reader's part of the tree (a township officer: their township), cut to the chosen division."""
	return [lg.Division(d.name, d.parent, d.level) for d in reporting.divisions_in_scope(division)]


def ledger_entries(end) -> list[lg.Entry]:
	"""Entries the reader may read (list permissions apply), found by the end of the period."""
	rows = frappe.get_list(
		"Dispute Ledger Entry",
		filters={"found_on": ("<=", end)},
		fields=["division", "found_on", "tier", "resolved_on", "closed_on"],
		limit_page_length=0,
		order_by="found_on",
	)
	return [
		lg.Entry(
			row.division,
			getdate(row.found_on),
			row.tier,
			getdate(row.resolved_on) if row.resolved_on else None,
			getdate(row.closed_on) if row.closed_on else None,
		)
		for row in rows
	]


def columns() -> list[dict]:
	return [
		{
			"fieldname": "division",
			"label": _("Division"),
			"fieldtype": "Link",
			"options": "Administrative Division",
			"width": 220,
		},
		{"fieldname": "division_level", "label": _("Division Level"), "fieldtype": "Data", "width": 90},
		{"fieldname": "new", "label": _("Found This Week"), "fieldtype": "Int", "width": 110},
		{"fieldname": "resolved", "label": _("Resolved This Week"), "fieldtype": "Int", "width": 110},
		{"fieldname": "tier_1", "label": _("On Ledger: Tier 1"), "fieldtype": "Int", "width": 120},
		{"fieldname": "tier_2", "label": _("On Ledger: Tier 2"), "fieldtype": "Int", "width": 120},
		{"fieldname": "tier_3", "label": _("On Ledger: Tier 3"), "fieldtype": "Int", "width": 120},
		{"fieldname": "open_total", "label": _("On Ledger"), "fieldtype": "Int", "width": 90},
	]


def row_dict(row: lg.SummaryRow) -> dict:
	return {
		"division": row.division,
		"parent_division": row.parent,
		"indent": row.indent,
		"division_level": _(row.level),
		"new": row.new,
		"resolved": row.resolved,
		"tier_1": row.open_by_tier["一级"],
		"tier_2": row.open_by_tier["二级"],
		"tier_3": row.open_by_tier["三级"],
		"open_total": row.open_total,
	}


def chart(rows: list[lg.SummaryRow]) -> dict | None:
	"""One bar group per division one level below the top of the reader's tree (townships for a county)."""
	if not rows:
		return None
	top = min(row.indent for row in rows)
	level = top + 1 if any(row.indent == top + 1 for row in rows) else top
	shown = [row for row in rows if row.indent == level]
	return {
		"data": {
			"labels": [row.division for row in shown],
			"datasets": [
				{"name": _("Found This Week"), "values": [row.new for row in shown]},
				{"name": _("Resolved This Week"), "values": [row.resolved for row in shown]},
				{"name": _("On Ledger"), "values": [row.open_total for row in shown]},
			],
		},
		"type": "bar",
	}


def summary(rows: list[lg.SummaryRow], start, end) -> list[dict]:
	roots = [row for row in rows if row.parent is None]
	total = lambda attr: sum(getattr(row, attr) for row in roots)  # noqa: E731
	tiers = {tier: sum(row.open_by_tier[tier] for row in roots) for tier in lg.TIERS}
	return [
		{"label": _("Screening Period"), "value": f"{start} ~ {end}", "datatype": "Data"},
		{"label": _("Found This Week"), "value": total("new"), "datatype": "Int", "indicator": "Blue"},
		{
			"label": _("Resolved This Week"),
			"value": total("resolved"),
			"datatype": "Int",
			"indicator": "Green",
		},
		{"label": _("On Ledger: Tier 1"), "value": tiers["一级"], "datatype": "Int"},
		{"label": _("On Ledger: Tier 2"), "value": tiers["二级"], "datatype": "Int", "indicator": "Orange"},
		{"label": _("On Ledger: Tier 3"), "value": tiers["三级"], "datatype": "Int", "indicator": "Red"},
	]
