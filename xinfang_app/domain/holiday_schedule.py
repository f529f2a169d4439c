"""A year's holiday schedule (放假安排) typed in by an administrator, and whether the holiday list still covers
the deadlines the app computes.

The State Council publishes each year's schedule in November (国务院办公厅关于××年部分节假日安排的通知); the
`chinese-calendar` package learns it only with its next release. Until an administrator adds the year, the
WorkCalendar counts only weekends past the end of the holiday list, silently. This module decides when to
say so, and turns the announcement as pasted (or as rows of date ranges) into the rows of the list.

Pure: no frappe import. Errors are HolidayScheduleError with a Chinese `message_zh` quoting the line.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from xinfang_app.domain.deadlines import (
	WEEKEND_ZH,
	WORKING_DAYS,
	DeadlineError,
	Rules,
	WorkCalendar,
	as_date,
	due_date,
	format_date_zh,
)

HOLIDAY, WORKDAY = "放假", "上班"
KINDS = (HOLIDAY, WORKDAY)
DEFAULT_HOLIDAY_NAME = "节假日"
DEFAULT_WORKDAY_NAME = "调休上班"
WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

# The horizon of "today + the longest statutory period" is counted generously in calendar days: working-day
# periods take 7 calendar days per 5 working days, and every period gets HOLIDAY_SLACK_DAYS more for the
# longest holiday block (春节, 8 or 9 days) and the roll of a last day to the next working day.
HOLIDAY_SLACK_DAYS = 14

PETITION_DUE_FIELDS = ("acceptance_due", "forward_due", "handling_due", "extended_due")


class HolidayScheduleError(DeadlineError):
	"""A schedule that cannot be written; `message_zh` names the line or row and what is wrong."""


@dataclass(frozen=True)
class DayRange:
	"""Consecutive days off (放假) or one or more make-up working days (上班) of one festival."""

	start: date
	end: date
	kind: str
	name: str
	source: str  # where it came from, for errors: the quoted line 「…」 or 第N行
	days_stated: int | None = None  # 「共N天」 of the announcement, checked against the range


@dataclass
class Schedule:
	year: int
	holidays: dict[date, str] = field(default_factory=dict)  # day off → festival name
	workdays: dict[date, str] = field(default_factory=dict)  # worked weekend day → festival name


# ---- coverage ---------------------------------------------------------------------------------------


def horizon_days(rules: Rules) -> int:
	"""Calendar days from today within which a deadline computed today can fall.

	The longest single period the app counts from a day no later than today is handling plus every allowed
	extension (default 60 + 30), or a review/re-review or tier period if a setting makes one longer. Working
	days are turned into calendar days at 7 per 5; HOLIDAY_SLACK_DAYS cover holiday blocks and the roll to
	the next working day. Defaults: 90 + 14 = 104 calendar days, or 126 + 14 = 140 on a working-day basis.
	"""
	longest = max(
		rules.forward_days,
		rules.acceptance_days,
		rules.handling_days + rules.extension_max_days * rules.max_extensions,
		rules.review_request_days,
		rules.review_decision_days,
		rules.rereview_request_days,
		rules.rereview_decision_days,
		rules.village_tier_days + rules.township_tier_days + rules.county_tier_days,
	)
	if rules.day_basis == WORKING_DAYS:
		longest = math.ceil(longest * 7 / 5)
	return longest + HOLIDAY_SLACK_DAYS


def coverage_gap(
	covered_until: date | None,
	today: date,
	longest_period_days: int,
	open_deadlines: Iterable[date | str | None] = (),
) -> tuple[date | None, int] | None:
	"""(covered_until, first uncovered year) when a deadline may fall past the holiday list; else None.

	Warns when today + the longest period (in calendar days, see horizon_days) or any open petition's due
	date lies after the last day the holiday list covers. Without any holiday list every deadline is counted
	on weekends only, so the gap starts this year: (None, today.year).
	"""
	today = as_date(today)
	if covered_until is None:
		return None, today.year
	covered_until = as_date(covered_until)
	latest = today + timedelta(days=longest_period_days)
	for due in open_deadlines:
		if due:
			latest = max(latest, as_date(due))
	if latest <= covered_until:
		return None
	return covered_until, (covered_until + timedelta(days=1)).year


def coverage_message(gap: tuple[date | None, int] | None) -> str | None:
	"""The warning shown on 信访工作台 and the settings, e.g.
	「节假日表只覆盖到 2026-12-31，之后的期限只按周末计算，请补录 2027 年放假安排」."""
	if gap is None:
		return None
	covered_until, year = gap
	if covered_until is None:
		return f"尚未设置节假日表，期限只按周末计算，请在信访设置中选择节假日表并补录 {year} 年放假安排"
	return f"节假日表只覆盖到 {covered_until.isoformat()}，之后的期限只按周末计算，请补录 {year} 年放假安排"


# ---- the announcement as typed ------------------------------------------------------------------------

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+|\d{1,2})[、.]")
_PARENS = re.compile(r"\([^()]*\)")
_ISO_DATE = r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
_ISO_LINE = re.compile(rf"^{_ISO_DATE}(?:\s*(?:~|至|到|—|–|\s-\s)\s*{_ISO_DATE})?(.*)$")
_CN_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日")
_SIGNATURE_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_RANGE_JOIN = re.compile(r"^(?:至|到|~|-|—|–)$")
_DAYS_STATED = re.compile(r"共(\d+)天")
_CLAUSES = re.compile(r"[。;,]")
_WORKDAY_WORDS = ("上班", "补班")
_HOLIDAY_WORDS = ("放假", "休")
_TOKEN_SPLIT = re.compile(r"[\s,:、;。]+")
_KIND_WORDS = re.compile(r"调休上班|放假调休|放假|上班|补班|补休|休息|调休")


def _normalise(line: str) -> str:
	"""Full-width digits and punctuation to half-width (NFKC), parenthesised weekdays and lunar dates removed."""
	text = unicodedata.normalize("NFKC", line)
	previous = None
	while previous != text:  # nested brackets, innermost first
		previous, text = text, _PARENS.sub("", text)
	return text.strip()


def _quote(line: str) -> str:
	return f"「{line.strip()}」"


def _make_date(year: int, month: int, day: int, line: str) -> date:
	try:
		return date(year, month, day)
	except ValueError:
		raise HolidayScheduleError(f"{_quote(line)}中的日期 {year}年{month}月{day}日 不存在。") from None


def parse_announcement(year: int, text: str) -> list[DayRange]:
	"""Date ranges of a pasted 放假安排.

	Understood, one festival a line:
	the State Council's wording 「元旦：1月1日至3日放假调休，共3天。1月4日（星期日）上班。」 (numbering such as
	「一、」, weekdays and lunar dates in brackets, full-width characters and 补休/补班 are all accepted), and
	plain ranges 「2027-01-01~2027-01-03 元旦」, 「2027-02-15至2027-02-23 春节」, 「2027-02-14 上班」 (a range
	without 上班 or 补班 is days off).
	Lines without a date (title, preamble, closing) and the signature date are skipped; a line with a date
	that says neither 放假 nor 上班 is refused, quoted, as unparseable.
	"""
	ranges: list[DayRange] = []
	for raw in (text or "").splitlines():
		line = _normalise(raw)
		if not line:
			continue
		iso = _ISO_LINE.match(line)
		if iso:
			ranges.append(_iso_range(year, iso, raw))
			continue
		compact = re.sub(r"\s+", "", line)
		if not _CN_DATE.search(compact) or _SIGNATURE_DATE.match(compact):
			continue
		ranges.extend(_announcement_line(year, compact, raw))
	return ranges


def _iso_range(year: int, match: re.Match, raw: str) -> DayRange:
	groups = match.groups()
	start = _make_date(int(groups[0]), int(groups[1]), int(groups[2]), raw)
	end = _make_date(int(groups[3]), int(groups[4]), int(groups[5]), raw) if groups[3] else start
	rest = groups[6] or ""
	stated = _DAYS_STATED.search(rest)
	kind = WORKDAY if any(w in rest for w in _WORKDAY_WORDS) else HOLIDAY
	name = _KIND_WORDS.sub("", _DAYS_STATED.sub("", rest))
	name = "".join(t for t in _TOKEN_SPLIT.split(name) if t)
	name = name or (DEFAULT_WORKDAY_NAME if kind == WORKDAY else DEFAULT_HOLIDAY_NAME)
	return DayRange(start, end, kind, name, _quote(raw), int(stated[1]) if stated else None)


def _announcement_line(year: int, line: str, raw: str) -> list[DayRange]:
	line = _NUMBERING.sub("", line)
	name, _colon, body = line.partition(":")
	if not body:
		# 「春节2月15日至23日放假」: the name is whatever precedes the first date
		body = line
		name = re.match(r"^\D*", line)[0]
		if any(w in name for w in (*_WORKDAY_WORDS, *_HOLIDAY_WORDS)):
			name = ""
	name = name.strip(" ,、:") or DEFAULT_HOLIDAY_NAME
	ranges: list[DayRange] = []
	month = None
	for clause in _CLAUSES.split(body):
		if not clause:
			continue
		stated = _DAYS_STATED.search(clause)
		dates, month = _clause_dates(year, clause, month, raw)
		if not dates:
			if stated and ranges and ranges[-1].kind == HOLIDAY and ranges[-1].days_stated is None:
				last = ranges[-1]
				ranges[-1] = DayRange(last.start, last.end, last.kind, last.name, last.source, int(stated[1]))
			continue
		if any(w in clause for w in _WORKDAY_WORDS):
			ranges.extend(DayRange(d, d, WORKDAY, name, _quote(raw)) for d, _joined in dates)
		elif any(w in clause for w in _HOLIDAY_WORDS):
			ranges.extend(_holiday_ranges(dates, name, raw, int(stated[1]) if stated else None))
		else:
			raise HolidayScheduleError(
				f"无法识别这一行：{_quote(raw)}。请写明哪些日期“放假”、哪些日期“上班”，"
				"例如「元旦：1月1日至3日放假调休，共3天。1月4日（星期日）上班。」或「2027-01-01~2027-01-03 元旦」。"
			)
	return ranges


def _clause_dates(year: int, clause: str, month: int | None, raw: str):
	"""[(date, joined to the previous date by 至)], and the month in force at the end of the clause."""
	found = []
	previous_end = None
	for match in _CN_DATE.finditer(clause):
		y, m, d = match.groups()
		if m:
			month = int(m)
		if month is None:
			raise HolidayScheduleError(f"{_quote(raw)}中的「{match[0]}」没有写月份。")
		joined = previous_end is not None and bool(_RANGE_JOIN.match(clause[previous_end : match.start()]))
		found.append((_make_date(int(y) if y else year, month, int(d), raw), joined))
		previous_end = match.end()
	return found, month


def _holiday_ranges(dates, name: str, raw: str, stated: int | None) -> list[DayRange]:
	ranges: list[DayRange] = []
	for day, joined in dates:
		if joined and ranges:
			last = ranges[-1]
			ranges[-1] = DayRange(last.start, day, HOLIDAY, name, _quote(raw))
		else:
			ranges.append(DayRange(day, day, HOLIDAY, name, _quote(raw)))
	if stated is not None and len(ranges) == 1:
		only = ranges[0]
		ranges[0] = DayRange(only.start, only.end, HOLIDAY, name, _quote(raw), stated)
	return ranges


def ranges_from_rows(rows: Iterable[Mapping]) -> list[DayRange]:
	"""Date ranges from the dialog's table: from_date, to_date (blank: one day), kind 放假/上班, festival (or
	name)."""
	ranges = []
	for index, row in enumerate(rows, start=1):
		label = f"第{index}行"
		start_raw = row.get("from_date") or row.get("from")
		end_raw = row.get("to_date") or row.get("to") or start_raw
		kind = (row.get("kind") or HOLIDAY).strip()
		if not start_raw:
			raise HolidayScheduleError(f"{label}没有填写开始日期。")
		if kind not in KINDS:
			raise HolidayScheduleError(f"{label}的类型“{kind}”无法识别，应为“放假”或“上班”。")
		try:
			start, end = as_date(start_raw), as_date(end_raw)
		except (ValueError, DeadlineError):
			raise HolidayScheduleError(f"{label}的日期无法识别：{start_raw} ~ {end_raw}。") from None
		name = (row.get("festival") or row.get("name") or "").strip() or (
			DEFAULT_WORKDAY_NAME if kind == WORKDAY else DEFAULT_HOLIDAY_NAME
		)
		ranges.append(DayRange(start, end, kind, name, label))
	return ranges


def build_schedule(year: int, ranges: Iterable[DayRange]) -> Schedule:
	"""Check every range against the year and each other; the holidays and make-up working days of the year."""
	schedule = Schedule(year)
	for item in ranges:
		where = item.source
		if item.start > item.end:
			raise HolidayScheduleError(
				f"{where}：开始日期 {item.start.isoformat()} 晚于结束日期 {item.end.isoformat()}。"
			)
		for day in (item.start, item.end):
			if day.year != year:
				raise HolidayScheduleError(
					f"{where}：{format_date_zh(day)}不在{year}年内。每次只补录一个年份的放假安排，"
					f"跨年的日期请在该日期所属年份中补录。"
				)
		length = (item.end - item.start).days + 1
		if item.days_stated is not None and item.days_stated != length:
			raise HolidayScheduleError(
				f"{where}：写明共{item.days_stated}天，但 {item.start.isoformat()} 至 "
				f"{item.end.isoformat()} 是{length}天，请核对。"
			)
		target, other = (
			(schedule.holidays, schedule.workdays)
			if item.kind == HOLIDAY
			else (schedule.workdays, schedule.holidays)
		)
		day = item.start
		while day <= item.end:
			if day in other:
				holiday_name = schedule.holidays.get(day, item.name)
				raise HolidayScheduleError(
					f"{format_date_zh(day)}既是放假日（{holiday_name}）又是调休上班日，请核对{where}。"
				)
			if item.kind == WORKDAY and day.weekday() < 5:
				raise HolidayScheduleError(
					f"{where}：{format_date_zh(day)}是{WEEKDAYS_ZH[day.weekday()]}，本来就是工作日，"
					"无需调休上班，请核对日期。"
				)
			target.setdefault(day, item.name)
			day += timedelta(days=1)
	if not schedule.holidays and not schedule.workdays:
		raise HolidayScheduleError(f"没有识别出{year}年的任何放假或上班日期。")
	return schedule


def parse_schedule(year: int, text: str | None = None, rows: Iterable[Mapping] | None = None) -> Schedule:
	"""The year's schedule from the pasted announcement and/or the table rows (both may be given)."""
	year = _check_year(year)
	ranges = parse_announcement(year, text or "") + ranges_from_rows(rows or [])
	return build_schedule(year, ranges)


