"""Petition lifecycle services: settings and holiday calendar for the pure deadline core, the rules of
each workflow step that a Frappe Workflow cannot express, and the scheduled light/escalation job."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import frappe
from frappe import _
from frappe.utils import getdate, today

from xinfang_app.domain import deadlines as dl
from xinfang_app.domain import next_steps
from xinfang_app.domain.states import (
	ACCEPTED,
	ASSIGNED,
	CASE_CLOSED,
	EXTENDED,
	EXTENSION_REQUESTED,
	FINAL,
	FOLLOW_UP,
	FORWARDED,
	HANDLING,
	NOT_ACCEPTED,
	PENDING_ACCEPTANCE,
	REGISTRATION,
	REPLY_ISSUED,
	REREVIEW_REQUESTED,
	RESOLVED,
	REVIEW_REQUESTED,
	REVIEWED,
)

HOLIDAY_LIST = "中国法定节假日（含调休）"
CALENDAR_CACHE_KEY = "xinfang_app:work_calendar"

# States whose clock is the acceptance deadline, and those whose clock is the handling deadline.
ACCEPTANCE_CLOCK = (REGISTRATION, PENDING_ACCEPTANCE)
HANDLING_CLOCK = (ACCEPTED, ASSIGNED, HANDLING, EXTENSION_REQUESTED, EXTENDED)
OPEN_STATES = ACCEPTANCE_CLOCK + HANDLING_CLOCK
DONE_STATES = (NOT_ACCEPTED, FORWARDED, RESOLVED, CASE_CLOSED, FINAL)


class LifecycleError(frappe.ValidationError):
	pass


def get_rules() -> dl.Rules:
	return dl.Rules.from_mapping(frappe.get_cached_doc("Xinfang Settings").as_dict())


def get_calendar() -> dl.WorkCalendar:
	"""The working-day calendar of the Holiday List named in Xinfang Settings (weekends only without one)."""
	cached = frappe.cache.get_value(CALENDAR_CACHE_KEY)
	if cached is not None:
		return cached
	name = frappe.db.get_single_value("Xinfang Settings", "holiday_list")
	if name and frappe.db.exists("Xinfang Holiday List", name):
		bounds = frappe.db.get_value("Xinfang Holiday List", name, ["from_date", "to_date"], as_dict=True)
		dates = frappe.get_all(
			"Xinfang Holiday",
			filters={"parent": name, "parenttype": "Xinfang Holiday List"},
			pluck="holiday_date",
		)
		calendar = dl.WorkCalendar(
			frozenset(getdate(d) for d in dates), getdate(bounds.from_date), getdate(bounds.to_date)
		)
	else:
		calendar = dl.WorkCalendar.weekends_only()
	frappe.cache.set_value(CALENDAR_CACHE_KEY, calendar)
	return calendar


def clear_calendar_cache(doc=None, method=None):
	frappe.cache.delete_value(CALENDAR_CACHE_KEY)


def raise_deadline_error(error: dl.DeadlineError):
	frappe.throw(error.message_zh, LifecycleError, title=_("Deadline"))


def calendar_knows_year(year: int) -> bool:
	try:
		dl.holiday_rows([year])
	except dl.DeadlineError:
		return False
	return True


def install_holiday_list():
	"""Fill the Holiday List from chinese-calendar for the years it knows, once per year.

	Years already in the list are never rewritten, so an administrator's edits stay; years the package
	learns later (after an update) are appended on migrate."""
	first_year = getdate(today()).year - 2
	known = [year for year in range(first_year, first_year + 10) if calendar_knows_year(year)]
	if not known:
		return
	if frappe.db.exists("Xinfang Holiday List", HOLIDAY_LIST):
		holiday_list = frappe.get_doc("Xinfang Holiday List", HOLIDAY_LIST)
		new_years = [year for year in known if year > getdate(holiday_list.to_date).year]
	else:
		holiday_list = frappe.new_doc("Xinfang Holiday List")
		holiday_list.update(
			{
				"holiday_list_name": HOLIDAY_LIST,
				"from_date": dt.date(known[0], 1, 1),
				"source": "chinese-calendar",
			}
		)
		new_years = known
	if not new_years:
		return
	for day, description, weekly_off in dl.holiday_rows(new_years):
		holiday_list.append(
			"holidays", {"holiday_date": day, "description": description, "weekly_off": int(weekly_off)}
		)
	holiday_list.to_date = dt.date(new_years[-1], 12, 31)
	holiday_list.save(ignore_permissions=True)
	if not frappe.db.get_single_value("Xinfang Settings", "holiday_list"):
		frappe.db.set_single_value("Xinfang Settings", "holiday_list", HOLIDAY_LIST)
	clear_calendar_cache()


def deadline(compute, *args):
	"""Run a pure deadline computation and turn its refusal into a clear message for the user."""
	try:
		return compute(*args)
	except dl.DeadlineError as error:
		raise_deadline_error(error)


def current_clock(row) -> tuple[dt.date | None, dt.date | None]:
	"""(start, due) of the deadline that runs in the petition's state; (None, None) when no clock runs."""
	state = row.get("workflow_state") or REGISTRATION
	if state in ACCEPTANCE_CLOCK:
		return row.get("received_on"), row.get("acceptance_due")
	if state in HANDLING_CLOCK and row.get("accepted_on"):
		return row.get("accepted_on"), row.get("extended_due") or row.get("handling_due")
	return None, None


