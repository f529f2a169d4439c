"""The weekly dispute ledger workbook (矛盾纠纷排查台账): parse a township's .xlsx, build the county export.

Townships keep the ledger in Excel or WPS, each in its own layout: a merged title row, a unit/date row,
headers with line breaks and （必填） markers, villages merged down several rows, blank rows, a 合计 line at
the foot, one sheet per village. The parser is driven by a column schema (LEDGER_COLUMNS by default), so a changed
template is a data change, and it never raises on bad user data: every problem becomes an error naming the
sheet, the row and column the user sees in Excel, and no row with an error is ever returned as valid.

No frappe import: the import job and the desk export call these functions, and pytest tests them directly.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import re
import unicodedata
import warnings
import zipfile
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import BinaryIO
from xml.etree import ElementTree

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.xml.constants import SHARED_STRINGS

from xinfang_app.domain.deadlines import format_date_zh
from xinfang_app.domain.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20000
# A zip of repetitive XML compresses very well; beyond this ratio the file is more likely a zip bomb than a
# ledger, and openpyxl would hold all of it in memory.
MAX_UNZIPPED_RATIO = 30
HEADER_SEARCH_ROWS = 10
# Formatting applied to whole rows makes max_column 16384; no ledger has more columns than this.
MAX_COLUMNS = 200
# Dates outside this range are typos (1026 for 2026) or numbers that were never dates.
EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2099, 12, 31)
EXCEL_EPOCH_1900 = datetime(1899, 12, 30)

TEXT, DATE, LINK, CHOICE = "text", "date", "link", "choice"

SERIAL_HEADER = "序号"
SOURCE_SHEET_HEADER = "来源工作表"
SOURCE_ROW_HEADER = "来源行号"
ERROR_HEADER = "错误说明"
# Columns that carry no entry data: the row number users type, and the bookkeeping columns of our own error
# workbook, which must re-import without being reported as unknown.
IGNORED_HEADERS = (SERIAL_HEADER, SOURCE_SHEET_HEADER, SOURCE_ROW_HEADER, ERROR_HEADER)

TIERS = ("一级", "二级", "三级")
RESOLVED_STATUS = "已化解观察期"
CLOSED_STATUS_MESSAGE = "不能通过导入把台账设为「已销号」：销号只能在系统中提交销号审批，经批准后办理"
FILE_SPLIT_HINT = "请按乡镇或周次拆分后导入"
SAVE_AS_XLSX_HINT = "请在 Excel 或 WPS 中另存为 .xlsx 格式后导入"

EXPORT_SHEET_TITLE = "台账"
ERROR_SHEET_TITLE = "错误行"


class CellValueError(DomainError):
	"""A cell value that cannot be used; `message_zh` is shown to the user after the cell's position."""


@dataclass(frozen=True)
class Column:
	"""One column of the ledger: how its header is recognised and how its cells are read.

	`choices` maps each stored value to the spellings accepted for it; `refused` maps spellings that are
	understood but not allowed to the reason shown. `width` is the export column width in Excel units
	(a Chinese character is about two).
	"""

	key: str
	header: str
	kind: str = TEXT
	aliases: tuple[str, ...] = ()
	required: bool = False
	max_length: int | None = None
	choices: Mapping[str, tuple[str, ...]] | None = None
	refused: Mapping[str, str] | None = None
	default: str | None = None
	width: float = 12


LEDGER_COLUMNS: tuple[Column, ...] = (
	Column(
		"division",
		"村（社区）",
		LINK,
		aliases=("村", "社区", "村居", "所属村"),
		max_length=140,
		width=14,
	),
	Column("found_on", "排查日期", DATE, aliases=("发现日期", "登记日期"), required=True, width=12),
	Column("dispute_type", "纠纷类型", LINK, aliases=("矛盾类型", "类别"), max_length=140, width=14),
	Column("parties", "当事人", TEXT, aliases=("当事人姓名",), required=True, max_length=500, width=18),
	Column(
		"summary",
		"纠纷简要情况",
		TEXT,
		aliases=("简要情况", "矛盾纠纷简要情况", "基本情况"),
		required=True,
		max_length=2000,
		width=48,
	),
	Column(
		"tier",
		"管理等级",
		CHOICE,
		aliases=("等级", "分级", "层级"),
		required=True,
		choices={
			"一级": ("一级", "1", "1级", "一", "一般管理", "一级(一般管理)", "一级一般管理"),
			"二级": ("二级", "2", "2级", "二", "特殊管理", "二级(特殊管理)", "二级特殊管理"),
			"三级": ("三级", "3", "3级", "三", "重点管理", "三级(重点管理)", "三级重点管理"),
		},
		width=10,
	),
	Column("responsible_unit", "责任单位", LINK, aliases=("包案单位",), max_length=140, width=18),
	Column(
		"resolution_path",
		"化解路径",
		CHOICE,
		aliases=("化解方式",),
		choices={
			"主管部门或属地牵头": ("主管部门或属地牵头", "主管部门牵头", "属地牵头"),
			"联办协调": ("联办协调", "联办"),
			"专家律师研判": ("专家律师研判", "专家研判", "律师研判"),
		},
		width=20,
	),
	Column(
		"status",
		"化解状态",
		CHOICE,
		aliases=("状态",),
		choices={
			"未化解": ("未化解",),
			"化解中": ("化解中",),
			RESOLVED_STATUS: (RESOLVED_STATUS, "已化解", "已化解(观察期)"),
		},
		refused={"已销号": CLOSED_STATUS_MESSAGE, "销号": CLOSED_STATUS_MESSAGE},
		default="未化解",
		width=14,
	),
	Column("resolved_on", "化解日期", DATE, aliases=("化解时间",), width=12),
	Column("reported_by", "填报人", TEXT, aliases=("排查人", "报送人"), max_length=140, width=10),
	Column("remarks", "备注", TEXT, max_length=140, width=20),
)

