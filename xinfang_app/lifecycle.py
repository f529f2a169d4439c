"""Petition lifecycle services: settings and holiday calendar for the pure deadline core, the rules of
each workflow step that a Frappe Workflow cannot express, and the scheduled light/escalation job."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import frappe
from frappe import _
from frappe.utils import getdate, today

from xinfang_app.domain import deadline_sql, next_steps
from xinfang_app.domain import deadlines as dl
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
from xinfang_app.naming import reserve

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
#
# Set-based: a fixed number of statements whatever the number of petitions. The rules are those of
# domain/deadlines.py, written as SQL by domain/deadline_sql.py (and tested against them there). What
# is told to people — the light Notifications and the escalation alerts — is sent per petition by a
# queued job once the hourly job has committed, through Frappe's own Notification path.

NOTICE_SERIES = "DB-.YYYY.-"  # Supervision Notice's autoname format:DB-{YYYY}-{#####}
NOTICE_DIGITS = 5
NOTIFY_CHUNK = 1000  # petitions per queued notification job


def quote(value) -> str:
	return frappe.db.escape(str(value), percent=False)


def states_sql(states) -> str:
	return ", ".join(quote(state) for state in states)


def run_scheduled(on: dt.date | None = None):
	"""Hourly: recompute lights, raise each red petition's supervision notice once, escalate tiers.
	`on` is the day the job runs for (today; the benchmark passes another)."""
	on = getdate(on or today())
	rules = get_rules()
	changed = update_lights(light_sql(on, rules))
	raise_red_notices(on)
	notify_light_changes(changed)
	escalate_tiers(on, rules)


def light_sql(on: dt.date, rules: dl.Rules | None = None) -> str:
	"""SQL of a petition's light on `on` (deadlines.light of the clock running in its state)."""
	return deadline_sql.light_sql(on, rules or get_rules(), ACCEPTANCE_CLOCK, HANDLING_CLOCK, quote)


def update_lights(light: str, names: list[str] | None = None) -> list:
	"""Set every open petition's light (or only those of `names`) to `light` (SQL) in one UPDATE, after
	reading which ones turn yellow or red (they are told), and clear the light of petitions whose clock
	stopped. Returns the changes to yellow or red as rows (name, light, new_light)."""
	if names is not None and not names:
		return []
	where = f"workflow_state in ({states_sql(OPEN_STATES)})"
	if names is not None:
		where += f" and name in ({', '.join(quote(name) for name in names)})"
	changed = frappe.db.sql(
		f"""select name, light, new_light from (
			select name, ifnull(light, '') as light, {light} as new_light from `tabPetition` where {where}) t
		where new_light != light and new_light in ({states_sql((dl.YELLOW, dl.RED))})
		order by name""",
		as_dict=True,
	)
	# the changed rows are found on the job's index (a derived table), and only they are written
	frappe.db.sql(
		f"""update `tabPetition` p join (
			select name, {light} as new_light from `tabPetition`
			where {where} and ifnull(light, '') != {light}) c on c.name = p.name
		set p.light = c.new_light"""
	)
	frappe.db.sql(
		f"""update `tabPetition` p join (
			select name from `tabPetition` where light > '' and workflow_state not in ({states_sql(OPEN_STATES)})
		) c on c.name = p.name set p.light = ''"""
	)
	return changed


def notice_key_sql(table: str = "`tabPetition`") -> str:
	"""SQL of a red petition's notice key: name, the clock that ran out and its due date (lifecycle's rule
	since the first version: one notice per petition, clock and deadline)."""
	acceptance = states_sql(ACCEPTANCE_CLOCK)
	return (
		f"concat({table}.name, ':', if({table}.workflow_state in ({acceptance}), 'acceptance', 'handling'),"
		f" ':', {due_sql()})"
	)


def due_sql() -> str:
	return deadline_sql.clock_sql(ACCEPTANCE_CLOCK, HANDLING_CLOCK, quote)[1]