def petition_light(row, on: dt.date, rules: dl.Rules) -> str:
	start, due = current_clock(row)
	if not (start and due):
		return ""
	return dl.light(on, getdate(start), getdate(due), rules)


# ---- rules of each workflow step that the Workflow itself cannot express ----------------------------


def action_date() -> dt.date:
	"""The day a workflow step is taken: today, or the paper record's own date when an office enters
	steps taken on paper afterwards (补录; the demo county is loaded this way)."""
	return getdate(frappe.flags.xinfang_action_date or today())


@contextmanager
def acting_on(date: dt.date):
	if getdate(date) > getdate(today()):
		frappe.throw(_("A step cannot be recorded on a future date"), LifecycleError)
	previous = frappe.flags.xinfang_action_date
	frappe.flags.xinfang_action_date = getdate(date)
	try:
		yield
	finally:
		frappe.flags.xinfang_action_date = previous


def require(doc, fieldnames: tuple[str, ...], step: str):
	"""Refuse the step while a field it needs is empty, naming the fields and the sections they sit in."""
	missing = [fieldname for fieldname in fieldnames if not doc.get(fieldname)]
	if missing:
		labels = "、".join(_(doc.meta.get_label(fieldname)) for fieldname in missing)
		sections = "、".join(f"「{_(label)}」" for label in section_labels(doc.meta, missing))
		frappe.throw(
			_("{0} needs: {1} (in {2})").format(_(step), labels, sections),
			LifecycleError,
			title=_("Missing information"),
		)


def require_step(doc, state: str, step: str):
	require(doc, next_steps.STEP_FIELDS[state], step)


def section_labels(meta, fieldnames: list[str]) -> list[str]:
	"""The labels of the sections (or, for an unlabelled section, its tab) holding the fields, in order."""
	labels: list[str] = []
	tab = section = None
	for field in meta.fields:
		if field.fieldtype == "Tab Break":
			tab = section = field.label
		elif field.fieldtype == "Section Break":
			section = field.label or tab
		elif field.fieldname in fieldnames and section and section not in labels:
			labels.append(section)
	return labels


def refuse_final_matter(doc):
	"""A matter concluded by re-review (复核终结) is not accepted again (《信访工作条例》)."""
	if not doc.repeat_of:
		return
	final = frappe.db.get_value("Petition", doc.repeat_of, ["is_final", "name"], as_dict=True)
	if final and final.is_final and concluded_on(final.name) <= action_date():
		frappe.throw(
			_(
				"This matter was concluded by re-review in {0}; a petition on the same facts and reasons is not accepted again. Tell the petitioner in writing (不予受理)."
			).format(frappe.bold(final.name)),
			LifecycleError,
			title=_("Final matter"),
		)


