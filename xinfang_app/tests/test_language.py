"""What jobs and the app's commands write is in the site's language (Frappe starts them in English)."""

from __future__ import annotations

import frappe
from frappe.tests.utils import FrappeTestCase, change_settings

from xinfang_app.language import site_language


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
