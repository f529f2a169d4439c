"""The dispute side of the city benchmark: ledger entries, mediation cases and reception days, generated
set-based beside the petitions, and the four reports over them by hand.

For N petitions the city gets N/5 dispute ledger entries (台账, two years of weekly screening), N/10
mediation cases (a committee per township and a 医疗纠纷 committee per county) and N/100 reception records
(领导接访, each with its schedule, up to three petitions registered and up to two leader instructions).
Each row's place, dates, tier, status and result are drawn from a hash of its number, as the petitions'
are (scale.generate_petitions), with the stamped place columns the app keeps.

The hand-written side is SQL a DBA would write for the county leader from the rules in domain/dispute_stats.py
and domain/ledger.py (their docstrings and Python), not from the reports: every count is SQL, Python only
puts the counts into rows. The leader's scope is the stamped `county` column where the doctype has one, the
tree's lft/rgt range under the county elsewhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import frappe
from frappe.utils import getdate, today

PREFIX = "BM"  # every generated name starts BM… (scale.clean removes them)
LEDGER, MEDIATION, RECEPTION, SCHEDULE = "BMTZ-", "BMTJ-", "BMJF-", "BMJFAP-"
TIERS = ("一级", "二级", "三级")
SUCCEEDED, FAILED, TERMINATED = "调解成功", "调解不成", "终止"
DONE = "已办结"


def sizes(petitions: int) -> dict[str, int]:
	return {
		"Dispute Ledger Entry": petitions // 5,
		"Mediation Case": petitions // 10,
		"Reception Record": petitions // 100,
	}


def ensure(petitions: int, make_draw_tables: Callable[[], tuple[int, int]]) -> dict[str, int]:
	"""The dispute records for N petitions, generated unless the site already has exactly them."""
	wanted = sizes(petitions)
	prefixes = {"Dispute Ledger Entry": LEDGER, "Mediation Case": MEDIATION, "Reception Record": RECEPTION}
	have = {
		doctype: frappe.db.sql(
			f"select count(*) from `tab{doctype}` where name like %s", f"{prefixes[doctype]}%"
		)[0][0]
		for doctype in wanted
	}
	if have != wanted:
		delete()
		n_places, n_categories = make_draw_tables()
		day = getdate(today())
		generate_ledger(wanted["Dispute Ledger Entry"], n_places, n_categories, day)
		generate_mediation(wanted["Mediation Case"], n_places, n_categories, day)
		generate_receptions(wanted["Reception Record"], n_places, petitions, day)
		frappe.db.commit()
	return wanted


def _days_back(seq_hash: str, days: int = 730) -> str:
	return f"date_sub(%(day)s, interval ({seq_hash} div 7) %% {days} day)"


def generate_ledger(n: int, n_places: int, n_categories: int, day: dt.date):
	"""Entries found over two years; the old ones resolved and, after the observation half year, closed."""
	if not n:
		return
	frappe.db.sql(
		f"""insert into `tabDispute Ledger Entry` (name, creation, modified, modified_by, owner, docstatus,
			idx, division, township, county, city, reported_by, found_on, screening_week, dispute_type,
			summary, tier, responsible_unit, status, resolved_on, observation_until, closed_on)
		select concat('{LEDGER}', lpad(g.seq, 8, '0')), g.found_on, g.found_on, 'Administrator',
			'Administrator', 0, 0, p.name, p.township, p.county, p.city, '基准网格员', g.found_on,
			concat(yearweek(g.found_on, 3) div 100, '-W', lpad(yearweek(g.found_on, 3) %% 100, 2, '0')),
			c.name, concat('基准矛盾纠纷', g.seq), elt(1 + (g.h div 3) %% 3, '一级', '二级', '三级'), u.name,
			case when g.st < 3 then '未化解' when g.st < 5 then '化解中'
				when g.st < 7 or g.resolved_on > date_sub(%(day)s, interval 190 day) then '已化解观察期'
				else '已销号' end,
			if(g.st < 5, null, g.resolved_on),
			if(g.st < 5, null, date_add(g.resolved_on, interval 6 month)),
			if(g.st >= 7 and g.resolved_on <= date_sub(%(day)s, interval 190 day),
				date_add(g.resolved_on, interval 185 + g.h %% 5 day), null)
		from (
			select g1.*, least(date_add(found_on, interval 3 + h %% 40 day), %(day)s) as resolved_on
			from (
				select seq, h, (h div 11) %% 10 as st, {_days_back("h")} as found_on
				from (select seq, crc32(concat('tz', seq)) as h from seq_1_to_{n}) g0
			) g1
		) g
		join bm_places p on p.idx = g.h %% {n_places}
		join bm_categories c on c.idx = (g.h div 13) %% {n_categories}
		left join bm_units u on u.county = p.county and u.k = (g.h div 17) %% 5""",
		{"day": day},
	)
	frappe.db.sql("analyze table `tabDispute Ledger Entry`")


def generate_mediation(n: int, n_places: int, n_categories: int, day: dt.date):
	"""A committee per township and a 医疗纠纷 one per county; cases over two years, the recent third in
	progress, the rest mostly successful, an agreement performed in most successes."""
	if not n:
		return
	frappe.db.sql(
		"""insert into `tabMediation Committee` (name, creation, modified, modified_by, owner, docstatus, idx,
			committee_name, committee_type, division)
		select concat(t.name, '人民调解委员会'), now(), now(), 'Administrator', 'Administrator', 0, 0,
			concat(t.name, '人民调解委员会'), '乡镇人民调解委员会', t.name
		from (select distinct township as name from bm_places) t
		union all
		select concat(c.name, '医疗纠纷人民调解委员会'), now(), now(), 'Administrator', 'Administrator', 0, 0,
			concat(c.name, '医疗纠纷人民调解委员会'), '医疗纠纷', c.name
		from (select distinct county as name from bm_places) c"""
	)
	frappe.db.sql(
		f"""insert into `tabMediation Case` (name, creation, modified, modified_by, owner, docstatus, idx,
			division, township, committee, accepted_on, dispute_facts, dispute_type, result,
			agreement_date, performance)
		select concat('{MEDIATION}', lpad(g.seq, 8, '0')), g.accepted_on, g.accepted_on, 'Administrator',
			'Administrator', 0, 0, p.name, p.township,
			case when g.h %% 50 = 0 then null when g.h %% 4 = 0 then concat(p.county, '医疗纠纷人民调解委员会')
				else concat(p.township, '人民调解委员会') end,
			g.accepted_on, '基准纠纷事实', c.name, g.result,
			if(g.result = '{SUCCEEDED}', date_add(g.accepted_on, interval g.h %% 20 day), null),
			if(g.result = '{SUCCEEDED}', elt(1 + (g.h div 5) %% 4, '已履行', '已履行', '部分履行', '未履行'), null)
		from (
			select g1.*, case
				when accepted_on > date_sub(%(day)s, interval 30 day) and h %% 3 = 0 then null
				else elt(1 + (h div 7) %% 10, '{SUCCEEDED}', '{SUCCEEDED}', '{SUCCEEDED}', '{SUCCEEDED}',
					'{SUCCEEDED}', '{SUCCEEDED}', '{SUCCEEDED}', '{FAILED}', '{FAILED}', '{TERMINATED}') end as result
			from (
				select seq, h, {_days_back("h")} as accepted_on
				from (select seq, crc32(concat('tj', seq)) as h from seq_1_to_{n}) g0
			) g1
		) g
		join bm_places p on p.idx = g.h %% {n_places}
		join bm_categories c on c.idx = (g.h div 13) %% {n_categories}""",
		{"day": day},
	)
	frappe.db.sql("analyze table `tabMediation Case`")


def generate_receptions(n: int, n_places: int, petitions: int, day: dt.date):
	"""Reception days of four leaders per county, at the county or a township, each with its record."""
	if not n:
		return
	drawn = f"""select g0.seq, g0.h, {_days_back("g0.h")} as reception_date, p.county,
			if(g0.h %% 3 = 0, p.county, p.township) as division,
			concat(p.county, '领导', 1 + (g0.h div 3) %% 4) as leader_name
		from (select seq, crc32(concat('jf', seq)) as h from seq_1_to_{n}) g0
		join bm_places p on p.idx = g0.h %% {n_places}"""
	frappe.db.sql(
		f"""insert into `tabReception Schedule` (name, creation, modified, modified_by, owner, docstatus, idx,
			reception_date, reception_type, location, leader, leader_name, division)
		select concat('{SCHEDULE}', lpad(g.seq, 8, '0')), g.reception_date, g.reception_date,
			'Administrator', 'Administrator', 0, 0, g.reception_date,
			elt(1 + g.h %% 4, '定期接访', '预约接访', '带案下访', '公开接访'), '基准接访室',
			'bm-leader@example.com', g.leader_name, g.division
		from ({drawn}) g""",
		{"day": day},
	)
	frappe.db.sql(
		f"""insert into `tabReception Record` (name, creation, modified, modified_by, owner, docstatus, idx,
			reception_schedule, reception_date, leader, leader_name, division, batches, visitors)
		select concat('{RECEPTION}', lpad(g.seq, 8, '0')), g.reception_date, g.reception_date,
			'Administrator', 'Administrator', 0, 0, concat('{SCHEDULE}', lpad(g.seq, 8, '0')),
			g.reception_date, 'bm-leader@example.com', g.leader_name, g.division,
			1 + g.h %% 5, 1 + g.h %% 5 + (g.h div 5) %% 7
		from ({drawn}) g""",
		{"day": day},
	)
	frappe.db.sql(
		f"""insert into `tabReception Record Petition` (name, creation, modified, modified_by, owner,
			docstatus, idx, parent, parentfield, parenttype, petition, subject, headcount)
		select concat('{RECEPTION}', lpad(g.seq, 8, '0'), '-P', k.seq), now(), now(), 'Administrator',
			'Administrator', 0, k.seq, concat('{RECEPTION}', lpad(g.seq, 8, '0')), 'petitions',
			'Reception Record', concat('{PREFIX}', lpad(1 + (g.h * k.seq) %% {max(petitions, 1)}, 8, '0')),
			'基准接访事项', 1
		from (select seq, crc32(concat('jf', seq)) as h from seq_1_to_{n}) g
		join seq_1_to_3 k on k.seq <= g.h %% 4""",
		{"day": day},  # any values, so that the %% above reach MariaDB as %
	)
	frappe.db.sql(
		f"""insert into `tabReception Instruction` (name, creation, modified, modified_by, owner,
			docstatus, idx, parent, parentfield, parenttype, instruction, assigned_unit, due_date,
			instruction_status)
		select concat('{RECEPTION}', lpad(g.seq, 8, '0'), '-I', k.seq), now(), now(), 'Administrator',
			'Administrator', 0, k.seq, concat('{RECEPTION}', lpad(g.seq, 8, '0')), 'instructions',
			'Reception Record', '基准领导批示', u.name, date_add(g.reception_date, interval 15 day),
			if((g.h + k.seq) %% 2 = 0, '{DONE}', '待办理')
		from ({drawn}) g
		join seq_1_to_2 k on k.seq <= g.h %% 3
		left join bm_units u on u.county = g.county and u.k = (g.h + k.seq) %% 5""",
		{"day": day},
	)


def delete():
	"""Remove the generated dispute records (and the committees they name)."""
	for table, column, prefix in (
		("Reception Instruction", "parent", RECEPTION),
		("Reception Record Petition", "parent", RECEPTION),
		("Reception Record", "name", RECEPTION),
		("Reception Schedule", "name", SCHEDULE),
		("Mediation Case", "name", MEDIATION),
		("Dispute Ledger Entry", "name", LEDGER),
		("Mediation Committee", "name", "基准市"),
	):
		frappe.db.sql(f"delete from `tab{table}` where `{column}` like %s", f"{prefix}%")
	frappe.db.commit()


# ---- the reports by hand ------------------------------------------------------------------------------


def _month() -> dict:
	day = getdate(today())
	return {"start": day.replace(day=1), "end": day}


def _county_range(alias: str, county: str) -> str:
	"""`alias`.division lies in the county's subtree (for doctypes that stamp no county)."""
	return (
		f"{alias}.division in (select d.name from `tabAdministrative Division` d, `tabAdministrative Division` c"
		f" where c.name = {frappe.db.escape(county)} and d.lft >= c.lft and d.rgt <= c.rgt)"
	)


