"""The next steps of a petition (domain/next_steps.py): records per state, step fields, who is waited on."""

import json

import metadata_checks as mc
import pytest

from xinfang_app.domain import next_steps as ns
from xinfang_app.domain import states as st

DOCTYPES, _PROBLEMS = mc.load_doctypes()
TRANSLATIONS = mc.load_translations()
WORKFLOWS = {
	data["document_type"]: data
	for data in (
		json.loads(path.read_text(encoding="utf-8")) for path in sorted((mc.APP / "workflows").glob("*.json"))
	)
}


def test_a_replied_petition_offers_the_visit_the_review_and_no_supervision():
	assert ns.records_for(st.REPLY_ISSUED) == [(ns.FOLLOW_UP_VISIT, None), (ns.PETITION_REVIEW, "复查")]


def test_a_petition_in_handling_offers_supervision_only():
	assert ns.records_for(st.HANDLING) == [(ns.SUPERVISION_NOTICE, None)]


def test_a_dissatisfied_follow_up_offers_another_visit_review_and_supervision():
	assert ns.records_for(st.FOLLOW_UP) == [
		(ns.FOLLOW_UP_VISIT, None),
		(ns.PETITION_REVIEW, "复查"),
		(ns.SUPERVISION_NOTICE, None),
	]


@pytest.mark.parametrize(
	("state", "requested", "expected"),
	[
		(st.REPLY_ISSUED, [], "复查"),
		(st.RESOLVED, [], "复查"),
		(st.REPLY_ISSUED, ["复查"], None),
		(st.REVIEWED, ["复查"], "复核"),
		(st.REVIEWED, ["复查", "复核"], None),
		(st.FINAL, ["复查", "复核"], None),
		(st.HANDLING, [], None),
		(st.REGISTRATION, [], None),
	],
)
def test_the_review_a_petitioner_may_request(state, requested, expected):
	assert ns.review_type_for(state, requested) == expected


@pytest.mark.parametrize("state", [st.REGISTRATION, st.CASE_CLOSED, st.FINAL, st.NOT_ACCEPTED, st.FORWARDED])
def test_closed_and_unregistered_petitions_offer_no_record(state):
	assert ns.records_for(state, ["复查", "复核"]) == []


def test_missing_fields_are_named_in_order():
	assert ns.missing_fields(st.FORWARDED, {"forward_reason": "属人社部门职责"}) == [
		"forwarded_to",
		"notice_date",
	]
	assert ns.missing_fields(st.ACCEPTED, {}) == []


def test_every_step_field_is_a_petition_field_with_a_translated_label():
	fields = {f["fieldname"]: f for f in DOCTYPES["Petition"]["fields"]}
	for fieldnames in ns.STEP_FIELDS.values():
		for fieldname in fieldnames:
			assert fieldname in fields
			assert TRANSLATIONS.get(fields[fieldname]["label"])


def test_states_and_actions_named_are_those_of_the_shipped_workflows():
	petition = WORKFLOWS["Petition"]
	states = {s["state"] for s in petition["states"]}
	assert set(ns.STEP_FIELDS) <= states
	assert set(ns.MOVED_BY_RECORD) <= states
	for doctype, waiting in ns.WAITING.items():
		transitions = {(t["state"], t["action"]) for t in WORKFLOWS[doctype]["transitions"]}
		assert set(waiting.items()) <= transitions, doctype


def test_the_states_a_record_moves_are_moved_by_a_record_the_petition_offers_before():
	# the follow-up is reached from the reply, where the visit is offered
	assert ns.MOVED_BY_RECORD[st.FOLLOW_UP] == ns.FOLLOW_UP_VISIT
	assert (ns.FOLLOW_UP_VISIT, None) in ns.records_for(st.REPLY_ISSUED)
	assert (ns.PETITION_REVIEW, "复核") in ns.records_for(st.REVIEWED, ["复查"])


