import frappe
from frappe import _
from frappe.model.document import Document

from xinfang_app import reception
from xinfang_app.permissions import check_linked_rows_readable


class ReceptionRecordError(frappe.ValidationError):
	pass


class ReceptionRecord(Document):
	"""接访登记: batches and persons received, petitions registered, and the leader's instructions (批示),
	each followed as ToDo assignments of the assigned unit's handlers until done."""

	def validate(self):
		self.set_from_schedule()
		self.validate_counts()
		self.validate_petitions()
		reception.stamp_instruction_completion(self)

	def set_from_schedule(self):
		schedule = frappe.db.get_value(
			"Reception Schedule",
			self.reception_schedule,
			["reception_date", "leader", "leader_name", "division"],
			as_dict=True,
		)
		if schedule:
			self.update(schedule)

	def validate_counts(self):
		if (self.visitors or 0) < (self.batches or 0):
			frappe.throw(
				_(
					"Persons received ({0}) cannot be fewer than batches ({1}): every batch is at least one person"
				).format(self.visitors or 0, self.batches or 0),
				ReceptionRecordError,
			)

	def validate_petitions(self):
		seen = set()
		for row in self.petitions:
			if row.petition in seen:
				frappe.throw(
					_("Row {0}: petition {1} is listed twice").format(row.idx, row.petition),
					ReceptionRecordError,
				)
			seen.add(row.petition)
		check_linked_rows_readable(self, "petitions", "petition")

	def on_update(self):
		reception.assign_instructions(self)
		reception.close_finished_instructions(self)
