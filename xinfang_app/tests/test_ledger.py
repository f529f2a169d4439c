"""The dispute ledger: derived dates, the Ledger Closure workflow and its rule, scope, the weekly
screening summary and field visits turned into ledger entries and petitions."""

from __future__ import annotations

from datetime import date
from unittest.mock import patch

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from xinfang_app import install
from xinfang_app.domain import ledger as lg
from xinfang_app.domain.deadlines import format_date_zh
from xinfang_app.tests.factories import build_world, email, make_id_number, make_ledger_entry
from xinfang_app.xinfang_app.doctype.dispute_ledger_entry.dispute_ledger_entry import (
	LedgerClosingError,
	LedgerValidationError,
)
from xinfang_app.xinfang_app.report.weekly_screening_summary import weekly_screening_summary as summary

VILLAGE_A1 = "测试甲一村"
NEW_PARTY = ("测试当事人甲", "申请方", None)


class LedgerCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.world = build_world()

	def setUp(self):
		frappe.cache.delete_value("user_permissions")

	def tearDown(self):
		frappe.set_user("Administrator")

	def act(self, user_key, name, action):
		frappe.set_user(email(user_key))
		try:
			return apply_workflow(frappe.get_doc("Dispute Ledger Entry", name), action)
		finally:
			frappe.set_user("Administrator")

	def observed(self, division=VILLAGE_A1, resolved_days_ago=200, parties=(NEW_PARTY,), **extra):
		return make_ledger_entry(
			division,
			parties,
			found_on=add_days(today(), -resolved_days_ago - 30),
			status=lg.OBSERVING,
			resolved_on=add_days(today(), -resolved_days_ago),
			**extra,
		)


class TestLedgerEntry(LedgerCase):
	def test_township_week_and_observation_end_are_derived(self):
		name = make_ledger_entry(
			"测试甲一村东屯", found_on="2025-08-20", status=lg.OBSERVING, resolved_on="2025-08-31"
		)
		doc = frappe.get_doc("Dispute Ledger Entry", name)
		self.assertTrue(name.startswith("TZ-2025-"), name)  # numbered by the year it was found
		self.assertEqual(doc.township, "测试甲镇")
		self.assertEqual(doc.screening_week, "2025-W34")
		self.assertEqual(getdate(doc.observation_until), date(2026, 2, 28))  # 6 months, clamped

	def test_observation_months_come_from_settings(self):
		frappe.db.set_single_value("Xinfang Settings", "ledger_observation_months", 3)
		name = make_ledger_entry(
			VILLAGE_A1, found_on="2025-11-01", status=lg.OBSERVING, resolved_on="2025-11-30"
		)
		self.assertEqual(
			getdate(frappe.db.get_value("Dispute Ledger Entry", name, "observation_until")), date(2026, 2, 28)
		)
		frappe.db.set_single_value("Xinfang Settings", "ledger_observation_months", 6)

	def test_observation_needs_a_resolution_date_not_before_found(self):
		with self.assertRaises(LedgerValidationError):
			make_ledger_entry(VILLAGE_A1, status=lg.OBSERVING)
		with self.assertRaisesRegex(LedgerValidationError, "不能早于排查发现日期"):
			make_ledger_entry(
				VILLAGE_A1, found_on="2026-01-10", status=lg.RESOLVING, resolved_on="2026-01-09"
			)

	def test_closed_status_cannot_be_typed(self):
		name = self.observed()
		doc = frappe.get_doc("Dispute Ledger Entry", name)
		doc.status = lg.CLOSED
		with self.assertRaises(LedgerValidationError):
			doc.save()

	def test_party_id_number_is_validated_stored_whole_and_shown_masked(self):
		number = make_id_number(7)
		name = make_ledger_entry(VILLAGE_A1, [("测试当事人乙", "被申请方", number)])
		row = frappe.get_doc("Dispute Ledger Entry", name).parties[0]
		self.assertEqual((row.id_number, row.new_id_number), (number, None))
		self.assertEqual(row.id_number_masked, number[0] + "*" * 16 + number[-1])
		with self.assertRaises(frappe.ValidationError):
			make_ledger_entry(
				VILLAGE_A1,
				[("测试当事人丙", "申请方", number[:-1] + "0" if number[-1] != "0" else number[:-1] + "1")],
			)

	def test_village_officer_enters_party_id_but_reads_it_masked_and_cannot_erase_it(self):
		number = make_id_number(8)
		frappe.set_user(email("village_a1"))
		name = make_ledger_entry(VILLAGE_A1, [("测试当事人戊", "申请方", number)], ignore_permissions=False)
		doc = frappe.get_doc("Dispute Ledger Entry", name)
		doc.apply_fieldlevel_read_permissions()
		self.assertFalse(doc.parties[0].get("id_number"))
		self.assertEqual(doc.parties[0].id_number_masked, number[0] + "*" * 16 + number[-1])
		doc = frappe.get_doc("Dispute Ledger Entry", name)
		doc.parties[0].id_number = None
		doc.remarks = "已走访"
		doc.save()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.get_doc("Dispute Ledger Entry", name).parties[0].id_number, number)