def _by_key(rows) -> dict:
	"""The hand-written SQL's rows (a group key, then its counts) by key."""
	return {row[0]: tuple(int(v or 0) for v in row[1:]) for row in rows}


def _report_counts(ours, label: str, keys: tuple[str, ...]) -> dict:
	"""A report's rows but its total, by the label in `label` as the SQL groups it (the report shows a blank
	one as 未填写): the counts in `keys`."""
	_columns, rows, *_rest = ours
	return {
		("" if row[label] == frappe._("Not Set") else row[label]): tuple(row[key] for key in keys)
		for row in rows
		if not row.get("is_total")
	}


# 台账分级统计: per township, found in the period by tier, on the ledger at its end by tier, closed in it.
def ledger_tiers(leader):
	def theirs():
		rows = frappe.db.sql(
			"""select ifnull(township, '') as township,
				sum(found_on >= %(start)s and tier = '一级'), sum(found_on >= %(start)s and tier = '二级'),
				sum(found_on >= %(start)s and tier = '三级'),
				sum(tier = '一级' and not ifnull(closed_on <= %(end)s, 0)),
				sum(tier = '二级' and not ifnull(closed_on <= %(end)s, 0)),
				sum(tier = '三级' and not ifnull(closed_on <= %(end)s, 0)),
				sum(ifnull(closed_on between %(start)s and %(end)s, 0))
			from `tabDispute Ledger Entry`
			where county = %(county)s and found_on <= %(end)s and tier in ('一级', '二级', '三级')
			group by 1""",
			{"county": leader.place, **_month()},
		)
		return _by_key(rows)

	return theirs


