"""超期与红黄灯: petitions overdue on the day (kpi.is_overdue) and those whose light is yellow or red."""

import frappe
from frappe import _

from xinfang_app import reporting
from xinfang_app.domain import kpi_sql
from xinfang_app.lifecycle import due_sql, quote

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
	names = reporting.Names()
	rows = [row_of(row, overdue, day, names) for row, overdue in candidates(filters, day, show)]
	rows.sort(key=lambda r: (-(r["days_overdue"] or 0), r["petition"]))
	return columns(), rows, None, chart(rows)


# what the rows show; the deadline is read in SQL: for an overdue petition the one it missed
# (kpi_sql.deadline_sql), else the current one (lifecycle.due_sql, lifecycle.current_clock's twin)
FIELDS = ["name", "subject", "township", "responsible_unit", "workflow_state", "light", "lead_leader"]


def candidates(filters, day, show: str) -> list[tuple[dict, bool]]:
	"""(petition, overdue) for the reader's petitions overdue on the day or lit yellow or red, as far as
	`show` asks for them, in one read: MariaDB merges the (place, light) and (place, closed_on) index
	ranges. Overdue is decided in SQL by kpi_sql.overdue_sql, which the pure tests hold to kpi.is_overdue."""
	overdue_sql = kpi_sql.overdue_sql(day, quote)
	overdue = f"{kpi_sql.overdue_where(day, quote)} and {overdue_sql}"
	lit = ", ".join(quote(light) for light in ([show] if show in LIGHTS else LIGHTS))
	condition = {"": f"light in ({lit}) or ({overdue})", "Overdue": overdue}.get(show, f"light in ({lit})")
	due = f"date(if({overdue_sql}, {kpi_sql.deadline_sql(day, quote)}, {due_sql()})) as due"
	fields = [*FIELDS, due, f"{overdue_sql} as is_overdue"]
	rows = reporting.scoped_petitions(filters, [condition], fields)
	return [(row, bool(row.pop("is_overdue"))) for row in rows]


def row_of(row, overdue, day, names: reporting.Names):
	due = row.due
	return {
		"petition": row.name,
		"subject": row.subject,
		"township": row.township,
		"responsible_unit": row.responsible_unit,
		# shown (and exported) in the reader's language; the light's code stays for the colour
		"workflow_state": names.state(row.workflow_state),
		"light": names.state(row.light),
		"light_code": row.light,
		"due": due,
		"is_overdue": names.state("Yes") if overdue else None,
		"days_overdue": (day - due).days if overdue and due else None,
		"lead_leader": names.user(row.lead_leader),
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
	return reporting.township_chart(
		rows,
		{
			_("Yellow"): lambda r: r["light_code"] == "Yellow",
			_("Red"): lambda r: r["light_code"] == "Red",
			_("Overdue"): lambda r: r["is_overdue"],
		},
		colors=["#ECAD4B", "#E24C4C", "#7C5BBB"],
	)
