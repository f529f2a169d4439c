"""Mediation: starting a case from a ledger entry or a petition, result and referral rules, the
mediator's scope on every channel, the 人民调解协议书, and joint-meeting decisions turned into assignments."""

from __future__ import annotations

import frappe
from frappe.desk import reportview
from frappe.desk.form import load
from frappe.tests.utils import FrappeTestCase, change_settings
from frappe.utils import add_days, today
from frappe.www.printview import get_html_and_style

from xinfang_app.disputes import start_mediation
from xinfang_app.domain import ledger as lg
from xinfang_app.tests.factories import (
	build_world,
	email,
	make_id_number,
	make_ledger_entry,
	make_mediation_case,
	make_mediator,
)
from xinfang_app.tests.test_access import rest
from xinfang_app.xinfang_app.doctype.mediation_case.mediation_case import MediationRuleError


class MediationCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.world = build_world()
		cls.mediator_a = make_mediator("测试调解员甲", user=email("mediator_a"))
		cls.mediator_b = make_mediator("测试调解员乙", user=email("mediator_b"))

	def setUp(self):
		frappe.cache.delete_value("user_permissions")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.form_dict = frappe._dict()


class TestStartMediation(MediationCase):
	def test_from_ledger_entry_copies_parties_and_links_back(self):
		number = make_id_number(31)
		entry = make_ledger_entry(
			"测试甲一村",
			[("测试赵甲", "申请方", number), ("测试赵乙", "被申请方", None)],
			dispute_type="邻里纠纷",
		)
		frappe.set_user(email("village_a1"))
		case = frappe.get_doc("Mediation Case", start_mediation("Dispute Ledger Entry", entry))
		frappe.set_user("Administrator")
		case.reload()
		self.assertEqual(
			[(p.party_name, p.party_role, p.id_number) for p in case.parties],
			[("测试赵甲", "申请方", number), ("测试赵乙", "被申请方", None)],
		)
		self.assertEqual(
			(case.ledger_entry, case.division, case.dispute_type), (entry, "测试甲一村", "邻里纠纷")
		)
		self.assertTrue(case.name.startswith("TJ-"))
		ledger = frappe.get_doc("Dispute Ledger Entry", entry)
		self.assertEqual((ledger.mediation_case, ledger.status), (case.name, lg.RESOLVING))
		with self.assertRaises(frappe.ValidationError):
			start_mediation("Dispute Ledger Entry", entry)

	@change_settings("System Settings", language="zh")
	def test_from_petition_copies_petitioners_and_notes_it_on_the_timeline(self):
		petition = self.world.petitions["a2"]
		frappe.set_user(email("township_a"))
		saved = frappe.local.lang
		self.addCleanup(setattr, frappe.local, "lang", saved)
		frappe.local.lang = "en"  # an officer whose desk is in English: the timeline note is the site's
		name = start_mediation("Petition", petition)
		frappe.local.lang = saved
		frappe.set_user("Administrator")
		case = frappe.get_doc("Mediation Case", name)
		person = frappe.get_doc("Petitioner", self.world.petitioners["a2"])
		self.assertEqual(
			[(p.party_name, p.party_role, p.id_number) for p in case.parties],
			[(person.full_name, "申请方", person.id_number)],
		)
		self.assertEqual((case.petition, case.division), (petition, "测试甲二村"))
		# the copied phone keeps the petitioner's protection: the township leader does not read it
		self.assertEqual(case.parties[0].phone, person.phone)
		for key, reads_phone in (("leader_a", False), ("township_a", True)):
			with self.subTest(user=key):
				frappe.set_user(email(key))
				party = frappe.client.get("Mediation Case", name)["parties"][0]
				self.assertEqual(party.get("phone") == person.phone, reads_phone)
		frappe.set_user("Administrator")
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{
					"reference_doctype": "Petition",
					"reference_name": petition,
					"content": ("like", f"%已启动调解，调解案件{name}%"),
				},
			)
		)

	def test_officer_outside_the_place_cannot_start_mediation(self):
		entry = make_ledger_entry("测试乙一村")
		frappe.set_user(email("village_a1"))
		with self.assertRaises(frappe.PermissionError):
			start_mediation("Dispute Ledger Entry", entry)
		frappe.set_user(email("mediator_a"))
		with self.assertRaises(frappe.PermissionError):
			start_mediation("Petition", self.world.petitions["a1"])
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists("Mediation Case", {"ledger_entry": entry}))


