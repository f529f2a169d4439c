"""Leader reception (领导接访): the calendar of reception days, and the leader's instructions (批示) of a
Reception Record followed as Frappe assignments (ToDo) of the assigned unit's handlers until done.

An instruction is done when one of its handlers closes their ToDo, or when the office marks it done on the
record; either way the instruction and every ToDo of it end together.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.utils import getdate, today

from xinfang_app.lifecycle import unit_handlers
from xinfang_app.query_guard import check

RECORD = "Reception Record"
SCHEDULE = "Reception Schedule"
PENDING, DONE = "待办理", "已办结"
OPEN_TODO = "Open"


class ReceptionError(frappe.ValidationError):
	pass


@frappe.whitelist()
def get_schedule_events(start: str, end: str, filters: str | list | dict | None = None) -> list[dict]:
	"""Reception days between start and end for the calendar view, through get_list (the reader's scope);
	the calendar's filters are checked by the query guard (structured, on readable fields)."""
	conditions = check(SCHEDULE, filters).filters
	rows = frappe.get_list(
		SCHEDULE,
		fields=["name", "reception_date", "leader_name", "reception_type", "location", "division"],
		filters=[*conditions, [SCHEDULE, "reception_date", "between", [start, end]]],
		order_by="reception_date asc",
	)
	for row in rows:
		row.all_day = 1
		row.leader_name = f"{row.leader_name or ''} · {row.location or ''}"
	return rows


def todo_names(row) -> list[str]:
	return [name for name in (row.todos or "").split(",") if name]


def stamp_instruction_completion(doc):
	"""An instruction marked done on the record gets its date and the person; reopening clears both."""
	for row in doc.instructions:
		if row.instruction_status == DONE:
			row.completed_on = row.completed_on or today()
			row.completed_by = row.completed_by or frappe.session.user
		else:
			row.completed_on = row.completed_by = None


def assign_instructions(doc):
	"""Give every pending instruction not yet assigned a ToDo for each handler of its unit."""
	for row in doc.instructions:
		if row.instruction_status != PENDING or todo_names(row):
			continue
		handlers = unit_handlers(row.assigned_unit)
		if not handlers:
			frappe.throw(
				_("Row {0}: unit {1} has no unit handler to assign the instruction to").format(
					row.idx, frappe.bold(row.assigned_unit)
				),
				ReceptionError,
			)
		names = [create_todo(doc, row, user) for user in handlers]
		row.db_set("todos", ",".join(names), update_modified=False)


def create_todo(doc, row, user: str) -> str:
	"""One ToDo for one handler. Frappe's assign_to.add keeps one open ToDo per user and document, so a second
	instruction of the same record to the same handler gets its ToDo of the same shape directly."""
	description = _("Leader instruction ({0}, {1}): {2}").format(
		doc.leader_name or doc.leader, frappe.utils.formatdate(doc.reception_date), row.instruction
	)
	existing = set(open_todos(doc.name, user))
	if not existing:
		assign_to.add(
			{
				"assign_to": [user],
				"doctype": RECORD,
				"name": doc.name,
				"description": description,
				"date": row.due_date,
			},
			ignore_permissions=True,
		)
		created = [name for name in open_todos(doc.name, user) if name not in existing]
		if created:
			return created[0]
	todo = frappe.get_doc(
		{
			"doctype": "ToDo",
			"allocated_to": user,
			"reference_type": RECORD,
			"reference_name": doc.name,
			"description": description,
			"date": row.due_date,
			"assigned_by": frappe.session.user,
			"status": OPEN_TODO,
		}
	).insert(ignore_permissions=True)
	return todo.name


def open_todos(record: str, user: str) -> list[str]:
	return frappe.get_all(
		"ToDo",
		filters={
			"reference_type": RECORD,
			"reference_name": record,
			"allocated_to": user,
			"status": OPEN_TODO,
		},
		pluck="name",
		order_by="creation asc",
	)


def close_finished_instructions(doc):
	"""An instruction marked done on the record closes its handlers' open ToDos."""
	for row in doc.instructions:
		if row.instruction_status == DONE:
			end_todos(todo_names(row), "Closed")


def end_todos(names: list[str], status: str, keep: str | None = None):
	for name in names:
		if name == keep:
			continue
		if frappe.db.get_value("ToDo", name, "status") == OPEN_TODO:
			todo = frappe.get_doc("ToDo", name)
			todo.status = status
			todo.save(ignore_permissions=True)


def on_todo_update(todo, method=None):
	"""doc_events hook: a handler closing their ToDo finishes the instruction; the other handlers' ToDos of
	the same instruction are cancelled, since one unit answers one instruction."""
	if todo.reference_type != RECORD or todo.status != "Closed":
		return
	row = instruction_of(todo)
	if not row or row.instruction_status == DONE:
		return
	frappe.db.set_value(
		"Reception Instruction",
		row.name,
		{"instruction_status": DONE, "completed_on": getdate(today()), "completed_by": frappe.session.user},
		update_modified=False,
	)
	end_todos(todo_names(row), "Cancelled", keep=todo.name)


def instruction_of(todo):
	rows = frappe.get_all(
		"Reception Instruction",
		filters={"parent": todo.reference_name, "parenttype": RECORD, "todos": ("like", f"%{todo.name}%")},
		fields=["name", "todos", "instruction_status"],
	)
	for row in rows:
		if todo.name in todo_names(row):
			return row
	return None
