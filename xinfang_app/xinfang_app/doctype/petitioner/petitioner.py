import frappe
from frappe import _

from xinfang_app.domain import idcard
from xinfang_app.secrecy import FullIdRecord


class InvalidIdNumberError(frappe.ValidationError):
	pass


class DuplicatePetitionerError(frappe.ValidationError):
	pass


class Petitioner(FullIdRecord):  # each read of the full ID number is logged
	def validate(self):
		self.take_entered_id_number()
		self.validate_id_number()
		self.validate_unique_id_number()
		self.set_masked_fields()

	def take_entered_id_number(self):
		# Officers below the county cannot read the full number (permlevel 1), so they type it into
		# new_id_number; it moves to id_number here and the entry field is cleared.
		if self.new_id_number:
			self.id_number = self.new_id_number
			self.new_id_number = None

	def validate_id_number(self):
		if not self.id_number:
			self.id_number = None
			return
		try:
			parsed = idcard.parse(self.id_number)
		except idcard.IdNumberError as error:
			frappe.throw(
				error.message_zh if (frappe.local.lang or "").startswith("zh") else str(error),
				InvalidIdNumberError,
				title=_("Invalid ID Number"),
			)
		self.id_number = parsed.value
		self.gender = parsed.gender

	def validate_unique_id_number(self):
		if not self.id_number:
			return
		existing = frappe.db.get_value(
			"Petitioner", {"id_number": self.id_number, "name": ("!=", self.name)}, ["name", "full_name"]
		)
		if existing and frappe.has_permission("Petitioner", "read", doc=existing[0]):
			frappe.throw(
				_("This ID number is already registered for petitioner {0} ({1})").format(
					frappe.bold(existing[0]), existing[1]
				),
				DuplicatePetitionerError,
			)
		if existing:
			# registered elsewhere: the number only (the typist knows the person's full ID number, not
			# necessarily anything else); the petition takes them in by that ID number
			frappe.throw(
				_(
					"This ID number is already registered elsewhere as petitioner {0}: on the petition, choose {0}"
					" as the party and type the full ID number into Confirm ID Number"
				).format(frappe.bold(existing[0])),
				DuplicatePetitionerError,
			)

	def set_masked_fields(self):
		self.id_number_masked = idcard.mask(self.id_number)
		self.phone_masked = idcard.mask_phone(self.phone)
