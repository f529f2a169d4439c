"""Load the demo county (清源县, docs/DESIGN.md §8). Idempotent: a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Callable
from contextlib import contextmanager

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import getdate, today

from xinfang_app import lifecycle
from xinfang_app.demo import county_data, disputes_data, disputes_loader, leaders, leaders_data, stories
from xinfang_app.demo.bulk import insert_in_bulk
from xinfang_app.domain import access
from xinfang_app.install import WORKSPACE
from xinfang_app.language import use_site_language

EMAIL_DOMAIN = "xinfang.example.cn"
# Strong enough for Frappe's default password policy (zxcvbn score >= 2) on a fresh site.
DEFAULT_DEMO_PASSWORD = "Xinfang@2026"
# The demo 12345 platform's API key and secret (README: 来文接口); a real sender gets its own in the desk.
DEMO_INTAKE_KEY, DEMO_INTAKE_SECRET = "xinfang-demo-12345", "Xinfang-Demo-Intake-2026"
# Records the petitions' stories create besides workflow steps (counted for the summary).
STORY_RECORDS = ("Follow-up Visit", "Petition Review", "Supervision Notice")


def demo_users(divisions: list[dict], units: list[dict]) -> list[dict]:
	"""One user per role and level; two villages and two townships so that siblings can be compared."""
	county = next(d["division_name"] for d in divisions if d["division_level"] == "County")
	townships = [d["division_name"] for d in divisions if d["division_level"] == "Township"]
	villages_of = {
		t: [d["division_name"] for d in divisions if d["parent"] == t and d["division_level"] == "Village"]
		for t in townships
	}
	t1, t2 = townships[0], townships[1]
	v1, v2 = villages_of[t1][0], villages_of[t1][1]
	v3 = villages_of[t2][0]
	housing = next(u["unit_name"] for u in units if "住房和城乡建设局" in u["unit_name"])
	t1_government = next(u["unit_name"] for u in units if u["unit_name"] == f"{t1}人民政府")
	t2_government = next(u["unit_name"] for u in units if u["unit_name"] == f"{t2}人民政府")

	def user(login, name, role, division=None, unit=None, extra_roles=()):
		return {
			"email": f"{login}@{EMAIL_DOMAIN}",
			"first_name": name,
			"roles": [role, *extra_roles],
			"division": division,
			"unit": unit,
		}

	return [
		user("manager", "管理员张敏", access.MANAGER, extra_roles=("System Manager",)),
		user("county.officer", "县信访局李晓东", access.COUNTY_OFFICER, division=county),
		user("county.leader", "县领导王振华", access.LEADER, division=county),
		user("supervisor", "县督查室赵立新", access.SUPERVISOR, division=county),
		user("township1.officer", f"{t1}信访办刘洋", access.TOWNSHIP_OFFICER, division=t1),
		user("township2.officer", f"{t2}信访办陈静", access.TOWNSHIP_OFFICER, division=t2),
		user("township1.leader", f"{t1}党委书记孙伟", access.LEADER, division=t1),
		user("village1.officer", f"{v1}信访员周强", access.VILLAGE_OFFICER, division=v1),
		user("village2.officer", f"{v2}信访员吴丽", access.VILLAGE_OFFICER, division=v2),
		user("village3.officer", f"{v3}信访员郑海", access.VILLAGE_OFFICER, division=v3),
		user("handler.housing", "住建局承办人钱涛", access.UNIT_HANDLER, unit=housing),
		user("handler.township1", f"{t1}政府承办人冯军", access.UNIT_HANDLER, unit=t1_government),
		user("handler.township2", f"{t2}政府承办人邓红", access.UNIT_HANDLER, unit=t2_government),
		user("mediator1", f"{v1}调解员何秀英", access.MEDIATOR, division=v1),
		# the 12345 platform handing petitions in (README: 来文接口), with the demo's API key
		{**user("intake.12345", "12345热线平台", access.INTEGRATION), "api_key": DEMO_INTAKE_KEY},
	]


# The day the demo county was first generated for; later runs generate the same county again (so they
# find everything already loaded) instead of a county shifted to the new day.
AS_OF_DEFAULT = "xinfang_demo_as_of"


def demo_as_of(requested: dt.date | None = None) -> dt.date:
	"""The demo's own "today": the date of its first load on this site, kept in the site's defaults."""
	stored = frappe.db.get_default(AS_OF_DEFAULT)
	if stored:
		return getdate(stored)
	as_of = getdate(requested or today())
	frappe.db.set_default(AS_OF_DEFAULT, as_of.isoformat())
	return as_of


def load_demo(
	password: str = DEFAULT_DEMO_PASSWORD,
	today_date: dt.date | None = None,
	progress: Callable[[str], None] = lambda line: None,
) -> list[str]:
	"""Load every stage; `progress` receives one line per stage with what it created and its time."""
	frappe.set_user("Administrator")
	check_password_policy(password)
	today_date = demo_as_of(today_date)
	progress(f"演示县数据基准日期 {today_date.isoformat()}")
	created: dict[str, int] = {}
	started = time.monotonic()

	def stage(title: str, load: Callable[[], dict[str, int]]):
		began = time.monotonic()
		counts = load() or {}
		created.update(counts)
		figures = "，".join(f"{doctype} {count}" for doctype, count in counts.items()) or "—"
		progress(f"{title}：新建 {figures}（{time.monotonic() - began:.1f} 秒）")

	with metadata_kept():
		stage("桌面语言与设置", set_chinese_desk)
		use_site_language()  # what the stories write (comments, notices) is in the site's language
		divisions = county_data.build_divisions()
		units = county_data.build_units(divisions)
		stage(
			"行政区划、单位、用户",
			lambda: {
				"Administrative Division": load_divisions(divisions),
				"Government Unit": load_units(units),
				"User": load_users(demo_users(divisions, units), password),
			},
		)
		petitions = county_data.generate_petitions(divisions, units, today=today_date)
		plans = stories.plan_stories(petitions, units, today=today_date)
		stage("信访事项及其办理经过", lambda: load_petition_stories(petitions, plans))
		disputes = disputes_data.generate_disputes(divisions, petitions, plans, today_date)
		stage("矛盾纠纷、调解", lambda: disputes_loader.load_disputes(disputes, petitions, EMAIL_DOMAIN))
		stage(
			"领导接访与包案",
			lambda: leaders.load_leaders(
				leaders_data.plan_leaders(petitions, plans, today_date, divisions=divisions),
				petitions,
				EMAIL_DOMAIN,
				today_date,
			),
		)
	progress(f"合计 {time.monotonic() - started:.1f} 秒")
	return [f"{doctype}: {count} created" for doctype, count in created.items()]


# What a doctype's metadata is built from (DocField and the DocType children change with their DocType).
DEFINITIONS = " union all ".join(
	f"select '{table}', count(*), max(modified) from `tab{table}`"
	for table in (
		"DocType",
		"Custom Field",
		"Property Setter",
		"Custom DocPerm",
		"DocType Link",
		"DocType Action",
		"DocType State",
	)
)


@contextmanager
def metadata_kept():
	"""Frappe clears every cache whenever a site-wide default is set: its setup wizard does so several
	times, and so does every User's save (it records the mailboxes awaiting a password, none here). The
	next document then rebuilds, one by one, the metadata of each doctype it touches (about 25 ms each,
	some 500 times over the load). The load changes no doctype, so after such a clear the metadata this
	process already holds is kept; everything else is cleared as Frappe clears it. Clears of one
	doctype or one user pass through unchanged, and if a definition (DocType, Custom Field, Property
	Setter, custom permission, link, action or state) changes, every clear passes through."""
	original = frappe.clear_cache
	key = frappe.cache.make_key("doctype_meta")
	definitions = frappe.db.sql(DEFINITIONS)

	def clear_cache(user: str | None = None, doctype: str | None = None):
		metas = frappe.local.cache.get(key)
		original(user=user, doctype=doctype)
		if user or doctype or not metas or frappe.db.sql(DEFINITIONS) != definitions:
			return
		frappe.local.cache[key] = metas

	frappe.clear_cache = clear_cache
	try:
		yield
	finally:
		frappe.clear_cache = original


def load_petition_stories(petitions: list[dict], plans: list[list[stories.Step]]) -> dict[str, int]:
	before = {doctype: frappe.db.count(doctype) for doctype in STORY_RECORDS}
	with history_entry():
		loaded = load_petitions(petitions, plans)
	created = dict(zip(("Petition", "Petitioner", "Petition Workflow step"), loaded, strict=True))
	if created["Petition"]:  # a run that loads nothing leaves today's work to the hourly job
		raise_current_workflow_actions()
		lifecycle.run_scheduled()  # lights, supervision of red petitions, three-tier escalation
	for doctype in STORY_RECORDS:
		created[doctype] = frappe.db.count(doctype) - before[doctype]
	return created


@contextmanager
def history_entry():
	"""While months of paper history are entered, Frappe neither evaluates Notifications nor makes
	Workflow Actions for each past step: they would tell officers today about steps long done (and cost
	two thirds of the load). The actions of each petition's current state are made afterwards.

	Nor does it queue a realtime update per save for nobody's open form (Frappe keeps that queue in a
	list it searches on every save until the commit: quadratic over one long transaction), and the
	field lists of its queries, tidied by sqlparse on every query, are tidied once per distinct text.

	The history itself is written as Frappe writes it, only in bulk: each save's Version (Frappe's own
	diff of the document before and after) and each workflow step's timeline comment are built at the
	step, stamped with the step's time, and inserted together at the end (neither doctype's controller
	does more on insert for these: a Version has no hooks, a Workflow comment neither mentions nor
	updates the document's comment cache).

	A step rewrites a petition's own fields; its petitioners and demands, which no step changes, are
	not written again row by row (an UPDATE per row and a DELETE per table on every save, a third of
	the load's queries): the rows Frappe would rewrite unchanged only get the save's modified stamp,
	also written at the end. A table whose rows did change is written as Frappe writes it. And the
	places above a petition's division (its township, county and city: the tree does not change while
	the history is entered) are looked up once per division, not on every save."""
	import sqlparse
	from frappe import realtime
	from frappe.model.document import Document
	from frappe.workflow.doctype.workflow_action import workflow_action

	from xinfang_app.xinfang_app.doctype.administrative_division import (
		administrative_division as division_controller,
	)

	history = _DeferredHistory(Document.add_comment, Document.update_child_table)
	saved = (
		(Document, "update_child_table", history.update_child_table),
		(division_controller, "get_chain", functools.cache(division_controller.get_chain)),
		(Document, "run_notifications", lambda self, method: None),
		(workflow_action, "process_workflow_actions", lambda doc, state: None),
		(realtime, "publish_realtime", lambda *args, **kwargs: None),
		(sqlparse, "format", _memoized(sqlparse.format)),
		(Document, "save_version", history.save_version),
		(Document, "add_comment", history.add_comment),
		(Document, "load_from_db", _remembering(Document.load_from_db)),
		(Document, "load_doc_before_save", _remembered(Document.load_doc_before_save)),
	)
	originals = [(owner, name, getattr(owner, name)) for owner, name, _ in saved]
	for owner, name, replacement in saved:
		setattr(owner, name, replacement)
	try:
		yield
	finally:
		for owner, name, original in originals:
			setattr(owner, name, original)
	history.write()


class _DeferredHistory:
	"""Versions and workflow comments of the history, kept until `write` inserts them in bulk."""

	def __init__(self, add_comment, update_child_table):
		self.versions: list[list] = []
		self.comments: list[list] = []
		# (child doctype, parent doctype, parent, table field) -> the last save's modified and modified_by
		self.stamps: dict[tuple[str, str, str, str], tuple] = {}
		self._add_comment = add_comment
		history = self

		def update_children(doc, fieldname, df=None):
			df = df or doc.meta.get_field(fieldname)
			before = doc.get_doc_before_save()
			if (
				doc.is_new()
				or before is None
				or not _same_rows(doc.get(df.fieldname), before.get(df.fieldname))
			):
				update_child_table(doc, fieldname, df)
			history.stamps[(df.options, doc.doctype, doc.name, df.fieldname)] = (
				doc.modified,
				doc.modified_by,
			)

		def save_version(doc):
			if (
				not getattr(doc.meta, "track_changes", False)
				or doc.doctype == "Version"
				or doc.flags.ignore_version
			):
				return
			version = frappe.new_doc("Version")
			if version.update_version_info(doc._doc_before_save, doc):
				history.versions.append(
					[
						frappe.generate_hash(length=10),
						frappe.utils.now(),
						version.ref_doctype,
						version.docname,
						version.data,
					]
				)

		def add_comment(doc, comment_type="Comment", text=None, comment_email=None, comment_by=None):
			if comment_type != "Workflow":
				return history._add_comment(doc, comment_type, text, comment_email, comment_by)
			history.comments.append(
				[
					frappe.generate_hash(length=10),
					frappe.utils.now(),
					doc.doctype,
					doc.name,
					text or comment_type,
				]
			)

		self.save_version, self.add_comment = save_version, add_comment
		self.update_child_table = update_children

	def write(self):
		user = frappe.session.user
		if self.versions:
			frappe.db.bulk_insert(
				"Version",
				["name", "creation", "modified", "owner", "modified_by", "ref_doctype", "docname", "data"],
				[
					[name, at, at, user, user, doctype, docname, data]
					for name, at, doctype, docname, data in self.versions
				],
			)
		if self.comments:
			frappe.db.bulk_insert(
				"Comment",
				[
					"name",
					"creation",
					"modified",
					"owner",
					"modified_by",
					"comment_type",
					"comment_email",
					"reference_doctype",
					"reference_name",
					"content",
				],
				[
					[name, at, at, user, user, "Workflow", user, doctype, docname, text]
					for name, at, doctype, docname, text in self.comments
				],
			)
		self.versions, self.comments = [], []
		by_table: dict[tuple[str, str, str, str], list] = {}
		for (child, parenttype, parent, fieldname), (modified, user) in self.stamps.items():
			by_table.setdefault((child, parenttype, fieldname, user), []).append((parent, modified))
		for table, stamps in by_table.items():
			for start in range(0, len(stamps), 500):
				_stamp_rows(*table, stamps[start : start + 500])
		self.stamps = {}


def _same_rows(rows: list, loaded: list) -> bool:
	"""The table's rows are the ones loaded, unchanged (apart from the save's modified stamp)."""
	if len(rows) != len(loaded):
		return False
	return all(
		not row.is_new() and row.name == was.name and _row_values(row) == _row_values(was)
		for row, was in zip(rows, loaded, strict=True)
	)


def _row_values(row) -> dict:
	values = row.get_valid_dict(convert_dates_to_str=True)
	values.pop("modified", None)
	values.pop("modified_by", None)
	return values


def _stamp_rows(child: str, parenttype: str, fieldname: str, user: str, stamps: list[tuple]):
	"""Give the rows of each parent the modified stamp of the parent's last save, in one statement."""
	values = [value for parent, modified in stamps for value in (parent, modified)]
	parents = [parent for parent, _modified in stamps]
	frappe.db.sql(
		f"update `tab{child}` set modified = case parent {' when %s then %s' * len(stamps)} end,"
		f" modified_by=%s where parenttype=%s and parentfield=%s"
		f" and parent in ({', '.join(['%s'] * len(parents))})",
		(*values, user, parenttype, fieldname, *parents),
	)


