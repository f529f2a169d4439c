"""KPI formulas of petition work: the rates leaders read, overdue counts, township ranking, situation tables.

Pure arithmetic on petition facts, with no frappe import: a report passes the rows it fetched (dicts with the
Petition fieldnames) and gets numbers back, so every formula is tested by hand-computed tables.

Every rate is a `Rate(numerator, denominator, value)`. The value is a percentage rounded half up to one
decimal (四舍五入, the way statistical bulletins print 97.2%), and None when nothing was there to count:
an empty period has no rate at all, which is not the same as a rate of 0%. Periods are inclusive of both
ends. Which event puts a petition into a rate's denominator (receipt, acceptance, reply, closing) is named
in each function's docstring; a petition is counted in the period in which that event happened.
"""

from __future__ import annotations

import calendar
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from fractions import Fraction

from xinfang_app.domain.errors import DomainError
from xinfang_app.domain.states import (
	ACCEPTED,
	ASSIGNED,
	CASE_CLOSED,
	EXTENDED,
	EXTENSION_REQUESTED,
	FINAL,
	FORWARDED,
	HANDLING,
	NOT_ACCEPTED,
	REREVIEW_REQUESTED,
	RESOLVED,
	REVIEW_REQUESTED,
	REVIEWED,
)

# The handling clock runs in these states. A petition redone after an unsatisfied follow-up is back in one of
# them while still carrying the date of its rejected reply.
HANDLING_STATES = (ACCEPTED, ASSIGNED, HANDLING, EXTENSION_REQUESTED, EXTENDED)
# Acceptance was refused or the matter sent elsewhere: no clock of ours runs, and no date says since when.
NO_CLOCK_STATES = (NOT_ACCEPTED, FORWARDED)
# Ended states whose end is dated by replied_on or closed_on.
ENDED_STATES = (RESOLVED, CASE_CLOSED, FINAL)
REVIEW_STATES = (REVIEW_REQUESTED, REVIEWED, REREVIEW_REQUESTED, FINAL)

SATISFIED = "满意"
BASICALLY_SATISFIED = "基本满意"
DISSATISFIED = "不满意"
NOT_EVALUATED = "未评价"
EVALUATED = (SATISFIED, BASICALLY_SATISFIED, DISSATISFIED)

MONTH = "month"
GROUP_KEYS = ("category", "channel", "township", "division", MONTH)

# Chinese names of the KpiSummary rates, for report columns and number cards.
KPI_LABELS_ZH = {
	"timely_acceptance": "及时受理率",
	"on_time_completion": "按期办结率",
	"completion": "办结率",
	"evaluation": "参评率",
	"satisfaction": "满意率",
	"one_time_resolution": "一次性化解率",
	"repeat_petition": "重复信访率",
}


class KpiError(DomainError):
	"""A period or request the formulas cannot work with; `message_zh` is shown to the user."""


def to_date(value) -> date | None:
	"""Rows from the database or a CSV may carry datetimes or ISO strings; blanks mean no date."""
	if value is None or value == "":
		return None
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	if isinstance(value, str):
		try:
			return date.fromisoformat(value.strip()[:10])
		except ValueError:
			raise KpiError(f"无法识别的日期：{value!r}") from None
	raise KpiError(f"无法识别的日期：{value!r}")


def _to_text(value) -> str | None:
	if value is None:
		return None
	text = str(value).strip()
	return text or None


def _to_flag(value) -> bool:
	# A Check field arrives as 0/1, or as "0"/"1" from a CSV, where bool("0") would be True.
	if isinstance(value, str):
		return value.strip() not in ("", "0")
	return bool(value)


def _round1(x: Fraction) -> float:
	"""Half up, away from zero, to one decimal, computed exactly: round(6.25, 1) in floating point is 6.2."""
	tenths = math.floor(abs(x) * 10 + Fraction(1, 2))
	return math.copysign(float(Fraction(tenths, 10)), x) if tenths else 0.0


