"""The demo petitions' stories: legal workflow paths, consistent dates, every state shown."""

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from xinfang_app.demo import county_data, stories
from xinfang_app.domain import states

WORKFLOW = json.loads(
	(Path(__file__).parents[1] / "xinfang_app" / "workflows" / "petition_workflow.json").read_text("utf-8")
)
MOVES = {(t["state"], t["action"]): t["next_state"] for t in WORKFLOW["transitions"]}
# What the records' controllers do to the petition (Follow-up Visit, Petition Review).
RECORD_MOVES = {
	(stories.FOLLOW_UP_VISIT, states.REPLY_ISSUED): {states.FOLLOW_UP, states.HANDLING},
	(stories.REVIEW_REQUEST, states.FOLLOW_UP): {states.REVIEW_REQUESTED},
	(stories.REVIEW_REQUEST, states.REVIEWED): {states.REREVIEW_REQUESTED},
	(stories.REVIEW_DECISION, states.REVIEW_REQUESTED): {states.REVIEWED},
	(stories.REVIEW_DECISION, states.REREVIEW_REQUESTED): {states.FINAL},
}


# the day the demo first failed to load, the Spring Festival weeks, a leap day, years on
DATES = [
	dt.date(2026, 11, 27),
	dt.date(2027, 1, 4),
	dt.date(2027, 2, 10),
	dt.date(2027, 3, 1),
	dt.date(2028, 2, 29),
	dt.date(2030, 6, 15),
]


@pytest.fixture(scope="module", params=DATES, ids=str)
def county(request):
	today = request.param
	divisions = county_data.build_divisions()
	units = county_data.build_units(divisions)
	petitions = county_data.generate_petitions(divisions, units, today)
	return today, petitions, stories.plan_stories(petitions, units, today)


def end_state(story):
	return story[-1].state if story else states.REGISTRATION


def test_the_state_list_is_the_shipped_workflows():
	assert sorted(states.STATES) == sorted({s["state"] for s in WORKFLOW["states"]})


def test_every_workflow_state_is_where_some_petition_stands(county):
	_, _, plans = county
	assert {end_state(story) for story in plans} == {s["state"] for s in WORKFLOW["states"]}


def test_most_old_matters_are_closed_and_some_recent_ones_are_in_hand(county):
	_, _, plans = county
	ends = Counter(end_state(story) for story in plans)
	assert ends[states.CASE_CLOSED] > len(plans) / 2
	assert sum(ends[s] for s in states.STATES if s not in stories.ENDED) >= 20


def test_each_step_is_a_move_the_workflow_or_a_record_allows(county):
	_, _, plans = county
	for story in plans:
		state = states.REGISTRATION
		for step in story:
			if step.kind == stories.ACTION:
				assert MOVES.get((state, step.action)) == step.state, (state, step)
			else:
				assert step.state in RECORD_MOVES[(step.kind, state)], (state, step)
			state = step.state


def test_dates_run_forward_from_receipt_and_never_past_today(county):
	today, petitions, plans = county
	for petition, story in zip(petitions, plans, strict=True):
		dates = [dt.date.fromisoformat(petition["received_on"])] + [step.on for step in story]
		assert dates == sorted(dates)
		assert dates[-1] <= today


def test_steps_carry_what_their_rules_require(county):
	_, _, plans = county
	required = {
		"Refuse": {"not_accepted_reason", "notice_date"},
		"Forward to Competent Organ": {"forwarded_to", "forward_reason", "notice_date"},
		"Issue Reply": {"reply_text", "replied_on"},
		"Request Extension": {"extension_days", "extension_reason"},
	}
	for story in plans:
		for step in story:
			assert required.get(step.action, set()) <= {k for k, v in step.values.items() if v}, step
			for key in ("notice_date", "replied_on"):
				if key in step.values:
					assert step.values[key] == step.on.isoformat()


def test_reviews_are_requested_inside_their_thirty_day_windows(county):
	_, _, plans = county
	for story in plans:
		opened = None
		for step in story:
			if step.action == "Issue Reply" or (
				step.kind == stories.REVIEW_DECISION and step.state == states.REVIEWED
			):
				opened = step.on
			if step.kind == stories.REVIEW_REQUEST:
				assert 0 <= (step.on - opened).days <= 30, step


