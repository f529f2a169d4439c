from frappe.model.document import Document


class XinfangHolidayList(Document):
	pass
