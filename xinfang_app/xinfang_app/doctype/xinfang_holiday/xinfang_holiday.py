from frappe.model.document import Document


class XinfangHoliday(Document):
	pass
