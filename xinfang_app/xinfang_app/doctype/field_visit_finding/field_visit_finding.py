from frappe.model.document import Document


class FieldVisitFinding(Document):
	pass
