"""The rules of domain/kpi.py written as SQL, so that a card or report counts in the database instead of
loading every petition: the same predicates (is_concluded), and each count split into parts that a (place, date) index
can range over. No frappe import: the caller passes `quote`, which turns a value into an SQL literal
(frappe.db.escape), and gets SQL text back; the pure tests run it on SQLite against the Python rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from xinfang_app.domain import kpi

Quote = Callable[[str], str]


def _day(quote: Quote, day: date) -> str:
	return quote(day.isoformat())


def concluded_sql(day: date, quote: Quote) -> str:
	"""kpi.is_concluded(p, day) as an SQL expression that is 1 or 0 (never NULL): closed by `day`, or
	replied to by `day` and not back in a handling state (a blank state is not a handling state)."""
	d = _day(quote, day)
	handling = ", ".join(quote(state) for state in kpi.HANDLING_STATES)
	return (
		f"(ifnull(closed_on <= {d}, 0) = 1"
		f" or (ifnull(replied_on <= {d}, 0) = 1 and ifnull(workflow_state, '') not in ({handling})))"
	)


@dataclass(frozen=True)
class RangedSums:
	"""Among the rows for which `where` holds (an SQL condition an index can range over), the sum of each
	named 0/1 expression of `sums` (kpi.kpi_counts' names for kpi_parts), each counted in exactly one part."""

	where: str
	sums: dict[str, str]


def _in(column: str, values, quote: Quote) -> str:
	return f"(ifnull({column}, '') in ({', '.join(quote(v) for v in values)}))"


def _between(field: str, period, quote: Quote) -> str:
	return f"{field} between {_day(quote, period.start)} and {_day(quote, period.end)}"


def month_concluded_parts(day: date, quote: Quote) -> list[RangedSums]:
	"""本月办结 (cards.concluded_in_month): received by `day`, concluded by `day` and not yet concluded on
	the eve of the month. Such a petition was closed this month or replied to this month (otherwise it
	was concluded on the eve already, or is not yet), so the count is the sum of two disjoint ranges:
	closed this month; replied to this month and not closed this month."""
	start = day.replace(day=1)
	eve = start - timedelta(days=1)
	rule = (
		f"ifnull(received_on, '0001-01-01') <= {_day(quote, day)} and {concluded_sql(day, quote)}"
		f" and not {concluded_sql(eve, quote)}"
	)
	closed_this_month = f"ifnull(closed_on between {_day(quote, start)} and {_day(quote, day)}, 0) = 1"
	month = kpi.Period(start, day)
	return [
		RangedSums(_between("closed_on", month, quote), {"concluded": rule}),
		RangedSums(
			_between("replied_on", month, quote), {"concluded": f"{rule} and not {closed_this_month}"}
		),
	]


# ---- every KPI of a period (kpi.kpi_counts) -----------------------------------------------------------------


def overdue_sql(day: date, quote: Quote) -> str:
	"""kpi.is_overdue(p, day) as an SQL expression that is 1 or 0: a clock of ours ran on `day` (not refused
	or forwarded, not concluded, not ended without a date) and its last day had passed — the acceptance
	deadline while not accepted by `day`, else the handling deadline (an approved extension's first)."""
	d = _day(quote, day)
	return (
		f"(not {_in('workflow_state', kpi.NO_CLOCK_STATES, quote)} and not {concluded_sql(day, quote)}"
		f" and not ({_in('workflow_state', kpi.ENDED_STATES, quote)} and replied_on is null and closed_on is null)"
		f" and ifnull({deadline_sql(day, quote)} < {d}, 0) = 1)"
	)


def deadline_sql(day: date, quote: Quote) -> str:
	"""kpi.deadline_on(p, day): the deadline the overdue check holds a petition to on `day`."""
	d = _day(quote, day)
	return (
		f"(case when accepted_on is null or accepted_on > {d} then acceptance_due"
		" else ifnull(extended_due, handling_due) end)"
	)


def overdue_where(day: date, quote: Quote) -> str:
	"""The rows that may be overdue on `day`: a petition closed by then is concluded, so only those not
	closed by then (a range of the closing date an index holds)."""
	return f"(closed_on is null or closed_on > {_day(quote, day)})"


def kpi_parts(
	period, as_of: date, quote: Quote, *, basic_counts_as_satisfied: bool = True
) -> list[RangedSums]:
	"""kpi.kpi_counts as five counts in the database: one per event whose date puts a petition in a rate
	(received, accepted, replied, closed in the period), and the overdue ones on `as_of`.

	`first_time` here is not yet kpi's: a 复查 registered on a petition (review_requested) lives in
	another table: the caller counts reviewed_part too, and settle() subtracts it."""
	satisfied = (kpi.SATISFIED, kpi.BASICALLY_SATISFIED) if basic_counts_as_satisfied else (kpi.SATISFIED,)
	accepted = completion_part(period, as_of, quote)
	return [
		RangedSums(
			_between("received_on", period, quote),
			{"received": "1", "repeat": "ifnull(repeat_of, '') != ''"},
		),
		RangedSums(
			accepted.where,
			{
				**accepted.sums,
				"timely": "ifnull(case when acceptance_due is not null then accepted_on <= acceptance_due"
				" else accepted_on <= received_on end, 0)",
			},
		),
		RangedSums(
			_between("replied_on", period, quote),
			{
				"replied": "1",
				"on_time": "ifnull(replied_on <= coalesce(extended_due, handling_due, accepted_on, received_on), 0)",
				"evaluated": _in("satisfaction", kpi.EVALUATED, quote),
				"satisfied": _in("satisfaction", satisfied, quote),
			},
		),
		RangedSums(
			_between("closed_on", period, quote), {"closed": "1", "first_time": first_time_sql(quote)}
		),
		RangedSums(overdue_where(as_of, quote), {"overdue": overdue_sql(as_of, quote)}),
	]


def completion_part(period, as_of: date, quote: Quote) -> RangedSums:
	"""kpi.completion_rate's terms: the petitions accepted in the period, and those of them concluded by
	`as_of` (the 化解率 card's figure, and part of kpi_parts)."""
	return RangedSums(
		_between("accepted_on", period, quote), {"accepted": "1", "concluded": concluded_sql(as_of, quote)}
	)


def first_time_sql(quote: Quote) -> str:
	"""kpi._resolved_first_time but for review_requested: never redone, no review state, not 不满意."""
	return (
		f"(ifnull(redo_count, 0) = 0 and not {_in('workflow_state', kpi.REVIEW_STATES, quote)}"
		f" and ifnull(satisfaction, '') != {quote(kpi.DISSATISFIED)})"
	)


def reviewed_part(period, names: list[str], quote: Quote) -> RangedSums:
	"""Of the petitions `names` that had a 复查, those kpi_parts counted as resolved the first time."""
	listed = ", ".join(quote(name) for name in names) or "''"
	return RangedSums(
		f"{_between('closed_on', period, quote)} and name in ({listed})", {"reviewed": first_time_sql(quote)}
	)


def settle(sums: dict[str, int]) -> dict[str, int]:
	"""kpi.kpi_counts from the sums of kpi_parts and reviewed_part."""
	counts = {name: int(sums.get(name) or 0) for name in kpi.KPI_COUNTS}
	counts["first_time"] -= int(sums.get("reviewed") or 0)
	return counts
