from frappe.model.document import Document


class JointMeetingUnit(Document):
	pass
