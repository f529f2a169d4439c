from frappe.model.document import Document


class JointMeetingAgendaItem(Document):
	pass
