"""一月一分析: the month's Excel bulletin for the reader's scope (KPI summary, township ranking, category table,
overdue list), built in a background job with progress, saved as a private File on the reader's own User
record and announced to them when ready.

Every figure comes from the same report functions the desk shows, run as the reader, so the bulletin holds
exactly what the reader may see.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import frappe
from frappe import _
from frappe.utils import getdate, today
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from xinfang_app import reporting
from xinfang_app.domain import kpi

SHEETS = ("指标汇总", "乡镇排名", "分类统计", "超期清单")
READY_EVENT = "xinfang_bulletin_ready"


@frappe.whitelist()
def request_monthly_bulletin(month: str | None = None, division: str | None = None) -> dict:
	"""Queue the bulletin of the month containing `month` (default this month) for the current user."""
	if not frappe.has_permission("Petition", "read"):
		frappe.throw(_("Not permitted to read petitions"), frappe.PermissionError)
	if division and not frappe.has_permission("Administrative Division", "read", division):
		frappe.throw(_("Not permitted to read petitions"), frappe.PermissionError)
	day = getdate(month or today())
	job = frappe.enqueue(
		"xinfang_app.bulletin.build_monthly_bulletin",
		queue="long",
		timeout=1800,
		now=bool(frappe.flags.in_test),
		user=frappe.session.user,
		year=day.year,
		month=day.month,
		division=division,
	)
	return {"queued": True, "job": getattr(job, "id", None)}


def build_monthly_bulletin(user: str, year: int, month: int, division: str | None = None) -> str:
	"""Background job: build as `user`, attach privately to their User record, notify them; returns the File name."""
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		period = kpi.Period.month(year, month)
		content = workbook_bytes(period, {"division": division} if division else {})
		# an unguessable name: the workbook is its reader's, and its URL must not be derivable from the month
		file_name = f"信访工作一月一分析-{year:04d}{month:02d}-{frappe.generate_hash(length=16)}.xlsx"
		attached = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": file_name,
				"attached_to_doctype": "User",
				"attached_to_name": user,
				"is_private": 1,
				"content": content,
			}
		).insert(ignore_permissions=True)
		notify_ready(user, attached, period)
		return attached.name
	finally:
		frappe.set_user(previous)


def progress(percent: int, description: str):
	frappe.publish_progress(percent, title=_("Monthly Bulletin"), description=description)


@frappe.read_only()
def workbook_bytes(period: kpi.Period, filters: dict) -> bytes:
	from xinfang_app.xinfang_app.report.overdue_and_lights import overdue_and_lights
	from xinfang_app.xinfang_app.report.petition_kpis import petition_kpis
	from xinfang_app.xinfang_app.report.township_ranking import township_ranking

	filters = frappe._dict(filters, from_date=period.start, to_date=period.end)
	scope = reporting.scope_label(filters)
	month_text = f"{period.start.year}年{period.start.month}月"
	day = reporting.as_of(filters, period)
	book = Workbook()

	progress(10, _("KPI summary"))
	summary = petition_kpis.compute(filters, period, day)
	sheet = book.active
	sheet.title = SHEETS[0]
	title(sheet, f"{scope} {month_text}信访工作指标（统计截至{day.isoformat()}）", 5)
	table(
		sheet,
		["指标", "比率（%）", "计入件数", "基数", "计算口径"],
		[
			[r["indicator"], r["rate"], r["numerator"], r["denominator"], r["formula"]]
			for r in petition_kpis.rows_of(summary)
		],
	)
	counts = [
		["本月收到", summary.received],
		["本月受理", summary.accepted],
		["本月答复", summary.replied],
		["本月销号", summary.closed],
		["当前超期", summary.overdue],
	]
	sheet.append([])
	for row in counts:
		sheet.append(row)

	progress(35, _("Township ranking"))
	ranking = reporting.township_ranking(filters, period, day)
	sheet = book.create_sheet(SHEETS[1])
	title(sheet, f"{scope} {month_text}乡镇办结率排名", 8)
	table(
		sheet,
		["排名", "乡镇", "收到件数", "期内受理", "其中已办结", "办结率（%）", "按期办结率（%）", "当前超期"],
		[
			[
				r["rank"],
				r["township"],
				r["received"],
				r["accepted"],
				r["concluded"],
				r["completion_rate"],
				r["on_time_rate"],
				r["overdue"],
			]
			for r in map(township_ranking.row_of, ranking)
		],
	)

	progress(60, _("Category table"))
	situation = reporting.situation(filters, period, "category")
	sheet = book.create_sheet(SHEETS[2])
	title(sheet, f"{scope} {month_text}信访事项分类统计", 6)
	rows = [
		[
			r.key or "未填写",
			r.current,
			r.previous_month,
			r.month_on_month,
			r.same_month_last_year,
			r.year_on_year,
		]
		for r in [*situation.rows, situation.total]
	]
	rows[-1][0] = "合计"
	table(sheet, ["分类", "本月件数", "上月件数", "环比（%）", "去年同月", "同比（%）"], rows)

	progress(80, _("Overdue list"))
	_columns, overdue, *_rest = overdue_and_lights.execute({**filters, "as_of": day, "show": "Overdue"})
	sheet = book.create_sheet(SHEETS[3])
	title(sheet, f"{scope} 超期信访事项清单（截至{day.isoformat()}）", 7)
	table(
		sheet,
		["信访事项", "事项标题", "乡镇", "责任单位", "当前期限", "超期天数", "包案领导"],
		[
			[
				r["petition"],
				r["subject"],
				r["township"],
				r["responsible_unit"],
				r["due"],
				r["days_overdue"],
				r["lead_leader"],
			]
			for r in overdue
		],
	)

	progress(95, _("Saving"))
	buffer = BytesIO()
	book.save(buffer)
	return buffer.getvalue()


def title(sheet, text: str, width: int):
	sheet.append([text])
	sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
	sheet.cell(1, 1).font = Font(bold=True, size=14)
	sheet.cell(1, 1).alignment = Alignment(horizontal="center")


def table(sheet, header: list[str], rows: list[list]):
	sheet.append(header)
	for cell in sheet[sheet.max_row]:
		cell.font = Font(bold=True)
	for row in rows:
		sheet.append([value.isoformat() if isinstance(value, dt.date) else value for value in row])
	for index, _label in enumerate(header, start=1):
		sheet.column_dimensions[sheet.cell(2, index).column_letter].width = 16


def notify_ready(user: str, attached, period: kpi.Period):
	subject = _("Monthly bulletin {0} is ready").format(f"{period.start.year}-{period.start.month:02d}")
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": user,
			"type": "Alert",
			"subject": subject,
			"document_type": "File",
			"document_name": attached.name,
			"from_user": user,
		}
	).insert(ignore_permissions=True)
	frappe.publish_realtime(
		READY_EVENT,
		{"file_url": attached.file_url, "file_name": attached.file_name},
		user=user,
		after_commit=True,
	)
