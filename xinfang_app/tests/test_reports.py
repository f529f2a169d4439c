"""Reports, cards and charts leaders read, against a data set whose figures are computed by hand.

March 2024 in the test county (as of 2024-03-31):

| petition | village | category | channel | received | accepted (due) | handling due | replied | closed | state | rating |
|---|---|---|---|---|---|---|---|---|---|---|
| A1 | 甲一村 | 农村低保 | 来访 | 03-01 | 03-02 (03-16) | 04-30 | 03-20 | 03-25 | Resolved | 满意 |
| A2 | 甲二村 | 农村低保 | 来信 | 03-05 | 03-25 (03-20) | 03-28 | - | - | Handling, red | - |
| A3 | 甲一村 | 征地拆迁 | 上级交办 | 03-10 | 03-11 (03-25) | 03-20 | 03-22 | - | Follow-up | 不满意 |
| A4 | 甲一村 | 农村低保 | 来访 | 2024-02-10 | 02-11 | 04-10 | 02-20 | 03-05 | Case Closed, redone once | 基本满意 |
| A5 | 甲一村 | 农村低保 | 来访 | 2023-03-15 | 2023-03-16 | | 2023-03-30 | 2023-04-05 | Case Closed | 满意 |
| B1 | 乙一村 | 农村低保 | 来访 | 03-02 | 03-03 (03-17) | 05-02 | 03-15 | - | Reply Issued, repeat of A5 | 未评价 |
| B2 | 乙一村 | 征地拆迁 | 来访 | 03-20 | - (04-03) | | - | - | Pending Acceptance, yellow | - |
| B3 | 乙一村 | 农村低保 | 来访 | 2023-11-01 | 2023-11-02 | 2024-01-01 | - | - | Handling | - |
"""

from __future__ import annotations

import datetime as dt
import json
from io import BytesIO

import frappe
from frappe.desk.query_report import run as run_report
from openpyxl import load_workbook

from xinfang_app import cards
from xinfang_app.domain import access
from xinfang_app.tests.cases import WorldCase
from xinfang_app.tests.factories import email, make_dated_petition, make_user

MARCH = {"from_date": "2024-03-01", "to_date": "2024-03-31"}
DIVISION = "Administrative Division"
D = dt.date


def build_march(world) -> dict[str, str]:
	a, b = world.petitioners["a1"], world.petitioners["b1"]
	p = {}
	p["A5"] = make_dated_petition(
		"测试甲一村",
		a,
		received_on=D(2023, 3, 15),
		accepted_on=D(2023, 3, 16),
		replied_on=D(2023, 3, 30),
		closed_on=D(2023, 4, 5),
		workflow_state="Case Closed",
		satisfaction="满意",
		light="",
	)
	p["A4"] = make_dated_petition(
		"测试甲一村",
		a,
		received_on=D(2024, 2, 10),
		accepted_on=D(2024, 2, 11),
		handling_due=D(2024, 4, 10),
		replied_on=D(2024, 2, 20),
		closed_on=D(2024, 3, 5),
		workflow_state="Case Closed",
		satisfaction="基本满意",
		redo_count=1,
		light="",
	)
	p["A1"] = make_dated_petition(
		"测试甲一村",
		a,
		received_on=D(2024, 3, 1),
		accepted_on=D(2024, 3, 2),
		acceptance_due=D(2024, 3, 16),
		handling_due=D(2024, 4, 30),
		replied_on=D(2024, 3, 20),
		closed_on=D(2024, 3, 25),
		workflow_state="Resolved",
		satisfaction="满意",
		light="",
	)
	p["A2"] = make_dated_petition(
		"测试甲二村",
		a,
		channel="来信",
		received_on=D(2024, 3, 5),
		accepted_on=D(2024, 3, 25),
		acceptance_due=D(2024, 3, 20),
		handling_due=D(2024, 3, 28),
		workflow_state="Handling",
		light="Red",
	)
	p["A3"] = make_dated_petition(
		"测试甲一村",
		a,
		channel="上级交办",
		category="征地拆迁",
		received_on=D(2024, 3, 10),
		accepted_on=D(2024, 3, 11),
		acceptance_due=D(2024, 3, 25),
		handling_due=D(2024, 3, 20),
		replied_on=D(2024, 3, 22),
		workflow_state="Follow-up",
		satisfaction="不满意",
		light="",
	)
	p["B1"] = make_dated_petition(
		"测试乙一村",
		b,
		received_on=D(2024, 3, 2),
		accepted_on=D(2024, 3, 3),
		acceptance_due=D(2024, 3, 17),
		handling_due=D(2024, 5, 2),
		replied_on=D(2024, 3, 15),
		workflow_state="Reply Issued",
		satisfaction="未评价",
		repeat_of=p["A5"],
		light="",
	)
	p["B2"] = make_dated_petition(
		"测试乙一村",
		b,
		category="征地拆迁",
		received_on=D(2024, 3, 20),
		acceptance_due=D(2024, 4, 3),
		workflow_state="Pending Acceptance",
		light="Yellow",
	)
	p["B3"] = make_dated_petition(
		"测试乙一村",
		b,
		received_on=D(2023, 11, 1),
		accepted_on=D(2023, 11, 2),
		handling_due=D(2024, 1, 1),
		workflow_state="Handling",
		light="",
	)
	return p


