"""The SQL of domain/kpi_sql.py counts what the Python rules of domain/kpi.py count: both are run on the
same generated petitions (SQLite stands in for MariaDB; dates are ISO text, which compare the same way)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlite_twin import quote, sqlite_table, sums_of

from xinfang_app.domain import kpi, kpi_sql
from xinfang_app.domain.kpi import PetitionFacts

STATES = (
	*kpi.HANDLING_STATES,
	"Pending Acceptance",
	"Reply Issued",
	"Resolved",
	"Case Closed",
	"Final",
	None,
)
DAYS = (date(2026, 3, 1), date(2026, 3, 17), date(2026, 3, 31), date(2026, 1, 1), date(2025, 12, 31))


def maybe_day(rng: random.Random, around: date):
	if rng.random() < 0.3:
		return None
	return around + timedelta(days=rng.randint(-70, 40))


@pytest.fixture(scope="module")
def petitions():
	rng = random.Random(13)
	rows = []
	for i in range(3000):
		received = date(2026, 3, 15) + timedelta(days=rng.randint(-120, 30))
		rows.append(
			PetitionFacts(
				name=f"P{i}",
				received_on=received if rng.random() > 0.01 else None,
				accepted_on=maybe_day(rng, received + timedelta(days=5)),
				replied_on=maybe_day(rng, received + timedelta(days=30)),
				closed_on=maybe_day(rng, received + timedelta(days=40)),
				workflow_state=rng.choice(STATES),
			)
		)
	return rows


@pytest.fixture(scope="module")
def db(petitions):
	return sqlite_table(
		petitions, ("name", "received_on", "accepted_on", "replied_on", "closed_on", "workflow_state")
	)


@pytest.mark.parametrize("day", DAYS)
def test_concluded_sql_is_is_concluded(db, petitions, day):
	expected = {p.name for p in petitions if kpi.is_concluded(p, day)}
	got = {name for (name,) in db.execute(f"select name from p where {kpi_sql.concluded_sql(day, quote)}")}
	assert got == expected
	nulls = db.execute(f"select count(*) from p where ({kpi_sql.concluded_sql(day, quote)}) is null")
	assert nulls.fetchone()[0] == 0


@pytest.mark.parametrize("day", DAYS)
def test_month_concluded_parts_count_what_the_rule_counts(db, petitions, day):
	eve = day.replace(day=1) - timedelta(days=1)
	expected = sum(
		1
		for p in petitions
		if (p.received_on is None or p.received_on <= day)
		and kpi.is_concluded(p, day)
		and not kpi.is_concluded(p, eve)
	)
	got = sums_of(db, kpi_sql.month_concluded_parts(day, quote))[None]["concluded"]
	assert expected > 0
	assert got == expected


def test_quoting_is_the_callers():
	sql = kpi_sql.concluded_sql(date(2026, 3, 31), lambda v: f"<{v}>")
	assert "<2026-03-31>" in sql and "<Handling>" in sql


# ---- every KPI: kpi_parts against kpi.kpi_counts --------------------------------------------------------

ALL_STATES = (
	*STATES,
	*kpi.NO_CLOCK_STATES,
	*kpi.REVIEW_STATES,
	"Follow-up",
	"Registration",
	"",
)
FULL_FIELDS = (
	"name",
	"township",
	"received_on",
	"accepted_on",
	"acceptance_due",
	"replied_on",
	"handling_due",
	"extended_due",
	"closed_on",
	"workflow_state",
	"satisfaction",
	"repeat_of",
	"redo_count",
)
PERIODS = (
	kpi.Period(date(2026, 3, 1), date(2026, 3, 31)),
	kpi.Period(date(2026, 3, 1), date(2026, 3, 17)),
	kpi.Period(date(2026, 1, 1), date(2026, 3, 31)),
	kpi.Period(date(2025, 12, 1), date(2025, 12, 31)),
)


@pytest.fixture(scope="module")
def full():
	"""Petitions with every field the KPIs read, blanks and odd states included, and their 复查 reviews."""
	rng = random.Random(1313)
	rows = []
	for i in range(4000):
		received = date(2026, 3, 15) + timedelta(days=rng.randint(-120, 30))
		handling_due = maybe_day(rng, received + timedelta(days=60))
		rows.append(
			PetitionFacts(
				name=f"F{i}",
				township=rng.choice(("甲镇", "乙镇", "丙镇", None)),
				received_on=received if rng.random() > 0.02 else None,
				accepted_on=maybe_day(rng, received + timedelta(days=5)),
				acceptance_due=maybe_day(rng, received + timedelta(days=15)),
				replied_on=maybe_day(rng, received + timedelta(days=30)),
				handling_due=handling_due,
				extended_due=handling_due + timedelta(days=30)
				if handling_due and rng.random() < 0.2
				else None,
				closed_on=maybe_day(rng, received + timedelta(days=40)),
				workflow_state=rng.choice(ALL_STATES) or None,
				satisfaction=rng.choice((*kpi.EVALUATED, kpi.NOT_EVALUATED, None)),
				repeat_of="P1" if rng.random() < 0.1 else None,
				redo_count=rng.choice((0, 0, 0, 1)),
				review_requested=rng.random() < 0.1,
			)
		)
	return rows, sqlite_table(rows, FULL_FIELDS)


def reviewed_names(rows, period):
	return [p.name for p in rows if p.review_requested and p.closed_on in period]


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("as_of", DAYS)
@pytest.mark.parametrize("basic", (True, False))
def test_kpi_parts_count_what_kpi_counts(full, period, as_of, basic):
	rows, connection = full
	parts = [
		*kpi_sql.kpi_parts(period, as_of, quote, basic_counts_as_satisfied=basic),
		kpi_sql.reviewed_part(period, reviewed_names(rows, period), quote),
	]
	got = kpi_sql.settle(sums_of(connection, parts)[None])
	expected = kpi.kpi_counts(rows, period, as_of, basic_counts_as_satisfied=basic)
	assert got == expected
	assert all(expected[name] > 0 for name in ("accepted", "replied", "closed", "overdue", "first_time"))


@pytest.mark.parametrize("period", PERIODS[:2])
def test_township_ranking_from_sql_counts_is_the_ranking(full, period):
	rows, connection = full
	as_of = period.end
	parts = [
		*kpi_sql.kpi_parts(period, as_of, quote),
		kpi_sql.reviewed_part(period, reviewed_names(rows, period), quote),
	]
	counts = {
		key: kpi_sql.settle(sums) for key, sums in sums_of(connection, parts, "township").items() if key
	}
	townships = ["甲镇", "乙镇", "丙镇", "丁镇"]
	assert kpi.rank_townships(counts, townships) == kpi.township_ranking(rows, period, as_of, townships)


@pytest.mark.parametrize("day", DAYS)
def test_overdue_sql_is_is_overdue_and_overdue_where_misses_none(full, day):
	rows, connection = full
	expected = {p.name for p in rows if kpi.is_overdue(p, day)}
	got = {
		name
		for (name,) in connection.execute(
			f"select name from p where {kpi_sql.overdue_where(day, quote)} and {kpi_sql.overdue_sql(day, quote)}"
		)
	}
	everywhere = {
		name for (name,) in connection.execute(f"select name from p where {kpi_sql.overdue_sql(day, quote)}")
	}
	assert expected and got == expected == everywhere


@pytest.mark.parametrize("day", DAYS)
def test_deadline_sql_is_deadline_on(full, day):
	rows, connection = full
	expected = {
		p.name: p_deadline.isoformat() if (p_deadline := kpi.deadline_on(p, day)) else None for p in rows
	}
	got = dict(connection.execute(f"select name, {kpi_sql.deadline_sql(day, quote)} from p"))
	assert got == expected
	assert any(expected.values()) and not all(expected.values())