class TestLedgerClosure(LedgerCase):
	def test_closing_refused_before_observation_ends_naming_the_dates(self):
		name = self.observed(resolved_days_ago=30)
		until = getdate(frappe.db.get_value("Dispute Ledger Entry", name, "observation_until"))
		with self.assertRaises(LedgerClosingError) as caught:
			self.act("village_a1", name, "Request Closure")
		self.assertIn(format_date_zh(until), str(caught.exception))
		self.assertIn("观察期未满", str(caught.exception))
		self.assertEqual(frappe.db.get_value("Dispute Ledger Entry", name, "closure_state"), "Ledger Open")

	def test_closing_refused_when_a_party_petitioned_again_in_the_same_township(self):
		# 测试信访人1 (ID known) petitioned in 测试甲一村 three days ago; the entry sits in sibling 测试甲二村.
		petitioner = frappe.get_doc("Petitioner", self.world.petitioners["a1"])
		name = self.observed("测试甲二村", parties=[("别名", "申请方", petitioner.id_number)])
		with self.assertRaises(LedgerClosingError) as caught:
			self.act("village_a2", name, "Request Closure")
		self.assertIn(self.world.petitions["a1"], str(caught.exception))

	def test_party_without_id_number_is_matched_by_name(self):
		petitioner = frappe.get_doc("Petitioner", self.world.petitioners["a1"])
		name = self.observed(parties=[(petitioner.full_name, "申请方", None)])
		with self.assertRaisesRegex(LedgerClosingError, self.world.petitions["a1"]):
			self.act("village_a1", name, "Request Closure")

	def test_petition_of_the_same_person_in_another_township_does_not_block(self):
		petitioner = frappe.get_doc("Petitioner", self.world.petitioners["a1"])
		name = self.observed("测试乙一村", parties=[(petitioner.full_name, "申请方", petitioner.id_number)])
		self.act("village_b1", name, "Request Closure")
		self.assertEqual(
			frappe.db.get_value("Dispute Ledger Entry", name, "closure_state"), "Closure Requested"
		)

	def test_linked_petition_received_after_resolution_blocks_closing(self):
		name = self.observed(petition=self.world.petitions["b1"])
		with self.assertRaisesRegex(LedgerClosingError, self.world.petitions["b1"]):
			self.act("village_a1", name, "Request Closure")

	def test_petition_arriving_between_request_and_approval_blocks_approval(self):
		name = self.observed(parties=[("测试当事人丁", "申请方", None)])
		self.act("village_a1", name, "Request Closure")
		from xinfang_app.tests.factories import make_petition, make_petitioner

		later = make_petition(VILLAGE_A1, make_petitioner("测试当事人丁", VILLAGE_A1, 77))
		with self.assertRaisesRegex(LedgerClosingError, later):
			self.act("township_a", name, "Approve Closure")

	def test_closing_allowed_after_observation_sets_closed_status_and_date(self):
		name = self.observed()
		self.act("village_a1", name, "Request Closure")
		self.act("township_a", name, "Approve Closure")
		doc = frappe.get_doc("Dispute Ledger Entry", name)
		self.assertEqual((doc.closure_state, doc.status), ("Ledger Closed", lg.CLOSED))
		self.assertEqual(getdate(doc.closed_on), getdate(today()))

	def test_village_officer_cannot_approve_and_request_can_be_returned(self):
		name = self.observed()
		self.act("village_a1", name, "Request Closure")
		with self.assertRaises((frappe.ValidationError, frappe.PermissionError)):
			self.act("village_a1", name, "Approve Closure")
		self.act("county", name, "Return Closure Request")
		doc = frappe.get_doc("Dispute Ledger Entry", name)
		self.assertEqual((doc.closure_state, doc.status), ("Ledger Open", lg.OBSERVING))

	def test_workflow_edits_survive_migrate_and_app_update(self):
		workflow = frappe.get_doc("Workflow", "Ledger Closure")
		approve = next(
			t
			for t in workflow.transitions
			if t.action == "Approve Closure" and t.allowed == "Xinfang Township Officer"
		)
		approve.allowed = "Xinfang Leader"
		workflow.save()

		install.after_migrate()
		definition = next(d for d in install.shipped_workflows() if d["name"] == "Ledger Closure")
		with patch.object(install, "shipped_workflows", return_value=[dict(definition, is_active=0)]):
			install.install_workflows()

		workflow = frappe.get_doc("Workflow", "Ledger Closure")
		self.assertTrue(workflow.is_active)
		allowed = {t.allowed for t in workflow.transitions if t.action == "Approve Closure"}
		self.assertEqual(allowed, {"Xinfang Leader", "Xinfang County Officer"})


