"""来文接口: 12345 hotline transfers and matters handed down from above (上级交办) arrive from other systems.

POST /api/method/xinfang_app.intake.receive, a JSON body in the fields of domain/intake.py, authenticated
by the API key of a user whose only app role is Xinfang Integration (README: 来文接口). The role has no
permission on any record: the sender hands petitions in and is told the number of the petition it made,
nothing else. A payload that cannot become a petition is refused with 417 and `errors`, one Chinese
message per field. The same (channel, sender's number) sent again answers with the petition already made —
a unique index makes that hold even for two requests at the same moment — so a retry never makes a second.
"""

from __future__ import annotations

import frappe
from frappe.utils import getdate, today

from xinfang_app.domain import access
from xinfang_app.domain import intake as rules


class IntakeValidationError(frappe.ValidationError):
	pass


class Exists:
	"""`name in places`: asked of the database, for the names a payload uses only."""

	def __init__(self, doctype: str, filters: dict | None = None):
		self.doctype, self.filters = doctype, filters or {}

	def __contains__(self, name) -> bool:
		return isinstance(name, str) and bool(frappe.db.exists(self.doctype, {"name": name, **self.filters}))


@frappe.whitelist(methods=["POST"])
def receive(**payload) -> dict:
	if access.INTEGRATION not in frappe.get_roles():
		raise frappe.PermissionError("只有来文接口用户可以报送信访事项")
	payload.pop("cmd", None)
	try:
		checked = rules.check_intake(
			payload,
			getdate(today()),
			Exists("Administrative Division"),
			Exists("Petition Category", {"is_group": 0}),
		)
	except rules.IntakeError as error:
		frappe.local.response["errors"] = error.errors
		frappe.local.flags.disable_traceback = True
		frappe.throw(error.message_zh, IntakeValidationError, title="来文有误")
	existing = already_received(checked)
	if existing:
		return answer(existing, created=False)
	frappe.db.savepoint("xinfang_intake")
	try:
		name = make_petition(checked)
	except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
		frappe.db.rollback(save_point="xinfang_intake")  # the same item, sent twice at once
		return answer(already_received(checked), created=False)
	return answer(name, created=True)


def already_received(checked: rules.Intake) -> str | None:
	return frappe.db.get_value(
		"Petition", {"channel": checked.channel, "external_reference": checked.external_reference}
	)


def make_petition(checked: rules.Intake) -> str:
	parties = [
		{"petitioner": petitioner_of(party, checked.division), "party_role": party.party_role}
		for party in checked.parties
	]
	doc = frappe.get_doc(
		{
			"doctype": "Petition",
			"channel": checked.channel,
			"external_reference": checked.external_reference,
			"received_on": checked.received_on,
			"petition_class": checked.petition_class,
			"subject": checked.subject,
			"content": checked.content,
			"category": checked.category,
			"division": checked.division,
			"headcount": checked.headcount,
			"petitioners": parties,
			"demands": checked.demands,
		}
	)
	doc.insert(ignore_permissions=True)  # the role may hand in, never read: the checks above are its own
	return doc.name


def petitioner_of(party: rules.Party, division: str) -> str:
	"""The petitioner registered under the ID number, or a new one living where the matter arose unless the
	sender says where (the sender learns neither which)."""
	if party.id_number:
		existing = frappe.db.get_value("Petitioner", {"id_number": party.id_number})
		if existing:
			return existing
	doc = frappe.get_doc(
		{
			"doctype": "Petitioner",
			"full_name": party.full_name,
			"id_number": party.id_number,
			"phone": party.phone,
			"address": party.address,
			"division": party.division or division,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def answer(name: str, created: bool) -> dict:
	"""What the sender is told: the petition's number and its statutory dates, nothing of anyone."""
	values = frappe.db.get_value(
		"Petition",
		name,
		["external_reference", "workflow_state", "acceptance_due", "forward_due"],
		as_dict=True,
	)
	return {
		"petition": name,
		"created": created,
		"external_reference": values.external_reference,
		"state": values.workflow_state,
		"acceptance_due": str(values.acceptance_due) if values.acceptance_due else None,
		"forward_due": str(values.forward_due) if values.forward_due else None,
	}
