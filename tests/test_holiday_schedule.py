"""The holiday list's coverage warning and a year's 放假安排 typed in by an administrator.

The 2026 announcement below is the State Council's (国办发明电〔2025〕7号) as published, title, preamble and
signature included; parsed, it must give exactly the non-working days chinese_calendar knows for 2026.
The 2027 schedule used elsewhere is made up for the tests (春节 around 6 February 2027), not the published one.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from xinfang_app.domain import deadlines as dl
from xinfang_app.domain import holiday_schedule as hs
from xinfang_app.domain.deadlines import CALENDAR_DAYS, WORKING_DAYS, Rules, WorkCalendar
from xinfang_app.domain.holiday_schedule import HolidayScheduleError

D = date

ANNOUNCEMENT_2026 = """国务院办公厅关于2026年部分节假日安排的通知
国办发明电〔2025〕7号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
　　经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
　　一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
　　二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
　　三、清明节：4月4日（周六）至6日（周一）放假，共3天。
　　四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
　　五、端午节：6月19日（周五）至21日（周日）放假，共3天。
　　六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
　　七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
　　节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。

国务院办公厅
2025年11月4日
"""

# A made-up 2027 schedule in the forms an administrator might type.
SCHEDULE_2027 = """元旦：1月1日（星期五）至3日（星期日）放假，共3天。
春节：2月5日至13日放假调休，共9天。2月20日（星期六）上班。
2027-04-03~2027-04-05 清明节
2027-05-01至2027-05-05 劳动节
2027-05-08 上班
"""


# ---- coverage -----------------------------------------------------------------------------------------

END_2026 = D(2026, 12, 31)
HORIZON = hs.horizon_days(Rules())


def test_horizon_is_handling_plus_extension_plus_slack():
	assert HORIZON == 60 + 30 + 14
	assert hs.horizon_days(Rules(day_basis=WORKING_DAYS)) == 126 + 14
	assert hs.horizon_days(Rules(max_extensions=2)) == 60 + 60 + 14
	assert hs.horizon_days(Rules(handling_days=20, extension_max_days=5, review_request_days=40)) == 40 + 14


@pytest.mark.parametrize(
	("covered_until", "today", "open_deadlines", "expected"),
	[
		# today + 104 days = 2026-10-28: inside the list, nothing open beyond it
		(END_2026, D(2026, 7, 16), [D(2026, 9, 1)], None),
		# 2026-09-19 + 104 = 2027-01-01: the horizon crosses the end of the list
		(END_2026, D(2026, 9, 18), [], None),
		(END_2026, D(2026, 9, 19), [], (END_2026, 2027)),
		# the situation of the issue: late November 2026, list to 2026-12-31
		(END_2026, D(2026, 11, 27), [], (END_2026, 2027)),
		# an open petition's due date past the list warns even when the horizon does not reach it
		(END_2026, D(2026, 6, 1), [D(2027, 1, 4)], (END_2026, 2027)),
		# after adding 2027: 2027-02-10 + 104 = 2027-05-25, inside
		(D(2027, 12, 31), D(2027, 2, 10), [D(2027, 4, 12), None], None),
		# ... but an open petition due on the leap day of 2028 is not
		(D(2027, 12, 31), D(2027, 2, 10), [D(2028, 2, 29)], (D(2027, 12, 31), 2028)),
		# leap day 2028 with the list ending 2027: warn for 2028
		(D(2027, 12, 31), D(2028, 2, 29), [], (D(2027, 12, 31), 2028)),
		# leap day 2028 with 2028 added: 2028-02-29 + 104 = 2028-06-12, inside
		(D(2028, 12, 31), D(2028, 2, 29), ["2028-06-30"], None),
		# a list ending mid-year: the year still to complete is that year (2027-04-01 + 104 = 2027-07-14)
		(D(2027, 6, 30), D(2027, 2, 10), [], None),
		(D(2027, 6, 30), D(2027, 4, 1), [], (D(2027, 6, 30), 2027)),
	],
)
def test_coverage_gap(covered_until, today, open_deadlines, expected):
	assert hs.coverage_gap(covered_until, today, HORIZON, open_deadlines) == expected


def test_the_horizon_ends_on_covered_until_exactly():
	today = END_2026 - timedelta(days=HORIZON)
	assert hs.coverage_gap(END_2026, today, HORIZON, []) is None
	assert hs.coverage_gap(END_2026, today + timedelta(days=1), HORIZON, []) == (END_2026, 2027)


def test_coverage_message_is_the_issues_wording():
	gap = hs.coverage_gap(END_2026, D(2026, 12, 1), HORIZON, [])
	assert hs.coverage_message(gap) == (
		"节假日表只覆盖到 2026-12-31，之后的期限只按周末计算，请补录 2027 年放假安排"
	)
	assert hs.coverage_message(None) is None


def test_without_a_holiday_list_the_gap_starts_this_year():
	gap = hs.coverage_gap(None, D(2027, 2, 10), HORIZON, [])
	assert gap == (None, 2027)
	assert "2027 年放假安排" in hs.coverage_message(gap)


# ---- the 2026 announcement against chinese_calendar ---------------------------------------------------


@pytest.fixture(scope="module")
def chinese_2026():
	chinese_calendar = pytest.importorskip("chinese_calendar")
	try:
		chinese_calendar.is_workday(D(2026, 1, 1))
	except NotImplementedError:
		pytest.skip("chinese_calendar does not know 2026; upgrade it (>= 1.11.0)")
	return chinese_calendar


def test_2026_announcement_parses_to_its_holidays_and_make_up_days():
	schedule = hs.parse_schedule(2026, ANNOUNCEMENT_2026)
	assert len(schedule.holidays) == 3 + 9 + 3 + 5 + 3 + 3 + 7
	assert schedule.holidays[D(2026, 2, 15)] == "春节"
	assert schedule.holidays[D(2026, 9, 27)] == "中秋节"
	assert sorted(schedule.workdays) == [
		D(2026, 1, 4),
		D(2026, 2, 14),
		D(2026, 2, 28),
		D(2026, 5, 9),
		D(2026, 9, 20),
		D(2026, 10, 10),
	]
	assert schedule.workdays[D(2026, 9, 20)] == "国庆节"


def test_every_day_of_2026_agrees_with_chinese_calendar(chinese_2026):
	schedule = hs.parse_schedule(2026, ANNOUNCEMENT_2026)
	rows = hs.year_rows(2026, schedule.holidays, schedule.workdays)
	off = {row[0] for row in rows}
	day = D(2026, 1, 1)
	while day.year == 2026:
		assert (day not in off) == chinese_2026.is_workday(day), day
		day += timedelta(days=1)
	# the rows are those install_holiday_list writes from the package, descriptions included
	assert rows == dl.holiday_rows([2026])


def test_year_rows_list_weekends_except_make_up_days_and_every_holiday():
	holidays = {D(2027, 2, 5) + timedelta(days=i): "春节" for i in range(9)}  # Fri 5 to Sat 13 February
	rows = hs.year_rows(2027, holidays, [D(2027, 2, 20)])
	by_day = {day: (description, weekly_off) for day, description, weekly_off in rows}
	assert by_day[D(2027, 2, 6)] == ("春节", False)  # a Saturday inside the block carries the name
	assert by_day[D(2027, 2, 8)] == ("春节", False)  # a Monday of the block
	assert by_day[D(2027, 2, 14)] == ("周末", True)
	assert D(2027, 2, 20) not in by_day  # the make-up Saturday is worked
	assert by_day[D(2027, 2, 21)] == ("周末", True)
	assert D(2027, 2, 15) not in by_day
	assert [row[0] for row in rows] == sorted(by_day)
	weekends = sum(1 for d in (D(2027, 1, 1) + timedelta(days=i) for i in range(365)) if d.weekday() >= 5)
	assert len(rows) == weekends - 1 + 6  # weekends, less the make-up day, plus the 6 weekdays of the block


def test_mixed_forms_and_table_rows_make_one_schedule():
	rows = [
		{"from_date": "2027-06-09", "to_date": "2027-06-11", "kind": "放假", "festival": "端午节"},
		{"from_date": "2027-09-26", "kind": "上班", "festival": "国庆节"},
		{"from_date": "2027-10-01", "to_date": "2027-10-07", "kind": "放假", "name": "国庆节"},
	]
	schedule = hs.parse_schedule("2027", SCHEDULE_2027, rows)
	assert schedule.holidays[D(2027, 1, 1)] == "元旦"
	assert schedule.holidays[D(2027, 2, 8)] == "春节"
	assert schedule.holidays[D(2027, 4, 5)] == "清明节"
	assert schedule.holidays[D(2027, 5, 5)] == "劳动节"
	assert schedule.holidays[D(2027, 6, 10)] == "端午节"
	assert schedule.holidays[D(2027, 10, 7)] == "国庆节"
	assert set(schedule.workdays) == {D(2027, 2, 20), D(2027, 5, 8), D(2027, 9, 26)}
	assert schedule.workdays[D(2027, 5, 8)] == "调休上班"


def test_announcement_variants():
	text = "\n".join(
		[
			"1、清明节：４月５日（星期一）放假，与周末连休。",  # numbering, full-width digits, one day
			"端午节 6月14日放假，6月13日（星期日）补班。",  # no colon: the name precedes the first date
			"中秋节、国庆节：9月30日至10月7日放假调休，共8天。",  # across two months
			"2027/11/06 - 2027/11/07 上班",  # slashes, a spaced hyphen, a range of make-up days
			"2027-12-25～2027-12-26 放假调休，地方节日，共2天",  # words around the name, the count checked
		]
	)
	schedule = hs.parse_schedule(2027, text)
	assert schedule.holidays[D(2027, 4, 5)] == "清明节"
	assert schedule.holidays[D(2027, 6, 14)] == "端午节"
	assert D(2027, 6, 13) in schedule.workdays
	assert schedule.holidays[D(2027, 9, 30)] == "中秋节、国庆节"
	assert schedule.holidays[D(2027, 10, 7)] == "中秋节、国庆节"
	assert len([d for d, name in schedule.holidays.items() if name == "中秋节、国庆节"]) == 8
	assert {D(2027, 11, 6), D(2027, 11, 7)} <= set(schedule.workdays)
	assert schedule.holidays[D(2027, 12, 26)] == "地方节日"
	assert "共3天" in _error(2027, "2027-12-25~2027-12-26 元旦 共3天")


# ---- errors ---------------------------------------------------------------------------------------------


def _error(year, text=None, rows=None) -> str:
	with pytest.raises(HolidayScheduleError) as caught:
		hs.parse_schedule(year, text, rows)
	assert isinstance(caught.value, dl.DeadlineError)
	return caught.value.message_zh


def test_a_date_outside_the_year_is_refused():
	message = _error(2027, "元旦：2026年12月31日至2027年1月2日放假调休，共3天。")
	assert "2026年12月31日不在2027年内" in message
	assert "元旦" in message  # the line is quoted
	assert "2028年1月1日不在2027年内" in _error(2027, "2028-01-01 元旦")
	assert "第1行" in _error(2027, rows=[{"from_date": "2026-12-31", "kind": "放假"}])


def test_from_after_to_is_refused():
	message = _error(2027, "2027-02-13~2027-02-05 春节")
	assert "开始日期 2027-02-13 晚于结束日期 2027-02-05" in message
	assert "「2027-02-13~2027-02-05 春节」" in message
	message = _error(2027, rows=[{"from_date": "2027-10-07", "to_date": "2027-10-01", "kind": "放假"}])
	assert message.startswith("第1行：开始日期 2027-10-07 晚于结束日期 2027-10-01")


def test_a_day_both_holiday_and_working_day_is_refused():
	message = _error(2027, "春节：2月5日至13日放假调休，共9天。2月6日（星期六）上班。")
	assert "2027年2月6日既是放假日（春节）又是调休上班日" in message
	message = _error(
		2027,
		"2027-05-08 上班",
		[{"from_date": "2027-05-01", "to_date": "2027-05-08", "kind": "放假", "festival": "劳动节"}],
	)
	assert "2027年5月8日既是放假日（劳动节）又是调休上班日" in message


def test_an_unparseable_line_is_quoted():
	message = _error(2027, "元旦：1月1日至3日。")
	assert "无法识别这一行：「元旦：1月1日至3日。」" in message
	assert "「" in _error(2027, "春节：15日至23日放假")  # no month


def test_other_mistakes_are_explained():
	assert "共8天" in _error(2027, "春节：2月5日至13日放假调休，共8天。")  # the count does not match
	assert "2027年2月30日 不存在" in _error(2027, "春节：2月30日放假")
	assert "星期三" in _error(2027, "2027-01-06 上班")  # a make-up day on a weekday is a typo
	assert "没有识别出2027年的任何放假或上班日期" in _error(
		2027, "国务院办公厅关于2027年部分节假日安排的通知"
	)
	assert "类型" in _error(2027, rows=[{"from_date": "2027-01-01", "kind": "休息"}])
	assert "年份" in _error("明年", "2027-01-01 元旦")


def test_a_year_must_adjoin_the_list():
	hs.check_year_fits(2027, D(2024, 1, 1), END_2026)  # the next year
	hs.check_year_fits(2026, D(2024, 1, 1), END_2026)  # a year inside (replaced)
	hs.check_year_fits(2023, D(2024, 1, 1), END_2026)  # the year before
	with pytest.raises(HolidayScheduleError, match="请先补录 2027 年的放假安排，再补录 2028 年"):
		hs.check_year_fits(2028, D(2024, 1, 1), END_2026)
	with pytest.raises(HolidayScheduleError, match="请先补录 2027 年"):
		hs.check_year_fits(2028, D(2024, 1, 1), D(2027, 6, 30))
	with pytest.raises(HolidayScheduleError, match="请先补录 2023 年"):
		hs.check_year_fits(2022, D(2024, 1, 1), END_2026)


# ---- refreshing open petitions' deadlines ----------------------------------------------------------------


def _calendar(schedule_text: str | None) -> WorkCalendar:
	"""2026 from the announcement, plus 2027 when a schedule is given (else weekends only after 2026)."""
	rows = hs.year_rows(2026, *_parts(2026, ANNOUNCEMENT_2026))
	end = END_2026
	if schedule_text:
		rows += hs.year_rows(2027, *_parts(2027, schedule_text))
		end = D(2027, 12, 31)
	return dl.calendar_from_rows(rows, D(2026, 1, 1), end)


def _parts(year, text):
	schedule = hs.parse_schedule(year, text)
	return schedule.holidays, schedule.workdays


def test_a_handling_deadline_in_the_2027_spring_festival_moves_once_the_year_is_added():
	rules = Rules(day_basis=CALENDAR_DAYS)
	row = {"received_on": D(2026, 12, 8), "accepted_on": D(2026, 12, 10)}
	before = _calendar(None)
	row.update(
		acceptance_due=dl.acceptance_due(D(2026, 12, 8), rules, before),
		forward_due=dl.forward_due(D(2026, 12, 8), rules, before),
		handling_due=dl.handling_due(D(2026, 12, 10), rules, before),
	)
	assert row["handling_due"] == D(2027, 2, 8)  # 60 days on, a Monday: a working day without 2027
	changes = hs.refreshed_deadlines(row, rules, _calendar(SCHEDULE_2027))
	# 8 February is 春节 (5-13 February); 14 February is a Sunday: the period ends on Monday 15 February
	assert changes == {"handling_due": D(2027, 2, 15)}


def test_an_extension_is_counted_on_from_the_new_handling_due_date():
	rules = Rules(day_basis=WORKING_DAYS)
	before, after = _calendar(None), _calendar(SCHEDULE_2027)
	row = {"accepted_on": D(2026, 12, 1), "extension_days": 10, "extension_count": 1}
	row["handling_due"] = dl.handling_due(D(2026, 12, 1), rules, before)
	row["extended_due"] = dl.due_date(row["handling_due"], 10, WORKING_DAYS, before)
	changes = hs.refreshed_deadlines(row, rules, after)
	new_handling = dl.handling_due(D(2026, 12, 1), rules, after)
	assert changes["handling_due"] == new_handling > row["handling_due"]
	assert changes["extended_due"] == dl.due_date(new_handling, 10, WORKING_DAYS, after)
	assert hs.refreshed_deadlines({**row, **changes}, rules, after) == {}


def test_an_undecided_review_gets_its_new_due_date():
	rules = Rules()
	before, after = _calendar(None), _calendar(SCHEDULE_2027)
	row = {"review_type": "复查", "requested_on": D(2027, 1, 6)}
	row["review_due"] = dl.review_due(D(2027, 1, 6), 30, rules, before)
	assert row["review_due"] == D(2027, 2, 5)
	assert hs.refreshed_review_due(row, rules, after) == D(2027, 2, 15)
	assert hs.refreshed_review_due({**row, "review_due": D(2027, 2, 15)}, rules, after) is None
