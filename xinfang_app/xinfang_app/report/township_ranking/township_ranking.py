"""乡镇办结率排名: townships ranked by 办结率, then 按期办结率, then fewest overdue (domain/kpi.rank_townships)."""

import frappe
from frappe import _

from xinfang_app import reporting
from xinfang_app.domain import kpi


def execute(filters=None):
	filters = frappe._dict(filters or {})
	period = reporting.period_from(filters)
	day = reporting.as_of(filters, period)
	rows = [row_of(r) for r in reporting.township_ranking(filters, period, day)]
	message = _("Completion rate: petitions accepted in the period and concluded by {0}").format(
		frappe.utils.formatdate(day)
	)
	return columns(), rows, message, chart(rows)


def row_of(r: kpi.TownshipRow) -> dict:
	return {
		"rank": r.rank,
		"township": r.township,
		"received": r.received,
		"accepted": r.accepted,
		"concluded": r.replied,
		"completion_rate": r.completion.value,
		"on_time_replied": reporting.rate_text(r.on_time_completion),
		"on_time_rate": r.on_time_completion.value,
		"overdue": r.overdue,
	}


def columns():
	return [
		{"fieldname": "rank", "label": _("Township Rank"), "fieldtype": "Int", "width": 70},
		{
			"fieldname": "township",
			"label": _("Township"),
			"fieldtype": "Link",
			"options": "Administrative Division",
			"width": 160,
		},
		{"fieldname": "received", "label": _("Petitions Received"), "fieldtype": "Int", "width": 110},
		{"fieldname": "accepted", "label": _("Accepted in Period"), "fieldtype": "Int", "width": 110},
		{"fieldname": "concluded", "label": _("Of Which Concluded"), "fieldtype": "Int", "width": 110},
		{
			"fieldname": "completion_rate",
			"label": "办结率 (%)",
			"fieldtype": "Float",
			"precision": 1,
			"width": 100,
		},
		{
			"fieldname": "on_time_replied",
			"label": _("Replied On Time / Replied"),
			"fieldtype": "Data",
			"width": 140,
		},
		{
			"fieldname": "on_time_rate",
			"label": "按期办结率 (%)",
			"fieldtype": "Float",
			"precision": 1,
			"width": 120,
		},
		{"fieldname": "overdue", "label": _("Overdue Now"), "fieldtype": "Int", "width": 100},
	]


def chart(rows):
	return {
		"data": {
			"labels": [row["township"] for row in rows],
			"datasets": [
				{"name": "办结率", "values": [row["completion_rate"] or 0 for row in rows]},
				{"name": "按期办结率", "values": [row["on_time_rate"] or 0 for row in rows]},
			],
		},
		"type": "bar",
	}