def _remembering(load_from_db):
	"""Loading a document from the database also keeps a copy of it as loaded..."""
	from frappe.model.meta import Meta

	def load_and_remember(doc):
		load_from_db(doc)
		if isinstance(doc, Meta):
			return  # a doctype's metadata, first read while the history is entered: not a record of it
		doc._as_loaded = frappe.get_doc(doc.as_dict())
		# its links were checked when it was written; a step changes them only to the loader's own
		# divisions and units, so the step's save does not look each of them up again
		doc.flags.ignore_links = True

	return load_and_remember


def _remembered(load_doc_before_save):
	"""…which its next save takes as the document before the save instead of reading it again (a story is
	entered step by step, nothing else writes the record between loading it and saving it). A second
	save of the same object reads the database as Frappe does."""

	def take_as_loaded(doc, *, raise_exception: bool = False):
		as_loaded = doc.__dict__.pop("_as_loaded", None)
		if as_loaded is None or doc.is_new():
			return load_doc_before_save(doc, raise_exception=raise_exception)
		doc._doc_before_save = as_loaded

	return take_as_loaded


def _memoized(format_sql: Callable[..., str]) -> Callable[..., str]:
	"""sqlparse.format is a pure function of its text and options: remember its answers."""
	answers: dict[tuple, str] = {}

	def format_once(sql: str, **options) -> str:
		key = (sql, tuple(sorted(options.items())))
		if key not in answers:
			answers[key] = format_sql(sql, **options)
		return answers[key]

	return format_once


