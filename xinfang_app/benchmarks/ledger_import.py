"""Benchmark: import of a generated township ledger workbook, ours next to Frappe's Data Import.

    bench --site <site> execute xinfang_app.benchmarks.ledger_import.run --kwargs "{'rows': 10000, 'runs': 3}"

Both importers load the same rows into Dispute Ledger Entry on the same site in the same run, each from
its file made beforehand (our .xlsx, Data Import's .csv), with the same validations: the record's own
controller and Frappe's field checks (ours as one batch, Data Import's row by row). Timed: reading and
checking the file, writing the records, committing. Each run imports the rows once with each importer
(the entries deleted in between); the median rows per second of each and their ratio are printed, then
the peak memory of one traced import of each (tracemalloc, outside the timed runs: it slows Python).
The rows go under a township the benchmark creates (基准测试镇) and are deleted afterwards, with it.
Use a scratch or demo site: Frappe's Data Import commits after every row.
"""

from __future__ import annotations

import csv
import io
import random
import resource
import statistics
import time
import tracemalloc
from datetime import date, timedelta

import frappe
from openpyxl import Workbook

from xinfang_app import ledger_excel
from xinfang_app.domain import ledger_workbook as wb

TOWNSHIP = "基准测试镇"
VILLAGES = tuple(f"基准测试{n}村" for n in range(1, 11))
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
MATTERS = (
	"因宅基地界址发生争执，双方各执一词",
	"因土地承包经营权流转费用未按期支付引发纠纷",
	"邻里之间因排水沟堵塞导致院落积水产生矛盾",
	"农民工工资拖欠约两万元，多次讨要未果",
	"家庭成员之间因老人赡养费用分担发生争吵",
)


def run(rows: int = 10000, seed: int = 7, runs: int = 1, traced: bool = True, data_import: bool = True):
	frappe.set_user("Administrator")
	frappe.local.lang = "en"
	county = frappe.db.get_value("Administrative Division", {"division_level": "County"})
	if not county:
		print("No county on this site: load the demo first (bench xinfang demo).")
		return
	setup_township(county)
	data = generate(rows, seed)
	workbook = workbook_bytes(data)
	csv_file = csv_bytes(data)
	print(f"rows: {rows}, township: {TOWNSHIP}, runs: {runs}")
	ours, theirs = [], []
	try:
		for number in range(1, runs + 1):
			ours.append(
				measure(lambda: import_ours(workbook), rows, f"run {number}: xinfang_app ledger import")
			)
			cleanup_entries()
			if not data_import:  # ours alone (while working on it); the figures need both
				continue
			theirs.append(measure(lambda: import_frappe(csv_file), rows, f"run {number}: Frappe Data Import"))
			cleanup_entries()
		if not data_import:
			return
		ours_rate, theirs_rate = statistics.median(ours), statistics.median(theirs)
		print(
			f"median of {runs}: ours {ours_rate:.0f} rows/s, Data Import {theirs_rate:.0f} rows/s, "
			f"ratio (ours / Data Import) {ours_rate / theirs_rate:.1f}×"
		)
		if traced:
			for label, action in (
				("xinfang_app ledger import", lambda: import_ours(workbook)),
				("Frappe Data Import", lambda: import_frappe(csv_file)),
			):
				tracemalloc.start()
				action()
				_, peak = tracemalloc.get_traced_memory()
				tracemalloc.stop()
				cleanup_entries()
				print(f"{label}: peak traced memory {peak / 1024 / 1024:.0f} MB (a traced run, not timed)")
		print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
	finally:
		cleanup_entries()
		cleanup_township()
		frappe.db.commit()


def measure(action, rows: int, label: str) -> float:
	started = time.perf_counter()
	written = action()
	seconds = time.perf_counter() - started
	rate = written / seconds if seconds else 0.0
	print(f"{label}: {written} of {rows} rows in {seconds:.1f} s = {rate:.0f} rows/s")
	if written != rows:
		print(f"  (only {written} of {rows} rows written)")
	return rate


def generate(rows: int, seed: int) -> list[dict]:
	rng = random.Random(seed)
	start = date(2026, 1, 5)
	out = []
	for n in range(rows):
		found = start + timedelta(days=rng.randint(0, 300))
		parties = "、".join(
			rng.choice(SURNAMES) + rng.choice("建国秀英志强丽华海军桂兰") + str(n) for _ in range(2)
		)
		out.append(
			{
				"division": rng.choice(VILLAGES),
				"found_on": found,
				"parties": parties,
				"summary": f"{rng.choice(MATTERS)}（第{n}号）",
				"tier": rng.choices(("一级", "二级", "三级"), (38, 29, 14))[0],
				"status": "化解中",
				"reported_by": "基准测试员",
			}
		)
	return out


def workbook_bytes(data: list[dict]) -> bytes:
	book = Workbook()
	sheet = book.active
	sheet.append(["矛盾纠纷排查台账（基准测试）"])
	sheet.append(
		["序号", "村（社区）", "排查日期", "当事人", "纠纷简要情况", "管理等级", "化解状态", "填报人"]
	)
	for n, row in enumerate(data, start=1):
		sheet.append(
			[
				n,
				row["division"],
				row["found_on"],
				row["parties"],
				row["summary"],
				row["tier"],
				row["status"],
				row["reported_by"],
			]
		)
	buffer = io.BytesIO()
	book.save(buffer)
	return buffer.getvalue()


