import frappe
from frappe import _
from frappe.model.document import Document


class Mediator(Document):
	def validate(self):
		self.full_name = (self.full_name or "").strip()
		if self.user and not frappe.db.exists(
			"Has Role", {"parent": self.user, "role": "Mediator", "parenttype": "User"}
		):
			frappe.msgprint(
				_("User {0} does not hold the Mediator role yet and will not see assigned cases").format(
					self.user
				),
				alert=True,
			)