def _to_fraction(value) -> Fraction:
	# str() first so that 66.7 is 667/10 and not the binary number nearest to it.
	return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


@dataclass(frozen=True)
class Period:
	"""A span of days, both ends included."""

	start: date
	end: date

	def __post_init__(self):
		if self.start > self.end:
			raise KpiError(
				f"统计期间的开始日期（{self.start.isoformat()}）晚于结束日期（{self.end.isoformat()}）。"
			)

	@classmethod
	def month(cls, year: int, month: int) -> Period:
		"""The calendar month, from its 1st to its last day (29 February in leap years)."""
		if not 1 <= month <= 12:
			raise KpiError(f"月份应在1到12之间，当前为{month}。")
		return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

	def __contains__(self, day: date | None) -> bool:
		return day is not None and self.start <= day <= self.end

	@property
	def is_month(self) -> bool:
		return self == Period.month(self.start.year, self.start.month)


def _is_month_end(d: date) -> bool:
	return d.day == calendar.monthrange(d.year, d.month)[1]


def _shift_months(d: date, months: int) -> date:
	"""The same day `months` later (earlier when negative); a month's last day stays its last day."""
	year, month0 = divmod(d.year * 12 + d.month - 1 + months, 12)
	last = calendar.monthrange(year, month0 + 1)[1]
	return date(year, month0 + 1, last if _is_month_end(d) else min(d.day, last))


def previous_month(period: Period) -> Period:
	"""The period one month earlier, for 环比: March → February (28 or 29 days), January → December before.

	Both ends move back one month; an end on a month's last day stays on the last day, so a calendar month
	always maps to the whole previous calendar month.
	"""
	return Period(_shift_months(period.start, -1), _shift_months(period.end, -1))


def same_period_last_year(period: Period) -> Period:
	"""The same period a year earlier, for 同比: February 2025 → 1-29 February 2024 → 1-28 February 2023."""
	return Period(_shift_months(period.start, -12), _shift_months(period.end, -12))


def change(current: float | None, previous: float | None) -> float | None:
	"""Month-on-month (环比) or year-on-year (同比) change in percent: (current - previous) / previous x 100.

	Rounded half up to one decimal; negative for a fall (a report's "同比下降95%" is -95.0). None when the
	previous figure is 0 or missing: growth from nothing has no percentage, and printing 0% or 100% would
	be a made-up number. For rates, pass the two rate values (a change of a rate, not of percentage points).
	"""
	if current is None or previous is None:
		return None
	before = _to_fraction(previous)
	if before == 0:
		return None
	return _round1((_to_fraction(current) - before) * 100 / abs(before))


@dataclass(frozen=True)
class Rate:
	"""numerator out of denominator; `value` is the percentage rounded to one decimal, None for 0 out of 0."""

	numerator: int
	denominator: int
	value: float | None = field(init=False)

	def __post_init__(self):
		if not 0 <= self.numerator <= self.denominator:
			raise KpiError(f"比率的分子（{self.numerator}）应在0与分母（{self.denominator}）之间。")
		value = _round1(Fraction(100 * self.numerator, self.denominator)) if self.denominator else None
		object.__setattr__(self, "value", value)

	@property
	def ratio(self) -> Fraction | None:
		"""The exact ratio, for comparisons that must not be decided by rounding."""
		return Fraction(self.numerator, self.denominator) if self.denominator else None