# Fields entry_key() reads; a row whose key fields are in error is not compared for duplicates.
KEY_FIELDS = ("division", "found_on", "parties", "summary")


@dataclass
class CellError:
	"""One problem, placed as precisely as it can be: sheet, Excel row (1-based) and column letter.

	`sheet` is None for problems with the whole file, `row` for problems with a whole sheet and
	`column_letter` for problems with a whole row (duplicates) or with a column the sheet does not have.
	"""

	sheet: str | None
	row: int | None
	column_letter: str | None
	header: str | None
	message_zh: str

	@property
	def text(self) -> str:
		"""工作表「三月台账」第 12 行 D 列（排查日期）：无法识别的日期「2026-13-01」"""
		place = ""
		if self.sheet is not None:
			place += f"工作表「{self.sheet}」"
		if self.row is not None:
			place += f"第 {self.row} 行"
		if self.column_letter:
			place += f" {self.column_letter} 列"
		if self.header:
			place += f"（{self.header}）"
		return f"{place}：{self.message_zh}" if place else self.message_zh

	def __str__(self) -> str:
		return self.text


@dataclass
class LedgerRow:
	"""A row that passed every check. `values` holds record ids for link columns; `labels` the names read."""

	sheet: str
	row_number: int
	values: dict[str, object]
	party_names: list[str]
	key: str
	labels: dict[str, str] = field(default_factory=dict)

	def display_values(self) -> dict[str, object]:
		"""The values as a person reads them: names instead of record ids, for the export."""
		return {**self.values, **self.labels}


@dataclass
class FailedRow:
	"""A row with at least one error, with its cell values as read (merged values filled in) by column key."""

	sheet: str
	row_number: int
	cells: dict[str, object]
	errors: list[CellError]


@dataclass
class ParseResult:
	"""What a workbook held: valid rows, errors (file, sheet, row or cell), and what was passed over.

	`total_rows` counts every data row read, valid or not; blank, 合计 and notes rows are not data rows.
	"""

	rows: list[LedgerRow] = field(default_factory=list)
	errors: list[CellError] = field(default_factory=list)
	failed_rows: list[FailedRow] = field(default_factory=list)
	skipped_sheets: list[str] = field(default_factory=list)
	unknown_columns: list[str] = field(default_factory=list)
	total_rows: int = 0
	columns: tuple[Column, ...] = LEDGER_COLUMNS

	@property
	def ok(self) -> bool:
		return not self.errors

	def rows_to_import(self, allow_partial: bool = False) -> list[LedgerRow]:
		"""All rows or none by default, as the ledger's 'nothing is lost' rule asks; the valid ones on request."""
		if self.errors and not allow_partial:
			return []
		return list(self.rows)

	def error_text(self) -> str:
		return "\n".join(error.text for error in self.errors)


# --- normalisation ----------------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")
_HEADER_MARKER = re.compile(r"^[*＊]+|(?:[*＊]+|[(（]必填[)）])$")
_TRAILING_NOTE = re.compile(r"\([^()]*\)$")
_PARTY_SEPARATORS = re.compile(r"[、，,；;/／\s]+")


class _Dropping(dict):
	"""A str.translate table deleting the characters `drops` picks, each judged once (then a dict hit)."""

	def __init__(self, drops):
		super().__init__()
		self.drops = drops

	def __missing__(self, code: int):
		value = None if self.drops(chr(code)) else code
		self[code] = value
		return value


# Zero-width spaces and BOMs pasted from chat apps are format characters (Cf) that \s does not match.
_INVISIBLE = _Dropping(lambda ch: unicodedata.category(ch) == "Cf")
# What a key ignores: punctuation, symbols, separators and other (control, format) characters.
_NOT_IN_KEY = _Dropping(lambda ch: unicodedata.category(ch)[0] in "PSZC")


def _drop_invisible(text: str) -> str:
	return text.translate(_INVISIBLE)


def normalize_header(text: object) -> str:
	"""The form headers are compared in: no whitespace at all, half-width ASCII and brackets, no 必填 marker."""
	folded = _WHITESPACE.sub("", _drop_invisible(unicodedata.normalize("NFKC", str(text or ""))))
	while True:
		stripped = _HEADER_MARKER.sub("", folded)
		if stripped == folded:
			return folded
		folded = stripped


def _display_header(text: object) -> str:
	"""The header as the user wrote it, minus line breaks and 必填 markers, for messages."""
	shown = _WHITESPACE.sub("", _drop_invisible(str(text or "")))
	while True:
		stripped = _HEADER_MARKER.sub("", shown)
		if stripped == shown:
			return shown
		shown = stripped


def normalize_name(text: object) -> str:
	"""The form names are looked up in (villages, categories, units, choice values)."""
	return _WHITESPACE.sub("", _drop_invisible(unicodedata.normalize("NFKC", _cell_text(text)))).lower()


def split_party_names(text: object) -> list[str]:
	"""张三、李四，王五 → ['张三', '李四', '王五'], first occurrence order, no repeats."""
	names: list[str] = []
	for name in _PARTY_SEPARATORS.split(unicodedata.normalize("NFKC", _cell_text(text))):
		if name and name not in names:
			names.append(name)
	return names


