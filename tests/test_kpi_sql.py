"""The SQL of domain/kpi_sql.py counts what the Python rules of domain/kpi.py count: both are run on the
same generated petitions (SQLite stands in for MariaDB; dates are ISO text, which compare the same way)."""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta

import pytest

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


def quote(value: str) -> str:
	return "'" + value.replace("'", "''") + "'"


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
	connection = sqlite3.connect(":memory:")
	connection.execute(
		"create table p (name, received_on, accepted_on, replied_on, closed_on, workflow_state)"
	)
	iso = lambda d: d.isoformat() if d else None  # noqa: E731
	connection.executemany(
		"insert into p values (?, ?, ?, ?, ?, ?)",
		[
			(
				p.name,
				iso(p.received_on),
				iso(p.accepted_on),
				iso(p.replied_on),
				iso(p.closed_on),
				p.workflow_state,
			)
			for p in petitions
		],
	)
	return connection


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
	got = 0
	for part in kpi_sql.month_concluded_parts(day, quote):
		got += db.execute(
			f"select count(*) from p where {part.field} between ? and ? and {part.condition}",
			(part.start.isoformat(), part.end.isoformat()),
		).fetchone()[0]
	assert expected > 0
	assert got == expected


def test_quoting_is_the_callers():
	sql = kpi_sql.concluded_sql(date(2026, 3, 31), lambda v: f"<{v}>")
	assert "<2026-03-31>" in sql and "<Handling>" in sql