@dataclass(frozen=True)
class PetitionFacts:
	"""What the formulas need to know about one Petition; fieldnames are the Petition's own.

	`review_requested` is not a Petition field: the caller sets it when a Petition Review of type 复查 exists.
	"""

	name: str | None = None
	division: str | None = None
	township: str | None = None
	category: str | None = None
	channel: str | None = None
	received_on: date | None = None
	accepted_on: date | None = None
	acceptance_due: date | None = None
	workflow_state: str | None = None
	replied_on: date | None = None
	handling_due: date | None = None
	extended_due: date | None = None
	closed_on: date | None = None
	satisfaction: str | None = None
	repeat_of: str | None = None
	redo_count: int = 0
	review_requested: bool = False
	light: str | None = None

	@classmethod
	def from_mapping(cls, values: Mapping) -> PetitionFacts:
		"""Build from a database row or dict; missing or blank values are None (0 and False for the counters).

		Other keys are ignored, so a row fetched with more fields than these can be passed as it is.
		"""
		kwargs = {}
		for f in fields(cls):
			raw = values.get(f.name)
			if f.name.endswith(("_on", "_due")):
				kwargs[f.name] = to_date(raw)
			elif f.name == "redo_count":
				kwargs[f.name] = int(raw or 0)
			elif f.name == "review_requested":
				kwargs[f.name] = _to_flag(raw)
			else:
				kwargs[f.name] = _to_text(raw)
		return cls(**kwargs)

	@property
	def current_due(self) -> date | None:
		"""The handling deadline that applies: an approved extension replaces the statutory one."""
		return self.extended_due or self.handling_due


Petitions = Iterable[PetitionFacts | Mapping]


def _facts(petitions: Petitions) -> list[PetitionFacts]:
	return [p if isinstance(p, PetitionFacts) else PetitionFacts.from_mapping(p) for p in petitions]


def _rate(population: Iterable[PetitionFacts], counts: Callable[[PetitionFacts], bool]) -> Rate:
	items = list(population)
	return Rate(sum(1 for p in items if counts(p)), len(items))


def is_evaluated(petition: PetitionFacts) -> bool:
	"""The petitioner gave a rating (满意, 基本满意 or 不满意); blank and 未评价 are not ratings."""
	return petition.satisfaction in EVALUATED


def is_concluded(petition: PetitionFacts, day: date) -> bool:
	"""Handled to an end (办结) on `day`: replied to by then, or closed by then.

	A petition redone after an unsatisfied follow-up (current state back in handling) is not concluded, even
	though it still carries the date of its rejected reply.
	"""
	if petition.closed_on is not None and petition.closed_on <= day:
		return True
	return (
		petition.replied_on is not None
		and petition.replied_on <= day
		and petition.workflow_state not in HANDLING_STATES
	)


def is_overdue(petition: PetitionFacts, day: date) -> bool:
	"""Overdue (超期) on `day`: a clock of ours was running on that day and its last day had passed.

	- Acceptance pending (not accepted on or before `day`): overdue when day > acceptance_due.
	- Accepted and not concluded on `day` (is_concluded): overdue when day > (extended_due or handling_due).
	- Never overdue: Not Accepted or Forwarded (no clock of ours runs); Resolved, Case Closed or Final with
	neither a reply nor a closing date (nothing says when the clock stopped).
	The dates make a past `day` answer as it was then, except for two facts only the current record knows:
	the current extended_due, and a redo (a redone petition counts as unreplied since its first reply).
	"""
	state = petition.workflow_state
	if state in NO_CLOCK_STATES or is_concluded(petition, day):
		return False
	if state in ENDED_STATES and petition.replied_on is None and petition.closed_on is None:
		return False
	due = deadline_on(petition, day)
	return due is not None and day > due


def deadline_on(petition: PetitionFacts, day: date) -> date | None:
	"""The deadline is_overdue holds a petition to on `day`: acceptance_due while it was not accepted on or
	before `day`, else its current handling deadline (an approved extension's first)."""
	if petition.accepted_on is None or petition.accepted_on > day:
		return petition.acceptance_due
	return petition.current_due


def overdue_petitions(petitions: Petitions, day: date) -> list[PetitionFacts]:
	"""The petitions overdue on `day` (see is_overdue), in the order given."""
	return [p for p in _facts(petitions) if is_overdue(p, day)]