def raise_current_workflow_actions():
	"""The Workflow Actions (待办) of the open petitions' current states, as live work would have left them."""
	from frappe.workflow.doctype.workflow_action.workflow_action import process_workflow_actions

	for name in frappe.get_all(
		"Petition", filters={"workflow_state": ("in", lifecycle.OPEN_STATES)}, pluck="name"
	):
		process_workflow_actions(frappe.get_doc("Petition", name), "on_update")


def check_password_policy(password: str) -> None:
	"""Refuse a weak demo password before anything is written, instead of failing half-way."""
	from frappe.core.doctype.user.user import test_password_strength

	feedback = (test_password_strength(password, user_data=("demo",)) or {}).get("feedback") or {}
	if feedback and not feedback.get("password_policy_validation_passed", False):
		frappe.throw(
			"演示用户密码不符合本站点的密码策略（系统设置 → 密码强度），请换一个更强的密码，例如 "
			f"{DEFAULT_DEMO_PASSWORD}。",
			title="密码过弱",
		)


def set_chinese_desk():
	"""Finish Frappe's setup wizard the standard way (so the desk opens, not the wizard), in Chinese."""
	if not frappe.db.get_single_value("System Settings", "setup_complete"):
		from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

		setup_complete(
			{
				"language": "简体中文",
				"lang": "简体中文",
				"country": "China",
				"timezone": "Asia/Shanghai",
				"currency": "CNY",
			}
		)
	settings = frappe.get_single("System Settings")
	wanted = {"language": "zh", "time_zone": "Asia/Shanghai", "date_format": "yyyy-mm-dd", "country": "China"}
	if any(settings.get(key) != value for key, value in wanted.items()):
		settings.update(wanted)
		settings.flags.ignore_mandatory = True
		settings.save(ignore_permissions=True)


