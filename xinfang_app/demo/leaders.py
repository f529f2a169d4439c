"""The demo county's leaders at work (docs/DESIGN.md §8): monthly reception days with their records and
instructions (批示), and 领导包案 of the petitions that have become backlog cases. Idempotent.

`plan_leaders` decides (dates, counts, which petitions) without the database; `load_leaders` writes through the controllers, so
instructions become ToDos for the units' handlers and a case assignment sets the petition's lead leader.
"""

from __future__ import annotations

import datetime as dt
import random

import frappe

from xinfang_app.demo import county_data
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


def plan_leaders(petitions: list[dict], stories: list[list], today: dt.date, seed: int = 20261124) -> dict:
	"""Reception days (county leader, first township's leader) and the backlog cases to assign.

	A reception day lists the petitions received there: those that came in by visit (来访) on that day
	in its place. Backlog cases are petitions still in hand longer than BACKLOG_DAYS, or handed down from
	above (上级交办) and still in hand.
	"""
	rng = random.Random(seed)
	first_of_month = today.replace(day=1)
	days = []
	for offset in range(-HISTORY_MONTHS, AHEAD_MONTHS + 1):
		day = add_months(first_of_month, offset).replace(day=RECEPTION_DAY)
		for host in ("county", "township"):
			days.append(
				{
					"host": host,
					"reception_date": day,
					"reception_type": "定期接访"
					if host == "county"
					else rng.choice(("定期接访", "带案下访")),
					"location": "县信访局群众来访接待大厅" if host == "county" else "镇信访办接待室",
					"held": day <= today,
					"batches": rng.randint(2, 7),
					"instructions": [
						{
							"instruction": rng.choice(INSTRUCTIONS),
							"due_date": day + dt.timedelta(days=15),
							"done": day + dt.timedelta(days=15) < today,
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


def load_leaders(plan: dict, petitions: list[dict], email_domain: str, today: dt.date) -> dict[str, int]:
	county_leader = f"county.leader@{email_domain}"
	township_leader = f"township1.leader@{email_domain}"
	township = frappe.db.get_value(
		"User Permission", {"user": township_leader, "allow": "Administrative Division"}, "for_value"
	)
	county = frappe.db.get_value("Administrative Division", {"division_level": "County"})
	host_of = {"county": (county_leader, county), "township": (township_leader, township)}
	units = {
		"county": "清源县住房和城乡建设局",
		"township": frappe.db.get_value("Government Unit", {"unit_name": f"{township}人民政府"}),
	}
	created = {"Reception Schedule": 0, "Reception Record": 0, "Leader Case Assignment": 0}
	for row in plan["receptions"]:
		leader, division = host_of[row["host"]]
		schedule = frappe.db.get_value(
			"Reception Schedule", {"leader": leader, "reception_date": row["reception_date"]}
		)
		if schedule:
			continue
		schedule = frappe.get_doc(
			{
				"doctype": "Reception Schedule",
				"reception_date": row["reception_date"],
				"reception_type": row["reception_type"],
				"location": row["location"],
				"leader": leader,
				"division": division,
			}
		).insert(ignore_permissions=True)
		created["Reception Schedule"] += 1
		if not row["held"]:
			continue
		received = frappe.get_all(
			"Petition",
			filters=[
				["received_on", "=", row["reception_date"]],
				["channel", "=", "来访"],
				["division", "descendants of (inclusive)", division],
			],
			pluck="name",
		)
		frappe.get_doc(
			{
				"doctype": "Reception Record",
				"reception_schedule": schedule.name,
				"batches": max(row["batches"], len(received)),
				"visitors": max(row["visitors"], len(received)),
				"petitions": [{"petition": name} for name in received],
				"instructions": [
					{
						"instruction": item["instruction"],
						"assigned_unit": units[row["host"]],
						"due_date": item["due_date"],
						"instruction_status": "已办结" if item["done"] else "待办理",
						"completed_on": item["due_date"] if item["done"] else None,
					}
					for item in row["instructions"]
				],
			}
		).insert(ignore_permissions=True)
		created["Reception Record"] += 1
	for case in plan["cases"]:
		source = petitions[case["petition"]]
		petition = frappe.db.get_value(
			"Petition",
			county_data.petition_filters(source),
			["name", "township"],
			as_dict=True,
		)
		if not petition or frappe.db.exists("Leader Case Assignment", {"petition": petition.name}):
			continue
		in_township = petition.township == township
		frappe.get_doc(
			{
				"doctype": "Leader Case Assignment",
				"petition": petition.name,
				"leader": township_leader if in_township else county_leader,
				"leader_level": "乡镇" if in_township else "县级",
				"status": "包案中",
				"assigned_on": case["assigned_on"],
				"target_date": case["assigned_on"] + dt.timedelta(days=60),
				"plan": case["plan"],
				"progress_log": [
					{
						"progress_date": min(case["assigned_on"] + dt.timedelta(days=3 * (n + 1)), today),
						"progress": (
							"已约见信访人，听取诉求",
							"组织召开协调会，明确化解方案",
							"化解方案正在落实中",
						)[n],
						"recorded_by": township_leader if in_township else county_leader,
					}
					for n in range(case["progress"])
				],
			}
		).insert(ignore_permissions=True)
		created["Leader Case Assignment"] += 1
	return created
