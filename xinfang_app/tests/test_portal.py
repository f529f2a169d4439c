"""网上信访 (issue 12, items 1–4): the petitioner files, follows, reads, rates and asks for review, over HTTP
as a phone's browser would, with no account; the desk's officers move the matter in between.

The requests run through Frappe's whole WSGI application on their own database connection, so what the
desk does in-process is committed before the petitioner looks again; every petition made here is deleted
when the class ends.
"""

from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import frappe
from frappe.tests.test_api import make_request
from frappe.utils import add_days, get_test_client, getdate, today

from xinfang_app.domain import idcard
from xinfang_app.domain import portal as rules
from xinfang_app.tests.cases import UNIT, VILLAGE, LifecycleCase
from xinfang_app.tests.factories import email, make_id_number, remove_petitions

ONLINE_ID = make_id_number(301)
AGENT_ID = make_id_number(302)
PHONE = "13700000301"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class Browser:
	"""A phone's browser: no login, its own cookie jar."""

	def __init__(self):
		self.client = get_test_client()

	def post(self, method: str, **data):
		return self.post_path(f"/api/method/xinfang_app.portal.{method}", **data)

	def post_path(self, path: str, **data):
		response = make_request(target=self.client.post, args=(path,), kwargs={"data": data})
		frappe.db.rollback()  # a fresh snapshot: what the request committed, through its own connection
		return response

	def get(self, path: str, **query):
		response = make_request(target=self.client.get, args=(path,), kwargs={"query_string": query})
		frappe.db.rollback()
		return response


def message_of(response) -> str:
	messages = json.loads(response.json.get("_server_messages") or "[]")
	return "；".join(json.loads(m)["message"] for m in messages)


class GatewayHandler(BaseHTTPRequestHandler):
	received: list[dict] = []

	def do_POST(self):
		length = int(self.headers.get("Content-Length") or 0)
		form = parse_qs(self.rfile.read(length).decode())
		GatewayHandler.received.append({key: values[0] for key, values in form.items()})
		self.send_response(200)
		self.end_headers()
		self.wfile.write(b"OK")

	def log_message(self, *args):
		pass


