"""What happened to each demo petition after it was registered: a dated list of workflow steps.

Pure (no frappe): the loader replays the steps through the real Petition Workflow, Follow-up Visit and
Petition Review, each on its own date (补录, as an office enters paper records afterwards), so the
demo's dates, deadlines and lights come out of the same rules as live work.

A petition's story runs until today: an old matter is usually closed, a recent one is still in hand.
A few stall on the way (an officer slow to act), which is what makes yellow and red lights; and every
state of the workflow is made to occur at least once, so the demo shows each of them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from xinfang_app.domain.states import (
	ACCEPTED,
	ASSIGNED,
	CASE_CLOSED,
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
	STATES,
)

ENDED = (NOT_ACCEPTED, FORWARDED, CASE_CLOSED, FINAL)

# Kinds of step: a workflow action on the petition, or a record whose controller moves the petition.
ACTION = "action"
FOLLOW_UP_VISIT = "follow_up_visit"
REVIEW_REQUEST = "review_request"
REVIEW_DECISION = "review_decision"

STALL_SHARE = 0.04
REFERRALS = {  # matters another organ decides: (share forwarded, organ, reason)
	"涉法涉诉": (0.6, "清源县人民法院", "属于依法应当通过诉讼、执行程序解决的事项，转送人民法院依法处理"),
	"干部作风": (0.3, "清源县纪委监委", "反映公职人员违纪违法问题，转送纪检监察机关依规依纪依法处理"),
}
REFUSE_SHARE = 0.05
REFUSE_REASONS = (
	"所反映事项已经或者依法应当通过仲裁解决，不属于信访事项受理范围",
	"所反映事项不属于本级机关职权范围，已告知向有权处理的机关提出",
	"信访人未能提供基本事实和具体诉求，经告知后仍未补充",
)
FINAL_REFUSAL = "该事项已经复核终结，信访人以同一事实和理由再次提出，依法不予受理"
REVIEW_BUREAU = "清源县信访局"
REPLY_OPENINGS = (
	"经调查核实，",
	"经承办单位实地核查并约谈相关当事人，",
	"经会同属地乡镇调查了解，",
)
REPLY_CLOSINGS = (
	"现答复如下：信访人反映的问题已按政策规定处理到位。如对本处理意见不服，可自收到本意见书之日起30日内向上一级行政机关申请复查。",
	"现答复如下：对信访人的合理诉求予以支持，已责成有关方面限期落实。如对本处理意见不服，可自收到本意见书之日起30日内申请复查。",
	"现答复如下：信访人的诉求缺乏政策依据，不予支持，已向信访人做好政策解释工作。如对本处理意见不服，可自收到本意见书之日起30日内申请复查。",
)


@dataclass(frozen=True)
class Step:
	kind: str
	on: dt.date
	state: str  # the petition's workflow state once the step is taken
	action: str = ""
	values: dict = field(default_factory=dict)


def plan_stories(
	petitions: list[dict], units: list[dict], today: dt.date, seed: int = 20261122
) -> list[list[Step]]:
	"""One story per petition (same order), every step on or before `today`.

	`petitions` are the dicts of county_data.generate_petitions (oldest first; a repeat's
	`repeat_of_index` points at an earlier one). A repeat of a matter concluded by re-review before the
	repeat is decided is refused, as the regulation requires.
	"""
	rng = random.Random(seed)
	county_departments = {u["unit_name"] for u in units if u["unit_type"] == "County Department"}
	stories: list[list[Step]] = []
	for petition in petitions:
		story = _story(rng, petition, county_departments)
		original = petition.get("repeat_of_index")
		if original is not None:
			story = _refuse_if_final(story, stories[original])
		stories.append(list(_until(story, today)))
	for index, story in enumerate(stories):
		if rng.random() < STALL_SHARE and len(story) > 1 and story[-1].state not in ENDED:
			stories[index] = story[: rng.randint(1, len(story) - 1)]
	# a matter whose conclusion refused a later repeat keeps its whole story, or the refusal would be false
	keep = {
		petition["repeat_of_index"]
		for petition, story in zip(petitions, stories, strict=True)
		if len(story) > 1 and story[1].values.get("not_accepted_reason") == FINAL_REFUSAL
	}
	_leave_some_near_their_deadline(stories, today, keep)
	_make_every_state_occur(stories, petitions, keep)
	return stories


def _until(story: list[Step], today: dt.date):
	for step in story:
		if step.on > today:
			return
		yield step


def _story(rng: random.Random, petition: dict, county_departments: set[str]) -> list[Step]:
	received = dt.date.fromisoformat(petition["received_on"])
	steps: list[Step] = []

	def add(kind, days, state, action="", dated=(), **values):
		"""The next step, `days` after the last; the fields named in `dated` take the step's own date."""
		on = (steps[-1].on if steps else received) + dt.timedelta(days=days)
		steps.append(Step(kind, on, state, action, {**values, **{name: on.isoformat() for name in dated}}))

	add(ACTION, rng.choices((0, 1), (70, 30))[0], PENDING_ACCEPTANCE, "Submit for Acceptance")
	decision_days = rng.randint(1, 10) if rng.random() < 0.95 else rng.randint(16, 25)
	share, organ, reason = REFERRALS.get(petition["category"], (0, "", ""))
	if rng.random() < share:
		add(
			ACTION,
			decision_days,
			FORWARDED,
			"Forward to Competent Organ",
			dated=("notice_date",),
			forwarded_to=organ,
			forward_reason=reason,
		)
		return steps
	if rng.random() < REFUSE_SHARE:
		return _refused(steps, rng.choice(REFUSE_REASONS), decision_days)
	add(ACTION, decision_days, ACCEPTED, "Accept")
	add(ACTION, rng.randint(0, 3), ASSIGNED, "Assign")
	add(ACTION, rng.randint(0, 2), HANDLING, "Sign For")
	_handle(rng, add, petition)
	visit = _visit(rng, add)
	if visit == "满意":
		_resolve_and_close(rng, add)
	elif visit == "重办":
		_handle(rng, add, petition, extension=False)
		_visit(rng, add, satisfied=True)
		_resolve_and_close(rng, add)
	else:
		_review(rng, add, petition, county_departments)
	return steps


