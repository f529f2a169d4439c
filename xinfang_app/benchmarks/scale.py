"""Benchmark: a city of N petitions — the app's own paths next to hand-written SQL on the same tables.

    bench --site <site> execute xinfang_app.benchmarks.scale.run --kwargs "{'petitions': 1000000}"

Generates (once; a later run with the same N reuses it) a city tree of 1 city → 10 counties → 15
townships each → 20 villages each → 4 hamlets each (15,161 divisions), a government unit per township and
five departments per county, and N petitions set-based (INSERT … SELECT over MariaDB's sequence engine:
spread over the villages and hamlets, units, three years of dates, states and lights), with N/5 dispute
ledger entries, N/10 mediation cases and N/100 reception records beside them (scale_disputes). Then, as a
village, a township, a county and a city user, and as a county leader, it times the app's own paths —
the list page and its count (the desk's reportview calls), the workspace's number cards and charts
(their whitelisted methods), each script report's `execute`, the hourly job — next to hand-written SQL
that returns the same rows or numbers, median of `repeat` runs after one warm-up, and prints a table
(operation, ours s, SQL s, ratio, same answer) and the MariaDB settings it ran with.

Use a site of its own: the generated rows stay (`clean()` removes them: bench execute
xinfang_app.benchmarks.scale.clean). Everything generated is named 基准… or BM….
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
from collections import Counter

import frappe
from frappe.utils import getdate, today

from xinfang_app.benchmarks import scale_disputes, scale_reports

DIVISION = "Administrative Division"
UNIT = "Government Unit"
CITY = "基准市"
PREFIX = "BM"
COUNTIES, TOWNSHIPS, VILLAGES, HAMLETS = 10, 15, 20, 4
CHANNELS = ("来信", "来访", "网上信访", "电话", "12345热线转办", "领导信箱", "走访排查", "上级交办")
OPEN = ("Pending Acceptance", "Accepted", "Assigned", "Handling", "Extension Requested", "Extended")
HANDLING = ("Accepted", "Assigned", "Handling", "Extension Requested", "Extended")
DONE = ("Resolved", "Case Closed", "Final", "Not Accepted", "Forwarded", "Reply Issued", "Follow-up")
SETTINGS = (
	"version",
	"innodb_buffer_pool_size",
	"innodb_log_file_size",
	"innodb_flush_log_at_trx_commit",
	"max_connections",
	"tmp_table_size",
	"max_heap_table_size",
	"sort_buffer_size",
	"join_buffer_size",
	"eq_range_index_dive_limit",
)


def run(petitions: int = 10000, repeat: int = 3, job: bool = True, only: str | None = None):
	frappe.set_user("Administrator")
	frappe.local.lang = "zh"
	started = time.perf_counter()
	tree = ensure_tree()
	made = ensure_petitions(int(petitions), tree)
	disputes = scale_disputes.ensure(made, make_draw_tables)
	users = ensure_users(tree)
	frappe.db.commit()
	print(
		f"data: {len(tree['all'])} divisions, {made} petitions, "
		+ ", ".join(f"{n} {doctype}" for doctype, n in disputes.items())
		+ f" ({time.perf_counter() - started:.0f} s)"
	)
	print_settings()
	rows = []
	for name, ours, sql, same in operations(tree, users, job):
		if only and not any(part in name for part in only.split(",")):  # e.g. only="card,chart,workspace"
			continue
		rows.append(measure(name, ours, sql, same, repeat))
	print_table(rows)
	frappe.set_user("Administrator")


# ---- data ---------------------------------------------------------------------------------------------


def ensure_tree() -> dict:
	"""The city tree, inserted in one go with its nested-set numbers after whatever tree the site has."""
	if not frappe.db.exists(DIVISION, CITY):
		insert_tree()
	city = frappe.db.get_value(DIVISION, CITY, ["lft", "rgt"], as_dict=True)
	nodes = frappe.db.sql(
		"""select name, division_level, parent_administrative_division as parent from `tabAdministrative Division`
		where lft >= %s and rgt <= %s order by lft""",
		(city.lft, city.rgt),
		as_dict=True,
	)
	by_level: dict[str, list[str]] = {}
	for node in nodes:
		by_level.setdefault(node.division_level, []).append(node.name)
	return {"all": nodes, "levels": by_level}


def insert_tree():
	start = (frappe.db.sql("select max(rgt) from `tabAdministrative Division`")[0][0] or 0) + 1
	rows = []
	counter = [start]

	def node(name, level, parent, children):
		lft = counter[0]
		counter[0] += 1
		at = len(rows)
		rows.append(None)
		for child in children():
			child()
		rgt = counter[0]
		counter[0] += 1
		rows[at] = (name, level, parent, int(level not in ("Hamlet",)), lft, rgt)

	def hamlets(village):
		return [lambda h=h: node(f"{village}{h}屯", "Hamlet", village, list) for h in range(1, HAMLETS + 1)]

	def villages(township):
		return [
			lambda v=v: node(
				f"{township}{v:02d}村", "Village", township, lambda v=v: hamlets(f"{township}{v:02d}村")
			)
			for v in range(1, VILLAGES + 1)
		]

	def townships(county):
		return [
			lambda t=t: node(
				f"{county}{t:02d}镇", "Township", county, lambda t=t: villages(f"{county}{t:02d}镇")
			)
			for t in range(1, TOWNSHIPS + 1)
		]

	def counties():
		return [
			lambda c=c: node(f"{CITY}{c:02d}县", "County", CITY, lambda c=c: townships(f"{CITY}{c:02d}县"))
			for c in range(1, COUNTIES + 1)
		]

	node(CITY, "City", None, counties)
	now = frappe.utils.now()
	values = [
		(name, now, now, "Administrator", "Administrator", name, level, parent, is_group, lft, rgt, parent)
		for name, level, parent, is_group, lft, rgt in rows
	]
	executemany(
		"""insert into `tabAdministrative Division` (name, creation, modified, modified_by, owner,
		division_name, division_level, parent_administrative_division, is_group, lft, rgt, old_parent)
		values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)""",
		values,
	)
	units = []
	for name, level, _parent, *_rest in rows:
		if level == "County":
			units += [(f"{name}部门{d}", "County Department", name) for d in range(1, 6)]
		elif level == "Township":
			units.append((f"{name}人民政府", "Township Government", name))
	executemany(
		"""insert into `tabGovernment Unit` (name, creation, modified, modified_by, owner, unit_name,
		unit_type, division) values (%s, %s, %s, 'Administrator', 'Administrator', %s, %s, %s)""",
		[(name, now, now, name, kind, division) for name, kind, division in units],
	)
	clear_caches()
	frappe.db.commit()


def ensure_petitions(n: int, tree: dict) -> int:
	have = frappe.db.sql(f"select count(*) from `tabPetition` where name like '{PREFIX}%%'")[0][0]
	if have == n:
		return n
	if have:
		delete_petitions()
	generate_petitions(n)
	return n


def make_draw_tables() -> tuple[int, int]:
	"""Temporary tables the generators draw from by a row's hash: bm_places (the villages, hamlets and
	townships with their township, county and city), bm_units (five departments per county) and
	bm_categories. Returns the number of places and of categories."""
	frappe.db.sql("drop temporary table if exists bm_places")
	frappe.db.sql(
		"""create temporary table bm_places (idx int primary key, name varchar(140), level varchar(40),
		township varchar(140), county varchar(140), city varchar(140), unit_idx int)"""
	)
	places = frappe.db.sql(
		"""select d.name, d.division_level, t.name as township, c.name as county
		from `tabAdministrative Division` d
		join `tabAdministrative Division` t on t.division_level = 'Township' and t.lft <= d.lft and t.rgt >= d.rgt
		join `tabAdministrative Division` c on c.division_level = 'County' and c.lft <= t.lft and c.rgt >= t.rgt
		join `tabAdministrative Division` city on city.name = %s and city.lft <= c.lft and city.rgt >= c.rgt
		where d.division_level in ('Village', 'Hamlet', 'Township') order by d.lft""",
		CITY,
	)
	executemany(
		"insert into bm_places values (%s, %s, %s, %s, %s, %s, 0)",
		[
			(i, name, level, township, county, CITY)
			for i, (name, level, township, county) in enumerate(places)
		],
	)
	frappe.db.sql("drop temporary table if exists bm_units")
	frappe.db.sql(
		"create temporary table bm_units (county varchar(140), k int, name varchar(140), primary key (county, k))"
	)
	departments: dict[str, list[str]] = {}
	for name, county in frappe.db.sql(
		"""select name, division from `tabGovernment Unit` where unit_type = 'County Department'
		and name like %s order by name""",
		f"{CITY}%",
	):
		departments.setdefault(county, []).append(name)
	executemany(
		"insert into bm_units values (%s, %s, %s)",
		[(county, k, name) for county, names in departments.items() for k, name in enumerate(names)],
	)
	categories = frappe.get_all("Petition Category", filters={"is_group": 0}, pluck="name", order_by="name")
	frappe.db.sql("drop temporary table if exists bm_categories")
	frappe.db.sql("create temporary table bm_categories (idx int primary key, name varchar(140))")
	executemany("insert into bm_categories values (%s, %s)", list(enumerate(categories or ["其他"])))
	return len(places), max(len(categories), 1)


def generate_petitions(n: int):
	"""N petitions in one INSERT … SELECT per million rows: each row's place, unit, dates and state are
	drawn from a hash of its number (deterministic), with the stamped place columns the app keeps."""
	n_places, n_categories = make_draw_tables()
	day = getdate(today())
	step = 200_000
	for first in range(1, n + 1, step):
		last = min(first + step - 1, n)
		frappe.db.sql(
			f"""insert into `tabPetition` (name, creation, modified, modified_by, owner, docstatus, idx,
				channel, received_on, petition_class, division, township, county, city, handling_level,
				headcount, is_first_time, subject, category, content, responsible_unit, workflow_state,
				acceptance_due, accepted_on, handling_due, replied_on, closed_on, light, satisfaction,
				tier_started_on, redo_count, extension_count)
			select concat('{PREFIX}', lpad(g.seq, 8, '0')), g.received, g.received, 'Administrator', 'Administrator', 0, 0,
				elt(1 + g.h %% 8, {", ".join(frappe.db.escape(c) for c in CHANNELS)}),
				g.received_on, '申诉求决', p.name, p.township, p.county, p.city,
				if(p.level = 'Township', 'Township', 'Village'), 1, 1,
				concat('基准信访事项', g.seq), c.name, '基准测试内容',
				if(g.state = 'Pending Acceptance', null, u.name), g.state,
				date_add(g.received_on, interval 15 day),
				if(g.state = 'Pending Acceptance', null, date_add(g.received_on, interval g.h %% 7 day)),
				if(g.state = 'Pending Acceptance', null, date_add(g.received_on, interval 60 + g.h %% 7 day)),
				if(g.is_open, null, date_add(g.received_on, interval 20 + g.h %% 40 day)),
				if(g.is_open, null, date_add(g.received_on, interval 30 + g.h %% 40 day)),
				if(g.is_open, case
					when date_add(g.received_on, interval if(g.state = 'Pending Acceptance', 15, 60 + g.h %% 7) day)
						< %(yesterday)s then 'Red'
					when date_add(g.received_on, interval if(g.state = 'Pending Acceptance', 15, 60 + g.h %% 7) day)
						< date_add(%(yesterday)s, interval 5 day) then 'Yellow'
					else 'Green' end, ''),
				'未评价', g.received_on, 0, 0
			from (
				select g2.*, timestamp(received_on, sec_to_time(h %% 86400)) as received,
					if(is_open, elt(1 + h %% 6, {", ".join(frappe.db.escape(x) for x in OPEN)}),
						elt(1 + h %% 7, {", ".join(frappe.db.escape(x) for x in DONE)})) as state
				from (
					select g1.*, (datediff(%(day)s, received_on) < 120 and h %% 10 < 8) or h %% 100 < 12 as is_open
					from (
						select seq, h, date_sub(%(day)s, interval (h div 7) %% 1095 day) as received_on
						from (select seq, crc32(concat('bm', seq)) as h from seq_{first}_to_{last}) g0
					) g1
				) g2
			) g
			join bm_places p on p.idx = g.h %% {n_places}
			join bm_categories c on c.idx = (g.h div 13) %% {n_categories}
			left join bm_units u on u.county = p.county and u.k = (g.h div 17) %% 5""",
			{"day": day, "yesterday": day - dt.timedelta(days=1)},
		)
		frappe.db.commit()
	frappe.db.sql("analyze table `tabPetition`")


def executemany(query: str, values: list, chunk: int = 5000):
	cursor = frappe.db._cursor
	for start in range(0, len(values), chunk):
		cursor.executemany(query, values[start : start + chunk])


def ensure_users(tree: dict) -> dict:
	levels = tree["levels"]
	county = levels["County"][0]
	township = next(t for t in levels["Township"] if t.startswith(county))
	village = next(v for v in levels["Village"] if v.startswith(township))
	specs = {
		"village": ("bm-village@example.com", "Xinfang Village Officer", village),
		"township": ("bm-township@example.com", "Xinfang Township Officer", township),
		"county": ("bm-county@example.com", "Xinfang County Officer", county),
		"leader": ("bm-leader@example.com", "Xinfang Leader", county),
		"city": ("bm-city@example.com", "Xinfang County Officer", CITY),
	}
	users = {}
	for key, (email, role, place) in specs.items():
		if not frappe.db.exists("User", email):
			user = frappe.get_doc(
				{
					"doctype": "User",
					"email": email,
					"first_name": f"基准{key}",
					"send_welcome_email": 0,
					"user_type": "System User",
					"roles": [{"role": role}],
				}
			)
			user.flags.no_welcome_mail = True
			user.insert(ignore_permissions=True)
		if not frappe.db.exists("User Permission", {"user": email, "allow": DIVISION}):
			frappe.get_doc(
				{"doctype": "User Permission", "user": email, "allow": DIVISION, "for_value": place}
			).insert(ignore_permissions=True)
		users[key] = frappe._dict(user=email, place=place, level=key)
	return users


def clear_caches():
	frappe.cache.delete_value("user_permissions")  # with the app's places of each user (permissions.py)


def delete_petitions():
	frappe.db.sql(f"delete from `tabPetition` where name like '{PREFIX}%%'")
	frappe.db.commit()


def clean():
	"""Remove everything the benchmark generated."""
	scale_disputes.delete()
	delete_petitions()
	for email in frappe.get_all("User", filters={"name": ("like", "bm-%@example.com")}, pluck="name"):
		frappe.db.delete("User Permission", {"user": email})
		frappe.delete_doc("User", email, force=True, ignore_permissions=True)
	city = frappe.db.get_value(DIVISION, CITY, ["lft", "rgt"], as_dict=True)
	if city:
		frappe.db.sql("delete from `tabGovernment Unit` where name like %s", f"{CITY}%")
		frappe.db.sql(
			"delete from `tabAdministrative Division` where lft >= %s and rgt <= %s", (city.lft, city.rgt)
		)
	clear_caches()
	frappe.db.commit()


# ---- operations -----------------------------------------------------------------------------------------

LIST_FIELDS = ["name", "subject", "received_on", "division", "workflow_state", "light", "modified"]


def as_user(user: str, action):
	def call():
		frappe.set_user(user)
		try:
			return action()
		finally:
			frappe.set_user("Administrator")

	return call


def scope_sql(user) -> str:
	"""The hand-written scope: the stamped column of the user's place (an index leads with each)."""
	column = {
		"village": None,
		"township": "township",
		"county": "county",
		"leader": "county",
		"city": "city",
	}[user.level]
	if column:
		return f"`{column}` = {frappe.db.escape(user.place)}"
	return (
		"`division` in (select d.name from `tabAdministrative Division` d, `tabAdministrative Division` v"
		f" where v.name = {frappe.db.escape(user.place)} and d.lft >= v.lft and d.rgt <= v.rgt)"
	)