def timely_acceptance_rate(petitions: Petitions, period: Period) -> Rate:
	"""及时受理率 (timely acceptance rate).

	Denominator: petitions accepted in the period (accepted_on in period).
	Numerator: those accepted on or before their acceptance_due. A petition with no acceptance_due (rows
	imported from an older system) stays in the denominator and counts as timely only when it was accepted
	on the day it was received, when no deadline can yet have passed; missing data never raises the rate.
	"""

	def timely(p: PetitionFacts) -> bool:
		if p.acceptance_due is not None:
			return p.accepted_on <= p.acceptance_due
		return p.received_on is not None and p.accepted_on <= p.received_on

	return _rate((p for p in _facts(petitions) if p.accepted_on in period), timely)


def on_time_completion_rate(petitions: Petitions, period: Period) -> Rate:
	"""按期办结率 (on-time completion rate).

	Denominator: petitions replied to in the period (replied_on in period), redone ones included: the reply
	was given.
	Numerator: those replied on or before extended_due when an extension was approved, else handling_due.
	With neither due date the reply counts as on time only when given no later than the day of acceptance (or
	of receipt, if never accepted).
	"""

	def on_time(p: PetitionFacts) -> bool:
		due = p.current_due
		if due is None:
			due = p.accepted_on or p.received_on
		return due is not None and p.replied_on <= due

	return _rate((p for p in _facts(petitions) if p.replied_on in period), on_time)


def completion_rate(petitions: Petitions, period: Period, as_of: date | None = None) -> Rate:
	"""办结率 (completion rate), the figure townships are ranked by.

	Denominator: petitions accepted in the period (accepted_on in period).
	Numerator: those concluded by `as_of` (default: the period's last day), i.e. replied to or closed by then
	and not reopened for redo. A cohort of acceptances, so a month's rate keeps rising as its cases are
	answered, which is what a daily ranking (每天通报办结率排名) shows.
	"""
	day = period.end if as_of is None else as_of
	return _rate((p for p in _facts(petitions) if p.accepted_on in period), lambda p: is_concluded(p, day))


def evaluation_rate(petitions: Petitions, period: Period) -> Rate:
	"""参评率 (evaluation participation rate).

	Denominator: petitions replied to in the period (replied_on in period).
	Numerator: those the petitioner rated: satisfaction is 满意, 基本满意 or 不满意 (not blank, not 未评价).
	"""
	return _rate((p for p in _facts(petitions) if p.replied_on in period), is_evaluated)


def satisfaction_rate(
	petitions: Petitions, period: Period, *, basic_counts_as_satisfied: bool = True
) -> Rate:
	"""满意率 (satisfaction rate, 参评满意率).

	Denominator: petitions replied to in the period and rated (the numerator of 参评率).
	Numerator: those rated 满意, and 基本满意 too unless `basic_counts_as_satisfied` is False. Counting
	基本满意 as satisfied is the usual practice of petition assessment (满意率 = (满意 + 基本满意) / 参评数).
	"""
	satisfied = (SATISFIED, BASICALLY_SATISFIED) if basic_counts_as_satisfied else (SATISFIED,)
	rated = (p for p in _facts(petitions) if p.replied_on in period and is_evaluated(p))
	return _rate(rated, lambda p: p.satisfaction in satisfied)


def _resolved_first_time(p: PetitionFacts) -> bool:
	review = p.review_requested or p.workflow_state in REVIEW_STATES
	return p.redo_count == 0 and not review and p.satisfaction != DISSATISFIED


def one_time_resolution_rate(petitions: Petitions, period: Period) -> Rate:
	"""一次性化解率 (one-time resolution rate).

	Denominator: petitions closed in the period (closed_on in period).
	Numerator: those never redone (redo_count 0), with no 复查 requested (review_requested, or a review state
	in the workflow) and not rated 不满意.
	"""
	return _rate((p for p in _facts(petitions) if p.closed_on in period), _resolved_first_time)


