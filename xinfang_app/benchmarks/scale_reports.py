"""The petition reports by hand: SQL a DBA would write for the county leader, next to each report's `execute`.

scale.reports() times each report with default filters (this month up to today, read on today) as the county
leader, whose scope is the stamped `county` column (scale.scope_sql), against the SQL here, and compares
them with the `same` of each. The SQL is written from the rules in domain/kpi.py and domain/backlog.py (their
docstrings and Python), not from the reports or domain/kpi_sql.py: every count and filter is SQL on the
county-leading indexes (install.SCALE_INDEXES), several queries where that is cheaper than one; Python only
puts the counts into rows, rounds the percentages and applies the ranking's tie rule.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from fractions import Fraction

import frappe
from frappe import _
from frappe.utils import add_months, get_last_day, getdate, today

from xinfang_app.benchmarks import scale_disputes
from xinfang_app.domain.states import (
	ACCEPTED,
	ASSIGNED,
	CASE_CLOSED,
	EXTENDED,
	EXTENSION_REQUESTED,
	FINAL,
	FORWARDED,
	HANDLING,
	NOT_ACCEPTED,
	REREVIEW_REQUESTED,
	RESOLVED,
	REVIEW_REQUESTED,
	REVIEWED,
)


def _in(values) -> str:
	"""Constants as SQL literals, at import (no connection yet): none of them holds a quote or backslash."""
	assert not any("'" in v or "\\" in v for v in values)
	return ", ".join(f"'{v}'" for v in values)


# The rules' state sets (kpi.py, backlog.py, lifecycle.current_clock), spelled out here.
HANDLING_STATES = _in((ACCEPTED, ASSIGNED, HANDLING, EXTENSION_REQUESTED, EXTENDED))
NO_CLOCK_STATES = _in((NOT_ACCEPTED, FORWARDED))
DATED_END_STATES = _in((RESOLVED, CASE_CLOSED, FINAL))
REVIEW_STATES = _in((REVIEW_REQUESTED, REVIEWED, REREVIEW_REQUESTED, FINAL))
BACKLOG_ENDED = _in((NOT_ACCEPTED, FORWARDED, RESOLVED, CASE_CLOSED, FINAL))
EVALUATED = _in(("满意", "基本满意", "不满意"))
SATISFIED = _in(("满意", "基本满意"))  # basic_counts_as_satisfied, the default
DISSATISFIED = _in(("不满意",))
ASSIGNED_FROM_ABOVE = "上级交办"
TOWNSHIP_LEVELS = _in(("Township", "Subdistrict"))
STATE = "ifnull(workflow_state, '')"  # a blank state is in no set, as in Python

# kpi.is_concluded on %(day)s: closed by then, or replied to by then and not back in handling.
CONCLUDED = (
	f"(ifnull(closed_on <= %(day)s, 0)"
	f" or (ifnull(replied_on <= %(day)s, 0) and {STATE} not in ({HANDLING_STATES})))"
)
# kpi.is_overdue on %(day)s. Not concluded implies not closed by the day: NOT_CLOSED is that as an index range.
NOT_CLOSED = "(closed_on is null or closed_on > %(day)s)"
# The deadline it is held to (and the days overdue are counted from): the acceptance deadline while not
# accepted by the day, else the (extended) handling deadline.
MISSED_DUE = (
	"if(accepted_on is null or accepted_on > %(day)s, acceptance_due, coalesce(extended_due, handling_due))"
)
OVERDUE = f"""({STATE} not in ({NO_CLOCK_STATES}) and not {CONCLUDED}
	and not ({STATE} in ({DATED_END_STATES}) and replied_on is null and closed_on is null)
	and ifnull({MISSED_DUE} < %(day)s, 0))"""
SITUATION_KEYS = {"category": "nullif(category, '')", "township": "nullif(township, '')"}


def variants(report: str, leader) -> Iterator[tuple[str, dict, object, object]]:
	"""(name suffix, filters, theirs, same) of each timed run of `report`; no SQL for reports not covered."""
	if report == "Petition Situation":
		yield "", {}, situation(leader, "category"), same_situation
		for group in ("township", "month"):
			yield f" ({group})", {"group_by": group}, situation(leader, group), same_situation
		return
	make, same = HAND_WRITTEN.get(report, (None, None))
	yield "", {}, make and make(leader), same


def _dates() -> dict:
	day = getdate(today())
	return {"day": day, "start": day.replace(day=1), "end": day}


def percent(numerator: int, denominator: int) -> float | None:
	"""numerator/denominator in percent, half up to one decimal, exactly; None for nothing counted."""
	if not denominator:
		return None
	return math.floor(Fraction(1000 * numerator, denominator) + Fraction(1, 2)) / 10


def change(current: int, previous: int) -> float | None:
	"""(current - previous)/previous in percent, half away from zero to one decimal; None from 0."""
	if not previous:
		return None
	x = Fraction(100 * (current - previous), previous)
	tenths = math.floor(abs(x) * 10 + Fraction(1, 2))
	return math.copysign(tenths / 10, x) if tenths else 0.0


# ---- Petition KPIs -----------------------------------------------------------------------------------------

RATES = {  # rate: (numerator, denominator) of the columns below
	"timely_acceptance": ("timely", "accepted"),
	"on_time_completion": ("on_time", "replied"),
	"completion": ("concluded", "accepted"),
	"evaluation": ("evaluated", "replied"),
	"satisfaction": ("satisfied", "evaluated"),
	"one_time_resolution": ("first_time", "closed"),
	"repeat_petition": ("repeats", "received"),
}
SUMMARY = ("received", "accepted", "replied", "closed", "overdue")

# One row: each event's petitions of the period through its own (county, date) index, overdue through
# (county, closed_on) — only what is not closed by the day can be overdue.
KPI_SQL = f"""select * from
	(select count(*) as received, ifnull(sum(ifnull(repeat_of, '') != ''), 0) as repeats
	from `tabPetition` where county = %(county)s and received_on between %(start)s and %(end)s) r,
	(select count(*) as accepted,
		ifnull(sum(if(acceptance_due is not null, accepted_on <= acceptance_due,
			ifnull(accepted_on <= received_on, 0))), 0) as timely,
		ifnull(sum({CONCLUDED}), 0) as concluded
	from `tabPetition` where county = %(county)s and accepted_on between %(start)s and %(end)s) a,
	(select count(*) as replied,
		ifnull(sum(ifnull(replied_on <= coalesce(extended_due, handling_due, accepted_on, received_on), 0)), 0)
			as on_time,
		ifnull(sum(ifnull(satisfaction in ({EVALUATED}), 0)), 0) as evaluated,
		ifnull(sum(ifnull(satisfaction in ({SATISFIED}), 0)), 0) as satisfied
	from `tabPetition` where county = %(county)s and replied_on between %(start)s and %(end)s) p,
	(select count(*) as closed,
		ifnull(sum(ifnull(redo_count, 0) = 0 and {STATE} not in ({REVIEW_STATES})
			and ifnull(satisfaction, '') != {DISSATISFIED}
			and not exists (select 1 from `tabPetition Review` v where v.petition = c.name and v.review_type = '复查')),
			0) as first_time
	from `tabPetition` c where county = %(county)s and closed_on between %(start)s and %(end)s) c,
	(select count(*) as overdue
	from `tabPetition` where county = %(county)s and {NOT_CLOSED} and {OVERDUE}) o"""


def kpis(leader):
	def theirs():
		counts = frappe.db.sql(KPI_SQL, {"county": leader.place, **_dates()}, as_dict=True)[0]
		counts = {key: int(value) for key, value in counts.items()}
		rates = {
			rate: (counts[num], counts[den], percent(counts[num], counts[den]))
			for rate, (num, den) in RATES.items()
		}
		return {"rates": rates, "summary": [counts[key] for key in SUMMARY]}

	return theirs


def same_kpis(ours, theirs) -> bool:
	_columns, rows, _message, _chart, summary = ours
	rates = {row["key"]: (row["numerator"], row["denominator"], row["rate"]) for row in rows}
	return rates == theirs["rates"] and [s["value"] for s in summary] == theirs["summary"]


# ---- Township Ranking --------------------------------------------------------------------------------------

# Every township of the county with zeros, then each event's counts by township: petitions with no township
# (county matters) are left out, a township of a petition outside the tree is still listed.
RANKING_SQL = f"""select township, sum(received) as received, sum(accepted) as accepted,
	sum(concluded) as concluded, sum(replied) as replied, sum(on_time) as on_time, sum(overdue) as overdue
