"""网上信访: what the public pages ask and answer (no frappe import).

- `check_online` turns the submission form into the values of a petition (the checks of the 来文接口,
  domain/intake.py, plus the form's own: phone, address, agent, honeypot), or raises IntakeError with one
  Chinese message per form field.
- `check_attachment` accepts a pdf, jpg or png by its content, never by its name.
- The query code: `new_query_code` (unguessable), `code_digest` (what the petition keeps; the code itself is
  shown once), `proof_matches` (the second factor: the last 4 of an ID number, or a phone number).
- `petitioner_view` is the matter as the petitioner sees it: plain states, steps, deadlines met or not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Container, Mapping
from dataclasses import dataclass

from xinfang_app.domain import idcard, next_steps, states
from xinfang_app.domain import intake as checks
from xinfang_app.domain.errors import DomainError

CHANNEL = "网上信访"
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed from paper
CODE_LENGTH = 12  # 31^12 ≈ 7.9e17 codes
MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_CONTENT = 5000
MAX_DEMANDS = 10
HONEYPOT = "website"  # a field people never see; a form that fills it is a robot's
RATINGS = ("满意", "基本满意", "不满意")
DISSATISFIED_NEXT = {"重办": "要求重新办理", "申请复查": "申请复查"}
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
FILE_TYPES = (  # magic numbers of what a petitioner may attach
	(b"%PDF-", "pdf", "application/pdf"),
	(b"\xff\xd8\xff", "jpg", "image/jpeg"),
	(b"\x89PNG\r\n\x1a\n", "png", "image/png"),
)


class PortalError(DomainError):
	"""A request of the public pages that cannot be granted; the message is shown as it is."""


# ---- the submission ----------------------------------------------------------------------------------


def _phone(value: str | None, errors: dict, key: str, label: str, required: bool) -> str | None:
	value = re.sub(r"[\s()（）]", "", value or "")
	if not value:
		if required:
			errors[key] = f"{label}必填，答复和进展短信发到这个号码"
		return None
	if not PHONE.match(value):
		errors[key] = f"{label}应为 11 位手机号码或带区号的固定电话"
		return None
	return value


def check_online(
	form: Mapping, today: dt.date, divisions: Container[str], categories: Container[str]
) -> checks.Intake:
	"""The petition a submission describes, every field checked; IntakeError maps each form field to
	what is wrong with it, in Chinese (the ID number's messages are the desk's, domain/idcard.py)."""
	if not isinstance(form, Mapping):
		raise checks.IntakeError({"form": "提交的内容无法识别"})
	if (form.get(HONEYPOT) or "").strip():
		raise checks.IntakeError({"form": "提交未通过校验，请刷新页面后重新填写"})
	errors: dict[str, str] = {}
	text = checks.text_field
	name = text(form, "full_name", errors, "姓名", required=True, limit=60)
	number = checks.id_number_field(form, "id_number", errors, "身份证号码", required=True)
	phone = _phone(form.get("phone"), errors, "phone", "联系电话", required=True)
	address = text(form, "address", errors, "住址", required=True, limit=200)
	division = text(form, "division", errors, "所在村（社区）", required=True)
	if division and division not in divisions:
		errors["division"] = "请从列表中选择所在的县、乡镇和村（社区）"
	petition_class = text(form, "petition_class", errors, "信访类别", required=False) or checks.DEFAULT_CLASS
	if petition_class not in checks.CLASSES:
		errors["petition_class"] = "信访类别只能是：" + "、".join(checks.CLASSES)
	subject = text(form, "subject", errors, "信访事由", required=True, limit=100)
	content = text(form, "content", errors, "事情经过", required=True, limit=MAX_CONTENT)
	category = text(form, "category", errors, "问题分类", required=True)
	if category and category not in categories:
		errors["category"] = "请从列表中选择问题分类"
	demands = [line.strip() for line in (form.get("demands") or "").splitlines() if line.strip()]
	if not demands:
		errors["demands"] = "请写明您的诉求，每行一条"
	elif len(demands) > MAX_DEMANDS or any(len(line) > 500 for line in demands):
		errors["demands"] = f"诉求最多 {MAX_DEMANDS} 条，每条不超过 500 字"
	parties = []
	if not errors.keys() & {"full_name", "id_number", "phone", "address", "division"}:
		parties.append(checks.Party(name, number, phone, address, division, "本人"))
	agent = _agent(form, errors, number, division)
	if agent:
		parties.append(agent)
	if errors:
		raise checks.IntakeError(errors)
	return checks.Intake(
		channel=CHANNEL,
		external_reference=None,
		received_on=today,
		petition_class=petition_class,
		subject=subject,
		content=content,
		category=category,
		division=division,
		headcount=1,
		parties=parties,
		demands=[{"demand": line, "category": category} for line in demands],
	)


def _agent(form: Mapping, errors: dict, principal_id: str | None, division: str | None):
	"""The 代理人 who files for the petitioner (a son for an old father): all three fields, or none."""
	keys = ("agent_name", "agent_id_number", "agent_phone")
	if not any((form.get(key) or "").strip() for key in keys):
		return None
	own: dict[str, str] = {}
	name = checks.text_field(form, "agent_name", own, "代理人姓名", required=True, limit=60)
	number = checks.id_number_field(form, "agent_id_number", own, "代理人身份证号码", required=True)
	if number and number == principal_id:
		own["agent_id_number"] = "代理人不能是信访人本人"
	phone = _phone(form.get("agent_phone"), own, "agent_phone", "代理人联系电话", required=True)
	errors.update(own)
	return None if own else checks.Party(name, number, phone, None, division, "代理人")


def check_attachment(filename: str, content: bytes) -> tuple[str, str]:
	"""(a safe file name, its content type) for an attachment whose bytes are a pdf, jpg or png."""
	if not content:
		raise PortalError(f"附件「{filename}」是空文件")
	if len(content) > MAX_FILE_BYTES:
		raise PortalError(
			f"附件「{filename}」有 {len(content) / 1048576:.1f} MB，每个附件不能超过 {MAX_FILE_BYTES // 1048576} MB"
		)
	for magic, extension, content_type in FILE_TYPES:
		if content.startswith(magic):
			base = re.split(r"[/\\]", filename or "")[-1].rsplit(".", 1)[0]
			stem = re.sub(r"[^\w\u4e00-\u9fff-]+", "_", base).strip("_.")[:60] or "附件"
			return f"{stem}.{extension}", content_type
	raise PortalError(f"附件「{filename}」不是 PDF、JPG 或 PNG 文件（按文件内容识别），请换一个文件")


# ---- the query code ------------------------------------------------------------------------------------


def new_query_code(randbelow=secrets.randbelow) -> str:
	"""XXXX-XXXX-XXXX from CODE_ALPHABET, drawn by the operating system's CSPRNG."""
	chars = "".join(CODE_ALPHABET[randbelow(len(CODE_ALPHABET))] for _ in range(CODE_LENGTH))
	return "-".join(chars[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_code(text: str | None) -> str:
	return re.sub(r"[^0-9A-Z]", "", idcard.normalize(text or ""))


def code_digest(code: str | None) -> str | None:
	"""What the petition keeps of its query code: a SHA-256 of it (the code itself is shown once)."""
	code = normalize_code(code)
	if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
		return None
	return hashlib.sha256(code.encode()).hexdigest()


def proof_matches(proof: str | None, id_numbers, phones) -> bool:
	"""The second factor of a query: the last 4 characters of a party's ID number, or a party's phone."""
	proof = idcard.normalize(proof or "")
	if len(proof) == 4:
		return any(hmac.compare_digest(proof, (n or "")[-4:].upper()) for n in id_numbers if n)
	digits = re.sub(r"\D", "", proof)
	return len(digits) >= 7 and any(
		hmac.compare_digest(digits, re.sub(r"\D", "", p or "")) for p in phones if p
	)


# ---- the matter as the petitioner sees it ---------------------------------------------------------------

PLAIN_STATES = {
	states.REGISTRATION: "已登记，等待受理审查",
	states.PENDING_ACCEPTANCE: "已登记，等待受理审查",
	states.ACCEPTED: "已受理",
	states.NOT_ACCEPTED: "不予受理",
	states.FORWARDED: "已转送有权处理的机关",
	states.ASSIGNED: "办理中",
	states.HANDLING: "办理中",
	states.EXTENSION_REQUESTED: "办理中",
	states.EXTENDED: "办理中（已延期）",
	states.REPLY_ISSUED: "已答复",
	states.FOLLOW_UP: "已答复",
	states.RESOLVED: "已办结",
	states.CASE_CLOSED: "已办结",
	states.REVIEW_REQUESTED: "复查中",
	states.REVIEWED: "已复查",
	states.REREVIEW_REQUESTED: "复核中",
	states.FINAL: "复核终结",
}


@dataclass(frozen=True)
class Step:
	label: str
	on: dt.date


@dataclass(frozen=True)
class Deadline:
	label: str
	due: dt.date
	done_on: dt.date | None
	status: str  # 按期完成 / 超期完成 / 未到期 / 已超期


def _deadline(label: str, due, done_on, today: dt.date) -> Deadline | None:
	if not due:
		return None
	if done_on:
		status = "按期完成" if done_on <= due else "超期完成"
	else:
		status = "未到期" if today <= due else "已超期"
	return Deadline(label, due, done_on, status)


def petitioner_view(p: Mapping, reviews: list[Mapping], today: dt.date) -> dict:
	"""State, steps and deadlines of a petition in plain Chinese, from its fields and its reviews (each a
	mapping of review_type, requested_on, review_due, decided_on). Nothing but what is listed here."""
	state = p.get("workflow_state")
	refused = state == states.NOT_ACCEPTED
	forwarded = state == states.FORWARDED
	steps = [Step("登记", p.get("received_on"))]
	for label, key in (
		("受理", "accepted_on"),
		("交办承办单位", "assigned_on"),
		("承办单位签收", "signed_on"),
		("书面答复", "replied_on"),
		("办结", "closed_on"),
	):
		if p.get(key):
			steps.append(Step(label, p[key]))
	if (refused or forwarded) and p.get("notice_date"):
		steps.append(Step("不予受理，已书面告知" if refused else "转送，已书面告知", p["notice_date"]))
	deadlines = [
		_deadline(
			"转送、交办期限",
			None if refused else p.get("forward_due"),
			p.get("assigned_on") or (p.get("notice_date") if forwarded else None),
			today,
		),
		_deadline(
			"受理告知期限",
			p.get("acceptance_due"),
			p.get("accepted_on") or (p.get("notice_date") if refused or forwarded else None),
			today,
		),
		_deadline(
			"办理答复期限（已延期）" if p.get("extended_due") else "办理答复期限",
			p.get("extended_due") or p.get("handling_due"),
			p.get("replied_on"),
			today,
		),
	]
	for review in reviews:
		steps.append(Step(f"申请{review['review_type']}", review["requested_on"]))
		if review.get("decided_on"):
			steps.append(Step(f"{review['review_type']}意见作出", review["decided_on"]))
		deadlines.append(
			_deadline(
				f"{review['review_type']}期限", review.get("review_due"), review.get("decided_on"), today
			)
		)
	steps = sorted((s for s in steps if s.on), key=lambda s: s.on)
	return {
		"state": PLAIN_STATES.get(state, "办理中"),
		"steps": [{"label": s.label, "on": s.on.isoformat()} for s in steps],
		"deadlines": [
			{
				"label": d.label,
				"due": d.due.isoformat(),
				"done_on": d.done_on.isoformat() if d.done_on else None,
				"status": d.status,
			}
			for d in deadlines
			if d
		],
	}


def notices_for(p: Mapping, reviews: list[Mapping]) -> list[tuple[str, str, str]]:
	"""The written notices issued so far: (print format, doctype, record) each."""
	state = p.get("workflow_state")
	issued = []
	if p.get("accepted_on"):
		issued.append(("受理告知书", "Petition", p["name"]))
	if state == states.NOT_ACCEPTED and p.get("notice_date"):
		issued.append(("不予受理告知书", "Petition", p["name"]))
	if state == states.FORWARDED and p.get("notice_date"):
		issued.append(("转送告知书", "Petition", p["name"]))
	if p.get("extension_count"):
		issued.append(("延期告知书", "Petition", p["name"]))
	if p.get("replied_on"):
		issued.append(("信访处理意见书", "Petition", p["name"]))
	for review in reviews:
		if review.get("decided_on"):
			issued.append((f"{review['review_type']}意见书", "Petition Review", review["name"]))
	return issued


def rating_open(p: Mapping) -> bool:
	"""The petitioner may rate while a follow-up visit may be recorded (after the reply), until someone
	(they or an officer) has rated."""
	return p.get("workflow_state") in next_steps.VISIT_STATES and p.get("satisfaction") in (
		None,
		"",
		"未评价",
	)


def review_to_request(p: Mapping, reviews: list[Mapping]) -> str | None:
	"""复查 after the reply, 复核 after the decided 复查: the desk's rule (next_steps.review_type_for)."""
	return next_steps.review_type_for(p.get("workflow_state"), [r["review_type"] for r in reviews])


# ---- what the petitioner is told by SMS -------------------------------------------------------------------

SMS_EVENTS = {
	states.ACCEPTED: "Your petition {0} has been accepted; the written reply is due by {1}. Follow it with your query code at {2}",
	states.NOT_ACCEPTED: "Your petition {0} was not accepted; the written notice gives the reasons. Read it with your query code at {2}",
	states.EXTENDED: "The handling period of your petition {0} is extended to {1}. Follow it with your query code at {2}",
	states.REPLY_ISSUED: "The written reply to your petition {0} has been issued. Read and rate it with your query code at {2}",
}