def sql(query: str, values=(), as_dict=False):
	return lambda: frappe.db.sql(query, values, as_dict=as_dict)


def reportview(method: str, **form):
	def call():
		from xinfang_app import api

		frappe.local.form_dict = frappe._dict(
			{k: (json.dumps(v) if isinstance(v, list | dict) else v) for k, v in form.items()}
		)
		return getattr(api, method)()

	return call


def operations(tree: dict, users: dict, job: bool):
	day = getdate(today())
	for key in ("village", "township", "county", "city"):
		user = users[key]
		where = scope_sql(user)
		yield (
			f"list page, {key}",
			as_user(
				user.user,
				reportview(
					"reportview_get",
					doctype="Petition",
					fields=[f"`tabPetition`.`{f}`" for f in LIST_FIELDS],
					filters=[],
					order_by="`tabPetition`.`received_on` desc",
					start=0,
					page_length=20,
					view="List",
				),
			),
			sql(
				f"select {', '.join(LIST_FIELDS)} from `tabPetition` where {where}"
				" order by received_on desc limit 20"
			),
			same_list,
		)
		yield (
			f"list count, {key}",
			as_user(user.user, reportview("reportview_get_count", doctype="Petition", filters=[])),
			sql(f"select count(*) from `tabPetition` where {where}"),
			lambda ours, theirs: int(ours) == theirs[0][0],
		)
	leader = users["leader"]
	workspace = []
	for name, ours, theirs, same in leader_workspace(users["leader"], day):
		workspace.append((ours, theirs))
		yield name, ours, theirs, same
	yield (
		f"workspace, county leader ({len(workspace)} cards+charts)",
		lambda: [ours() for ours, _theirs in workspace],
		lambda: [theirs() for _ours, theirs in workspace],
		None,
	)
	yield from reports(leader, job)