from (
	select t.name as township, 0 as received, 0 as accepted, 0 as concluded, 0 as replied, 0 as on_time,
		0 as overdue
	from `tabAdministrative Division` c
	join `tabAdministrative Division` t on t.lft >= c.lft and t.rgt <= c.rgt
	where c.name = %(county)s and t.division_level in ({TOWNSHIP_LEVELS})
	union all
	select township, count(*), 0, 0, 0, 0, 0 from `tabPetition`
	where county = %(county)s and received_on between %(start)s and %(end)s and township != ''
	group by township
	union all
	select township, 0, count(*), ifnull(sum({CONCLUDED}), 0), 0, 0, 0 from `tabPetition`
	where county = %(county)s and accepted_on between %(start)s and %(end)s and township != ''
	group by township
	union all
	select township, 0, 0, 0, count(*),
		ifnull(sum(ifnull(replied_on <= coalesce(extended_due, handling_due, accepted_on, received_on), 0)), 0), 0
	from `tabPetition`
	where county = %(county)s and replied_on between %(start)s and %(end)s and township != ''
	group by township
	union all
	select township, 0, 0, 0, 0, 0, count(*) from `tabPetition`
	where county = %(county)s and {NOT_CLOSED} and {OVERDUE} and township != ''
	group by township
) x group by township"""


def ranking(leader):
	def theirs():
		rows = frappe.db.sql(RANKING_SQL, {"county": leader.place, **_dates()}, as_dict=True)
		for row in rows:
			for key in ("received", "accepted", "concluded", "replied", "on_time", "overdue"):
				row[key] = int(row[key])
			completion = Fraction(row.concluded, row.accepted) if row.accepted else None
			on_time = Fraction(row.on_time, row.replied) if row.replied else None
			# 办结率 desc, 按期办结率 desc, overdue asc; no rate ranks after every rate
			row.key = (completion is None, -(completion or 0), on_time is None, -(on_time or 0), row.overdue)
		rows.sort(key=lambda row: (row.key, row.township))
		previous = None
		for position, row in enumerate(rows, start=1):
			row.rank = previous.rank if previous and previous.key == row.key else position  # 1, 2, 2, 4
			previous = row
		return [
			(
				row.rank,
				row.township,
				row.received,
				row.accepted,
				row.concluded,
				percent(row.concluded, row.accepted),
				(row.on_time, row.replied),
				percent(row.on_time, row.replied),
				row.overdue,
			)
			for row in rows
		]

	return theirs


def same_ranking(ours, theirs) -> bool:
	_columns, rows, *_rest = ours
	return [
		(
			row["rank"],
			row["township"],
			row["received"],
			row["accepted"],
			row["concluded"],
			row["completion_rate"],
			tuple(int(n) for n in row["on_time_replied"].split("/")),
			row["on_time_rate"],
			row["overdue"],
		)
		for row in rows
	] == theirs


# ---- Petition Situation ------------------------------------------------------------------------------------


def _month(first: dt.date, months: int = 0) -> tuple[dt.date, dt.date]:
	"""The calendar month `months` after the one starting on `first`: (first day, last day)."""
	start = getdate(add_months(first, months))
	return start, getdate(get_last_day(start))


def situation(leader, group: str):
	def by_key():
		first = getdate(today()).replace(day=1)
		spans = {"now": _month(first), "before": _month(first, -1), "year_ago": _month(first, -12)}
		counts = frappe.db.sql(
			f"""select {SITUATION_KEYS[group]} as k, sum(received_on between %(now0)s and %(now1)s),
				sum(received_on between %(before0)s and %(before1)s),
				sum(received_on between %(year_ago0)s and %(year_ago1)s)
			from `tabPetition` where county = %(county)s
				and (received_on between %(year_ago0)s and %(year_ago1)s
				or received_on between %(before0)s and %(before1)s or received_on between %(now0)s and %(now1)s)
			group by k""",  # three ranges of (county, received_on)
			{
				"county": leader.place,
				**{f"{span}{end}": day for span, days in spans.items() for end, day in enumerate(days)},
			},
		)
		counts = [(key, int(c), int(p), int(y)) for key, c, p, y in counts]
		# this month's keys by count (desc), then key, blank last; keys seen only earlier after them
		now = sorted((row for row in counts if row[1]), key=lambda r: (r[0] is None, -r[1], r[0] or ""))
		earlier = sorted((row for row in counts if not row[1]), key=lambda r: (r[0] is None, r[0] or ""))
		rows = [
			_situation_row(_("Not Set") if key is None else key, c, p, y) for key, c, p, y in now + earlier
		]
		totals = [sum(row[i] for row in rows) for i in (1, 2, 3)]
		return [*rows, _situation_row(_("Total"), *totals)]

	def by_month():
		first = getdate(today()).replace(day=1)
		earliest = _month(first, -23)[0]
		# index-only on (county, received_on); a number for the month, cheaper to group by than text
		counts = dict(
			frappe.db.sql(
				"""select year(received_on) * 100 + month(received_on), count(*) from `tabPetition`
				where county = %(county)s and received_on between %(start)s and %(end)s group by 1""",
				{"county": leader.place, "start": earliest, "end": _month(first)[1]},
			)
		)

		def count(months: int) -> int:
			start = _month(first, months)[0]
			return int(counts.get(start.year * 100 + start.month, 0))

		return [
			_situation_row(_month(first, n)[0].strftime("%Y-%m"), count(n), count(n - 1), count(n - 12))
			for n in range(-11, 1)
		]

	return by_month if group == "month" else by_key


def _situation_row(key, current: int, previous: int, last_year: int) -> tuple:
	return (key, current, previous, last_year, change(current, previous), change(current, last_year))


def same_situation(ours, theirs) -> bool:
	_columns, rows, *_rest = ours
	return [
		(
			row["key"],
			row["current"],
			row["previous_month"],
			row["same_month_last_year"],
			row["month_on_month"],
			row["year_on_year"],
		)
		for row in rows
	] == theirs


# ---- Overdue and Lights ------------------------------------------------------------------------------------

# One read of the lit petitions and those not closed by the day (only they can be overdue): an OR of two
# county-leading ranges, (county, light) and (county, closed_on), that MariaDB merges (sort_union), reading
# each row once and in primary key order. With the petition's columns the report shows.
LIGHTS_SHOWN = ("township", "subject", "responsible_unit", "light")
LIGHTS_SQL = f"""select name, {OVERDUE} as overdue, datediff(%(day)s, {MISSED_DUE}) as days,
	ifnull(light in ('Yellow', 'Red'), 0) as lit, township, subject, responsible_unit, light, workflow_state,
	lead_leader