def repeat_petition_rate(petitions: Petitions, period: Period) -> Rate:
	"""重复信访率 (repeat petition rate).

	Denominator: petitions received in the period (received_on in period).
	Numerator: those registered as a repeat of an earlier petition (repeat_of set).
	"""
	return _rate((p for p in _facts(petitions) if p.received_on in period), lambda p: bool(p.repeat_of))


@dataclass(frozen=True)
class KpiSummary:
	"""Every KPI of one period; counts are of the events in the period, `overdue` is the count on `as_of`."""

	period: Period
	as_of: date
	received: int
	accepted: int
	replied: int
	closed: int
	overdue: int
	timely_acceptance: Rate
	on_time_completion: Rate
	completion: Rate
	evaluation: Rate
	satisfaction: Rate
	one_time_resolution: Rate
	repeat_petition: Rate


# The counts a KpiSummary is made of. kpi_counts counts them in Python; domain/kpi_sql.py counts the same
# names in the database, so that a report at a city's scale reads a dozen sums instead of every petition.
KPI_COUNTS = (
	"received",
	"repeat",
	"accepted",
	"timely",
	"concluded",
	"replied",
	"on_time",
	"evaluated",
	"satisfied",
	"closed",
	"first_time",
	"overdue",
)


def kpi_counts(
	petitions: Petitions, period: Period, as_of: date, *, basic_counts_as_satisfied: bool = True
) -> dict[str, int]:
	"""The KPI_COUNTS of the petitions: each rate's numerator and denominator (see the rate functions), and
	`overdue`, every petition passed that is overdue on `as_of`, whatever its dates, because a backlog
	belongs to the day it is read, not to a period."""
	items = _facts(petitions)
	timely = timely_acceptance_rate(items, period)
	on_time = on_time_completion_rate(items, period)
	evaluated = evaluation_rate(items, period)
	first_time = one_time_resolution_rate(items, period)
	repeat = repeat_petition_rate(items, period)
	return {
		"received": repeat.denominator,
		"repeat": repeat.numerator,
		"accepted": timely.denominator,
		"timely": timely.numerator,
		"concluded": completion_rate(items, period, as_of).numerator,
		"replied": on_time.denominator,
		"on_time": on_time.numerator,
		"evaluated": evaluated.numerator,
		"satisfied": satisfaction_rate(
			items, period, basic_counts_as_satisfied=basic_counts_as_satisfied
		).numerator,
		"closed": first_time.denominator,
		"first_time": first_time.numerator,
		"overdue": sum(1 for p in items if is_overdue(p, as_of)),
	}


def summary_from_counts(period: Period, as_of: date, counts: Mapping[str, int]) -> KpiSummary:
	"""The KpiSummary of KPI_COUNTS, however they were counted."""
	c = {name: int(counts.get(name) or 0) for name in KPI_COUNTS}
	return KpiSummary(
		period=period,
		as_of=as_of,
		received=c["received"],
		accepted=c["accepted"],
		replied=c["replied"],
		closed=c["closed"],
		overdue=c["overdue"],
		timely_acceptance=Rate(c["timely"], c["accepted"]),
		on_time_completion=Rate(c["on_time"], c["replied"]),
		completion=Rate(c["concluded"], c["accepted"]),
		evaluation=Rate(c["evaluated"], c["replied"]),
		satisfaction=Rate(c["satisfied"], c["evaluated"]),
		one_time_resolution=Rate(c["first_time"], c["closed"]),
		repeat_petition=Rate(c["repeat"], c["received"]),
	)


def kpi_summary(
	petitions: Petitions, period: Period, as_of: date, *, basic_counts_as_satisfied: bool = True
) -> KpiSummary:
	"""All KPIs of the period (kpi_counts made a KpiSummary)."""
	counts = kpi_counts(petitions, period, as_of, basic_counts_as_satisfied=basic_counts_as_satisfied)
	return summary_from_counts(period, as_of, counts)


