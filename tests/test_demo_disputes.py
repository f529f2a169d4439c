"""The demo county's dispute work: committees, mediators, a tiered ledger, cases and meetings."""

import datetime as dt
from collections import Counter

import pytest

from xinfang_app.demo import county_data, disputes_data, stories
from xinfang_app.domain import states
from xinfang_app.domain.ledger import add_months

TODAY = dt.date(2026, 11, 21)


@pytest.fixture(scope="module")
def county():
	divisions = county_data.build_divisions()
	units = county_data.build_units(divisions)
	petitions = county_data.generate_petitions(divisions, units, TODAY)
	plans = stories.plan_stories(petitions, units, TODAY)
	return (
		divisions,
		units,
		petitions,
		plans,
		disputes_data.generate_disputes(divisions, petitions, plans, TODAY),
	)


def test_ledger_tiers_are_in_seed_001s_proportions(county):
	*_, data = county
	assert Counter(entry["tier"] for entry in data["entries"]) == {"一级": 38, "二级": 29, "三级": 14}


def test_two_mediators_per_hamlet_and_a_committee_per_village(county):
	divisions, *_, data = county
	hamlets = [d["division_name"] for d in divisions if d["division_level"] == "Hamlet"]
	per_place = Counter(m["division"] for m in data["mediators"])
	assert all(per_place[hamlet] == 2 for hamlet in hamlets)
	committees = {c["committee_name"] for c in data["committees"]}
	assert {m["committee"] for m in data["mediators"]} <= committees
	villages = [d for d in divisions if d["division_level"] == "Village"]
	assert all(f"{v['division_name']}人民调解委员会" in committees for v in villages)
	kinds = {c["committee_type"] for c in data["committees"]}
	assert set(disputes_data.PROFESSIONAL_COMMITTEES) <= kinds


def test_no_ledger_party_or_mediator_shares_a_petitioners_name(county):
	_, _, petitions, _, data = county
	petitioners = {p["full_name"] for petition in petitions for p in petition["petitioners"]}
	people = {m["full_name"] for m in data["mediators"]} | {n for e in data["entries"] for n in e["parties"]}
	assert not people & petitioners


def test_ledger_dates_and_closing_follow_the_observation_period(county):
	*_, data = county
	assert any(entry["close"] for entry in data["entries"])
	for entry in data["entries"]:
		assert entry["found_on"] <= TODAY
		if entry["resolved_on"]:
			assert entry["status"] == "已化解观察期"
			assert entry["found_on"] <= entry["resolved_on"] <= TODAY
		if entry["close"]:
			assert add_months(entry["resolved_on"], 6) <= TODAY


def test_mediation_results_are_consistent(county):
	*_, data = county
	assert {case["result"] for case in data["cases"]} >= {"调解成功", ""}
	for case in data["cases"]:
		entry = data["entries"][case["entry"]]
		assert case["accepted_on"] >= entry["found_on"]
		assert case["sessions"] == sorted(case["sessions"])
		assert bool(case.get("referral")) == (case["result"] == "调解不成")
		if case["result"] == "调解成功":
			assert case["agreement_text"] and case["agreement_date"] == case["sessions"][-1]
		committee_mediators = [data["mediators"][i]["committee"] for i in case["mediators"]]
		assert set(committee_mediators) == {case["committee"]}


def test_meetings_discuss_petitions_still_in_hand(county):
	*_, plans, data = county
	assert len(data["meetings"]) == 3
	for meeting in data["meetings"]:
		assert meeting["agenda"]
		for item in meeting["agenda"]:
			assert plans[item["petition"]][-1].state in {states.HANDLING, states.EXTENDED, states.ASSIGNED}
			assert item["due_date"] > meeting["meeting_date"]
