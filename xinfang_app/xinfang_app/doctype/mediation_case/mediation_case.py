import frappe
from frappe import _
from frappe.utils import getdate, today

from xinfang_app import disputes
from xinfang_app.secrecy import FullIdRecord
from xinfang_app.xinfang_app.doctype.administrative_division.administrative_division import stamp_places

SUCCESS = "调解成功"
FAILED = "调解不成"


class MediationRuleError(frappe.ValidationError):
	pass


class MediationCase(FullIdRecord):  # its parties' full ID numbers: each read is logged
	def validate(self):
		self.set_township()
		disputes.take_party_id_numbers(self)
		self.validate_mediators()
		self.validate_sessions()
		self.validate_agreement()
		self.validate_referral()

	def set_township(self):
		stamp_places(self)

	def validate_mediators(self):
		seen = set()
		for row in self.mediators:
			if row.mediator in seen:
				frappe.throw(
					_("Row {0}: mediator {1} is listed twice").format(
						row.idx, row.mediator_name or row.mediator
					),
					MediationRuleError,
				)
			seen.add(row.mediator)

	def validate_sessions(self):
		for row in self.sessions:
			if row.session_date and getdate(row.session_date) > getdate(today()):
				frappe.throw(
					_("Row {0}: a mediation session cannot be in the future").format(row.idx),
					MediationRuleError,
				)

	def validate_agreement(self):
		if self.result == SUCCESS and not (self.agreement_text and self.agreement_date):
			frappe.throw(
				_("A successful mediation needs the agreed terms and the agreement date (人民调解协议书)"),
				MediationRuleError,
			)
		if self.result != SUCCESS and self.agreement_text:
			frappe.throw(_("Agreed terms are recorded only when mediation succeeds"), MediationRuleError)

	def validate_referral(self):
		"""调解不成: the parties are pointed to 诉讼, 仲裁 or 行政复议; a settled dispute is not referred."""
		if self.result == FAILED and not self.referral:
			frappe.throw(
				_(
					"Mediation failed: choose the legal channel the parties are referred to (诉讼/仲裁/行政复议)"
				),
				MediationRuleError,
			)
		if self.result == SUCCESS and self.referral:
			frappe.throw(_("A successful mediation is not referred to a legal channel"), MediationRuleError)

	def on_update(self):
		if self.ledger_entry and not frappe.db.get_value(
			"Dispute Ledger Entry", self.ledger_entry, "mediation_case"
		):
			frappe.db.set_value(
				"Dispute Ledger Entry", self.ledger_entry, "mediation_case", self.name, update_modified=False
			)