@dataclass(frozen=True)
class TownshipRow:
	"""One township's line of the ranking. `accepted` and `replied` are the terms of 办结率: petitions
	accepted in the period, and of those the ones concluded by `as_of`."""

	township: str
	received: int
	accepted: int
	replied: int
	completion: Rate
	on_time_completion: Rate
	overdue: int
	rank: int


def _ranking_key(row: TownshipRow) -> tuple:
	# Exact ratios, so that 1/2 and 2/4 tie and 2/3 beats 666/1000 although both print as 66.7.
	completion, on_time = row.completion.ratio, row.on_time_completion.ratio
	return (completion is None, -(completion or 0), on_time is None, -(on_time or 0), row.overdue)


def township_ranking(
	petitions: Petitions, period: Period, as_of: date, townships: Iterable[str] | None = None
) -> list[TownshipRow]:
	"""Townships ranked by 办结率 (desc), then 按期办结率 (desc), then overdue count on `as_of` (asc).

	Petitions without a township (county-level matters) are left out. `townships` adds townships that
	have no petitions at all, so a quiet township still appears, last. See rank_townships.
	"""
	by_township: dict[str, list[PetitionFacts]] = {}
	for p in _facts(petitions):
		if p.township:
			by_township.setdefault(p.township, []).append(p)
	counts = {township: kpi_counts(items, period, as_of) for township, items in by_township.items()}
	return rank_townships(counts, townships)


def rank_townships(
	counts: Mapping[str, Mapping[str, int]], townships: Iterable[str] | None = None
) -> list[TownshipRow]:
	"""The ranking of townships from their KPI_COUNTS (received, accepted, concluded, replied, on_time,
	overdue), however they were counted; `townships` without counts get zeros.

	A township without a rate (nothing accepted, or nothing replied) ranks after every township with one.
	Equal keys share a rank and the next rank skips (1, 2, 2, 4); rows of equal rank are in name order.
	"""
	names = list(dict.fromkeys([*(townships or ()), *counts]))
	rows = []
	for township in names:
		c = {name: int((counts.get(township) or {}).get(name) or 0) for name in KPI_COUNTS}
		completion = Rate(c["concluded"], c["accepted"])
		rows.append(
			TownshipRow(
				township=township,
				received=c["received"],
				accepted=completion.denominator,
				replied=completion.numerator,
				completion=completion,
				on_time_completion=Rate(c["on_time"], c["replied"]),
				overdue=c["overdue"],
				rank=0,
			)
		)
	rows.sort(key=lambda row: (_ranking_key(row), row.township))

	ranked: list[TownshipRow] = []
	for position, row in enumerate(rows, start=1):
		if ranked and _ranking_key(ranked[-1]) == _ranking_key(row):
			rank = ranked[-1].rank
		else:
			rank = position
		ranked.append(replace(row, rank=rank))
	return ranked


def _month_key(d: date) -> str:
	return f"{d.year:04d}-{d.month:02d}"


def _months(period: Period) -> list[str]:
	keys, d = [], period.start.replace(day=1)
	while d <= period.end:
		keys.append(_month_key(d))
		d = _shift_months(d, 1)
	return keys


def _key_function(key: str | Callable[[PetitionFacts], str | None]) -> Callable[[PetitionFacts], str | None]:
	if callable(key):
		return key
	if key == MONTH:
		return lambda p: _month_key(p.received_on)
	if key in GROUP_KEYS:
		return lambda p: getattr(p, key)
	raise KpiError(f"无法按“{key}”分组统计，可选：{'、'.join(GROUP_KEYS)}。")


