"""领导接访统计: reception days, batches (批次) and persons (人次) received, petitions registered and leader
instructions (批示) given and done, by leader, month or division, read through get_list (the reader's scope)."""

import frappe
from frappe import _

from xinfang_app import reporting

GROUPS = {"leader": "Receiving Leader", "month": "Month", "division": "Division"}
DONE = "已办结"


def execute(filters=None):
	filters = frappe._dict(filters or {})
	group = filters.get("group_by") or "leader"
	if group not in GROUPS:
		frappe.throw(_("Group by one of: {0}").format(", ".join(GROUPS)), reporting.ReportFilterError)
	period = reporting.period_from(filters)
	records = frappe.get_list(
		"Reception Record",
		filters=[
			["reception_date", "between", [period.start, period.end]],
			*reporting.division_condition(filters, doctype="Reception Record"),
		],
		fields=["name", "reception_date", "leader", "leader_name", "division", "batches", "visitors"],
		order_by="reception_date asc",
		limit_page_length=0,
	)
	rows = totals(records, group)
	return columns(group), rows, None, chart(rows)


def key_of(record, group):
	if group == "month":
		return str(record.reception_date)[:7]
	if group == "leader":
		return record.leader_name or record.leader
	return record.division


def totals(records, group) -> list[dict]:
	counts = child_counts([r.name for r in records])
	grouped: dict[str, dict] = {}
	for record in records:
		key = key_of(record, group)
		row = grouped.setdefault(
			key,
			{
				"key": key,
				"receptions": 0,
				"batches": 0,
				"visitors": 0,
				"petitions": 0,
				"instructions": 0,
				"instructions_done": 0,
			},
		)
		row["receptions"] += 1
		row["batches"] += record.batches or 0
		row["visitors"] += record.visitors or 0
		petitions, instructions, done = counts.get(record.name, (0, 0, 0))
		row["petitions"] += petitions
		row["instructions"] += instructions
		row["instructions_done"] += done
	rows = sorted(
		grouped.values(), key=lambda r: r["key"] if group == "month" else (-r["visitors"], r["key"])
	)
	if rows:
		total = {"key": _("Total"), "is_total": 1}
		for field in ("receptions", "batches", "visitors", "petitions", "instructions", "instructions_done"):
			total[field] = sum(r[field] for r in rows)
		rows.append(total)
	return rows


def child_counts(parents: list[str]) -> dict[str, tuple[int, int, int]]:
	"""Per record: petitions registered, instructions given, instructions done, in one read of both tables.
	The parents are records the reader may see (read through get_list); their rows are counted without a
	second permission check."""
	if not parents:
		return {}
	rows = frappe.db.sql(
		"""select parent, sum(kind = 'petition'), sum(kind = 'instruction'), sum(done) from (
			select parent, 'petition' as kind, 0 as done from `tabReception Record Petition`
			where parenttype = 'Reception Record' and parent in %(parents)s
			union all
			select parent, 'instruction', instruction_status = %(done)s from `tabReception Instruction`
			where parenttype = 'Reception Record' and parent in %(parents)s
		) child group by parent""",
		{"parents": tuple(parents), "done": DONE},
	)
	return {parent: tuple(int(n or 0) for n in counts) for parent, *counts in rows}


def columns(group):
	return [
		{"fieldname": "key", "label": _(GROUPS[group]), "fieldtype": "Data", "width": 180},
		{"fieldname": "receptions", "label": _("Reception Sessions"), "fieldtype": "Int", "width": 110},
		{"fieldname": "batches", "label": _("Batches Received"), "fieldtype": "Int", "width": 110},
		{"fieldname": "visitors", "label": _("Persons Received"), "fieldtype": "Int", "width": 110},
		{"fieldname": "petitions", "label": _("Petitions Registered"), "fieldtype": "Int", "width": 110},
		{"fieldname": "instructions", "label": _("Leader Instructions"), "fieldtype": "Int", "width": 110},
		{"fieldname": "instructions_done", "label": _("Instructions Done"), "fieldtype": "Int", "width": 110},
	]


def chart(rows):
	shown = [row for row in rows if not row.get("is_total")]
	return {
		"data": {
			"labels": [row["key"] for row in shown],
			"datasets": [
				{"name": _("Batches Received"), "values": [row["batches"] for row in shown]},
				{"name": _("Persons Received"), "values": [row["visitors"] for row in shown]},
			],
		},
		"type": "bar",
	}