def load_divisions(divisions: list[dict]) -> int:
	"""The tree in bulk, then Frappe's own nested-set numbering of the whole tree in one pass."""
	from frappe.utils.nestedset import rebuild_tree

	from xinfang_app.domain.divisions import default_is_group
	from xinfang_app.xinfang_app.doctype.administrative_division.administrative_division import (
		clear_user_permission_cache,
	)

	count = insert_in_bulk(
		"Administrative Division",
		[
			{
				"name": row["division_name"],
				"division_name": row["division_name"],
				"division_level": row["division_level"],
				"division_code": row["division_code"] or None,
				"parent_administrative_division": row["parent"],
				"old_parent": row["parent"],
				"lft": 0,  # numbered by rebuild_tree below
				"rgt": 0,
				"is_group": int(default_is_group(row["division_level"])),
			}
			for row in divisions
		],
	)
	if count:
		rebuild_tree("Administrative Division")
		clear_user_permission_cache()
	return count


def load_units(units: list[dict]) -> int:
	return insert_in_bulk("Government Unit", [{"name": row["unit_name"], **row} for row in units])


def load_users(users: list[dict], password: str) -> int:
	with mailbox_list_kept():
		return _load_users(users, password)


@contextmanager
def mailbox_list_kept():
	"""Every User's save makes Frappe write again the site default listing the users whose mailbox awaits a
	password, and writing a site default clears every cache. A demo user has no mailbox: while the list
	stays as it is, it is left as it is (and the caches with it)."""
	from frappe.core.doctype.user import user as user_controller

	original = user_controller.ask_pass_update

	def ask_pass_update():
		awaiting = frappe.get_all(
			"User Email", filters={"awaiting_password": 1, "used_oauth": 0}, pluck="parent", distinct=True
		)
		stored = frappe.db.sql(
			"select defvalue from `tabDefaultValue` where parent='__default' and defkey='email_user_password'"
		)
		if [row[0] for row in stored] != [",".join(awaiting)]:
			original()

	user_controller.ask_pass_update = ask_pass_update
	try:
		yield
	finally:
		user_controller.ask_pass_update = original


