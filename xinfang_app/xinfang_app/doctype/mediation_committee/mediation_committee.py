from frappe.model.document import Document


class MediationCommittee(Document):
	pass