class TestResultRules(MediationCase):
	def save(self, name, **values):
		doc = frappe.get_doc("Mediation Case", name)
		doc.update(values)
		doc.save()

	def new_case(self):
		return make_mediation_case("测试甲一村", [self.mediator_a])

	def test_failed_mediation_needs_a_referral(self):
		name = self.new_case()
		with self.assertRaisesRegex(MediationRuleError, "诉讼/仲裁/行政复议"):
			self.save(name, result="调解不成")
		self.save(name, result="调解不成", referral="诉讼")

	def test_successful_mediation_is_not_referred_and_needs_the_agreement(self):
		name = self.new_case()
		agreement = {"agreement_text": "赔偿5000元", "agreement_date": today()}
		with self.assertRaises(MediationRuleError):
			self.save(name, result="调解成功", referral="仲裁", **agreement)
		with self.assertRaises(MediationRuleError):
			self.save(name, result="调解成功", agreement_date=today())
		self.save(name, result="调解成功", **agreement)

	def test_terminated_mediation_may_be_referred_or_not(self):
		name = self.new_case()
		self.save(name, result="终止")
		self.save(name, referral="行政复议")


class TestMediatorScope(MediationCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.case_a = make_mediation_case("测试甲一村", [cls.mediator_a])
		cls.case_b = make_mediation_case("测试甲一村", [cls.mediator_b])
		cls.case_town_b = make_mediation_case("测试乙一村", [cls.mediator_a])
		cls.cases = [cls.case_a, cls.case_b, cls.case_town_b]

	def visible(self, key):
		frappe.set_user(email(key))
		return set(frappe.get_list("Mediation Case", filters={"name": ("in", self.cases)}, pluck="name"))

	def test_mediator_lists_only_assigned_cases_wherever_they_are(self):
		self.assertEqual(self.visible("mediator_a"), {self.case_a, self.case_town_b})
		self.assertEqual(self.visible("mediator_b"), {self.case_b})

	def test_officers_see_cases_in_their_divisions(self):
		self.assertEqual(self.visible("village_a1"), {self.case_a, self.case_b})
		self.assertEqual(self.visible("village_a2"), set())
		self.assertEqual(self.visible("township_b"), {self.case_town_b})
		self.assertEqual(self.visible("county"), set(self.cases))
		self.assertEqual(self.visible("no_scope"), set())

	def test_mediator_cannot_reach_another_mediators_case_on_any_channel(self):
		frappe.set_user(email("mediator_a"))
		self.assertFalse(frappe.has_permission("Mediation Case", "read", self.case_b))
		self.assertTrue(frappe.has_permission("Mediation Case", "read", self.case_a))
		with self.assertRaises(frappe.PermissionError):
			rest("frappe.client.get", doctype="Mediation Case", name=self.case_b)
		with self.assertRaises(frappe.PermissionError):
			load.getdoc("Mediation Case", self.case_b)
		with self.assertRaises(frappe.PermissionError):
			get_html_and_style("Mediation Case", self.case_b, print_format="人民调解协议书")
		self.assertEqual(
			rest("frappe.client.get_count", doctype="Mediation Case", filters={"name": self.case_b}), 0
		)
		self.assertEqual(
			rest("frappe.client.get_count", doctype="Mediation Case", filters={"name": ("in", self.cases)}), 2
		)
		frappe.local.form_dict = frappe._dict(
			doctype="Mediation Case",
			fields=["`tabMediation Case`.`name`"],
			filters=[["Mediation Case", "name", "in", self.cases]],
			view="Report",
		)
		result = reportview.get()
		self.assertEqual({row[0] for row in result.get("values", [])}, {self.case_a, self.case_town_b})
		frappe.local.form_dict = frappe._dict(
			doctype="Mediation Case", filters=[["Mediation Case", "name", "in", self.cases]]
		)
		self.assertEqual(reportview.get_count(), 2)

	def test_mediator_cannot_add_themselves_to_a_case(self):
		frappe.set_user(email("mediator_a"))
		doc = frappe.get_doc("Mediation Case", self.case_a)
		doc.append("sessions", {"session_date": today(), "place": "村委会", "summary": "双方各自陈述"})
		doc.save()  # an assigned mediator records sessions
		frappe.set_user("Administrator")
		other = frappe.get_doc("Mediation Case", self.case_b)
		other.append("mediators", {"mediator": self.mediator_a})
		frappe.set_user(email("mediator_a"))
		self.assertFalse(other.has_permission("write"))

	def test_attachments_follow_the_case_scope(self):
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "调解笔录.txt",
				"content": "调解笔录",
				"is_private": 1,
				"attached_to_doctype": "Mediation Case",
				"attached_to_name": self.case_b,
			}
		).insert(ignore_permissions=True)
		for key, allowed in (
			("mediator_b", True),
			("mediator_a", False),
			("village_a1", True),
			("township_b", False),
		):
			with self.subTest(user=key):
				frappe.set_user(email(key))
				self.assertEqual(bool(frappe.get_doc("File", file.name).is_downloadable()), allowed)
				self.assertEqual(
					bool(frappe.get_list("File", filters={"name": file.name}, pluck="name")), allowed
				)