def concluded_on(petition: str) -> dt.date:
	"""The day a final matter was concluded: its 复核 decision (a back-entered acceptance dated before that
	day was taken while the matter was still open)."""
	decided = frappe.db.get_value(
		"Petition Review", {"petition": petition, "review_type": "复核", "status": "Decided"}, "decided_on"
	)
	return getdate(decided) if decided else dt.date.min


def on_accepted(doc, previous):
	if previous != PENDING_ACCEPTANCE:
		return
	refuse_final_matter(doc)
	doc.accepted_on = doc.accepted_on or action_date()  # the controller's set_deadlines derives handling_due


def on_not_accepted(doc, previous):
	require_step(doc, NOT_ACCEPTED, "Refuse")


def on_forwarded(doc, previous):
	require_step(doc, FORWARDED, "Forward to Competent Organ")


def on_assigned(doc, previous):
	require_step(doc, ASSIGNED, "Assign")
	doc.assigned_on = action_date()
	doc.unit_handler_users = ",".join(unit_handlers(doc.responsible_unit))


def unit_handlers(unit: str) -> list[str]:
	"""Unit handlers scoped to the unit (the recipients of the assignment Notification)."""
	from xinfang_app.domain.access import UNIT_HANDLER

	return scoped_users("Government Unit", [unit], UNIT_HANDLER)


def scoped_users(allow: str, values: list[str], role: str) -> list[str]:
	"""Users holding the role whose User Permission on `allow` is one of the values."""
	users = frappe.get_all(
		"User Permission", filters={"allow": allow, "for_value": ("in", values)}, pluck="user", distinct=True
	)
	return sorted(
		set(
			frappe.get_all(
				"Has Role",
				filters={"role": role, "parent": ("in", users or [""]), "parenttype": "User"},
				pluck="parent",
			)
		)
	)


def on_handling(doc, previous):
	if previous == ASSIGNED:
		doc.signed_on = action_date()
	elif previous == EXTENSION_REQUESTED:
		doc.extension_days = None
		doc.extension_reason = None
	elif previous == FOLLOW_UP:
		if doc.satisfaction != "不满意":
			frappe.throw(_("Only a petition the petitioner is dissatisfied with is redone"), LifecycleError)
		doc.redo_count = (doc.redo_count or 0) + 1
		doc.satisfaction = "未评价"


def on_extension_requested(doc, previous):
	require_step(doc, EXTENSION_REQUESTED, "Request Extension")
	extended_due(doc)  # refuses a second extension or one over the maximum before a leader sees it


def on_extended(doc, previous):
	doc.extended_due = extended_due(doc)
	doc.extension_count = (doc.extension_count or 0) + 1


def extended_due(doc) -> dt.date:
	return deadline(
		dl.extended_due,
		getdate(doc.handling_due),
		doc.extension_days,
		doc.extension_count or 0,
		get_rules(),
		get_calendar(),
	)


def on_reply_issued(doc, previous):
	require_step(doc, REPLY_ISSUED, "Issue Reply")
	if getdate(doc.replied_on) > getdate(today()):
		frappe.throw(_("The reply date cannot be in the future"), LifecycleError)


@contextmanager
def recording(record):
	"""While a record about a petition (a follow-up visit) moves it: the states only such a record may reach
	(domain/next_steps.py MOVED_BY_RECORD) check that it is the one moving them."""
	previous = frappe.flags.xinfang_recording
	frappe.flags.xinfang_recording = record.doctype
	try:
		yield
	finally:
		frappe.flags.xinfang_recording = previous


def on_follow_up(doc, previous):
	if previous == REPLY_ISSUED and frappe.flags.xinfang_recording != next_steps.FOLLOW_UP_VISIT:
		frappe.throw(
			_(
				"A follow-up is recorded as a Follow-up Visit: use 「Record Follow-up Visit」 on the petition; saving the visit moves the petition to Follow-up"
			),
			LifecycleError,
			title=_("Record the follow-up visit"),
		)


