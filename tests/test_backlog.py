"""The backlog (积案) rule: open longer than the threshold, or assigned from above."""

from datetime import date

import pytest

from xinfang_app.domain.backlog import BacklogError, BacklogRule, backlog_reasons, days_open, is_backlog

DAY = date(2026, 6, 30)
RULE = BacklogRule(threshold_days=90)


def row(received_on, state="Handling", channel="来访"):
	return {"received_on": received_on, "workflow_state": state, "channel": channel}


def test_open_exactly_the_threshold_is_not_yet_backlog():
	assert days_open(row(date(2026, 4, 1)), DAY) == 90
	assert not is_backlog(row(date(2026, 4, 1)), DAY, RULE)


def test_open_one_day_longer_than_the_threshold_is_backlog():
	assert backlog_reasons(row(date(2026, 3, 31)), DAY, RULE) == ["超过90天未化解"]


@pytest.mark.parametrize("state", ["Resolved", "Case Closed", "Final", "Not Accepted", "Forwarded"])
def test_an_ended_matter_is_never_backlog(state):
	assert not is_backlog(row(date(2025, 1, 1), state=state, channel="上级交办"), DAY, RULE)


@pytest.mark.parametrize("state", ["Pending Acceptance", "Reply Issued", "Follow-up", "Review Requested"])
def test_a_matter_still_in_hand_can_be_backlog(state):
	assert is_backlog(row(date(2025, 1, 1), state=state), DAY, RULE)


def test_assigned_from_above_is_backlog_from_the_first_day():
	assert backlog_reasons(row(DAY, channel="上级交办"), DAY, RULE) == ["上级交办"]


def test_assigned_from_above_can_be_left_out_by_the_settings():
	rule = BacklogRule(threshold_days=90, include_assigned_from_above=False)
	assert not is_backlog(row(DAY, channel="上级交办"), DAY, rule)


def test_both_reasons_are_given():
	assert backlog_reasons(row("2026-01-02", channel="上级交办"), DAY, RULE) == ["超过90天未化解", "上级交办"]


def test_a_petition_received_after_the_day_is_not_backlog_on_that_day():
	assert not is_backlog(row(date(2026, 7, 1), channel="上级交办"), DAY, RULE)


def test_settings_mapping_with_blanks_gives_the_defaults():
	assert BacklogRule.from_mapping({}) == BacklogRule(90, True)
	assert BacklogRule.from_mapping(
		{"backlog_days": 30, "backlog_includes_assigned_from_above": 0}
	) == BacklogRule(30, False)


def test_a_threshold_below_one_day_is_refused():
	with pytest.raises(BacklogError):
		BacklogRule(threshold_days=0)


@pytest.mark.parametrize("rule", [RULE, BacklogRule(30, include_assigned_from_above=False), BacklogRule(1)])
def test_sql_parts_select_exactly_the_backlog_cases_once_with_their_reasons(rule):
	"""The report reads the cases with sql_parts and their reasons with reasons_in: on SQLite, the same rows
	and reasons as backlog_reasons, none twice."""
	import random
	from datetime import timedelta

	from sqlite_twin import quote, sqlite_table

	rng = random.Random(7)
	states = [
		"Handling",
		"Reply Issued",
		"Follow-up",
		"Pending Acceptance",
		"Resolved",
		"Forwarded",
		"",
		None,
	]
	rows = [
		{
			"name": f"P{i}",
			"received_on": None if rng.random() < 0.05 else DAY + timedelta(days=rng.randint(-200, 20)),
			"workflow_state": rng.choice(states),
			"channel": rng.choice(["来访", "上级交办", None]),
		}
		for i in range(3000)
	]
	db = sqlite_table(rows)
	got = {}
	for part in rule.sql_parts(DAY, quote):
		for name, channel in db.execute(f"select name, channel from p where {part.condition}"):
			assert name not in got
			got[name] = rule.reasons_in(part, channel)
	expected = {r["name"]: backlog_reasons(r, DAY, rule) for r in rows if backlog_reasons(r, DAY, rule)}
	assert expected and got == expected
