"""Township ledger workbooks: import into Dispute Ledger Entry (all-or-nothing or valid rows), export."""

from __future__ import annotations

import io
from unittest.mock import patch

import frappe
from frappe.utils import add_days, today
from openpyxl import Workbook, load_workbook

from xinfang_app import ledger_excel
from xinfang_app.domain import ledger_workbook as wb
from xinfang_app.tests.cases import WorldCase
from xinfang_app.tests.factories import email

HEADERS = ["序号", "村（社区）", "排查日期", "当事人", "纠纷简要情况", "管理等级", "化解状态", "填报人"]


def workbook(rows) -> bytes:
	book = Workbook()
	sheet = book.active
	sheet.title = "第3周"
	sheet.append(["测试甲镇矛盾纠纷排查台账"])
	sheet.append(HEADERS)
	for n, row in enumerate(rows, start=1):
		sheet.append([n, *row])
	buffer = io.BytesIO()
	book.save(buffer)
	return buffer.getvalue()


def good_rows(count=3, tag="甲"):
	return [
		[
			"测试甲一村",
			"2026-1-5",
			f"王{tag}{n}、李{tag}{n}",
			f"宅基地界址纠纷{tag}{n}",
			"一级",
			"化解中",
			"张三",
		]
		for n in range(count)
	]


