"""Every next step where the officer is (rules in domain/next_steps.py).

- The petition form's buttons for the records made from it (记录回访, 申请复查/复核, 发督办单): `get_next_steps`
  says which the reader may make in the petition's state, the `make_*` mappers open them filled in.
- Whoever must act next (acceptance, extension approval, 销号) is told in the desk, once, after the commit.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_days, getdate, today

from xinfang_app import lifecycle
from xinfang_app.domain import access
from xinfang_app.domain import next_steps as rules
from xinfang_app.language import in_site_language

BUTTON_LABELS = {
	rules.FOLLOW_UP_VISIT: "Record Follow-up Visit",
	rules.SUPERVISION_NOTICE: "Issue Supervision Notice",
	rules.REVIEW: "Request Review",
	rules.REREVIEW: "Request Re-review",
}
MAPPERS = {
	rules.FOLLOW_UP_VISIT: "xinfang_app.next_steps.make_follow_up_visit",
	rules.PETITION_REVIEW: "xinfang_app.next_steps.make_petition_review",
	rules.SUPERVISION_NOTICE: "xinfang_app.next_steps.make_supervision_notice",
}


def readable_petition(name: str):
	petition = frappe.get_doc("Petition", name)
	petition.check_permission("read")
	return petition


def requested_reviews(petition: str) -> list[str]:
	return frappe.get_all(
		"Petition Review", filters={"petition": petition}, pluck="review_type", ignore_permissions=True
	)


@frappe.whitelist()
def get_next_steps(petition: str) -> dict:
	"""What the reader may do next from the petition: the records they may make in its state, the fields
	each state needs, the states only a record reaches, and the review awaiting its decision."""
	doc = readable_petition(petition)
	records = []
	for doctype, review_type in rules.records_for(doc.workflow_state, requested_reviews(doc.name)):
		if frappe.has_permission(doctype, "create"):
			records.append(
				{
					"doctype": doctype,
					"label": _(BUTTON_LABELS[review_type or doctype]),
					"method": MAPPERS[doctype],
				}
			)
	pending_review = frappe.db.get_value(
		"Petition Review", {"petition": doc.name, "status": "Awaiting Decision"}, "name"
	)
	return {
		"records": records,
		"step_fields": {
			state: [{"fieldname": f, "label": _(doc.meta.get_label(f))} for f in fieldnames]
			for state, fieldnames in rules.STEP_FIELDS.items()
		},
		"moved_by_record": {
			state: {"doctype": doctype, "method": MAPPERS[doctype], "label": _(doctype)}
			for state, doctype in rules.MOVED_BY_RECORD.items()
		},
		"pending_review": pending_review
		if pending_review and frappe.has_permission("Petition Review", "read", pending_review)
		else None,
	}


def new_record(doctype: str, petition, applies: bool, **values):
	"""A new record about the petition, refused unless the step applies and the user may create it."""
	if not applies:
		frappe.throw(
			_("A {0} cannot be made while the petition is {1}").format(
				_(doctype), _(petition.workflow_state)
			),
			lifecycle.LifecycleError,
		)
	record = frappe.new_doc(doctype)
	record.update({"petition": petition.name, **values})
	frappe.has_permission(doctype, "create", doc=record, throw=True)
	return record


def step_of(petition, doctype: str) -> tuple[bool, str | None]:
	"""Whether a record of the doctype may be made from the petition now, and the review type it takes."""
	steps = dict(rules.records_for(petition.workflow_state, requested_reviews(petition.name)))
	return doctype in steps, steps.get(doctype)


@frappe.whitelist()
def make_follow_up_visit(source_name: str):
	petition = readable_petition(source_name)
	applies, _type = step_of(petition, rules.FOLLOW_UP_VISIT)
	return new_record(rules.FOLLOW_UP_VISIT, petition, applies, visited_on=today())


@frappe.whitelist()
def make_petition_review(source_name: str):
	petition = readable_petition(source_name)
	applies, review_type = step_of(petition, rules.PETITION_REVIEW)
	return new_record(rules.PETITION_REVIEW, petition, applies, review_type=review_type, requested_on=today())


@frappe.whitelist()
def make_supervision_notice(source_name: str):
	petition = readable_petition(source_name)
	applies, _type = step_of(petition, rules.SUPERVISION_NOTICE)
	return new_record(
		rules.SUPERVISION_NOTICE,
		petition,
		applies,
		to_unit=petition.responsible_unit,
		reason="超期" if petition.light == "Red" else None,
		issued_on=today(),
		due_date=add_days(today(), 3),
	)


# ---- the next actor is told ------------------------------------------------------------------------

SUBJECTS = {
	"Accept": "Petition {0} ({1}) awaits your decision on acceptance (due {2})",
	"Approve Extension": "Petition {0} ({1}): the unit requests an extension of {2} days; awaiting your approval",
	"Close Case": "Petition {0} ({1}) is resolved and awaits 销号 (case closure)",
	"Approve Closure": "Dispute ledger entry {0} ({1}): 销号 is requested and awaits your approval",
}


def notify_next_actor(doc, method=None):
	"""on_update of a workflow document: when it enters a state that waits on someone (domain WAITING),
	tell the users who may take that step, nearest to the matter, once the transaction commits.

	A step entered afterwards (补录, the demo's history) tells nobody: it waited long ago."""
	if frappe.flags.in_install or frappe.flags.in_migrate or frappe.flags.in_patch:
		return
	workflow = workflow_of(doc.doctype)
	if not workflow:
		return
	field = workflow.workflow_state_field
	before = doc.get_doc_before_save()
	state = doc.get(field)
	action = rules.waited_action(doc.doctype, state, before.get(field) if before else None)
	if not action or lifecycle.action_date() < getdate(today()):
		return
	roles = {t.allowed for t in workflow.transitions if t.state == state and t.action == action}
	users = next_actors(doc, roles)
	if not users:
		return
	args = subject_args(doc, action)
	frappe.db.after_commit.add(
		lambda: send_if_still_waiting(doc.doctype, doc.name, field, state, users, action, args)
	)


def workflow_of(doctype: str):
	from frappe.model.workflow import get_workflow_name

	name = get_workflow_name(doctype)
	return frappe.get_cached_doc("Workflow", name) if name else None


def next_actors(doc, roles: set[str]) -> list[str]:
	"""Users holding one of the roles whose scope covers the record: its unit's handlers, and the place-
	scoped users nearest to the matter at or above its handling level."""
	unit_users, place_users = [], []
	if access.UNIT_HANDLER in roles and doc.get("responsible_unit"):
		unit_users = lifecycle.unit_handlers(doc.responsible_unit)
	place_roles = roles - {access.UNIT_HANDLER}
	if place_roles and doc.get("division"):
		for division, level in division_chain(doc.division):
			for role in place_roles:
				place_users += [
					(user, level)
					for user in lifecycle.scoped_users("Administrative Division", [division], role)
				]
	return rules.nearest_actors(place_users, unit_users, doc.get("handling_level"))


def division_chain(division: str) -> list[tuple[str, str]]:
	"""(name, level) of the division and each of its ancestors."""
	bounds = frappe.db.get_value("Administrative Division", division, ["lft", "rgt"], as_dict=True)
	if not bounds:
		return []
	return frappe.get_all(
		"Administrative Division",
		filters={"lft": ("<=", bounds.lft), "rgt": (">=", bounds.rgt)},
		fields=["name", "division_level"],
		as_list=True,
	)


def subject_args(doc, action: str) -> tuple:
	title = doc.get("subject") or doc.get("summary") or ""
	if action == "Accept":
		return doc.name, title, frappe.utils.formatdate(doc.acceptance_due) if doc.acceptance_due else ""
	if action == "Approve Extension":
		return doc.name, title, doc.extension_days or ""
	return doc.name, title


def send_if_still_waiting(doctype, name, field, state, users, action, args):
	"""After the commit: a record that has moved on in the same transaction (requested and approved at once)
	no longer waits on anyone."""
	try:
		if frappe.db.get_value(doctype, name, field) != state:
			return
		with in_site_language():
			subject = _(SUBJECTS[action]).format(*(str(arg)[:80] for arg in args))
		lifecycle.notify_users(users, frappe._dict(doctype=doctype, name=name), subject)
	except Exception:
		frappe.log_error(title=f"xinfang_app: next-step notification of {doctype} {name}")
