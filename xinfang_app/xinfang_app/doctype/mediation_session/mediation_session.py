from frappe.model.document import Document


class MediationSession(Document):
	pass
