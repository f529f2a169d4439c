import frappe
from frappe import _
from frappe.utils import getdate, today

from xinfang_app import disputes
from xinfang_app.domain import ledger as lg
from xinfang_app.secrecy import FullIdRecord
from xinfang_app.xinfang_app.doctype.administrative_division.administrative_division import stamp_places

# States of the shipped "Ledger Closure" workflow (translated in zh.csv).
LEDGER_OPEN = "Ledger Open"
CLOSURE_REQUESTED = "Closure Requested"
LEDGER_CLOSED = "Ledger Closed"


class LedgerValidationError(frappe.ValidationError):
	pass


class LedgerClosingError(frappe.ValidationError):
	pass


def resolution_refusal(status, found_on, resolved_on, on) -> tuple[str, str | None] | None:
	"""(message, title) when the dates and status of an entry cannot stand on the day `on`, else None.
	The save's check (validate_resolution), also run by the ledger import on each row of a batch."""
	if found_on and found_on > on:
		return _("Found On cannot be in the future"), None
	try:
		lg.check_resolution(status, found_on, resolved_on)
	except lg.LedgerError as error:
		return error.message_zh, _("Dispute Ledger Entry")
	return None


def closed_status_refusal(status, closure_state) -> str | None:
	"""已销号 typed in rather than reached by an approved closure (validate_closed_status, on a new entry)."""
	if status == lg.CLOSED and closure_state != LEDGER_CLOSED:
		return _("已销号 is set only by approving a closure request in the Ledger Closure workflow")
	return None


class DisputeLedgerEntry(FullIdRecord):  # its parties' full ID numbers: each read is logged
	def validate(self):
		self.set_township()
		self.set_screening_week()
		disputes.take_party_id_numbers(self)
		self.validate_resolution()
		self.set_observation_until()
		self.validate_closed_status()
		self.apply_closing_rules()

	def set_township(self):
		stamp_places(self)

	def set_screening_week(self):
		self.screening_week = lg.screening_week(getdate(self.found_on)) if self.found_on else None

	def validate_resolution(self):
		refusal = resolution_refusal(
			self.status,
			getdate(self.found_on) if self.found_on else None,
			getdate(self.resolved_on) if self.resolved_on else None,
			getdate(),
		)
		if refusal:
			message, title = refusal
			frappe.throw(message, LedgerValidationError, title=title)

	def set_observation_until(self):
		months = frappe.db.get_single_value("Xinfang Settings", "ledger_observation_months")
		self.observation_until = lg.observation_until(
			getdate(self.resolved_on) if self.resolved_on else None, months
		)

	def validate_closed_status(self):
		"""已销号 is the result of an approved closure, never a value typed into the form."""
		closed_by_workflow = self.closure_state == LEDGER_CLOSED
		refusal = closed_status_refusal(self.status, self.closure_state)
		if refusal:
			frappe.throw(refusal, LedgerValidationError)
		if closed_by_workflow and self.status != lg.CLOSED and not self.entering_state(LEDGER_CLOSED):
			frappe.throw(_("A closed ledger entry cannot change its status"), LedgerValidationError)

	def entering_state(self, state: str) -> bool:
		before = self.get_doc_before_save()
		return self.closure_state == state and (not before or before.closure_state != state)

	def apply_closing_rules(self):
		"""Requesting and approving closure both check the rule: the observation period is over and no
		petition on the same matter came in since the dispute was resolved (checked again on approval,
		since a petition may arrive in between)."""
		if not (self.entering_state(CLOSURE_REQUESTED) or self.entering_state(LEDGER_CLOSED)):
			return
		refusal = self.closing_refusal()
		if refusal:
			frappe.throw(refusal, LedgerClosingError, title=_("Ledger Closure"))
		if self.closure_state == LEDGER_CLOSED:
			self.status = lg.CLOSED
			self.closed_on = today()

	def closing_refusal(self) -> str | None:
		return lg.closing_refusal(
			self.status,
			getdate(today()),
			getdate(self.resolved_on) if self.resolved_on else None,
			getdate(self.observation_until) if self.observation_until else None,
			disputes.same_matter_petitions(self),
		)
