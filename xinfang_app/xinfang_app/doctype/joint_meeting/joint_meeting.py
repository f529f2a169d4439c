import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.model.document import Document
from frappe.utils import formatdate, getdate

from xinfang_app import lifecycle
from xinfang_app.language import in_site_language


class JointMeetingError(frappe.ValidationError):
	pass


class JointMeeting(Document):
	def validate(self):
		for row in self.agenda:
			if row.due_date and self.meeting_date and getdate(row.due_date) < getdate(self.meeting_date):
				frappe.throw(
					_("Row {0}: the decision cannot be due before the meeting").format(row.idx),
					JointMeetingError,
				)

	def before_submit(self):
		if not self.agenda:
			frappe.throw(_("Record at least one agenda petition and its decision"), JointMeetingError)
		for row in self.agenda:
			if not frappe.has_permission("Petition", "read", row.petition):
				frappe.throw(
					_("Row {0}: you cannot reach petition {1}").format(row.idx, row.petition),
					frappe.PermissionError,
				)
			if not lifecycle.unit_handlers(row.assigned_unit):
				frappe.throw(
					_("Row {0}: {1} has no unit handler to receive the decision").format(
						row.idx, frappe.bold(row.assigned_unit)
					),
					JointMeetingError,
				)

	def on_submit(self):
		"""Each decision becomes an assignment (ToDo) on its petition for the assigned unit's handlers,
		due on the decision's date, and a comment on the petition's timeline."""
		for row in self.agenda:
			users = lifecycle.unit_handlers(row.assigned_unit)
			with in_site_language():  # written into the petition's record and the handlers' ToDos
				description = self.decision_text(row)
			assign_to.add(
				{
					"assign_to": users,
					"doctype": "Petition",
					"name": row.petition,
					"description": description,
					"date": row.due_date,
				},
				ignore_permissions=True,  # read access to each petition was checked in before_submit
			)
			todo = frappe.db.get_value(
				"ToDo",
				{
					"reference_type": "Petition",
					"reference_name": row.petition,
					"allocated_to": users[0],
					"status": "Open",
				},
				"name",
				order_by="creation desc",
			)
			row.db_set("todo", todo)
			frappe.get_doc("Petition", row.petition).add_comment("Comment", description)

	def on_cancel(self):
		for row in self.agenda:
			for todo in frappe.get_all(
				"ToDo",
				filters={
					"reference_type": "Petition",
					"reference_name": row.petition,
					"status": "Open",
					"description": ("like", f"%{self.name}%"),
				},
				pluck="name",
			):
				frappe.db.set_value("ToDo", todo, "status", "Cancelled")

	def decision_text(self, row) -> str:
		return _("{0} {1} ({2}) decided: {3}. Assigned to {4}, due {5}.").format(
			_(self.doctype),
			self.name,
			formatdate(self.meeting_date),
			row.decision,
			row.assigned_unit,
			formatdate(row.due_date),
		)
