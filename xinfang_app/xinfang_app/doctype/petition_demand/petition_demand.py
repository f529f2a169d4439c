from frappe.model.document import Document


class PetitionDemand(Document):
	pass
