"""来文接口 (issue 12, item 5): 12345 transfers and 上级交办 items sent over REST by an integration user."""

from __future__ import annotations

import json

import frappe
from frappe.tests.test_api import make_request
from frappe.utils import add_days, get_test_client, today

from xinfang_app.domain import access
from xinfang_app.tests.cases import WorldCase
from xinfang_app.tests.factories import email, make_id_number, remove_petitions

SENDER = "intake.12345@test.xinfang.example.cn"
REFERENCE = "12345-TEST-000001"


class TestIntake(WorldCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		if not frappe.db.exists("User", SENDER):
			frappe.get_doc(
				{
					"doctype": "User",
					"email": SENDER,
					"first_name": "12345热线平台",
					"user_type": "System User",
					"send_welcome_email": 0,
					"roles": [{"role": access.INTEGRATION}],
				}
			).insert(ignore_permissions=True)
		user = frappe.get_doc("User", SENDER)
		cls.key, cls.secret = frappe.generate_hash(length=15), frappe.generate_hash(length=15)
		user.api_key, user.api_secret = cls.key, cls.secret
		user.save(ignore_permissions=True)
		frappe.db.commit()  # the requests read through their own connection
		cls.client = get_test_client()

	@classmethod
	def tearDownClass(cls):
		remove_petitions({"external_reference": ("like", "12345-TEST-%")})
		super().tearDownClass()

	def send(
		self, payload, key=None, secret=None, method="post", path="/api/method/xinfang_app.intake.receive"
	):
		headers = {"Authorization": f"token {key or self.key}:{secret or self.secret}"}
		kwargs = {"headers": headers}
		if method == "post":
			kwargs.update(data=json.dumps(payload), content_type="application/json")
		response = make_request(target=getattr(self.client, method), args=(path,), kwargs=kwargs)
		frappe.db.rollback()  # a fresh snapshot: what the request committed, through its own connection
		return response

	def payload(self, **changes):
		data = {
			"channel": "12345热线转办",
			"external_reference": REFERENCE,
			"received_on": add_days(today(), -2),
			"subject": "测试来电反映村道损毁",
			"content": "来电人反映测试甲一村村道损毁，影响出行。",
			"category": frappe.get_all("Petition Category", {"is_group": 0}, pluck="name", limit=1)[0],
			"division": "测试甲一村",
			"petitioners": [
				{"full_name": "测试来电人", "id_number": make_id_number(91), "phone": "13900000091"}
			],
			"demands": [{"demand": "尽快修复村道"}],
		}
		data.update(changes)
		return data

	def test_a_transfer_becomes_one_petition_however_often_it_is_sent(self):
		first = self.send(self.payload())
		self.assertEqual(first.status_code, 200, first.get_data(as_text=True)[:400])
		answer = first.json["message"]
		self.assertTrue(answer["created"])
		name = answer["petition"]
		petition = frappe.get_doc("Petition", name)
		self.assertEqual(
			(petition.channel, petition.external_reference, petition.workflow_state, petition.owner),
			("12345热线转办", REFERENCE, "Registration", SENDER),
		)
		self.assertEqual(answer["acceptance_due"], str(petition.acceptance_due))
		# a retry (or a second send of the same item) answers with the same petition
		again = self.send(self.payload(subject="重复发送"))
		self.assertEqual(again.status_code, 200)
		self.assertEqual((again.json["message"]["petition"], again.json["message"]["created"]), (name, False))
		self.assertEqual(frappe.db.count("Petition", {"external_reference": REFERENCE}), 1)
		# the same number from the other channel is another item
		other = self.send(self.payload(channel="上级交办"))
		self.assertTrue(other.json["message"]["created"])
		self.assertNotEqual(other.json["message"]["petition"], name)

	def test_a_wrong_payload_is_refused_field_by_field_in_chinese_and_writes_nothing(self):
		before = frappe.db.count("Petition")
		response = self.send(
			self.payload(
				external_reference="12345-TEST-000002",
				channel="来访",
				division="不存在的村",
				petitioners=[{"full_name": "测试", "id_number": "110105194912310021"}],
			)
		)
		self.assertEqual(response.status_code, 417, response.get_data(as_text=True)[:300])
		errors = response.json["errors"]
		self.assertEqual(set(errors), {"channel", "division", "petitioners[0].id_number"})
		self.assertEqual(errors["division"], "系统中没有行政区划「不存在的村」")
		self.assertNotIn("Traceback", response.get_data(as_text=True))
		self.assertEqual(frappe.db.count("Petition"), before)

	def test_the_sender_reads_nothing_and_nobody_else_may_send(self):
		self.send(self.payload(external_reference="12345-TEST-000003"))
		name = frappe.db.get_value("Petition", {"external_reference": "12345-TEST-000003"})
		for path in (
			f"/api/resource/Petition/{name}",
			"/api/resource/Petition",
			"/api/resource/Petitioner",
			f"/api/method/frappe.client.get?doctype=Petition&name={name}",
		):
			with self.subTest(path=path):
				response = self.send(None, method="get", path=path)
				self.assertEqual(response.status_code, 403, response.get_data(as_text=True)[:200])
		# an officer's key is not the intake's
		officer = frappe.get_doc("User", email("village_a1"))
		key, secret = frappe.generate_hash(length=15), frappe.generate_hash(length=15)
		officer.api_key, officer.api_secret = key, secret
		officer.save(ignore_permissions=True)
		frappe.db.commit()
		refused = self.send(self.payload(external_reference="12345-TEST-000004"), key=key, secret=secret)
		self.assertEqual(refused.status_code, 403)
		self.assertFalse(frappe.db.exists("Petition", {"external_reference": "12345-TEST-000004"}))

	def test_the_call_back_to_the_sender_ships_disabled_with_its_payload(self):
		from frappe.integrations.doctype.webhook.webhook import get_webhook_data

		hook = frappe.get_doc("Webhook", "来文办理进展回传（示例）")
		self.assertEqual(
			(hook.enabled, hook.webhook_doctype, hook.condition), (0, "Petition", "doc.external_reference")
		)
		self.send(self.payload(external_reference="12345-TEST-000005"))
		petition = frappe.get_doc("Petition", {"external_reference": "12345-TEST-000005"})
		body = get_webhook_data(petition, hook)
		self.assertEqual(
			(body["external_reference"], body["petition"], body["state"], body["channel"]),
			("12345-TEST-000005", petition.name, "Registration", "12345热线转办"),
		)
