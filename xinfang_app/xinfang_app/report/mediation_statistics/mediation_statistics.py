"""调解统计: mediation cases accepted in the period and 化解率 by committee, within the reader's scope."""

import frappe
from frappe import _

from xinfang_app import reporting
from xinfang_app.domain import dispute_stats as ds


def execute(filters=None):
	filters = frappe._dict(filters or {})
	period = reporting.period_from(filters)
	cases = frappe.get_list(
		"Mediation Case",
		fields=["committee", "result", "performance", "accepted_on"],
		filters=[
			*reporting.division_condition(filters, doctype="Mediation Case"),
			["accepted_on", "between", [period.start, period.end]],
		],
		limit_page_length=0,
	)
	committee_types = dict(
		frappe.get_all("Mediation Committee", fields=["name", "committee_type"], as_list=True)
	)
	counted = ds.mediation_by_committee(cases, period)
	rows = reporting.rows_with_total(counted, lambda r, label: row_of(r, label, committee_types), "committee")
	return columns(), rows, None, chart(rows[:-1][:15])


def row_of(r: ds.CommitteeRow, label: str, committee_types: dict) -> dict:
	return {
		"committee": label,
		"committee_type": committee_types.get(r.committee, ""),
		"cases": r.cases,
		"succeeded": r.succeeded,
		"failed": r.failed,
		"terminated": r.terminated,
		"in_progress": r.in_progress,
		"mediation_rate": r.mediation_rate.value,
		"performed": r.performed,
	}


def columns():
	return [
		{"fieldname": "committee", "label": _("Mediation Committee"), "fieldtype": "Data", "width": 240},
		{"fieldname": "committee_type", "label": _("Committee Type"), "fieldtype": "Data", "width": 140},
		{"fieldname": "cases", "label": _("Cases Accepted"), "fieldtype": "Int", "width": 100},
		{"fieldname": "succeeded", "label": "调解成功", "fieldtype": "Int", "width": 90},
		{"fieldname": "failed", "label": "调解不成", "fieldtype": "Int", "width": 90},
		{"fieldname": "terminated", "label": "终止", "fieldtype": "Int", "width": 70},
		{"fieldname": "in_progress", "label": _("Mediation In Progress"), "fieldtype": "Int", "width": 90},
		{
			"fieldname": "mediation_rate",
			"label": "化解率 (%)",
			"fieldtype": "Float",
			"precision": 1,
			"width": 100,
		},
		{"fieldname": "performed", "label": _("Agreements Performed"), "fieldtype": "Int", "width": 110},
	]


def chart(rows):
	return {
		"data": {
			"labels": [row["committee"] for row in rows],
			"datasets": [
				{"name": "调解成功", "values": [row["succeeded"] for row in rows]},
				{"name": "调解不成", "values": [row["failed"] for row in rows]},
				{"name": _("Mediation In Progress"), "values": [row["in_progress"] for row in rows]},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
	}