def same_ledger_tiers(ours, theirs) -> bool:
	keys = ("new_1", "new_2", "new_3", "on_ledger_1", "on_ledger_2", "on_ledger_3", "closed")
	counted = {k: v for k, v in _report_counts(ours, "township", keys).items() if any(v)}
	total = tuple(sum(counts[i] for counts in theirs.values()) for i in range(len(keys)))
	return (
		counted == {k: v for k, v in theirs.items() if any(v)}
		and tuple(ours[1][-1][key] for key in keys) == total
	)


# 调解统计: cases accepted in the period per committee, by result, with agreements performed.
def mediation(leader):
	def theirs():
		rows = frappe.db.sql(
			f"""select ifnull(committee, '') as committee, count(*),
				sum(result = '{SUCCEEDED}'), sum(result = '{FAILED}'), sum(result = '{TERMINATED}'),
				sum(ifnull(result, '') not in ('{SUCCEEDED}', '{FAILED}', '{TERMINATED}')),
				sum(result = '{SUCCEEDED}' and performance = '已履行')
			from `tabMediation Case` m
			where accepted_on between %(start)s and %(end)s and {_county_range("m", leader.place)}
			group by 1""",
			_month(),
		)
		return _by_key(rows)

	return theirs


def same_mediation(ours, theirs) -> bool:
	keys = ("cases", "succeeded", "failed", "terminated", "in_progress", "performed")
	return _report_counts(ours, "committee", keys) == theirs


