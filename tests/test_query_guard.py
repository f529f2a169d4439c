"""The structural query guard (pure, no frappe): only structured filters on plain fieldnames pass."""

import json

import pytest

from xinfang_app.domain import query_guard as qg
from xinfang_app.domain.query_guard import Condition, Field, QueryGuardError

SUBQUERY = "(select substr(id_number,1,6) from tabPetitioner limit 1)"
RAW_SQL = [
	"1=1",
	"1=1) or (1=1",
	f"`tabPetition`.`name` is not null and {SUBQUERY}='110101'",
	"name = 'x' -- ",
	"name /* */ = 'x'",
	"ifnull(`division`,'')!=''",
	"sleep(5)",
]


def refused(call, *args, **kwargs) -> str:
	with pytest.raises(QueryGuardError) as info:
		call(*args, **kwargs)
	assert info.value.message_zh == str(info.value)
	return info.value.message_zh


# ---- accepted shapes --------------------------------------------------------------------------------------


@pytest.mark.parametrize("empty", [None, "", "  ", "[]", "{}", [], {}, ()])
def test_nothing_is_no_condition(empty):
	assert qg.parse_filters(empty) == []


def test_dict_filters_become_conditions():
	assert qg.parse_filters({"division": "测试甲一村", "workflow_state": ["!=", "已办结"]}) == [
		Condition("division", "=", "测试甲一村"),
		Condition("workflow_state", "!=", "已办结"),
	]


def test_list_filters_of_three_and_four_elements():
	filters = [["division", "in", ["a", "b"]], ["Petition", "received_on", ">=", "2026-01-01"]]
	assert qg.parse_filters(filters) == [
		Condition("division", "in", ["a", "b"]),
		Condition("received_on", ">=", "2026-01-01", "Petition"),
	]


def test_json_string_of_either_form_is_parsed():
	rows = [["Petition", "name", "like", "%XF%"]]
	assert qg.parse_filters(json.dumps(rows)) == [Condition("name", "like", "%XF%", "Petition")]
	assert qg.parse_filters('{"docstatus": 0}') == [Condition("docstatus", "=", 0)]


def test_the_desk_filter_areas_hidden_flag_is_dropped():
	rows = [["Reception Schedule", "division", "=", "测试甲镇", False], ["Petition", "idx", ">", 0, None]]
	assert qg.parse_filters(rows) == [
		Condition("division", "=", "测试甲镇", "Reception Schedule"),
		Condition("idx", ">", 0, "Petition"),
	]


def test_single_key_dicts_inside_a_list_are_accepted():
	assert qg.parse_filters([{"status": "Open"}]) == [Condition("status", "=", "Open")]


def test_condition_as_list_uses_the_querys_doctype_by_default():
	assert Condition("name", "=", "x").as_list("Petition") == ["Petition", "name", "=", "x"]
	assert Condition("party_name", "=", "x", "Dispute Party").as_list("Dispute Ledger Entry") == [
		"Dispute Party",
		"party_name",
		"=",
		"x",
	]


@pytest.mark.parametrize(
	"operator, value",
	[
		("=", "x"),
		("!=", None),
		(">", 3),
		("<", 2.5),
		(">=", "2026-01-01"),
		("<=", "2026-01-01 10:00:00"),
		("like", "%低保%"),
		("not like", "%x%"),
		("in", ["a", "b", 1]),
		("not in", "a,b"),
		("in", []),
		("is", "set"),
		("is", "not set"),
		("between", ["2026-01-01", "2026-01-31"]),
		("timespan", "this month"),
		("previous", "1 week"),
		("next", "6 months"),
		("descendants of", "测试县"),
		("descendants of (inclusive)", "测试县"),
		("not descendants of", "测试县"),
		("ancestors of", "测试甲一村"),
		("not ancestors of", "测试甲一村"),
		("=", True),
	],
)
def test_every_frappe_operator_with_its_value_passes(operator, value):
	(condition,) = qg.parse_filters([["division", operator, value]])
	assert condition.operator == operator
	assert condition.value == value


def test_operators_are_normalised_to_lower_case_and_single_spaces():
	(condition,) = qg.parse_filters([["name", "NOT  IN", ["a"]]])
	assert condition.operator == "not in"
	(condition,) = qg.parse_filters({"name": ["Like", "%a%"]})
	assert condition.operator == "like"