class ReportCase(WorldCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.county_leader = make_user("leader_county", access.LEADER, "测试县")
		cls.p = build_march(cls.world)
		cls.names = {name: key for key, name in cls.p.items()}
		frappe.cache.delete_value("user_permissions")

	def setUp(self):
		# Every test starts from the same data set: what one test adds is undone before the next.
		frappe.db.savepoint("xinfang_report_test")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="xinfang_report_test")

	def run_as(self, user_key, report, filters):
		frappe.set_user(email(user_key) if "@" not in user_key else user_key)
		return run_report(report, filters)

	def mine(self, rows, field="petition"):
		"""The rows of this data set, by their key (A1, B2…); other tests' petitions are left aside."""
		return [self.names[row[field]] for row in rows if row.get(field) in self.names]


class TestPetitionKpis(ReportCase):
	def kpis(self, user_key, filters=MARCH):
		result = self.run_as(user_key, "Petition KPIs", filters)
		return {
			row["key"]: (row["numerator"], row["denominator"], row["rate"]) for row in result["result"]
		}, result

	def test_county_figures_are_the_hand_computed_ones(self):
		figures, result = self.kpis("leader_county")
		self.assertEqual(figures["timely_acceptance"], (3, 4, 75.0))
		self.assertEqual(figures["on_time_completion"], (2, 3, 66.7))
		self.assertEqual(figures["completion"], (3, 4, 75.0))
		self.assertEqual(figures["evaluation"], (2, 3, 66.7))
		self.assertEqual(figures["satisfaction"], (1, 2, 50.0))
		self.assertEqual(figures["one_time_resolution"], (1, 2, 50.0))
		self.assertEqual(figures["repeat_petition"], (1, 5, 20.0))
		summary = {item["label"]: item["value"] for item in result["report_summary"]}
		self.assertEqual(summary[frappe._("Overdue Now")], 2)  # A2 and B3
		self.assertEqual(result["chart"]["data"]["datasets"][0]["values"][0], 75.0)

	def test_township_leader_figures_cover_only_their_township(self):
		figures, _result = self.kpis("leader_a")
		self.assertEqual(figures["timely_acceptance"], (2, 3, 66.7))
		self.assertEqual(figures["on_time_completion"], (1, 2, 50.0))
		self.assertEqual(figures["completion"], (2, 3, 66.7))
		self.assertEqual(figures["repeat_petition"], (0, 3, 0.0))
		self.assertEqual(figures["one_time_resolution"], (1, 2, 50.0))

	def test_division_filter_narrows_the_county_to_one_township(self):
		figures, _result = self.kpis("leader_county", {**MARCH, "division": "测试乙乡"})
		self.assertEqual(figures["timely_acceptance"], (1, 1, 100.0))
		self.assertEqual(figures["repeat_petition"], (1, 2, 50.0))

	def test_a_user_without_scope_gets_no_figures(self):
		figures, _result = self.kpis("no_scope")
		self.assertEqual(figures["timely_acceptance"], (0, 0, None))

	def test_report_exports_to_excel_with_the_figures(self):
		from frappe.desk.query_report import export_query

		frappe.set_user(self.county_leader)
		frappe.local.form_dict = frappe._dict(
			report_name="Petition KPIs",
			file_format_type="Excel",
			filters=json.dumps(MARCH),
			visible_idx=json.dumps(list(range(7))),
		)
		export_query()
		self.assertTrue(frappe.response["filename"].endswith(".xlsx"))
		sheet = load_workbook(BytesIO(frappe.response["filecontent"])).active
		values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
		self.assertIn(["及时受理率", 75.0, 3, 4], [row[:4] for row in values])


class TestTownshipRanking(ReportCase):
	def test_ranking_by_completion_rate(self):
		rows = self.run_as("leader_county", "Township Ranking", MARCH)["result"]
		ranked = {row["township"]: row for row in rows}
		self.assertEqual(
			[
				ranked["测试乙乡"]["rank"],
				ranked["测试乙乡"]["completion_rate"],
				ranked["测试乙乡"]["overdue"],
			],
			[1, 100.0, 1],
		)
		self.assertEqual(
			[
				ranked["测试甲镇"][k]
				for k in (
					"rank",
					"received",
					"accepted",
					"concluded",
					"completion_rate",
					"on_time_rate",
					"overdue",
				)
			],
			[2, 3, 3, 2, 66.7, 50.0, 1],
		)

	def test_township_leader_sees_only_their_township(self):
		rows = self.run_as("leader_a", "Township Ranking", MARCH)["result"]
		self.assertEqual([row["township"] for row in rows], ["测试甲镇"])


class TestPetitionSituation(ReportCase):
	def test_by_category_with_month_on_month_and_year_on_year(self):
		result = self.run_as(
			"leader_county", "Petition Situation", {"month": "2024-03-15", "group_by": "category"}
		)
		rows = {row["key"]: row for row in result["result"]}
		low = rows["农村低保"]
		self.assertEqual(
			[
				low["current"],
				low["previous_month"],
				low["same_month_last_year"],
				low["month_on_month"],
				low["year_on_year"],
			],
			[3, 1, 1, 200.0, 200.0],
		)
		land = rows["征地拆迁"]
		self.assertEqual([land["current"], land["month_on_month"], land["year_on_year"]], [2, None, None])
		self.assertEqual(result["result"][-1]["current"], 5)

	def test_by_township_for_a_township_leader(self):
		result = self.run_as(
			"leader_a", "Petition Situation", {"month": "2024-03-01", "group_by": "township"}
		)
		self.assertEqual(
			[(row["key"], row["current"]) for row in result["result"]],
			[("测试甲镇", 3), (frappe._("Total"), 3)],
		)

	def test_by_month_lists_twelve_months(self):
		rows = self.run_as(
			"leader_county", "Petition Situation", {"month": "2024-03-01", "group_by": "month"}
		)["result"]
		self.assertEqual(len(rows), 12)
		self.assertEqual(
			(rows[-1]["key"], rows[-1]["current"], rows[-1]["same_month_last_year"]), ("2024-03", 5, 1)
		)