def raise_red_notices(on: dt.date):
	"""A supervision notice per red petition and deadline, exactly once, inserted in one statement. Names
	follow the doctype's series, reserved in one step (the row lock on the series serialises two workers);
	the unique auto_key makes a notice a second worker already raised a no-op, and a petition that turned
	red between the count and the insert waits for the next run."""
	from frappe.model.naming import parse_naming_series

	new_notices = f"""select row_number() over (order by t.petition) as n, t.* from (
			select name as petition, responsible_unit, {notice_key_sql()} as auto_key, {due_sql()} as due
			from `tabPetition`
			where workflow_state in ({states_sql(OPEN_STATES)}) and light = {quote(dl.RED)}
		) t
		where not exists (select 1 from `tabSupervision Notice` s where s.auto_key = t.auto_key)"""
	count = frappe.db.sql(
		f"""select count(*) from `tabPetition` p
		where p.workflow_state in ({states_sql(OPEN_STATES)}) and p.light = {quote(dl.RED)}
			and not exists (select 1 from `tabSupervision Notice` s where s.auto_key = {notice_key_sql("p")})"""
	)[0][0]  # on the job's index alone: a run with nothing new reads no petition's row
	if count:
		prefix = parse_naming_series(NOTICE_SERIES)
		first = reserve(prefix, count) - 1  # the n-th new notice takes number first + n
		instructions = _("Overdue: the deadline of {0} passed. Report progress within 3 days.").format("\x00")
		before, after = instructions.split("\x00")
		now = frappe.utils.now()
		user = frappe.session.user
		frappe.db.sql(
			f"""insert into `tabSupervision Notice` (name, creation, modified, modified_by, owner, docstatus,
				idx, petition, to_unit, reason, issued_on, due_date, status, is_automatic, auto_key, instructions)
			select concat(%(prefix)s, lpad(%(first)s + n, greatest({NOTICE_DIGITS}, length(%(first)s + n)), '0')),
				%(now)s, %(now)s, %(user)s, %(user)s, 0, 0, petition, responsible_unit, '超期', %(on)s,
				%(due_date)s, 'Awaiting Response', 1, auto_key,
				concat(%(before)s, date_format(due, %(date_format)s), %(after)s)
			from ({new_notices}) c where n <= %(count)s order by n
			on duplicate key update auto_key = `tabSupervision Notice`.auto_key""",
			{
				"prefix": prefix,
				"first": first,
				"count": count,
				"now": now,
				"user": user,
				"on": on,
				"due_date": frappe.utils.add_days(on, 3),
				"before": before,
				"after": after,
				"date_format": mysql_date_format(),
			},
		)


def mysql_date_format() -> str:
	"""The system date format (frappe.utils.formatdate) for MariaDB's date_format."""
	pattern = frappe.db.get_default("date_format") or "yyyy-mm-dd"
	for frappe_part, sql_part in (("yyyy", "%Y"), ("dd", "%d"), ("mm", "%m")):
		pattern = pattern.replace(frappe_part, sql_part)
	return pattern


def notify_light_changes(changed_rows):
	"""Turning yellow or red fires the Notification records whose event is the method named after the
	light, per petition, in a queued job once the hourly job has committed."""
	changes = [(row.name, row.light, row.new_light) for row in changed_rows]
	for start in range(0, len(changes), NOTIFY_CHUNK):
		enqueue_after_commit(send_light_notifications, changes=changes[start : start + NOTIFY_CHUNK])


def send_light_notifications(changes: list):
	for name, _previous, light in changes:
		if frappe.db.exists("Petition", name):
			frappe.get_doc("Petition", name).run_notifications(f"on_light_{light.lower()}")


def notify_light_change(doc, previous: str, light: str | None = None):
	"""Turning yellow or red fires the Notification records whose event is the method named after the light."""
	light = light or doc.light
	if action_date() < getdate(today()):
		return  # a step entered afterwards: its light is history, nobody is to be warned of it now
	if light in (dl.YELLOW, dl.RED) and light != previous:
		# told once the light is committed: a save that rolls back warns nobody
		method = f"on_light_{light.lower()}"
		frappe.db.after_commit.add(lambda: doc.run_notifications(method))


def enqueue_after_commit(function, **kwargs):
	"""Run `function` in a worker once this transaction commits (in the test runner: at the commit)."""
	method = f"{function.__module__}.{function.__name__}"
	frappe.db.after_commit.add(
		lambda: frappe.enqueue(method, queue="default", now=bool(frappe.flags.in_test), **kwargs)
	)


