"""The reporter of an accusation stays secret: the pure rules (xinfang_app/domain/secrecy.py)."""

from __future__ import annotations

import json
from pathlib import Path

import metadata_checks as mc
import pytest

from xinfang_app.domain import access
from xinfang_app.domain import secrecy as sec

DOCTYPE_DIR = Path(__file__).resolve().parents[1] / "xinfang_app" / "xinfang_app" / "doctype"
REPORTER = {
	"name": "row1",
	"idx": 1,
	"petitioner": "XFR-00001",
	"full_name": "张三",
	"party_role": "本人",
	"id_number_masked": "2***************5",
}


def test_only_the_accusation_class_is_an_accusation():
	assert sec.is_accusation("检举控告")
	assert sec.is_accusation(" 检举控告 ")
	for other in ("申诉求决", "建议意见", "", None):
		assert not sec.is_accusation(other)


@pytest.mark.parametrize("role", [access.COUNTY_OFFICER, access.SUPERVISOR, access.MANAGER])
def test_county_officer_supervisor_and_manager_may_see_the_reporter(role):
	assert sec.may_see_reporter([role, "All"])


@pytest.mark.parametrize(
	"role",
	[
		access.VILLAGE_OFFICER,
		access.TOWNSHIP_OFFICER,
		access.UNIT_HANDLER,
		access.LEADER,
		access.MEDIATOR,
		"System Manager",
	],
)
def test_every_other_role_may_not(role):
	assert not sec.may_see_reporter([role, "All", "Desk User"])
	assert sec.hides_reporter("检举控告", [role])
	assert not sec.hides_reporter("申诉求决", [role])


def test_the_administrator_user_may_see_the_reporter_whatever_the_roles():
	assert sec.may_see_reporter([], "Administrator")
	assert not sec.may_see_reporter([], "someone@example.cn")


def test_a_masked_party_keeps_its_role_and_row_but_not_the_person():
	masked = sec.masked_party(REPORTER)
	assert masked == {**REPORTER, "petitioner": None, "full_name": "举报人", "id_number_masked": None}
	assert REPORTER["full_name"] == "张三"  # the input is not changed
	assert "张三" not in json.dumps(masked, ensure_ascii=False)


def test_version_data_is_masked_for_added_removed_and_changed_party_rows():
	data = {
		"changed": [["petition_class", "申诉求决", "检举控告"]],
		"added": [["petitioners", REPORTER], ["demands", {"demand": "补发低保金"}]],
		"removed": [["petitioners", {**REPORTER, "full_name": "李四", "petitioner": "XFR-00002"}]],
		"row_changed": [
			["petitioners", 1, "row1", [["full_name", "张三", "张叁"], ["party_role", "本人", "代表"]]],
			["demands", 1, "d1", [["demand", "甲", "乙"]]],
		],
	}
	masked = sec.masked_version_data(data)
	text = json.dumps(masked, ensure_ascii=False)
	for secret in ("张三", "张叁", "李四", "XFR-00001", "XFR-00002", "2***************5"):
		assert secret not in text
	assert masked["changed"] == data["changed"]
	assert masked["added"][1] == ["demands", {"demand": "补发低保金"}]
	assert masked["row_changed"][0][3] == [["full_name", "举报人", "举报人"], ["party_role", "本人", "代表"]]
	assert masked["row_changed"][1] == data["row_changed"][1]
	assert "张三" in json.dumps(data, ensure_ascii=False)  # the input is not changed


def test_version_data_without_party_changes_is_unchanged():
	data = {"changed": [["subject", "甲", "乙"]], "added": [], "removed": [], "row_changed": []}
	assert sec.masked_version_data(data) == data
	assert sec.masked_version_data({}) == {}


def test_the_wrapped_methods_are_frappe_methods_replaced_by_the_apps_wrappers():
	assert set(sec.SECRECY_METHODS) == {
		"frappe.desk.form.load.getdoc",
		"frappe.desk.form.load.get_docinfo",
		"frappe.desk.form.save.savedocs",
		"frappe.www.printview.get_html_and_style",
	}
	for original, wrapper in sec.SECRECY_METHODS.items():
		assert wrapper == "xinfang_app.secrecy." + original.rsplit(".", 1)[1]


