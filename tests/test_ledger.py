"""The dispute ledger's date rules, closing decision and weekly roll-up (pure, no frappe)."""

from datetime import date

import pytest

from xinfang_app.domain import ledger as lg
from xinfang_app.domain.ledger import Division, Entry, LaterPetition


@pytest.mark.parametrize(
	"start, months, expected",
	[
		(date(2026, 1, 15), 6, date(2026, 7, 15)),
		(date(2025, 8, 31), 6, date(2026, 2, 28)),  # February has no 31st: its last day
		(date(2027, 8, 31), 6, date(2028, 2, 29)),  # leap year
		(date(2026, 3, 31), 1, date(2026, 4, 30)),
		(date(2026, 9, 30), 6, date(2027, 3, 30)),  # across the year
		(date(2026, 12, 31), 12, date(2027, 12, 31)),
		(date(2026, 5, 10), 0, date(2026, 5, 10)),
	],
)
def test_add_months_clamps_to_the_end_of_short_months(start, months, expected):
	assert lg.add_months(start, months) == expected


def test_observation_until_defaults_to_six_months_and_needs_a_resolution_date():
	assert lg.observation_until(date(2026, 1, 31), None) == date(2026, 7, 31)
	assert lg.observation_until(date(2026, 1, 31), 3) == date(2026, 4, 30)
	assert lg.observation_until("2026-01-31", "2") == date(2026, 3, 31)
	assert lg.observation_until(None, 6) is None
	with pytest.raises(lg.LedgerError):
		lg.observation_until(date(2026, 1, 31), -1)


@pytest.mark.parametrize(
	"day, week",
	[
		(date(2026, 1, 14), "2026-W03"),
		(date(2026, 1, 1), "2026-W01"),  # Thursday: the year's first ISO week
		(date(2027, 1, 1), "2026-W53"),  # Friday: still the last week of 2026
		(date(2024, 12, 30), "2025-W01"),  # Monday: already the first week of 2025
	],
)
def test_screening_week_is_the_iso_week(day, week):
	assert lg.screening_week(day) == week


def test_week_bounds_run_monday_to_sunday_and_reject_bad_weeks():
	assert lg.week_bounds("2026-W03") == (date(2026, 1, 12), date(2026, 1, 18))
	assert lg.week_bounds("2026-W53") == (date(2026, 12, 28), date(2027, 1, 3))
	for bad in ("2026-03", "2025-W53", "W03", ""):
		with pytest.raises(lg.LedgerError):
			lg.week_bounds(bad)


def test_resolution_date_required_for_observation_and_not_before_found():
	with pytest.raises(lg.LedgerError, match="化解日期"):
		lg.check_resolution(lg.OBSERVING, date(2026, 1, 1), None)
	with pytest.raises(lg.LedgerError, match="2025年12月31日不能早于排查发现日期2026年1月1日"):
		lg.check_resolution(lg.RESOLVING, date(2026, 1, 1), date(2025, 12, 31))
	lg.check_resolution(lg.UNRESOLVED, date(2026, 1, 1), None)
	lg.check_resolution(lg.OBSERVING, date(2026, 1, 1), date(2026, 1, 1))


RESOLVED = date(2026, 1, 31)
UNTIL = date(2026, 7, 31)


def test_closing_refused_before_the_observation_period_ends_naming_the_dates():
	message = lg.closing_refusal(lg.OBSERVING, date(2026, 7, 30), RESOLVED, UNTIL)
	assert "2026年1月31日" in message and "2026年7月31日" in message


def test_closing_allowed_on_the_last_day_of_observation():
	assert lg.closing_refusal(lg.OBSERVING, UNTIL, RESOLVED, UNTIL) is None


@pytest.mark.parametrize("status", [lg.UNRESOLVED, lg.RESOLVING, lg.CLOSED])
def test_only_observed_entries_close(status):
	assert status in lg.closing_refusal(status, date(2027, 1, 1), RESOLVED, UNTIL)


