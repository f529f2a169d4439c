"""Whitelisted methods that replace Frappe's where Frappe v15 skips a permission check."""

from __future__ import annotations

import frappe
from frappe.client import get_safe_filters


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug: bool = False, cache: bool = False) -> int:
	"""`frappe.client.get_count` with permissions.

	Frappe v15's version counts with `frappe.db.count`, which applies neither role permissions nor
	row-level scope: any logged-in user could count (and so probe) another village's petitions.
	Counting through `frappe.get_list` applies the same rules as listing.
	"""
	rows = frappe.get_list(
		doctype,
		filters=get_safe_filters(filters),
		fields=["count(*) as total"],
		as_list=True,
		order_by="",
		debug=debug,
	)
	return rows[0][0] if rows else 0


@frappe.whitelist()
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
	"""`dashboard_chart.get` without the shared result cache for the app's charts.

	Frappe v15 caches a chart's figures under the chart's name alone, so the first reader's figures (a
	county leader's) would be served to every later reader (a township's). The app's charts are computed
	for each reader through frappe.get_list, i.e. within their scope; other apps' charts keep the cache.
	"""
	import inspect

	from frappe.desk.doctype.dashboard_chart import dashboard_chart

	kwargs = dict(
		chart_name=chart_name,
		chart=chart,
		no_cache=no_cache,
		filters=filters,
		from_date=from_date,
		to_date=to_date,
		timespan=timespan,
		time_interval=time_interval,
		heatmap_year=heatmap_year,
		refresh=refresh,
	)
	module = frappe.db.get_value("Dashboard Chart", chart_name, "module") if chart_name else None
	if module == "Xinfang App":
		# As Frappe's cache wrapper does: the desk sends empty strings for unset dates and filters.
		uncached = {key: value or None for key, value in kwargs.items() if key not in ("no_cache", "refresh")}
		return inspect.unwrap(dashboard_chart.get)(**uncached)
	return dashboard_chart.get(**kwargs)
