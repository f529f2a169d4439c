"""The demo county's leaders at work, planned (pure, deterministic): monthly reception days with their
instructions (批示) and the backlog cases leaders take on (领导包案). `demo/leaders.py` loads the plan."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from xinfang_app.domain import states
from xinfang_app.domain.ledger import add_months

RECEPTION_DAY = 15  # 每月15日领导接访日
HISTORY_MONTHS = 6
AHEAD_MONTHS = 2
BACKLOG_DAYS = 90
OPEN_STATES = {states.ACCEPTED, states.ASSIGNED, states.HANDLING, states.EXTENSION_REQUESTED, states.EXTENDED}
INSTRUCTIONS = (
	"请责任单位十五日内入户核实，依法依规答复信访人，结果报县信访局",
	"请属地乡镇会同主管部门现场办公，能当场解决的当场解决",
	"此事涉及群众切身利益，请主要负责同志亲自过问，限期化解",
)
PLANS = (
	"包案领导每半月听取一次进展汇报，组织主管部门和属地乡镇联合调查，依法依规提出化解方案，做好信访人思想疏导工作",
	"召开专题协调会，明确责任分工和化解时限，包案领导带案下访，面对面听取信访人诉求",
)


def plan_leaders(
	petitions: list[dict],
	stories: list[list],
	today: dt.date,
	seed: int = 20261124,
	divisions: list[dict] | None = None,
) -> dict:
	"""Reception days (county leader, first township's leader) and the backlog cases to assign.

	A reception day is held once a month, on the day most visitors came (来访) in the host's place that
	month (the 15th in a month without visits, and for the days ahead), and lists the petitions received
	there by visit on that day. Backlog cases are petitions still in hand longer than BACKLOG_DAYS, or handed
	down from above (上级交办) and still in hand. `divisions` (county_data.build_divisions) tells which
	places are the first township's.
	"""
	rng = random.Random(seed)
	first_of_month = today.replace(day=1)
	places = {"county": None, "township": _first_township_places(divisions or [])}
	planned = [
		(host, _reception_day(petitions, add_months(first_of_month, offset), places[host], today))
		for offset in range(-HISTORY_MONTHS, AHEAD_MONTHS + 1)
		for host in ("county", "township")
	]
	# the latest reception day held: its instructions are still being worked on, whatever the day
	latest_held = max(day for _host, day in planned if day <= today)
	days = []
	for host, day in planned:
		days.append(
			{
				"host": host,
				"reception_date": day,
				"reception_type": "定期接访" if host == "county" else rng.choice(("定期接访", "带案下访")),
				"location": "县信访局群众来访接待大厅" if host == "county" else "镇信访办接待室",
				"held": day <= today,
				"batches": rng.randint(2, 7),
				"instructions": [
					{
						"instruction": rng.choice(INSTRUCTIONS),
						"due_date": day + dt.timedelta(days=15),
						"done": day < latest_held and day + dt.timedelta(days=15) < today,
					}
					for _ in range(rng.randint(1, 2))
				],
			}
		)
	for row in days:
		row["visitors"] = row["batches"] + rng.randint(0, row["batches"])
	backlog = [
		index
		for index, (petition, story) in enumerate(zip(petitions, stories, strict=True))
		if story
		and story[-1].state in OPEN_STATES
		and (
			(today - dt.date.fromisoformat(petition["received_on"])).days > BACKLOG_DAYS
			or petition["channel"] == "上级交办"
		)
	]
	cases = [
		{
			"petition": index,
			"plan": rng.choice(PLANS),
			"assigned_on": today - dt.timedelta(days=rng.randint(5, 30)),
			"progress": rng.randint(1, 3),
		}
		for index in backlog
	]
	return {"receptions": days, "cases": cases}


def _first_township_places(divisions: list[dict]) -> frozenset[str] | None:
	"""The first township and every place under it (the township leader's), or None when not known."""
	townships = [d["division_name"] for d in divisions if d["division_level"] == "Township"]
	if not townships:
		return None
	places = {townships[0]}
	for row in divisions:  # parents come before their children
		if row["parent"] in places:
			places.add(row["division_name"])
	return frozenset(places)


def _reception_day(petitions: list[dict], month: dt.date, places: frozenset[str] | None, today: dt.date):
	"""The day of `month` (up to today) on which most petitions came by visit in `places` (None: anywhere);
	the 15th when none came."""
	visits = Counter(
		p["received_on"]
		for p in petitions
		if p["channel"] == "来访"
		and p["received_on"][:7] == month.isoformat()[:7]
		and dt.date.fromisoformat(p["received_on"]) <= today
		and (places is None or p["division"] in places)
	)
	if not visits:
		return month.replace(day=RECEPTION_DAY)
	return dt.date.fromisoformat(min(visits, key=lambda day: (-visits[day], day)))