class TestLedgerImport(WorldCase):
	def new_import(self, content, mode=ledger_excel.ALL_OR_NOTHING, user="township_a", township="测试甲镇"):
		frappe.set_user(email(user))
		doc = frappe.get_doc({"doctype": "Ledger Import", "division": township, "import_mode": mode}).insert()
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "台账.xlsx",
				"attached_to_doctype": "Ledger Import",
				"attached_to_name": doc.name,
				"attached_to_field": "import_file",
				"is_private": 1,
				"content": content,
			}
		).insert()
		doc.reload()
		doc.import_file = file.file_url
		doc.save()
		return doc.name

	def imported(self, name):
		return frappe.get_all("Dispute Ledger Entry", {"ledger_import": name}, pluck="name")

	def status(self, name):
		return frappe.db.get_value(
			"Ledger Import",
			name,
			["import_status", "imported_rows", "failed_rows", "error_log", "error_file"],
			as_dict=True,
		)

	def test_a_good_workbook_becomes_ledger_entries_with_their_parties(self):
		name = self.new_import(workbook(good_rows(3, "好")))
		self.assertEqual(ledger_excel.start_import(name), ledger_excel.IMPORTED)
		entries = self.imported(name)
		self.assertEqual(len(entries), 3)
		entry = frappe.get_doc("Dispute Ledger Entry", {"summary": "宅基地界址纠纷好0"})
		self.assertEqual(
			(entry.division, entry.township, entry.tier, entry.status),
			("测试甲一村", "测试甲镇", "一级", "化解中"),
		)
		self.assertEqual([p.party_name for p in entry.parties], ["王好0", "李好0"])
		self.assertEqual(self.status(name).imported_rows, 3)

	def test_by_default_one_bad_row_means_nothing_is_written(self):
		rows = good_rows(3, "坏")
		rows[1][1] = "2026-13-01"
		name = self.new_import(workbook(rows))
		self.assertEqual(ledger_excel.start_import(name), ledger_excel.FAILED)
		self.assertEqual(self.imported(name), [])
		result = self.status(name)
		self.assertIn("工作表「第3周」第 4 行 C 列（排查日期）", result.error_log)
		self.assertEqual(result.failed_rows, 1)
		self.assertTrue(result.error_file)

	def test_importing_the_valid_rows_hands_back_an_error_workbook_of_the_rest(self):
		rows = good_rows(3, "半")
		rows[2][0] = "测试乙一村"  # a village of another township
		name = self.new_import(workbook(rows), mode=ledger_excel.VALID_ROWS_ONLY)
		self.assertEqual(ledger_excel.start_import(name), ledger_excel.PARTLY_IMPORTED)
		self.assertEqual(len(self.imported(name)), 2)
		result = self.status(name)
		file = frappe.get_doc("File", {"file_url": result.error_file, "attached_to_name": name})
		self.assertTrue(file.is_private)
		errors = wb.parse_ledger_workbook(file.get_content(), columns=ledger_excel.IMPORT_COLUMNS)
		self.assertEqual(errors.total_rows, 1)
		sheet = load_workbook(io.BytesIO(file.get_content())).active
		self.assertIn("测试乙一村", [cell.value for cell in sheet[2]])
		# the village is known, elsewhere: the message says where
		self.assertIn("「测试乙一村」属于「测试乙乡」，不在本次导入的范围内", result.error_log)

	def test_a_failed_import_may_be_corrected_and_started_again_an_imported_one_not(self):
		rows = good_rows(3, "改")
		rows[1][1] = "2026-13-01"
		name = self.new_import(workbook(rows))
		self.assertEqual(ledger_excel.start_import(name), ledger_excel.FAILED)
		doc = frappe.get_doc("Ledger Import", name)
		doc.import_mode = ledger_excel.VALID_ROWS_ONLY  # nothing was written: the officer chooses again
		doc.save()
		self.assertEqual(ledger_excel.start_import(name), ledger_excel.PARTLY_IMPORTED)
		self.assertEqual(len(self.imported(name)), 2)
		doc.reload()
		doc.import_mode = ledger_excel.ALL_OR_NOTHING
		self.assertRaises(frappe.ValidationError, doc.save)

	def test_rows_already_in_the_ledger_are_reported_as_duplicates(self):
		content = workbook(good_rows(2, "重"))
		first = self.new_import(content)
		ledger_excel.start_import(first)
		again = self.new_import(content)
		self.assertEqual(ledger_excel.start_import(again), ledger_excel.FAILED)
		for entry in self.imported(first):  # each duplicate names the entry it repeats
			self.assertIn(f"与已登记的台账 {entry} 重复", self.status(again).error_log)
		self.assertEqual(self.imported(again), [])

	def test_a_row_the_record_refuses_undoes_the_whole_import(self):
		rows = good_rows(3, "撤")
		rows[2][1] = add_days(today(), 5)  # parses, but a ledger entry cannot be found in the future
		name = self.new_import(workbook(rows))
		self.assertEqual(ledger_excel.start_import(name), ledger_excel.FAILED)
		self.assertEqual(self.imported(name), [])
		self.assertEqual(
			frappe.db.count("Dispute Ledger Entry", {"summary": ("like", "宅基地界址纠纷撤%")}), 0
		)
		self.assertIn("第 5 行", self.status(name).error_log)

	def test_a_large_workbook_runs_as_a_background_job_with_progress(self):
		name = self.new_import(workbook(good_rows(4, "大")))
		with (
			patch.object(ledger_excel, "BACKGROUND_ROWS", 2),
			patch.object(ledger_excel.frappe, "enqueue") as enqueue,
		):
			self.assertEqual(ledger_excel.start_import(name), ledger_excel.QUEUED)
		self.assertEqual(enqueue.call_args.kwargs["ledger_import"], name)
		self.assertEqual(self.status(name).import_status, ledger_excel.QUEUED)
		frappe.set_user("Administrator")
		with (
			patch.object(ledger_excel, "PROGRESS_EVERY", 2),
			patch.object(ledger_excel.frappe, "publish_progress") as progress,
		):
			ledger_excel.run_import(name, user=email("township_a"))
		self.assertEqual([round(call.args[0]) for call in progress.call_args_list], [50, 100])
		self.assertEqual(len(self.imported(name)), 4)
		self.assertEqual(
			frappe.db.get_value("Dispute Ledger Entry", {"ledger_import": name}, "owner"), email("township_a")
		)

	def test_an_unexpected_failure_undoes_the_import_and_says_so(self):
		name = self.new_import(workbook(good_rows(3, "崩")))
		with patch.object(ledger_excel, "finish", side_effect=RuntimeError("disk full")):
			ledger_excel.run_import(name)
		self.assertEqual(self.imported(name), [])
		result = self.status(name)
		self.assertEqual(result.import_status, ledger_excel.FAILED)
		self.assertIn("disk full", result.error_log)
		self.assertTrue(frappe.db.exists("Error Log", {"reference_name": name}))

	def test_an_officer_cannot_import_into_another_township(self):
		with self.assertRaises(frappe.PermissionError):
			self.new_import(workbook(good_rows(1, "越")), user="township_b")

	def test_a_village_officer_cannot_import(self):
		with self.assertRaises(frappe.PermissionError):
			self.new_import(workbook(good_rows(1, "村")), user="village_a1", township="测试甲镇")

	def test_export_holds_the_users_ledger_in_the_county_template_and_imports_again(self):
		ledger_excel.start_import(self.new_import(workbook(good_rows(2, "导"))))
		frappe.set_user("Administrator")
		frappe.get_doc(
			{
				"doctype": "Dispute Ledger Entry",
				"division": "测试乙一村",
				"found_on": "2026-01-06",
				"summary": "乙乡的纠纷不应导出给甲镇",
				"tier": "二级",
				"parties": [{"party_name": "赵乙"}],
			}
		).insert()
		frappe.set_user(email("township_a"))
		ledger_excel.export_ledger({"summary": ("like", "%纠纷%")})
		content = frappe.response["filecontent"]
		sheet = load_workbook(io.BytesIO(content)).active
		self.assertEqual(sheet["A1"].value, "矛盾纠纷排查化解台账")
		self.assertTrue(sheet["A2"].value.startswith("填报单位：测试甲镇 "), sheet["A2"].value)
		column = [cell.value for cell in sheet[3]].index("纠纷简要情况")
		summaries = [row[column] for row in sheet.iter_rows(min_row=4, values_only=True) if row[column]]
		self.assertNotIn("乙乡的纠纷不应导出给甲镇", summaries)
		self.assertIn("宅基地界址纠纷导0", summaries)
		ledger_excel.export_ledger([["Dispute Ledger Entry", "division", "=", "测试甲一村"]])
		title = load_workbook(io.BytesIO(frappe.response["filecontent"])).active["A2"].value
		self.assertTrue(title.startswith("填报单位：测试甲一村 "), title)
		parsed = wb.parse_ledger_workbook(content)
		self.assertEqual(
			len(parsed.rows),
			frappe.db.count("Dispute Ledger Entry", {"township": "测试甲镇", "summary": ("like", "%纠纷%")}),
		)

	def test_the_batch_writes_what_a_save_of_each_row_writes(self):
		book = Workbook()
		sheet = book.active
		sheet.append([*HEADERS, "化解日期", "纠纷类型"])
		sheet.append(
			[1, "测试甲一村", "2026-1-5", "王同、李同", "宅基地界址纠纷同0", "二级", "化解中", "张三"]
		)
		sheet.append(
			[2, "测试甲一村", "2026-1-6", "赵同", "宅基地界址纠纷同1", "三级", "已化解", "张三", "2026-1-9"]
		)
		buffer = io.BytesIO()
		book.save(buffer)
		name = self.new_import(buffer.getvalue())
		self.assertEqual(ledger_excel.start_import(name), ledger_excel.IMPORTED)
		parsed = wb.parse_ledger_workbook(
			buffer.getvalue(), lookups=ledger_excel.lookups("测试甲镇"), columns=ledger_excel.IMPORT_COLUMNS
		)
		for row in parsed.rows:
			ledger_excel.insert_entry(row, name)  # the same row, saved as a form would save it
		ignored = {"name", "creation", "modified", "parent"}
		for summary in ("宅基地界址纠纷同0", "宅基地界址纠纷同1"):
			batch, saved = (
				frappe.get_doc("Dispute Ledger Entry", entry)
				for entry in frappe.get_all(
					"Dispute Ledger Entry", {"summary": summary}, pluck="name", order_by="creation asc"
				)
			)
			self.assertEqual(
				{
					k: v
					for k, v in batch.as_dict(no_default_fields=False).items()
					if k not in ignored | {"parties"}
				},
				{
					k: v
					for k, v in saved.as_dict(no_default_fields=False).items()
					if k not in ignored | {"parties"}
				},
			)
			self.assertEqual(
				[{k: v for k, v in p.as_dict().items() if k not in ignored} for p in batch.parties],
				[{k: v for k, v in p.as_dict().items() if k not in ignored} for p in saved.parties],
			)
			self.assertTrue(batch.name.startswith("TZ-2026-"))
			self.assertEqual(batch.township, "测试甲镇")
			actions = [
				frappe.get_all(
					"Workflow Action",
					{"reference_name": entry.name, "status": "Open"},
					["workflow_state", "name"],
				)
				for entry in (batch, saved)
			]
			self.assertEqual(len(actions[0]), len(actions[1]))
			self.assertEqual(len(actions[0]), 1 if summary.endswith("1") else 0)
			roles = [
				sorted(frappe.get_all("Workflow Action Permitted Role", {"parent": a[0].name}, pluck="role"))
				for a in actions
				if a
			]
			if roles:
				self.assertEqual(roles[0], roles[1])
