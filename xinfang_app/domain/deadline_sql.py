"""The rules of domain/deadlines.py that the hourly job applies to every open petition, in a form the
database applies to all of them at once: the light as an SQL expression (deadlines.light on the clock
that runs in the petition's state), and the three-tier escalation as a cut-off date per tier (a tier
started on or before it has passed its deadline). No frappe import: the caller passes `quote` (a value
to an SQL literal) and `days_between` (SQL for the days from one date column to another), and the pure
tests run the SQL on SQLite against the Python rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from fractions import Fraction

from xinfang_app.domain import deadlines as dl
from xinfang_app.domain.states import REGISTRATION

Quote = Callable[[str], str]
DaysBetween = Callable[[str, str], str]  # (later, earlier) → SQL for later - earlier in days


def mariadb_days_between(later: str, earlier: str) -> str:
	return f"datediff({later}, {earlier})"


def clock_sql(acceptance_states: Iterable[str], handling_states: Iterable[str], quote: Quote):
	"""(start, due) SQL of the clock that runs in the petition's state (lifecycle.current_clock): receipt to
	acceptance_due while acceptance is pending (a blank state is Registration), acceptance to the extended
	or else the handling due date while handled; NULL when no clock runs."""
	acceptance = ", ".join(quote(s) for s in acceptance_states)
	handling = ", ".join(quote(s) for s in handling_states)
	state = f"ifnull(nullif(workflow_state, ''), {quote(REGISTRATION)})"
	start = (
		f"(case when {state} in ({acceptance}) then received_on"
		f" when {state} in ({handling}) then accepted_on end)"
	)
	due = (
		f"(case when {state} in ({acceptance}) then acceptance_due"
		f" when {state} in ({handling}) and accepted_on is not null"
		" then coalesce(extended_due, handling_due) end)"
	)
	return start, due


def light_sql(
	on: date,
	rules: dl.Rules,
	acceptance_states: Iterable[str],
	handling_states: Iterable[str],
	quote: Quote,
	days_between: DaysBetween = mariadb_days_between,
) -> str:
	"""deadlines.light(on, start, due, rules) of the running clock, '' when none runs, as SQL.

	Yellow when the days left are within max(yellow_threshold_days, ceil(percent × period / 100)); for
	whole numbers of days, left <= ceil(x) is left - 1 < x, compared in integers (percent = p/q exactly)."""
	start, due = clock_sql(acceptance_states, handling_states, quote)
	today = quote(on.isoformat())
	left = days_between(due, today)
	period = f"(case when {due} > {start} then {days_between(due, start)} else 0 end)"
	share = Fraction(str(rules.yellow_threshold_percent))
	return (
		f"(case when {start} is null or {due} is null then ''"
		f" when {due} < {today} then {quote(dl.RED)}"
		f" when {left} <= {int(rules.yellow_threshold_days)}"
		f" or ({left} - 1) * {100 * share.denominator} < {share.numerator} * {period}"
		f" then {quote(dl.YELLOW)}"
		f" else {quote(dl.GREEN)} end)"
	)


def tier_cutoff(level: str, on: date, rules: dl.Rules, calendar: dl.WorkCalendar) -> date | None:
	"""The last tier start day from which `level` has escalated by `on` (deadlines.escalate is not None
	exactly for since <= the cut-off); None at county level, the last tier. A tier's deadline never comes
	earlier for a later start, so the cut-off is found walking back from `on`."""
	if level not in (dl.VILLAGE, dl.TOWNSHIP):
		return None
	since = on
	while not on > dl.tier_deadline(level, since, rules, calendar):
		since -= timedelta(days=1)
	return since