def test_a_repeat_of_a_matter_concluded_by_re_review_is_refused(county):
	_, petitions, plans = county
	refused = 0
	for petition, story in zip(petitions, plans, strict=True):
		original = petition.get("repeat_of_index")
		if original is None or len(story) < 2:
			continue
		final = next((s.on for s in plans[original] if s.state == states.FINAL), None)
		if final is not None and story[1].on >= final:
			assert (
				story[1].action == "Refuse"
				and story[1].values["not_accepted_reason"] == stories.FINAL_REFUSAL
			)
			refused += 1
	assert refused == sum(
		1
		for story in plans
		if len(story) > 1 and story[1].values.get("not_accepted_reason") == stories.FINAL_REFUSAL
	)


def test_stories_are_the_same_every_time(county):
	today, petitions, plans = county
	units = county_data.build_units(county_data.build_divisions())
	assert stories.plan_stories(petitions, units, today) == plans


def test_every_day_of_five_years_gives_a_county_the_workflow_can_replay():
	"""The replay's own rule, checked on every 13th day from 2026 to 2030: a repeat is refused as final
	exactly when its matter was concluded by re-review on or before the decision (as the loader's
	acceptance check does), every state occurs, and no step lies past the day."""
	divisions = county_data.build_divisions()
	units = county_data.build_units(divisions)
	day = dt.date(2026, 1, 3)
	while day < dt.date(2031, 1, 1):
		petitions = county_data.generate_petitions(divisions, units, day)
		plans = stories.plan_stories(petitions, units, day)
		assert {end_state(story) for story in plans} == set(states.STATES), day
		assert all(step.on <= day for story in plans for step in story), day
		for petition, story in zip(petitions, plans, strict=True):
			original = petition.get("repeat_of_index")
			if original is None or len(story) < 2:
				continue
			final = next((s.on for s in plans[original] if s.state == states.FINAL), None)
			refused_as_final = story[1].values.get("not_accepted_reason") == stories.FINAL_REFUSAL
			assert refused_as_final == (final is not None and final <= story[1].on), (day, petition)
		day += dt.timedelta(days=13)


def test_on_every_day_some_leader_instruction_is_still_being_worked_on():
	"""The latest reception day's instructions are open whatever the day (the desk shows them as ToDos)."""
	from xinfang_app.demo import leaders_data as leaders

	divisions = county_data.build_divisions()
	units = county_data.build_units(divisions)
	day = dt.date(2026, 1, 1)
	while day < dt.date(2028, 1, 1):
		petitions = county_data.generate_petitions(divisions, units, day)
		plan = leaders.plan_leaders(
			petitions, stories.plan_stories(petitions, units, day), day, divisions=divisions
		)
		held = [row for row in plan["receptions"] if row["held"]]
		assert any(not item["done"] for row in held for item in row["instructions"]), day
		day += dt.timedelta(days=11)


def test_reception_days_register_the_visitors_petitions_of_the_day():
	"""A reception day is the day most visitors came in the host's place that month, so its record lists
	petitions (a county's reception days registered none when they fell on the 15th whatever the visits)."""
	from xinfang_app.demo import leaders_data as leaders

	divisions = county_data.build_divisions()
	units = county_data.build_units(divisions)
	day = dt.date(2026, 11, 27)
	petitions = county_data.generate_petitions(divisions, units, day)
	plan = leaders.plan_leaders(
		petitions, stories.plan_stories(petitions, units, day), day, divisions=divisions
	)
	township = leaders._first_township_places(divisions)
	assert len(township) > 5  # the township and its villages, communities and hamlets
	registered = []
	for row in plan["receptions"]:
		places = None if row["host"] == "county" else township
		registered.append(
			sum(
				1
				for p in petitions
				if p["channel"] == "来访"
				and p["received_on"] == row["reception_date"].isoformat()
				and (places is None or p["division"] in places)
			)
		)
		if not row["held"]:
			assert row["reception_date"].day == leaders.RECEPTION_DAY
	held = [count for row, count in zip(plan["receptions"], registered, strict=True) if row["held"]]
	assert sum(held) >= len(held) // 2, held
