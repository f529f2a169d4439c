"""What comes next for a petition, as plain data and rules (no frappe import).

- the fields a workflow step needs before it is taken (lifecycle checks them; the form opens them);
- the records an officer makes from a petition in each state (回访记录, 复查/复核, 督办单), and the states a
  petition reaches only through such a record;
- who is waited on when a record enters a state, and which of the users able to act are told.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from xinfang_app.domain.divisions import LEVEL_RANK
from xinfang_app.domain.states import (
	ACCEPTED,
	ASSIGNED,
	EXTENDED,
	EXTENSION_REQUESTED,
	FINAL,
	FOLLOW_UP,
	FORWARDED,
	HANDLING,
	NOT_ACCEPTED,
	PENDING_ACCEPTANCE,
	REPLY_ISSUED,
	REREVIEW_REQUESTED,
	RESOLVED,
	REVIEW_REQUESTED,
	REVIEWED,
)

FOLLOW_UP_VISIT = "Follow-up Visit"
PETITION_REVIEW = "Petition Review"
SUPERVISION_NOTICE = "Supervision Notice"
REVIEW, REREVIEW = "复查", "复核"

# The fields each state needs when a petition enters it (keyed by the state reached, so that an
# administrator's renamed actions keep their checks).
STEP_FIELDS: dict[str, tuple[str, ...]] = {
	NOT_ACCEPTED: ("not_accepted_reason", "notice_date"),
	FORWARDED: ("forwarded_to", "forward_reason", "notice_date"),
	ASSIGNED: ("responsible_unit",),
	EXTENSION_REQUESTED: ("extension_days", "extension_reason"),
	REPLY_ISSUED: ("reply_text", "replied_on"),
}


def missing_fields(state: str, values: Mapping) -> list[str]:
	"""The fields of STEP_FIELDS[state] that are empty in `values`, in form order."""
	return [fieldname for fieldname in STEP_FIELDS.get(state, ()) if not values.get(fieldname)]


# States reached only by saving a record about the petition (the record moves it through the workflow):
# the visit is the proof of the follow-up, the review request and decision those of 复查/复核.
MOVED_BY_RECORD: dict[str, str] = {
	FOLLOW_UP: FOLLOW_UP_VISIT,
	REVIEW_REQUESTED: PETITION_REVIEW,
	REVIEWED: PETITION_REVIEW,
	REREVIEW_REQUESTED: PETITION_REVIEW,
	FINAL: PETITION_REVIEW,
}

VISIT_STATES = (REPLY_ISSUED, FOLLOW_UP)
REVIEW_STATES = {
	REVIEW: (REPLY_ISSUED, FOLLOW_UP, RESOLVED),
	REREVIEW: (REVIEWED,),
}
# 督办: while an organ or unit owes a decision or a reply (超期, 推诿, 拖延, 敷衍), and after a follow-up the
# petitioner is dissatisfied with (群众不满意).
SUPERVISION_STATES = (
	PENDING_ACCEPTANCE,
	ACCEPTED,
	ASSIGNED,
	HANDLING,
	EXTENSION_REQUESTED,
	EXTENDED,
	FOLLOW_UP,
)


def review_type_for(state: str, requested: Iterable[str]) -> str | None:
	"""The review (复查 or 复核) a petitioner may request in `state`, given those already requested."""
	requested = set(requested)
	for review_type in (REVIEW, REREVIEW):
		if state in REVIEW_STATES[review_type] and review_type not in requested:
			return review_type
	return None


def records_for(state: str, requested_reviews: Iterable[str] = ()) -> list[tuple[str, str | None]]:
	"""(doctype, review type) of each record that may be made from a petition in `state`."""
	records: list[tuple[str, str | None]] = []
	if state in VISIT_STATES:
		records.append((FOLLOW_UP_VISIT, None))
	review_type = review_type_for(state, requested_reviews)
	if review_type:
		records.append((PETITION_REVIEW, review_type))
	if state in SUPERVISION_STATES:
		records.append((SUPERVISION_NOTICE, None))
	return records


# ---- who is waited on -----------------------------------------------------------------------------

# workflow document type → {state: the action the state waits for}. Assigned (sign-for) is announced by
# the shipped Notification 信访事项交办通知 to the unit's handlers, so it is not repeated here.
WAITING: dict[str, dict[str, str]] = {
	"Petition": {
		PENDING_ACCEPTANCE: "Accept",
		EXTENSION_REQUESTED: "Approve Extension",
		RESOLVED: "Close Case",
	},
	"Dispute Ledger Entry": {"Closure Requested": "Approve Closure"},
}


def waited_action(doctype: str, state: str | None, previous: str | None) -> str | None:
	"""The action a record now waits for, when it has just entered a waiting state (None otherwise:
	a save that stays in the same state tells nobody again)."""
	if not state or state == previous:
		return None
	return WAITING.get(doctype, {}).get(state)


def nearest_actors(
	place_candidates: Iterable[tuple[str, str]], unit_candidates: Iterable[str], handling_level: str | None
) -> list[str]:
	"""Of the users who may act, those closest to the matter.

	place_candidates: (user, level of the division their scope sits at) for users whose scope covers the
	record's division; unit_candidates: users scoped to the record's unit (always told, it is their unit).
	Place-scoped users at or above the handling level are kept, and of those the nearest level (a township
	petition waits on the township, a county one on the county); without anyone at or above it, the
	nearest below."""
	users = set(unit_candidates)
	ranked = [(user, LEVEL_RANK.get(level, 0)) for user, level in place_candidates]
	if ranked:
		ceiling = LEVEL_RANK.get(handling_level) if handling_level else None
		above = [rank for _user, rank in ranked if ceiling is None or rank <= ceiling]
		nearest = max(above) if above else min(rank for _user, rank in ranked)
		users.update(user for user, rank in ranked if rank == nearest)
	return sorted(users)
