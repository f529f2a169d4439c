import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.workflow import apply_workflow
from frappe.utils import getdate

from xinfang_app import lifecycle
from xinfang_app.domain import deadlines as dl

REVIEW, REREVIEW = "复查", "复核"
# What each kind of request needs from the petition, and the workflow actions it takes.
STEPS = {
	REVIEW: {
		"states": (lifecycle.REPLY_ISSUED, lifecycle.FOLLOW_UP, lifecycle.RESOLVED),
		"request": "Request Review",
		"conclude": "Conclude Review",
	},
	REREVIEW: {
		"states": (lifecycle.REVIEWED,),
		"request": "Request Re-review",
		"conclude": "Conclude Re-review",
	},
}


class PetitionReview(Document):
	def validate(self):
		self.validate_unique()
		self.set_window_and_due()
		self.set_status()

	def validate_unique(self):
		if frappe.db.exists(
			"Petition Review",
			{"petition": self.petition, "review_type": self.review_type, "name": ("!=", self.name)},
		):
			frappe.throw(_("Petition {0} already has a {1}").format(self.petition, self.review_type))

	def set_window_and_due(self):
		rules, calendar = lifecycle.get_rules(), lifecycle.get_calendar()
		self.window_closed_on = request_window(self.petition, self.review_type)
		decision_days = (
			rules.review_decision_days if self.review_type == REVIEW else rules.rereview_decision_days
		)
		if self.is_new():
			lifecycle.deadline(
				lambda requested, closes: dl.check_review_request(
					requested, closes, stage_zh=self.review_type
				),
				getdate(self.requested_on),
				getdate(self.window_closed_on),
			)
		self.review_due = lifecycle.deadline(
			dl.review_due, getdate(self.requested_on), decision_days, rules, calendar
		)

	def set_status(self):
		if bool(self.decision) != bool(self.decided_on):
			frappe.throw(_("Enter both the decision and the date it was made"))
		self.status = "Decided" if self.decision else "Awaiting Decision"

	def before_insert(self):
		state = frappe.db.get_value("Petition", self.petition, "workflow_state")
		if state not in STEPS[self.review_type]["states"]:
			frappe.throw(
				_("A {0} cannot be requested while the petition is {1}").format(self.review_type, _(state))
			)

	def after_insert(self):
		apply_workflow(frappe.get_doc("Petition", self.petition), STEPS[self.review_type]["request"])

	def on_update(self):
		before = self.get_doc_before_save()
		if self.status == "Decided" and (not before or before.status != "Decided"):
			apply_workflow(frappe.get_doc("Petition", self.petition), STEPS[self.review_type]["conclude"])


def request_window(petition: str, review_type: str):
	"""The last day the petitioner may ask for a 复查 (counted from the written reply) or a 复核 (from the
	decided 复查): the desk's Petition Review and the 网上信访 query page ask the same."""
	rules, calendar = lifecycle.get_rules(), lifecycle.get_calendar()
	if review_type == REVIEW:
		opened_on = frappe.db.get_value("Petition", petition, "replied_on")
		if not opened_on:
			frappe.throw(_("A review can be requested only after the written reply (信访处理意见书)"))
		request_days = rules.review_request_days
	else:
		opened_on = frappe.db.get_value(
			"Petition Review",
			{"petition": petition, "review_type": REVIEW, "status": "Decided"},
			"decided_on",
		)
		if not opened_on:
			frappe.throw(_("A re-review can be requested only after the review (复查) is decided"))
		request_days = rules.rereview_request_days
	return lifecycle.deadline(dl.review_window_closes, getdate(opened_on), request_days, rules, calendar)
