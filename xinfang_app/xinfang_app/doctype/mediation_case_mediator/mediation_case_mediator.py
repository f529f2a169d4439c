from frappe.model.document import Document


class MediationCaseMediator(Document):
	pass
