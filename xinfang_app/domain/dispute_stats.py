"""Mediation and ledger figures leaders read (docs/DESIGN.md §7): cases and 化解率 by committee, tier counts.

Pure tallies over plain rows (dicts with the DocTypes' fieldnames); the Script Reports fetch the rows
within the reader's scope and pass them in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from xinfang_app.domain.kpi import Period, Rate, to_date
from xinfang_app.domain.kpi_sql import RangedSums

SUCCEEDED, FAILED, TERMINATED = "调解成功", "调解不成", "终止"
PERFORMED = "已履行"
TIERS = ("一级", "二级", "三级")
CLOSED = "已销号"


@dataclass
class CommitteeRow:
	committee: str
	cases: int = 0
	succeeded: int = 0
	failed: int = 0
	terminated: int = 0
	in_progress: int = 0
	performed: int = 0

	@property
	def mediation_rate(self) -> Rate:
		"""调解成功率 (化解率): cases mediated successfully among the cases with a result."""
		return Rate(self.succeeded, self.succeeded + self.failed + self.terminated)


def mediation_by_committee(cases: Iterable[Mapping], period: Period) -> list[CommitteeRow]:
	"""Cases accepted in the period, per committee (most cases first, then by name), with a total row last.

	A case without a committee is counted under "" so that the total still adds up.
	"""
	rows: dict[str, CommitteeRow] = {}
	total = CommitteeRow("")
	for case in cases:
		accepted = to_date(case.get("accepted_on"))
		if accepted is None or accepted not in period:
			continue
		committee = case.get("committee") or ""
		for row in (rows.setdefault(committee, CommitteeRow(committee)), total):
			row.cases += 1
			result = case.get("result") or ""
			if result == SUCCEEDED:
				row.succeeded += 1
				row.performed += case.get("performance") == PERFORMED
			elif result == FAILED:
				row.failed += 1
			elif result == TERMINATED:
				row.terminated += 1
			else:
				row.in_progress += 1
	ordered = sorted(rows.values(), key=lambda row: (-row.cases, row.committee))
	return [*ordered, total] if ordered else []


@dataclass
class TierRow:
	township: str
	new: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TIERS, 0))
	on_ledger: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TIERS, 0))
	closed: int = 0

	@property
	def on_ledger_total(self) -> int:
		return sum(self.on_ledger.values())


def tier_counts(entries: Iterable[Mapping], period: Period, townships: Iterable[str] = ()) -> list[TierRow]:
	"""Per township: entries found in the period by tier, entries on the ledger at the period's end by tier
	(found by then and not closed by then), and entries closed (销号) in the period; a total row last.

	`townships` lists townships to show even when they have no entries; others with entries follow by
	name. The counts are tier_parts' names, so that the report can count them in the database instead.
	"""
	counts: dict[str, dict[str, int]] = {}
	for entry in entries:
		tier = entry.get("tier")
		if tier not in TIERS:
			continue
		found: date | None = to_date(entry.get("found_on"))
		closed_on = to_date(entry.get("closed_on"))
		if not found or found > period.end:
			continue
		row = counts.setdefault(entry.get("township") or "", {})
		tally = {
			f"new:{tier}": found >= period.start,
			f"on_ledger:{tier}": not (closed_on and closed_on <= period.end),
			"closed": bool(closed_on and closed_on in period),
		}
		for name, counted in tally.items():
			row[name] = row.get(name, 0) + int(counted)
	return tier_rows(counts, townships)


def tier_parts(period: Period, quote: Callable[[str], str]) -> list[RangedSums]:
	"""tier_counts' counts as SQL over `tabDispute Ledger Entry` (summed per township by the caller): one
	range, the entries found by the period's end on a (place, found_on) index. `quote` makes a literal."""
	start, end = quote(period.start.isoformat()), quote(period.end.isoformat())
	sums = {}
	for tier in TIERS:
		sums[f"new:{tier}"] = f"(tier = {quote(tier)} and found_on >= {start})"
		sums[f"on_ledger:{tier}"] = f"(tier = {quote(tier)} and not ifnull(closed_on <= {end}, 0))"
	sums["closed"] = f"ifnull(closed_on between {start} and {end}, 0)"
	tiers = ", ".join(quote(tier) for tier in TIERS)
	return [RangedSums(f"found_on <= {end} and tier in ({tiers})", sums)]


def tier_rows(counts: Mapping[str | None, Mapping[str, int]], townships: Iterable[str] = ()) -> list[TierRow]:
	"""TierRows from counts by township (None and "" are both none, counted together): `townships` first,
	in their order, then the other townships counted, by name; a total row last (none at all when there is
	nothing to show)."""
	rows = {township: TierRow(township) for township in townships}
	for township in sorted(township or "" for township in counts):
		rows.setdefault(township, TierRow(township))
	total = TierRow("")
	for township, got in counts.items():
		for target in (rows[township or ""], total):
			for tier in TIERS:
				target.new[tier] += got.get(f"new:{tier}", 0)
				target.on_ledger[tier] += got.get(f"on_ledger:{tier}", 0)
			target.closed += got.get("closed", 0)
	return [*rows.values(), total] if rows else []
