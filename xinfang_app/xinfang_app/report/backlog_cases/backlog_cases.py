"""积案: open petitions older than the backlog threshold or assigned from above (domain/backlog.py), with
the leader who owns each (包案领导) and the state of their case assignment."""

import frappe
from frappe import _

from xinfang_app import reporting
from xinfang_app.lifecycle import quote

FIELDS = [
	"name",
	"subject",
	"township",
	"channel",
	"received_on",
	"workflow_state",
	"lead_leader",
]
CHANNEL = FIELDS.index("channel")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	day = reporting.as_of(filters)
	rule = reporting.backlog_rule()
	cases = []
	for part in rule.sql_parts(day, quote):  # the backlog cases, read in SQL with their reasons
		for row in reporting.scoped_petitions(filters, [part.condition], FIELDS, as_list=True):
			cases.append((row, rule.reasons_in(part, row[CHANNEL])))
	assignments = latest_assignments({row[0] for row, _reasons in cases})
	names = reporting.Names()
	rows = [row_of(row, reasons, day, assignments.get(row[0]), names) for row, reasons in cases]
	if filters.get("leader"):
		rows = [row for row in rows if row["lead_leader"] == filters.leader]
	if filters.get("without_leader"):
		rows = [row for row in rows if not row["lead_leader"]]
	rows.sort(key=lambda r: (-(r["days_open"] or 0), r["petition"]))
	message = _("Backlog: open more than {0} days").format(rule.threshold_days)
	if rule.include_assigned_from_above:
		message += _(", or assigned from above")
	return columns(), rows, message, chart(rows)


def latest_assignments(petitions: set[str]) -> dict:
	"""The newest leader case assignment of each petition, read through get_list (the reader's scope): all
	the reader's assignments in one read, far fewer than their petitions, rather than lists of names."""
	found = {}
	if not petitions:
		return found
	for row in frappe.get_list(
		"Leader Case Assignment",
		filters=[["petition", "is", "set"]],
		fields=["name", "petition", "leader", "leader_level", "target_date", "status", "modified"],
		order_by="assigned_on desc, creation desc",
		limit_page_length=0,
	):
		if row.petition in petitions:
			found.setdefault(row.petition, row)
	if found:
		progress = frappe.get_all(
			"Leader Case Progress",
			filters={
				"parent": ("in", [a.name for a in found.values()]),
				"parenttype": "Leader Case Assignment",
			},
			fields=["parent", "progress", "progress_date"],
			order_by="progress_date desc, idx desc",
		)
		latest = {}
		for row in progress:
			latest.setdefault(row.parent, row)
		for assignment in found.values():
			entry = latest.get(assignment.name)
			assignment.last_progress = f"{entry.progress_date} {entry.progress}" if entry else None
	return found


def row_of(row: tuple, reasons, day, assignment, names: reporting.Names):
	name, subject, township, channel, received_on, state, lead_leader = row
	# states in the reader's language, on screen and in the export
	return {
		"petition": name,
		"subject": subject,
		"township": township,
		"channel": channel,
		"received_on": received_on,
		"days_open": (day - received_on).days if received_on else None,
		"reasons": "、".join(reasons),
		"workflow_state": names.state(state),
		"lead_leader": names.user((assignment.leader if assignment else None) or lead_leader),
		"assignment": assignment.name if assignment else None,
		"leader_level": assignment.leader_level if assignment else None,
		"target_date": assignment.target_date if assignment else None,
		"assignment_status": assignment.status if assignment else None,
		"last_progress": assignment.last_progress if assignment else None,
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
		{"fieldname": "subject", "label": _("Petition Subject"), "fieldtype": "Data", "width": 200},
		{
			"fieldname": "township",
			"label": _("Township"),
			"fieldtype": "Link",
			"options": "Administrative Division",
			"width": 110,
		},
		{"fieldname": "channel", "label": _("Channel"), "fieldtype": "Data", "width": 90},
		{"fieldname": "received_on", "label": _("Received On"), "fieldtype": "Date", "width": 100},
		{"fieldname": "days_open", "label": _("Days Open"), "fieldtype": "Int", "width": 80},
		{"fieldname": "reasons", "label": _("Why a Backlog Case"), "fieldtype": "Data", "width": 160},
		{"fieldname": "workflow_state", "label": _("Petition State"), "fieldtype": "Data", "width": 110},
		{"fieldname": "lead_leader", "label": _("Lead Leader"), "fieldtype": "Data", "width": 110},
		{"fieldname": "leader_level", "label": _("Leader Level"), "fieldtype": "Data", "width": 80},
		{
			"fieldname": "assignment",
			"label": _("Leader Case Assignment"),
			"fieldtype": "Link",
			"options": "Leader Case Assignment",
			"width": 130,
		},
		{"fieldname": "target_date", "label": _("Case Target Date"), "fieldtype": "Date", "width": 100},
		{"fieldname": "assignment_status", "label": _("Case Status"), "fieldtype": "Data", "width": 80},
		{"fieldname": "last_progress", "label": _("Latest Progress"), "fieldtype": "Data", "width": 220},
	]


def chart(rows):
	return reporting.township_chart(
		rows,
		{
			_("With Lead Leader"): lambda r: r["lead_leader"],
			_("Without Lead Leader"): lambda r: not r["lead_leader"],
		},
		barOptions={"stacked": 1},
	)