class TestLedgerScope(LedgerCase):
	def test_ledger_entries_follow_the_place_scope(self):
		a1 = make_ledger_entry(VILLAGE_A1)
		b1 = make_ledger_entry("测试乙一村")
		for key, expected in (
			("village_a1", {a1}),
			("village_a2", set()),
			("township_a", {a1}),
			("county", {a1, b1}),
			("no_scope", set()),
		):
			with self.subTest(user=key):
				frappe.set_user(email(key))
				got = set(
					frappe.get_list("Dispute Ledger Entry", filters={"name": ("in", [a1, b1])}, pluck="name")
				)
				self.assertEqual(got, expected)
				self.assertEqual(frappe.has_permission("Dispute Ledger Entry", "read", a1), a1 in expected)

	def test_village_officer_cannot_register_in_sibling_village(self):
		frappe.set_user(email("village_a1"))
		with self.assertRaises(frappe.PermissionError):
			make_ledger_entry("测试甲二村", ignore_permissions=False)


WEEK = "2025-W10"  # Monday 2025-03-03 .. Sunday 2025-03-09, used by this data set only


class TestWeeklySummary(LedgerCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_ledger_entry(VILLAGE_A1, found_on="2025-03-04", tier="三级")
		make_ledger_entry("测试甲一村东屯", found_on="2025-03-09", tier="二级")
		make_ledger_entry(
			"测试甲二村", found_on="2025-02-01", tier="一级", status=lg.OBSERVING, resolved_on="2025-03-05"
		)
		make_ledger_entry("测试乙一村", found_on="2025-03-03", tier="二级")
		make_ledger_entry("测试乙一村", found_on="2025-03-10", tier="三级")  # next week

	def run_report(self, user_key, **filters):
		frappe.set_user(email(user_key))
		_columns, data, _message, chart, report_summary = summary.execute(
			frappe._dict({"week": WEEK, "division": "测试县", **filters})
		)
		return {row["division"]: row for row in data}, chart, report_summary

	@staticmethod
	def figures(row):
		return (row["new"], row["resolved"], row["tier_1"], row["tier_2"], row["tier_3"])

	def test_county_sees_every_level_rolled_up(self):
		rows, chart, _summary = self.run_report("county")
		expected = {
			"测试县": (3, 1, 1, 2, 1),
			"测试甲镇": (2, 1, 1, 1, 1),
			"测试甲一村": (2, 0, 0, 1, 1),
			"测试甲二村": (0, 1, 1, 0, 0),
			"测试乙乡": (1, 0, 0, 1, 0),
			"测试乙一村": (1, 0, 0, 1, 0),
		}
		self.assertEqual({name: self.figures(rows[name]) for name in expected}, expected)
		self.assertNotIn("测试甲一村东屯", rows)  # a hamlet rolls into its village
		self.assertEqual(
			(rows["测试县"]["indent"], rows["测试甲镇"]["indent"], rows["测试甲一村"]["indent"]), (0, 1, 2)
		)
		self.assertEqual(chart["data"]["labels"], ["测试乙乡", "测试甲镇"])

	def test_township_officer_sees_only_own_township(self):
		rows, _chart, report_summary = self.run_report("township_b", division=None)
		self.assertEqual(set(rows), {"测试乙乡", "测试乙一村"})
		self.assertEqual(self.figures(rows["测试乙乡"]), (1, 0, 0, 1, 0))
		self.assertEqual(report_summary[1]["value"], 1)

	def test_date_range_replaces_the_week(self):
		rows, _chart, _summary = self.run_report(
			"county", week=None, from_date="2025-03-03", to_date="2025-03-10"
		)
		self.assertEqual(rows["测试乙一村"]["new"], 2)


class TestFieldVisit(LedgerCase):
	def make_visit(self, user_key="village_a1"):
		frappe.set_user(email(user_key))
		visit = frappe.get_doc(
			{
				"doctype": "Field Visit",
				"division": VILLAGE_A1,
				"visited_on": add_days(today(), -1),
				"visited_by": email(user_key),
				"household_type": "低保户",
				"household_name": "测试走访户",
				"petitioner": self.world.petitioners["a1"],
				"findings": [
					{"finding": "与邻居因排水沟发生纠纷", "kind": "矛盾纠纷"},
					{"finding": "反映低保评定不公", "kind": "信访诉求"},
				],
			}
		).insert()
		return visit

	def test_finding_becomes_a_ledger_entry_linked_back(self):
		from xinfang_app.disputes import finding_to_ledger_entry

		visit = self.make_visit()
		name = finding_to_ledger_entry(visit.name, visit.findings[0].name, tier="二级")
		entry = frappe.get_doc("Dispute Ledger Entry", name)
		self.assertEqual(
			(entry.division, entry.summary, entry.parties[0].party_name),
			(VILLAGE_A1, "与邻居因排水沟发生纠纷", "测试走访户"),
		)
		row = frappe.get_doc("Field Visit", visit.name).findings[0]
		self.assertEqual((row.created_doctype, row.created_record), ("Dispute Ledger Entry", name))
		with self.assertRaises(frappe.ValidationError):
			finding_to_ledger_entry(visit.name, visit.findings[0].name)

	def test_finding_becomes_a_field_screening_petition(self):
		from xinfang_app.disputes import finding_to_petition

		visit = self.make_visit()
		name = finding_to_petition(visit.name, visit.findings[1].name, category="农村低保")
		petition = frappe.get_doc("Petition", name)
		self.assertEqual(
			(petition.channel, petition.division, petition.content),
			("走访排查", VILLAGE_A1, "反映低保评定不公"),
		)
		self.assertEqual(petition.petitioners[0].petitioner, self.world.petitioners["a1"])
		self.assertEqual(frappe.get_doc("Field Visit", visit.name).findings[1].created_record, name)

	def test_officer_outside_the_village_cannot_convert(self):
		from xinfang_app.disputes import finding_to_ledger_entry, finding_to_petition

		visit = self.make_visit()
		frappe.set_user(email("village_a2"))
		with self.assertRaises(frappe.PermissionError):
			finding_to_ledger_entry(visit.name, visit.findings[0].name)
		with self.assertRaises(frappe.PermissionError):
			finding_to_petition(visit.name, visit.findings[1].name)
		frappe.set_user("Administrator")
		self.assertFalse(frappe.get_doc("Field Visit", visit.name).findings[0].created_record)