def _load_users(users: list[dict], password: str) -> int:
	count = 0
	for row in users:
		# a mediator lands on 调解工作台: 信访工作台 is not theirs, and a home they may not open is an error
		# page; the intake service account never opens the desk
		service = set(row["roles"]) <= set(access.SERVICE_ROLES)
		home = access.home_workspace(row["roles"]) or (None if service else WORKSPACE)
		if home != WORKSPACE and frappe.db.get_value("User", row["email"], "default_workspace") == WORKSPACE:
			# an earlier demo gave every login the workbench, the mediator's and the service account's too
			frappe.db.set_value("User", row["email"], "default_workspace", home, update_modified=False)
		if not frappe.db.exists("User", row["email"]):
			user = frappe.get_doc(
				{
					"doctype": "User",
					"email": row["email"],
					"first_name": row["first_name"],
					"language": "zh",
					"send_welcome_email": 0,
					"user_type": "System User",
					"default_workspace": home,
					"new_password": password,
					"roles": [{"role": role} for role in row["roles"]],  # one save, not a second for roles
				}
			)
			if row.get("api_key"):
				user.update({"api_key": row["api_key"], "api_secret": DEMO_INTAKE_SECRET})
			user.flags.no_welcome_mail = True
			user.insert(ignore_permissions=True)
			count += 1
		if row["division"]:
			ensure_user_permission(row["email"], "Administrative Division", row["division"])
		if row["unit"]:
			ensure_user_permission(row["email"], "Government Unit", row["unit"])
	return count