class TestPortal(LifecycleCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.category = frappe.get_all("Petition Category", {"is_group": 0}, pluck="name", limit=1)[0]
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		remove_petitions({"channel": rules.CHANNEL, "subject": ("like", "网上测试%")})
		super().tearDownClass()

	def setUp(self):
		super().setUp()
		frappe.db.rollback()  # nothing left open by an earlier test holds a lock the requests wait on
		frappe.cache.delete_keys("rl:xinfang_app.portal")
		frappe.cache.delete_keys("xinfang-portal:")
		self.browser = Browser()

	def settings(self, **values):
		before = {key: frappe.db.get_single_value("Xinfang Settings", key) for key in values}
		for key, value in values.items():
			frappe.db.set_single_value("Xinfang Settings", key, value)
		frappe.db.commit()

		def restore():
			for key, value in before.items():
				frappe.db.set_single_value("Xinfang Settings", key, value)
			frappe.db.commit()

		self.addCleanup(restore)

	def form(self, **changes):
		data = {
			"full_name": "网上测试人",
			"id_number": ONLINE_ID,
			"phone": PHONE,
			"address": "测试甲一村3组12号",
			"division": VILLAGE,
			"category": self.category,
			"subject": "网上测试：村道损毁影响出行",
			"content": "村里主干道去年雨季冲毁一段，至今没有修复。",
			"demands": "尽快修复村道\n雨季前完成",
		}
		data.update(changes)
		return data

	def submit(self, **changes):
		response = self.browser.post("submit", **self.form(**changes))
		self.assertEqual(response.status_code, 200, response.text[:500])
		return response.json["message"]

	def counts(self):
		return frappe.db.count("Petition"), frappe.db.count("Petitioner"), frappe.db.count("File")

	def query(self, receipt, proof=ONLINE_ID[-4:]):
		return self.browser.post("query", query_code=receipt["query_code"], proof=proof)

	# ---- item 1: submit ------------------------------------------------------------------------------------

	def test_a_submission_makes_a_petition_in_registration_and_a_receipt_with_its_dates(self):
		receipt = self.submit()
		petition = frappe.get_doc("Petition", receipt["petition"])
		self.assertEqual((petition.channel, petition.workflow_state), (rules.CHANNEL, "Registration"))
		self.assertEqual([d.demand for d in petition.demands], ["尽快修复村道", "雨季前完成"])
		self.assertGreaterEqual(len(rules.normalize_code(receipt["query_code"])), 10)
		self.assertEqual(receipt["acceptance_due"], str(petition.acceptance_due))
		self.assertEqual(receipt["forward_due"], str(petition.forward_due))
		# the petition keeps a digest, never the code
		self.assertEqual(petition.query_code_hash, rules.code_digest(receipt["query_code"]))
		self.assertNotIn(
			rules.normalize_code(receipt["query_code"]), json.dumps(petition.as_dict(), default=str)
		)
		person = frappe.get_doc("Petitioner", petition.petitioners[0].petitioner)
		self.assertEqual((person.id_number, person.phone, person.division), (ONLINE_ID, PHONE, VILLAGE))

	def test_an_existing_petitioner_is_matched_without_the_answer_saying_so(self):
		known = self.world.petitioners["a1"]
		known_id = frappe.db.get_value("Petitioner", known, "id_number")
		before = frappe.db.count("Petitioner")
		receipt = self.submit(id_number=known_id, full_name="网上测试另一人")
		self.assertEqual(frappe.db.count("Petitioner"), before)
		self.assertEqual(
			frappe.db.get_value("Petition Party", {"parent": receipt["petition"]}, "petitioner"), known
		)
		fresh = self.submit(id_number=make_id_number(303))
		self.assertEqual(sorted(receipt), sorted(fresh))  # the same answer, known or not
		self.assertNotIn(frappe.db.get_value("Petitioner", known, "full_name"), json.dumps(receipt))

	def test_an_agent_is_recorded_as_a_party(self):
		receipt = self.submit(
			agent_name="网上测试代理人", agent_id_number=AGENT_ID, agent_phone="13700000302"
		)
		roles = frappe.get_all(
			"Petition Party", {"parent": receipt["petition"]}, pluck="party_role", order_by="idx"
		)
		self.assertEqual(roles, ["本人", "代理人"])
		response = self.browser.post("submit", **self.form(agent_name="网上测试代理人"))
		self.assertEqual(response.status_code, 417)
		self.assertEqual(response.json["errors"]["agent_id_number"], "代理人身份证号码必填")

	def test_a_wrong_form_is_refused_field_by_field_in_chinese_and_writes_nothing(self):
		before = self.counts()
		bad_id = ONLINE_ID[:17] + ("0" if ONLINE_ID[17] != "0" else "1")
		response = self.browser.post(
			"submit",
			**self.form(id_number=bad_id, phone="12345", division="不存在的村", subject="", demands=""),
		)
		self.assertEqual(response.status_code, 417)
		errors = response.json["errors"]
		with self.assertRaises(idcard.IdNumberError) as desk:
			idcard.parse(bad_id)
		self.assertEqual(errors["id_number"], desk.exception.message_zh)  # the desk's own words
		self.assertEqual(set(errors), {"id_number", "phone", "division", "subject", "demands"})
		self.assertIn("请更正", message_of(response))
		self.assertNotIn("Traceback", response.text)
		self.assertEqual(self.counts(), before)

	def test_a_filled_honeypot_is_refused_and_writes_nothing(self):
		before = self.counts()
		response = self.browser.post("submit", **self.form(**{rules.HONEYPOT: "http://spam.example"}))
		self.assertEqual(response.status_code, 417)
		self.assertEqual(self.counts(), before)

	def test_submissions_are_limited_per_id_number_and_per_address(self):
		self.settings(portal_submissions_per_id=2, portal_submissions_per_ip=4)
		number = make_id_number(304)
		self.submit(id_number=number)
		self.submit(id_number=" " + number.lower())  # the same number written another way counts the same
		before = self.counts()
		response = self.browser.post("submit", **self.form(id_number=number))
		self.assertEqual(response.status_code, 429)
		self.assertIn("同一身份证号码", message_of(response))
		self.assertEqual(self.counts(), before)
		self.submit(id_number=make_id_number(305))
		before = self.counts()
		response = self.browser.post("submit", **self.form(id_number=make_id_number(306)))
		self.assertEqual(response.status_code, 429)  # the fifth from this address today
		self.assertEqual(self.counts(), before)

	def test_submissions_stop_when_the_office_suspends_them(self):
		self.settings(portal_disabled=1)
		before = self.counts()
		response = self.browser.post("submit", **self.form())
		self.assertEqual(response.status_code, 417)
		self.assertIn("暂停", message_of(response))
		self.assertEqual(self.counts(), before)

	def test_the_division_lists_walk_the_tree(self):
		counties = self.browser.get("/api/method/xinfang_app.portal.divisions").json["message"]
		self.assertIn("测试县", [row["name"] for row in counties])
		townships = self.browser.get("/api/method/xinfang_app.portal.divisions", parent="测试县").json[
			"message"
		]
		self.assertEqual({row["name"] for row in townships}, {"测试甲镇", "测试乙乡"})
		villages = self.browser.get("/api/method/xinfang_app.portal.divisions", parent="测试甲镇").json[
			"message"
		]
		self.assertEqual({row["name"] for row in villages}, {"测试甲一村", "测试甲二村"})
		self.assertEqual(set(villages[0]), {"name", "division_name", "division_level", "is_group"})

	def test_the_pages_render_in_chinese(self):
		for path, marker in (("/xinfang", "我要反映"), ("/xinfang/query", "进展查询")):
			response = self.browser.get(path)
			self.assertEqual(response.status_code, 200, path)
			self.assertIn(marker, response.get_data(as_text=True))

	# ---- attachments -------------------------------------------------------------------------------------

	def attach(self, receipt, content, filename="证据.pdf"):
		return self.browser.post(
			"attach", query_code=receipt["query_code"], file=(io.BytesIO(content), filename)
		)

	def test_attachments_are_checked_by_content_stored_private_and_at_most_five(self):
		receipt = self.submit()
		before = frappe.db.count("File")
		for response in (
			self.attach(receipt, b"MZ\x90\x00 an executable", "发票.pdf"),
			self.attach(receipt, b"%PDF" + b"\x00" * (rules.MAX_FILE_BYTES), "大文件.pdf"),
			self.attach(receipt, b"", "空.png"),
		):
			self.assertEqual(response.status_code, 417, response.text[:300])
			self.assertIn("附件", message_of(response))
		self.assertEqual(frappe.db.count("File"), before)
		self.assertEqual(self.attach(receipt, PDF, "../../合同.pdf").status_code, 200)
		for n in range(4):
			self.assertEqual(self.attach(receipt, PNG, f"照片{n}.png").status_code, 200)
		response = self.attach(receipt, PNG, "第六个.png")
		self.assertEqual(response.status_code, 417)
		self.assertIn("最多", message_of(response))
		files = frappe.get_all(
			"File",
			{"attached_to_doctype": "Petition", "attached_to_name": receipt["petition"]},
			["file_name", "is_private", "file_url"],
		)
		self.assertEqual(len(files), 5)
		self.assertTrue(all(f.is_private and f.file_url.startswith("/private/files/") for f in files))
		self.assertIn("合同.pdf", [f.file_name for f in files])
		# a guest cannot read them back by their address
		response = self.browser.get(files[0].file_url)
		self.assertIn(response.status_code, (403, 404))

	def test_attachments_stop_once_the_matter_leaves_registration(self):
		receipt = self.submit()
		self.act("village_a1", receipt["petition"], "Submit for Acceptance")
		frappe.set_user("Administrator")
		frappe.db.commit()
		response = self.attach(receipt, PDF)
		self.assertEqual(response.status_code, 417)
		self.assertIn("受理审查", message_of(response))
		self.assertEqual(self.attach({"query_code": "AAAA-BBBB-CCCC"}, PDF).status_code, 417)

	# ---- item 2: follow it ---------------------------------------------------------------------------------

	def test_the_query_shows_the_matter_and_nothing_internal(self):
		receipt = self.submit()
		name = receipt["petition"]
		frappe.get_doc("Petition", name).add_comment("Comment", "内部意见：此人多次上访，注意稳控")
		self.act("village_a1", name, "Submit for Acceptance")
		self.act("township_a", name, "Accept")
		self.act("township_a", name, "Assign", responsible_unit=UNIT)
		frappe.set_user("Administrator")
		frappe.db.commit()
		response = self.query(receipt)
		self.assertEqual(response.status_code, 200, response.text[:300])
		view = response.json["message"]
		self.assertEqual(view["petition"], name)
		self.assertEqual(view["state"], "办理中")
		self.assertEqual(view["unit"], frappe.db.get_value("Government Unit", UNIT, "unit_name"))
		self.assertEqual([s["label"] for s in view["steps"]], ["登记", "受理", "交办承办单位"])
		acceptance = next(d for d in view["deadlines"] if d["label"] == "受理告知期限")
		self.assertEqual((acceptance["done_on"], acceptance["status"]), (today(), "按期完成"))
		self.assertEqual([n["title"] for n in view["notices"]], ["受理告知书"])
		text = response.get_data(as_text=True)
		handlers = [email("handler_township_a"), email("township_a"), email("village_a1")]
		for secret in [*handlers, "内部意见", ONLINE_ID, PHONE, "测试甲一村3组", self.world.petitions["a1"]]:
			self.assertNotIn(secret, text)
		for name_of_user in frappe.get_all("User", {"name": ("in", handlers)}, pluck="full_name"):
			self.assertNotIn(name_of_user, text)
		# by phone number too
		self.assertEqual(self.query(receipt, proof=PHONE).status_code, 200)

	def test_wrong_codes_get_one_answer_and_are_limited(self):
		self.settings(portal_failures_per_ip=3)
		receipt = self.submit()
		wrong_proof = self.query(receipt, proof="0000" if not ONLINE_ID.endswith("0000") else "1111")
		wrong_code = self.browser.post("query", query_code="ABCD-EFGH-JKMN", proof=ONLINE_ID[-4:])
		malformed = self.browser.post("query", query_code="' or 1=1 --", proof="x")
		for response in (wrong_proof, wrong_code, malformed):
			self.assertEqual(response.status_code, 417)
			self.assertEqual(message_of(response), "查询码或身份证号码后四位（手机号码）不正确，请核对后再试")
		# the fourth failure from this address within the hour is refused — even with the right code
		limited = self.query(receipt)
		self.assertEqual(limited.status_code, 429)
		self.assertIn("次数过多", message_of(limited))

	def test_a_second_petitioners_code_opens_only_their_own_matter(self):
		mine = self.submit()
		theirs = self.submit(id_number=make_id_number(307), phone="13700000307")
		self.assertEqual(self.query(mine, proof=make_id_number(307)[-4:]).status_code, 417)
		view = self.query(theirs, proof=make_id_number(307)[-4:]).json["message"]
		self.assertEqual(view["petition"], theirs["petition"])
		self.assertNotIn(mine["petition"], json.dumps(view))

	def test_an_officer_signed_in_stays_themself_after_using_the_pages(self):
		"""The pages take the desk's steps as the system (portal.as_system); the caller's session goes back."""
		from frappe.utils.password import update_password

		update_password(email("village_a1"), "Xf-Portal-Probe-2026!")
		frappe.db.commit()
		login = self.browser.post_path(
			"/api/method/login", usr=email("village_a1"), pwd="Xf-Portal-Probe-2026!"
		)
		self.assertEqual(login.status_code, 200, login.text[:200])
		receipt = self.submit()
		self.act("village_a1", receipt["petition"], "Submit for Acceptance")
		self.act("township_a", receipt["petition"], "Accept")
		frappe.set_user("Administrator")
		frappe.db.commit()
		args = {"query_code": receipt["query_code"], "proof": ONLINE_ID[-4:]}
		pdf = self.browser.post(
			"notice", **args, title="受理告知书", doctype="Petition", name=receipt["petition"]
		)
		self.assertEqual(pdf.status_code, 200)
		who = self.browser.get("/api/method/frappe.auth.get_logged_user")
		self.assertEqual(who.json["message"], email("village_a1"))

	def test_the_written_notices_come_as_pdfs_of_this_matter_only(self):
		receipt = self.submit()
		name = receipt["petition"]
		self.act("village_a1", name, "Submit for Acceptance")
		self.act("township_a", name, "Accept")
		frappe.set_user("Administrator")
		frappe.db.commit()
		args = {"query_code": receipt["query_code"], "proof": ONLINE_ID[-4:]}
		response = self.browser.post("notice", **args, title="受理告知书", doctype="Petition", name=name)
		self.assertEqual(response.status_code, 200, response.data[:300])
		self.assertTrue(response.data.startswith(b"%PDF"))
		from pypdf import PdfReader

		text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
		self.assertIn("受理告知书", text.replace(" ", ""))
		self.assertIn(name, text.replace(" ", ""))
		other = self.world.petitions["a1"]
		for title, doctype, record in (
			("受理告知书", "Petition", other),  # another petition's notice through this code
			("信访处理意见书", "Petition", name),  # one not issued yet
		):
			response = self.browser.post("notice", **args, title=title, doctype=doctype, name=record)
			self.assertEqual(response.status_code, 417)

	# ---- item 3: rate and ask for review ---------------------------------------------------------------------

	def kpis(self):
		from xinfang_app.reporting import period_from
		from xinfang_app.xinfang_app.report.petition_kpis.petition_kpis import compute

		filters = frappe._dict(division="测试县", from_date=add_days(today(), -1), to_date=today())
		summary = compute(filters, period_from(filters))
		return summary.evaluation, summary.satisfaction

	def test_an_online_rating_is_a_follow_up_visit_and_moves_the_kpis(self):
		receipt = self.submit()
		name = receipt["petition"]
		self.walk_to_reply(name)
		view = self.query(receipt).json["message"]
		self.assertEqual((view["state"], view["can_rate"]), ("已答复", True))
		self.assertIn("信访处理意见书", [n["title"] for n in view["notices"]])
		evaluation, satisfaction = self.kpis()
		response = self.browser.post(
			"rate", query_code=receipt["query_code"], proof=PHONE, satisfaction="基本满意", opinion="修得及时"
		)
		self.assertEqual(response.status_code, 200, response.text[:500])
		visit = frappe.get_doc("Follow-up Visit", {"petition": name})
		self.assertEqual(
			(visit.method, visit.satisfaction, visit.notes), ("网上评价", "基本满意", "修得及时")
		)
		self.assertEqual(
			frappe.db.get_value("Petition", name, ["workflow_state", "satisfaction"]),
			("Follow-up", "基本满意"),
		)
		evaluation_after, satisfaction_after = self.kpis()
		self.assertEqual(evaluation_after.numerator, evaluation.numerator + 1)
		self.assertEqual(evaluation_after.denominator, evaluation.denominator)
		self.assertEqual(satisfaction_after.numerator, satisfaction.numerator + 1)
		# once only
		again = self.browser.post("rate", query_code=receipt["query_code"], proof=PHONE, satisfaction="满意")
		self.assertEqual(again.status_code, 417)
		self.assertFalse(self.query(receipt).json["message"]["can_rate"])

	def test_dissatisfied_online_asks_what_next_and_redo_reopens_as_in_the_desk(self):
		receipt = self.submit()
		name = receipt["petition"]
		self.walk_to_reply(name)
		args = {"query_code": receipt["query_code"], "proof": PHONE}
		missing = self.browser.post("rate", **args, satisfaction="不满意")
		self.assertEqual(missing.status_code, 417)
		self.assertEqual(missing.json["errors"], {"next_step": "请选择"})
		self.assertEqual(self.browser.post("rate", **args, satisfaction="很好").status_code, 417)
		self.assertEqual(
			self.browser.post("rate", **args, satisfaction="不满意", next_step="重办").status_code, 200
		)
		petition = frappe.get_doc("Petition", name)
		self.assertEqual((petition.workflow_state, petition.redo_count), ("Handling", 1))

	def test_review_is_requested_online_inside_the_window_only(self):
		self.settings(petition_office="测试县住建局")
		receipt = self.submit()
		name = receipt["petition"]
		self.walk_to_reply(name)
		view = self.query(receipt).json["message"]
		self.assertEqual(view["review"]["type"], "复查")
		self.assertTrue(view["review"]["open"])
		args = {"query_code": receipt["query_code"], "proof": PHONE}
		self.assertEqual(self.browser.post("request_review", **args).status_code, 417)  # no reason given
		response = self.browser.post("request_review", **args, reason="答复没有说明修复时间")
		self.assertEqual(response.status_code, 200, response.text[:500])
		review = frappe.get_doc("Petition Review", response.json["message"]["review"])
		self.assertEqual((review.review_type, review.reviewing_unit), ("复查", "测试县住建局"))
		self.assertEqual(frappe.db.get_value("Petition", name, "workflow_state"), "Review Requested")
		self.assertEqual(self.query(receipt).json["message"]["state"], "复查中")

	def test_outside_the_window_the_page_says_when_it_closed(self):
		self.settings(petition_office="测试县住建局")
		receipt = self.submit()
		name = receipt["petition"]
		self.walk_to_reply(name)
		# the reply was issued long ago: move its date back past the 30-day window
		frappe.db.set_value("Petition", name, "replied_on", add_days(today(), -120))
		frappe.db.commit()
		view = self.query(receipt).json["message"]
		self.assertFalse(view["review"]["open"])
		self.assertLess(getdate(view["review"]["closes"]), getdate(today()))
		response = self.browser.post(
			"request_review", query_code=receipt["query_code"], proof=PHONE, reason="不服"
		)
		self.assertEqual(response.status_code, 417)
		self.assertFalse(frappe.db.exists("Petition Review", {"petition": name}))

	# ---- item 4: told when something happens ------------------------------------------------------------------

	def gateway(self):
		server = HTTPServer(("127.0.0.1", 0), GatewayHandler)
		threading.Thread(target=server.serve_forever, daemon=True).start()
		self.addCleanup(server.shutdown)
		GatewayHandler.received = []
		sms = frappe.get_doc("SMS Settings")
		before = sms.as_dict()
		sms.update(
			{
				"sms_gateway_url": f"http://127.0.0.1:{server.server_port}/send",
				"message_parameter": "text",
				"receiver_parameter": "to",
				"use_post": 1,
			}
		)
		sms.save(ignore_permissions=True)
		frappe.db.commit()

		def restore():
			for key in ("sms_gateway_url", "message_parameter", "receiver_parameter", "use_post"):
				frappe.db.set_single_value("SMS Settings", key, before.get(key))
			frappe.db.commit()

		self.addCleanup(restore)
		return GatewayHandler.received

	def test_acceptance_extension_and_reply_reach_the_petitioner_by_sms_and_the_agent_in_the_desk(self):
		received = self.gateway()
		receipt = self.submit(
			agent_name="网上测试代理人", agent_id_number=AGENT_ID, agent_phone="13700000302"
		)
		name = receipt["petition"]
		frappe.db.set_value("Petition", name, "agent", email("village_a1"))
		self.act("village_a1", name, "Submit for Acceptance")
		self.act("township_a", name, "Accept")
		self.committed()
		self.assertEqual(sorted(m["to"] for m in received), [PHONE, "13700000302"])
		self.assertTrue(all(name in m["text"] and "已受理" in m["text"] for m in received))
		for m in received:
			self.assertNotIn("网上测试", m["text"])  # no one's name
		notes = frappe.get_all(
			"Comment", {"reference_name": name, "content": ("like", "已短信告知%")}, pluck="content"
		)
		self.assertEqual(len(notes), 1)
		self.assertIn("137****0301", notes[0])
		self.assertNotIn(PHONE, notes[0])
		alerts = frappe.get_all(
			"Notification Log", {"for_user": email("village_a1"), "document_name": name}, pluck="subject"
		)
		self.assertTrue(any("已受理" in subject for subject in alerts), alerts)
		received.clear()
		self.act("township_a", name, "Assign", responsible_unit=UNIT)
		self.act("handler_township_a", name, "Sign For")
		self.committed()
		self.assertEqual(received, [])  # steps the petitioner need not hear of
		self.act(
			"handler_township_a", name, "Request Extension", extension_days=20, extension_reason="需现场测量"
		)
		self.act("leader_a", name, "Approve Extension")
		self.committed()
		extended = frappe.utils.formatdate(frappe.db.get_value("Petition", name, "extended_due"))
		self.assertEqual(len(received), 2)
		self.assertTrue(all("延长至" in m["text"] and extended in m["text"] for m in received), received)
		received.clear()
		self.act("handler_township_a", name, "Issue Reply", reply_text="已修复。", replied_on=today())
		self.committed()
		self.assertEqual(len(received), 2)
		self.assertTrue(all("答复" in m["text"] for m in received))

	def test_refusal_is_texted_and_nothing_is_sent_without_a_gateway(self):
		receipt = self.submit()
		name = receipt["petition"]
		self.act("village_a1", name, "Submit for Acceptance")
		self.act("township_a", name, "Refuse", not_accepted_reason="不属于信访事项", notice_date=today())
		self.committed()  # no gateway configured: nothing is attempted, nothing fails
		received = self.gateway()
		receipt = self.submit(id_number=make_id_number(308), phone="13700000308")
		name = receipt["petition"]
		self.act("village_a1", name, "Submit for Acceptance")
		self.act("township_a", name, "Refuse", not_accepted_reason="不属于信访事项", notice_date=today())
		self.committed()
		self.assertEqual([m["to"] for m in received], ["13700000308"])
		self.assertIn("不予受理", received[0]["text"])

	# ---- the desk hands out a code --------------------------------------------------------------------------

	def test_an_officer_issues_a_new_code_for_a_petition_filed_in_person(self):
		name = self.registered()
		frappe.set_user(email("village_b1"))
		with self.assertRaises(frappe.PermissionError):
			frappe.call("xinfang_app.portal.issue_query_code", petition=name)
		frappe.set_user(email("village_a1"))
		code = frappe.call("xinfang_app.portal.issue_query_code", petition=name)
		frappe.set_user("Administrator")
		frappe.db.commit()
		self.addCleanup(
			lambda: (
				frappe.delete_doc("Petition", name, force=True, ignore_permissions=True) or frappe.db.commit()
			)
		)
		proof = frappe.db.get_value("Petitioner", self.world.petitioners["a1"], "id_number")[-4:]
		view = self.browser.post("query", query_code=code, proof=proof).json["message"]
		self.assertEqual(view["petition"], name)