def _fold_for_key(text: object) -> str:
	# Deliberately not similarity.normalize: keys may be stored, so their folding must never change with it.
	return unicodedata.normalize("NFKC", _cell_text(text)).lower().translate(_NOT_IN_KEY)


def entry_key(division: object, found_on: object, parties: object, summary: object) -> str:
	"""A stable 40-character key of a ledger entry, equal for the same matter however it was typed.

	Whitespace, punctuation and full-width forms are ignored and party names are sorted, so "张三、李四" and
	"李四，张三" give the same key. `parties` may be the text or a list of names; `found_on` a date or text.
	The parser passes the division's record id, so keys of existing entries must be built from the id too.
	"""
	if isinstance(parties, str) or parties is None:
		names = split_party_names(parties)
	else:
		names = [name for part in parties for name in split_party_names(part)]
	try:
		day = parse_date(found_on).isoformat() if found_on not in (None, "") else ""
	except CellValueError:
		day = _fold_for_key(found_on)
	parts = (
		_fold_for_key(division),
		day,
		",".join(sorted({_fold_for_key(name) for name in names} - {""})),
		_fold_for_key(summary),
	)
	return hashlib.sha1("\x1f".join(parts).encode("utf-8"), usedforsecurity=False).hexdigest()


# --- cell values ------------------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
	if value is None:
		return ""
	if isinstance(value, bool):
		return "是" if value else "否"
	if isinstance(value, float) and value.is_integer():
		return str(int(value))
	if isinstance(value, datetime):
		return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
	if isinstance(value, date):
		return value.isoformat()
	return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _is_empty(value: object) -> bool:
	return value is None or (isinstance(value, str) and not _drop_invisible(value).strip())


def _show(value: object, limit: int = 30) -> str:
	text = _cell_text(value).replace("\n", " ")
	return text if len(text) <= limit else text[:limit] + "…"


_DATE_SEPARATED = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:T?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DATE_CHINESE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


def _date_in_range(d: date, shown: str) -> date:
	if not EARLIEST_DATE <= d <= LATEST_DATE:
		raise CellValueError(
			f"日期「{shown}」超出合理范围（{EARLIEST_DATE.year}年至{LATEST_DATE.year}年），请核对年份"
		)
	return d


def _date_from_number(number: float, shown: str, epoch: datetime) -> date:
	if not math.isfinite(number) or number < 0:
		raise CellValueError(f"无法识别的日期「{shown}」")
	if number.is_integer() and _DATE_COMPACT.match(str(int(number))):
		# 20260105 typed as a number is a date, not serial 20 million.
		return _date_from_text(str(int(number)), shown, epoch)
	try:
		d = (epoch + timedelta(days=int(number))).date()
	except OverflowError:
		d = None
	if d is None or not EARLIEST_DATE <= d <= LATEST_DATE:
		raise CellValueError(f"无法识别的日期「{shown}」：不是有效的 Excel 日期")
	return d


def _date_from_text(text: str, shown: str, epoch: datetime) -> date:
	compact = _WHITESPACE.sub("", unicodedata.normalize("NFKC", text))
	match = _DATE_SEPARATED.match(compact) or _DATE_CHINESE.match(compact) or _DATE_COMPACT.match(compact)
	if match is None:
		if _NUMBER.match(compact):
			return _date_from_number(float(compact), shown, epoch)
		raise CellValueError(f"无法识别的日期「{shown}」，请按 2026-01-05 或 2026年1月5日 的格式填写")
	year, month, day = (int(part) for part in match.group(1, match.lastindex - 1, match.lastindex))
	try:
		parsed = date(year, month, day)
	except ValueError:
		raise CellValueError(f"无法识别的日期「{shown}」") from None
	return _date_in_range(parsed, shown)


def parse_date(value: object, epoch: datetime = EXCEL_EPOCH_1900) -> date:
	"""A date from an Excel cell: a real date, a serial number, or text such as 2026/1/5 and 2026年1月5日."""
	shown = _show(value)
	if isinstance(value, datetime):
		return _date_in_range(value.date(), shown)
	if isinstance(value, date):
		return _date_in_range(value, shown)
	if isinstance(value, bool):
		raise CellValueError(f"无法识别的日期「{shown}」")
	if isinstance(value, (int, float)):
		return _date_from_number(float(value), shown, epoch)
	if isinstance(value, str):
		return _date_from_text(value, shown, epoch)
	raise CellValueError(f"无法识别的日期「{shown}」")


# --- schema -----------------------------------------------------------------------------------------------

_IGNORED = "#ignored"


class _Schema:
	"""The column list compiled for matching: normalized header → column key, normalized spelling → value."""

	def __init__(self, columns: Sequence[Column]):
		self.columns = tuple(columns)
		self.by_key = {column.key: column for column in self.columns}
		self.required = [column for column in self.columns if column.required]
		self.min_matches = min(2, len(self.columns))
		self.header_keys: dict[str, str] = {normalize_header(h): _IGNORED for h in IGNORED_HEADERS}
		self.choices: dict[str, dict[str, str]] = {}
		self.refused: dict[str, dict[str, str]] = {}
		for column in self.columns:
			for header in (column.header, *column.aliases):
				normalized = normalize_header(header)
				owner = self.header_keys.setdefault(normalized, column.key)
				if owner != column.key:
					raise ValueError(f"header {header!r} is claimed by both {owner!r} and {column.key!r}")
			if column.kind == CHOICE:
				self.choices[column.key] = {
					normalize_name(spelling): stored
					for stored, spellings in (column.choices or {}).items()
					for spelling in (stored, *spellings)
				}
				self.refused[column.key] = {
					normalize_name(spelling): reason for spelling, reason in (column.refused or {}).items()
				}

	def match(self, header: object) -> str | None:
		normalized = normalize_header(header)
		key = self.header_keys.get(normalized)
		if key is None:
			# 管理等级（一级/二级/三级）: an explanatory note after a known header.
			without_note = _TRAILING_NOTE.sub("", normalized)
			if without_note != normalized:
				key = self.header_keys.get(without_note)
		return key