def count_by(
	petitions: Petitions,
	key: str | Callable[[PetitionFacts], str | None],
	period: Period,
	keys: Iterable[str] | None = None,
) -> dict[str | None, int]:
	"""Petitions received in the period, counted by category, channel, township, division or month (2026-03).

	`key` may also be a function of a PetitionFacts. By month: every month of the period in calendar order,
	empty months included. Otherwise: largest count first, ties in key order, the None key (field left
	blank) last; `keys` adds keys with a count of 0, so that every category can be listed. Each petition
	counts once, under its main category.
	"""
	group = _key_function(key)
	counts = Counter(group(p) for p in _facts(petitions) if p.received_on in period)
	if key == MONTH:
		return monthly(counts, period)
	return ordered_counts(counts, keys)


def monthly(counts: Mapping[str, int], period: Period) -> dict[str, int]:
	"""Counts by month (2026-03) as count_by gives them: every month of the period in calendar order."""
	return {month: counts.get(month, 0) for month in _months(period)}


def ordered_counts(
	counts: Mapping[str | None, int], keys: Iterable[str] | None = None
) -> dict[str | None, int]:
	"""Counts by key as count_by gives them: largest first, ties in key order, the None key last; `keys`
	adds keys with a count of 0."""
	counts = dict(counts)
	for extra in keys or ():
		counts.setdefault(extra, 0)
	return dict(sorted(counts.items(), key=lambda item: (item[0] is None, -item[1], item[0] or "")))


@dataclass(frozen=True)
class SituationRow:
	"""One line of the petition situation table (信访形势): the count and its 环比 and 同比 changes in percent."""

	key: str | None
	current: int
	previous_month: int
	same_month_last_year: int
	month_on_month: float | None
	year_on_year: float | None


@dataclass(frozen=True)
class SituationTable:
	period: Period
	previous_period: Period
	last_year_period: Period
	rows: list[SituationRow]
	total: SituationRow


def _situation_row(key: str | None, current: int, previous: int, last_year: int) -> SituationRow:
	return SituationRow(
		key, current, previous, last_year, change(current, previous), change(current, last_year)
	)


def situation_table(
	petitions: Petitions,
	key: str | Callable[[PetitionFacts], str | None],
	period: Period,
	keys: Iterable[str] | None = None,
) -> SituationTable:
	"""Counts of petitions received per key in a month, the month before (环比) and the same month a year
	earlier (同比), with both changes in percent (None where the earlier count is 0, see `change`).

	Rows are ordered like count_by on the current month, keys seen only in an earlier period after them (by
	key); `total` has the key None and sums every row. Meant for a calendar month; any other period is
	compared with the same span one month and one year earlier. By month is refused: the months of the three
	periods differ, so the rows would not line up (use count_by for a monthly series).
	"""
	if key == MONTH:
		raise KpiError("信访形势表按月对比时不能再按月份分组，请按类别、渠道或乡镇统计。")
	items = _facts(petitions)
	before, last_year = previous_month(period), same_period_last_year(period)
	return situation_from_counts(
		period,
		count_by(items, key, period, keys),
		count_by(items, key, before),
		count_by(items, key, last_year),
	)


def situation_from_counts(
	period: Period,
	current: Mapping[str | None, int],
	previous: Mapping[str | None, int],
	year_ago: Mapping[str | None, int],
	keys: Iterable[str] | None = None,
) -> SituationTable:
	"""The situation table of counts per key in the period, the month before and the same month a year
	earlier, however they were counted (see situation_table)."""
	current = ordered_counts(current, keys)
	order = list(current)
	order += sorted(
		(k for k in {**previous, **year_ago} if k not in current), key=lambda k: (k is None, k or "")
	)
	rows = [_situation_row(k, current.get(k, 0), previous.get(k, 0), year_ago.get(k, 0)) for k in order]
	total = _situation_row(
		None,
		sum(row.current for row in rows),
		sum(row.previous_month for row in rows),
		sum(row.same_month_last_year for row in rows),
	)
	return SituationTable(period, previous_month(period), same_period_last_year(period), rows, total)
