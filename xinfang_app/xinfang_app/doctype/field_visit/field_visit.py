import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from xinfang_app.xinfang_app.doctype.administrative_division.administrative_division import stamp_places


class FieldVisitError(frappe.ValidationError):
	pass


class FieldVisit(Document):
	def validate(self):
		stamp_places(self)
		if self.visited_on and getdate(self.visited_on) > getdate(today()):
			frappe.throw(_("A field visit cannot be dated in the future"), FieldVisitError)
