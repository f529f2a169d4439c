"""Rules of the dispute ledger (矛盾纠纷排查台账, docs/DESIGN.md §3): screening weeks, the observation period
before closing (销号), the closing decision and the weekly screening roll-up.

Pure: no frappe import. Controllers gather the facts (dates, petitions found by a query) and ask here.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from xinfang_app.domain.deadlines import as_date, format_date_zh
from xinfang_app.domain.errors import DomainError

# Ledger status values (stored in Chinese, as docs/DESIGN.md §3 writes them).
UNRESOLVED = "未化解"
RESOLVING = "化解中"
OBSERVING = "已化解观察期"
CLOSED = "已销号"
STATUSES = (UNRESOLVED, RESOLVING, OBSERVING, CLOSED)

# 三级清单: 一级 一般管理, 二级 特殊管理, 三级 重点管理.
TIERS = ("一级", "二级", "三级")

DEFAULT_OBSERVATION_MONTHS = 6
WEEK_PATTERN = re.compile(r"^(\d{4})-W(\d{1,2})$")

# Division levels shown as rows of the weekly summary; lower levels (屯, 网格) roll into their village.
SUMMARY_LEVELS = frozenset({"County", "Township", "Subdistrict", "Village", "Community"})


class LedgerError(DomainError):
	"""A ledger rule refused something; `message_zh` is shown to the user."""


def add_months(start: date, months: int) -> date:
	"""`start` plus whole months; a day the target month lacks becomes its last day (8月31日 + 6 → 2月28/29日)."""
	start = as_date(start)
	index = start.month - 1 + months
	year, month = start.year + index // 12, index % 12 + 1
	return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def observation_until(resolved_on: date | None, months: int | None) -> date | None:
	"""Last day of the observation period: the entry may be closed on or after it."""
	if not resolved_on:
		return None
	if months is None or months == "":
		months = DEFAULT_OBSERVATION_MONTHS
	months = int(months)
	if months < 0:
		raise LedgerError(f"观察期月数不能为负数：{months}")
	return add_months(as_date(resolved_on), months)


def screening_week(day: date | None) -> str | None:
	"""ISO week of a date as used for 周排查 (`2026-W03`); weeks run Monday to Sunday."""
	if not day:
		return None
	year, week, _weekday = as_date(day).isocalendar()
	return f"{year}-W{week:02d}"


def week_bounds(week: str) -> tuple[date, date]:
	"""(Monday, Sunday) of an ISO week written `2026-W03`."""
	match = WEEK_PATTERN.match((week or "").strip())
	if not match:
		raise LedgerError(f"排查周次格式应为“2026-W03”：{week!r}")
	year, number = int(match.group(1)), int(match.group(2))
	try:
		monday = date.fromisocalendar(year, number, 1)
	except ValueError as error:
		raise LedgerError(f"{year}年没有第{number}周") from error
	return monday, monday + timedelta(days=6)


def check_resolution(status: str, found_on: date | None, resolved_on: date | None) -> None:
	"""已化解观察期 needs the date it was resolved, which cannot precede the date it was found."""
	if status in (OBSERVING, CLOSED) and not resolved_on:
		raise LedgerError(f"状态为“{status}”时须填写化解日期")
	if resolved_on and found_on and as_date(resolved_on) < as_date(found_on):
		raise LedgerError(
			f"化解日期{format_date_zh(as_date(resolved_on))}不能早于排查发现日期{format_date_zh(as_date(found_on))}"
		)


@dataclass(frozen=True)
class LaterPetition:
	"""A petition on the same matter, as found by the controller's query."""

	name: str
	received_on: date


