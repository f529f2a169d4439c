"""Mediation and ledger tallies against hand-counted tables."""

import datetime as dt
import random

import pytest
from sqlite_twin import quote, sqlite_table, sums_of

from xinfang_app.domain import dispute_stats as ds
from xinfang_app.domain.kpi import Period

D = dt.date
MARCH = Period(D(2026, 3, 1), D(2026, 3, 31))

CASES = [
	{"committee": "甲村调委会", "accepted_on": D(2026, 3, 2), "result": "调解成功", "performance": "已履行"},
	{
		"committee": "甲村调委会",
		"accepted_on": D(2026, 3, 31),
		"result": "调解成功",
		"performance": "部分履行",
	},
	{"committee": "甲村调委会", "accepted_on": D(2026, 3, 10), "result": "调解不成"},
	{"committee": "甲村调委会", "accepted_on": D(2026, 3, 11), "result": ""},
	{"committee": "医疗调委会", "accepted_on": D(2026, 3, 1), "result": "终止"},
	{"committee": "医疗调委会", "accepted_on": D(2026, 2, 28), "result": "调解成功"},  # before March
	{"committee": "乙村调委会", "accepted_on": "2026-03-15", "result": None},
]


def test_cases_and_mediation_rate_by_committee():
	rows = {row.committee: row for row in ds.mediation_by_committee(CASES, MARCH)}
	first = rows["甲村调委会"]
	assert (first.cases, first.succeeded, first.failed, first.in_progress, first.performed) == (4, 2, 1, 1, 1)
	assert (first.mediation_rate.numerator, first.mediation_rate.denominator, first.mediation_rate.value) == (
		2,
		3,
		66.7,
	)
	assert rows["医疗调委会"].cases == 1 and rows["医疗调委会"].mediation_rate.value == 0.0
	assert rows["乙村调委会"].mediation_rate.value is None  # nothing decided yet: no rate, not 0 %
	total = ds.mediation_by_committee(CASES, MARCH)[-1]
	assert (total.committee, total.cases, total.succeeded, total.mediation_rate.value) == (
		"",
		6,
		2,
		50.0,
	)  # 2 succeeded of 4 decided


def test_committees_are_ordered_by_cases_then_name():
	assert [row.committee for row in ds.mediation_by_committee(CASES, MARCH)] == [
		"甲村调委会",
		"乙村调委会",
		"医疗调委会",
		"",
	]


def test_an_empty_period_has_no_rows():
	assert ds.mediation_by_committee(CASES, Period(D(2025, 1, 1), D(2025, 1, 31))) == []


ENTRIES = [
	{"township": "甲镇", "tier": "一级", "found_on": D(2026, 3, 5)},
	{"township": "甲镇", "tier": "一级", "found_on": D(2026, 1, 5), "closed_on": D(2026, 3, 20)},
	{"township": "甲镇", "tier": "三级", "found_on": D(2025, 12, 1), "closed_on": D(2026, 4, 2)},
	{"township": "乙乡", "tier": "二级", "found_on": D(2026, 3, 31)},
	{"township": "乙乡", "tier": "二级", "found_on": D(2026, 4, 1)},  # after March: not yet on the ledger
	{"township": "乙乡", "tier": "四级", "found_on": D(2026, 3, 1)},  # no such tier: ignored
]


def test_tier_counts_new_on_the_ledger_and_closed():
	rows = {row.township: row for row in ds.tier_counts(ENTRIES, MARCH, townships=["甲镇", "乙乡", "丙镇"])}
	assert rows["甲镇"].new == {"一级": 1, "二级": 0, "三级": 0}
	# closed on 3-20 is off the ledger at the end of March; closed on 4-02 is still on it
	assert rows["甲镇"].on_ledger == {"一级": 1, "二级": 0, "三级": 1}
	assert rows["甲镇"].closed == 1
	assert rows["乙乡"].new == {"一级": 0, "二级": 1, "三级": 0} and rows["乙乡"].on_ledger_total == 1
	assert rows["丙镇"].on_ledger_total == 0  # listed although it has no entries
	total = ds.tier_counts(ENTRIES, MARCH, townships=["甲镇", "乙乡"])[-1]
	assert (total.township, total.on_ledger_total, total.closed) == ("", 3, 1)


# ---- tier_parts: the same counts in SQL (SQLite stands in for MariaDB) ------------------------------------


def _generated_entries(n: int = 3000) -> list[dict]:
	rng = random.Random(4)
	entries = []
	for i in range(n):
		found = D(2026, 3, 15) + dt.timedelta(days=rng.randint(-200, 40))
		closed = found + dt.timedelta(days=rng.randint(0, 150)) if rng.random() < 0.5 else None
		entries.append(
			{
				"name": f"E{i}",
				"township": rng.choice(("甲镇", "乙乡", "丙镇", "", None)),
				"tier": rng.choice((*ds.TIERS, "", None, "四级")),
				"found_on": found if rng.random() > 0.02 else None,
				"closed_on": closed,
			}
		)
	return entries


@pytest.mark.parametrize(
	"period",
	[MARCH, Period(D(2026, 1, 1), D(2026, 3, 31)), Period(D(2026, 4, 20), D(2026, 4, 20))],
)
def test_tier_parts_count_what_tier_counts_counts(period):
	entries = _generated_entries()
	db = sqlite_table(entries)
	counts = sums_of(db, ds.tier_parts(period, quote), "township")  # None and "" apart, as MariaDB groups
	expected = ds.tier_counts(entries, period, townships=["丙镇", "丁镇"])
	got = ds.tier_rows(counts, townships=["丙镇", "丁镇"])
	assert [(r.township, r.new, r.on_ledger, r.closed) for r in got] == [
		(r.township, r.new, r.on_ledger, r.closed) for r in expected
	]
	assert expected[-1].on_ledger_total > 0 and sum(expected[-1].new.values()) > 0 and expected[-1].closed > 0
