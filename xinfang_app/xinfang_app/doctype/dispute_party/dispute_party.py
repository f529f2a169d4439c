from frappe.model.document import Document


class DisputeParty(Document):
	pass
