"""Backlog cases (积案): which open petitions count as long-standing, and why.

A petition is a backlog case on a given day when it is still open and either it has been open longer than
the threshold (Xinfang Settings, default 90 days from receipt), or it was assigned from above (channel
上级交办) and the settings count such matters as backlog. Pure: reports pass rows, get verdicts back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from xinfang_app.domain.errors import DomainError
from xinfang_app.domain.kpi import to_date
from xinfang_app.domain.states import CASE_CLOSED, FINAL, FORWARDED, NOT_ACCEPTED, RESOLVED

ASSIGNED_FROM_ABOVE = "上级交办"
# A matter refused, sent elsewhere, resolved, closed or concluded by re-review is no longer ours to resolve.
ENDED_STATES = frozenset({NOT_ACCEPTED, FORWARDED, RESOLVED, CASE_CLOSED, FINAL})

REASON_LONG_OPEN = "超过{days}天未化解"
REASON_FROM_ABOVE = "上级交办"

DEFAULT_BACKLOG_DAYS = 90


class BacklogError(DomainError):
	"""A refusal of the backlog rule; `message_zh` is shown to the user."""


@dataclass(frozen=True)
class BacklogPart:
	"""An SQL condition of BacklogRule.sql_parts; `long_open`: every petition it selects has been open
	longer than the threshold (the others are there for being assigned from above)."""

	condition: str
	long_open: bool


@dataclass(frozen=True)
class BacklogRule:
	threshold_days: int = DEFAULT_BACKLOG_DAYS
	include_assigned_from_above: bool = True

	def __post_init__(self):
		if self.threshold_days is None or int(self.threshold_days) < 1:
			raise BacklogError(f"积案天数应为正整数，当前为{self.threshold_days!r}。")

	def sql_parts(self, day: date, quote: Callable[[str], str]) -> list[BacklogPart]:
		"""backlog_reasons as SQL: disjoint conditions, each a range of the receipt date an index holds,
		that together select exactly the backlog cases on `day` (their reasons: reasons_in). `quote` makes
		an SQL literal of a value (frappe.db.escape)."""
		ended = ", ".join(quote(state) for state in sorted(ENDED_STATES))
		# (a blank state is open: written so that an index on the state ranges over the open ones)
		still_open = f"(workflow_state is null or workflow_state not in ({ended}))"
		cutoff = quote((day - timedelta(days=self.threshold_days)).isoformat())
		parts = [BacklogPart(f"{still_open} and received_on < {cutoff}", long_open=True)]
		if self.include_assigned_from_above:
			recent = f"(received_on is null or received_on between {cutoff} and {quote(day.isoformat())})"
			parts.append(
				BacklogPart(
					f"{still_open} and channel = {quote(ASSIGNED_FROM_ABOVE)} and {recent}", long_open=False
				)
			)
		return parts

	def reasons_in(self, part: BacklogPart, channel: str | None) -> list[str]:
		"""backlog_reasons of a petition that `part` of sql_parts selected, from its channel alone."""
		reasons = [REASON_LONG_OPEN.format(days=self.threshold_days)] if part.long_open else []
		if self.include_assigned_from_above and channel == ASSIGNED_FROM_ABOVE:
			reasons.append(REASON_FROM_ABOVE)
		return reasons

	@classmethod
	def from_mapping(cls, values: Mapping) -> BacklogRule:
		"""From Xinfang Settings: backlog_days and backlog_includes_assigned_from_above (blank = default)."""
		days = values.get("backlog_days")
		include = values.get("backlog_includes_assigned_from_above")
		return cls(
			threshold_days=int(days) if days not in (None, "") else DEFAULT_BACKLOG_DAYS,
			include_assigned_from_above=True if include in (None, "") else bool(int(include)),
		)


def is_open(row: Mapping) -> bool:
	"""Still to be resolved: registered and not in an ended state (refused, forwarded, resolved, closed, final)."""
	return (row.get("workflow_state") or "") not in ENDED_STATES


def days_open(row: Mapping, day: date) -> int | None:
	"""Whole days from receipt to `day` (received today: 0); None without a receipt date."""
	received = to_date(row.get("received_on"))
	return None if received is None else (day - received).days


def backlog_reasons(row: Mapping, day: date, rule: BacklogRule) -> list[str]:
	"""Why the petition is a backlog case on `day`; an empty list when it is not one.

	Open longer than the threshold means more than `threshold_days` whole days since receipt (day 91 with the
	default of 90). A petition received after `day` did not exist yet and is never backlog on that day.
	"""
	if not is_open(row):
		return []
	age = days_open(row, day)
	if age is not None and age < 0:
		return []
	reasons = []
	if age is not None and age > rule.threshold_days:
		reasons.append(REASON_LONG_OPEN.format(days=rule.threshold_days))
	if rule.include_assigned_from_above and row.get("channel") == ASSIGNED_FROM_ABOVE:
		reasons.append(REASON_FROM_ABOVE)
	return reasons


def is_backlog(row: Mapping, day: date, rule: BacklogRule) -> bool:
	return bool(backlog_reasons(row, day, rule))
