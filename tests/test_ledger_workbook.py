"""Parsing township dispute ledgers (矛盾纠纷排查台账) and building the export and error workbooks.

Every workbook is built here with openpyxl, in memory, in the shapes townships actually send: title rows,
merged cells, blank rows, 合计 lines, one sheet per village.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from xinfang_app.domain import ledger_workbook as lw
from xinfang_app.domain.ledger_workbook import CellError, CellValueError, entry_key, parse_date

HEADERS = [
	"序号",
	"村（社区）",
	"排查日期",
	"纠纷类型",
	"当事人",
	"纠纷简要情况",
	"管理等级",
	"责任单位",
	"化解路径",
	"化解状态",
	"化解日期",
	"填报人",
	"备注",
]
BASE = {
	"村（社区）": "石桥村",
	"排查日期": "2026-01-05",
	"纠纷类型": "邻里纠纷",
	"当事人": "张三、李四",
	"纠纷简要情况": "宅基地边界争议",
	"管理等级": "一级",
	"责任单位": "青山镇司法所",
	"化解路径": "属地牵头",
	"化解状态": "化解中",
	"化解日期": None,
	"填报人": "王五",
	"备注": None,
}
LOOKUPS = {
	"division": {"石桥村": "DIV-SQ", "河口村": "DIV-HK"},
	"dispute_type": {"邻里纠纷": "CAT-LL", "土地承包和宅基地": "CAT-TD"},
	"responsible_unit": {"青山镇司法所": "UNIT-SF", "青山镇综治中心": "UNIT-ZZ"},
}
D = date(2026, 1, 5)


def line(n: int, headers: list[str] = HEADERS, **values) -> list:
	"""One data row in `headers` order; the summary carries `n` so rows are not duplicates of each other."""
	cells = {**BASE, "序号": n, "纠纷简要情况": f"宅基地边界争议（第{n}起）"}
	cells.update(values)
	return [cells.get(header) for header in headers]


def xlsx(sheets: dict[str, list[list]], setup: dict | None = None, hidden: tuple[str, ...] = ()) -> bytes:
	book = Workbook()
	book.remove(book.active)
	for title, rows in sheets.items():
		sheet = book.create_sheet(title)
		for row in rows:
			sheet.append(row)
		if setup and title in setup:
			setup[title](sheet)
		if title in hidden:
			sheet.sheet_state = "hidden"
	buffer = io.BytesIO()
	book.save(buffer)
	return buffer.getvalue()


def ledger(*rows: list, headers: list[str] = HEADERS, title: str = "台账") -> bytes:
	return xlsx({title: [headers, *rows]})


def parse(data: bytes, **kwargs) -> lw.ParseResult:
	kwargs.setdefault("lookups", LOOKUPS)
	return lw.parse_ledger_workbook(data, **kwargs)


def messages(result: lw.ParseResult) -> list[str]:
	return [error.text for error in result.errors]


# --- reading rows -----------------------------------------------------------------------------------------


def test_row_is_read_into_typed_values_with_record_ids():
	result = parse(ledger(line(1, 备注="已约谈双方")))
	assert result.errors == []
	(row,) = result.rows
	assert (row.sheet, row.row_number) == ("台账", 2)
	assert row.values == {
		"division": "DIV-SQ",
		"found_on": D,
		"dispute_type": "CAT-LL",
		"parties": "张三、李四",
		"summary": "宅基地边界争议（第1起）",
		"tier": "一级",
		"responsible_unit": "UNIT-SF",
		"resolution_path": "主管部门或属地牵头",
		"status": "化解中",
		"resolved_on": None,
		"reported_by": "王五",
		"remarks": "已约谈双方",
	}
	assert row.labels == {
		"division": "石桥村",
		"dispute_type": "邻里纠纷",
		"responsible_unit": "青山镇司法所",
	}
	assert row.party_names == ["张三", "李四"]
	assert row.key == entry_key("DIV-SQ", D, "张三、李四", "宅基地边界争议（第1起）")
	assert result.total_rows == 1


def test_columns_in_any_order():
	shuffled = list(reversed(HEADERS))
	result = parse(ledger(line(1, shuffled, 管理等级="三级"), headers=shuffled))
	assert result.errors == []
	assert result.rows[0].values["tier"] == "三级"
	assert result.rows[0].values["division"] == "DIV-SQ"
	assert result.rows[0].values["found_on"] == D


def test_headers_with_spaces_line_breaks_full_width_and_required_markers():
	messy = [
		" 序 号 ",
		"村(社区)",
		"排查\n日期＊",
		"纠纷类型\r\n",
		"当\u3000事\u3000人（必填）",
		"纠纷简要情况*",
		"管理等级(必填)",
		"责任单位（必填）*",
		"化解路径",
		"＊化解状态",
		"化解日期（yyyy-mm-dd）",
		"填报人",
		"备注",
	]
	result = parse(ledger(line(1, 化解状态="已化解", 化解日期="2026-01-09"), headers=messy))
	assert result.errors == []
	assert result.unknown_columns == []
	values = result.rows[0].values
	assert (values["found_on"], values["parties"], values["status"]) == (D, "张三、李四", "已化解观察期")
	assert values["resolved_on"] == date(2026, 1, 9)


def test_header_aliases_are_recognised():
	aliases = ["村", "发现日期", "矛盾类型", "当事人姓名", "基本情况", "等级", "包案单位", "化解方式", "状态"]
	aliases += ["化解时间", "排查人"]
	row = ["河口村", "2026-01-05", "土地承包和宅基地", "赵六", "承包地界址", "二级", "青山镇综治中心", "联办"]
	row += ["已化解", "2026-01-20", "孙七"]
	result = parse(ledger(row, headers=aliases))
	assert result.errors == []
	values = result.rows[0].values
	assert values["division"] == "DIV-HK"
	assert values["dispute_type"] == "CAT-TD"
	assert values["responsible_unit"] == "UNIT-ZZ"
	assert (values["tier"], values["resolution_path"], values["status"]) == (
		"二级",
		"联办协调",
		"已化解观察期",
	)
	assert (values["resolved_on"], values["reported_by"]) == (date(2026, 1, 20), "孙七")


def test_title_and_unit_rows_above_the_header():
	def merge_title(sheet):
		sheet.merge_cells("A1:M1")
		sheet.merge_cells("A2:M2")

	rows = [
		["青山镇矛盾纠纷排查台账（2026年第3周）"],
		["填报单位：青山镇综治中心    填报日期：2026年1月16日"],
		[],
		HEADERS,
		line(1),
	]
	result = parse(xlsx({"台账": rows}, {"台账": merge_title}))
	assert result.errors == []
	assert [row.row_number for row in result.rows] == [5]


def test_header_merged_over_two_rows_starts_data_below_the_merge():
	def merge_header(sheet):
		sheet.merge_cells("A1:M1")
		for col in "ABCDEFGHIJKL":
			sheet.merge_cells(f"{col}2:{col}3")

	# 备注 is not merged and carries a hint under it; that hint row is part of the header, not data.
	rows = [["台账"], HEADERS, [None] * 12 + ["（选填）"], line(1), line(2)]
	result = parse(xlsx({"台账": rows}, {"台账": merge_header}))
	assert result.errors == []
	assert result.unknown_columns == []
	assert [row.row_number for row in result.rows] == [4, 5]


def test_group_header_over_sub_headers():
	top = [*HEADERS[:9], "化解情况", None, "填报人", "备注"]
	sub = [None] * 9 + ["化解状态", "化解日期", None, None]

	def merge_header(sheet):
		for col in "ABCDEFGHILM":
			sheet.merge_cells(f"{col}1:{col}2")
		sheet.merge_cells("J1:K1")

	rows = [top, sub, line(1, 化解状态="已化解", 化解日期="2026/1/8")]
	result = parse(xlsx({"台账": rows}, {"台账": merge_header}))
	assert result.errors == []
	assert result.unknown_columns == []
	assert result.rows[0].row_number == 3
	assert result.rows[0].values["status"] == "已化解观察期"
	assert result.rows[0].values["resolved_on"] == date(2026, 1, 8)


def test_vertically_merged_village_belongs_to_every_row_it_covers():
	rows = [HEADERS, line(1, **{"村（社区）": "河口村"}), line(2), line(3), line(4)]

	def merge_village(sheet):
		sheet["B3"] = None
		sheet["B4"] = None
		sheet.merge_cells("B2:B4")

	result = parse(xlsx({"台账": rows}, {"台账": merge_village}))
	assert result.errors == []
	assert [row.values["division"] for row in result.rows] == ["DIV-HK", "DIV-HK", "DIV-HK", "DIV-SQ"]


def test_blank_rows_are_skipped_anywhere_and_row_numbers_stay_excel_numbers():
	only_serial = [7] + [None] * (len(HEADERS) - 1)
	rows = [HEADERS, line(1), [], [None, "  ", "\u3000", None], line(2), only_serial, [], line(3), []]
	result = parse(ledger(*rows[1:]))
	assert result.errors == []
	assert [row.row_number for row in result.rows] == [2, 5, 8]
	assert result.total_rows == 3


def test_total_and_notes_rows_are_not_data():
	def merge_total(sheet):
		sheet.merge_cells("A4:M4")

	rows = [
		HEADERS,
		line(1),
		line(2),
		["合计 2 件"],
		["填表说明：", None, None],
		["1. 排查日期按 2026-01-05 填写", "随便写的内容"],
		[None, "2. 管理等级填一级、二级或三级"],
	]
	result = parse(xlsx({"台账": rows}, {"台账": merge_total}))
	assert result.errors == []
	assert [row.row_number for row in result.rows] == [2, 3]
	assert result.total_rows == 2


def test_subtotal_rows_between_villages_are_skipped():
	rows = [line(1), ["小计", None, None, None, "1 件"], line(2, **{"村（社区）": "河口村"})]
	result = parse(ledger(*rows))
	assert result.errors == []
	assert [row.row_number for row in result.rows] == [2, 4]


# --- dates ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"text",
	[
		"2026-1-5",
		"2026-01-05",
		"2026/01/05",
		"2026/1/5",
		"2026.1.5",
		"2026年1月5日",
		"2026年01月05日",
		"  2026年1月5日 ",
		"2026 年 1 月 5 日",
		"２０２６年１月５日",
		"２０２６－０１－０５",
		"2026-01-05 00:00:00",
		"20260105",
	],
)
def test_date_text_formats(text):
	assert parse_date(text) == D


def test_excel_serials_and_real_dates_in_cells():
	cells = [46027, 46027.0, 46027.75, datetime(2026, 1, 5), date(2026, 1, 5), "2026/1/5", "２０２６.１.５"]
	rows = [line(n, 排查日期=cell) for n, cell in enumerate(cells, start=1)]
	result = parse(ledger(*rows))
	assert result.errors == []
	assert [row.values["found_on"] for row in result.rows] == [D] * len(cells)


@pytest.mark.parametrize("serial", [5, 12345, 99999, 1e12, -46027])
def test_implausible_serial_is_refused(serial):
	with pytest.raises(CellValueError, match=r"不是有效的 Excel 日期|无法识别的日期"):
		parse_date(serial)


def test_impossible_date_names_sheet_row_column_and_header():
	headers = ["序号", "村（社区）", "当事人", "排查日期", "纠纷简要情况", "管理等级"]
	rows = [["石桥村2026年台账"], ["填报单位：青山镇"], headers]
	rows += [[n, "石桥村", f"当事人{n}", "2026-01-05", "邻里纠纷", "一级"] for n in range(1, 9)]
	rows += [[9, "石桥村", "当事人9", "2026-13-01", "邻里纠纷", "一级"]]
	rows += [[10, "石桥村", "当事人10", "2026-02-30", "邻里纠纷", "一级"]]
	result = parse(xlsx({"三月台账": rows}))
	assert messages(result) == [
		"工作表「三月台账」第 12 行 D 列（排查日期）：无法识别的日期「2026-13-01」",
		"工作表「三月台账」第 13 行 D 列（排查日期）：无法识别的日期「2026-02-30」",
	]
	error = result.errors[0]
	assert (error.sheet, error.row, error.column_letter, error.header) == ("三月台账", 12, "D", "排查日期")
	assert error.message_zh == "无法识别的日期「2026-13-01」"
	assert len(result.rows) == 8


def test_unrecognised_and_out_of_range_dates_explain_themselves():
	result = parse(ledger(line(1, 排查日期="上周三"), line(2, 排查日期="1026-01-05"), line(3, 排查日期=7)))
	assert messages(result) == [
		"工作表「台账」第 2 行 C 列（排查日期）：无法识别的日期「上周三」，请按 2026-01-05 或 2026年1月5日 的格式填写",
		"工作表「台账」第 3 行 C 列（排查日期）：日期「1026-01-05」超出合理范围（1990年至2099年），请核对年份",
		"工作表「台账」第 4 行 C 列（排查日期）：无法识别的日期「7」：不是有效的 Excel 日期",
	]
	assert result.rows == []


# --- choices and cross-field rules ------------------------------------------------------------------------


def test_tier_spellings_are_stored_as_tier_names():
	spellings = ["一级", 1, "一", "一般管理", "一级（一般管理）", "一级(一般管理)", " 1 "]
	spellings += [
		"二级",
		2.0,
		"二",
		"特殊管理",
		"二级（特殊管理）",
		"三级",
		3,
		"三",
		"重点管理",
		"三级(重点管理)",
	]
	result = parse(ledger(*(line(n, 管理等级=tier) for n, tier in enumerate(spellings, start=1))))
	assert result.errors == []
	assert [row.values["tier"] for row in result.rows] == ["一级"] * 7 + ["二级"] * 5 + ["三级"] * 5


def test_unknown_tier_is_an_error_listing_the_tiers():
	result = parse(ledger(line(1, 管理等级="四级"), line(2, 管理等级=None)))
	assert messages(result) == [
		"工作表「台账」第 2 行 G 列（管理等级）：无法识别的管理等级「四级」，应为：一级、二级、三级",
		"工作表「台账」第 3 行 G 列（管理等级）：必填，不能为空",
	]


@pytest.mark.parametrize("closed", ["已销号", " 已 销 号 ", "销号"])
def test_closing_cannot_be_imported(closed):
	result = parse(ledger(line(1, 化解状态=closed, 化解日期="2026-01-06")))
	assert result.rows == []
	(error,) = result.errors
	assert (error.column_letter, error.header) == ("J", "化解状态")
	assert "销号只能在系统中提交销号审批" in error.message_zh


def test_status_defaults_to_unresolved_and_resolved_means_observation():
	rows = [
		line(1, 化解状态=None),
		line(2, 化解状态="已化解", 化解日期="2026-01-07"),
		line(3, 化解状态="化解中"),
	]
	result = parse(ledger(*rows))
	assert result.errors == []
	assert [row.values["status"] for row in result.rows] == ["未化解", "已化解观察期", "化解中"]

	without_status = [header for header in HEADERS if header != "化解状态"]
	result = parse(ledger(line(1, without_status), headers=without_status))
	assert result.rows[0].values["status"] == "未化解"


def test_resolved_entry_needs_a_resolution_date():
	result = parse(ledger(line(1, 化解状态="已化解观察期")))
	assert messages(result) == [
		"工作表「台账」第 2 行 K 列（化解日期）：化解状态为「已化解观察期」时必须填写化解日期"
	]

	without_date = [header for header in HEADERS if header != "化解日期"]
	result = parse(ledger(line(1, without_date, 化解状态="已化解"), headers=without_date))
	assert messages(result) == [
		"工作表「台账」第 2 行（化解日期）：化解状态为「已化解观察期」时必须填写化解日期"
	]


def test_resolution_date_cannot_precede_finding():
	result = parse(ledger(line(1, 排查日期="2026-01-05", 化解状态="已化解", 化解日期="2026-01-04")))
	assert messages(result) == [
		"工作表「台账」第 2 行 K 列（化解日期）：化解日期（2026-01-04）早于排查日期（2026-01-05）"
	]


def test_resolution_path_spellings():
	paths = [
		"主管部门或属地牵头",
		"主管部门牵头",
		"属地牵头",
		"联办协调",
		"联办",
		"专家研判",
		"律师研判",
		None,
	]
	result = parse(ledger(*(line(n, 化解路径=path) for n, path in enumerate(paths, start=1))))
	assert result.errors == []
	expected = ["主管部门或属地牵头"] * 3 + ["联办协调"] * 2 + ["专家律师研判"] * 2 + [None]
	assert [row.values["resolution_path"] for row in result.rows] == expected

	result = parse(ledger(line(1, 化解路径="上级交办")))
	assert (
		result.errors[0].message_zh
		== "无法识别的化解路径「上级交办」，应为：主管部门或属地牵头、联办协调、专家律师研判"
	)


# --- missing, too long, unknown ---------------------------------------------------------------------------


def test_missing_required_columns_is_one_error_and_nothing_is_parsed():
	headers = [header for header in HEADERS if header not in ("排查日期", "管理等级")]
	result = parse(xlsx({"台账": [["青山镇台账"], headers, line(1, headers), line(2, headers)]}))
	assert messages(result) == [
		"工作表「台账」第 2 行：表头缺少必填列「排查日期」「管理等级」，请补充后重新导入"
	]
	assert result.rows == []
	assert result.total_rows == 0


def test_missing_required_values():
	result = parse(ledger(line(1, 当事人="  ", 纠纷简要情况=None)))
	assert messages(result) == [
		"工作表「台账」第 2 行 E 列（当事人）：必填，不能为空",
		"工作表「台账」第 2 行 F 列（纠纷简要情况）：必填，不能为空",
	]
	assert result.rows == []


def test_text_over_the_limit_is_an_error_not_truncated():
	result = parse(ledger(line(1, 纠纷简要情况="争" * 2000), line(2, 纠纷简要情况="争" * 2001)))
	assert [row.row_number for row in result.rows] == [2]
	assert result.rows[0].values["summary"] == "争" * 2000
	assert messages(result) == [
		"工作表「台账」第 3 行 F 列（纠纷简要情况）：内容过长（2001 字），上限为 2000 字，请精简后重新导入"
	]


def test_unknown_columns_are_listed_and_ignored():
	headers = [*HEADERS[:5], "联系电话", *HEADERS[5:], "身份证号"]
	result = parse(ledger(line(1, headers, 联系电话="13800000000", 身份证号="x"), headers=headers))
	assert result.errors == []
	assert result.unknown_columns == ["联系电话", "身份证号"]
	assert "13800000000" not in result.rows[0].values.values()


def test_names_not_in_the_system_are_errors():
	result = parse(
		ledger(line(1, **{"村（社区）": "石 桥 村", "纠纷类型": "邻里纠纷"}), line(2, 纠纷类型="斗殴"))
	)
	assert [row.values["division"] for row in result.rows] == ["DIV-SQ"]
	assert messages(result) == ["工作表「台账」第 3 行 D 列（纠纷类型）：系统中没有「斗殴」，请核对名称"]

	result = parse(ledger(line(1, **{"村（社区）": "桃源村"})))
	assert messages(result) == ["工作表「台账」第 2 行 B 列（村（社区））：系统中没有「桃源村」，请核对名称"]


def test_a_name_known_in_another_township_says_where_it_is():
	lookups = {**LOOKUPS, "division" + lw.ELSEWHERE: {"兴隆村": "「城关镇」"}}
	result = parse(ledger(line(1, **{"村（社区）": "兴 隆 村"})), lookups=lookups)
	assert messages(result) == [
		"工作表「台账」第 2 行 B 列（村（社区））：「兴 隆 村」属于「城关镇」，不在本次导入的范围内，"
		"请核对名称或所属乡镇（街道）"
	]


def test_the_same_column_twice_is_refused():
	headers = [*HEADERS, "当事人姓名"]
	result = parse(ledger(line(1, headers), headers=headers))
	assert messages(result) == [
		"工作表「台账」第 1 行：表头「当事人姓名」与「当事人」是同一列，请删除其中一列"
	]
	assert result.rows == []


def test_party_names_are_split_on_any_separator():
	result = parse(ledger(line(1, 当事人="张三、李四，王五;赵六 / 钱七  孙八,张三")))
	assert result.rows[0].party_names == ["张三", "李四", "王五", "赵六", "钱七", "孙八"]
	assert lw.split_party_names("刘一；陈二\n周三") == ["刘一", "陈二", "周三"]


# --- duplicates -------------------------------------------------------------------------------------------


def test_entry_key_ignores_spacing_punctuation_and_party_order():
	key = entry_key("DIV-SQ", D, "张三、李四", "宅基地边界争议。")
	assert key == entry_key("DIV-SQ", "2026-01-05", "李四，张三", " 宅基地 边界争议")
	assert key == entry_key("DIV-SQ", datetime(2026, 1, 5, 9, 30), ["李四", "张三"], "宅基地边界争议")
	assert len(key) == 40
	assert key != entry_key("DIV-HK", D, "张三、李四", "宅基地边界争议")
	assert key != entry_key("DIV-SQ", date(2026, 1, 6), "张三、李四", "宅基地边界争议")
	assert key != entry_key("DIV-SQ", D, "张三、王五", "宅基地边界争议")
	assert key != entry_key("DIV-SQ", D, "张三、李四", "宅基地边界争议升级")


def test_second_identical_row_in_the_file_is_a_duplicate():
	first = line(1, 纠纷简要情况="宅基地边界争议")
	again = line(3, 纠纷简要情况="宅基地边界争议。", 当事人="李四 张三", 排查日期="2026/1/5", 管理等级="二级")
	result = parse(ledger(first, line(2), again))
	assert [row.row_number for row in result.rows] == [2, 3]
	assert messages(result) == ["工作表「台账」第 4 行：与第 2 行重复"]


def test_duplicate_across_sheets_names_the_other_sheet():
	data = xlsx({"一村": [HEADERS, line(1)], "二村": [HEADERS, line(1)]})
	result = parse(data)
	assert messages(result) == ["工作表「二村」第 2 行：与工作表「一村」第 2 行重复"]


def test_duplicate_of_an_existing_entry():
	existing = {entry_key("DIV-SQ", D, "李四 张三", "宅基地边界争议（第1起）")}
	result = parse(ledger(line(1), line(2)), existing_keys=existing)
	assert [row.row_number for row in result.rows] == [3]
	assert messages(result) == ["工作表「台账」第 2 行：与已登记的台账重复"]
	# known by name, the existing entry is named
	named = {key: "TZ-2026-00007" for key in existing}
	result = parse(ledger(line(1), line(2)), existing_keys=named)
	assert messages(result) == ["工作表「台账」第 2 行：与已登记的台账 TZ-2026-00007 重复"]


# --- sheets -----------------------------------------------------------------------------------------------


def test_every_sheet_is_read_and_empty_sheets_are_skipped():
	data = xlsx(
		{
			"石桥村": [["石桥村台账"], HEADERS, line(1), line(2)],
			"空白": [],
			"河口村": [HEADERS, line(1, **{"村（社区）": "河口村"})],
		}
	)
	result = parse(data)
	assert result.errors == []
	assert [(row.sheet, row.row_number) for row in result.rows] == [
		("石桥村", 3),
		("石桥村", 4),
		("河口村", 2),
	]
	assert result.skipped_sheets == ["空白"]
	assert result.total_rows == 3


def test_sheet_with_data_but_no_header_is_an_error_for_that_sheet():
	data = xlsx({"台账": [HEADERS, line(1)], "草稿": [["石桥村", "张三", "吵架"]]})
	result = parse(data)
	assert [row.sheet for row in result.rows] == ["台账"]
	(error,) = result.errors
	assert (error.sheet, error.row) == ("草稿", None)
	assert error.text.startswith("工作表「草稿」：未找到表头：前 10 行中没有包含「排查日期」「当事人」")


def test_hidden_sheets_are_skipped():
	data = xlsx(
		{"台账": [HEADERS, line(1)], "下拉选项": [["一级"], ["二级"], ["三级"]]}, hidden=("下拉选项",)
	)
	result = parse(data)
	assert result.errors == []
	assert result.skipped_sheets == ["下拉选项"]


# --- limits and bad files ---------------------------------------------------------------------------------


def test_far_too_many_rows_are_refused_before_parsing():
	result = parse(ledger(*(line(n) for n in range(1, 41))), max_rows=5)
	assert result.rows == []
	assert messages(result) == ["数据行过多（约 40 行），上限为 5 行，请按乡镇或周次拆分后导入"]


def test_row_limit_counts_data_rows_not_title_or_header_rows():
	title = [["青山镇台账"], ["填报单位：青山镇"]]
	assert parse(xlsx({"台账": [*title, HEADERS, line(1), line(2), line(3)]}), max_rows=3).errors == []
	result = parse(xlsx({"台账": [*title, HEADERS, *(line(n) for n in range(1, 5))]}), max_rows=3)
	assert result.rows == []
	assert messages(result) == ["数据行过多（4 行），上限为 3 行，请按乡镇或周次拆分后导入"]


def test_file_over_the_size_limit_is_refused():
	too_big = b"\0" * int(12.3 * 1024 * 1024)
	assert messages(parse(too_big)) == ["文件过大（12.3 MB），上限为 10 MB，请按乡镇或周次拆分后导入"]
	small = ledger(line(1))
	result = parse(small, max_bytes=len(small) - 1)
	assert result.rows == []
	assert result.errors[0].message_zh.startswith("文件过大")


def _zip_without_workbook() -> bytes:
	buffer = io.BytesIO()
	with zipfile.ZipFile(buffer, "w") as archive:
		archive.writestr("readme.txt", "not a workbook")
	return buffer.getvalue()


@pytest.mark.parametrize(
	"data",
	[
		b"",
		b"\x00\x01garbage\xff" * 50,
		"序号,村,排查日期\n1,石桥村,2026-01-05\n".encode(),
		b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
		_zip_without_workbook(),
		ledger(line(1))[:3000],
	],
	ids=["empty", "garbage", "csv", "xls", "zip", "truncated-xlsx"],
)
def test_not_an_xlsx_is_a_clear_error(data):
	result = parse(data)
	assert result.rows == []
	(error,) = result.errors
	assert (error.sheet, error.row) == (None, None)
	assert ".xlsx" in error.message_zh


def test_old_xls_is_named_as_such():
	result = parse(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
	assert "旧版 Excel（.xls）" in result.errors[0].message_zh


def test_path_source_is_accepted(tmp_path):
	path = tmp_path / "台账.xlsx"
	path.write_bytes(ledger(line(1)))
	assert len(parse(path).rows) == 1
	assert len(parse(str(path)).rows) == 1
	assert messages(parse(tmp_path / "没有.xlsx")) == ["找不到文件「没有.xlsx」"]


# --- results ----------------------------------------------------------------------------------------------


def test_rows_with_any_error_are_left_out_and_import_is_all_or_nothing_by_default():
	result = parse(ledger(line(1), line(2, 管理等级="五级"), line(3)))
	assert [row.row_number for row in result.rows] == [2, 4]
	assert [failed.row_number for failed in result.failed_rows] == [3]
	assert result.total_rows == 3
	assert not result.ok
	assert result.rows_to_import() == []
	assert [row.row_number for row in result.rows_to_import(allow_partial=True)] == [2, 4]


def test_error_text_without_row_or_column():
	assert CellError(None, None, None, None, "文件过大").text == "文件过大"
	assert CellError("台账", None, None, None, "未找到表头").text == "工作表「台账」：未找到表头"
	assert CellError("台账", 3, None, "化解日期", "缺少").text == "工作表「台账」第 3 行（化解日期）：缺少"


# --- error workbook ---------------------------------------------------------------------------------------


def _bad_ledger() -> bytes:
	def merge_village(sheet):
		sheet["B4"] = None
		sheet.merge_cells("B3:B4")

	rows = [
		HEADERS,
		line(1),
		line(2, 排查日期="2026-13-01", **{"村（社区）": "河口村"}),
		line(3, 管理等级="四级", 化解状态="已销号"),
	]
	return xlsx({"三月台账": rows}, {"三月台账": merge_village})


def test_error_workbook_lists_failed_rows_with_source_and_reasons():
	result = parse(_bad_ledger())
	assert len(result.rows) == 1
	sheet = load_workbook(io.BytesIO(lw.build_error_workbook(result))).active
	header = [cell.value for cell in sheet[1]]
	assert header == ["来源工作表", "来源行号", *(column.header for column in lw.LEDGER_COLUMNS), "错误说明"]
	rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
	assert len(rows) == 2
	assert rows[0][:5] == ["三月台账", 3, "河口村", "2026-13-01", "邻里纠纷"]
	assert rows[0][-1] == "排查日期：无法识别的日期「2026-13-01」"
	assert rows[1][:3] == ["三月台账", 4, "河口村"]
	assert rows[1][-1].split("\n") == [
		"管理等级：无法识别的管理等级「四级」，应为：一级、二级、三级",
		"化解状态：" + lw.CLOSED_STATUS_MESSAGE,
	]


def test_fixed_error_workbook_imports():
	original = parse(_bad_ledger())
	book = load_workbook(io.BytesIO(lw.build_error_workbook(original)))
	sheet = book.active
	assert parse(lw.build_error_workbook(original)).error_text().count("\n") == 2
	sheet["D2"] = "2026-01-12"
	sheet["H3"] = "二级"
	sheet["K3"] = "化解中"
	buffer = io.BytesIO()
	book.save(buffer)
	fixed = parse(buffer.getvalue())
	assert fixed.errors == []
	assert fixed.unknown_columns == []
	assert [(row.values["division"], row.values["found_on"]) for row in fixed.rows] == [
		("DIV-HK", date(2026, 1, 12)),
		("DIV-HK", D),
	]
	assert [row.values["tier"] for row in fixed.rows] == ["一级", "二级"]


# --- export -----------------------------------------------------------------------------------------------


def _export_source() -> lw.ParseResult:
	rows = [
		line(1, 管理等级="一级"),
		line(2, 管理等级="二级", 化解状态="已化解", 化解日期="2026-01-08", **{"村（社区）": "河口村"}),
		line(3, 管理等级="一级", 当事人="王五、赵六"),
		line(4, 管理等级="三级", 备注="涉及多户"),
	]
	result = parse(ledger(*rows))
	assert result.errors == []
	return result


def test_export_layout():
	rows = _export_source().rows
	data = lw.build_ledger_export(rows, "矛盾纠纷排查化解台账", "青山镇", D)
	sheet = load_workbook(io.BytesIO(data)).active
	last = len(lw.LEDGER_COLUMNS) + 1
	merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
	assert merged == {"A1:M1", "A2:M2", "A8:M8"}
	assert sheet["A1"].value == "矛盾纠纷排查化解台账"
	assert sheet["A2"].value == "填报单位：青山镇    截至：2026年1月5日"
	assert [sheet.cell(3, col).value for col in range(1, last + 1)] == ["序号"] + [
		column.header for column in lw.LEDGER_COLUMNS
	]
	assert sheet["A3"].font.b and sheet["F3"].alignment.wrap_text and sheet["F3"].border.left.style == "thin"
	assert sheet.freeze_panes == "A4"
	assert [sheet.cell(row, 1).value for row in range(4, 8)] == [1, 2, 3, 4]
	assert [sheet.cell(row, 2).value for row in range(4, 8)] == ["石桥村", "河口村", "石桥村", "石桥村"]
	found = sheet["C4"]
	assert found.is_date and found.value.date() == D and found.number_format == "yyyy-mm-dd"
	assert sheet["A8"].value == "合计 4 件：一级 2 件，二级 1 件，三级 1 件"
	assert sheet.column_dimensions["F"].width >= 40
	assert sheet.column_dimensions["A"].width < sheet.column_dimensions["B"].width


def test_export_imports_back_to_the_same_rows():
	source = _export_source().rows
	data = lw.build_ledger_export(source, "矛盾纠纷排查化解台账", "青山镇", D)
	again = parse(data)
	assert again.errors == []
	assert again.total_rows == len(source)
	assert [row.values for row in again.rows] == [row.values for row in source]
	assert [row.key for row in again.rows] == [row.key for row in source]
	assert [row.row_number for row in again.rows] == [4, 5, 6, 7]


def test_export_of_plain_mappings_with_chosen_columns():
	rows = [
		{
			"division": "石桥村",
			"found_on": D,
			"parties": '=HYPERLINK("x")',
			"summary": "争议",
			"tier": "二级",
		},
		{
			"division": "河口村",
			"found_on": datetime(2026, 1, 6),
			"parties": "李四",
			"summary": "噪音",
			"tier": "二级",
		},
	]
	data = lw.build_ledger_export(
		rows, "台账", "青山镇", D, columns=["division", "found_on", "parties", "summary", "tier"]
	)
	sheet = load_workbook(io.BytesIO(data)).active
	assert [cell.value for cell in sheet[3]] == [
		"序号",
		"村（社区）",
		"排查日期",
		"当事人",
		"纠纷简要情况",
		"管理等级",
	]
	assert sheet["D4"].data_type == "s" and sheet["D4"].value == '=HYPERLINK("x")'
	assert sheet["A6"].value == "合计 2 件：一级 0 件，二级 2 件，三级 0 件"
	again = parse(data)
	assert again.errors == []
	assert [row.values["found_on"] for row in again.rows] == [D, date(2026, 1, 6)]
	with pytest.raises(ValueError, match="unknown ledger column"):
		lw.build_ledger_export(rows, "台账", "青山镇", D, columns=["petitioner"])


def test_shared_strings_read_as_openpyxl_reads_them():
	"""The parser's own shared-string reader gives openpyxl's texts: runs joined, phonetic guides left out."""
	from openpyxl.cell.rich_text import CellRichText, TextBlock
	from openpyxl.cell.text import InlineFont

	book = Workbook()
	sheet = book.active
	sheet.append(["纠纷简要情况", "当事人"])
	sheet.append([CellRichText("因", TextBlock(InlineFont(b=True), "宅基地"), "界址争执"), " 王 五 "])
	sheet.append(["x005F_x000D_换行\n第二行", ""])
	buffer = io.BytesIO()
	book.save(buffer)
	data = buffer.getvalue()
	ours = lw._open_workbook(data, read_only=False).active
	theirs = load_workbook(io.BytesIO(data), data_only=True).active
	assert [[cell.value for cell in row] for row in ours.iter_rows()] == [
		[cell.value for cell in row] for row in theirs.iter_rows()
	]
	assert ours["A2"].value == "因宅基地界址争执"


def test_key_folding_ignores_punctuation_symbols_and_spaces_of_any_script():
	assert lw._fold_for_key("Ａ１，张三　李四！©\u200b") == "a1张三李四"
	assert lw.normalize_name(" 测试\u200b一村 ") == "测试一村"