def test_subqueries_and_quotes_in_values_are_only_values():
	# Frappe escapes values; a value that reads like SQL is harmless and must not be refused.
	for value in [f"x' or {SUBQUERY}='1", "1=1) or (1=1", "--", "/* */", "`tabUser`"]:
		assert qg.parse_filters({"subject": value}) == [Condition("subject", "=", value)]
		assert qg.parse_filters([["subject", "in", [value]]]) == [Condition("subject", "in", [value])]


# ---- refused filters -------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", RAW_SQL)
def test_a_raw_sql_string_is_refused(raw):
	assert refused(qg.parse_filters, raw) == qg.FORMAT_MESSAGE


@pytest.mark.parametrize("raw", RAW_SQL)
def test_a_string_inside_the_list_is_refused(raw):
	assert refused(qg.parse_filters, [["name", "=", "x"], raw]) == qg.FORMAT_MESSAGE
	assert refused(qg.parse_filters, json.dumps([raw])) == qg.FORMAT_MESSAGE


@pytest.mark.parametrize("scalar", ['"1=1"', "1", "true", "null", 1, 2.5, True])
def test_json_that_is_not_a_list_or_dict_is_refused(scalar):
	assert refused(qg.parse_filters, scalar) == qg.FORMAT_MESSAGE


@pytest.mark.parametrize(
	"row", [[], ["name"], ["name", "="], ["a", "b", "c", "d", "e"], ["a", "b", "=", "c", "hidden"]]
)
def test_rows_of_the_wrong_length_are_refused(row):
	assert refused(qg.parse_filters, [row]) == qg.FORMAT_MESSAGE


@pytest.mark.parametrize(
	"fieldname",
	[
		"1=1",
		"1=1) or (1=1",
		"petitioner.phone",
		"`phone`",
		"`tabPetitioner`.`id_number`",
		"name--",
		"name -- x",
		"name/**/",
		"ifnull(name,'')",
		f"name={SUBQUERY}",
		"Name",
		"名称",
		"ｎａｍｅ",  # fullwidth letters
		"name\n",
		"name ",
		"na\u200bme",  # zero-width space
		"",
		"x" * 65,
		"1name",
		None,
		3,
	],
)
def test_fieldnames_that_are_not_plain_are_refused_naming_the_field(fieldname):
	message = refused(qg.parse_filters, [[fieldname, "=", "x"]])
	assert message.startswith("不能按字段")
	assert message.endswith("筛选")
	if isinstance(fieldname, str) and fieldname.strip() == "petitioner.phone":
		assert "petitioner.phone" in message


def test_dict_keys_are_fieldnames_too():
	assert refused(qg.parse_filters, {"1=1) or (1=1": "x"}).startswith("不能按字段")
	assert refused(qg.parse_filters, {"petitioner.phone": "x"}).startswith("不能按字段")


@pytest.mark.parametrize(
	"doctype", ["`tabPetition`", "Petition`; drop", "tabPetition.name", "", "1Petition", 5]
)
def test_a_malformed_doctype_in_a_four_element_filter_is_refused(doctype):
	assert refused(qg.parse_filters, [[doctype, "name", "=", "x"]]).startswith("不能查询单据类型")


@pytest.mark.parametrize(
	"operator", ["==", "<>", "regexp", "or", "= 1 or 1=", "like binary", "exists", "", None, ["="]]
)
def test_unknown_operators_are_refused(operator):
	assert refused(qg.parse_filters, [["name", operator, "x"]]).startswith("不支持的筛选运算符")


@pytest.mark.parametrize(
	"value",
	[
		{"select": "x"},
		["a", "b"],
		[["a"]],
		float("nan"),
		float("inf"),
		"x" * (qg.MAX_TEXT + 1),
		object(),
	],
)
def test_values_that_are_not_scalars_are_refused(value):
	assert "筛选值格式不正确" in refused(qg.parse_filters, [["subject", "=", value]])


def test_nested_dicts_are_refused_as_values_in_every_form():
	assert "筛选值格式不正确" in refused(qg.parse_filters, {"subject": {"$ne": 1}})
	assert "筛选值格式不正确" in refused(qg.parse_filters, {"subject": ["=", {"a": 1}]})
	assert "筛选值格式不正确" in refused(qg.parse_filters, [["name", "in", [{"a": 1}]]])


def test_dict_values_must_be_operator_and_value():
	assert refused(qg.parse_filters, {"name": ["in", ["a"], "extra"]}) == qg.FORMAT_MESSAGE
	assert refused(qg.parse_filters, {"name": ["a"]}) == qg.FORMAT_MESSAGE
	assert refused(qg.parse_filters, {"name": ["a", "b"]}).startswith("不支持的筛选运算符")