def _refused(steps: list[Step], reason: str, days: int) -> list[Step]:
	on = steps[-1].on + dt.timedelta(days=days)
	steps.append(
		Step(
			ACTION,
			on,
			NOT_ACCEPTED,
			"Refuse",
			{"not_accepted_reason": reason, "notice_date": on.isoformat()},
		)
	)
	return steps


def _handle(rng, add, petition, extension=True):
	"""Handling up to the written reply, sometimes with an extension, now and then late."""
	if extension and rng.random() < 0.1:
		add(
			ACTION,
			rng.randint(35, 50),
			EXTENSION_REQUESTED,
			"Request Extension",
			extension_days=rng.choice((15, 20, 30)),
			extension_reason="案情复杂，需会同多个部门调查核实并听取当事人意见",
		)
		if rng.random() < 0.85:
			add(ACTION, rng.randint(1, 3), EXTENDED, "Approve Extension")
			days = rng.randint(10, 25)
		else:
			add(ACTION, rng.randint(1, 3), HANDLING, "Refuse Extension")
			days = rng.randint(3, 8)
	else:
		days = rng.randint(8, 50) if rng.random() < 0.93 else rng.randint(62, 80)
	reply = rng.choice(REPLY_OPENINGS) + f"关于“{petition['subject']}”一事，" + rng.choice(REPLY_CLOSINGS)
	add(ACTION, days, REPLY_ISSUED, "Issue Reply", dated=("replied_on",), reply_text=reply)


def _visit(rng, add, satisfied=False) -> str:
	"""The follow-up visit; returns 满意 (satisfied or basically), 重办 or 复查."""
	satisfaction = rng.choices(("满意", "基本满意", "不满意"), (60, 27, 0 if satisfied else 13))[0]
	next_step = ""
	state = FOLLOW_UP
	if satisfaction == "不满意":
		next_step = "重办" if rng.random() < 0.45 else "申请复查"
		state = HANDLING if next_step == "重办" else FOLLOW_UP
	add(
		FOLLOW_UP_VISIT,
		rng.randint(3, 12),
		state,
		method=rng.choice(("电话", "上门", "三方回访")),
		satisfaction=satisfaction,
		next_step=next_step,
	)
	return {"": "满意", "重办": "重办", "申请复查": "复查"}[next_step]


