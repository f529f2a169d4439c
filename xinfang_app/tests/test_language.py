"""What jobs and the app's commands write is in the site's language (Frappe starts them in English)."""

from __future__ import annotations

import frappe
from frappe.tests.utils import FrappeTestCase, change_settings
from frappe.utils import add_days, today

from xinfang_app import lifecycle
from xinfang_app.language import site_language
from xinfang_app.tests.cases import LifecycleCase


class TestJobLanguage(FrappeTestCase):
	def tearDown(self):
		frappe.local.lang = self.saved_lang

	def setUp(self):
		self.saved_lang = frappe.local.lang

	@change_settings("System Settings", language="zh")
	def test_a_job_starts_in_the_sites_language(self):
		self.assertEqual(site_language(), "zh")
		frappe.local.lang = "en"  # as frappe.init leaves a worker (no lang in site_config)
		self.assertEqual(frappe._("Monthly Bulletin"), "Monthly Bulletin")
		hooks = frappe.get_hooks("before_job")
		self.assertIn("xinfang_app.language.use_site_language", hooks)
		for task in hooks:  # as frappe.utils.background_jobs.execute_job runs them
			frappe.call(task, method="xinfang_app.lifecycle.run_scheduled", kwargs={}, transaction_type="job")
		self.assertEqual(frappe.local.lang, "zh")
		self.assertEqual(frappe._("Monthly Bulletin"), "一月一分析")


class TestLinkSuggestions(FrappeTestCase):
	def test_levels_and_unit_types_read_in_the_readers_language(self):
		from xinfang_app.tests.factories import build_world
		from xinfang_app.tests.test_access import rest

		build_world()
		saved = frappe.local.lang
		self.addCleanup(setattr, frappe.local, "lang", saved)
		frappe.local.lang = "zh"
		divisions = rest(
			"frappe.desk.search.search_link", doctype="Administrative Division", txt="测试甲一村"
		)
		described = {row["value"]: row["description"] for row in divisions}
		self.assertIn("行政村", described["测试甲一村"])
		self.assertNotIn("Village", described["测试甲一村"])
		units = rest("frappe.desk.search.search_link", doctype="Government Unit", txt="测试县住建局")
		description = {row["value"]: row["description"] for row in units}["测试县住建局"]
		self.assertNotIn("County Department", description)
		self.assertIn(frappe._("County Department"), description)


class TestTimelineLanguage(FrappeTestCase):
	def test_the_forms_history_shows_states_and_lights_translated_and_keeps_them_stored(self):
		import json

		from xinfang_app.tests.factories import build_world
		from xinfang_app.tests.test_access import rest

		world = build_world()
		name = world.petitions["a1"]
		stored = json.dumps(
			{"changed": [["workflow_state", "Pending Acceptance", "Accepted"], ["light", "", "Red"]]}
		)
		version = frappe.get_doc(
			{"doctype": "Version", "ref_doctype": "Petition", "docname": name, "data": stored}
		).insert(ignore_permissions=True)
		self.addCleanup(frappe.delete_doc, "Version", version.name, force=True, ignore_permissions=True)
		saved = frappe.local.lang
		self.addCleanup(setattr, frappe.local, "lang", saved)
		frappe.local.lang = "zh"
		rest("frappe.desk.form.load.getdoc", doctype="Petition", name=name)
		shown = next(v for v in frappe.response.docinfo.versions if v.name == version.name)
		changed = json.loads(shown.data)["changed"]
		self.assertEqual(
			changed,
			[["workflow_state", "待受理", frappe._("Accepted")], ["light", "（空）", "红"]],
		)  # an empty value reads （空）, not Frappe's "null" or ""
		self.assertNotEqual(changed[0][2], "Accepted")
		self.assertEqual(frappe.db.get_value("Version", version.name, "data"), stored)


class TestListExportLanguage(FrappeTestCase):
	def test_the_report_builders_export_writes_states_lights_and_levels_in_chinese(self):
		import io
		import json

		from openpyxl import load_workbook

		from xinfang_app.tests.factories import build_world
		from xinfang_app.tests.test_access import rest

		world = build_world()
		name = world.petitions["a1"]
		frappe.db.set_value("Petition", name, "light", "Red", update_modified=False)
		saved = frappe.local.lang
		self.addCleanup(setattr, frappe.local, "lang", saved)
		frappe.local.lang = "zh"
		rest(
			"frappe.desk.reportview.export_query",
			doctype="Petition",
			file_format_type="Excel",
			fields=json.dumps(
				[
					"`tabPetition`.`name`",
					"`tabPetition`.`workflow_state`",
					"`tabPetition`.`light`",
					"`tabPetition`.`handling_level`",
				]
			),
			filters=json.dumps([["Petition", "name", "=", name]]),
		)
		sheet = load_workbook(io.BytesIO(frappe.response["filecontent"])).active
		row = [cell.value for cell in sheet[2]]
		state, level = frappe.db.get_value("Petition", name, ["workflow_state", "handling_level"])
		self.assertEqual(row[1:], [name, frappe._(state), "红", frappe._(level)])
		self.assertNotEqual(frappe._(level), level)


class TestHourlyJobWritesChinese(LifecycleCase):
	@change_settings("System Settings", language="zh")
	def test_the_hourly_job_writes_its_notices_comments_and_notifications_in_chinese(self):
		import re

		overdue = self.overdue_pending(days_ago=40)
		village = self.pending(handling_level="Village")
		frappe.db.set_value("Petition", village, "tier_started_on", add_days(today(), -10))
		frappe.set_user("Administrator")
		saved = frappe.local.lang
		self.addCleanup(setattr, frappe.local, "lang", saved)
		frappe.local.lang = "en"  # as a worker starts
		for task in frappe.get_hooks("before_job"):
			frappe.call(task, method="xinfang_app.lifecycle.run_scheduled", kwargs={}, transaction_type="job")
		lifecycle.run_scheduled()
		self.committed()
		written = frappe.get_all(
			"Supervision Notice", {"petition": overdue, "is_automatic": 1}, pluck="instructions"
		)
		written += frappe.get_all(
			"Comment", {"reference_name": village, "comment_type": "Info"}, pluck="content"
		)
		written += frappe.get_all(
			"Notification Log", {"document_name": ("in", [overdue, village])}, pluck="subject"
		)
		self.assertGreaterEqual(len(written), 3, written)
		for text in written:
			self.assertRegex(text, r"[\u4e00-\u9fff]", text)
			# no English sentence the app writes: words of three or more Latin letters
			self.assertIsNone(re.search(r"\b[A-Za-z]{3,}\b", re.sub(r"<[^>]+>", "", text)), text)