def closing_refusal(
	status: str,
	today: date,
	resolved_on: date | None,
	until: date | None,
	petitions: Iterable[LaterPetition] = (),
) -> str | None:
	"""Why the entry may not be closed (销号) today, in Chinese; None when it may.

	Seed 001: 一级清单 entries are resolved and under observation; after half a year without a petition
	the screening unit may apply to close them. `petitions` are the petitions on the same matter; only
	those received on or after the resolution date count against closing."""
	if status != OBSERVING:
		return f"只有“{OBSERVING}”的台账才能销号，当前状态为“{status}”"
	if not resolved_on or not until:
		return "尚未填写化解日期，无法计算观察期"
	today, resolved_on, until = as_date(today), as_date(resolved_on), as_date(until)
	if today < until:
		return (
			f"观察期未满：该矛盾纠纷于{format_date_zh(resolved_on)}化解，观察期至{format_date_zh(until)}，"
			f"{format_date_zh(until)}起方可销号"
		)
	later = sorted(
		(p for p in petitions if as_date(p.received_on) >= resolved_on),
		key=lambda p: (as_date(p.received_on), p.name),
	)
	if later:
		listed = "、".join(f"{p.name}（{format_date_zh(as_date(p.received_on))}收到）" for p in later)
		return f"化解日期{format_date_zh(resolved_on)}之后又有同一事项的信访：{listed}，不能销号"
	return None


# ---- weekly screening roll-up (周排查汇总) ----------------------------------------------------------


@dataclass(frozen=True)
class Division:
	name: str
	parent: str | None
	level: str


@dataclass(frozen=True)
class Entry:
	division: str
	found_on: date
	tier: str
	resolved_on: date | None = None
	closed_on: date | None = None


@dataclass
class SummaryRow:
	division: str
	level: str
	indent: int
	parent: str | None
	new: int = 0
	resolved: int = 0
	open_by_tier: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TIERS, 0))

	@property
	def open_total(self) -> int:
		return sum(self.open_by_tier.values())


def _counts_for(entry: Entry, start: date, end: date) -> tuple[int, int, str | None]:
	found, resolved = as_date(entry.found_on), entry.resolved_on and as_date(entry.resolved_on)
	closed = entry.closed_on and as_date(entry.closed_on)
	new = int(start <= found <= end)
	resolved_now = int(bool(resolved) and start <= resolved <= end)
	# On the ledger at the end of the week: found by then and not yet closed by then.
	on_ledger = found <= end and not (closed and closed <= end)
	return new, resolved_now, entry.tier if on_ledger and entry.tier in TIERS else None


def weekly_rollup(
	divisions: Sequence[Division], entries: Iterable[Entry], start: date, end: date
) -> list[SummaryRow]:
	"""One row per shown division in tree order (parents first), each counting the entries of its subtree.

	`divisions` are the nodes the reader may see; a node whose parent is not among them is a root of
	the summary. Entries at a level not shown (屯, 网格) count at their nearest shown ancestor; entries
	outside the given nodes are ignored. New = found this week, resolved = resolved this week,
	open by tier = on the ledger (found and not closed) at the end of the week."""
	start, end = as_date(start), as_date(end)
	by_name = {d.name: d for d in divisions}
	children: dict[str | None, list[Division]] = {}
	for d in divisions:
		children.setdefault(d.parent if d.parent in by_name else None, []).append(d)

	rows: dict[str, SummaryRow] = {}
	ordered: list[SummaryRow] = []

	def shown_parent(node: Division) -> str | None:
		parent = node.parent
		while parent in by_name and by_name[parent].level not in SUMMARY_LEVELS:
			parent = by_name[parent].parent
		return parent if parent in by_name else None

	def walk(parent: str | None, indent: int):
		for node in sorted(children.get(parent, []), key=lambda d: d.name):
			shown = node.level in SUMMARY_LEVELS
			if shown:
				row = SummaryRow(node.name, node.level, indent, shown_parent(node))
				rows[node.name] = row
				ordered.append(row)
			walk(node.name, indent + 1 if shown else indent)

	walk(None, 0)

	def ancestors_shown(name: str) -> list[SummaryRow]:
		found, current = [], name
		while current in by_name:
			if current in rows:
				found.append(rows[current])
			current = by_name[current].parent
		return found

	for entry in entries:
		new, resolved, tier = _counts_for(entry, start, end)
		if not (new or resolved or tier):
			continue
		for row in ancestors_shown(entry.division):
			row.new += new
			row.resolved += resolved
			if tier:
				row.open_by_tier[tier] += 1
	return ordered