class TestTheReadersTree(ReportCase):
	def test_divisions_in_scope_are_the_divisions_frappe_lets_the_reader_list(self):
		# read by the tree's ranges, they are what Frappe's own User Permission check (every division under
		# the reader's place, by name) lets the reader list; the division filter cuts them to its subtree
		from xinfang_app import reporting

		for user in ("leader_a", "leader_county"):
			frappe.set_user(email(user))
			ours = [d.name for d in reporting.divisions_in_scope()]
			frappes = frappe.get_list(DIVISION, pluck="name", order_by="lft asc", limit_page_length=0)
			self.assertTrue(ours)
			self.assertEqual(ours, frappes)
		townships = frappe.get_list(
			DIVISION,
			filters={"division_level": ("in", reporting.TOWNSHIP_LEVELS)},
			pluck="name",
			order_by="lft asc",
			limit_page_length=0,
		)
		self.assertIn("测试乙乡", townships)
		self.assertEqual(reporting.townships_in_scope(frappe._dict()), townships)
		under = [d.name for d in reporting.divisions_in_scope("测试乙乡", ("Village",))]
		self.assertEqual(under, ["测试乙一村"])


class TestOverdueAndBacklog(ReportCase):
	def test_overdue_and_lights_as_of_month_end(self):
		rows = self.run_as("leader_county", "Overdue and Lights", {"as_of": "2024-03-31"})["result"]
		self.assertEqual(self.mine(rows), ["B3", "A2", "B2"])
		by_key = {self.names[row["petition"]]: row for row in rows if row["petition"] in self.names}
		self.assertEqual((by_key["B3"]["days_overdue"], by_key["A2"]["days_overdue"]), (90, 3))
		self.assertEqual((by_key["B2"]["is_overdue"], by_key["B2"]["light_code"]), (None, "Yellow"))

	def test_states_lights_and_people_read_in_chinese_on_screen_and_in_the_excel_export(self):
		from io import BytesIO

		from openpyxl import load_workbook

		from xinfang_app.reporting import export_query

		saved = frappe.local.lang
		self.addCleanup(setattr, frappe.local, "lang", saved)
		frappe.local.lang = "zh"
		rows = self.run_as("leader_county", "Overdue and Lights", {"as_of": "2024-03-31"})["result"]
		by_key = {self.names[row["petition"]]: row for row in rows if row["petition"] in self.names}
		self.assertEqual(
			(by_key["B2"]["light"], by_key["B2"]["is_overdue"], by_key["B3"]["is_overdue"]),
			("黄", None, "是"),
		)
		self.assertEqual(
			by_key["B3"]["workflow_state"],
			frappe._(frappe.db.get_value("Petition", self.p["B3"], "workflow_state")),
		)
		self.assertRegex(by_key["B3"]["workflow_state"], r"[\u4e00-\u9fff]")
		frappe.local.form_dict = frappe._dict(
			report_name="Overdue and Lights",
			file_format_type="Excel",
			filters=json.dumps({"as_of": "2024-03-31"}),
			visible_idx=json.dumps(list(range(len(rows)))),
		)
		self.addCleanup(setattr, frappe.local, "form_dict", frappe._dict())
		export_query()
		self.assertEqual(frappe.response["filename"], "超期与红黄灯.xlsx")
		sheet = load_workbook(BytesIO(frappe.response["filecontent"])).active
		self.assertEqual(sheet.title, "超期与红黄灯")
		text = " ".join(
			str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None
		)
		for english in ("Yellow", "Red", "Handling", "Pending Acceptance", "Query Report"):
			self.assertNotIn(english, text)
		self.assertIn("黄", text)

	def test_overdue_only_for_a_township_leader(self):
		rows = self.run_as("leader_a", "Overdue and Lights", {"as_of": "2024-03-31", "show": "Overdue"})[
			"result"
		]
		self.assertEqual(self.mine(rows), ["A2"])

	def test_one_light_lists_its_petitions_overdue_or_not(self):
		def shown(light):
			rows = self.run_as("leader_county", "Overdue and Lights", {"as_of": "2024-03-31", "show": light})
			return [
				(self.names[r["petition"]], r["light_code"], bool(r["is_overdue"]))
				for r in rows["result"]
				if r["petition"] in self.names
			]

		self.assertEqual(shown("Red"), [("A2", "Red", True)])
		self.assertEqual(shown("Yellow"), [("B2", "Yellow", False)])

	def test_an_overdue_petition_shows_the_deadline_it_missed(self):
		# B1 as a reply issued without a reply date: no clock runs in that state, but is_overdue holds it
		# to its handling deadline (03-20), so the row says which deadline and how many days past it.
		frappe.set_user("Administrator")
		frappe.db.set_value(
			"Petition",
			self.p["B1"],
			{"replied_on": None, "handling_due": "2024-03-20"},
			update_modified=False,
		)
		rows = self.run_as("leader_county", "Overdue and Lights", {"as_of": "2024-03-31"})["result"]
		row = next(r for r in rows if r["petition"] == self.p["B1"])
		self.assertEqual(
			(str(row["due"]), row["days_overdue"], bool(row["is_overdue"])), ("2024-03-20", 11, True)
		)

	def test_backlog_with_lead_leader(self):
		frappe.set_user("Administrator")
		assignment = frappe.get_doc(
			{
				"doctype": "Leader Case Assignment",
				"petition": self.p["A3"],
				"leader": email("leader_a"),
				"leader_level": "乡镇",
				"assigned_on": "2024-03-12",
				"target_date": "2024-04-30",
				"plan": "约见信访人，协调征地补偿。",
			}
		).insert()
		rows = self.run_as("leader_county", "Backlog Cases", {"as_of": "2024-03-31"})["result"]
		self.assertEqual(self.mine(rows), ["B3", "A3"])
		b3, a3 = [row for row in rows if row["petition"] in (self.p["B3"], self.p["A3"])]
		self.assertEqual((b3["days_open"], b3["reasons"], b3["lead_leader"]), (151, "超过90天未化解", None))
		self.assertEqual(
			(a3["reasons"], a3["lead_leader"], a3["assignment"]),
			("上级交办", frappe.utils.get_fullname(email("leader_a")), assignment.name),
		)

		only_a = self.run_as("leader_a", "Backlog Cases", {"as_of": "2024-03-31"})["result"]
		self.assertEqual(self.mine(only_a), ["A3"])

	def test_backlog_threshold_comes_from_settings(self):
		frappe.set_user("Administrator")
		frappe.db.set_single_value("Xinfang Settings", "backlog_days", 200)
		frappe.db.set_single_value("Xinfang Settings", "backlog_includes_assigned_from_above", 0)
		frappe.clear_document_cache("Xinfang Settings", "Xinfang Settings")
		try:
			rows = self.run_as("leader_county", "Backlog Cases", {"as_of": "2024-03-31"})["result"]
			self.assertEqual(self.mine(rows), [])
		finally:
			frappe.set_user("Administrator")
			frappe.db.set_single_value("Xinfang Settings", "backlog_days", 90)
			frappe.db.set_single_value("Xinfang Settings", "backlog_includes_assigned_from_above", 1)
			frappe.clear_document_cache("Xinfang Settings", "Xinfang Settings")