def leader_workspace(leader, day: dt.date):
	"""The county leader's workspace: every number card and dashboard chart of the app."""
	where = scope_sql(leader)
	for card in frappe.get_all(
		"Number Card", filters={"module": "Xinfang App"}, fields=["name", "type", "method", "filters_json"]
	):
		if card.type == "Custom":
			yield (
				f"card {card.name}",
				as_user(leader.user, lambda card=card: frappe.get_attr(card.method)()["value"]),
				custom_card_sql(card.method, where, day),
				lambda ours, theirs: round(float(ours), 1) == round(float(theirs[0][0] or 0), 1),
			)
			continue
		yield (
			f"card {card.name}",
			as_user(
				leader.user,
				lambda card=card: frappe.get_attr("xinfang_app.api.get_number_card_result")(
					json.dumps({"function": "Count", "document_type": "Petition"}), card.filters_json
				),
			),
			sql(f"select count(*) from `tabPetition` where {where} and {card_sql(card.filters_json, day)}"),
			lambda ours, theirs: int(ours) == theirs[0][0],
		)
	for chart in frappe.get_all(
		"Dashboard Chart",
		filters={"module": "Xinfang App"},
		fields=["name", "chart_type", "group_by_based_on", "based_on", "timespan"],
	):
		if chart.chart_type == "Group By":
			theirs = sql(
				f"select `{chart.group_by_based_on}`, count(*) c from `tabPetition` where {where}"
				f" and `{chart.group_by_based_on}` is not null group by 1 order by c desc"
			)
		else:
			start = frappe.utils.add_months(day.replace(day=1), -12)
			theirs = sql(
				f"select date_format(`{chart.based_on}`, '%%Y-%%m'), count(*) from `tabPetition` where {where}"
				f" and `{chart.based_on}` between %s and %s group by 1 order by 1",
				(start, day),
			)
		yield (
			f"chart {chart.name}",
			as_user(
				leader.user,
				lambda chart=chart: frappe.get_attr("xinfang_app.api.get_dashboard_chart")(
					chart_name=chart.name, refresh=1
				),
			),
			theirs,
			same_chart,
		)