def import_ours(content: bytes) -> int:
	"""What the 「开始导入」 job does (ledger_excel.run_import), from the attached workbook's bytes."""
	doc = frappe.get_doc(
		{"doctype": "Ledger Import", "division": TOWNSHIP, "import_mode": ledger_excel.ALL_OR_NOTHING}
	)
	doc.insert()
	result = wb.parse_ledger_workbook(
		content,
		lookups=ledger_excel.lookups(TOWNSHIP),
		existing_keys=ledger_excel.existing_keys(TOWNSHIP),
		columns=ledger_excel.IMPORT_COLUMNS,
	)
	if result.errors:
		print("parse errors:", result.error_text()[:500])
	written = ledger_excel.write_rows(doc, result.rows_to_import(), result, partial=False)
	ledger_excel.finish(doc, result, written)
	frappe.db.commit()
	return written


def csv_bytes(data: list[dict]) -> bytes:
	buffer = io.StringIO()
	writer = csv.writer(buffer)
	writer.writerow(
		[
			"Division",
			"Found On",
			"Dispute Summary",
			"Ledger Tier",
			"Ledger Status",
			"Screener",
			"Party Name (Dispute Parties)",
			"Dispute Party Role (Dispute Parties)",
		]
	)
	for row in data:
		writer.writerow(
			[
				row["division"],
				row["found_on"].isoformat(),
				row["summary"],
				row["tier"],
				row["status"],
				row["reported_by"],
				row["parties"],
				"其他当事人",
			]
		)
	return buffer.getvalue().encode()


def import_frappe(content: bytes) -> int:
	from frappe.core.doctype.data_import.importer import Importer

	file = frappe.get_doc(
		{"doctype": "File", "file_name": "ledger-benchmark.csv", "is_private": 1, "content": content}
	).insert()
	data_import = frappe.get_doc(
		{
			"doctype": "Data Import",
			"reference_doctype": ledger_excel.LEDGER,
			"import_type": "Insert New Records",
			"import_file": file.file_url,
		}
	).insert()
	frappe.db.commit()
	Importer(ledger_excel.LEDGER, data_import=data_import).import_data()
	return frappe.db.count(ledger_excel.LEDGER, {"township": TOWNSHIP})


def setup_township(county: str):
	if not frappe.db.exists("Administrative Division", TOWNSHIP):
		frappe.get_doc(
			{
				"doctype": "Administrative Division",
				"division_name": TOWNSHIP,
				"division_level": "Township",
				"parent_administrative_division": county,
			}
		).insert()
	for village in VILLAGES:
		if not frappe.db.exists("Administrative Division", village):
			frappe.get_doc(
				{
					"doctype": "Administrative Division",
					"division_name": village,
					"division_level": "Village",
					"parent_administrative_division": TOWNSHIP,
				}
			).insert()
	frappe.db.commit()


def cleanup_entries():
	names = frappe.get_all(ledger_excel.LEDGER, {"township": TOWNSHIP}, pluck="name")
	for chunk in range(0, len(names), 1000):
		part = names[chunk : chunk + 1000]
		frappe.db.delete("Dispute Party", {"parenttype": ledger_excel.LEDGER, "parent": ("in", part)})
		frappe.db.delete(ledger_excel.LEDGER, {"name": ("in", part)})
		frappe.db.delete(
			"Workflow Action", {"reference_doctype": ledger_excel.LEDGER, "reference_name": ("in", part)}
		)
		frappe.db.delete("Version", {"ref_doctype": ledger_excel.LEDGER, "docname": ("in", part)})
	frappe.db.delete("Ledger Import", {"division": TOWNSHIP})
	frappe.db.commit()


def profile(rows: int = 10000, seed: int = 7):
	"""cProfile of our import alone (top functions by cumulative time), for finding where the time goes."""
	import cProfile
	import pstats

	frappe.set_user("Administrator")
	setup_township(frappe.db.get_value("Administrative Division", {"division_level": "County"}))
	content = workbook_bytes(generate(rows, seed))
	profiler = cProfile.Profile()
	try:
		profiler.enable()
		import_ours(content)
		profiler.disable()
		pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
	finally:
		cleanup_entries()
		cleanup_township()
		frappe.db.commit()


def phases(rows: int = 10000, seed: int = 7):
	"""Seconds spent in each phase of our import (parse, check, name, write, workflow actions)."""
	frappe.set_user("Administrator")
	setup_township(frappe.db.get_value("Administrative Division", {"division_level": "County"}))
	content = workbook_bytes(generate(rows, seed))
	spent: dict[str, float] = {}

	def timed(module, name):
		original = getattr(module, name)

		def wrapper(*args, **kwargs):
			started = time.perf_counter()
			try:
				return original(*args, **kwargs)
			finally:
				spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

		setattr(module, name, wrapper)
		return original

	targets = [
		(wb, "parse_ledger_workbook"),
		(ledger_excel, "lookups"),
		(ledger_excel, "existing_keys"),
		(ledger_excel, "prepare_entries"),
		(ledger_excel, "name_entries"),
		(ledger_excel, "insert_rows"),
		(ledger_excel, "add_workflow_actions"),
		(ledger_excel, "after_insert"),
		(ledger_excel, "finish"),
	]
	originals = [timed(module, name) for module, name in targets]
	try:
		started = time.perf_counter()
		import_ours(content)
		total = time.perf_counter() - started
		for name, seconds in spent.items():
			print(f"{name}: {seconds:.2f} s")
		print(f"total: {total:.2f} s = {rows / total:.0f} rows/s")
	finally:
		for (module, name), original in zip(targets, originals, strict=True):
			setattr(module, name, original)
		cleanup_entries()
		cleanup_township()
		frappe.db.commit()


def cleanup_township():
	for village in VILLAGES:
		if frappe.db.exists("Administrative Division", village):
			frappe.delete_doc("Administrative Division", village, force=True)
	if frappe.db.exists("Administrative Division", TOWNSHIP):
		frappe.delete_doc("Administrative Division", TOWNSHIP, force=True)
