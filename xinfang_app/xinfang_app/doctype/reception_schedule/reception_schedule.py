from frappe.model.document import Document


class ReceptionSchedule(Document):
	"""领导接访安排: who receives petitioners, when and where; shown on the calendar."""