class TestPreparedReports(ReportCase):
	"""A heavy report that Frappe runs as a Prepared Report (in a background job) keeps its reader's scope:
	the job runs as the user who asked, and each reader gets back only the result they asked for."""

	def prepared(self, user_key, filters):
		from unittest.mock import patch

		from frappe.core.doctype.prepared_report.prepared_report import generate_report, make_prepared_report

		frappe.set_user(email(user_key))
		self.assertEqual(run_report("Petition Situation", filters)["doc"], None)  # nothing prepared yet
		name = make_prepared_report("Petition Situation", filters)["name"]
		with patch.object(frappe.db, "commit"):  # the job commits; the test's data must stay uncommitted
			generate_report(name)  # what the worker runs, as the user who queued it (frappe.enqueue)
		result = run_report("Petition Situation", filters)
		self.assertTrue(result["prepared_report"])
		self.assertEqual(result["doc"].name, name)
		return [(row["key"], row["current"]) for row in result["result"]]

	def test_a_prepared_report_keeps_its_readers_scope(self):
		frappe.db.set_value("Report", "Petition Situation", "prepared_report", 1)
		filters = {"month": "2024-03-01", "group_by": "township"}
		township = self.prepared("leader_a", filters)
		self.assertEqual(township, [("测试甲镇", 3), (frappe._("Total"), 3)])
		county = self.prepared("leader_county", filters)
		self.assertIn(("测试乙乡", 2), county)
		self.assertNotIn("测试乙乡", [key for key, _count in township])


class TestLeaderCaseAssignment(ReportCase):
	def test_assignment_sets_the_lead_leader_and_logs_progress(self):
		frappe.set_user("Administrator")
		doc = frappe.get_doc(
			{
				"doctype": "Leader Case Assignment",
				"petition": self.p["B3"],
				"leader": self.county_leader,
				"leader_level": "县级",
				"assigned_on": "2024-03-01",
				"target_date": "2024-06-30",
				"plan": "县级领导包案，约谈责任单位。",
			}
		).insert()
		self.assertEqual(frappe.db.get_value("Petition", self.p["B3"], "lead_leader"), self.county_leader)

		frappe.set_user(self.county_leader)
		doc = frappe.get_doc("Leader Case Assignment", doc.name)
		doc.append("progress_log", {"progress_date": "2024-03-10", "progress": "已约见信访人"})
		doc.status = "已化解"
		doc.save()
		self.assertEqual(doc.progress_log[0].recorded_by, self.county_leader)
		self.assertTrue(doc.resolved_on)

		rows = self.run_as("leader_county", "Backlog Cases", {"as_of": "2024-03-31"})["result"]
		b3 = next(row for row in rows if row["petition"] == self.p["B3"])
		self.assertEqual(
			(b3["assignment_status"], b3["last_progress"]), ("已化解", "2024-03-10 已约见信访人")
		)

	def test_a_second_open_assignment_of_the_same_petition_is_refused(self):
		frappe.set_user("Administrator")
		values = {
			"doctype": "Leader Case Assignment",
			"petition": self.p["A2"],
			"leader": email("leader_a"),
			"leader_level": "乡镇",
			"target_date": frappe.utils.today(),
			"plan": "包案",
		}
		frappe.get_doc(values).insert()
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc(values).insert()

	def test_township_leader_cannot_read_another_townships_assignment(self):
		frappe.set_user("Administrator")
		doc = frappe.get_doc(
			{
				"doctype": "Leader Case Assignment",
				"petition": self.p["B2"],
				"leader": self.county_leader,
				"leader_level": "县级",
				"target_date": frappe.utils.today(),
				"plan": "包案",
			}
		).insert()
		self.assertFalse(frappe.has_permission("Leader Case Assignment", "read", doc, user=email("leader_a")))
		self.assertTrue(frappe.has_permission("Leader Case Assignment", "read", doc, user=self.county_leader))
		frappe.set_user(email("leader_a"))
		self.assertNotIn(doc.name, frappe.get_list("Leader Case Assignment", pluck="name"))