def test_the_read_kinds_are_the_two_sensitive_reads_and_the_logs_options():
	assert sec.READ_KINDS == ("举报人身份", "完整身份证号")
	log = json.loads((DOCTYPE_DIR / "sensitive_read_log" / "sensitive_read_log.json").read_text("utf-8"))
	kind = next(f for f in log["fields"] if f["fieldname"] == "read_kind")
	assert tuple(kind["options"].split("\n")) == sec.READ_KINDS


def test_the_read_log_is_read_only_and_read_by_supervisors_managers_and_system_managers():
	log = json.loads((DOCTYPE_DIR / "sensitive_read_log" / "sensitive_read_log.json").read_text("utf-8"))
	assert {p["role"] for p in log["permissions"]} == {access.SUPERVISOR, access.MANAGER, "System Manager"}
	for permission in log["permissions"]:
		assert permission["read"] == 1
		for right in ("write", "create", "delete", "submit", "amend", "import", "share"):
			assert not permission.get(right), (permission["role"], right)
	assert log["in_create"] == 1
	assert all(f.get("read_only") for f in log["fields"] if f["fieldtype"] != "Column Break")


@pytest.mark.parametrize(
	"query",
	[
		{"fields": ["`tabPetition`.`name`", "`tabPetition Party`.`full_name`"]},
		{"fields": ["name", "petitioners.full_name"]},
		{"filters": [["Petition Party", "full_name", "=", "张三"]]},
		{"filters": '[["Petition Party","petitioner","=","XFR-00001"]]'},
		{"or_filters": {"petitioners.full_name": "张三"}},
		{"group_by": "`tabPetition Party`.`full_name`"},
		{"order_by": "`tabPetition Party`.`full_name` desc"},
		{"fieldname": ["`tabPetition Party`.`full_name`"]},
		{"field": "`tabPetition Party`.`petitioner`"},
	],
)
def test_a_query_naming_the_party_table_is_recognised(query):
	assert sec.mentions_parties(query)


def test_a_query_of_the_petitions_own_fields_is_not():
	assert not sec.mentions_parties(
		{"fields": ["name", "subject", "petition_class"], "filters": {"division": "测试甲一村"}, "cmd": "x"}
	)
	assert not sec.mentions_parties({})


def test_accusations_are_left_out_of_every_shape_of_filters():
	no = ["Petition", "petition_class", "!=", "检举控告"]
	assert sec.without_accusations(None) == [no]
	assert sec.without_accusations([]) == [no]
	assert sec.without_accusations("XF-2025-00001") == [["Petition", "name", "=", "XF-2025-00001"], no]
	assert sec.without_accusations({"division": "甲"}) == {
		"division": "甲",
		"petition_class": ["!=", "检举控告"],
	}
	assert sec.without_accusations({"petition_class": "检举控告", "light": ["in", ["Red"]]}) == [
		["petition_class", "=", "检举控告"],
		["light", "in", ["Red"]],
		no,
	]
	assert sec.without_accusations([["Petition Party", "full_name", "=", "张三"]]) == [
		["Petition Party", "full_name", "=", "张三"],
		no,
	]
	assert sec.without_accusations(["name", "=", "XF-1"]) == [["name", "=", "XF-1"], no]


def test_full_id_numbers_are_record_only_and_found_among_export_columns():
	assert sec.record_only("Petitioner", "id_number")
	assert sec.record_only("Dispute Party", "id_number")
	assert not sec.record_only("Petitioner", "id_number_masked")
	assert not sec.record_only("Petition", "id_number")
	assert sec.exported_record_only_fields(
		{"Petitioner": ["name", "id_number"], "Dispute Party": ["party_name", "id_number"]}
	) == ["Petitioner.id_number", "Dispute Party.id_number"]
	assert sec.exported_record_only_fields({"Petitioner": ["name", "id_number_masked"], "X": None}) == []


def test_every_record_only_field_is_a_protected_field_of_its_doctype():
	"""A record-only field stands above level 0, so only the roles that read it on the record get it there."""
	doctypes, _ = mc.load_doctypes()
	for doctype, fieldname in sec.RECORD_ONLY_FIELDS:
		field = next(df for df in doctypes[doctype]["fields"] if df["fieldname"] == fieldname)
		assert field.get("permlevel", 0) > 0, (doctype, fieldname)
