"""网上信访 rules (xinfang_app/domain/portal.py): the form, attachments, the query code, the petitioner's view."""

from __future__ import annotations

import datetime as dt

import pytest

from xinfang_app.domain import idcard, intake, states
from xinfang_app.domain import portal as rules

TODAY = dt.date(2026, 11, 28)
PLACES = {"测试甲一村", "测试甲镇"}
CATEGORIES = {"村道交通"}


def id_number(serial: int) -> str:
	first17 = f"23990119880101{serial:03d}"
	return first17 + idcard.checksum_char(first17)


def form(**changes):
	data = {
		"full_name": "张三",
		"id_number": id_number(1),
		"phone": "139 1234 5678",
		"address": "测试甲一村3组",
		"division": "测试甲一村",
		"category": "村道交通",
		"subject": "村道损毁",
		"content": "去年雨季冲毁，至今没有修复。",
		"demands": "尽快修复\n\n雨季前完成  ",
	}
	data.update(changes)
	return data


def errors_of(**changes) -> dict:
	with pytest.raises(intake.IntakeError) as raised:
		rules.check_online(form(**changes), TODAY, PLACES, CATEGORIES)
	return raised.value.errors


def test_a_good_form_becomes_an_online_petition_of_today_with_one_demand_a_line():
	checked = rules.check_online(form(), TODAY, PLACES, CATEGORIES)
	assert (checked.channel, checked.received_on, checked.external_reference) == ("网上信访", TODAY, None)
	assert [d["demand"] for d in checked.demands] == ["尽快修复", "雨季前完成"]
	assert checked.parties == [
		intake.Party("张三", id_number(1), "13912345678", "测试甲一村3组", "测试甲一村", "本人")
	]


def test_every_wrong_field_is_named_in_chinese_with_the_desks_id_message():
	bad = id_number(1)[:17] + ("1" if id_number(1)[17] != "1" else "2")
	errors = errors_of(id_number=bad, phone="12345", division="别处", category="无", subject="", demands=" ")
	assert set(errors) == {"id_number", "phone", "division", "category", "subject", "demands"}
	with pytest.raises(idcard.IdNumberError) as desk:
		idcard.parse(bad)
	assert errors["id_number"] == desk.value.message_zh
	assert errors["phone"] == "联系电话应为 11 位手机号码或带区号的固定电话"


def test_limits_on_length_and_number_of_demands():
	assert "subject" in errors_of(subject="事" * 101)
	assert "content" in errors_of(content="字" * (rules.MAX_CONTENT + 1))
	assert "demands" in errors_of(demands="\n".join(f"诉求{i}" for i in range(rules.MAX_DEMANDS + 1)))


def test_a_landline_with_area_code_is_a_phone():
	assert rules.check_online(form(phone="0451-88886666"), TODAY, PLACES, CATEGORIES).parties[0].phone == (
		"0451-88886666"
	)


def test_the_honeypot_refuses_the_whole_form():
	assert errors_of(**{rules.HONEYPOT: "http://spam"}) == {"form": "提交未通过校验，请刷新页面后重新填写"}


def test_an_agent_needs_all_three_fields_and_is_someone_else():
	assert set(errors_of(agent_name="李四")) == {"agent_id_number", "agent_phone"}
	assert errors_of(agent_name="李四", agent_id_number=id_number(1), agent_phone="13900000000") == {
		"agent_id_number": "代理人不能是信访人本人"
	}
	checked = rules.check_online(
		form(agent_name="李四", agent_id_number=id_number(2), agent_phone="13900000000"),
		TODAY,
		PLACES,
		CATEGORIES,
	)
	assert [(p.full_name, p.party_role, p.division) for p in checked.parties] == [
		("张三", "本人", "测试甲一村"),
		("李四", "代理人", "测试甲一村"),
	]


@pytest.mark.parametrize(
	"content,name,expected",
	[
		(b"%PDF-1.7 ...", "合同.PDF", ("合同.pdf", "application/pdf")),
		(b"\xff\xd8\xff\xe0 jpeg", "photo.jpeg", ("photo.jpg", "image/jpeg")),
		(b"\x89PNG\r\n\x1a\n....", "../../etc/passwd.png", ("passwd.png", "image/png")),
		(b"\x89PNG\r\n\x1a\n....", "C:\\Users\\张\\图 1.png", ("图_1.png", "image/png")),
		(b"%PDF-", "", ("附件.pdf", "application/pdf")),
	],
)
def test_attachments_are_named_by_their_content(content, name, expected):
	assert rules.check_attachment(name, content) == expected


@pytest.mark.parametrize(
	"content,fragment",
	[
		(b"MZ\x90\x00", "不是 PDF、JPG 或 PNG"),
		(b"<html>%PDF-", "不是 PDF、JPG 或 PNG"),
		(b"", "空文件"),
		(b"%PDF-" + b"0" * rules.MAX_FILE_BYTES, "不能超过 10 MB"),
	],
)
def test_other_files_are_refused(content, fragment):
	with pytest.raises(rules.PortalError, match=fragment):
		rules.check_attachment("证据.pdf", content)


