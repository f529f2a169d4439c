"""The rules of domain/kpi.py written as SQL, so that a card counts in the database instead of loading every
petition: the same predicates (is_concluded), and each count split into parts that a (place, date) index
can range over. No frappe import: the caller passes `quote`, which turns a value into an SQL literal
(frappe.db.escape), and gets SQL text back; the pure tests run it on SQLite against the Python rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from xinfang_app.domain.kpi import HANDLING_STATES

Quote = Callable[[str], str]


def _day(quote: Quote, day: date) -> str:
	return quote(day.isoformat())


def concluded_sql(day: date, quote: Quote) -> str:
	"""kpi.is_concluded(p, day) as an SQL expression that is 1 or 0 (never NULL): closed by `day`, or
	replied to by `day` and not back in a handling state (a blank state is not a handling state)."""
	d = _day(quote, day)
	handling = ", ".join(quote(state) for state in HANDLING_STATES)
	return (
		f"(ifnull(closed_on <= {d}, 0) = 1"
		f" or (ifnull(replied_on <= {d}, 0) = 1 and ifnull(workflow_state, '') not in ({handling})))"
	)


@dataclass(frozen=True)
class RangedCount:
	"""Count the rows with `field` between `start` and `end` (both included; an index can range over it)
	for which the SQL expression `condition` holds."""

	field: str
	start: date
	end: date
	condition: str


def month_concluded_parts(day: date, quote: Quote) -> list[RangedCount]:
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
	return [
		RangedCount("closed_on", start, day, rule),
		RangedCount("replied_on", start, day, f"{rule} and not {closed_this_month}"),
	]
