import frappe

from xinfang_app import secrecy
from xinfang_app.domain import secrecy as secrecy_rules
from xinfang_app.permissions import ChildRow


class PetitionParty(ChildRow):
	def apply_fieldlevel_read_permissions(self):
		# a row read on its own (frappe.client.get with parent=Petition) hides an accusation's reporter too
		super().apply_fieldlevel_read_permissions()
		if self.parenttype != "Petition" or not self.parent:
			return
		if not secrecy_rules.is_accusation(frappe.db.get_value("Petition", self.parent, "petition_class")):
			return
		if secrecy.may_see_reporter():
			channel = secrecy.current_channel(secrecy.caller(2))
			secrecy.log_read("Petition", self.parent, secrecy_rules.READ_REPORTER, channel)
		else:
			secrecy.mask_party(self)
