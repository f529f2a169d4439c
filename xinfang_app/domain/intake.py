"""Petitions that other systems send: 12345 hotline transfers and matters handed down from above (上级交办).

Pure: `check_intake` turns a sender's JSON into the values of a petition and its parties, or raises
IntakeError with one Chinese message per field (keys like "petitioners[0].id_number"), so that the sender
can correct every field at once. Which divisions and categories exist is the caller's to say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Mapping
from dataclasses import dataclass, field

from xinfang_app.domain import idcard
from xinfang_app.domain.errors import DomainError

CHANNELS = ("12345热线转办", "上级交办")
CLASSES = ("申诉求决", "建议意见", "检举控告")
DEFAULT_CLASS = "申诉求决"
MAX_REFERENCE = 140
MAX_SUBJECT = 140
MAX_PARTIES = 50
PARTY_ROLES = ("本人", "代表", "代理人")


class IntakeError(DomainError):
	"""The payload cannot become a petition; `errors` maps each field to what is wrong with it."""

	def __init__(self, errors: dict[str, str]):
		self.errors = errors
		details = "；".join(f"{key}：{message}" for key, message in errors.items())
		super().__init__(f"来文有 {len(errors)} 处需要更正：{details}")


@dataclass(frozen=True)
class Party:
	full_name: str
	id_number: str | None
	phone: str | None
	address: str | None
	division: str | None
	party_role: str


@dataclass(frozen=True)
class Intake:
	channel: str
	external_reference: str
	received_on: dt.date
	petition_class: str
	subject: str
	content: str
	category: str
	division: str
	headcount: int
	parties: list[Party] = field(default_factory=list)
	demands: list[dict] = field(default_factory=list)


def text_field(
	payload: Mapping, key: str, errors: dict, label: str, *, required: bool, limit: int | None = None
):
	value = payload.get(key)
	if value is None or (isinstance(value, str) and not value.strip()):
		if required:
			errors[key] = f"{label}必填"
		return None
	if not isinstance(value, str):
		errors[key] = f"{label}应为文字"
		return None
	value = value.strip()
	if limit is not None and len(value) > limit:
		errors[key] = f"{label}过长（{len(value)} 字），上限为 {limit} 字"
		return None
	return value


def id_number_field(payload: Mapping, key: str, errors: dict, label: str, *, required: bool) -> str | None:
	"""An ID number checked to GB 11643 and normalised; a wrong one is reported in the desk's own words
	(domain/idcard.py), after the label when it is not the petitioner's own (代理人身份证号码…)."""
	number = text_field(payload, key, errors, label, required=required)
	if not number:
		return None
	try:
		return idcard.parse(number).value
	except idcard.IdNumberError as error:
		prefix = label.removesuffix("身份证号码")
		errors[key] = prefix + error.message_zh
		return None


def check_intake(
	payload: Mapping, today: dt.date, divisions: Container[str], categories: Container[str]
) -> Intake:
	"""The petition a sender's payload describes, every field checked; IntakeError lists what is wrong."""
	if not isinstance(payload, Mapping):
		raise IntakeError({"payload": "来文应为 JSON 对象"})
	errors: dict[str, str] = {}
	channel = text_field(payload, "channel", errors, "来源渠道", required=True)
	if channel and channel not in CHANNELS:
		errors["channel"] = "来源渠道只能是：" + "、".join(CHANNELS)
	reference = text_field(
		payload, "external_reference", errors, "来文编号", required=True, limit=MAX_REFERENCE
	)
	received = text_field(payload, "received_on", errors, "收文日期", required=True)
	received_on = None
	if received:
		try:
			received_on = dt.date.fromisoformat(received)
		except ValueError:
			errors["received_on"] = "收文日期应为 YYYY-MM-DD 格式"
		else:
			if received_on > today:
				errors["received_on"] = f"收文日期（{received_on.isoformat()}）不能晚于今天"
	petition_class = (
		text_field(payload, "petition_class", errors, "信访类别", required=False) or DEFAULT_CLASS
	)
	if petition_class not in CLASSES:
		errors["petition_class"] = "信访类别只能是：" + "、".join(CLASSES)
	subject = text_field(payload, "subject", errors, "信访事由", required=True, limit=MAX_SUBJECT)
	content = text_field(payload, "content", errors, "信访内容", required=True)
	category = text_field(payload, "category", errors, "问题分类", required=True)
	if category and category not in categories:
		errors["category"] = f"系统中没有问题分类「{category}」（应为末级分类）"
	division = text_field(payload, "division", errors, "问题属地", required=True)
	if division and division not in divisions:
		errors["division"] = f"系统中没有行政区划「{division}」"
	parties = _parties(payload.get("petitioners"), divisions, errors)
	demands = _demands(payload.get("demands"), categories, errors)
	headcount = payload.get("headcount")
	if headcount is None:
		headcount = max(len(parties), 1)
	elif not isinstance(headcount, int) or isinstance(headcount, bool) or headcount < 1:
		errors["headcount"] = "人数应为不小于 1 的整数"
	if errors:
		raise IntakeError(errors)
	return Intake(
		channel=channel,
		external_reference=reference,
		received_on=received_on,
		petition_class=petition_class,
		subject=subject,
		content=content,
		category=category,
		division=division,
		headcount=max(headcount, len(parties)),
		parties=parties,
		demands=demands,
	)


def _parties(rows, divisions: Container[str], errors: dict) -> list[Party]:
	if not isinstance(rows, list) or not rows:
		errors["petitioners"] = "至少需要一名信访人"
		return []
	if len(rows) > MAX_PARTIES:
		errors["petitioners"] = f"信访人最多 {MAX_PARTIES} 名"
		return []
	parties = []
	for index, row in enumerate(rows):
		key = f"petitioners[{index}]"
		if not isinstance(row, Mapping):
			errors[key] = "应为 JSON 对象"
			continue
		own: dict[str, str] = {}
		name = text_field(row, "full_name", own, "姓名", required=True, limit=140)
		number = id_number_field(row, "id_number", own, "身份证号码", required=False)
		phone = text_field(row, "phone", own, "联系电话", required=False, limit=40)
		address = text_field(row, "address", own, "住址", required=False, limit=500)
		place = text_field(row, "division", own, "所在区划", required=False)
		if place and place not in divisions:
			own["division"] = f"系统中没有行政区划「{place}」"
		role = text_field(row, "party_role", own, "身份", required=False) or PARTY_ROLES[0]
		if role not in PARTY_ROLES:
			own["party_role"] = "身份只能是：" + "、".join(PARTY_ROLES)
		errors.update({f"{key}.{field_name}": message for field_name, message in own.items()})
		if not own:
			parties.append(Party(name, number, phone, address, place, role))
	return parties


def _demands(rows, categories: Container[str], errors: dict) -> list[dict]:
	if rows is None:
		return []
	if not isinstance(rows, list):
		errors["demands"] = "诉求应为列表"
		return []
	demands = []
	for index, row in enumerate(rows):
		key = f"demands[{index}]"
		own: dict[str, str] = {}
		if not isinstance(row, Mapping):
			errors[key] = "应为 JSON 对象"
			continue
		demand = text_field(row, "demand", own, "诉求", required=True)
		category = text_field(row, "category", own, "问题分类", required=False)
		if category and category not in categories:
			own["category"] = f"系统中没有问题分类「{category}」"
		errors.update({f"{key}.{field_name}": message for field_name, message in own.items()})
		if not own:
			demands.append({"demand": demand, "category": category})
	return demands
