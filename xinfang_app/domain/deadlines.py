"""Statutory deadlines of the 信访工作条例, red/yellow lights and three-tier escalation.

Pure arithmetic on dates, with no frappe import, so the rules can be tested without a site and the same code
serves doctype hooks, scheduled jobs and reports.

Counting follows the general rule of Chinese law for periods counted in days (民法典第二百零一条、第二百零三条):
the day the period starts is not counted, and when the last day falls on a statutory holiday or rest day the
period ends on the first working day after it. Settings may instead count in working days.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from fractions import Fraction

from xinfang_app.domain.errors import DomainError

CALENDAR_DAYS = "Calendar Days"
WORKING_DAYS = "Working Days"
DAY_BASES = (CALENDAR_DAYS, WORKING_DAYS)

GREEN, YELLOW, RED = "Green", "Yellow", "Red"

VILLAGE, TOWNSHIP, COUNTY = "Village", "Township", "County"
TIERS = (VILLAGE, TOWNSHIP, COUNTY)

WEEKEND_ZH = "周末"

# chinese_calendar names its holidays in English (constants.Holiday values); users read Chinese.
HOLIDAY_NAMES_ZH = {
	"New Year's Day": "元旦",
	"Spring Festival": "春节",
	"Tomb-sweeping Day": "清明节",
	"Labour Day": "劳动节",
	"Dragon Boat Festival": "端午节",
	"National Day": "国庆节",
	"Mid-autumn Festival": "中秋节",
	"Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

# Chinese labels of the Xinfang Settings fields, so a bad setting can be named to the user.
_FIELD_LABELS_ZH = {
	"forward_days": "转送交办时限",
	"acceptance_days": "受理告知时限",
	"handling_days": "办理时限",
	"extension_max_days": "延期最多天数",
	"max_extensions": "可延期次数",
	"review_request_days": "申请复查期限",
	"review_decision_days": "复查办理期限",
	"rereview_request_days": "申请复核期限",
	"rereview_decision_days": "复核办理期限",
	"day_basis": "期限计算方式",
	"yellow_threshold_days": "黄灯预警（到期前天数）",
	"yellow_threshold_percent": "黄灯预警（占期限百分比）",
	"village_tier_days": "村级化解时限",
	"township_tier_days": "乡镇级化解时限",
	"county_tier_days": "县级化解时限",
}

_SMALL_COUNTS_ZH = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五"}


class DeadlineError(DomainError):
	"""A deadline that cannot be computed or a request the law refuses; `message_zh` is shown to the user."""


def format_date_zh(d: date) -> str:
	"""2025年10月9日 - the form used in written replies to petitioners (no zero padding)."""
	return f"{d.year}年{d.month}月{d.day}日"


def as_date(value) -> date:
	"""Rows from the database or a CSV may carry datetimes or ISO strings; the calendar works on dates."""
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	if isinstance(value, str):
		return date.fromisoformat(value.strip()[:10])
	raise DeadlineError(f"无法识别的日期：{value!r}")


@dataclass(frozen=True)
class WorkCalendar:
	"""Which days are working days.

	Inside [covered_from, covered_to] the holiday list is authoritative: every non-working day (weekends and
	statutory holidays) is listed, so a 调休 Saturday or Sunday that is worked is simply absent. Outside that
	range nobody has published a schedule yet, so Monday to Friday are assumed to be working days.
	"""

	holidays: frozenset[date]
	covered_from: date | None = None
	covered_to: date | None = None

	def __post_init__(self):
		if (self.covered_from is None) != (self.covered_to is None):
			raise DeadlineError("节假日日历的起止日期必须同时填写。")
		if self.covered_from is not None and self.covered_from > self.covered_to:
			raise DeadlineError(
				f"节假日日历的开始日期（{format_date_zh(self.covered_from)}）"
				f"晚于结束日期（{format_date_zh(self.covered_to)}）。"
			)
		if self.covered_from is None and self.holidays:
			# Without a range we could not tell a worked 调休 weekend from a gap in the list.
			raise DeadlineError("节假日日历缺少起止日期，无法判断未列出的周末是否为调休工作日。")

	def covers(self, d: date) -> bool:
		"""True when the holiday list speaks for `d`; callers may warn when a deadline falls outside it."""
		return self.covered_from is not None and self.covered_from <= d <= self.covered_to

	def is_working_day(self, d: date) -> bool:
		if self.covers(d):
			return d not in self.holidays
		return d.weekday() < 5

	def next_working_day(self, d: date) -> date:
		"""`d` itself when it is a working day, else the first working day after it (顺延)."""
		while not self.is_working_day(d):
			d += timedelta(days=1)
		return d

	def add_working_days(self, start: date, n: int) -> date:
		"""The n-th working day after `start`; `start` is never counted, like the first day of a period."""
		if n < 1:
			raise DeadlineError(f"工作日天数必须至少为1天，当前为{n}天。")
		d = start
		counted = 0
		while counted < n:
			d += timedelta(days=1)
			if self.is_working_day(d):
				counted += 1
		return d

	@classmethod
	def weekends_only(cls) -> WorkCalendar:
		"""Fallback when no holiday list is configured: Saturdays and Sundays rest, every other day works."""
		return cls(frozenset())


def due_date(start: date, days: int, basis: str, calendar: WorkCalendar) -> date:
	"""Last day of a period of `days` counted from `start` (start day not counted).

	Calendar days: a last day that is not a working day moves to the next working day, as the law requires.
	Working days: the `days`-th working day after start, which is never a rest day to begin with.
	"""
	if isinstance(days, bool) or not isinstance(days, int):
		raise DeadlineError(f"期限天数必须是整数，当前为{days!r}。")
	if days < 1:
		raise DeadlineError(f"期限天数必须至少为1天，当前为{days}天。")
	if basis == CALENDAR_DAYS:
		return calendar.next_working_day(start + timedelta(days=days))
	if basis == WORKING_DAYS:
		return calendar.add_working_days(start, days)
	raise DeadlineError(f"未知的期限计算方式：{basis!r}，应为“自然日”或“工作日”。")


@dataclass(frozen=True)
class Rules:
	"""The periods and thresholds of the "Xinfang Settings" single doctype; names and defaults are identical.

	Defaults are the 信访工作条例 (2022) periods: 15 days to forward or decide on acceptance, 60 days to
	handle, one extension of at most 30 days, 30 days to request and to decide a review or re-review.
	"""

	forward_days: int = 15
	acceptance_days: int = 15
	handling_days: int = 60
	extension_max_days: int = 30
	max_extensions: int = 1
	review_request_days: int = 30
	review_decision_days: int = 30
	rereview_request_days: int = 30
	rereview_decision_days: int = 30
	day_basis: str = CALENDAR_DAYS
	yellow_threshold_days: int = 3
	yellow_threshold_percent: float = 20
	village_tier_days: int = 7
	township_tier_days: int = 7
	county_tier_days: int = 7

	def __post_init__(self):
		if self.day_basis not in DAY_BASES:
			raise DeadlineError(f"未知的期限计算方式：{self.day_basis!r}，应为“自然日”或“工作日”。")
		for f in fields(self):
			value = getattr(self, f.name)
			if f.name != "day_basis" and value < 0:
				raise DeadlineError(f"设置项“{_FIELD_LABELS_ZH[f.name]}”不能为负数，当前为{value}。")
		if self.yellow_threshold_percent > 100:
			raise DeadlineError(f"黄灯预警百分比不能超过100，当前为{self.yellow_threshold_percent}。")

	@classmethod
	def from_mapping(cls, values: Mapping) -> Rules:
		"""Build from a settings document or dict; blank fields (None, 0, "") keep the statutory default.

		Frappe stores an emptied Int field as 0, which would otherwise mean "no time at all".
		"""
		kwargs = {}
		for f in fields(cls):
			raw = values.get(f.name)
			if raw is None or raw == "" or (not isinstance(raw, str) and raw == 0):
				continue
			if f.name == "day_basis":
				kwargs[f.name] = str(raw).strip()
				continue
			convert = float if f.name == "yellow_threshold_percent" else int
			try:
				value = convert(str(raw).strip()) if isinstance(raw, str) else convert(raw)
			except (TypeError, ValueError):
				raise DeadlineError(f"设置项“{_FIELD_LABELS_ZH[f.name]}”应为数字，当前为{raw!r}。") from None
			if value == 0:
				continue
			kwargs[f.name] = value
		return cls(**kwargs)


def acceptance_due(received_on: date, rules: Rules, cal: WorkCalendar) -> date:
	"""Last day to decide whether to accept and tell the petitioner (条例第三十一条: 15 days from receipt)."""
	return due_date(received_on, rules.acceptance_days, rules.day_basis, cal)


def forward_due(received_on: date, rules: Rules, cal: WorkCalendar) -> date:
	"""Last day to forward or assign a matter outside one's own remit (条例第三十一条: 15 days from receipt)."""
	return due_date(received_on, rules.forward_days, rules.day_basis, cal)


