"""超期与红黄灯: petitions overdue on the day (kpi.is_overdue) and those whose light is yellow or red."""

import frappe
from frappe import _
from frappe.utils import date_diff

from xinfang_app import reporting
from xinfang_app.domain import kpi
from xinfang_app.lifecycle import current_clock

SHOW = ("", "Overdue", "Red", "Yellow")
LIGHTS = ("Yellow", "Red")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	show = filters.get("show") or ""
	if show not in SHOW:
		frappe.throw(
			_("Show one of: {0}").format(", ".join(s for s in SHOW if s)), reporting.ReportFilterError
		)
	day = reporting.as_of(filters)
	fields = [*reporting.FACT_FIELDS, "subject", "responsible_unit", "lead_leader"]
	rows = []
	for row in reporting.scoped_petitions(filters, fields=fields):
		overdue = kpi.is_overdue(kpi.PetitionFacts.from_mapping(row), day)
		if not (overdue or row.light in LIGHTS):
			continue
		if (show == "Overdue" and not overdue) or (show in LIGHTS and row.light != show):
			continue
		rows.append(row_of(row, overdue, day))
	rows.sort(key=lambda r: (-(r["days_overdue"] or 0), r["petition"]))
	return columns(), rows, None, chart(rows)


def row_of(row, overdue, day):
	_start, due = current_clock(row)
	return {
		"petition": row.name,
		"subject": row.subject,
		"township": row.township,
		"responsible_unit": row.responsible_unit,
		# shown (and exported) in the reader's language; the light's code stays for the colour
		"workflow_state": _(row.workflow_state),
		"light": _(row.light) if row.light else None,
		"light_code": row.light,
		"due": due,
		"is_overdue": _("Yes") if overdue else None,
		"days_overdue": date_diff(day, due) if overdue and due else None,
		"lead_leader": reporting.user_name(row.lead_leader),
	}


def columns():
	return [
		{
			"fieldname": "petition",
			"label": _("Petition"),
			"fieldtype": "Link",
			"options": "Petition",
			"width": 140,
		},
		{"fieldname": "subject", "label": _("Petition Subject"), "fieldtype": "Data", "width": 220},
		{
			"fieldname": "township",
			"label": _("Township"),
			"fieldtype": "Link",
			"options": "Administrative Division",
			"width": 120,
		},
		{
			"fieldname": "responsible_unit",
			"label": _("Responsible Unit"),
			"fieldtype": "Link",
			"options": "Government Unit",
			"width": 150,
		},
		{"fieldname": "workflow_state", "label": _("Petition State"), "fieldtype": "Data", "width": 110},
		{"fieldname": "light", "label": _("Light"), "fieldtype": "Data", "width": 70},
		{"fieldname": "due", "label": _("Current Deadline"), "fieldtype": "Date", "width": 110},
		{"fieldname": "is_overdue", "label": _("Overdue"), "fieldtype": "Data", "width": 70},
		{"fieldname": "days_overdue", "label": _("Days Overdue"), "fieldtype": "Int", "width": 90},
		{"fieldname": "lead_leader", "label": _("Lead Leader"), "fieldtype": "Data", "width": 110},
	]


def chart(rows):
	townships = sorted({row["township"] or _("Not Set") for row in rows})

	def count(test):
		return [
			sum(1 for row in rows if (row["township"] or _("Not Set")) == t and test(row)) for t in townships
		]

	return {
		"data": {
			"labels": townships,
			"datasets": [
				{"name": _("Yellow"), "values": count(lambda r: r["light_code"] == "Yellow")},
				{"name": _("Red"), "values": count(lambda r: r["light_code"] == "Red")},
				{"name": _("Overdue"), "values": count(lambda r: r["is_overdue"])},
			],
		},
		"type": "bar",
		"colors": ["#ECAD4B", "#E24C4C", "#7C5BBB"],
	}
