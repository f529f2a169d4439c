from frappe.model.document import Document


class ReceptionRecordPetition(Document):
	pass
