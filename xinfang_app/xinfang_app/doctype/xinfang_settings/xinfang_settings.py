import frappe
from frappe import _
from frappe.model.document import Document


class XinfangSettings(Document):
	def validate(self):
		if not 0 <= (self.yellow_threshold_percent or 0) <= 100:
			frappe.throw(_("The yellow threshold percentage must be between 0 and 100"))