def test_closing_refused_by_a_petition_received_on_or_after_resolution():
	petitions = [
		LaterPetition("XF-2026-00009", date(2026, 3, 2)),
		LaterPetition("XF-2026-00003", RESOLVED),
		LaterPetition("XF-2025-00100", date(2025, 12, 1)),  # before resolution: the matter it resolved
	]
	message = lg.closing_refusal(lg.OBSERVING, date(2026, 8, 1), RESOLVED, UNTIL, petitions)
	assert "XF-2026-00003（2026年1月31日收到）、XF-2026-00009（2026年3月2日收到）" in message
	assert "XF-2025-00100" not in message


def test_closing_allowed_when_only_earlier_petitions_exist():
	earlier = [LaterPetition("XF-2025-00100", date(2025, 12, 1))]
	assert lg.closing_refusal(lg.OBSERVING, date(2026, 8, 1), RESOLVED, UNTIL, earlier) is None


TREE = [
	Division("县", None, "County"),
	Division("甲镇", "县", "Township"),
	Division("甲一村", "甲镇", "Village"),
	Division("甲一村东屯", "甲一村", "Hamlet"),
	Division("甲二村", "甲镇", "Village"),
	Division("乙乡", "县", "Township"),
	Division("乙一村", "乙乡", "Village"),
]
MON, SUN = date(2026, 1, 12), date(2026, 1, 18)
ENTRIES = [
	Entry("甲一村", date(2026, 1, 13), "二级"),  # new this week, open
	Entry("甲一村东屯", date(2026, 1, 18), "三级"),  # new on Sunday, rolls into its village
	Entry("甲二村", date(2025, 12, 1), "一级", resolved_on=date(2026, 1, 12)),  # resolved this week
	Entry("甲镇", date(2026, 1, 5), "二级", resolved_on=date(2026, 1, 9)),  # resolved last week
	Entry("乙一村", date(2025, 6, 1), "一级", resolved_on=date(2025, 7, 1), closed_on=date(2026, 1, 14)),
	Entry("乙一村", date(2026, 1, 19), "三级"),  # next week: not yet on the ledger
	Entry("别县某村", date(2026, 1, 13), "三级"),  # outside the tree: ignored
]


def rows_by_name(rows):
	return {row.division: row for row in rows}


def test_weekly_rollup_counts_each_level_and_rolls_up_to_the_county():
	rows = lg.weekly_rollup(TREE, ENTRIES, MON, SUN)
	assert [(r.division, r.indent) for r in rows] == [
		("县", 0),
		("乙乡", 1),
		("乙一村", 2),
		("甲镇", 1),
		("甲一村", 2),
		("甲二村", 2),
	]
	got = {
		r.division: (
			r.new,
			r.resolved,
			r.open_by_tier["一级"],
			r.open_by_tier["二级"],
			r.open_by_tier["三级"],
		)
		for r in rows
	}
	assert got == {
		"县": (2, 1, 1, 2, 1),
		"甲镇": (2, 1, 1, 2, 1),
		"甲一村": (2, 0, 0, 1, 1),
		"甲二村": (0, 1, 1, 0, 0),
		"乙乡": (0, 0, 0, 0, 0),
		"乙一村": (0, 0, 0, 0, 0),
	}
	assert rows_by_name(rows)["甲一村"].parent == "甲镇"
	assert rows_by_name(rows)["县"].open_total == 4


def test_weekly_rollup_for_a_township_reader_starts_at_the_township():
	township_only = [d for d in TREE if d.name in {"甲镇", "甲一村", "甲一村东屯", "甲二村"}]
	rows = lg.weekly_rollup(township_only, ENTRIES, MON, SUN)
	assert [r.division for r in rows] == ["甲镇", "甲一村", "甲二村"]
	assert rows[0].indent == 0 and rows[0].parent is None
	assert (rows[0].new, rows[0].resolved, rows[0].open_total) == (2, 1, 4)


def test_entry_closed_after_the_week_is_still_open_at_its_end():
	entries = [
		Entry("乙一村", date(2025, 6, 1), "一级", resolved_on=date(2025, 7, 1), closed_on=date(2026, 1, 19))
	]
	rows = rows_by_name(lg.weekly_rollup(TREE, entries, MON, SUN))
	assert rows["乙一村"].open_by_tier["一级"] == 1
