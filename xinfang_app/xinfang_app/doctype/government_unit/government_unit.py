from frappe.model.document import Document


class GovernmentUnit(Document):
	def validate(self):
		self.unit_name = (self.unit_name or "").strip()