def reports(leader, job: bool):
	"""Each script report as the county leader, next to the hand-written SQL of scale_reports where it has one."""
	for report in frappe.get_all(
		"Report", filters={"module": "Xinfang App", "report_type": "Script Report"}, pluck="name"
	):
		module = frappe.get_attr(
			f"xinfang_app.xinfang_app.report.{frappe.scrub(report)}.{frappe.scrub(report)}.execute"
		)
		for suffix, filters, theirs, same in scale_reports.variants(report, leader):
			yield (
				f"report {report}{suffix}",
				as_user(leader.user, lambda module=module, filters=filters: module(frappe._dict(filters))),
				theirs,
				same,
			)
	if job:
		yield from hourly_job()


# ---- the hourly job -------------------------------------------------------------------------------------
#
# The job is run once for today and committed (its first run on the data; untimed, its figures printed),
# then timed on the next day — the first run after a day: lights move, new reds are owed a notice, tiers
# fall due — and again for today, a run with nothing new. Each timed run is rolled back, so every
# repetition starts from the same state, and nobody is told (the job's notifications are queued after
# its commit). The hand-written side does the same work in plain SQL written here.


def hourly_job():
	from xinfang_app import lifecycle

	day = getdate(today())
	started = time.perf_counter()
	queries = count_queries(lambda: lifecycle.run_scheduled(day))
	frappe.db.commit()
	print(f"job for {day} committed: {time.perf_counter() - started:.1f} s, {queries} queries")
	for label, on in (("first run after a day", day + dt.timedelta(days=1)), ("quiet run", day)):
		ours_queries = count_queries(lambda on=on: lifecycle.run_scheduled(on))
		frappe.db.rollback()
		theirs_queries = count_queries(lambda on=on: job_sql(on))
		frappe.db.rollback()
		print(f"hourly job, {label}: {ours_queries} queries ours, {theirs_queries} hand-written")
		yield (
			f"hourly job, {label} ({ours_queries}/{theirs_queries} q)",
			lambda on=on: lifecycle.run_scheduled(on) or job_state(),
			lambda on=on: job_sql(on) or job_state(),
			lambda ours, theirs: ours == theirs,
		)