def on_resolved(doc, previous):
	if doc.satisfaction not in ("满意", "基本满意"):
		frappe.throw(
			_("Record a follow-up visit with the petitioner's satisfaction before resolving"), LifecycleError
		)


def on_case_closed(doc, previous):
	doc.closed_on = action_date()


def review_step(review_type: str, decided: bool):
	def check(doc, previous):
		filters = {"petition": doc.name, "review_type": review_type}
		if decided:
			filters["status"] = "Decided"
		if not frappe.db.exists("Petition Review", filters):
			frappe.throw(
				_("Register the {0} in Petition Review first; its record moves the petition").format(
					review_type
				),
				LifecycleError,
			)
		if review_type == "复核" and decided:
			doc.is_final = 1

	return check


TRANSITION_RULES = {
	ACCEPTED: on_accepted,
	NOT_ACCEPTED: on_not_accepted,
	FORWARDED: on_forwarded,
	ASSIGNED: on_assigned,
	HANDLING: on_handling,
	EXTENSION_REQUESTED: on_extension_requested,
	EXTENDED: on_extended,
	REPLY_ISSUED: on_reply_issued,
	FOLLOW_UP: on_follow_up,
	RESOLVED: on_resolved,
	CASE_CLOSED: on_case_closed,
	REVIEW_REQUESTED: review_step("复查", decided=False),
	REVIEWED: review_step("复查", decided=True),
	REREVIEW_REQUESTED: review_step("复核", decided=False),
	FINAL: review_step("复核", decided=True),
}


def apply_transition_rules(doc):
	before = doc.get_doc_before_save()
	previous = before.workflow_state if before else None
	if doc.workflow_state and doc.workflow_state != previous and doc.workflow_state in TRANSITION_RULES:
		TRANSITION_RULES[doc.workflow_state](doc, previous)


# ---- scheduled job: lights, automatic supervision, three-tier escalation ---------------------------

CLOCK_FIELDS = [
	"name",
	"workflow_state",
	"received_on",
	"accepted_on",
	"acceptance_due",
	"handling_due",
	"extended_due",
	"light",
	"responsible_unit",
	"division",
	"township",
	"handling_level",
	"tier_started_on",
]
CHUNK = 500


def run_scheduled():
	"""Hourly: recompute lights set-based, raise each red petition's supervision notice once, escalate tiers."""
	on = getdate(today())
	rows = frappe.get_all(
		"Petition", filters={"workflow_state": ("in", OPEN_STATES)}, fields=CLOCK_FIELDS, order_by="name"
	)
	changed = update_lights(rows, on)
	raise_red_notices([row for row in rows if row.new_light == dl.RED])
	notify_light_changes(changed)
	escalate_tiers(rows, on)


def update_lights(rows, on: dt.date) -> list:
	"""One UPDATE per light value (chunked), plus one to clear lights of petitions whose clock stopped."""
	rules = get_rules()
	by_light: dict[str, list[str]] = {}
	changed = []
	for row in rows:
		row.new_light = petition_light(row, on, rules)
		if row.new_light != (row.light or ""):
			by_light.setdefault(row.new_light, []).append(row.name)
			changed.append(row)
	petition = frappe.qb.DocType("Petition")
	for light, names in by_light.items():
		for start in range(0, len(names), CHUNK):
			chunk = names[start : start + CHUNK]
			frappe.qb.update(petition).set(petition.light, light).where(petition.name.isin(chunk)).run()
	(
		frappe.qb.update(petition)
		.set(petition.light, "")
		.where(petition.workflow_state.notin(OPEN_STATES) & (petition.light != ""))
		.run()
	)
	return changed


def notice_key(row) -> str:
	_start, due = current_clock(row)
	return f"{row.name}:{(row.workflow_state in ACCEPTANCE_CLOCK and 'acceptance') or 'handling'}:{due}"