class TestCardsAndCharts(ReportCase):
	def test_custom_cards_use_the_kpi_core_within_scope(self):
		frappe.set_user(self.county_leader)
		self.assertEqual(cards.concluded_in_month(D(2024, 3, 31)), 3)  # A1, A3, B1 (A4 concluded in February)
		rate = cards.resolution_rate(D(2024, 3, 31))
		self.assertEqual((rate.numerator, rate.denominator, rate.value), (4, 5, 80.0))
		frappe.set_user(email("leader_a"))
		self.assertEqual(cards.concluded_in_month(D(2024, 3, 31)), 2)
		self.assertEqual(cards.resolution_rate(D(2024, 3, 31)).value, 75.0)

	def test_count_card_counts_only_the_village_of_a_village_officer(self):
		from frappe.desk.doctype.number_card.number_card import get_result

		card = frappe.get_doc("Number Card", "待受理")
		filters = json.loads(card.filters_json)
		frappe.set_user("Administrator")
		total = get_result(card.as_json(), json.loads(card.filters_json))
		in_village = frappe.db.count(
			"Petition",
			{
				"workflow_state": "Pending Acceptance",
				"division": ("descendants of (inclusive)", "测试甲一村"),
			},
		)
		make_dated_petition(
			"测试甲一村",
			self.world.petitioners["a1"],
			received_on=frappe.utils.today(),
			workflow_state="Pending Acceptance",
		)
		frappe.set_user(email("village_a1"))
		self.assertEqual(get_result(card.as_json(), filters), in_village + 1)
		self.assertGreater(total + 1, in_village + 1)  # B2 pends in 乙一村, outside the village

	def test_yellow_card_of_a_township_leader_leaves_out_other_townships(self):
		from frappe.desk.doctype.number_card.number_card import get_result

		card = frappe.get_doc("Number Card", "黄灯")
		frappe.set_user(email("leader_a"))
		mine = get_result(card.as_json(), json.loads(card.filters_json))
		frappe.set_user(self.county_leader)
		county = get_result(card.as_json(), json.loads(card.filters_json))
		self.assertEqual(
			county - mine, frappe.db.count("Petition", {"light": "Yellow", "township": "测试乙乡"})
		)

	def test_chart_figures_are_per_reader_not_shared(self):
		from xinfang_app.api import get_dashboard_chart

		self.assertEqual(
			frappe.get_hooks("override_whitelisted_methods")[
				"frappe.desk.doctype.dashboard_chart.dashboard_chart.get"
			],
			["xinfang_app.api.get_dashboard_chart"],
		)
		frappe.set_user(self.county_leader)
		county = get_dashboard_chart(chart_name="各乡镇信访件数")
		frappe.set_user(email("leader_a"))
		township = get_dashboard_chart(chart_name="各乡镇信访件数")
		self.assertIn("测试乙乡", county["labels"])
		self.assertEqual(township["labels"], ["测试甲镇"])

	def test_time_series_chart_takes_the_desks_empty_arguments(self):
		from xinfang_app.api import get_dashboard_chart

		frappe.set_user(email("leader_a"))
		# The desk sends "" for dates it leaves unset; Frappe's own cache wrapper turns them into None.
		chart = get_dashboard_chart(
			chart_name="信访件数月度走势", filters="", from_date="", to_date="", timespan="", refresh=1
		)
		self.assertEqual(len(chart["labels"]), len(chart["datasets"][0]["values"]))
		self.assertGreaterEqual(len(chart["labels"]), 12)

	def test_chart_labels_read_in_chinese_on_a_chinese_desk(self):
		from xinfang_app.api import get_dashboard_chart

		saved = frappe.local.lang
		self.addCleanup(setattr, frappe.local, "lang", saved)
		frappe.local.lang = "zh"
		frappe.set_user(self.county_leader)
		states = get_dashboard_chart(chart_name="办理状态分布")["labels"]
		self.assertTrue(states)
		for label in states:
			self.assertRegex(label, r"[\u4e00-\u9fff]", label)
		months = get_dashboard_chart(chart_name="信访件数月度走势", refresh=1)["labels"]
		self.assertTrue(months)
		for label in months:
			self.assertRegex(label, r"^\d{4}年\d{1,2}月$")

	def test_workspace_carries_the_cards_and_charts(self):
		workspace = frappe.get_doc("Workspace", "信访工作台")
		self.assertEqual(
			[row.number_card_name for row in workspace.number_cards],
			["待受理", "办理中", "黄灯", "红灯", "本月新增", "本月办结", "化解率"],  # 化解率 reads 本年办结率
		)
		self.assertEqual(len(workspace.charts), 4)
		# the card says what it counts: the 办结率 of this year's accepted petitions
		self.assertEqual(frappe.db.get_value("Number Card", "化解率", "label"), "本年办结率")

	def test_a_widgets_document_is_opened_by_frappes_own_rule(self):
		"""The app's hooks for Number Card and Dashboard Chart answer exactly as Frappe's own hooks, case by
		case, for the app's cards and charts and for cards of every other kind."""
		from frappe.desk.doctype.dashboard_chart.dashboard_chart import has_permission as frappes_chart
		from frappe.desk.doctype.number_card.number_card import has_permission as frappes_card
		from frappe.permissions import add_permission, update_permission_property

		from xinfang_app import desk

		# a read granted through Custom DocPerm, and only on one's own documents: Error Log for leaders
		self.addCleanup(frappe.clear_cache, doctype="Error Log")
		add_permission("Error Log", access.LEADER)
		update_permission_property("Error Log", access.LEADER, 0, "if_owner", 1)

		def card(**fields):
			return frappe.get_doc({"doctype": "Number Card", "type": "Document Type", **fields})

		def chart(**fields):
			return frappe.get_doc({"doctype": "Dashboard Chart", "chart_type": "Count", **fields})

		widgets = [
			frappe.get_doc("Number Card", name) for name in frappe.get_all("Number Card", pluck="name")
		]
		widgets += [
			frappe.get_doc("Dashboard Chart", name)
			for name in frappe.get_all("Dashboard Chart", pluck="name")
		]
		widgets += [
			card(document_type="Petition"),
			card(document_type="Error Log"),
			card(document_type="Scheduled Job Type"),  # a System Manager's alone
			card(document_type="Has Role"),  # a child table
			card(document_type="没有这个文档类型"),
			card(type="Custom", document_type=""),
			card(type="Report", report_name="Petition KPIs"),
			chart(document_type="Error Log"),
			chart(document_type="Scheduled Job Type"),
			chart(document_type="User", roles=[{"role": access.LEADER}]),
			chart(chart_type="Report", report_name="Petition KPIs"),
		]
		users = ["Administrator", "Guest", self.county_leader] + [
			email(key) for key in ("leader_a", "village_a1", "handler_housing", "mediator_a", "manager")
		]
		answered = set()
		for user in users:
			frappe.set_user(user)
			for doc in widgets:
				if doc.doctype == "Number Card":
					ours, frappes = desk.number_card_has_permission, frappes_card
				else:
					ours, frappes = desk.dashboard_chart_has_permission, frappes_chart
				expected = bool(frappes(doc, "read", user))
				answer = ours(doc, "read", user)
				case = (user, doc.doctype, doc.name, doc.document_type, doc.get("report_name"))
				if answer is not None:
					answered.add(answer)
				self.assertEqual(expected if answer is None else answer, expected, case)
		self.assertEqual(answered, {True, False})  # the app answered both ways, not only passed on
		error_log = card(document_type="Error Log")
		frappe.set_user(self.county_leader)
		self.assertTrue(desk.number_card_has_permission(error_log, "read"))
		frappe.set_user(email("village_a1"))
		self.assertFalse(desk.number_card_has_permission(error_log, "read"))
		# Frappe asks the app's hook first: a leader opening a card goes through it
		self.assertEqual(
			frappe.get_hooks("has_permission")["Number Card"][-1],
			"xinfang_app.desk.number_card_has_permission",
		)

	def test_the_workbench_shows_a_leader_every_card_and_chart(self):
		from frappe.desk.desktop import get_desktop_page

		frappe.set_user(self.county_leader)
		page = get_desktop_page(
			json.dumps({"name": access.WORKBENCH, "title": access.WORKBENCH, "public": 1})
		)
		self.assertEqual(len(page["number_cards"]["items"]), 7)
		self.assertEqual(len(page["charts"]["items"]), 4)
		# the desk draws each block from the item labelled with the block's name (blocks/block.js `make`)
		content = json.loads(frappe.db.get_value("Workspace", access.WORKBENCH, "content"))
		for kind, key in (("number_card", "number_card_name"), ("chart", "chart_name")):
			labels = [item.label for item in page[f"{kind}s"]["items"]]
			blocks = [block["data"][key] for block in content if block["type"] == kind]
			self.assertEqual(sorted(blocks), sorted(labels), kind)

	def test_a_leader_lands_on_the_workbench(self):
		user = make_user("leader_new", access.LEADER, "测试乙乡")
		self.assertEqual(frappe.db.get_value("User", user, "default_workspace"), "信访工作台")

	def test_a_mediator_lands_on_their_cases_and_does_not_see_the_workbench(self):
		user = make_user("mediator_new", access.MEDIATOR)
		self.assertEqual(frappe.db.get_value("User", user, "default_workspace"), "调解工作台")
		from frappe.desk.desktop import get_workspace_sidebar_items

		frappe.set_user(user)
		try:
			pages = [page.name for page in get_workspace_sidebar_items()["pages"]]
		finally:
			frappe.set_user("Administrator")
		self.assertIn("调解工作台", pages)
		self.assertNotIn("信访工作台", pages)  # nor its 信访设置


