from frappe.model.document import Document


class PetitionParty(Document):
	pass
