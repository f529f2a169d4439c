"""Load the demo county's dispute work through the real controllers and workflows. Idempotent."""

from __future__ import annotations

import frappe
from frappe.model.naming import make_autoname
from frappe.model.workflow import apply_workflow

from xinfang_app import disputes, ledger_excel
from xinfang_app.demo import county_data
from xinfang_app.demo.bulk import insert_in_bulk

LEDGER = "Dispute Ledger Entry"
MEDIATOR_USER = "mediator1"  # the demo login whose village's first mediator it is


def load_disputes(data: dict, petitions: list[dict], email_domain: str) -> dict[str, int]:
	created = {
		"Mediation Committee": load_committees(data["committees"]),
		"Mediator": 0,
		LEDGER: 0,
		"Mediation Case": 0,
		"Joint Meeting": 0,
	}
	mediators, created["Mediator"] = load_mediators(data["mediators"], f"{MEDIATOR_USER}@{email_domain}")
	entries, created[LEDGER] = load_entries(data["entries"])
	created["Mediation Case"] = load_cases(data["cases"], entries, mediators)
	created["Joint Meeting"] = load_meetings(data["meetings"], petitions, email_domain)
	return created


def load_committees(committees: list[dict]) -> int:
	return insert_in_bulk(
		"Mediation Committee", [{"name": row["committee_name"], **row} for row in committees]
	)


def load_mediators(mediators: list[dict], mediator_user: str) -> tuple[list[str], int]:
	"""Mediators by list position (in bulk; names from the doctype's own series); the one marked
	demo_login is the demo mediator login's record."""
	loaded = {
		(row.full_name, row.division): row.name
		for row in frappe.get_all("Mediator", fields=["name", "full_name", "division"])
	}
	new_rows = []
	for row in mediators:
		if (row["full_name"], row["division"]) in loaded:
			continue
		values = {key: value for key, value in row.items() if key != "demo_login"}
		if row.get("demo_login") and frappe.db.exists("User", mediator_user):
			values["user"] = mediator_user
		values["name"] = make_autoname(frappe.get_meta("Mediator").autoname, "Mediator")
		loaded[(row["full_name"], row["division"])] = values["name"]
		new_rows.append(values)
	count = insert_in_bulk("Mediator", new_rows)
	return [loaded[(row["full_name"], row["division"])] for row in mediators], count


def load_entries(entries: list[dict]) -> tuple[list[str], int]:
	names, count = [], 0
	for row in entries:
		existing = frappe.db.get_value(
			LEDGER, {"division": row["division"], "found_on": row["found_on"], "summary": row["summary"]}
		)
		if existing:
			names.append(existing)
			continue
		doc = frappe.get_doc(
			{
				"doctype": LEDGER,
				**{key: row.get(key) for key in ledger_excel.RECORD_FIELDS},
				"parties": [
					{"party_name": name, "party_role": role}
					for name, role in zip(row["parties"], ("申请方", "被申请方"), strict=False)
				],
			}
		).insert(ignore_permissions=True)
		if row["close"]:
			# Resolved more than the observation period ago: the township requests and approves 销号.
			for action in ("Request Closure", "Approve Closure"):
				apply_workflow(frappe.get_doc(LEDGER, doc.name), action)
		names.append(doc.name)
		count += 1
	return names, count


def load_cases(cases: list[dict], entries: list[str], mediators: list[str]) -> int:
	count = 0
	for row in cases:
		entry = entries[row["entry"]]
		if frappe.db.get_value(LEDGER, entry, "mediation_case"):
			continue
		name = disputes.start_mediation(LEDGER, entry)
		case = frappe.get_doc("Mediation Case", name)
		case.update(
			{
				"committee": row["committee"],
				"accepted_on": row["accepted_on"],
				"mediators": [{"mediator": mediators[i]} for i in row["mediators"]],
				"sessions": [
					{"session_date": day, "place": "村调解室", "summary": "听取双方陈述，释法说理，引导协商"}
					for day in row["sessions"]
				],
				**{
					key: row.get(key)
					for key in (
						"result",
						"referral",
						"agreement_date",
						"agreement_text",
						"performance_method",
						"performance",
					)
					if row.get(key)
				},
			}
		)
		case.save(ignore_permissions=True)
		count += 1
	return count


def load_meetings(meetings: list[dict], petitions: list[dict], email_domain: str) -> int:
	count = 0
	for row in meetings:
		agenda = []
		for item in row["agenda"]:
			source = petitions[item["petition"]]
			petition = frappe.db.get_value("Petition", county_data.petition_filters(source))
			if petition:
				agenda.append(
					{
						"petition": petition,
						"decision": item["decision"],
						"assigned_unit": item["assigned_unit"],
						"due_date": item["due_date"],
					}
				)
		division = row["township"] or frappe.db.get_value(
			"Administrative Division", {"division_level": "County"}
		)
		if not agenda or frappe.db.exists(
			"Joint Meeting", {"division": division, "meeting_date": row["meeting_date"]}
		):
			continue
		convenor = "township1.officer" if row["township"] else "county.officer"
		if row["township"] and not frappe.db.exists(
			"User Permission", {"user": f"{convenor}@{email_domain}", "for_value": row["township"]}
		):
			convenor = "county.officer"
		meeting = frappe.get_doc(
			{
				"doctype": "Joint Meeting",
				"meeting_date": row["meeting_date"],
				"level": row["level"],
				"convenor": f"{convenor}@{email_domain}",
				"division": division,
				"attending_units": [
					{"unit": unit} for unit in dict.fromkeys(item["assigned_unit"] for item in agenda)
				],
				"agenda": agenda,
				"minutes": "会议听取了信访事项办理情况汇报，逐件研究化解措施，明确责任单位和办理时限。",
			}
		)
		meeting.insert(ignore_permissions=True)
		meeting.submit()
		count += 1
	return count