# --- reading the file -------------------------------------------------------------------------------------


def _megabytes(size: int) -> str:
	value = size / (1024 * 1024)
	return f"{value:.0f}" if value.is_integer() else f"{value:.1f}"


def _read_source(source: object, max_bytes: int) -> tuple[bytes | None, str | None]:
	if isinstance(source, (bytes, bytearray, memoryview)):
		data = bytes(source)
	elif isinstance(source, (str, os.PathLike)):
		try:
			size = os.path.getsize(source)
			if size > max_bytes:
				return None, _too_large(size, max_bytes)
			with open(source, "rb") as handle:
				data = handle.read()
		except FileNotFoundError:
			return None, f"找不到文件「{os.path.basename(os.fspath(source))}」"
		except OSError:
			return None, f"无法读取文件「{os.path.basename(os.fspath(source))}」"
	elif hasattr(source, "read"):
		data = source.read()
	else:
		raise TypeError(f"expected a path, bytes or a binary file, got {type(source).__name__}")
	if len(data) > max_bytes:
		return None, _too_large(len(data), max_bytes)
	return data, None


def _too_large(size: int, max_bytes: int) -> str:
	return f"文件过大（{_megabytes(size)} MB），上限为 {_megabytes(max_bytes)} MB，{FILE_SPLIT_HINT}"


def _too_many_rows(count: int, max_rows: int, approximate: bool = False) -> str:
	about = "约 " if approximate else ""
	return f"数据行过多（{about}{count} 行），上限为 {max_rows} 行，{FILE_SPLIT_HINT}"


def _xlsx_problem(data: bytes, max_bytes: int) -> str | None:
	"""Why `data` is not an xlsx openpyxl can safely open, or None."""
	if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
		# The OLE2 container holds both old .xls files and password-protected .xlsx files.
		return f"这是旧版 Excel（.xls）文件或设置了密码的工作簿，无法读取，{SAVE_AS_XLSX_HINT}（如有密码请先取消）"
	not_xlsx = f"文件不是 Excel 工作簿（.xlsx），{SAVE_AS_XLSX_HINT}"
	if not zipfile.is_zipfile(io.BytesIO(data)):
		return not_xlsx
	try:
		with zipfile.ZipFile(io.BytesIO(data)) as archive:
			infos = archive.infolist()
	except (zipfile.BadZipFile, OSError, ValueError):
		return not_xlsx
	names = {info.filename for info in infos}
	if "[Content_Types].xml" not in names or not any(
		name.startswith("xl/") and name.endswith("workbook.xml") for name in names
	):
		return not_xlsx
	if sum(info.file_size for info in infos) > max_bytes * MAX_UNZIPPED_RATIO:
		return f"文件解压后过大，{FILE_SPLIT_HINT}"
	return None


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SI, _T, _R = _MAIN_NS + "si", _MAIN_NS + "t", _MAIN_NS + "r"


def _read_string_table(source) -> list[str]:
	"""openpyxl's read_string_table (Text.from_tree(si).content: the item's own text and its runs' texts,
	phonetic guides left out), without building a Text object per string: the shared strings of a
	10,000-row ledger took more time than the rest of the sheet."""
	strings = []
	for _event, node in ElementTree.iterparse(source):
		if node.tag == _SI:
			parts = [child.text for child in node if child.tag == _T and child.text is not None]
			for run in node:
				if run.tag == _R:
					parts.extend(t.text for t in run if t.tag == _T and t.text is not None)
			strings.append("".join(parts).replace("x005F_", ""))
			node.clear()
	return strings


class _LedgerReader(ExcelReader):
	def read_strings(self):
		part = self.package.find(SHARED_STRINGS)
		if part is not None:
			with self.archive.open(part.PartName[1:]) as source:
				self.shared_strings = _read_string_table(source)


def _open_workbook(data: bytes, read_only: bool):
	with warnings.catch_warnings():
		# openpyxl warns about WPS extensions (data validation lists, slicers) it drops; they hold no data.
		warnings.simplefilter("ignore")
		# load_workbook(…, data_only=True, keep_links=False), with the faster shared-string table
		reader = _LedgerReader(io.BytesIO(data), read_only=read_only, data_only=True, keep_links=False)
		reader.read()
		return reader.wb


def declared_rows(data: bytes) -> int:
	"""The rows the sheets declare (header and blank rows included), read cheaply; 0 for a file that is not
	an xlsx, which the full parse then refuses with its reason. Callers use it to size the work up front."""
	if _xlsx_problem(data, MAX_BYTES * MAX_UNZIPPED_RATIO):
		return 0
	try:
		book = _open_workbook(data, read_only=True)
	except Exception:
		return 0
	try:
		return sum(sheet.max_row or 0 for sheet in book.worksheets)
	finally:
		book.close()


