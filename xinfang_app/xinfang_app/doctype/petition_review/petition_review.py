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
		if self.review_type == REVIEW:
			opened_on = frappe.db.get_value("Petition", self.petition, "replied_on")
			if not opened_on:
				frappe.throw(_("A review can be requested only after the written reply (信访处理意见书)"))
			request_days, decision_days = rules.review_request_days, rules.review_decision_days
		else:
			opened_on = frappe.db.get_value(
				"Petition Review",
				{"petition": self.petition, "review_type": REVIEW, "status": "Decided"},
				"decided_on",
			)
			if not opened_on:
				frappe.throw(_("A re-review can be requested only after the review (复查) is decided"))
			request_days, decision_days = rules.rereview_request_days, rules.rereview_decision_days
		self.window_closed_on = lifecycle.deadline(
			dl.review_window_closes, getdate(opened_on), request_days, rules, calendar
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