class TestReportBuilder(ReportCase):
	def group_by_division_and_category(self, user):
		from frappe.desk.reportview import get

		frappe.set_user(user)
		frappe.local.form_dict = frappe._dict(
			doctype="Petition",
			fields=json.dumps(["`tabPetition`.`division`", "`tabPetition`.`category`"]),
			group_by="`tabPetition`.`division`, `tabPetition`.`category`",
			aggregate_function="count",
			aggregate_on_field="name",
			aggregate_on_doctype="Petition",
			order_by="_aggregate_column desc",
			filters=json.dumps([]),
			with_comment_count=False,
		)
		result = get()
		return [dict(zip(result["keys"], values, strict=False)) for values in result["values"]]

	def test_township_leader_group_by_shows_only_their_township(self):
		county = self.group_by_division_and_category(self.county_leader)
		self.assertIn("测试乙一村", {row["division"] for row in county})
		rows = self.group_by_division_and_category(email("leader_a"))
		divisions = {row["division"] for row in rows}
		self.assertTrue(divisions)
		self.assertLessEqual(divisions, {"测试甲镇", "测试甲一村", "测试甲一村东屯", "测试甲二村"})
		a2_village = next(
			row for row in rows if (row["division"], row["category"]) == ("测试甲二村", "农村低保")
		)
		self.assertGreaterEqual(a2_village["_aggregate_column"], 1)

	def test_saved_report_groups_petitions_for_leaders(self):
		report = frappe.get_doc("Report", "按乡镇分类统计")
		self.assertEqual((report.report_type, report.ref_doctype), ("Report Builder", "Petition"))
		self.assertEqual(json.loads(report.json)["group_by"]["group_by"], "`tabPetition`.`category`")
		self.assertIn(access.LEADER, [row.role for row in report.roles])

	def test_leaders_filter_petitions_by_the_fields_they_group_by(self):
		meta = frappe.get_meta("Petition")
		for fieldname in (
			"township",
			"division",
			"category",
			"channel",
			"workflow_state",
			"light",
			"handling_level",
			"received_on",
		):
			self.assertTrue(meta.get_field(fieldname).in_standard_filter, fieldname)