def year_rows(
	year: int, holidays: Mapping[date, str] | Iterable[tuple[date, str]], workdays: Iterable[date]
) -> list[tuple[date, str, bool]]:
	"""Every non-working day of the year as Holiday List rows (date, description, weekly_off).

	Each holiday carries its festival's name (weekly_off False, also on a weekend inside the block); every
	other Saturday and Sunday is 周末 (weekly_off True) unless it is a make-up working day, which is simply
	not listed: a listed day is a day off.
	"""
	holidays = dict(holidays.items() if isinstance(holidays, Mapping) else holidays)
	worked = set(workdays)
	rows = []
	day = date(year, 1, 1)
	while day.year == year:
		if day in holidays:
			rows.append((day, holidays[day], False))
		elif day.weekday() >= 5 and day not in worked:
			rows.append((day, WEEKEND_ZH, True))
		day += timedelta(days=1)
	return rows


def check_year_fits(year: int, covered_from: date | None, covered_to: date | None) -> None:
	"""A year added to a holiday list must adjoin it (or lie inside it): a skipped year would be taken as
	covered, with every day of it a working day."""
	year = _check_year(year)
	if covered_from is None or covered_to is None:
		return
	covered_from, covered_to = as_date(covered_from), as_date(covered_to)
	next_year = (covered_to + timedelta(days=1)).year
	if year > next_year:
		raise HolidayScheduleError(
			f"节假日表只覆盖到 {covered_to.isoformat()}，请先补录 {next_year} 年的放假安排，再补录 {year} 年。"
		)
	previous_year = (covered_from - timedelta(days=1)).year
	if year < previous_year:
		raise HolidayScheduleError(
			f"节假日表从 {covered_from.isoformat()} 开始，请先补录 {previous_year} 年的放假安排，再补录 {year} 年。"
		)


