import datetime as dt

import pytest

from xinfang_app.domain import intake
from xinfang_app.domain.idcard import IdNumberError, parse

TODAY = dt.date(2026, 11, 27)
DIVISIONS = {"清源县", "清源镇", "兴隆村"}
CATEGORIES = {"征地拆迁", "劳动社保"}


def valid_id() -> str:
	body = "11010519491231002"
	for check in "0123456789X":
		try:
			return parse(body + check).value
		except IdNumberError:
			continue
	raise AssertionError("no check digit")


def payload(**changes):
	base = {
		"channel": "12345热线转办",
		"external_reference": "12345-2026-000123",
		"received_on": "2026-11-20",
		"subject": "反映兴隆村征地补偿款未发放",
		"content": "来电人反映……",
		"category": "征地拆迁",
		"division": "兴隆村",
		"petitioners": [{"full_name": "王某", "id_number": valid_id(), "phone": "13800000000"}],
		"demands": [{"demand": "发放补偿款", "category": "征地拆迁"}],
	}
	base.update(changes)
	return base


def check(data):
	return intake.check_intake(data, TODAY, DIVISIONS, CATEGORIES)


def test_a_good_transfer_becomes_a_petition_with_its_party_and_demand():
	result = check(payload())
	assert (result.channel, result.external_reference, result.received_on) == (
		"12345热线转办",
		"12345-2026-000123",
		dt.date(2026, 11, 20),
	)
	assert result.petition_class == "申诉求决" and result.headcount == 1
	assert result.parties[0].full_name == "王某" and result.parties[0].party_role == "本人"
	assert result.demands == [{"demand": "发放补偿款", "category": "征地拆迁"}]


def test_every_wrong_field_is_named_at_once_in_chinese():
	bad_id = valid_id()[:-1] + ("0" if valid_id()[-1] != "0" else "1")
	with pytest.raises(intake.IntakeError) as raised:
		check(
			payload(
				channel="来访",
				external_reference="",
				received_on="2026-12-01",
				category="不存在",
				division="外县",
				headcount=0,
				petitioners=[{"full_name": "", "id_number": bad_id, "division": "外县"}, "x"],
				demands=[{"demand": ""}],
			)
		)
	errors = raised.value.errors
	assert set(errors) == {
		"channel",
		"external_reference",
		"received_on",
		"category",
		"division",
		"headcount",
		"petitioners[0].full_name",
		"petitioners[0].id_number",
		"petitioners[0].division",
		"petitioners[1]",
		"demands[0].demand",
	}
	assert errors["channel"] == "来源渠道只能是：12345热线转办、上级交办"
	assert errors["received_on"] == "收文日期（2026-12-01）不能晚于今天"
	assert "校验" in errors["petitioners[0].id_number"] or "身份证" in errors["petitioners[0].id_number"]
	assert raised.value.message_zh.startswith("来文有 11 处需要更正：")


def test_no_petitioner_no_object_and_overlong_text_are_refused():
	with pytest.raises(intake.IntakeError) as raised:
		check(payload(petitioners=[]))
	assert raised.value.errors == {"petitioners": "至少需要一名信访人"}
	with pytest.raises(intake.IntakeError) as raised:
		check(["not", "an", "object"])
	assert raised.value.errors == {"payload": "来文应为 JSON 对象"}
	with pytest.raises(intake.IntakeError) as raised:
		check(payload(subject="长" * 141))
	assert raised.value.errors == {"subject": "信访事由过长（141 字），上限为 140 字"}