@pytest.mark.parametrize(
	("state", "previous", "expected"),
	[
		(st.PENDING_ACCEPTANCE, st.REGISTRATION, "Accept"),
		(st.PENDING_ACCEPTANCE, st.PENDING_ACCEPTANCE, None),  # a re-save tells nobody again
		(st.EXTENSION_REQUESTED, st.HANDLING, "Approve Extension"),
		(st.RESOLVED, st.FOLLOW_UP, "Close Case"),
		(st.HANDLING, st.ASSIGNED, None),
		(None, None, None),
	],
)
def test_the_action_a_petition_waits_for_when_it_enters_a_state(state, previous, expected):
	assert ns.waited_action("Petition", state, previous) == expected


def test_a_ledger_entry_waits_for_the_closure_approval():
	assert ns.waited_action("Dispute Ledger Entry", "Closure Requested", "Ledger Open") == "Approve Closure"
	assert ns.waited_action("Dispute Ledger Entry", "Ledger Closed", "Closure Requested") is None


PLACES = [("township@x", "Township"), ("county@x", "County"), ("county2@x", "County")]


def test_a_village_or_township_matter_waits_on_the_township():
	assert ns.nearest_actors(PLACES, [], "Village") == ["township@x"]
	assert ns.nearest_actors(PLACES, [], "Township") == ["township@x"]


def test_a_county_matter_waits_on_the_county():
	assert ns.nearest_actors(PLACES, [], "County") == ["county2@x", "county@x"]


def test_without_anyone_at_or_above_the_level_the_nearest_below_is_told():
	assert ns.nearest_actors([("township@x", "Township"), ("village@x", "Village")], [], "County") == [
		"township@x"
	]


def test_the_units_handlers_are_always_told_and_nobody_is_invented():
	assert ns.nearest_actors([], ["handler@x"], "County") == ["handler@x"]
	assert ns.nearest_actors([], [], None) == []
	assert ns.nearest_actors(PLACES, [], None) == ["township@x"]


def test_every_new_string_is_translated():
	for label in (
		"Record Follow-up Visit",
		"Issue Supervision Notice",
		"Request Review",
		"Request Re-review",
	):
		assert TRANSLATIONS.get(label)


def test_a_leader_and_a_mediator_land_on_their_workspaces():
	from xinfang_app.domain import access

	assert access.home_workspace([access.LEADER, access.COUNTY_OFFICER]) == access.WORKBENCH
	assert access.home_workspace([access.MEDIATOR]) == access.MEDIATION_WORKSPACE
	assert access.home_workspace([access.MEDIATOR, access.VILLAGE_OFFICER]) is None  # officer's own choice
	assert access.home_workspace([access.VILLAGE_OFFICER]) is None


def test_the_workbench_is_hidden_from_mediators_and_theirs_shows_their_cases():
	import metadata_checks as checks

	workbench = json.loads(
		(checks.MODULE_DIR / "workspace" / "信访工作台" / "信访工作台.json").read_text("utf-8")
	)
	mediation = json.loads(
		(checks.MODULE_DIR / "workspace" / "调解工作台" / "调解工作台.json").read_text("utf-8")
	)
	assert "Mediator" not in {row["role"] for row in workbench["roles"]}
	assert {row["role"] for row in mediation["roles"]} == {"Mediator"}
	assert [row["document_type"] for row in mediation["quick_lists"]] == ["Mediation Case"]


def test_the_accepting_organ_signs_the_acceptance_notice():
	from xinfang_app.domain.notices import accepting_organ

	assert accepting_organ("Village", "甲镇人民政府", "县信访局", "县住建局") == "甲镇人民政府"
	assert accepting_organ("Township", "甲镇人民政府", "县信访局") == "甲镇人民政府"
	assert accepting_organ("County", "甲镇人民政府", "县信访局") == "县信访局"
	assert accepting_organ("County", None, None, "县住建局") == "县住建局"
	assert accepting_organ("Village", None, None, None) is None
