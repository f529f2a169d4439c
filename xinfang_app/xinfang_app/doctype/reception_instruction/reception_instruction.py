from frappe.model.document import Document


class ReceptionInstruction(Document):
	pass