def _check_year(year) -> int:
	try:
		value = int(str(year).strip())
	except (TypeError, ValueError):
		raise HolidayScheduleError(f"年份无法识别：{year!r}。") from None
	if not 2000 <= value <= 2100:
		raise HolidayScheduleError(f"年份 {value} 不在 2000 至 2100 年之间。")
	return value


# ---- deadlines of open petitions after the calendar changed -------------------------------------------


def refreshed_deadlines(row: Mapping, rules: Rules, cal: WorkCalendar) -> dict[str, date]:
	"""The due dates of a petition that differ under `cal`, as {field: new date}; {} when none changed.

	Mirrors Petition.set_deadlines (acceptance and forward from receipt, handling from acceptance) and
	lifecycle.on_extended (an approved extension of extension_days counted on from the handling due date).
	"""
	new: dict[str, date] = {}
	if row.get("received_on"):
		received = as_date(row["received_on"])
		new["acceptance_due"] = due_date(received, rules.acceptance_days, rules.day_basis, cal)
		new["forward_due"] = due_date(received, rules.forward_days, rules.day_basis, cal)
	if row.get("accepted_on"):
		new["handling_due"] = due_date(as_date(row["accepted_on"]), rules.handling_days, rules.day_basis, cal)
		if row.get("extended_due") and row.get("extension_count") and row.get("extension_days"):
			new["extended_due"] = due_date(
				new["handling_due"], int(row["extension_days"]), rules.day_basis, cal
			)
	return {name: value for name, value in new.items() if not row.get(name) or as_date(row[name]) != value}


def refreshed_review_due(row: Mapping, rules: Rules, cal: WorkCalendar) -> date | None:
	"""The new decision due date of an undecided 复查 (or 复核), or None when it did not change."""
	if not row.get("requested_on"):
		return None
	days = rules.review_decision_days if row.get("review_type") == "复查" else rules.rereview_decision_days
	new = due_date(as_date(row["requested_on"]), days, rules.day_basis, cal)
	if row.get("review_due") and as_date(row["review_due"]) == new:
		return None
	return new