def handling_due(accepted_on: date, rules: Rules, cal: WorkCalendar) -> date:
	"""Last day to conclude a matter (条例第三十二条: 60 days from acceptance)."""
	return due_date(accepted_on, rules.handling_days, rules.day_basis, cal)


def _times_zh(n: int) -> str:
	return _SMALL_COUNTS_ZH.get(n, str(n))


def extended_due(
	handling_due: date, requested_days: int, extensions_so_far: int, rules: Rules, cal: WorkCalendar
) -> date:
	"""New last day after an approved extension, counted on from the current due date.

	Refuses what the regulation does not allow: more extensions than permitted, or a longer extension than
	the maximum (条例第三十二条: 延长期限不得超过30日).
	"""
	if extensions_so_far >= rules.max_extensions:
		if rules.max_extensions < 1:
			raise DeadlineError("按现行设置，信访事项的办理期限不得延长。")
		raise DeadlineError(
			f"每件信访事项只能延期{_times_zh(rules.max_extensions)}次，"
			f"本事项已延期{extensions_so_far}次，不能再次延期。"
		)
	if requested_days < 1:
		raise DeadlineError(f"延长的天数必须至少为1天，当前为{requested_days}天。")
	if requested_days > rules.extension_max_days:
		raise DeadlineError(
			f"延长办理期限最多不得超过{rules.extension_max_days}日，本次申请延长{requested_days}日。"
		)
	return due_date(handling_due, requested_days, rules.day_basis, cal)


