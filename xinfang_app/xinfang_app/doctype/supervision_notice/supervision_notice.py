from frappe.model.document import Document


class SupervisionNotice(Document):
	pass