def count_queries(action) -> int:
	calls = [0]
	real = frappe.db.sql

	def counted(*args, **kwargs):
		calls[0] += 1
		return real(*args, **kwargs)

	frappe.db.sql = counted
	try:
		action()
	finally:
		frappe.db.sql = real
	return calls[0]


def job_state():
	"""What the job decides, to compare both sides (read after the run, inside the timing: the same
	cost on both sides, through the job's covering index)."""
	real = frappe.db.sql
	return (
		real(
			f"""select light, handling_level, tier_started_on, count(*) from `tabPetition`
			where workflow_state in ({", ".join(frappe.db.escape(s) for s in OPEN)}, 'Registration')
			group by 1, 2, 3 order by 1, 2, 3"""
		),
		real("select count(*), max(name) from `tabSupervision Notice` where is_automatic = 1"),
		real(
			"select count(*) from `tabComment` where reference_doctype = 'Petition' and comment_type = 'Info'"
			" and creation >= curdate()"
		),
	)


def job_sql(on: dt.date):
	"""The hourly job by hand: lights in one UPDATE (after reading the ones turning yellow or red, who are
	told), a notice per red petition and deadline not yet noticed (named from the series), tiers moved
	with a timeline note each and their next level's officers read."""
	from frappe.model.naming import parse_naming_series

	from xinfang_app import lifecycle
	from xinfang_app.domain import deadline_sql
	from xinfang_app.domain import deadlines as dl

	rules = lifecycle.get_rules()
	esc = frappe.db.escape
	open_states = ", ".join(esc(s) for s in lifecycle.OPEN_STATES)
	acceptance = ", ".join(esc(s) for s in lifecycle.ACCEPTANCE_CLOCK)
	handling = ", ".join(esc(s) for s in lifecycle.HANDLING_CLOCK)
	start = f"if(workflow_state in ({acceptance}), received_on, accepted_on)"
	due = (
		f"if(workflow_state in ({acceptance}), acceptance_due,"
		f" if(workflow_state in ({handling}) and accepted_on is not null, ifnull(extended_due, handling_due), null))"
	)
	d = esc(str(on))
	light = f"""case when {start} is null or {due} is null then ''
		when {d} > {due} then 'Red'
		when datediff({due}, {d}) <= greatest({rules.yellow_threshold_days},
			ceil({float(rules.yellow_threshold_percent)} * greatest(datediff({due}, {start}), 0) / 100)) then 'Yellow'
		else 'Green' end"""
	frappe.db.sql(
		f"""select name, light from `tabPetition` where workflow_state in ({open_states})
		and ifnull(light, '') != ({light}) and ({light}) in ('Yellow', 'Red')"""
	)
	frappe.db.sql(
		f"""update `tabPetition` p join (select name, ({light}) as l from `tabPetition`
			where workflow_state in ({open_states}) and ifnull(light, '') != ({light})) c on c.name = p.name
		set p.light = c.l"""
	)
	frappe.db.sql(
		f"""update `tabPetition` p join (select name from `tabPetition` where light > ''
			and workflow_state not in ({open_states})) c on c.name = p.name set p.light = ''"""
	)
	key = f"concat(name, ':', if(workflow_state in ({acceptance}), 'acceptance', 'handling'), ':', {due})"
	fresh = f"""select name, responsible_unit, {key} as auto_key, {due} as due from `tabPetition` p
		where workflow_state in ({open_states}) and light = 'Red'
		and not exists (select 1 from `tabSupervision Notice` s where s.auto_key = {key.replace("name", "p.name")})"""
	count = frappe.db.sql(f"select count(*) from ({fresh}) f")[0][0]
	if count:
		prefix = parse_naming_series("DB-.YYYY.-")
		frappe.db.sql("update `tabSeries` set current = current + %s where name = %s", (count, prefix))
		first = frappe.db.sql("select current from `tabSeries` where name = %s", prefix)[0][0] - count
		now = frappe.utils.now()
		frappe.db.sql(
			f"""insert into `tabSupervision Notice` (name, creation, modified, modified_by, owner, docstatus, idx,
				petition, to_unit, reason, issued_on, due_date, status, is_automatic, auto_key, instructions)
			select concat(%(prefix)s, lpad(%(first)s + f.n, greatest(5, length(%(first)s + f.n)), '0')), %(now)s, %(now)s,
				'Administrator', 'Administrator', 0, 0, name, responsible_unit, '超期', %(on)s,
				date_add(%(on)s, interval 3 day), 'Awaiting Response', 1, auto_key,
				concat('超期：', due, '的期限已过，请于3日内报告进展。')
			from (select row_number() over (order by name) as n, x.* from ({fresh}) x) f""",
			{"prefix": prefix, "first": first, "now": now, "on": on},
		)
	cutoffs = {
		level: deadline_sql.tier_cutoff(level, on, rules, lifecycle.get_calendar())
		for level in (dl.VILLAGE, dl.TOWNSHIP)
	}
	due_tier = f"""workflow_state in ({open_states}) and (
		(handling_level = 'Village' and ifnull(tier_started_on, received_on) <= {esc(str(cutoffs[dl.VILLAGE]))})
		or (handling_level = 'Township' and ifnull(tier_started_on, received_on) <= {esc(str(cutoffs[dl.TOWNSHIP]))}))"""
	now = frappe.utils.now()
	frappe.db.sql(
		f"""insert into `tabComment` (name, creation, modified, modified_by, owner, docstatus, idx, comment_type,
			comment_email, reference_doctype, reference_name, content, published, seen)
		select left(md5(concat(name, rand())), 10), %(now)s, %(now)s, 'Administrator', 'Administrator', 0, 0,
			'Info', 'Administrator', 'Petition', name,
			if(handling_level = 'Village', '三级限时化解：村级未在时限内化解，转乡镇级', '三级限时化解：乡镇级未在时限内化解，转县级'), 0, 0
		from `tabPetition` where {due_tier}""",
		{"now": now},
	)
	frappe.db.sql(
		f"""select p.name, up.user from `tabPetition` p
		join `tabAdministrative Division` d on d.name = p.division
		join `tabAdministrative Division` a on a.lft <= d.lft and a.rgt >= d.rgt
		join `tabUser Permission` up on up.allow = 'Administrative Division' and up.for_value = a.name
		join `tabHas Role` r on r.parent = up.user and r.parenttype = 'User'
			and r.role = if(p.handling_level = 'Village', 'Xinfang Township Officer', 'Xinfang County Officer')
		where {due_tier.replace("workflow_state", "p.workflow_state").replace("handling_level", "p.handling_level")}"""
	)
	frappe.db.sql(
		f"""update `tabPetition` p join (select name from `tabPetition` where {due_tier}) c on c.name = p.name
		set p.tier_started_on = %s, p.handling_level = if(p.handling_level = 'Village', 'Township', 'County')""",
		on,
	)