def review_window_closes(
	decided_or_replied_on: date, request_days: int, rules: Rules, cal: WorkCalendar
) -> date:
	"""Last day a 复查 (or 复核) request is accepted, counted from the written reply (or review decision).

	`request_days` is passed in because the same rule serves review (review_request_days) and re-review
	(rereview_request_days).
	"""
	return due_date(decided_or_replied_on, request_days, rules.day_basis, cal)


def check_review_request(requested_on: date, window_closes: date, *, stage_zh: str = "复查（复核）") -> None:
	"""Refuse a late request, naming the day the window closed so the officer can quote it in the reply."""
	if requested_on > window_closes:
		raise DeadlineError(
			f"{stage_zh}申请期限已于{format_date_zh(window_closes)}届满，"
			f"本次申请于{format_date_zh(requested_on)}提出，已超过期限，不予受理。"
		)


def review_due(requested_on: date, decision_days: int, rules: Rules, cal: WorkCalendar) -> date:
	"""Last day for the review (or re-review) body to give its opinion, counted from the request."""
	return due_date(requested_on, decision_days, rules.day_basis, cal)


def light(today: date, period_start: date, due: date, rules: Rules) -> str:
	"""Red once the due day has passed; Yellow when the remaining calendar days are within the warning margin.

	The margin is the larger of a fixed number of days and a share of the whole period, so that short
	periods still warn a few days ahead and long ones warn proportionally earlier. The share is rounded up
	and computed exactly (Fraction), because 0.28 * 25 in floating point is 7.000000000000001.
	"""
	if today > due:
		return RED
	remaining = (due - today).days
	period = max((due - period_start).days, 0)
	share = math.ceil(Fraction(str(rules.yellow_threshold_percent)) * period / 100)
	if remaining <= max(rules.yellow_threshold_days, share):
		return YELLOW
	return GREEN


def _tier_days(level: str, rules: Rules) -> int:
	if level == VILLAGE:
		return rules.village_tier_days
	if level == TOWNSHIP:
		return rules.township_tier_days
	if level == COUNTY:
		return rules.county_tier_days
	raise DeadlineError(f"未知的化解层级：{level!r}，应为村级、乡镇级或县级。")


def tier_deadline(level: str, since: date, rules: Rules, cal: WorkCalendar) -> date:
	"""Last day the current tier has to resolve a dispute before it moves up (三级递进化解)."""
	return due_date(since, _tier_days(level, rules), rules.day_basis, cal)


def escalate(level: str, since: date, today: date, rules: Rules, cal: WorkCalendar) -> str | None:
	"""The tier a dispute moves to once its tier deadline has passed; None while in time or at county level.

	The county is the last tier of the 三级递进 scheme, so an overdue county case stays there (and shows red).
	"""
	deadline = tier_deadline(level, since, rules, cal)
	if today <= deadline or level == COUNTY:
		return None
	return TIERS[TIERS.index(level) + 1]


def holiday_rows(years: Iterable[int]) -> list[tuple[date, str, bool]]:
	"""Every non-working day of `years` as (date, Chinese description, weekly_off), from chinese_calendar.

	The rows fill a Frappe Holiday List. weekly_off is True only for ordinary weekends; a weekend inside a
	holiday block carries the holiday's name. 调休 make-up working days are left out because they are worked.
	chinese_calendar is imported here so the rest of the module works without it.
	"""
	try:
		import chinese_calendar
	except ImportError:
		raise DeadlineError("未安装节假日数据包 chinese_calendar，无法生成法定节假日。") from None

	wanted = sorted(set(years))
	rows: list[tuple[date, str, bool]] = []
	missing: list[int] = []
	for year in wanted:
		d = date(year, 1, 1)
		try:
			chinese_calendar.is_workday(d)
		except NotImplementedError:
			missing.append(year)
			continue
		while d.year == year:
			on_holiday, name = chinese_calendar.get_holiday_detail(d)
			if on_holiday:
				if name:
					rows.append((d, HOLIDAY_NAMES_ZH.get(name, name), False))
				else:
					rows.append((d, WEEKEND_ZH, True))
			d += timedelta(days=1)
	if missing:
		names = "、".join(str(y) for y in missing)
		raise DeadlineError(
			f"节假日数据包 chinese_calendar 尚无{names}年的法定节假日安排，请升级该数据包或手工维护这些年份的节假日。"
		)
	return rows


def calendar_from_rows(
	rows: Iterable[tuple[date, ...]], covered_from: date, covered_to: date
) -> WorkCalendar:
	"""A WorkCalendar from Holiday List rows (date first); rows outside the covered range are ignored."""
	start, end = as_date(covered_from), as_date(covered_to)
	days = frozenset(d for d in (as_date(row[0]) for row in rows) if start <= d <= end)
	return WorkCalendar(days, start, end)
