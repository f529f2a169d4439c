import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

OPEN, RESOLVED = "包案中", "已化解"


class LeaderCaseAssignmentError(frappe.ValidationError):
	pass


class LeaderCaseAssignment(Document):
	"""领导包案: one leader owns one petition until it is resolved; the petition shows its lead leader."""

	def validate(self):
		self.validate_target_date()
		self.validate_one_open_assignment()
		self.stamp_progress()
		self.set_resolved_on()

	def validate_target_date(self):
		if self.target_date and self.assigned_on and getdate(self.target_date) < getdate(self.assigned_on):
			frappe.throw(_("The target date cannot be before the assignment date"), LeaderCaseAssignmentError)

	def validate_one_open_assignment(self):
		if self.status != OPEN:
			return
		other = frappe.db.exists(
			"Leader Case Assignment",
			{"petition": self.petition, "status": OPEN, "name": ("!=", self.name or "")},
		)
		if other:
			frappe.throw(
				_("Petition {0} already has an open leader case assignment: {1}").format(
					frappe.bold(self.petition), frappe.bold(other)
				),
				LeaderCaseAssignmentError,
			)

	def stamp_progress(self):
		"""Each progress entry names who wrote it; an entry cannot be dated in the future."""
		for row in self.progress_log:
			if getdate(row.progress_date) > getdate(today()):
				frappe.throw(
					_("Row {0}: progress cannot be dated in the future").format(row.idx),
					LeaderCaseAssignmentError,
				)
			row.recorded_by = row.recorded_by or frappe.session.user

	def set_resolved_on(self):
		if self.status == RESOLVED:
			self.resolved_on = self.resolved_on or today()
		else:
			self.resolved_on = None

	def on_update(self):
		self.set_petition_lead_leader()

	def set_petition_lead_leader(self):
		# The lead leader is a fact derived from this record; leaders may not edit petitions themselves.
		if frappe.db.get_value("Petition", self.petition, "lead_leader") != self.leader:
			frappe.db.set_value("Petition", self.petition, "lead_leader", self.leader, update_modified=False)
