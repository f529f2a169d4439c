"""Deadlines, lights and escalation against the State Council holiday schedules for 2024-2026.

Every expected date below was counted by hand from the published schedules (国务院办公厅关于2025年、2026年部分
节假日安排的通知); the comment on each case shows the count. The holiday list comes from chinese_calendar
when it is installed; the WorkCalendar unit tests at the end use a hand-made calendar and need no package.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from xinfang_app.domain import deadlines as dl
from xinfang_app.domain.deadlines import (
	CALENDAR_DAYS,
	COUNTY,
	GREEN,
	RED,
	TOWNSHIP,
	VILLAGE,
	WORKING_DAYS,
	YELLOW,
	DeadlineError,
	Rules,
	WorkCalendar,
)

D = date
CD, WD = CALENDAR_DAYS, WORKING_DAYS
WANTED_YEARS = (2024, 2025, 2026, 2027)


def _known_years() -> list[int]:
	known = []
	for year in WANTED_YEARS:
		try:
			dl.holiday_rows([year])
		except DeadlineError:
			continue
		known.append(year)
	return known


@pytest.fixture(scope="module")
def cn_cal() -> WorkCalendar:
	"""The China calendar for the years chinese_calendar knows among 2024-2027 (1.11.0 stops at 2026)."""
	pytest.importorskip("chinese_calendar")
	years = _known_years()
	for needed in (2024, 2025, 2026):
		if needed not in years:
			pytest.skip(f"chinese_calendar does not know {needed}; upgrade it (>= 1.11.0)")
	return dl.calendar_from_rows(dl.holiday_rows(years), D(min(years), 1, 1), D(max(years), 12, 31))


# (start, days, basis, expected) on the China calendar. Start day is never counted.
CN_CASES = [
	# --- calendar days, Spring Festival 2025 (holiday Tue 1/28 - Tue 2/4; Sun 1/26 and Sat 2/8 worked)
	pytest.param(D(2025, 1, 14), 15, CD, D(2025, 2, 5), id="cd-2025-spring-lands-1-29-rolls-to-2-5"),
	pytest.param(D(2025, 1, 20), 15, CD, D(2025, 2, 5), id="cd-2025-spring-lands-on-last-day-2-4"),
	pytest.param(D(2025, 1, 11), 15, CD, D(2025, 1, 26), id="cd-2025-makeup-sunday-1-26-is-due"),
	pytest.param(D(2025, 1, 24), 15, CD, D(2025, 2, 8), id="cd-2025-makeup-saturday-2-8-is-due"),
	pytest.param(D(2025, 1, 25), 15, CD, D(2025, 2, 10), id="cd-2025-ordinary-sunday-2-9-rolls-to-mon"),
	# --- calendar days, National Day + Mid-autumn 2025 (Wed 10/1 - Wed 10/8; Sun 9/28, Sat 10/11 worked)
	pytest.param(D(2025, 9, 16), 15, CD, D(2025, 10, 9), id="cd-2025-national-lands-10-1"),
	pytest.param(D(2025, 9, 23), 15, CD, D(2025, 10, 9), id="cd-2025-national-lands-on-last-day-10-8"),
	pytest.param(D(2025, 9, 13), 15, CD, D(2025, 9, 28), id="cd-2025-makeup-sunday-9-28-is-due"),
	pytest.param(D(2025, 9, 26), 15, CD, D(2025, 10, 11), id="cd-2025-makeup-saturday-10-11-is-due"),
	# 8/2 + 29 = 8/31, + 30 = 9/30, + 1 = 10/1 -> 10/9
	pytest.param(D(2025, 8, 2), 60, CD, D(2025, 10, 9), id="cd-2025-60-days-into-national-day"),
	# --- calendar days, the smaller 2025 holidays
	pytest.param(D(2025, 4, 16), 15, CD, D(2025, 5, 6), id="cd-2025-labour-day-5-1-rolls-to-5-6"),
	pytest.param(D(2025, 4, 12), 15, CD, D(2025, 4, 27), id="cd-2025-makeup-sunday-4-27-is-due"),
	pytest.param(D(2025, 3, 22), 15, CD, D(2025, 4, 7), id="cd-2025-qingming-last-day-sun-4-6"),
	pytest.param(D(2025, 5, 18), 15, CD, D(2025, 6, 3), id="cd-2025-dragon-boat-last-day-mon-6-2"),
	# --- calendar days, year ends
	pytest.param(D(2023, 12, 25), 7, CD, D(2024, 1, 2), id="cd-2024-new-year-mon-1-1"),
	pytest.param(D(2024, 12, 16), 15, CD, D(2024, 12, 31), id="cd-2024-dec-31-tuesday-works"),
	pytest.param(D(2024, 12, 17), 15, CD, D(2025, 1, 2), id="cd-2025-new-year-wed-1-1"),
	pytest.param(D(2025, 12, 16), 15, CD, D(2025, 12, 31), id="cd-2025-dec-31-wednesday-works"),
	# 2026 元旦 Thu 1/1 - Sat 1/3, Sun 1/4 worked: rolling ends on a Sunday
	pytest.param(D(2025, 12, 17), 15, CD, D(2026, 1, 4), id="cd-2026-new-year-1-1-rolls-to-sunday-1-4"),
	pytest.param(D(2025, 12, 19), 15, CD, D(2026, 1, 4), id="cd-2026-new-year-last-day-sat-1-3"),
	# --- calendar days, Spring Festival 2026 (Sun 2/15 - Mon 2/23; Sat 2/14 and Sat 2/28 worked)
	pytest.param(D(2026, 2, 5), 15, CD, D(2026, 2, 24), id="cd-2026-spring-lands-2-20"),
	pytest.param(D(2026, 2, 8), 15, CD, D(2026, 2, 24), id="cd-2026-spring-lands-on-last-day-2-23"),
	pytest.param(D(2026, 1, 30), 15, CD, D(2026, 2, 14), id="cd-2026-makeup-saturday-2-14-is-due"),
	pytest.param(D(2026, 2, 13), 15, CD, D(2026, 2, 28), id="cd-2026-makeup-saturday-2-28-is-due"),
	# 1/20 + 11 = 1/31, + 19 = 2/19 -> 2/24
	pytest.param(D(2026, 1, 20), 30, CD, D(2026, 2, 24), id="cd-2026-30-days-into-spring"),
	# --- calendar days, 2026 Labour Day (Fri 5/1 - Tue 5/5; Sat 5/9 worked)
	pytest.param(D(2026, 4, 20), 15, CD, D(2026, 5, 6), id="cd-2026-labour-day-last-day-tue-5-5"),
	pytest.param(D(2026, 4, 24), 15, CD, D(2026, 5, 9), id="cd-2026-makeup-saturday-5-9-is-due"),
	# --- calendar days, autumn 2026 (中秋 Fri 9/25 - Sun 9/27; 国庆 Thu 10/1 - Wed 10/7;
	#     Sun 9/20 and Sat 10/10 worked)
	pytest.param(D(2026, 9, 12), 15, CD, D(2026, 9, 28), id="cd-2026-mid-autumn-last-day-sun-9-27"),
	pytest.param(D(2026, 9, 16), 15, CD, D(2026, 10, 8), id="cd-2026-national-lands-10-1"),
	pytest.param(D(2026, 9, 22), 15, CD, D(2026, 10, 8), id="cd-2026-national-lands-on-last-day-10-7"),
	pytest.param(D(2026, 9, 5), 15, CD, D(2026, 9, 20), id="cd-2026-makeup-sunday-9-20-is-due"),
	pytest.param(D(2026, 9, 25), 15, CD, D(2026, 10, 10), id="cd-2026-makeup-saturday-10-10-is-due"),
	# --- working days, Spring Festival 2025, from Fri 1/24: Sun 1/26 (1), Mon 1/27 (2), holiday, Wed 2/5 (3),
	#     Thu 2/6 (4), Fri 2/7 (5), Sat 2/8 (6), Sun 2/9 rests, Mon 2/10 (7)
	pytest.param(D(2025, 1, 24), 5, WD, D(2025, 2, 7), id="wd-2025-spring-5"),
	pytest.param(D(2025, 1, 24), 6, WD, D(2025, 2, 8), id="wd-2025-spring-6-is-makeup-saturday"),
	pytest.param(D(2025, 1, 24), 7, WD, D(2025, 2, 10), id="wd-2025-spring-7-skips-sunday-2-9"),
	pytest.param(D(2025, 1, 27), 1, WD, D(2025, 2, 5), id="wd-2025-spring-1-jumps-whole-holiday"),
	# Mon 1/20: 1/21-1/24 (4), 1/26 (5), 1/27 (6), 2/5-2/8 (10), 2/10-2/14 (15)
	pytest.param(D(2025, 1, 20), 15, WD, D(2025, 2, 14), id="wd-2025-spring-15"),
	# --- working days, National Day 2025, from Fri 9/26: Sun 9/28 (1), 9/29 (2), 9/30 (3), holiday,
	#     Thu 10/9 (4), Fri 10/10 (5), Sat 10/11 (6), Sun 10/12 rests, Mon 10/13 (7)
	pytest.param(D(2025, 9, 26), 1, WD, D(2025, 9, 28), id="wd-2025-makeup-sunday-9-28-counts"),
	pytest.param(D(2025, 9, 26), 3, WD, D(2025, 9, 30), id="wd-2025-national-3"),
	pytest.param(D(2025, 9, 26), 4, WD, D(2025, 10, 9), id="wd-2025-national-4-jumps-holiday"),
	pytest.param(D(2025, 9, 26), 6, WD, D(2025, 10, 11), id="wd-2025-national-6-is-makeup-saturday"),
	pytest.param(D(2025, 9, 26), 7, WD, D(2025, 10, 13), id="wd-2025-national-7"),
	# Tue 9/30: 10/9-10/11 (3), 10/13-10/17 (8), 10/20-10/24 (13), 10/27 (14), 10/28 (15)
	pytest.param(D(2025, 9, 30), 15, WD, D(2025, 10, 28), id="wd-2025-national-15"),
	# --- working days, Spring Festival 2026, from Fri 2/13: Sat 2/14 (1), holiday, Tue 2/24 (2) ...
	#     Fri 2/27 (5), Sat 2/28 (6), Sun 3/1 rests, Mon 3/2 (7)
	pytest.param(D(2026, 2, 13), 1, WD, D(2026, 2, 14), id="wd-2026-makeup-saturday-2-14-counts"),
	pytest.param(D(2026, 2, 13), 2, WD, D(2026, 2, 24), id="wd-2026-spring-2-jumps-holiday"),
	pytest.param(D(2026, 2, 13), 6, WD, D(2026, 2, 28), id="wd-2026-spring-6-is-makeup-saturday"),
	pytest.param(D(2026, 2, 13), 7, WD, D(2026, 3, 2), id="wd-2026-spring-7"),
	# Tue 2/10: 2/11-2/14 (4), 2/24-2/28 (9), 3/2-3/6 (14), 3/9 (15)
	pytest.param(D(2026, 2, 10), 15, WD, D(2026, 3, 9), id="wd-2026-spring-15"),
	# --- working days, autumn 2026, from Wed 9/30: Thu 10/8 (1), Fri 10/9 (2), Sat 10/10 (3), Mon 10/12 (4)
	pytest.param(D(2026, 9, 30), 1, WD, D(2026, 10, 8), id="wd-2026-national-1-jumps-holiday"),
	pytest.param(D(2026, 9, 30), 3, WD, D(2026, 10, 10), id="wd-2026-national-3-is-makeup-saturday"),
	pytest.param(D(2026, 9, 30), 4, WD, D(2026, 10, 12), id="wd-2026-national-4"),
	pytest.param(D(2026, 9, 18), 1, WD, D(2026, 9, 20), id="wd-2026-makeup-sunday-9-20-counts"),
	# --- working days over year ends
	pytest.param(D(2024, 12, 31), 1, WD, D(2025, 1, 2), id="wd-2025-new-year"),
	pytest.param(D(2025, 12, 31), 1, WD, D(2026, 1, 4), id="wd-2026-new-year-to-makeup-sunday"),
	pytest.param(D(2025, 12, 31), 2, WD, D(2026, 1, 5), id="wd-2026-new-year-2"),
]


@pytest.mark.parametrize(("start", "days", "basis", "expected"), CN_CASES)
def test_due_date_on_china_calendar(cn_cal, start, days, basis, expected):
	assert dl.due_date(start, days, basis, cn_cal) == expected


# 2028 is a leap year beyond any published schedule: Sat 2/26, Sun 2/27, Tue 2/29, Wed 3/1.
LEAP_CASES = [
	pytest.param(D(2028, 2, 14), 15, CD, D(2028, 2, 29), id="cd-2028-lands-on-leap-day"),
	pytest.param(D(2028, 2, 15), 15, CD, D(2028, 3, 1), id="cd-2028-steps-over-leap-day"),
	pytest.param(D(2028, 1, 30), 30, CD, D(2028, 2, 29), id="cd-2028-30-days-from-jan-30"),
	pytest.param(D(2028, 2, 11), 15, CD, D(2028, 2, 28), id="cd-2028-saturday-2-26-rolls-to-mon"),
	pytest.param(D(2028, 2, 25), 2, WD, D(2028, 2, 29), id="wd-2028-fri-plus-2-is-leap-day"),
	pytest.param(D(2027, 2, 14), 15, CD, D(2027, 3, 1), id="cd-2027-no-leap-day-mon-3-1"),
]


@pytest.mark.parametrize(("start", "days", "basis", "expected"), LEAP_CASES)
def test_leap_day_with_weekend_fallback(start, days, basis, expected):
	assert dl.due_date(start, days, basis, WorkCalendar.weekends_only()) == expected


@pytest.mark.parametrize(("start", "days", "basis", "expected"), LEAP_CASES)
def test_leap_day_outside_coverage_of_china_calendar(cn_cal, start, days, basis, expected):
	assert not cn_cal.covers(expected)
	assert dl.due_date(start, days, basis, cn_cal) == expected


def test_due_date_refuses_bad_input():
	cal = WorkCalendar.weekends_only()
	with pytest.raises(DeadlineError, match="至少为1天"):
		dl.due_date(D(2025, 3, 3), 0, CD, cal)
	with pytest.raises(DeadlineError, match="至少为1天"):
		dl.due_date(D(2025, 3, 3), -5, WD, cal)
	with pytest.raises(DeadlineError, match="计算方式") as err:
		dl.due_date(D(2025, 3, 3), 5, "Lunar Days", cal)
	assert "Lunar Days" in err.value.message_zh


# --- statutory periods built on due_date -----------------------------------------------------------


def test_acceptance_forward_and_handling_use_their_settings(cn_cal):
	rules = Rules()
	assert dl.acceptance_due(D(2025, 1, 14), rules, cn_cal) == D(2025, 2, 5)
	assert dl.forward_due(D(2025, 1, 14), rules, cn_cal) == D(2025, 2, 5)
	# each reads its own setting: Mon 3/3/2025 + 10 = Thu 3/13, + 15 = Tue 3/18
	assert dl.forward_due(D(2025, 3, 3), Rules(forward_days=10), cn_cal) == D(2025, 3, 13)
	assert dl.acceptance_due(D(2025, 3, 3), Rules(forward_days=10), cn_cal) == D(2025, 3, 18)
	assert dl.acceptance_due(D(2025, 3, 3), Rules(acceptance_days=10), cn_cal) == D(2025, 3, 13)
	assert dl.forward_due(D(2025, 3, 3), Rules(acceptance_days=10), cn_cal) == D(2025, 3, 18)
	# 9/21 + 10 = 10/1 -> 10/9
	assert dl.forward_due(D(2025, 9, 21), Rules(forward_days=10), cn_cal) == D(2025, 10, 9)
	assert dl.handling_due(D(2025, 8, 2), rules, cn_cal) == D(2025, 10, 9)
	# 7 working days from Fri 9/26/2025 is Mon 10/13 (see wd-2025-national-7)
	assert dl.handling_due(D(2025, 9, 26), Rules(handling_days=7, day_basis=WD), cn_cal) == D(2025, 10, 13)


def test_extension_counts_on_from_the_handling_due_date(cn_cal):
	rules = Rules()
	# 10/9 + 22 = 10/31, + 8 = Sat 11/8 -> Mon 11/10
	assert dl.extended_due(D(2025, 10, 9), 30, 0, rules, cn_cal) == D(2025, 11, 10)
	# 10/9 + 20 = Wed 10/29
	assert dl.extended_due(D(2025, 10, 9), 20, 0, rules, cn_cal) == D(2025, 10, 29)


def test_second_extension_is_refused_naming_the_limit(cn_cal):
	with pytest.raises(DeadlineError) as err:
		dl.extended_due(D(2025, 11, 10), 10, 1, Rules(), cn_cal)
	assert "只能延期一次" in err.value.message_zh
	assert "已延期1次" in err.value.message_zh


def test_extension_limit_follows_the_setting(cn_cal):
	rules = Rules(max_extensions=2)
	# second extension allowed: 11/10 + 10 = Thu 11/20
	assert dl.extended_due(D(2025, 11, 10), 10, 1, rules, cn_cal) == D(2025, 11, 20)
	with pytest.raises(DeadlineError, match="只能延期两次"):
		dl.extended_due(D(2025, 11, 20), 10, 2, rules, cn_cal)
	with pytest.raises(DeadlineError, match="不得延长"):
		dl.extended_due(D(2025, 11, 20), 10, 0, Rules(max_extensions=0), cn_cal)


def test_extension_over_the_maximum_is_refused_naming_the_maximum(cn_cal):
	with pytest.raises(DeadlineError) as err:
		dl.extended_due(D(2025, 10, 9), 31, 0, Rules(), cn_cal)
	assert "不得超过30日" in err.value.message_zh
	assert "31日" in err.value.message_zh
	with pytest.raises(DeadlineError, match="不得超过45日"):
		dl.extended_due(D(2025, 10, 9), 46, 0, Rules(extension_max_days=45), cn_cal)
	with pytest.raises(DeadlineError, match="至少为1天"):
		dl.extended_due(D(2025, 10, 9), 0, 0, Rules(), cn_cal)


def test_review_window_and_late_request(cn_cal):
	rules = Rules()
	# reply Mon 9/8/2025: 9/8 + 22 = 9/30, + 8 = 10/8 (last day of National Day) -> 10/9
	closes = dl.review_window_closes(D(2025, 9, 8), rules.review_request_days, rules, cn_cal)
	assert closes == D(2025, 10, 9)
	dl.check_review_request(D(2025, 10, 9), closes)  # the last day itself is in time
	dl.check_review_request(D(2025, 9, 8), closes)
	with pytest.raises(DeadlineError) as err:
		dl.check_review_request(D(2025, 10, 10), closes)
	assert "申请期限已于2025年10月9日届满" in err.value.message_zh
	assert "2025年10月10日" in err.value.message_zh
	with pytest.raises(DeadlineError, match=r"^复核申请期限已于2025年10月9日届满"):
		dl.check_review_request(D(2025, 10, 10), closes, stage_zh="复核")


def test_review_and_rereview_decision_dates(cn_cal):
	rules = Rules(rereview_request_days=20)
	assert dl.review_due(D(2026, 1, 20), rules.review_decision_days, rules, cn_cal) == D(2026, 2, 24)
	# review opinion Wed 1/21/2026 + 20 = Tue 2/10 (a plain working day)
	closes = dl.review_window_closes(D(2026, 1, 21), rules.rereview_request_days, rules, cn_cal)
	assert closes == D(2026, 2, 10)
	# re-review requested Sat 2/14/2026 (a worked day) + 7 working days: 2/24-2/28 (5), 3/2 (6), 3/3 (7)
	wd_rules = Rules(rereview_decision_days=7, day_basis=WD)
	assert dl.review_due(D(2026, 2, 14), wd_rules.rereview_decision_days, wd_rules, cn_cal) == D(2026, 3, 3)


# --- lights ---------------------------------------------------------------------------------------

LIGHT_CASES = [
	# 60-day period 3/1 -> 4/30/2025: 20% = 12 days beats 3 days
	pytest.param(Rules(), D(2025, 3, 1), D(2025, 4, 30), D(2025, 3, 1), GREEN, id="60d-first-day-green"),
	pytest.param(Rules(), D(2025, 3, 1), D(2025, 4, 30), D(2025, 4, 17), GREEN, id="60d-13-left-green"),
	pytest.param(Rules(), D(2025, 3, 1), D(2025, 4, 30), D(2025, 4, 18), YELLOW, id="60d-12-left-yellow"),
	pytest.param(Rules(), D(2025, 3, 1), D(2025, 4, 30), D(2025, 4, 30), YELLOW, id="60d-due-day-yellow"),
	pytest.param(Rules(), D(2025, 3, 1), D(2025, 4, 30), D(2025, 5, 1), RED, id="60d-day-after-red"),
	# 10-day period: 20% = 2 days, so the 3-day threshold rules
	pytest.param(Rules(), D(2025, 3, 1), D(2025, 3, 11), D(2025, 3, 7), GREEN, id="10d-4-left-green"),
	pytest.param(Rules(), D(2025, 3, 1), D(2025, 3, 11), D(2025, 3, 8), YELLOW, id="10d-3-left-yellow"),
	pytest.param(Rules(), D(2025, 3, 1), D(2025, 3, 11), D(2025, 3, 12), RED, id="10d-overdue-red"),
	# 16-day period: 20% = 3.2, rounded up to 4 (more than the 3-day threshold)
	pytest.param(Rules(), D(2025, 3, 1), D(2025, 3, 17), D(2025, 3, 12), GREEN, id="16d-5-left-green"),
	pytest.param(Rules(), D(2025, 3, 1), D(2025, 3, 17), D(2025, 3, 13), YELLOW, id="16d-4-left-yellow-ceil"),
	# 25-day period at 28%: exactly 7 days (the float product 0.28 * 25 is 7.000000000000001,
	# which would round up to 8)
	pytest.param(
		Rules(yellow_threshold_days=1, yellow_threshold_percent=28),
		D(2025, 3, 1),
		D(2025, 3, 26),
		D(2025, 3, 18),
		GREEN,
		id="25d-28pct-8-left-green-exact-percent",
	),
	pytest.param(
		Rules(yellow_threshold_days=1, yellow_threshold_percent=28),
		D(2025, 3, 1),
		D(2025, 3, 26),
		D(2025, 3, 19),
		YELLOW,
		id="25d-28pct-7-left-yellow",
	),
	# no thresholds at all: yellow only on the due day
	pytest.param(
		Rules(yellow_threshold_days=0, yellow_threshold_percent=0),
		D(2025, 3, 1),
		D(2025, 3, 21),
		D(2025, 3, 20),
		GREEN,
		id="no-threshold-1-left-green",
	),
	pytest.param(
		Rules(yellow_threshold_days=0, yellow_threshold_percent=0),
		D(2025, 3, 1),
		D(2025, 3, 21),
		D(2025, 3, 21),
		YELLOW,
		id="no-threshold-due-day-yellow",
	),
	# before the period starts
	pytest.param(Rules(), D(2025, 6, 1), D(2025, 6, 2), D(2025, 5, 20), GREEN, id="before-start-green"),
]


@pytest.mark.parametrize(("rules", "start", "due", "today", "expected"), LIGHT_CASES)
def test_light(rules, start, due, today, expected):
	assert dl.light(today, start, due, rules) == expected


# --- three-tier escalation ------------------------------------------------------------------------


def test_village_tier_pauses_over_national_day(cn_cal):
	rules = Rules()
	# 9/24/2025 + 7 = 10/1 -> 10/9
	assert dl.tier_deadline(VILLAGE, D(2025, 9, 24), rules, cn_cal) == D(2025, 10, 9)
	assert dl.escalate(VILLAGE, D(2025, 9, 24), D(2025, 10, 9), rules, cn_cal) is None
	assert dl.escalate(VILLAGE, D(2025, 9, 24), D(2025, 10, 10), rules, cn_cal) == TOWNSHIP


def test_escalation_chain_village_township_county_then_stops(cn_cal):
	rules = Rules()
	# Mon 3/3/2025 + 7 = Mon 3/10
	assert dl.escalate(VILLAGE, D(2025, 3, 3), D(2025, 3, 10), rules, cn_cal) is None
	assert dl.escalate(VILLAGE, D(2025, 3, 3), D(2025, 3, 11), rules, cn_cal) == TOWNSHIP
	# at township since 3/11: + 7 = Tue 3/18
	assert dl.tier_deadline(TOWNSHIP, D(2025, 3, 11), rules, cn_cal) == D(2025, 3, 18)
	assert dl.escalate(TOWNSHIP, D(2025, 3, 11), D(2025, 3, 18), rules, cn_cal) is None
	assert dl.escalate(TOWNSHIP, D(2025, 3, 11), D(2025, 3, 19), rules, cn_cal) == COUNTY
	# the county is the top tier: overdue, but nowhere to go
	assert dl.tier_deadline(COUNTY, D(2025, 3, 19), rules, cn_cal) == D(2025, 3, 26)
	assert dl.escalate(COUNTY, D(2025, 3, 19), D(2025, 3, 27), rules, cn_cal) is None
	assert dl.escalate(COUNTY, D(2025, 3, 19), D(2026, 3, 19), rules, cn_cal) is None


def test_escalation_uses_each_tier_setting_and_the_day_basis(cn_cal):
	# township given 3 days from 1/29/2025 (inside Spring Festival): 2/1 -> 2/5
	rules = Rules(township_tier_days=3, village_tier_days=30)
	assert dl.tier_deadline(TOWNSHIP, D(2025, 1, 29), rules, cn_cal) == D(2025, 2, 5)
	assert dl.escalate(TOWNSHIP, D(2025, 1, 29), D(2025, 2, 6), rules, cn_cal) == COUNTY
	# village 7 working days from Fri 2/13/2026 is Mon 3/2 (see wd-2026-spring-7)
	wd_rules = Rules(day_basis=WD)
	assert dl.tier_deadline(VILLAGE, D(2026, 2, 13), wd_rules, cn_cal) == D(2026, 3, 2)
	assert dl.escalate(VILLAGE, D(2026, 2, 13), D(2026, 3, 2), wd_rules, cn_cal) is None
	assert dl.escalate(VILLAGE, D(2026, 2, 13), D(2026, 3, 3), wd_rules, cn_cal) == TOWNSHIP


def test_unknown_tier_is_refused():
	with pytest.raises(DeadlineError, match="化解层级"):
		dl.escalate("Province", D(2025, 3, 3), D(2025, 4, 3), Rules(), WorkCalendar.weekends_only())


# --- Rules ----------------------------------------------------------------------------------------


def test_rules_from_mapping_keeps_defaults_for_blanks_and_ignores_unknown_keys():
	rules = Rules.from_mapping(
		{
			"name": "Xinfang Settings",
			"doctype": "Xinfang Settings",
			"handling_days": 90,
			"forward_days": None,
			"acceptance_days": 0,
			"yellow_threshold_percent": "",
			"yellow_threshold_days": "5",
			"day_basis": "Working Days",
			"holiday_list": "中国法定节假日",
			"ledger_observation_months": 6,
		}
	)
	assert rules == Rules(handling_days=90, yellow_threshold_days=5, day_basis=WORKING_DAYS)
	assert rules.forward_days == 15 and rules.acceptance_days == 15 and rules.yellow_threshold_percent == 20
	assert Rules.from_mapping({}) == Rules()
	assert Rules.from_mapping({"day_basis": ""}).day_basis == CALENDAR_DAYS


def test_rules_defaults_match_the_settings_doctype():
	path = (
		Path(__file__).resolve().parents[1]
		/ "xinfang_app/xinfang_app/doctype/xinfang_settings/xinfang_settings.json"
	)
	meta = json.loads(path.read_text(encoding="utf-8"))
	defaults = {f["fieldname"]: f.get("default") for f in meta["fields"]}
	for name, value in asdict(Rules()).items():
		assert name in defaults, name
		assert str(defaults[name]) == str(value), name


def test_rules_refuse_bad_settings():
	with pytest.raises(DeadlineError, match="计算方式"):
		Rules.from_mapping({"day_basis": "自然日"})
	with pytest.raises(DeadlineError, match="办理时限"):
		Rules.from_mapping({"handling_days": "六十"})
	with pytest.raises(DeadlineError, match="不能为负数"):
		Rules(handling_days=-1)
	with pytest.raises(DeadlineError, match="不能超过100"):
		Rules(yellow_threshold_percent=120)


# --- holiday rows from chinese_calendar ------------------------------------------------------------


@pytest.fixture(scope="module")
def rows_by_day():
	pytest.importorskip("chinese_calendar")
	return {d: (desc, weekly) for d, desc, weekly in dl.holiday_rows([2025, 2026])}


@pytest.mark.parametrize(
	("day", "description", "weekly_off"),
	[
		(D(2025, 1, 1), "元旦", False),
		(D(2025, 1, 28), "春节", False),
		(D(2025, 2, 1), "春节", False),  # a Saturday inside the holiday carries the holiday's name
		(D(2025, 2, 4), "春节", False),
		(D(2025, 4, 4), "清明节", False),
		(D(2025, 5, 5), "劳动节", False),
		(D(2025, 6, 2), "端午节", False),
		(D(2025, 10, 6), "中秋节", False),
		(D(2025, 10, 8), "国庆节", False),
		(D(2025, 1, 4), "周末", True),
		(D(2025, 10, 12), "周末", True),
		(D(2026, 1, 3), "元旦", False),
		(D(2026, 2, 15), "春节", False),
		(D(2026, 2, 23), "春节", False),
		(D(2026, 4, 6), "清明节", False),
		(D(2026, 5, 5), "劳动节", False),
		(D(2026, 6, 19), "端午节", False),
		(D(2026, 9, 25), "中秋节", False),
		(D(2026, 10, 7), "国庆节", False),
		(D(2026, 3, 7), "周末", True),
	],
)
def test_holiday_rows_describe_days_in_chinese(rows_by_day, day, description, weekly_off):
	assert rows_by_day[day] == (description, weekly_off)


@pytest.mark.parametrize(
	"day",
	[
		# 2025 make-up working days
		*(D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)),
		# 2026 make-up working days
		*(D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)),
		# ordinary working days
		*(D(2025, 12, 31), D(2026, 2, 24)),
	],
)
def test_holiday_rows_leave_out_working_days(rows_by_day, day):
	assert day not in rows_by_day


def test_holiday_rows_match_the_published_2026_schedule(rows_by_day):
	"""国办发明电〔2025〕7号, checked day by day, and the totals that follow from it."""
	blocks = {
		"元旦": (D(2026, 1, 1), D(2026, 1, 3)),
		"春节": (D(2026, 2, 15), D(2026, 2, 23)),
		"清明节": (D(2026, 4, 4), D(2026, 4, 6)),
		"劳动节": (D(2026, 5, 1), D(2026, 5, 5)),
		"端午节": (D(2026, 6, 19), D(2026, 6, 21)),
		"中秋节": (D(2026, 9, 25), D(2026, 9, 27)),
		"国庆节": (D(2026, 10, 1), D(2026, 10, 7)),
	}
	named = {d: desc for d, (desc, weekly) in rows_by_day.items() if d.year == 2026 and not weekly}
	expected = {}
	for name, (first, last) in blocks.items():
		for offset in range((last - first).days + 1):
			expected[first + timedelta(days=offset)] = name
	assert named == expected
	# 104 weekend days + 19 holiday weekdays - 6 worked weekend days = 117 days off, 248 working days
	assert sum(1 for d in rows_by_day if d.year == 2026) == 117
	assert sum(1 for d in rows_by_day if d.year == 2025) == 117  # 104 + 18 - 5


def test_holiday_rows_name_unknown_years():
	pytest.importorskip("chinese_calendar")
	with pytest.raises(DeadlineError) as err:
		dl.holiday_rows([2025, 2099, 2098])
	assert "2098、2099年" in err.value.message_zh


# --- WorkCalendar with a hand-made calendar (no package needed) -----------------------------------
# March 2025 (Sat 3/1): weekends 1-2, 8-9, 15-16, 22-23, 29-30. Invented: Wed 3/12 a holiday, Sat 3/15 worked.
MARCH_OFF = frozenset({D(2025, 3, d) for d in (1, 2, 8, 9, 12, 16, 22, 23, 29, 30)})


@pytest.fixture
def march() -> WorkCalendar:
	return WorkCalendar(MARCH_OFF, D(2025, 3, 1), D(2025, 3, 31))


@pytest.mark.parametrize(
	("day", "working"),
	[
		(D(2025, 3, 11), True),
		(D(2025, 3, 12), False),  # listed holiday on a Wednesday
		(D(2025, 3, 15), True),  # Saturday absent from the list: a make-up working day
		(D(2025, 3, 16), False),
		(D(2025, 3, 31), True),
		(D(2025, 2, 28), True),  # outside coverage: Friday works
		(D(2025, 4, 4), True),  # outside coverage: a Friday works, even though it was 清明 in real life
		(D(2025, 4, 5), False),  # outside coverage: Saturday rests
		(D(2025, 2, 23), False),  # outside coverage: Sunday rests
	],
)
def test_work_calendar_is_working_day(march, day, working):
	assert march.is_working_day(day) is working


@pytest.mark.parametrize(
	("day", "expected"),
	[
		(D(2025, 3, 13), D(2025, 3, 13)),
		(D(2025, 3, 12), D(2025, 3, 13)),
		(D(2025, 3, 15), D(2025, 3, 15)),
		(D(2025, 3, 16), D(2025, 3, 17)),
		(D(2025, 3, 29), D(2025, 3, 31)),
		(D(2025, 4, 5), D(2025, 4, 7)),
	],
)
def test_work_calendar_next_working_day(march, day, expected):
	assert march.next_working_day(day) == expected


@pytest.mark.parametrize(
	("start", "n", "expected"),
	[
		(D(2025, 3, 11), 1, D(2025, 3, 13)),  # skips the Wednesday holiday
		(D(2025, 3, 11), 3, D(2025, 3, 15)),  # 13, 14, Sat 15
		(D(2025, 3, 11), 4, D(2025, 3, 17)),  # Sunday 16 rests
		(D(2025, 3, 12), 1, D(2025, 3, 13)),  # starting on a holiday: the start is still not counted
		(D(2025, 3, 28), 2, D(2025, 4, 1)),  # 3/31, then out of coverage into April
	],
)
def test_work_calendar_add_working_days(march, start, n, expected):
	assert march.add_working_days(start, n) == expected


def test_work_calendar_add_working_days_needs_one_day(march):
	with pytest.raises(DeadlineError):
		march.add_working_days(D(2025, 3, 11), 0)


def test_calendar_day_basis_on_the_hand_made_calendar(march):
	assert dl.due_date(D(2025, 3, 5), 7, CD, march) == D(2025, 3, 13)  # 3/12 holiday rolls on
	assert dl.due_date(D(2025, 3, 8), 7, CD, march) == D(2025, 3, 15)  # worked Saturday is a due day
	assert dl.due_date(D(2025, 3, 9), 7, CD, march) == D(2025, 3, 17)  # ordinary Sunday rolls on


def test_weekends_only():
	cal = WorkCalendar.weekends_only()
	assert cal.is_working_day(D(2025, 1, 1))  # no holidays known at all
	assert not cal.is_working_day(D(2025, 1, 4))
	assert cal.next_working_day(D(2028, 3, 4)) == D(2028, 3, 6)
	assert cal.add_working_days(D(2028, 3, 3), 1) == D(2028, 3, 6)
	assert not cal.covers(D(2025, 1, 1))


def test_work_calendar_refuses_incomplete_ranges():
	with pytest.raises(DeadlineError):
		WorkCalendar(MARCH_OFF)
	with pytest.raises(DeadlineError):
		WorkCalendar(MARCH_OFF, D(2025, 3, 1))
	with pytest.raises(DeadlineError, match="晚于"):
		WorkCalendar(MARCH_OFF, D(2025, 3, 31), D(2025, 3, 1))


def test_calendar_from_rows_accepts_holiday_list_rows():
	rows = [
		(D(2025, 3, 12), "自定假日", False),
		(datetime(2025, 3, 16, 0, 0), "周末", True),
		("2025-03-22", "周末", True),
		(D(2025, 4, 4), "清明节", False),  # outside the range: ignored
	]
	cal = dl.calendar_from_rows(rows, D(2025, 3, 10), D(2025, 3, 31))
	assert cal.holidays == frozenset({D(2025, 3, 12), D(2025, 3, 16), D(2025, 3, 22)})
	assert cal.is_working_day(D(2025, 3, 15))  # not listed inside the range: worked Saturday
	assert cal.is_working_day(D(2025, 4, 4))  # outside: plain Friday


def test_module_is_pure():
	"""The core must import with neither frappe nor chinese_calendar available."""
	root = Path(__file__).resolve().parents[1]
	for name in ("deadlines.py", "similarity.py"):
		assert "import frappe" not in (root / "xinfang_app/domain" / name).read_text(encoding="utf-8")
	code = (
		"import sys; sys.modules['frappe'] = None; sys.modules['chinese_calendar'] = None\n"
		"from xinfang_app.domain import deadlines as dl\n"
		"try:\n    dl.holiday_rows([2025])\nexcept dl.DeadlineError as e:\n    print(e.message_zh)\n"
	)
	out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
	assert "未安装" in out.stdout