from `tabPetition` where county = %(county)s and (light in ('Yellow', 'Red') or {NOT_CLOSED})
having overdue or lit"""


def overdue_and_lights(leader):
	def theirs():
		rows = frappe.db.sql(LIGHTS_SQL, {"county": leader.place, "day": getdate(today())}, as_dict=True)
		return sorted(
			(row.name, bool(row.overdue), row.days if row.overdue else None, *(row[f] for f in LIGHTS_SHOWN))
			for row in rows
		)

	return theirs


def same_overdue(ours, theirs) -> bool:
	_columns, rows, *_rest = ours
	shown = {"light": "light_code"}  # the report shows the light translated, with its code beside
	return (
		sorted(
			(
				row["petition"],
				bool(row["is_overdue"]),
				row["days_overdue"],
				*(row[shown.get(f, f)] for f in LIGHTS_SHOWN),
			)
			for row in rows
		)
		== theirs
	)


# ---- Backlog Cases -----------------------------------------------------------------------------------------


# backlog.is_open, received by the day: the long open ones through (county, workflow_state, received_on), the
# ended states cut out of its range; the recent ones assigned from above through (county, received_on). With
# the petition's columns the report shows (its leader case assignments are another table, not read here).
STILL_OPEN = f"county = %(county)s and (workflow_state is null or workflow_state not in ({BACKLOG_ENDED}))"
BACKLOG_SHOWN = ("township", "subject", "channel", "received_on")
BACKLOG_COLUMNS = (
	f"name, datediff(%(day)s, received_on), {', '.join(BACKLOG_SHOWN)}, workflow_state, lead_leader"
)
LONG_OPEN_SQL = f"""select {BACKLOG_COLUMNS} from `tabPetition`
where {STILL_OPEN} and received_on < %(cutoff)s"""
FROM_ABOVE_SQL = f"""select {BACKLOG_COLUMNS} from `tabPetition`
where {STILL_OPEN} and (received_on is null or received_on between %(cutoff)s and %(day)s) and channel = %(from_above)s"""


def backlog(leader):
	def theirs():
		day = getdate(today())
		settings = frappe.db.get_singles_dict("Xinfang Settings")
		days = int(settings.get("backlog_days") or 90)
		include = settings.get("backlog_includes_assigned_from_above")
		from_above = include in (None, "") or int(include)
		rows = frappe.db.sql(
			f"{LONG_OPEN_SQL} union all {FROM_ABOVE_SQL}" if from_above else LONG_OPEN_SQL,
			{
				"county": leader.place,
				"day": day,
				"cutoff": day - dt.timedelta(days=days),
				"from_above": ASSIGNED_FROM_ABOVE,
			},
		)
		return sorted(tuple(row[: 2 + len(BACKLOG_SHOWN)]) for row in rows)

	return theirs


def same_backlog(ours, theirs) -> bool:
	_columns, rows, *_rest = ours
	return (
		sorted((row["petition"], row["days_open"], *(row[f] for f in BACKLOG_SHOWN)) for row in rows)
		== theirs
	)


HAND_WRITTEN = {
	"Petition KPIs": (kpis, same_kpis),
	"Township Ranking": (ranking, same_ranking),
	"Overdue and Lights": (overdue_and_lights, same_overdue),
	"Backlog Cases": (backlog, same_backlog),
	**scale_disputes.HAND_WRITTEN,
}