def _resolve_and_close(rng, add):
	add(ACTION, rng.randint(0, 2), RESOLVED, "Resolve")
	add(ACTION, rng.randint(1, 6), CASE_CLOSED, "Close Case")


def _review(rng, add, petition, county_departments):
	responsible = petition.get("responsible_unit") or ""
	reviewer = REVIEW_BUREAU if responsible in county_departments else _county_department_for(petition)
	add(REVIEW_REQUEST, rng.randint(1, 8), REVIEW_REQUESTED, review_type="复查", reviewing_unit=reviewer)
	upheld = rng.random() < 0.85
	add(
		REVIEW_DECISION,
		rng.randint(15, 27),
		REVIEWED,
		review_type="复查",
		outcome="维持" if upheld else "变更",
		decision="经复查，原处理意见认定事实清楚、适用政策正确，予以维持。"
		if upheld
		else "经复查，原处理意见对部分事实认定不清，予以变更，由承办单位重新落实。",
	)
	if rng.random() < 0.45:
		add(
			REVIEW_REQUEST,
			rng.randint(5, 20),
			REREVIEW_REQUESTED,
			review_type="复核",
			reviewing_unit=REVIEW_BUREAU,
		)
		add(
			REVIEW_DECISION,
			rng.randint(15, 27),
			FINAL,
			review_type="复核",
			outcome="维持",
			decision="经复核，复查意见事实清楚、程序合法，予以维持。本复核意见为信访事项的最终处理意见。",
		)
	else:
		add(ACTION, rng.randint(31, 40), CASE_CLOSED, "Close Case")


def _county_department_for(petition: dict) -> str:
	from xinfang_app.demo.county_data import CATEGORY_UNIT

	return CATEGORY_UNIT.get(petition["category"]) or REVIEW_BUREAU


def _refuse_if_final(story: list[Step], original: list[Step]) -> list[Step]:
	final = next((step.on for step in original if step.state == FINAL), None)
	decision = story[1] if len(story) > 1 else None
	if final is None or decision is None or decision.on < final:
		return story
	return _refused(story[:1], FINAL_REFUSAL, (decision.on - story[0].on).days)


NEAR_DEADLINE = 3  # petitions left in handling close to their deadline (60 days from acceptance)


def _leave_some_near_their_deadline(stories: list[list[Step]], today: dt.date, keep: set[int]):
	"""Stop a few stories in Handling some 50-57 days after acceptance: a yellow light on the demo's desk."""
	near = [
		(index, i)
		for index, story in enumerate(stories)
		if index not in keep
		for i, step in enumerate(story)
		if step.action == "Sign For" and i + 1 < len(story) and 50 <= (today - story[i - 2].on).days <= 57
	]
	for index, i in near[:NEAR_DEADLINE]:
		stories[index] = stories[index][: i + 1]


def _make_every_state_occur(stories: list[list[Step]], petitions: list[dict], keep: set[int]):
	"""Stop a story at each state no story ends in (the latest to pass through it), so every state shows;
	the newest petition whose end state is shared stays just registered. Stories in `keep` stay whole."""
	for state in STATES[1:]:
		if any(story and story[-1].state == state for story in stories):
			continue
		passing = [
			(story[i].on, index, i)
			for index, story in enumerate(stories)
			if index not in keep
			for i in range(len(story) - 1)
			if story[i].state == state
		]
		if passing:
			_, index, i = max(passing)
			stories[index] = stories[index][: i + 1]
	if any(not story for story in stories):
		return
	ends = Counter(story[-1].state for story in stories)
	newest = max(
		(index for index, story in enumerate(stories) if ends[story[-1].state] > 1 and index not in keep),
		key=lambda index: petitions[index]["received_on"],
	)
	stories[newest] = []