def test_huge_lists_are_refused():
	assert qg.parse_filters([["name", "in", ["x"] * qg.MAX_VALUES]])
	assert "最多 1000 个" in refused(qg.parse_filters, [["name", "in", ["x"] * (qg.MAX_VALUES + 1)]])
	assert "最多 1000 个" in refused(qg.parse_filters, [["name", "in", ",".join(["x"] * 1001)]])


def test_too_many_conditions_are_refused():
	rows = [["name", "!=", str(i)] for i in range(qg.MAX_CONDITIONS + 1)]
	assert "筛选条件过多" in refused(qg.parse_filters, rows)


@pytest.mark.parametrize("value", ["1=1", "", None, "SET NULL", ["set"]])
def test_is_takes_only_set_or_not_set(value):
	assert "set" in refused(qg.parse_filters, [["name", "is", value]])


def test_is_value_is_normalised():
	assert qg.parse_filters([["name", "is", " Not Set "]]) == [Condition("name", "is", "not set")]


@pytest.mark.parametrize("value", ["2026-01-01", ["a", "b", "c"], [], [{"a": 1}, "b"]])
def test_between_takes_one_or_two_scalars(value):
	assert "介于" in refused(qg.parse_filters, [["received_on", "between", value]])


@pytest.mark.parametrize(
	"operator, value", [("timespan", "last decade"), ("timespan", "1=1"), ("next", "2 weeks")]
)
def test_timespans_are_frappes_only(operator, value):
	assert "时间范围" in refused(qg.parse_filters, [["received_on", operator, value]])


@pytest.mark.parametrize("value", [["a"], {"a": 1}])
def test_tree_operators_take_a_single_value(value):
	assert "筛选值格式不正确" in refused(qg.parse_filters, [["division", "descendants of", value]])


def test_messages_escape_what_they_quote():
	message = refused(qg.parse_filters, [["<img src=x onerror=alert(1)>", "=", "x"]])
	assert "<img" not in message
	assert "&lt;img" in message


def test_messages_shorten_long_parts():
	message = refused(qg.parse_filters, [["a" * 30 + "." + "b" * 100, "=", "x"]])
	assert "…" in message
	assert len(message) < 80


# ---- fields, order, group --------------------------------------------------------------------------------


def test_plain_fields_in_a_list_json_or_comma_string():
	assert qg.parse_fields(["name", "subject"]) == [Field("name"), Field("subject")]
	assert qg.parse_fields('["name", "subject"]') == [Field("name"), Field("subject")]
	assert qg.parse_fields("name, subject") == [Field("name"), Field("subject")]
	assert qg.parse_fields(None) == []
	assert qg.parse_fields("") == []


@pytest.mark.parametrize(
	"field",
	[
		"count(*)",
		"`tabPetition`.`name`",
		"petitioner.phone",
		"name as n",
		f"{SUBQUERY} as x",
		"sum(name)",
		"version()",
		"*",
		"name--",
		"Name",
		1,
		None,
	],
)
def test_fields_other_than_plain_names_are_refused(field):
	assert refused(qg.parse_fields, [field]).startswith("不能查询字段")


def test_count_only_where_the_endpoint_allows_it():
	assert qg.parse_fields(["division", "count(*)", "COUNT( name )"], allow_count=True) == [
		Field("division"),
		Field(None, "count"),
		Field("name", "count"),
	]
	assert str(Field(None, "count")) == "count(*)"
	assert str(Field("name", "count")) == "count(name)"
	for field in ["count(distinct name)", f"count({SUBQUERY})", "count(*) as x", "count(`name`)", "sum(x)"]:
		assert refused(qg.parse_fields, [field], allow_count=True).startswith("不能查询字段")


def test_fields_given_as_a_dict_or_raw_string_are_refused():
	assert refused(qg.parse_fields, '{"a": 1}').startswith("不能查询字段")
	assert refused(qg.parse_fields, {"a": 1}) == qg.FIELDS_FORMAT_MESSAGE
	assert refused(qg.parse_fields, "[1") == qg.FIELDS_FORMAT_MESSAGE
	assert refused(qg.parse_fields, "name, (select 1)").startswith("不能查询字段")


