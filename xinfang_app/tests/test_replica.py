"""Issue 13 item 4: a leader's reports, number cards and charts are read from a MariaDB replica when the
site reads from one (`read_from_replica`, Frappe's `frappe.read_only`), and every write still goes to the
primary.

A second MariaDB server on localhost replicates the test site's database (tests/replica.py). With its SQL
thread paused, a petition registered on the primary is missing from what the report, the card and the chart
show — so those figures came from the replica — and present once replication resumes. The site's user may
only SELECT on the replica: a write sent there would fail, so a green run also proves none is sent.

Skipped with the reason where no replica can start (the primary writes no binary log, MariaDB's server is not
installed), except under CI=true, where it fails.
"""

from __future__ import annotations

import json
from contextlib import contextmanager

import frappe
import pymysql
from frappe.desk.query_report import run as run_report
from frappe.utils import today

from xinfang_app import api, cards
from xinfang_app.tests.cases import VILLAGE, WorldCase, not_run
from xinfang_app.tests.factories import email, make_petition
from xinfang_app.tests.replica import Replica, unavailable


class TestReplica(WorldCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.db.commit()  # the world, for the dump the replica starts from
		reason = unavailable()
		cls.replica = None
		if not reason:
			try:
				cls.replica = Replica()
				cls.replica.start()
				cls.replica.caught_up()
			except Exception as e:
				reason = f"the replica did not start: {e}"
				cls.replica.stop()
				cls.replica = None
		if reason:
			raise not_run("the replica test", reason)

	@classmethod
	def tearDownClass(cls):
		if cls.replica:
			cls.replica.stop()
		frappe.set_user("Administrator")
		for name in frappe.get_all("Petition", {"subject": ("like", "副本测试%")}, pluck="name"):
			frappe.delete_doc("Petition", name, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	@contextmanager
	def reading_from_replica(self):
		keys = ("read_from_replica", "replica_host", "replica_db_port")
		before = {key: frappe.conf.get(key) for key in keys}
		frappe.conf.update(read_from_replica=1, replica_host="127.0.0.1", replica_db_port=self.replica.port)
		try:
			yield
		finally:
			frappe.conf.update(before)

	def served(self, fn, *args, **kwargs):
		"""One call as one request would make it; records whether it opened a replica connection. (Frappe
		keeps a request's replica connection for the rest of that request: each call here is its own.)"""
		try:
			result = fn(*args, **kwargs)
			self.used_replica.append(hasattr(frappe.local, "replica_db"))
			if hasattr(frappe.local, "replica_db"):
				self.assertIs(frappe.local.db, frappe.local.primary_db)  # back on the primary
			return result
		finally:
			for attribute in ("replica_db", "primary_db"):
				if hasattr(frappe.local, attribute):
					delattr(frappe.local, attribute)

	def figures(self) -> dict:
		"""What a county leader's workbench and reports show: a count card, a chart, a report, a custom card."""
		self.used_replica = []
		frappe.set_user(email("county"))
		try:
			card = frappe.get_doc("Number Card", "本月新增")
			count = self.served(
				api.get_number_card_result,
				doc=json.dumps(card.as_dict(), default=str),
				filters=card.filters_json,
			)
			chart = self.served(api.get_dashboard_chart, chart_name="各乡镇信访件数")
			report = self.served(
				run_report, "Petition Situation", filters={"group_by": "township", "month": today()}
			)
			rate = self.served(cards.resolution_rate_card)
			total = next(row for row in report["result"] if row.get("is_total"))
			return {
				"card": count,
				"chart": sum(chart["datasets"][0]["values"]),
				"report": total["current"],
				"rate": rate["value"],
			}
		finally:
			frappe.set_user("Administrator")

	def test_a_leaders_figures_come_from_the_replica_and_writes_from_the_primary(self):
		with self.reading_from_replica():
			before = self.figures()
		self.assertEqual(self.used_replica, [True] * 4)
		primary_before = self.figures()
		self.assertEqual(self.used_replica, [False] * 4)  # without read_from_replica, the primary
		self.assertEqual(primary_before, before)  # replication caught up: the same figures
		self.replica.pause()
		try:
			make_petition(VILLAGE, self.world.petitioners["a1"], subject="副本测试：新登记的信访事项")
			frappe.db.commit()  # on the primary; the replica does not apply it while paused
			primary = self.figures()
			with self.reading_from_replica():
				lagging = self.figures()
		finally:
			self.replica.resume()
		self.assertEqual(primary["card"], before["card"] + 1)
		self.assertEqual(primary["chart"], before["chart"] + 1)
		self.assertEqual(primary["report"], before["report"] + 1)
		# read through the replica, the figures miss the petition only the primary has
		self.assertEqual(lagging, before)
		self.replica.caught_up()
		with self.reading_from_replica():
			self.assertEqual(self.figures(), primary)
			# a write in the same request still goes to the primary
			name = make_petition(VILLAGE, self.world.petitioners["a1"], subject="副本测试：读副本时登记")
			frappe.db.commit()
		self.assertTrue(frappe.db.exists("Petition", name))

	def test_the_replica_refuses_writes(self):
		with self.reading_from_replica():
			frappe.connect_replica()
			try:
				with self.assertRaises(
					(pymysql.err.OperationalError, pymysql.err.ProgrammingError)
				) as denied:
					frappe.db.sql("update `tabPetition` set subject = subject limit 1")
				self.assertRegex(str(denied.exception), "read-only|denied")  # read_only, and SELECT only
			finally:
				frappe.local.db.close()
				frappe.local.db = frappe.local.primary_db
				del frappe.local.primary_db, frappe.local.replica_db