# 领导接访统计 by leader: sessions, batches, persons, petitions registered, instructions given and done.
def receptions(leader):
	def theirs():
		rows = frappe.db.sql(
			f"""select coalesce(nullif(r.leader_name, ''), r.leader) as leader, count(*),
				sum(r.batches), sum(r.visitors), sum(ifnull(p.n, 0)), sum(ifnull(i.n, 0)), sum(ifnull(i.done, 0))
			from `tabReception Record` r
			left join (select parent, count(*) as n from `tabReception Record Petition`
				where parenttype = 'Reception Record' group by parent) p on p.parent = r.name
			left join (select parent, count(*) as n, sum(instruction_status = '{DONE}') as done
				from `tabReception Instruction` where parenttype = 'Reception Record' group by parent) i
				on i.parent = r.name
			where r.reception_date between %(start)s and %(end)s and {_county_range("r", leader.place)}
			group by 1""",
			_month(),
		)
		return _by_key(rows)

	return theirs


def same_receptions(ours, theirs) -> bool:
	keys = ("receptions", "batches", "visitors", "petitions", "instructions", "instructions_done")
	return _report_counts(ours, "key", keys) == theirs


# 周排查汇总: each county/township/village of the county with the entries of its subtree found and resolved
# in this ISO week and on the ledger at its end by tier; a hamlet's entries count at its village.
WEEKLY_SQL = """select d.name, sum(e.found_on >= %(start)s),
	sum(ifnull(e.resolved_on between %(start)s and %(end)s, 0)),
	sum(e.tier = '一级' and not ifnull(e.closed_on <= %(end)s, 0)),
	sum(e.tier = '二级' and not ifnull(e.closed_on <= %(end)s, 0)),
	sum(e.tier = '三级' and not ifnull(e.closed_on <= %(end)s, 0))
from `tabAdministrative Division` c
join `tabAdministrative Division` d on d.lft >= c.lft and d.rgt <= c.rgt
	and d.division_level in ('County', 'Township', 'Subdistrict', 'Village', 'Community')
left join `tabAdministrative Division` x on x.lft >= d.lft and x.rgt <= d.rgt
left join `tabDispute Ledger Entry` e on e.division = x.name and e.found_on <= %(end)s
where c.name = %(county)s
group by d.name"""


def weekly(leader):
	def theirs():
		day = getdate(today())
		start = day - dt.timedelta(days=day.weekday())
		rows = frappe.db.sql(
			WEEKLY_SQL, {"county": leader.place, "start": start, "end": start + dt.timedelta(days=6)}
		)
		return _by_key(rows)

	return theirs


def same_weekly(ours, theirs) -> bool:
	return _report_counts(ours, "division", ("new", "resolved", "tier_1", "tier_2", "tier_3")) == theirs


HAND_WRITTEN = {
	"Ledger Tier Counts": (ledger_tiers, same_ledger_tiers),
	"Mediation Statistics": (mediation, same_mediation),
	"Reception Statistics": (receptions, same_receptions),
	"Weekly Screening Summary": (weekly, same_weekly),
}