def _estimated_data_rows(data: bytes, max_rows: int) -> int | None:
	"""About how many data rows the file has when that is clearly over the limit, else None.

	Runs before the full load so an oversized file is refused without building every cell in memory. The
	sheets' declared size decides most files; only a file that declares too many rows is counted by streaming,
	non-blank rows only, since templates often pre-format thousands of empty rows.
	"""
	book = _open_workbook(data, read_only=True)
	try:
		sheets = book.worksheets
		slack = HEADER_SEARCH_ROWS * len(sheets)
		declared = [sheet.max_row for sheet in sheets]
		if all(rows is not None for rows in declared) and sum(declared) <= max_rows + slack:
			return None
		filled = 0
		for sheet in sheets:
			sheet.reset_dimensions()
			for values in sheet.iter_rows(values_only=True):
				if any(not _is_empty(value) for value in values):
					filled += 1
		return filled - len(sheets) if filled > max_rows + slack else None
	finally:
		book.close()


# --- sheets -----------------------------------------------------------------------------------------------


@dataclass
class _SheetHeader:
	row: int
	data_start: int
	positions: dict[str, int]
	labels: dict[str, str]
	unknown: list[str]
	duplicates: list[tuple[str, str]]

	@property
	def matched(self) -> int:
		return len(self.positions)


@dataclass
class _Merges:
	"""Where merged ranges put their value: anchors of covered cells, and how far each row's merges reach."""

	anchor_of: dict[tuple[int, int], tuple[int, int]]
	bottom_of_row: dict[int, int]

	@classmethod
	def of(cls, sheet) -> _Merges:
		anchor_of: dict[tuple[int, int], tuple[int, int]] = {}
		bottom_of_row: dict[int, int] = {}
		last_row, last_col = sheet.max_row, sheet.max_column
		for merged in sheet.merged_cells.ranges:
			top, left = merged.min_row, merged.min_col
			bottom_of_row[top] = max(bottom_of_row.get(top, top), merged.max_row)
			for row in range(top, min(merged.max_row, last_row) + 1):
				for col in range(left, min(merged.max_col, last_col) + 1):
					if (row, col) != (top, left):
						anchor_of[(row, col)] = (top, left)
		return cls(anchor_of, bottom_of_row)


# A header band is at most this many rows: a group header (化解情况) over its sub-headers (化解状态, 化解日期).
_MAX_HEADER_DEPTH = 3


def _header_at(sheet, row: int, schema: _Schema, merges: _Merges) -> _SheetHeader:
	"""Read row `row` as the header, with the rows its merged cells reach down into as sub-headers."""
	bottom = min(merges.bottom_of_row.get(row, row), row + _MAX_HEADER_DEPTH - 1)
	header = _SheetHeader(row, bottom + 1, {}, {}, [], [])
	for col in range(1, min(sheet.max_column, MAX_COLUMNS) + 1):
		key, shown = None, None
		# The lowest label wins: a sub-header under a group header names the column more precisely.
		for band_row in range(bottom, row - 1, -1):
			if (band_row, col) in merges.anchor_of:
				continue
			value = sheet.cell(band_row, col).value
			if _is_empty(value):
				continue
			key = schema.match(value)
			if key is not None:
				shown = _display_header(value)
				break
			if shown is None:
				shown = _display_header(value)
		if key == _IGNORED:
			continue
		if key is None:
			if shown:
				header.unknown.append(shown)
			continue
		if key in header.positions:
			header.duplicates.append((header.labels[key], shown))
			continue
		header.positions[key] = col
		header.labels[key] = shown
	return header


def _find_header(sheet, schema: _Schema, merges: _Merges) -> _SheetHeader | None:
	"""The first of the first rows holding every required header, else the best partial match, else None."""
	best: _SheetHeader | None = None
	for row in range(1, min(HEADER_SEARCH_ROWS, sheet.max_row) + 1):
		header = _header_at(sheet, row, schema, merges)
		if header.matched < schema.min_matches:
			continue
		if all(column.key in header.positions for column in schema.required):
			return header
		if best is None or header.matched > best.matched:
			best = header
	return best


def _sheet_is_blank(sheet) -> bool:
	return all(_is_empty(value) for values in sheet.iter_rows(values_only=True) for value in values)


_SKIPPED_ROW = re.compile(r"^(合计|小计|总计)")
# Notes and signatures end the table; whatever follows them is not data.
_END_OF_TABLE = re.compile(r"^(填表说明|说明:|注:|备注:|(填表|制表|审核|负责|填报)人:)")


@dataclass
class _PendingRow:
	sheet: str
	row_number: int
	header: _SheetHeader
	cells: dict[str, object]


def _data_rows(sheet, header: _SheetHeader, merges: _Merges) -> Iterable[_PendingRow]:
	data_columns = list(header.positions.values())
	for row_number, values in enumerate(
		sheet.iter_rows(min_row=header.data_start, values_only=True), start=header.data_start
	):
		first = next((value for value in values if not _is_empty(value)), None)
		if first is None:
			continue
		marker = normalize_header(first) if isinstance(first, str) else ""
		if _END_OF_TABLE.match(marker):
			return
		if _SKIPPED_ROW.match(marker):
			continue
		if all(col > len(values) or _is_empty(values[col - 1]) for col in data_columns):
			continue
		cells: dict[str, object] = {}
		for key, col in header.positions.items():
			value = values[col - 1] if col <= len(values) else None
			anchor = merges.anchor_of.get((row_number, col))
			# A cell merged down from above shows the anchor's value in Excel, so it is this row's value too.
			if anchor is not None and anchor[1] == col and anchor[0] < row_number:
				value = sheet.cell(*anchor).value
			cells[key] = value
		yield _PendingRow(sheet.title, row_number, header, cells)