def raise_red_notices(red_rows):
	"""A supervision notice per red petition and deadline, exactly once: the unique auto_key makes a second
	worker running at the same moment fail on insert, which is taken as "already raised"."""
	if not red_rows:
		return
	keys = {notice_key(row): row for row in red_rows}
	existing = set(
		frappe.get_all("Supervision Notice", filters={"auto_key": ("in", list(keys))}, pluck="auto_key")
	)
	due = getdate(today())
	for key, row in keys.items():
		if key in existing:
			continue
		notice = frappe.get_doc(
			{
				"doctype": "Supervision Notice",
				"petition": row.name,
				"to_unit": row.responsible_unit,
				"reason": "超期",
				"issued_on": due,
				"due_date": frappe.utils.add_days(due, 3),
				"is_automatic": 1,
				"auto_key": key,
				"instructions": _(
					"Overdue: the deadline of {0} passed. Report progress within 3 days."
				).format(frappe.utils.formatdate(current_clock(row)[1])),
			}
		)
		frappe.db.savepoint("xinfang_notice")
		try:
			notice.insert(ignore_permissions=True)
		except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
			frappe.db.rollback(save_point="xinfang_notice")


def notify_light_changes(changed_rows):
	for row in changed_rows:
		if row.new_light in (dl.YELLOW, dl.RED):
			notify_light_change(frappe.get_doc("Petition", row.name), row.light or "", row.new_light)


def notify_light_change(doc, previous: str, light: str | None = None):
	"""Turning yellow or red fires the Notification records whose event is the method named after the light."""
	light = light or doc.light
	if action_date() < getdate(today()):
		return  # a step entered afterwards: its light is history, nobody is to be warned of it now
	if light in (dl.YELLOW, dl.RED) and light != previous:
		# told once the light is committed: a save that rolls back warns nobody
		method = f"on_light_{light.lower()}"
		frappe.db.after_commit.add(lambda: doc.run_notifications(method))


def escalate_tiers(rows, on: dt.date):
	"""三级限时化解: Village → Township → County when a tier's days pass unresolved."""
	rules, calendar = get_rules(), get_calendar()
	for row in rows:
		if row.handling_level not in (dl.VILLAGE, dl.TOWNSHIP):
			continue
		since = getdate(row.tier_started_on or row.received_on)
		next_level = dl.escalate(row.handling_level, since, on, rules, calendar)
		if not next_level:
			continue
		frappe.db.set_value(
			"Petition", row.name, {"handling_level": next_level, "tier_started_on": on}, update_modified=False
		)
		message = _(
			"三级限时化解: not resolved at {0} level within the time limit; moved to {1} level"
		).format(_(row.handling_level), _(next_level))
		petition = frappe.get_doc("Petition", row.name)
		petition.add_comment("Info", message)
		notify_users(officers_for_level(next_level, row.division), petition, message)


def officers_for_level(level: str, division: str) -> list[str]:
	"""Officers of that level whose place scope covers the division."""
	from xinfang_app.domain.access import COUNTY_OFFICER, TOWNSHIP_OFFICER

	role = {dl.TOWNSHIP: TOWNSHIP_OFFICER, dl.COUNTY: COUNTY_OFFICER}[level]
	bounds = frappe.db.get_value("Administrative Division", division, ["lft", "rgt"], as_dict=True)
	if not bounds:
		return []
	ancestors = frappe.get_all(
		"Administrative Division",
		filters={"lft": ("<=", bounds.lft), "rgt": (">=", bounds.rgt)},
		pluck="name",
	)
	return scoped_users("Administrative Division", ancestors, role)


def notify_users(users: list[str], doc, subject: str):
	"""A desk notification to `users`, queued once the transaction commits (never for one rolled back)."""
	if not users:
		return
	from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification

	notice = {
		"type": "Alert",
		"document_type": doc.doctype,
		"document_name": doc.name,
		"subject": subject,
		"from_user": "Administrator",
	}
	frappe.db.after_commit.add(lambda: enqueue_create_notification(users, notice))
