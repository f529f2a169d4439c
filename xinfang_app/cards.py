"""Number cards of the workbench (信访工作台) that a plain count cannot express; each reads the viewer's
petitions through reporting (frappe.get_list), so a card shows the viewer's scope only."""

from __future__ import annotations

import datetime as dt

import frappe
from frappe.utils import getdate, today

from xinfang_app import reporting
from xinfang_app.domain import kpi, kpi_sql
from xinfang_app.lifecycle import quote
from xinfang_app.query_guard import check


def concluded_in_month(day: dt.date) -> int:
	"""本月办结: petitions concluded (kpi.is_concluded) by `day` that were not yet concluded when the month began.

	Counted in the database (domain/kpi_sql.py writes the rule as SQL), in two disjoint parts a (place,
	date closed) and a (place, date replied) index range over, through reporting.scoped_sums (the
	reader's scope applies)."""
	return reporting.scoped_sums({}, kpi_sql.month_concluded_parts(day, quote)).get("concluded", 0)


def resolution_rate(day: dt.date) -> kpi.Rate:
	"""本年办结率 (the card named 化解率): 办结率 (kpi.completion_rate) of the petitions accepted this year,
	concluded by `day`: numerator and denominator counted in the database, the rate rounded by kpi.Rate."""
	year = kpi.Period(dt.date(day.year, 1, 1), day)
	counts = reporting.scoped_sums({}, [kpi_sql.completion_part(year, day, quote)])
	return kpi.Rate(counts.get("concluded", 0), counts.get("accepted", 0))


@frappe.whitelist()
@frappe.read_only()
def month_concluded_card(filters: str | dict | list | None = None) -> dict:
	# The card's figure ignores filters; they are still refused unless structured petition filters.
	check("Petition", filters)
	return {
		"value": concluded_in_month(getdate(today())),
		"fieldtype": "Int",
		"route": ["query-report", "Petition KPIs"],
	}


@frappe.whitelist()
@frappe.read_only()
def resolution_rate_card(filters: str | dict | list | None = None) -> dict:
	check("Petition", filters)
	rate = resolution_rate(getdate(today()))
	return {
		"value": rate.value or 0,
		"fieldtype": "Percent",
		"route": ["query-report", "Township Ranking"],
	}