def card_sql(filters_json: str, day: dt.date) -> str:
	parts = []
	for _doctype, field, op, value, *_rest in json.loads(filters_json or "[]"):
		if op == "in":
			parts.append(f"`{field}` in ({', '.join(frappe.db.escape(v) for v in value)})")
		elif op == "=":
			parts.append(f"`{field}` = {frappe.db.escape(value)}")
		elif op == "Timespan" and value == "this month":
			first = day.replace(day=1)
			last = frappe.utils.get_last_day(day)
			parts.append(f"`{field}` between '{first}' and '{last}'")
		else:
			raise ValueError(f"card filter {op} {value}")
	return " and ".join(parts) or "1=1"


def concluded_sql(day: dt.date) -> str:
	"""kpi.is_concluded on `day`: closed by then, or replied to by then and not back in handling."""
	handling = ", ".join(frappe.db.escape(state) for state in HANDLING)
	return f"(closed_on <= '{day}' or (replied_on <= '{day}' and workflow_state not in ({handling})))"


def custom_card_sql(method: str, where: str, day: dt.date):
	month_start = day.replace(day=1)
	year_start = day.replace(month=1, day=1)
	if method.endswith("month_concluded_card"):
		# concluded this month = closed this month, or replied to this month and not closed this month
		before = month_start - dt.timedelta(days=1)
		rule = f"received_on <= %(day)s and ifnull({concluded_sql(day)}, 0) and not ifnull({concluded_sql(before)}, 0)"
		return sql(
			f"""select (select count(*) from `tabPetition` where {where}
				and closed_on between %(start)s and %(day)s and {rule})
			+ (select count(*) from `tabPetition` where {where} and replied_on between %(start)s and %(day)s
				and not ifnull(closed_on between %(start)s and %(day)s, 0) and {rule})""",
			{"day": day, "start": month_start},
		)
	return sql(
		f"""select round(100 * sum(ifnull({concluded_sql(day)}, 0)) / count(*), 1) from `tabPetition`
		where {where} and accepted_on between %s and %s""",
		(year_start, day),
	)