# --- rows -------------------------------------------------------------------------------------------------


# lookups[key + ELSEWHERE] maps a name known outside the workbook's place to where it is, for the message.
ELSEWHERE = ":elsewhere"


def _normalized_lookups(lookups: Mapping[str, Mapping[str, str]] | None) -> dict[str, dict[str, str]]:
	return {
		key: {normalize_name(name): record for name, record in table.items()}
		for key, table in (lookups or {}).items()
	}


def _read_cell(
	column: Column, raw: object, schema: _Schema, lookups: dict[str, dict[str, str]], epoch: datetime
) -> tuple[object, str | None]:
	"""(value, label) of one cell; label is the name read for a link column, whose value is the record id."""
	if _is_empty(raw):
		if column.required:
			raise CellValueError("必填，不能为空")
		return column.default, None
	if column.kind == DATE:
		return parse_date(raw, epoch), None
	text = _cell_text(raw)
	if column.max_length is not None and len(text) > column.max_length:
		raise CellValueError(f"内容过长（{len(text)} 字），上限为 {column.max_length} 字，请精简后重新导入")
	if column.kind == CHOICE:
		spelling = normalize_name(text)
		if spelling in schema.refused[column.key]:
			raise CellValueError(schema.refused[column.key][spelling])
		stored = schema.choices[column.key].get(spelling)
		if stored is None:
			allowed = "、".join(column.choices or {})
			raise CellValueError(f"无法识别的{column.header}「{_show(raw)}」，应为：{allowed}")
		return stored, None
	if column.kind == LINK:
		table = lookups.get(column.key)
		if table is None:
			return text, None
		record = table.get(normalize_name(text))
		if record is None:
			# a name the system knows outside the workbook's place: say where it is
			where = lookups.get(f"{column.key}{ELSEWHERE}", {}).get(normalize_name(text))
			if where:
				raise CellValueError(
					f"「{_show(raw)}」属于{where}，不在本次导入的范围内，请核对名称或所属乡镇（街道）"
				)
			raise CellValueError(f"系统中没有「{_show(raw)}」，请核对名称")
		return record, text
	return text, None


def _ledger_rules(values: Mapping[str, object], failed: set[str]) -> list[tuple[str, str]]:
	"""(column key, message) for rules between fields; fields already in error are not judged again."""
	problems = []
	resolved_on, found_on = values.get("resolved_on"), values.get("found_on")
	if "resolved_on" in failed:
		return problems
	if values.get("status") == RESOLVED_STATUS and resolved_on is None and "status" not in failed:
		problems.append(("resolved_on", f"化解状态为「{RESOLVED_STATUS}」时必须填写化解日期"))
	if isinstance(resolved_on, date) and isinstance(found_on, date) and resolved_on < found_on:
		problems.append(
			(
				"resolved_on",
				f"化解日期（{resolved_on.isoformat()}）早于排查日期（{found_on.isoformat()}）",
			)
		)
	return problems


class _RowReader:
	def __init__(
		self,
		schema: _Schema,
		lookups: dict[str, dict[str, str]],
		existing_keys: Collection[str],
		epoch: datetime,
	):
		self.schema = schema
		self.lookups = lookups
		self.existing_keys = existing_keys
		self.epoch = epoch
		self.seen: dict[str, tuple[str, int]] = {}

	def read(self, pending: _PendingRow, result: ParseResult) -> None:
		header = pending.header
		errors: list[tuple[int, CellError]] = []

		def add(key: str | None, message: str) -> None:
			col = header.positions.get(key) if key else None
			column = self.schema.by_key.get(key) if key else None
			shown = header.labels.get(key) or (column.header if column else None)
			letter = get_column_letter(col) if col else None
			errors.append(
				(col or 10**6, CellError(pending.sheet, pending.row_number, letter, shown, message))
			)

		values: dict[str, object] = {}
		labels: dict[str, str] = {}
		failed: set[str] = set()
		for column in self.schema.columns:
			if column.key not in header.positions:
				values[column.key] = column.default
				continue
			try:
				value, label = _read_cell(
					column, pending.cells[column.key], self.schema, self.lookups, self.epoch
				)
			except CellValueError as problem:
				failed.add(column.key)
				add(column.key, problem.message_zh)
				continue
			values[column.key] = value
			if label is not None:
				labels[column.key] = label
		for key, message in _ledger_rules(values, failed):
			failed.add(key)
			add(key, message)

		key = entry_key(*(values.get(name) for name in KEY_FIELDS))
		if not failed.intersection(KEY_FIELDS):
			if key in self.existing_keys:
				known = self.existing_keys
				name = known.get(key) if isinstance(known, Mapping) else None
				add(None, f"与已登记的台账 {name} 重复" if name else "与已登记的台账重复")
			elif key in self.seen:
				sheet, row_number = self.seen[key]
				where = "" if sheet == pending.sheet else f"工作表「{sheet}」"
				add(None, f"与{where}第 {row_number} 行重复")
			else:
				self.seen[key] = (pending.sheet, pending.row_number)

		if errors:
			row_errors = [error for _, error in sorted(errors, key=lambda pair: pair[0])]
			result.errors.extend(row_errors)
			cells = {column.key: pending.cells.get(column.key) for column in self.schema.columns}
			result.failed_rows.append(FailedRow(pending.sheet, pending.row_number, cells, row_errors))
			return
		result.rows.append(
			LedgerRow(
				pending.sheet,
				pending.row_number,
				values,
				split_party_names(values.get("parties")),
				key,
				labels,
			)
		)