def ensure_user_permission(user: str, allow: str, value: str):
	if frappe.db.exists("User Permission", {"user": user, "allow": allow, "for_value": value}):
		return
	frappe.get_doc(
		{
			"doctype": "User Permission",
			"user": user,
			"allow": allow,
			"for_value": value,
			"apply_to_all_doctypes": 1,
		}
	).insert(ignore_permissions=True)


def load_petitions(petitions: list[dict], plans: list[list[stories.Step]]) -> tuple[int, int, int]:
	"""Insert the petitions not loaded yet and replay each one's story; a loaded one is left as it is."""
	created_petitions = created_people = steps = 0
	names: list[str] = []
	for row, story in zip(petitions, plans, strict=True):
		existing = frappe.db.get_value("Petition", county_data.petition_filters(row))
		if existing:
			names.append(existing)
			continue
		parties = []
		for person in row["petitioners"]:
			name, is_new = ensure_petitioner(person)
			created_people += is_new
			parties.append({"petitioner": name, "party_role": person["party_role"]})
		doc = frappe.get_doc(
			{
				"doctype": "Petition",
				**{key: row.get(key) for key in PETITION_FIELDS},
				"petitioners": parties,
				"demands": row["demands"],
				"repeat_of": names[row["repeat_of_index"]]
				if row.get("repeat_of_index") is not None
				else None,
			}
		)
		with lifecycle.acting_on(row["received_on"]):  # registered on the day it was received
			doc.insert(ignore_permissions=True)
		names.append(doc.name)
		created_petitions += 1
		for step in story:
			with lifecycle.acting_on(step.on):
				take_step(doc.name, step)
			steps += 1
	return created_petitions, created_people, steps


def take_step(petition: str, step: stories.Step):
	"""One step of a story, the way an officer takes it: a workflow action, or the record that moves it."""
	if step.kind == stories.ACTION:
		if step.values:
			doc = frappe.get_doc("Petition", petition)
			doc.update(step.values)
			doc.save(ignore_permissions=True)
		apply_workflow({"doctype": "Petition", "name": petition}, step.action)  # it loads the petition itself
	elif step.kind == stories.FOLLOW_UP_VISIT:
		frappe.get_doc(
			{"doctype": "Follow-up Visit", "petition": petition, "visited_on": step.on, **step.values}
		).insert(ignore_permissions=True)
	elif step.kind == stories.REVIEW_REQUEST:
		frappe.get_doc(
			{"doctype": "Petition Review", "petition": petition, "requested_on": step.on, **step.values}
		).insert(ignore_permissions=True)
	elif step.kind == stories.REVIEW_DECISION:
		review = frappe.get_doc(
			"Petition Review", {"petition": petition, "review_type": step.values["review_type"]}
		)
		review.update({**step.values, "decided_on": step.on})
		review.save(ignore_permissions=True)


PETITION_FIELDS = (
	"subject",
	"content",
	"channel",
	"received_on",
	"petition_class",
	"category",
	"division",
	"headcount",
	"responsible_unit",
	"handling_level",
	"is_first_time",
	"accused_unit",
	"accused_person",
)


def ensure_petitioner(person: dict) -> tuple[str, bool]:
	existing = frappe.db.get_value("Petitioner", {"id_number": person["id_number"]})
	if existing:
		return existing, False
	doc = frappe.get_doc(
		{
			"doctype": "Petitioner",
			"full_name": person["full_name"],
			"id_number": person["id_number"],
			"phone": person["phone"],
			"address": person["address"],
			"division": person["division"],
		}
	).insert(ignore_permissions=True)
	return doc.name, True
