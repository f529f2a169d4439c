"""Give sites installed before the backlog settings existed their defaults (a new field of a Single gets no
default on migrate): 90 days, matters assigned from above included. A value already set is left alone."""

import frappe

SETTINGS = "Xinfang Settings"


def execute():
	if not frappe.get_meta(SETTINGS).has_field("backlog_days"):
		return
	singles = frappe.qb.DocType("Singles")
	stored = (
		frappe.qb.from_(singles)
		.select(singles.value)
		.where((singles.doctype == SETTINGS) & (singles.field == "backlog_days"))
		.run(pluck=True)
	)
	if stored and stored[0] not in (None, "", "0"):
		return
	frappe.db.set_single_value(
		SETTINGS, {"backlog_days": 90, "backlog_includes_assigned_from_above": 1}, update_modified=False
	)