def parse_ledger_workbook(
	source: bytes | str | os.PathLike | BinaryIO,
	*,
	lookups: Mapping[str, Mapping[str, str]] | None = None,
	existing_keys: Collection[str] = frozenset(),
	columns: Sequence[Column] = LEDGER_COLUMNS,
	max_bytes: int = MAX_BYTES,
	max_rows: int = MAX_ROWS,
) -> ParseResult:
	"""Read every visible sheet of a ledger workbook into checked rows and positioned errors.

	`lookups` maps a link column's key to {name: record id}; a link column without a table keeps the text.
	`existing_keys` are entry_key() values of entries already in the system (a mapping to each entry's name
	names it in the message). Never raises on bad data.
	"""
	schema = _Schema(columns)
	result = ParseResult(columns=schema.columns)

	def fail(message: str) -> ParseResult:
		return ParseResult(errors=[CellError(None, None, None, None, message)], columns=schema.columns)

	data, problem = _read_source(source, max_bytes)
	if problem is None:
		problem = _xlsx_problem(data, max_bytes)
	if problem is not None:
		return fail(problem)
	# openpyxl raises many exception types on damaged files; to the user they all mean the same thing.
	unreadable = "无法读取该 Excel 工作簿，文件可能已损坏，请在 Excel 或 WPS 中打开后重新保存为 .xlsx 再导入"
	try:
		estimate = _estimated_data_rows(data, max_rows)
		if estimate is not None:
			return fail(_too_many_rows(estimate, max_rows, approximate=True))
		book = _open_workbook(data, read_only=False)
	except Exception:
		return fail(unreadable)

	pending: list[_PendingRow] = []
	for sheet in book.worksheets:
		if sheet.sheet_state != "visible":
			result.skipped_sheets.append(sheet.title)
			continue
		merges = _Merges.of(sheet)
		header = _find_header(sheet, schema, merges)
		if header is None:
			if _sheet_is_blank(sheet):
				result.skipped_sheets.append(sheet.title)
			else:
				wanted = "".join(f"「{column.header}」" for column in schema.required)
				result.errors.append(
					CellError(
						sheet.title,
						None,
						None,
						None,
						f"未找到表头：前 {HEADER_SEARCH_ROWS} 行中没有包含{wanted}等列名的行，请检查列名",
					)
				)
			continue
		for first, second in header.duplicates:
			result.errors.append(
				CellError(
					sheet.title,
					header.row,
					None,
					None,
					f"表头「{second}」与「{first}」是同一列，请删除其中一列",
				)
			)
		missing = [column.header for column in schema.required if column.key not in header.positions]
		if missing:
			names = "".join(f"「{name}」" for name in missing)
			result.errors.append(
				CellError(sheet.title, header.row, None, None, f"表头缺少必填列{names}，请补充后重新导入")
			)
		if missing or header.duplicates:
			continue
		for name in header.unknown:
			if name not in result.unknown_columns:
				result.unknown_columns.append(name)
		pending.extend(_data_rows(sheet, header, merges))
		if len(pending) > max_rows:
			break

	if len(pending) > max_rows:
		return fail(_too_many_rows(len(pending), max_rows))
	result.total_rows = len(pending)
	reader = _RowReader(schema, _normalized_lookups(lookups), existing_keys, book.epoch)
	for row in pending:
		reader.read(row, result)
	return result


# --- building workbooks -----------------------------------------------------------------------------------

DATE_FORMAT = "yyyy-mm-dd"
# Cell styles are registered once per workbook as named styles: assigning Font/Border/Alignment objects cell
# by cell costs openpyxl a hash per assignment, which made a 20 000-row export take most of a minute.
HEADER_STYLE, BODY_STYLE, CENTER_STYLE, DATE_STYLE = "台账表头", "台账正文", "台账居中", "台账日期"
FOOT_STYLE, ERROR_STYLE = "台账合计", "台账错误说明"


def _register_styles(book: Workbook) -> None:
	thin = Side(style="thin", color="808080")
	border = Border(left=thin, right=thin, top=thin, bottom=thin)
	wrap = Alignment(wrap_text=True, vertical="center")
	center = Alignment(horizontal="center", vertical="center", wrap_text=True)
	fill = PatternFill("solid", fgColor="D9E1F2")
	for style in (
		NamedStyle(HEADER_STYLE, font=Font(bold=True), fill=fill, border=border, alignment=center),
		NamedStyle(BODY_STYLE, border=border, alignment=wrap),
		NamedStyle(CENTER_STYLE, border=border, alignment=center),
		NamedStyle(DATE_STYLE, border=border, alignment=center, number_format=DATE_FORMAT),
		NamedStyle(FOOT_STYLE, font=Font(bold=True), border=border, alignment=Alignment(vertical="center")),
		NamedStyle(ERROR_STYLE, font=Font(color="C00000"), border=border, alignment=wrap),
	):
		book.add_named_style(style)


def _put(sheet, row: int, col: int, value: object, style: str | None = None):
	"""Write a value as data: dates as real dates, text never as a formula (a summary may start with "=")."""
	if isinstance(value, datetime) and value.time() == time(0):
		value = value.date()
	if isinstance(value, str):
		value = ILLEGAL_CHARACTERS_RE.sub("", value)
	cell = sheet.cell(row, col, value)
	if isinstance(value, str):
		cell.data_type = "s"
	if style is not None:
		cell.style = style
	if isinstance(value, date) and style != DATE_STYLE:
		cell.number_format = DATE_FORMAT
	return cell