class TestReception(ReportCase):
	def reception(self, leader, division, date, batches, visitors, petitions=(), instructions=()):
		frappe.set_user("Administrator")
		schedule = frappe.get_doc(
			{
				"doctype": "Reception Schedule",
				"reception_date": date,
				"leader": leader,
				"division": division,
				"location": "信访接待中心",
				"reception_type": "定期接访",
			}
		).insert()
		return frappe.get_doc(
			{
				"doctype": "Reception Record",
				"reception_schedule": schedule.name,
				"batches": batches,
				"visitors": visitors,
				"petitions": [{"petition": p} for p in petitions],
				"instructions": list(instructions),
			}
		).insert()

	def instruction(self, unit="测试甲镇人民政府", text="三日内答复信访人"):
		return {"instruction": text, "assigned_unit": unit, "due_date": "2024-03-20"}

	def test_statistics_by_leader_within_scope(self):
		self.reception(
			email("leader_a"),
			"测试甲镇",
			"2024-03-05",
			3,
			7,
			[self.p["A1"], self.p["A2"]],
			[self.instruction()],
		)
		self.reception(self.county_leader, "测试县", "2024-03-12", 2, 10, [self.p["B1"]])
		rows = self.run_as("leader_county", "Reception Statistics", {**MARCH, "group_by": "leader"})["result"]
		self.assertEqual(
			[
				(r["key"], r["receptions"], r["batches"], r["visitors"], r["petitions"], r["instructions"])
				for r in rows
			],
			[
				("leader_county", 1, 2, 10, 1, 0),
				("leader_a", 1, 3, 7, 2, 1),
				(frappe._("Total"), 2, 5, 17, 3, 1),
			],
		)
		own = self.run_as("leader_a", "Reception Statistics", {**MARCH, "group_by": "month"})["result"]
		self.assertEqual(
			[(r["key"], r["batches"], r["visitors"]) for r in own],
			[("2024-03", 3, 7), (frappe._("Total"), 3, 7)],
		)

	def test_fewer_persons_than_batches_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			self.reception(email("leader_a"), "测试甲镇", "2024-03-05", 3, 2)

	def test_instruction_becomes_a_todo_that_finishes_it_when_closed(self):
		record = self.reception(
			email("leader_a"), "测试甲镇", "2024-03-05", 1, 1, instructions=[self.instruction()]
		)
		handler = email("handler_township_a")
		todos = frappe.get_all(
			"ToDo",
			filters={"reference_type": "Reception Record", "reference_name": record.name, "status": "Open"},
			fields=["name", "allocated_to", "date"],
		)
		self.assertEqual([(t.allocated_to, str(t.date)) for t in todos], [(handler, "2024-03-20")])
		self.assertTrue(frappe.has_permission("Reception Record", "read", record, user=handler))
		self.assertFalse(
			frappe.has_permission("Reception Record", "read", record, user=email("handler_housing"))
		)

		frappe.set_user(handler)
		todo = frappe.get_doc("ToDo", todos[0].name)
		todo.status = "Closed"
		todo.save()
		frappe.set_user("Administrator")
		row = frappe.get_doc("Reception Record", record.name).instructions[0]
		self.assertEqual((row.instruction_status, row.completed_by), ("已办结", handler))

	def test_marking_an_instruction_done_closes_its_todos(self):
		record = self.reception(
			email("leader_a"),
			"测试甲镇",
			"2024-03-05",
			1,
			1,
			instructions=[self.instruction(), self.instruction(text="一周内上报化解方案")],
		)
		rows = record.instructions
		self.assertTrue(rows[0].todos and rows[1].todos and rows[0].todos != rows[1].todos)
		record.instructions[1].instruction_status = "已办结"
		record.save()
		self.assertEqual(frappe.db.get_value("ToDo", rows[1].todos, "status"), "Closed")
		self.assertEqual(frappe.db.get_value("ToDo", rows[0].todos, "status"), "Open")

	def test_a_reception_record_cannot_take_in_a_petition_out_of_scope(self):
		record = self.reception(email("leader_a"), "测试甲镇", "2024-03-06", 1, 1)
		frappe.set_user(email("leader_a"))
		doc = frappe.get_doc("Reception Record", record.name)
		doc.append("petitions", {"petition": self.world.petitions["b1"]})
		with self.assertRaises(frappe.PermissionError):
			doc.save()
		doc.reload()
		doc.append("petitions", {"petition": self.world.petitions["a1"]})
		doc.save()  # a petition of the leader's own township is taken in
		self.assertEqual([row.petition for row in doc.petitions], [self.world.petitions["a1"]])

	def test_township_leader_does_not_see_county_receptions(self):
		record = self.reception(self.county_leader, "测试县", "2024-03-12", 1, 1)
		frappe.set_user(email("leader_a"))
		self.assertNotIn(record.name, frappe.get_list("Reception Record", pluck="name"))
		self.assertNotIn(record.reception_schedule, frappe.get_list("Reception Schedule", pluck="name"))