def test_query_codes_are_long_unambiguous_and_kept_as_digests():
	code = rules.new_query_code()
	plain = rules.normalize_code(code)
	assert len(plain) == rules.CODE_LENGTH >= 10
	assert set(plain) <= set(rules.CODE_ALPHABET)
	assert not set("01OIL") & set(rules.CODE_ALPHABET)
	assert len({rules.new_query_code() for _ in range(1000)}) == 1000
	digest = rules.code_digest(code)
	assert digest == rules.code_digest(" " + code.lower().replace("-", " "))  # as typed from paper
	assert len(digest) == 64 and plain not in digest
	for wrong in ("", None, "ABCD", code + "2", "' or 1=1 --", "0000-0000-0000"):
		assert rules.code_digest(wrong) is None


def test_codes_come_from_the_random_source_given():
	assert rules.new_query_code(lambda n: 0) == "2222-2222-2222"


def test_the_second_factor_is_the_last_four_of_an_id_or_a_phone():
	number = id_number(3)
	ids, phones = [number, None], ["13912345678"]
	assert rules.proof_matches(number[-4:].lower(), ids, phones)
	assert rules.proof_matches("139-1234-5678", ids, phones)
	other_tail = ("1" if number[-4] != "1" else "2") + number[-3:]
	for wrong in ("", None, other_tail, "5678", "12345678", "1391234567", "139123456789"):
		assert not rules.proof_matches(wrong, ids, phones), wrong
	assert not rules.proof_matches(number[-4:], [None], [None])


def petition(**fields):
	base = {
		"name": "XF-2026-00001",
		"workflow_state": states.HANDLING,
		"received_on": dt.date(2026, 11, 2),
		"accepted_on": dt.date(2026, 11, 20),
		"assigned_on": dt.date(2026, 11, 21),
		"forward_due": dt.date(2026, 11, 17),
		"acceptance_due": dt.date(2026, 11, 17),
		"handling_due": dt.date(2027, 1, 19),
	}
	base.update(fields)
	return base


def test_the_view_says_which_deadline_was_met_and_which_was_missed():
	view = rules.petitioner_view(petition(), [], TODAY)
	assert view["state"] == "办理中"
	assert [s["label"] for s in view["steps"]] == ["登记", "受理", "交办承办单位"]
	assert [(d["label"], d["status"]) for d in view["deadlines"]] == [
		("转送、交办期限", "超期完成"),
		("受理告知期限", "超期完成"),
		("办理答复期限", "未到期"),
	]
	late = rules.petitioner_view(petition(handling_due=dt.date(2026, 11, 27)), [], TODAY)
	assert late["deadlines"][-1]["status"] == "已超期"
	replied = rules.petitioner_view(
		petition(workflow_state=states.REPLY_ISSUED, replied_on=dt.date(2026, 11, 25), extended_due=TODAY),
		[],
		TODAY,
	)
	assert replied["state"] == "已答复"
	assert replied["deadlines"][-1] == {
		"label": "办理答复期限（已延期）",
		"due": "2026-11-28",
		"done_on": "2026-11-25",
		"status": "按期完成",
	}


def test_a_refused_matter_has_its_notice_date_and_no_open_forwarding_deadline():
	p = petition(
		workflow_state=states.NOT_ACCEPTED,
		accepted_on=None,
		assigned_on=None,
		handling_due=None,
		notice_date=dt.date(2026, 11, 10),
	)
	view = rules.petitioner_view(p, [], TODAY)
	assert view["state"] == "不予受理"
	assert [s["label"] for s in view["steps"]] == ["登记", "不予受理，已书面告知"]
	assert view["deadlines"] == [
		{"label": "受理告知期限", "due": "2026-11-17", "done_on": "2026-11-10", "status": "按期完成"}
	]
	assert rules.notices_for(p, []) == [("不予受理告知书", "Petition", "XF-2026-00001")]


def test_reviews_add_their_steps_deadlines_and_notices():
	reviews = [
		{
			"name": "FC-2026-00001",
			"review_type": "复查",
			"requested_on": dt.date(2026, 11, 26),
			"review_due": dt.date(2026, 12, 26),
			"decided_on": None,
		}
	]
	p = petition(workflow_state=states.REVIEW_REQUESTED, replied_on=dt.date(2026, 11, 24), extension_count=1)
	view = rules.petitioner_view(p, reviews, TODAY)
	assert view["state"] == "复查中"
	assert view["steps"][-1] == {"label": "申请复查", "on": "2026-11-26"}
	assert view["deadlines"][-1]["label"] == "复查期限"
	assert [n[0] for n in rules.notices_for(p, reviews)] == ["受理告知书", "延期告知书", "信访处理意见书"]
	decided = [{**reviews[0], "decided_on": TODAY}]
	assert rules.notices_for(p, decided)[-1] == ("复查意见书", "Petition Review", "FC-2026-00001")


def test_rating_and_review_follow_the_desks_rules():
	assert rules.rating_open(petition(workflow_state=states.REPLY_ISSUED, satisfaction="未评价"))
	assert not rules.rating_open(petition(workflow_state=states.FOLLOW_UP, satisfaction="满意"))
	assert not rules.rating_open(petition(workflow_state=states.HANDLING))
	assert rules.review_to_request(petition(workflow_state=states.FOLLOW_UP), []) == "复查"
	assert rules.review_to_request(petition(workflow_state=states.HANDLING), []) is None
	asked = [{"review_type": "复查"}]
	assert rules.review_to_request(petition(workflow_state=states.REVIEWED), asked) == "复核"
	assert rules.review_to_request(petition(workflow_state=states.RESOLVED), asked) is None


def test_every_state_has_a_plain_name():
	assert set(rules.PLAIN_STATES) == set(states.STATES)
