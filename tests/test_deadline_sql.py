"""The hourly job's set-based rules (domain/deadline_sql.py) decide what deadlines.py decides, row by row:
the light SQL is run on SQLite over generated petitions, the tier cut-off against escalate() day by day."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlite_twin import quote, sqlite_table

from xinfang_app.domain import deadline_sql
from xinfang_app.domain import deadlines as dl
from xinfang_app.domain.states import (
	ACCEPTED,
	ASSIGNED,
	EXTENDED,
	EXTENSION_REQUESTED,
	HANDLING,
	PENDING_ACCEPTANCE,
	REGISTRATION,
	RESOLVED,
)

ACCEPTANCE = (REGISTRATION, PENDING_ACCEPTANCE)
HANDLING_CLOCK = (ACCEPTED, ASSIGNED, HANDLING, EXTENSION_REQUESTED, EXTENDED)
ON = date(2026, 10, 8)


def sqlite_days(later: str, earlier: str) -> str:
	return f"cast(round(julianday({later}) - julianday({earlier})) as integer)"


def python_light(row: dict, on: date, rules: dl.Rules) -> str:
	"""lifecycle.current_clock + petition_light, restated without frappe."""
	state = row["workflow_state"] or REGISTRATION
	if state in ACCEPTANCE:
		start, due = row["received_on"], row["acceptance_due"]
	elif state in HANDLING_CLOCK and row["accepted_on"]:
		start, due = row["accepted_on"], row["extended_due"] or row["handling_due"]
	else:
		return ""
	if not (start and due):
		return ""
	return dl.light(on, start, due, rules)


def maybe(rng, day):
	return None if rng.random() < 0.1 else day


@pytest.fixture(scope="module")
def rows():
	rng = random.Random(7)
	out = []
	for i in range(4000):
		received = ON - timedelta(days=rng.randint(0, 120))
		accepted = received + timedelta(days=rng.randint(0, 15))
		out.append(
			{
				"name": f"P{i}",
				"workflow_state": rng.choice((*ACCEPTANCE, *HANDLING_CLOCK, RESOLVED, None, "")),
				"received_on": maybe(rng, received),
				"acceptance_due": maybe(rng, received + timedelta(days=rng.choice((0, 3, 15)))),
				"accepted_on": maybe(rng, accepted),
				"handling_due": maybe(rng, accepted + timedelta(days=rng.randint(-3, 70))),
				"extended_due": None
				if rng.random() < 0.7
				else accepted + timedelta(days=rng.randint(50, 95)),
			}
		)
	return out


@pytest.fixture(scope="module")
def db(rows):
	return sqlite_table(rows)


@pytest.mark.parametrize(
	"rules",
	[
		dl.Rules(),
		dl.Rules(yellow_threshold_days=0, yellow_threshold_percent=12.5),
		dl.Rules(yellow_threshold_days=10, yellow_threshold_percent=0),
		dl.Rules(yellow_threshold_days=1, yellow_threshold_percent=33.3),
	],
)
@pytest.mark.parametrize("on", [ON, ON + timedelta(days=17)])
def test_light_sql_is_the_light_of_the_running_clock(db, rows, rules, on):
	expression = deadline_sql.light_sql(on, rules, ACCEPTANCE, HANDLING_CLOCK, quote, sqlite_days)
	got = dict(db.execute(f"select name, {expression} from p"))
	expected = {row["name"]: python_light(row, on, rules) for row in rows}
	assert got == expected
	assert {dl.RED, dl.YELLOW, dl.GREEN, ""} <= set(got.values())


CALENDARS = [
	dl.WorkCalendar(frozenset()),
	dl.WorkCalendar(
		frozenset(
			d
			for d in (date(2026, 9, 1) + timedelta(days=i) for i in range(120))
			if d.weekday() >= 5 or date(2026, 10, 1) <= d <= date(2026, 10, 8)
		),
		date(2026, 9, 1),
		date(2026, 12, 29),
	),
]


@pytest.mark.parametrize("calendar", CALENDARS)
@pytest.mark.parametrize("basis", [dl.CALENDAR_DAYS, dl.WORKING_DAYS])
@pytest.mark.parametrize("level", [dl.VILLAGE, dl.TOWNSHIP])
def test_tier_cutoff_splits_escalated_from_in_time(calendar, basis, level):
	rules = dl.Rules(day_basis=basis, village_tier_days=7, township_tier_days=3)
	for on in (date(2026, 10, 2) + timedelta(days=i) for i in range(40)):
		cutoff = deadline_sql.tier_cutoff(level, on, rules, calendar)
		for since in (on - timedelta(days=i) for i in range(40)):
			escalates = dl.escalate(level, since, on, rules, calendar) is not None
			assert escalates == (since <= cutoff), (on, since, cutoff)


def test_no_cutoff_at_county_level():
	assert deadline_sql.tier_cutoff(dl.COUNTY, ON, dl.Rules(), CALENDARS[0]) is None