class TestMonthlyBulletin(ReportCase):
	def test_bulletin_workbook_for_a_township_leader(self):
		from xinfang_app.bulletin import SHEETS, request_monthly_bulletin

		frappe.set_user(email("leader_a"))
		request_monthly_bulletin(month="2024-03-15")
		frappe.set_user("Administrator")
		files = frappe.get_all(
			"File",
			filters={
				"attached_to_doctype": "User",
				"attached_to_name": email("leader_a"),
				"file_name": ("like", "%202403%"),
			},
			fields=["name", "is_private"],
			order_by="creation desc",
		)
		self.assertTrue(files and files[0].is_private)
		content = frappe.get_doc("File", files[0].name).get_content()
		book = load_workbook(BytesIO(content))
		self.assertEqual(book.sheetnames, list(SHEETS))
		kpis = book["指标汇总"]
		self.assertIn("测试甲镇", kpis["A1"].value)
		self.assertIn("2024年3月", kpis["A1"].value)
		rates = {row[0]: row[1:4] for row in kpis.iter_rows(min_row=3, max_row=9, values_only=True)}
		self.assertEqual(rates["及时受理率"], (66.7, 2, 3))
		ranking = list(book["乡镇排名"].iter_rows(min_row=3, values_only=True))
		self.assertEqual([row[:2] for row in ranking], [(1, "测试甲镇")])
		overdue = [row[0] for row in book["超期清单"].iter_rows(min_row=3, values_only=True)]
		self.assertIn(self.p["A2"], overdue)
		self.assertNotIn(self.p["B3"], overdue)
		self.assertTrue(
			frappe.db.exists(
				"Notification Log", {"for_user": email("leader_a"), "document_name": files[0].name}
			)
		)


class TestDisputeReports(ReportCase):
	def test_mediation_statistics_by_committee_within_scope(self):
		from xinfang_app.tests.factories import make_committee, make_mediation_case

		committee = make_committee()
		other = make_committee("测试乙乡人民调解委员会", division="测试乙乡")
		make_mediation_case("测试甲一村", accepted_on="2024-03-05", result="调解不成", referral="诉讼")
		make_mediation_case("测试甲二村", accepted_on="2024-03-06")
		make_mediation_case("测试乙一村", accepted_on="2024-03-07", committee=other)
		result = self.run_as("township_a", "Mediation Statistics", MARCH)["result"]
		rows = {row["committee"]: row for row in result}
		self.assertEqual(
			(rows[committee]["cases"], rows[committee]["failed"], rows[committee]["in_progress"]), (2, 1, 1)
		)
		self.assertEqual(rows[committee]["mediation_rate"], 0.0)
		self.assertNotIn(other, rows)
		county = {
			row["committee"]: row for row in self.run_as("county", "Mediation Statistics", MARCH)["result"]
		}
		self.assertEqual(county[other]["cases"], 1)

	def test_ledger_tier_counts_by_township_within_scope(self):
		from xinfang_app.tests.factories import make_ledger_entry

		make_ledger_entry("测试甲一村", found_on="2024-03-04", tier="一级", summary="甲一村一级")
		make_ledger_entry("测试甲一村东屯", found_on="2024-02-04", tier="三级", summary="东屯三级")
		make_ledger_entry("测试乙一村", found_on="2024-03-09", tier="二级", summary="乙一村二级")
		rows = {
			row["township"]: row for row in self.run_as("township_a", "Ledger Tier Counts", MARCH)["result"]
		}
		self.assertEqual(
			(rows["测试甲镇"]["new_1"], rows["测试甲镇"]["on_ledger_1"], rows["测试甲镇"]["on_ledger_3"]),
			(1, 1, 1),
		)
		self.assertNotIn("测试乙乡", rows)
		county = {
			row["township"]: row for row in self.run_as("county", "Ledger Tier Counts", MARCH)["result"]
		}
		self.assertEqual(county["测试乙乡"]["new_2"], 1)
