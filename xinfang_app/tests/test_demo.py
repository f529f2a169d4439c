"""The demo county loads completely, and loading it again changes nothing."""

from __future__ import annotations

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate, today

from xinfang_app import lifecycle
from xinfang_app.demo.loader import (
	DEFAULT_DEMO_PASSWORD,
	EMAIL_DOMAIN,
	check_password_policy,
	demo_users,
	load_demo,
)

COUNTED = (
	"Administrative Division",
	"Government Unit",
	"User",
	"User Permission",
	"Petitioner",
	"Petition",
	"Version",
	"Follow-up Visit",
	"Petition Review",
	"Supervision Notice",
	"Mediation Committee",
	"Mediator",
	"Dispute Ledger Entry",
	"Mediation Case",
	"Joint Meeting",
	"ToDo",
	"Reception Schedule",
	"Reception Record",
	"Leader Case Assignment",
)


class TestDemoLoader(FrappeTestCase):
	def test_demo_loads_the_county_and_is_idempotent(self):
		load_demo()
		first = {doctype: frappe.db.count(doctype) for doctype in COUNTED}
		levels = dict(
			frappe.get_all(
				"Administrative Division",
				fields=["division_level", "count(name)"],
				group_by="division_level",
				as_list=True,
			)
		)
		self.assertGreaterEqual(levels.get("Township", 0), 8)
		self.assertGreaterEqual(levels.get("Village", 0), 67)
		self.assertGreaterEqual(levels.get("Community", 0), 11)
		self.assertGreaterEqual(levels.get("Hamlet", 0), 253)
		self.assertGreaterEqual(first["Petition"], 300)
		self.assertGreaterEqual(
			frappe.db.count(
				"Petition", {"received_on": (">=", frappe.utils.add_months(frappe.utils.today(), -18))}
			),
			300,
		)
		self.assertGreaterEqual(
			len(frappe.get_all("Petition", distinct=True, pluck="channel", group_by="channel")), 8
		)
		self.assertGreaterEqual(frappe.db.count("Petition", {"repeat_of": ("is", "set")}), 1)
		self.assertStoriesConsistent()
		self.assertDisputeWork()
		self.assertLeadersAtWork()
		# the desk opens (not Frappe's setup wizard), in Chinese
		self.assertEqual(frappe.db.get_single_value("System Settings", "setup_complete"), 1)
		self.assertEqual(frappe.db.get_single_value("System Settings", "language"), "zh")

		# weeks later (a new day, a new month and year for many petitions' numbering): nothing changes
		with self.freeze_time(frappe.utils.add_days(today(), 47)):
			summary = load_demo()
		second = {doctype: frappe.db.count(doctype) for doctype in COUNTED}
		self.assertEqual(first, second)
		self.assertTrue(all(line.endswith(": 0 created") for line in summary), summary)

	def assertStoriesConsistent(self):
		"""Every workflow state shows, with the dates, deadlines and lights its steps imply."""
		states = {row.state for row in frappe.get_doc("Workflow", "Petition Workflow").states}
		self.assertEqual(set(frappe.get_all("Petition", pluck="workflow_state", distinct=True)), states)
		rows = frappe.get_all("Petition", fields=["*"])
		for row in rows:
			with self.subTest(petition=row.name, state=row.workflow_state):
				if row.accepted_on:
					self.assertLessEqual(row.received_on, row.accepted_on)
					self.assertGreater(row.handling_due, row.accepted_on)
				if row.replied_on:
					self.assertTrue(row.reply_text)
					self.assertLessEqual(row.accepted_on, row.replied_on)
				if row.workflow_state in ("Not Accepted", "Forwarded"):
					self.assertTrue(row.notice_date)
				if row.workflow_state == "Case Closed":
					self.assertLessEqual(row.replied_on, row.closed_on)
				if row.workflow_state == "Final":
					self.assertEqual(row.is_final, 1)
				light = lifecycle.petition_light(row, getdate(today()), lifecycle.get_rules())
				self.assertEqual(row.light or "", light)
		lights = {row.light for row in rows if row.light}
		self.assertTrue({"Green", "Red"} <= lights, lights)
		self.assertGreaterEqual(frappe.db.count("Follow-up Visit"), 100)
		self.assertGreaterEqual(
			frappe.db.count("Petition Review", {"review_type": "复核", "status": "Decided"}), 1
		)
		red = frappe.get_all("Petition", {"light": "Red"}, pluck="name")
		self.assertEqual(
			set(frappe.get_all("Supervision Notice", {"is_automatic": 1}, pluck="petition")), set(red)
		)

	def assertDisputeWork(self):
		tiers = dict(
			frappe.get_all(
				"Dispute Ledger Entry", fields=["tier", "count(name)"], group_by="tier", as_list=True
			)
		)
		self.assertEqual(tiers, {"一级": 38, "二级": 29, "三级": 14})
		self.assertGreaterEqual(frappe.db.count("Dispute Ledger Entry", {"status": "已销号"}), 1)
		hamlets = frappe.db.count("Administrative Division", {"division_level": "Hamlet"})
		self.assertGreaterEqual(frappe.db.count("Mediator"), 2 * hamlets)
		cases = frappe.get_all("Mediation Case", fields=["name", "ledger_entry"])
		self.assertGreaterEqual(len(cases), 5)
		self.assertTrue(
			all(
				frappe.db.get_value("Dispute Ledger Entry", c.ledger_entry, "mediation_case") == c.name
				for c in cases
			)
		)
		mediator = frappe.db.get_value("Mediator", {"user": f"mediator1@{EMAIL_DOMAIN}"})
		assigned = set(frappe.get_all("Mediation Case Mediator", {"mediator": mediator}, pluck="parent"))
		frappe.set_user(f"mediator1@{EMAIL_DOMAIN}")
		try:
			self.assertEqual(set(frappe.get_list("Mediation Case", pluck="name")), assigned)
		finally:
			frappe.set_user("Administrator")
		self.assertTrue(assigned)
		self.assertEqual(frappe.db.count("Joint Meeting", {"docstatus": 1}), 3)

	def assertLeadersAtWork(self):
		self.assertGreaterEqual(frappe.db.count("Reception Schedule"), 12)
		records = frappe.get_all("Reception Record", fields=["name", "batches", "visitors"])
		self.assertGreaterEqual(len(records), 10)
		self.assertTrue(all(r.visitors >= r.batches > 0 for r in records))
		pending = frappe.get_all(
			"Reception Instruction", {"instruction_status": "待办理"}, ["parent", "assigned_unit"]
		)
		self.assertTrue(pending)
		for row in pending:  # each open instruction is a ToDo on its record for the unit's handlers
			self.assertTrue(
				frappe.db.exists(
					"ToDo",
					{"reference_type": "Reception Record", "reference_name": row.parent, "status": "Open"},
				)
			)
		cases = frappe.get_all("Leader Case Assignment", fields=["petition", "leader"])
		self.assertTrue(cases)
		for case in cases:
			self.assertEqual(frappe.db.get_value("Petition", case.petition, "lead_leader"), case.leader)

	def test_every_demo_user_has_a_role_and_a_scope(self):
		load_demo()
		from frappe.desk.desktop import get_workspace_sidebar_items

		from xinfang_app.demo import county_data

		divisions = county_data.build_divisions()
		for spec in demo_users(divisions, county_data.build_units(divisions)):
			with self.subTest(user=spec["email"]):
				self.assertTrue(set(spec["roles"]) <= set(frappe.get_roles(spec["email"])))
				self.assertEqual(frappe.db.get_value("User", spec["email"], "language"), "zh")
				if spec["division"] or spec["unit"]:
					self.assertTrue(frappe.db.exists("User Permission", {"user": spec["email"]}))
				# the login lands on a workspace of its own, not on 「页 信访工作台未找到」
				home = frappe.db.get_value("User", spec["email"], "default_workspace")
				frappe.set_user(spec["email"])
				try:
					pages = [page.name for page in get_workspace_sidebar_items()["pages"]]
				finally:
					frappe.set_user("Administrator")
				if frappe.db.get_value("User", spec["email"], "user_type") != "System User":
					self.assertFalse(home)  # no desk role, so Frappe keeps it off the desk: no desk home
				else:
					self.assertIn(home, pages)

	def test_demo_password_must_pass_the_site_password_policy(self):
		settings = ("System Settings", "enable_password_policy")
		before = frappe.db.get_single_value(*settings)
		frappe.db.set_single_value(*settings, 1)
		try:
			check_password_policy(DEFAULT_DEMO_PASSWORD)
			divisions_before = frappe.db.count("Administrative Division")
			with self.assertRaisesRegex(frappe.ValidationError, "密码策略"):
				load_demo(password="demo123")
			self.assertEqual(frappe.db.count("Administrative Division"), divisions_before)
		finally:
			frappe.db.set_single_value(*settings, before)

	def test_history_entry_reads_metadata_no_one_has_read_yet(self):
		"""The loader keeps a copy of each record it loads; a doctype's metadata, read cold while the
		history is entered, is no record of it (copying it read the metadata again, without end)."""
		from xinfang_app.demo.loader import history_entry

		frappe.clear_cache()
		with history_entry():
			meta = frappe.get_meta("Petition Review", cached=False)
		self.assertTrue(meta.get_field("petition"))