def same_list(ours, theirs) -> bool:
	keys, values = ours["keys"], ours["values"]
	received = keys.index("received_on")
	return [str(row[received]) for row in values] == [str(row[2]) for row in theirs]


def same_chart(ours, theirs) -> bool:
	values = (ours or {}).get("datasets", [{}])[0].get("values", [])
	return sorted(v for v in values if v) == sorted(row[1] for row in theirs if row[1])


# ---- measuring and printing -----------------------------------------------------------------------------


def timed(action):
	started = time.perf_counter()
	result = action()
	return time.perf_counter() - started, result


def measure(name, ours, theirs, same, repeat: int):
	frappe.db.rollback()
	ours_result = ours()  # warm-up, and the answer compared
	frappe.db.rollback()
	theirs_result = theirs() if theirs else None
	frappe.db.rollback()
	ours_times = []
	theirs_times = []
	for _ in range(repeat):
		ours_times.append(timed(ours)[0])
		frappe.db.rollback()
		if theirs:
			theirs_times.append(timed(theirs)[0])
			frappe.db.rollback()
	ours_s = statistics.median(ours_times)
	theirs_s = statistics.median(theirs_times) if theirs_times else None
	answer = "—"
	if same and theirs:
		try:
			answer = "yes" if same(ours_result, theirs_result) else "NO"
		except Exception as error:  # a comparison that cannot be made says so
			answer = f"? {error}"[:20]
	row = (name, ours_s, theirs_s, (ours_s / theirs_s) if theirs_s else None, answer)
	print(format_row(row), flush=True)
	return row


def format_row(row) -> str:
	name, ours, theirs, ratio, answer = row
	return (
		f"{name[:44]:<44} {ours:>9.3f} {'' if theirs is None else f'{theirs:.3f}':>9}"
		f" {'' if ratio is None else f'{ratio:.1f}×':>7} {answer:>5}"
	)


def print_table(rows):
	n = frappe.db.sql(f"select count(*) from `tabPetition` where name like '{PREFIX}%%'")[0][0]
	print(f"\n== {n} petitions, median of runs ==")
	print(f"{'operation':<44} {'ours s':>9} {'SQL s':>9} {'ratio':>7} {'same':>5}")
	for row in rows:
		print(format_row(row))


def print_settings():
	values = dict(
		frappe.db.sql(
			"show variables where Variable_name in ({})".format(
				", ".join(frappe.db.escape(s) for s in SETTINGS)
			)
		)
	)
	print("MariaDB: " + ", ".join(f"{key}={values.get(key)}" for key in SETTINGS if key in values))
	counts = Counter(
		dict(frappe.db.sql("select workflow_state, count(*) from `tabPetition` group by 1"))
	).most_common()
	print("states: " + ", ".join(f"{state}={count}" for state, count in counts))