def test_order_by_is_plain_fields_with_directions():
	assert qg.parse_order_by("received_on desc, name") == [("received_on", "desc"), ("name", "asc")]
	assert qg.parse_order_by("modified DESC") == [("modified", "desc")]
	assert qg.parse_order_by("") == []
	assert qg.parse_order_by(None) == []
	assert qg.format_order_by([("received_on", "desc"), ("name", "asc")]) == "received_on desc, name asc"


@pytest.mark.parametrize(
	"order_by",
	[
		"`tabPetition`.`modified` desc",
		"petitioner.phone",
		f"{SUBQUERY}",
		"if(1=1,name,modified)",
		"name desc -- ",
		"name /* */ desc",
		"name desc limit 1",
		"name sideways",
		"(select 1)",
		"name;drop table x",
		"name\tdesc",
		",",
		["name"],
	],
)
def test_order_by_with_anything_else_is_refused(order_by):
	message = refused(qg.parse_order_by, order_by)
	assert message.startswith("不能按") or message.startswith("排序字段过多")
	assert message.endswith("排序")


def test_order_by_has_a_cap():
	assert "排序字段过多" in refused(qg.parse_order_by, ", ".join(["name"] * 11))


def test_group_by_is_one_plain_field():
	assert qg.parse_group_by("division") == "division"
	assert qg.parse_group_by(" division ") == "division"
	assert qg.parse_group_by(None) is None
	for group_by in ["division, name", "`tabPetition`.division", "date(received_on)", SUBQUERY, 1]:
		assert refused(qg.parse_group_by, group_by).endswith("分组")


def test_direction_is_asc_or_desc():
	assert qg.parse_direction("ASC") == "asc"
	assert qg.parse_direction(None) == "desc"
	for direction in ["up", "desc, (select 1)", "desc --", 1]:
		assert "排序方向" in refused(qg.parse_direction, direction)


def test_the_guarded_methods_are_one_list_of_frappe_methods_and_app_wrappers():
	assert "frappe.client.get_count" in qg.GUARDED_METHODS
	assert "frappe.desk.search.search_link" in qg.GUARDED_METHODS
	for original, wrapper in qg.GUARDED_METHODS.items():
		assert original.startswith("frappe.")
		assert wrapper.startswith("xinfang_app.api.")


def test_list_channels_accept_the_desks_columns_and_aliases():
	fields = [
		"`tabPetition`.`name`",
		"`tabPetition Party`.`petitioner` as party",
		"count(*) as total",
		"subject",
	]
	assert [str(f) for f in qg.parse_fields(fields, allow_count=True, columns=True)] == [
		"`tabPetition`.`name`",
		"`tabPetition Party`.`petitioner` as party",
		"count(*) as total",
		"subject",
	]
	assert qg.parse_fields(["`tabPetition`.`name`"], columns=True) == [Field("name", None, "Petition")]
	assert qg.parse_order_by("`tabPetition Party`.`parent` desc, name", columns=True) == [
		("Petition Party", "parent", "desc"),
		(None, "name", "asc"),
	]
	assert qg.format_order_by(qg.parse_order_by("`tabPetition`.`modified` DESC", columns=True)) == (
		"`tabPetition`.`modified` desc"
	)
	assert qg.parse_group_by("`tabPetition`.`division`", columns=True) == ("Petition", "division")
	# "*" alone (the desk's frappe.db.get_list): Frappe narrows it to the fields the user may read
	assert [str(f) for f in qg.parse_fields(["*"], columns=True)] == ["*"]
	assert [str(f) for f in qg.parse_fields("*", columns=True)] == ["*"]
	assert refused(qg.parse_fields, ["name", "*"], columns=True).startswith("不能查询字段")


@pytest.mark.parametrize(
	"field",
	[
		"petitioner.phone",
		f"{SUBQUERY} as x",
		"`tabPetition`.`name` as `x`",
		"`tabPetition`.name",
		"`tabPetition`.`name`--",
		"`tab(select 1)`.`name`",
		"`tabPetition`.`Name`",
		"name as x, id_number",
		"count(distinct name)",
	],
)
def test_list_channels_refuse_anything_else(field):
	assert refused(qg.parse_fields, [field], allow_count=True, columns=True).startswith("不能查询字段")


@pytest.mark.parametrize(
	"order_by", ["petitioner.phone", "`tabPetition`.`name` sideways", f"{SUBQUERY}", "name desc limit 1"]
)
def test_list_channels_refuse_other_orders(order_by):
	assert refused(qg.parse_order_by, order_by, columns=True).startswith("不能按")
