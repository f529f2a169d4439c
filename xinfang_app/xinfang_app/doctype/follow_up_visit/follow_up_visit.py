import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.workflow import apply_workflow, get_transitions

from xinfang_app import lifecycle


class FollowupVisit(Document):
	def validate(self):
		state = frappe.db.get_value("Petition", self.petition, "workflow_state")
		if self.is_new() and state not in (lifecycle.REPLY_ISSUED, lifecycle.FOLLOW_UP):
			frappe.throw(
				_("A follow-up visit is recorded after the reply; the petition is {0}").format(_(state))
			)
		if self.satisfaction != "不满意":
			self.next_step = None

	def after_insert(self):
		"""Carry the petitioner's satisfaction onto the petition; 不满意 + 重办 reopens it through the workflow."""
		petition = frappe.get_doc("Petition", self.petition)
		if petition.workflow_state == lifecycle.REPLY_ISSUED:
			with lifecycle.recording(self):  # the visit is what moves it (lifecycle.on_follow_up)
				petition = apply_workflow(petition, "Follow Up")
		petition.satisfaction = self.satisfaction
		petition.save()
		if self.next_step == "重办" and take_if_allowed(petition, "Redo"):
			frappe.msgprint(_("The petition is reopened for handling (重办)"), alert=True)


def take_if_allowed(doc, action: str) -> bool:
	"""Apply a workflow action when the user holds it; otherwise leave it for the officer who does."""
	if any(t.action == action for t in get_transitions(doc)):
		apply_workflow(doc, action)
		return True
	return False
