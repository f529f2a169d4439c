"""The demo county's leaders at work (docs/DESIGN.md §8): monthly reception days with their records and
instructions (批示), and 领导包案 of the petitions that have become backlog cases. Idempotent.

`leaders_data.plan_leaders` decides (dates, counts, which petitions) without the database; `load_leaders` writes through the controllers, so
instructions become ToDos for the units' handlers and a case assignment sets the petition's lead leader.
"""

from __future__ import annotations

import datetime as dt

import frappe

from xinfang_app.demo import county_data


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
