import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from xinfang_app import lifecycle, secrecy
from xinfang_app.domain import access, idcard
from xinfang_app.domain import secrecy as secrecy_rules
from xinfang_app.permissions import check_linked_rows_readable
from xinfang_app.xinfang_app.doctype.administrative_division.administrative_division import stamp_places

GROUP_PETITION_HEADCOUNT = 5
EDITING_ROLES = {
	access.VILLAGE_OFFICER,
	access.TOWNSHIP_OFFICER,
	access.COUNTY_OFFICER,
	access.UNIT_HANDLER,
	access.MANAGER,
	"System Manager",
}


class PetitionValidationError(frappe.ValidationError):
	pass


class Petition(Document):
	def validate(self):
		self.validate_leader_edit()
		self.keep_reporter_secret()
		self.validate_received_on()
		self.validate_petitioners()
		self.validate_headcount()
		self.validate_accused_unit()
		self.validate_repeat_of()
		self.set_township()
		self.set_group_flag()
		lifecycle.apply_transition_rules(self)
		self.set_deadlines()
		self.set_light()

	def validate_leader_edit(self):
		"""Leaders hold write only to approve extensions through the workflow; they do not edit petitions."""
		roles = set(frappe.get_roles())
		if access.LEADER not in roles or roles & EDITING_ROLES:
			return
		before = self.get_doc_before_save()
		if self.is_new() or not before or before.workflow_state == self.workflow_state:
			frappe.throw(
				_("Leaders approve or refuse extensions through the workflow and do not edit petitions"),
				frappe.PermissionError,
			)

	def keep_reporter_secret(self):
		"""A user who may not see an accusation's reporter receives its parties masked and cannot change them
		(what the form sends back is the masked rows: the stored ones are kept), nor make it a petition of
		another class, which would show the reporter to them."""
		before = None if self.is_new() else self.get_doc_before_save()
		if not before or not secrecy.hides_reporter(before.petition_class):
			return
		if not secrecy_rules.is_accusation(self.petition_class):
			frappe.throw(
				_("Only county officers, supervisors and managers may change the class of an accusation"),
				frappe.PermissionError,
			)
		self.set(secrecy_rules.PARTY_TABLE, [])
		for row in before.get(secrecy_rules.PARTY_TABLE):
			self.append(secrecy_rules.PARTY_TABLE, row.as_dict())

	def apply_fieldlevel_read_permissions(self):
		# form load, frappe.client.get, /api/resource and /api/v2/document all call this before sending the doc
		super().apply_fieldlevel_read_permissions()
		secrecy.guard_petition(self, secrecy.current_channel(secrecy.caller(2)))

	def as_dict(self, *args, **kwargs):
		# what a save, a workflow action or an update returns to the user
		out = super().as_dict(*args, **kwargs)
		if secrecy.hides_reporter(self.get("petition_class")) and out.get(secrecy_rules.PARTY_TABLE):
			out[secrecy_rules.PARTY_TABLE] = [
				secrecy_rules.masked_party(row) for row in out[secrecy_rules.PARTY_TABLE]
			]
		return out

	def before_print(self, settings=None):
		secrecy.guard_print(self)

	def validate_received_on(self):
		if self.received_on and getdate(self.received_on) > getdate(today()):
			frappe.throw(_("Received On cannot be in the future"), PetitionValidationError)

	def validate_petitioners(self):
		if not self.petitioners:
			frappe.throw(_("Add at least one petitioner"), PetitionValidationError)
		seen = set()
		for row in self.petitioners:
			if row.petitioner in seen:
				frappe.throw(
					_("Row {0}: petitioner {1} is listed twice").format(row.idx, frappe.bold(row.full_name)),
					PetitionValidationError,
				)
			seen.add(row.petitioner)
		check_linked_rows_readable(self, "petitioners", "petitioner", proof=knows_id_number)
		for row in self.petitioners:
			row.confirm_id_number = None  # checked above, never kept

	def validate_headcount(self):
		if (self.headcount or 0) < len(self.petitioners):
			self.headcount = len(self.petitioners)

	def validate_accused_unit(self):
		# docs/DESIGN.md §6: an accusation is never handed to the unit it accuses.
		if (
			self.petition_class == "检举控告"
			and self.accused_unit
			and self.responsible_unit == self.accused_unit
		):
			frappe.throw(
				_("An accusation cannot be assigned to the unit it accuses ({0})").format(
					frappe.bold(self.accused_unit)
				),
				PetitionValidationError,
			)

	def validate_repeat_of(self):
		if self.repeat_of and self.repeat_of == self.name:
			frappe.throw(_("A petition cannot repeat itself"), PetitionValidationError)
		if self.repeat_of:
			self.is_first_time = 0

	def set_township(self):
		stamp_places(self)

	def set_group_flag(self):
		self.is_group_petition = int((self.headcount or 0) >= GROUP_PETITION_HEADCOUNT)

	def set_deadlines(self):
		rules, calendar = lifecycle.get_rules(), lifecycle.get_calendar()
		if self.received_on:
			received = getdate(self.received_on)
			self.acceptance_due = lifecycle.deadline(lifecycle.dl.acceptance_due, received, rules, calendar)
			self.forward_due = lifecycle.deadline(lifecycle.dl.forward_due, received, rules, calendar)
			self.tier_started_on = self.tier_started_on or self.received_on
		if self.accepted_on:
			self.handling_due = lifecycle.deadline(
				lifecycle.dl.handling_due, getdate(self.accepted_on), rules, calendar
			)

	def on_update(self):
		before = self.get_doc_before_save()
		lifecycle.notify_light_change(self, before.light if before else "")

	def set_light(self):
		# as of the day the step is taken: a step entered afterwards (补录) shows the light it had then
		self.light = lifecycle.petition_light(self, lifecycle.action_date(), lifecycle.get_rules())


def knows_id_number(row, petitioner: str) -> bool:
	"""A petitioner registered elsewhere is made a party by whoever types their full ID number."""
	try:
		entered = idcard.parse(row.get("confirm_id_number") or "").value
	except idcard.IdNumberError:
		return False
	return entered == frappe.db.get_value("Petitioner", petitioner, "id_number")