class TestAgreementPrint(MediationCase):
	def test_agreement_prints_parties_terms_mediators_and_date(self):
		name = make_mediation_case(
			"测试甲一村",
			[self.mediator_a],
			parties=(("测试钱甲", "申请方"), ("测试钱乙", "被申请方")),
			result="调解成功",
			agreement_text="一、被申请方于本月底前修复排水沟。\n二、双方今后和睦相处。",
			agreement_date="2026-03-05",
			performance_method="当场履行",
		)
		html = get_html_and_style("Mediation Case", name, print_format="人民调解协议书")["html"]
		for text in (
			"人民调解协议书",
			"调协字〔",
			"测试钱甲",
			"被申请方",
			"修复排水沟",
			"当场履行",
			"测试调解员甲",
			"2026年3月5日",
			"一式3份",
		):
			self.assertIn(text, html)


class TestJointMeeting(MediationCase):
	def meeting(self, rows):
		frappe.set_user(email("county"))
		doc = frappe.get_doc(
			{
				"doctype": "Joint Meeting",
				"meeting_date": today(),
				"level": "County",
				"convenor": email("county"),
				"division": "测试县",
				"attending_units": [{"unit": "测试县住建局"}, {"unit": "测试甲镇人民政府"}],
				"agenda": rows,
			}
		).insert()
		return doc

	def test_decisions_become_assignments_for_unit_handlers_with_a_timeline_comment(self):
		petition = self.world.petitions["a_town"]
		due = add_days(today(), 10)
		doc = self.meeting(
			[
				{
					"petition": petition,
					"decision": "由镇政府牵头于十日内答复",
					"assigned_unit": "测试甲镇人民政府",
					"due_date": due,
				}
			]
		)
		doc.submit()
		frappe.set_user("Administrator")
		todos = frappe.get_all(
			"ToDo",
			filters={"reference_type": "Petition", "reference_name": petition, "status": "Open"},
			fields=["name", "allocated_to", "date", "description"],
		)
		mine = [t for t in todos if doc.name in t.description]
		self.assertEqual([t.allocated_to for t in mine], [email("handler_township_a")])
		self.assertEqual(str(mine[0].date), str(due))
		self.assertIn("由镇政府牵头于十日内答复", mine[0].description)
		self.assertEqual(
			frappe.db.get_value("Joint Meeting Agenda Item", doc.agenda[0].name, "todo"), mine[0].name
		)
		comment = frappe.get_all(
			"Comment",
			filters={
				"reference_doctype": "Petition",
				"reference_name": petition,
				"comment_type": "Comment",
				"content": ("like", f"%{doc.name}%"),
			},
			pluck="content",
		)
		self.assertTrue(comment and "由镇政府牵头于十日内答复" in comment[0])

		doc.reload()
		frappe.set_user(email("county"))
		doc.cancel()
		self.assertEqual(frappe.db.get_value("ToDo", mine[0].name, "status"), "Cancelled")

	def test_unit_without_handlers_is_refused_before_anything_is_assigned(self):
		doc = self.meeting(
			[
				{
					"petition": self.world.petitions["a2"],
					"decision": "人社局核查",
					"assigned_unit": "测试县人社局",
					"due_date": add_days(today(), 5),
				}
			]
		)
		with self.assertRaisesRegex(frappe.ValidationError, "测试县人社局"):
			doc.submit()
		self.assertFalse(frappe.get_all("ToDo", filters={"description": ("like", f"%{doc.name}%")}))

	def test_township_officer_cannot_hold_a_meeting_on_another_township(self):
		frappe.set_user(email("township_a"))
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{
					"doctype": "Joint Meeting",
					"meeting_date": today(),
					"level": "Township",
					"convenor": email("township_a"),
					"division": "测试乙乡",
				}
			).insert()