def _to_bytes(book: Workbook) -> bytes:
	buffer = io.BytesIO()
	book.save(buffer)
	return buffer.getvalue()


def _resolve_columns(columns: Sequence[str | Column] | None) -> list[Column]:
	if columns is None:
		return list(LEDGER_COLUMNS)
	by_key = {column.key: column for column in LEDGER_COLUMNS}
	resolved = []
	for column in columns:
		if isinstance(column, Column):
			resolved.append(column)
		elif column in by_key:
			resolved.append(by_key[column])
		else:
			raise ValueError(f"unknown ledger column {column!r}")
	return resolved


def build_error_workbook(result: ParseResult) -> bytes:
	"""The failed rows, as read, under the schema's Chinese headers, with where they came from and why.

	The user corrects the cells and imports this workbook again; the 来源 and 错误说明 columns are ignored then.
	"""
	book = Workbook()
	_register_styles(book)
	sheet = book.active
	sheet.title = ERROR_SHEET_TITLE
	headers = [
		SOURCE_SHEET_HEADER,
		SOURCE_ROW_HEADER,
		*(column.header for column in result.columns),
		ERROR_HEADER,
	]
	widths = [14, 10, *(column.width for column in result.columns), 50]
	for col, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
		_put(sheet, 1, col, header, HEADER_STYLE)
		sheet.column_dimensions[get_column_letter(col)].width = width
	for row, failed in enumerate(result.failed_rows, start=2):
		_put(sheet, row, 1, failed.sheet, BODY_STYLE)
		_put(sheet, row, 2, failed.row_number, CENTER_STYLE)
		for col, column in enumerate(result.columns, start=3):
			_put(sheet, row, col, failed.cells.get(column.key), BODY_STYLE)
		explanation = "\n".join(
			f"{error.header}：{error.message_zh}" if error.header else error.message_zh
			for error in failed.errors
		)
		_put(sheet, row, len(headers), explanation, ERROR_STYLE)
	sheet.freeze_panes = "A2"
	return _to_bytes(book)


def tier_summary(rows: Iterable[LedgerRow | Mapping[str, object]]) -> str:
	"""合计 N 件：一级 a 件，二级 b 件，三级 c 件"""
	tiers = [_row_values(row).get("tier") for row in rows]
	counts = Counter(tiers)
	parts = "，".join(f"{tier} {counts[tier]} 件" for tier in TIERS)
	return f"合计 {len(tiers)} 件：{parts}"


def _row_values(row: LedgerRow | Mapping[str, object]) -> Mapping[str, object]:
	return row.display_values() if isinstance(row, LedgerRow) else row


def build_ledger_export(
	rows: Iterable[LedgerRow | Mapping[str, object]],
	title: str,
	unit_name: str,
	as_of_date: date,
	columns: Sequence[str | Column] | None = None,
) -> bytes:
	"""The county template: merged title, unit and date line, headers, numbered rows, tier counts at the foot.

	Rows are LedgerRow objects (names are written, not record ids) or mappings of column key to the value to
	show. The result imports again through parse_ledger_workbook.
	"""
	export_columns = _resolve_columns(columns)
	rows = list(rows)
	book = Workbook()
	_register_styles(book)
	sheet = book.active
	sheet.title = EXPORT_SHEET_TITLE
	width = len(export_columns) + 1

	title_cell = _put(sheet, 1, 1, title)
	title_cell.font = Font(bold=True, size=16)
	title_cell.alignment = Alignment(horizontal="center", vertical="center")
	sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
	sheet.row_dimensions[1].height = 32
	_put(sheet, 2, 1, f"填报单位：{unit_name}    截至：{format_date_zh(as_of_date)}").alignment = Alignment(
		vertical="center"
	)
	sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)

	header_row = 3
	for col, (header, column_width) in enumerate(
		[(SERIAL_HEADER, 6), *((column.header, column.width) for column in export_columns)], start=1
	):
		_put(sheet, header_row, col, header, HEADER_STYLE)
		sheet.column_dimensions[get_column_letter(col)].width = column_width

	styles = [
		{DATE: DATE_STYLE, CHOICE: CENTER_STYLE}.get(column.kind, BODY_STYLE) for column in export_columns
	]
	for number, row in enumerate(rows, start=1):
		excel_row = header_row + number
		values = _row_values(row)
		_put(sheet, excel_row, 1, number, CENTER_STYLE)
		for col, (column, style) in enumerate(zip(export_columns, styles, strict=True), start=2):
			_put(sheet, excel_row, col, values.get(column.key), style)

	foot_row = header_row + len(rows) + 1
	_put(sheet, foot_row, 1, tier_summary(rows), FOOT_STYLE)
	for col in range(2, width + 1):
		sheet.cell(foot_row, col).style = FOOT_STYLE
	sheet.merge_cells(start_row=foot_row, start_column=1, end_row=foot_row, end_column=width)

	sheet.freeze_panes = sheet.cell(header_row + 1, 1).coordinate
	sheet.print_title_rows = f"{header_row}:{header_row}"
	sheet.page_setup.orientation = "landscape"
	sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
	sheet.page_setup.fitToWidth = 1
	sheet.page_setup.fitToHeight = 0
	sheet.sheet_properties.pageSetUpPr.fitToPage = True
	return _to_bytes(book)
