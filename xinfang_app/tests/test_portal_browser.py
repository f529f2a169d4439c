"""Issue 12 item 6: a petitioner on a phone (375 px wide, Chromium + Playwright against `bench serve`) files a
petition with an attachment, reads the receipt, follows the matter with the query code, and — once the desk
has moved it to 已答复 — reads the reply and rates it. On the way: a fake file and a wrong ID number are
refused in the page with the desk's Chinese messages, a wrong code gets the one answer for every failure,
and the page never scrolls sideways.

Skipped with the reason without Chromium or Playwright, failed instead under CI=true (tests/browser.py).
Screenshots of every step go to a temporary directory printed at the start.
"""

from __future__ import annotations

import os
import re
import tempfile

import frappe

from xinfang_app.domain import idcard
from xinfang_app.domain import portal as rules
from xinfang_app.tests.browser import ServedBrowser
from xinfang_app.tests.cases import LifecycleCase
from xinfang_app.tests.factories import make_id_number, remove_petitions

PHONE_VIEWPORT = {"width": 375, "height": 740}
TIMEOUT_MS = 30_000
SUBJECT = "网上浏览器测试：村道损毁影响出行"
ID_NUMBER = make_id_number(311)
PHONE = "13700000311"


class TestPortalBrowser(ServedBrowser, LifecycleCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.screenshots("xinfang-portal-browser-", "portal browser")
		frappe.cache.delete_keys("rl:xinfang_app.portal")
		frappe.cache.delete_keys("xinfang-portal:")
		frappe.db.commit()
		cls.launch("the portal browser test", on_failure=cls.cleanup)

	@classmethod
	def tearDownClass(cls):
		cls.stop()
		cls.cleanup()
		super().tearDownClass()

	@classmethod
	def cleanup(cls):
		frappe.db.rollback()
		remove_petitions({"subject": SUBJECT})

	def setUp(self):
		super().setUp()
		self.shot = 0
		self.errors = []
		context = self.browser.new_context(
			viewport=PHONE_VIEWPORT,
			device_scale_factor=2,
			is_mobile=True,
			has_touch=True,
			locale="zh-CN",
			timezone_id="Asia/Shanghai",
		)
		context.set_default_timeout(TIMEOUT_MS)
		self.addCleanup(context.close)
		self.page = context.new_page()
		self.page.on("pageerror", lambda error: self.errors.append(str(error)))
		self.files = tempfile.mkdtemp(prefix="xinfang-portal-files-")
		self.addCleanup(lambda: frappe.db.rollback())

	def file(self, name: str, content: bytes) -> str:
		path = os.path.join(self.files, name)
		with open(path, "wb") as f:
			f.write(content)
		return path

	def snap(self, label: str):
		self.shot += 1
		self.page.screenshot(path=os.path.join(self.shots, f"{self.shot:02d}-{label}.png"), full_page=True)

	def assertFitsThePhone(self):
		width = self.page.evaluate("document.documentElement.scrollWidth")
		self.assertLessEqual(width, PHONE_VIEWPORT["width"], "the page scrolls sideways on a phone")

	def error_for(self, field: str) -> str:
		return self.page.locator(f'.xf-error[data-for="{field}"]').inner_text().strip()

	def fill_form(self, id_number: str):
		page = self.page
		page.fill("#full_name", "网上浏览器测试人")
		page.fill("#id_number", id_number)
		page.fill("#phone", PHONE)
		page.wait_for_function("document.querySelector('#xf-county').options.length > 1")
		page.select_option("#xf-county", "测试县")
		page.wait_for_function("document.querySelector('#xf-township').options.length > 1")
		page.select_option("#xf-township", "测试甲镇")
		page.wait_for_function("document.querySelector('#xf-village').options.length > 1")
		page.select_option("#xf-village", "测试甲一村")
		page.fill("#address", "测试甲一村3组12号")
		page.select_option("#category", index=1)
		page.fill("#subject", SUBJECT)
		page.fill("#content", "村里主干道去年雨季冲毁一段，至今没有修复，老人孩子出行不便。")
		page.fill("#demands", "尽快修复村道")

	def query(self, code: str, proof: str):
		page = self.page
		page.goto(f"{self.base}/xinfang/query")
		page.fill("#query_code", code)
		page.fill("#proof", proof)
		page.click("#xf-query-button")

	def test_a_petitioner_files_follows_and_rates_on_a_phone(self):
		page = self.page
		petitions = frappe.db.count("Petition")
		page.goto(f"{self.base}/xinfang")
		page.wait_for_selector("#xf-form")
		self.snap("form")
		self.assertFitsThePhone()

		# a wrong ID number and a fake "pdf" are refused in the page, with the desk's words; nothing is sent
		wrong_id = ID_NUMBER[:17] + ("1" if ID_NUMBER[17] != "1" else "2")
		self.fill_form(wrong_id)
		page.set_input_files("#xf-files", self.file("发票.pdf", b"MZ\x90\x00 not a pdf"))
		page.click("#xf-submit")
		page.wait_for_function("document.querySelector('.xf-error[data-for=\"id_number\"]').textContent")
		with self.assertRaises(idcard.IdNumberError) as desk:
			idcard.parse(wrong_id)
		self.assertEqual(self.error_for("id_number"), desk.exception.message_zh)
		self.assertIn("不是 PDF、JPG 或 PNG", self.error_for("files"))
		self.snap("refused")
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Petition"), petitions)

		# corrected: a real pdf, the right number
		page.fill("#id_number", ID_NUMBER)
		page.set_input_files("#xf-files", self.file("现场照片.pdf", b"%PDF-1.4\n%%EOF\n"))
		page.click("#xf-submit")
		page.wait_for_selector("#xf-receipt:not([hidden])")
		self.snap("receipt")
		self.assertFitsThePhone()
		petition = page.inner_text("#r-petition").strip()
		code = page.inner_text("#r-code").strip()
		self.assertRegex(petition, r"^XF-\d{4}-\d{5}$")
		self.assertGreaterEqual(len(rules.normalize_code(code)), 10)
		self.assertEqual(page.inner_text("#r-files").strip(), "现场照片.pdf")
		frappe.db.rollback()
		doc = frappe.get_doc("Petition", petition)
		self.assertEqual(
			(doc.channel, doc.workflow_state, doc.subject), ("网上信访", "Registration", SUBJECT)
		)
		self.assertEqual(page.inner_text("#r-acceptance").strip(), str(doc.acceptance_due))
		attached = frappe.get_all(
			"File", {"attached_to_name": petition}, ["file_name", "is_private"], ignore_permissions=True
		)
		self.assertEqual([(f.file_name, f.is_private) for f in attached], [("现场照片.pdf", 1)])

		# a wrong code: the one answer; the right one: the matter as registered
		self.query("ABCD-EFGH-JKMN", ID_NUMBER[-4:])
		page.wait_for_selector("#xf-query-error:not([hidden])")
		self.assertIn("不正确", page.inner_text("#xf-query-error"))
		self.snap("wrong-code")
		self.query(code, ID_NUMBER[-4:])
		page.wait_for_selector("#xf-result:not([hidden])")
		self.assertEqual(page.inner_text("#q-state").strip(), "已登记，等待受理审查")
		self.snap("registered")
		self.assertFitsThePhone()

		self.walk_to_reply(petition)  # the desk accepts, assigns, handles and replies

		self.query(code, PHONE)
		page.wait_for_selector("#xf-result:not([hidden])")
		self.assertEqual(page.inner_text("#q-state").strip(), "已答复")
		notices = page.locator(".xf-notice").all_inner_texts()
		self.assertIn("信访处理意见书（PDF）", notices)
		with page.expect_popup() as popup:
			page.locator(".xf-notice", has_text="信访处理意见书").click()
		pdf = popup.value
		pdf.wait_for_load_state()
		self.snap("replied")
		page.check("#q-rate input[value='满意']")
		page.click("#q-rate-button")
		page.wait_for_selector("#q-message.xf-ok")
		self.assertIn("感谢您的评价", page.inner_text("#q-message"))
		self.snap("rated")
		frappe.db.rollback()
		visit = frappe.get_all(
			"Follow-up Visit", {"petition": petition}, ["method", "satisfaction"], ignore_permissions=True
		)
		self.assertEqual([(v.method, v.satisfaction) for v in visit], [("网上评价", "满意")])
		self.assertEqual(page.inner_text("#q-satisfaction").strip(), "满意")
		self.assertEqual(self.errors, [], "errors in the page's scripts")
		self.assertFalse(re.search(r"Traceback|Internal Server Error", page.content()))
