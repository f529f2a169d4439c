from frappe.model.document import Document


class LeaderCaseProgress(Document):
	pass