def escalate_tiers(on: dt.date, rules: dl.Rules):
	"""三级限时化解: Village → Township → County when a tier's days pass unresolved — one UPDATE, one
	INSERT of the timeline notes, the officers of the next level read in one query and alerted."""
	calendar = get_calendar()
	cutoffs = {
		level: deadline_sql.tier_cutoff(level, on, rules, calendar) for level in (dl.VILLAGE, dl.TOWNSHIP)
	}
	next_level = {dl.VILLAGE: dl.TOWNSHIP, dl.TOWNSHIP: dl.COUNTY}

	def escalating(t: str) -> str:
		"""SQL: petition `t` is open and its tier started on or before its level's cut-off."""
		tiers = " or ".join(
			f"({t}.handling_level = {quote(level)}"
			f" and coalesce({t}.tier_started_on, {t}.received_on) <= {quote(cutoff)})"
			for level, cutoff in cutoffs.items()
		)
		return f"{t}.workflow_state in ({states_sql(OPEN_STATES)}) and ({tiers})"

	messages = {
		level: _("三级限时化解: not resolved at {0} level within the time limit; moved to {1} level").format(
			_(level), _(to)
		)
		for level, to in next_level.items()
	}
	now, user = frappe.utils.now(), frappe.session.user
	frappe.db.sql(
		f"""insert into `tabComment` (name, creation, modified, modified_by, owner, docstatus, idx,
			comment_type, comment_email, reference_doctype, reference_name, content, published, seen)
		select left(md5(concat(e.name, %(now)s, rand())), 10), %(now)s, %(now)s, %(user)s, %(user)s, 0, 0,
			'Info', %(user)s, 'Petition', e.name,
			case e.handling_level {" ".join(f"when {quote(a)} then {quote(m)}" for a, m in messages.items())} end,
			0, 0
		from `tabPetition` e where {escalating("e")}""",
		{"now": now, "user": user},
	)
	from xinfang_app.domain.access import COUNTY_OFFICER, TOWNSHIP_OFFICER

	roles = {dl.TOWNSHIP: TOWNSHIP_OFFICER, dl.COUNTY: COUNTY_OFFICER}
	recipients = frappe.db.sql(
		f"""select distinct e.name, e.handling_level, up.user
		from `tabPetition` e
		join `tabAdministrative Division` d on d.name = e.division
		join `tabAdministrative Division` a on a.lft <= d.lft and a.rgt >= d.rgt
		join `tabUser Permission` up on up.allow = 'Administrative Division' and up.for_value = a.name
		join `tabHas Role` r on r.parent = up.user and r.parenttype = 'User'
			and r.role = case e.handling_level {" ".join(f"when {quote(a)} then {quote(roles[b])}" for a, b in next_level.items())} end
		where {escalating("e")}
		order by e.name, up.user"""
	)
	frappe.db.sql(
		f"""update `tabPetition` p join (select e.name from `tabPetition` e where {escalating("e")}) c
			on c.name = p.name
		set p.tier_started_on = %s,
			p.handling_level = case p.handling_level {" ".join(f"when {quote(a)} then {quote(b)}" for a, b in next_level.items())} end""",
		on,
	)
	alerts: dict[str, list] = {}
	for name, from_level, user in recipients:
		alerts.setdefault(name, [messages[from_level], []])[1].append(user)
	items = [(name, subject, users) for name, (subject, users) in alerts.items()]
	for start in range(0, len(items), NOTIFY_CHUNK):
		enqueue_after_commit(send_alerts, items=items[start : start + NOTIFY_CHUNK])


def send_alerts(items: list):
	"""Desk notifications (type Alert) about petitions: (petition, subject, users) each."""
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	for name, subject, users in items:
		make_notification_logs(alert("Petition", name, subject), users)


def notify_users(users: list[str], doc, subject: str):
	"""A desk notification to `users`, queued once the transaction commits (never for one rolled back)."""
	if not users:
		return
	from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification

	notice = alert(doc.doctype, doc.name, subject)
	frappe.db.after_commit.add(lambda: enqueue_create_notification(users, notice))


def alert(doctype: str, name: str, subject: str) -> dict:
	"""A desk notification (type Alert) about a record, from the system."""
	return {
		"type": "Alert",
		"document_type": doctype,
		"document_name": name,
		"subject": subject,
		"from_user": "Administrator",
	}
