"""The query guard on every endpoint that takes filters, fields, order or group (issue 10).

Each endpoint is called the way the desk calls it, through /api/method's dispatcher (so the app's
override_whitelisted_methods apply), as a village officer: the classic injection payloads are refused with a
ValidationError (417) or PermissionError (403), and a normal structured call still answers within scope.
"""

from __future__ import annotations

import json

import frappe

from xinfang_app.domain.query_guard import GUARDED_METHODS
from xinfang_app.tests.cases import WorldCase
from xinfang_app.tests.factories import email
from xinfang_app.tests.test_access import rest

REFUSED = (frappe.ValidationError, frappe.PermissionError)
ORACLE = "name is not null and (select substr(id_number,1,6) from tabPetitioner limit 1)='239901'"
RAW_FILTERS = [
	ORACLE,
	"1=1) or (1=1",
	json.dumps([["Petition", "name", "like", "%"], "1=1) or (1=1"]),
	json.dumps([["Petition", "(select 1)", "=", 1]]),
	json.dumps([["Petition", "petitioner.phone", "=", "1"]]),
	json.dumps([["Petition", "`name`", "=", "1"]]),
	json.dumps([["name", "-- ", "x"]]),
	json.dumps({"name": {"nested": 1}}),
]
VILLAGE_SEES = {"a1", "a1_hamlet"}


class QueryGuardCase(WorldCase):
	def setUp(self):
		frappe.cache.delete_value("user_permissions")

	def tearDown(self):
		super().tearDown()
		frappe.local.form_dict = frappe._dict()
		frappe.clear_messages()

	def as_user(self, key):
		frappe.set_user(email(key))

	def names(self, keys):
		return {self.world.petitions[k] for k in keys}

	def assertRefused(self, cmd, exc=REFUSED, **kwargs):
		with self.assertRaises(exc):
			rest(cmd, **kwargs)

	def assertEveryRawFilterRefused(self, cmd, argument="filters", **kwargs):
		for payload in RAW_FILTERS:
			with self.subTest(cmd=cmd, payload=payload):
				self.assertRefused(cmd, **{argument: payload}, **kwargs)


class TestOverrides(QueryGuardCase):
	def test_every_guarded_frappe_method_is_replaced_by_the_apps_wrapper(self):
		hooks = frappe.get_hooks("override_whitelisted_methods")
		for original, wrapper in GUARDED_METHODS.items():
			with self.subTest(original=original):
				self.assertEqual(hooks[original][-1], wrapper)
				self.assertTrue(callable(frappe.get_attr(wrapper)))

	def test_rest_lists_and_responses_are_checked_by_request_hooks(self):
		self.assertIn("xinfang_app.api.guard_rest_lists", frappe.get_hooks("before_request"))
		self.assertIn("xinfang_app.secrecy.guard_party_queries", frappe.get_hooks("before_request"))
		self.assertIn("xinfang_app.response_guard.strip_hidden_fields", frappe.get_hooks("after_request"))


class TestGetCount(QueryGuardCase):
	def test_raw_filters_are_refused(self):
		self.as_user("village_a1")
		self.assertEveryRawFilterRefused("frappe.client.get_count", doctype="Petition")

	def test_the_issues_id_number_oracle_is_refused_both_ways(self):
		self.as_user("village_a1")
		self.assertRefused("frappe.client.get_count", doctype="Petition", filters=ORACLE)
		# A structured filter on the hidden (permlevel 1) ID number is no oracle either.
		self.assertRefused(
			"frappe.client.get_count",
			frappe.PermissionError,
			doctype="Petitioner",
			filters=json.dumps([["Petitioner", "id_number", "like", "239901%"]]),
		)
		self.assertRefused(
			"frappe.client.get_count",
			frappe.PermissionError,
			doctype="Petition",
			filters={"accused_person": ["like", "%"]},
		)

	def test_child_table_field_above_the_users_level_is_refused(self):
		self.as_user("village_a1")
		self.assertRefused(
			"frappe.client.get_count",
			frappe.PermissionError,
			doctype="Dispute Ledger Entry",
			filters=json.dumps([["Dispute Party", "id_number", "like", "2399%"]]),
		)

	def test_structured_filters_count_within_scope(self):
		self.as_user("village_a1")
		filters = [["Petition", "name", "in", list(self.world.petitions.values())]]
		self.assertEqual(
			rest("frappe.client.get_count", doctype="Petition", filters=json.dumps(filters)),
			len(VILLAGE_SEES),
		)
		# A value that reads like SQL is only a value.
		self.assertEqual(rest("frappe.client.get_count", doctype="Petition", filters={"subject": ORACLE}), 0)

	def test_county_officer_may_filter_on_the_level_one_field(self):
		self.as_user("county")
		self.assertEqual(
			rest(
				"frappe.client.get_count",
				doctype="Petitioner",
				filters=json.dumps([["Petitioner", "id_number", "=", "nobody"]]),
			),
			0,
		)


class TestChartsAndCards(QueryGuardCase):
	chart_cmd = "frappe.desk.doctype.dashboard_chart.dashboard_chart.get"
	card_cmd = "frappe.desk.doctype.number_card.number_card.get_result"

	def test_chart_filters_and_sent_charts_are_checked(self):
		self.as_user("village_a1")
		self.assertEveryRawFilterRefused(self.chart_cmd, chart_name="办理状态分布", refresh=1)
		sent = {
			"name": "x",
			"chart_type": "Group By",
			"document_type": "Petition",
			"group_by_type": "Count",
			"filters_json": "[]",
		}
		for field in ["(select id_number from tabPetitioner limit 1)", "accused_person", "petitioner.phone"]:
			with self.subTest(field=field):
				chart = json.dumps({**sent, "group_by_based_on": field})
				self.assertRefused(self.chart_cmd, chart=chart, no_cache=1)
		chart = json.dumps({**sent, "group_by_based_on": "division", "filters_json": json.dumps([ORACLE])})
		self.assertRefused(self.chart_cmd, chart=chart, no_cache=1)
		chart = json.dumps({**sent, "chart_type": "Report", "group_by_based_on": "division"})
		self.assertRefused(self.chart_cmd, chart=chart, no_cache=1)

	def test_a_structured_chart_still_draws_within_scope(self):
		self.as_user("village_a1")
		result = rest(
			self.chart_cmd,
			chart_name="各乡镇信访件数",
			filters=json.dumps([["Petition", "docstatus", "<", 2, False]]),
			refresh=1,
		)
		self.assertEqual(result["labels"], ["测试甲镇"])

	def test_number_card_doc_and_filters_are_checked(self):
		self.as_user("village_a1")
		doc = {"document_type": "Petition", "function": "Count"}
		self.assertEveryRawFilterRefused(self.card_cmd, doc=json.dumps(doc))
		for bad in [
			{**doc, "function": "Sum", "aggregate_function_based_on": "(select 1)"},
			{**doc, "function": "Sum", "aggregate_function_based_on": "accused_person"},
			{**doc, "function": "Group_Concat"},
			{**doc, "document_type": "`tabPetitioner`"},
		]:
			with self.subTest(doc=bad):
				self.assertRefused(self.card_cmd, doc=json.dumps(bad), filters="[]")

	def test_a_structured_card_counts_within_scope(self):
		self.as_user("village_a1")
		filters = [["Petition", "name", "in", list(self.world.petitions.values()), False]]
		count = rest(
			self.card_cmd,
			doc=json.dumps({"document_type": "Petition", "function": "Count"}),
			filters=json.dumps(filters),
		)
		self.assertEqual(count, len(VILLAGE_SEES))

	def test_the_apps_custom_cards_refuse_raw_filters(self):
		self.as_user("village_a1")
		for cmd in ("xinfang_app.cards.month_concluded_card", "xinfang_app.cards.resolution_rate_card"):
			self.assertEveryRawFilterRefused(cmd)
			self.assertIn("value", rest(cmd, filters="[]"))


class TestListSidebar(QueryGuardCase):
	def test_stats_refuse_raw_filters_and_hidden_columns(self):
		self.as_user("village_a1")
		for cmd in ("frappe.desk.reportview.get_stats", "frappe.desk.reportview.get_sidebar_stats"):
			self.assertEveryRawFilterRefused(cmd, doctype="Petition", stats=json.dumps(["_user_tags"]))
			for stats in (["accused_person"], ["(select 1)"], ["petitioner.phone"]):
				with self.subTest(cmd=cmd, stats=stats):
					self.assertRefused(cmd, doctype="Petition", stats=json.dumps(stats), filters="[]")

	def test_sidebar_stats_still_count_within_scope(self):
		self.as_user("village_a1")
		filters = [["Petition", "name", "in", list(self.world.petitions.values())]]
		result = rest(
			"frappe.desk.reportview.get_sidebar_stats",
			doctype="Petition",
			stats=json.dumps(["_user_tags", "workflow_state"]),
			filters=json.dumps(filters),
		)
		counts = dict(result["stats"].get("workflow_state", []))
		self.assertLessEqual(sum(counts.values()), len(VILLAGE_SEES))

	def test_filter_dashboard_refuses_raw_filters_and_hidden_tags(self):
		self.as_user("village_a1")
		cmd = "frappe.desk.reportview.get_filter_dashboard_data"
		stats = json.dumps([{"name": "division", "type": "Link"}])
		self.assertEveryRawFilterRefused(cmd, doctype="Petition", stats=stats)
		hidden = json.dumps([{"name": "accused_person", "type": "Data"}])
		self.assertRefused(cmd, frappe.PermissionError, doctype="Petition", stats=hidden, filters="[]")
		result = rest(cmd, doctype="Petition", stats=stats, filters="[]")
		self.assertLessEqual({row[0] for row in result["division"]}, {"测试甲一村", "测试甲一村东屯"})

	def test_group_by_count_checks_field_and_filters(self):
		self.as_user("village_a1")
		cmd = "frappe.desk.listview.get_group_by_count"
		self.assertEveryRawFilterRefused(
			cmd, argument="current_filters", doctype="Petition", field="division"
		)
		for field in ["(select 1)", "division`, (select 1) as `x", "petitioner.phone"]:
			self.assertRefused(
				cmd, frappe.ValidationError, doctype="Petition", current_filters="[]", field=field
			)
		self.assertRefused(
			cmd, frappe.PermissionError, doctype="Petition", current_filters="[]", field="accused_person"
		)
		rows = rest(cmd, doctype="Petition", current_filters="[]", field="division")
		self.assertLessEqual({row["name"] for row in rows}, {"测试甲一村", "测试甲一村东屯"})

	def test_assigned_to_counts_only_the_readers_records(self):
		frappe.set_user("Administrator")
		assignee = email("supervisor")
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": assignee,
				"reference_type": "Petition",
				"reference_name": self.world.petitions["b1"],
				"description": "测试乙乡的指派",
			}
		).insert(ignore_permissions=True)
		cmd = "frappe.desk.listview.get_group_by_count"
		self.as_user("village_a1")
		rows = rest(cmd, doctype="Petition", current_filters="[]", field="assigned_to")
		self.assertNotIn(assignee, {row["name"] for row in rows})
		self.as_user("county")
		rows = rest(cmd, doctype="Petition", current_filters="[]", field="assigned_to")
		self.assertIn(assignee, {row["name"] for row in rows})

	def test_list_settings_only_for_a_readable_doctype(self):
		self.as_user("village_a1")
		rest("frappe.desk.listview.get_list_settings", doctype="Petition")
		self.assertRefused(
			"frappe.desk.listview.get_list_settings", frappe.PermissionError, doctype="Error Log"
		)
		self.assertRefused(
			"frappe.desk.listview.get_list_settings", frappe.ValidationError, doctype="Petition`; --"
		)


class TestSearch(QueryGuardCase):
	def test_raw_filters_are_refused(self):
		self.as_user("village_a1")
		self.assertEveryRawFilterRefused("frappe.desk.search.search_link", doctype="Petition", txt="")
		self.assertEveryRawFilterRefused("frappe.desk.search.search_widget", doctype="Petition", txt="")
		self.assertRefused(
			"frappe.desk.search.search_widget",
			frappe.PermissionError,
			doctype="Petitioner",
			txt="",
			filters=json.dumps([["Petitioner", "id_number", "like", "2399%"]]),
		)

	def test_a_clients_ignore_user_permissions_does_not_widen_the_search(self):
		self.as_user("village_a1")
		rows = rest(
			"frappe.desk.search.search_link",
			doctype="Petition",
			txt="",
			page_length=100,
			ignore_user_permissions=1,
			reference_doctype="Petition",
		)
		self.assertLessEqual(
			{row["value"] for row in rows} & set(self.world.petitions.values()), self.names(VILLAGE_SEES)
		)

	def test_ignore_user_permissions_of_a_link_field_of_the_form_still_applies(self):
		# Petition.responsible_unit ignores user permissions: a township assigns to a county department.
		self.as_user("township_a")
		rows = rest(
			"frappe.desk.search.search_link",
			doctype="Government Unit",
			txt="",
			page_length=100,
			ignore_user_permissions=1,
			reference_doctype="Petition",
		)
		self.assertIn("测试县住建局", {row["value"] for row in rows})

	def test_unreadable_searchfield_and_filter_fields_are_dropped(self):
		self.as_user("village_a1")
		rows = rest(
			"frappe.desk.search.search_widget",
			doctype="Petition",
			txt="",
			searchfield="accused_person",
			filter_fields=json.dumps(["accused_person", "subject"]),
			as_dict=1,
			page_length=100,
		)
		self.assertTrue(rows)
		for row in rows:
			self.assertNotIn("accused_person", row)
			self.assertIn("subject", row)
		self.assertRefused(
			"frappe.desk.search.search_widget",
			frappe.ValidationError,
			doctype="Petition",
			txt="",
			filter_fields=json.dumps(["subject, (select 1)"]),
		)
		self.assertRefused(
			"frappe.desk.search.search_widget",
			frappe.ValidationError,
			doctype="Petition",
			txt="",
			searchfield="name`, (select 1) as `x",
		)


class TestCalendarAndNavigation(QueryGuardCase):
	field_map = json.dumps({"start": "reception_date", "end": "reception_date", "title": "leader_name"})

	def test_calendar_events_check_field_map_fields_and_filters(self):
		self.as_user("village_a1")
		cmd = "frappe.desk.calendar.get_events"
		span = dict(doctype="Reception Schedule", start="2026-01-01", end="2026-12-31")
		self.assertEveryRawFilterRefused(cmd, field_map=self.field_map, **span)
		bad_maps = [
			{"start": "ifnull(reception_date, now())", "end": "reception_date"},
			{"start": "reception_date", "end": "(select 1)"},
			{"start": "reception_date", "end": "reception_date", "title": "leader.full_name"},
		]
		for field_map in bad_maps:
			with self.subTest(field_map=field_map):
				self.assertRefused(cmd, field_map=json.dumps(field_map), filters="[]", **span)
		self.assertRefused(cmd, field_map=self.field_map, fields=json.dumps(["name", "sleep(1)"]), **span)
		self.assertIsInstance(rest(cmd, field_map=self.field_map, filters="[]", **span), list)

	def test_the_apps_reception_calendar_refuses_raw_filters(self):
		self.as_user("village_a1")
		cmd = "xinfang_app.reception.get_schedule_events"
		self.assertEveryRawFilterRefused(cmd, start="2026-01-01", end="2026-12-31")
		filters = json.dumps([["Reception Schedule", "division", "=", "测试甲一村", False]])
		self.assertIsInstance(rest(cmd, start="2026-01-01", end="2026-12-31", filters=filters), list)

	def test_get_next_checks_filters_sort_field_and_the_starting_document(self):
		self.as_user("village_a1")
		cmd = "frappe.desk.form.utils.get_next"
		own = self.world.petitions["a1"]
		self.assertEveryRawFilterRefused(cmd, doctype="Petition", value=own, prev=0)
		for sort_field in ["(select 1)", "modified desc, (select 1)", "petitioner.phone"]:
			self.assertRefused(
				cmd, frappe.ValidationError, doctype="Petition", value=own, prev=0, sort_field=sort_field
			)
		self.assertRefused(
			cmd, frappe.PermissionError, doctype="Petition", value=own, prev=0, sort_field="accused_person"
		)
		self.assertRefused(cmd, doctype="Petition", value=own, prev=0, sort_order="desc, (select 1)")
		# Starting from another village's petition would compare against its hidden values.
		self.assertRefused(
			cmd, frappe.PermissionError, doctype="Petition", value=self.world.petitions["b1"], prev=0
		)
		following = rest(cmd, doctype="Petition", value=own, prev=0, filters="[]")
		self.assertIn(following, self.names(VILLAGE_SEES) | {None})


class TestLedgerExport(QueryGuardCase):
	def test_export_refuses_raw_filters(self):
		self.as_user("township_a")
		self.assertEveryRawFilterRefused("xinfang_app.ledger_excel.export_ledger")
		self.assertRefused(
			"xinfang_app.ledger_excel.export_ledger",
			frappe.PermissionError,
			filters=json.dumps([["Dispute Party", "id_number", "like", "2399%"]]),
		)


class TestSideWrites(QueryGuardCase):
	def test_likes_and_tags_only_on_readable_records(self):
		own, other = self.world.petitions["a1"], self.world.petitions["b1"]
		self.as_user("village_a1")
		for cmd, kwargs in (
			("frappe.desk.like.toggle_like", {"doctype": "Petition", "name": other, "add": "Yes"}),
			("frappe.desk.doctype.tag.tag.add_tag", {"tag": "重点", "dt": "Petition", "dn": other}),
			(
				"frappe.desk.doctype.tag.tag.add_tags",
				{"tags": '["重点"]', "dt": "Petition", "docs": json.dumps([own, other])},
			),
			("frappe.desk.doctype.tag.tag.remove_tag", {"tag": "重点", "dt": "Petition", "dn": other}),
			("frappe.desk.like.toggle_like", {"doctype": "Petition", "name": "XF-无此事项", "add": "Yes"}),
			("frappe.desk.like.toggle_like", {"doctype": "tabPetition`", "name": own, "add": "Yes"}),
		):
			with self.subTest(cmd=cmd, kwargs=kwargs):
				self.assertRefused(cmd, method="POST", **kwargs)
		self.assertFalse(frappe.db.get_value("Petition", other, "_user_tags"))
		self.assertFalse(frappe.db.get_value("Petition", other, "_liked_by"))
		rest("frappe.desk.like.toggle_like", method="POST", doctype="Petition", name=own, add="Yes")
		rest("frappe.desk.doctype.tag.tag.add_tag", method="POST", tag="重点", dt="Petition", dn=own)
		self.assertIn(email("village_a1"), frappe.db.get_value("Petition", own, "_liked_by"))
		frappe.set_user("Administrator")
		frappe.db.set_value("Petition", other, "_user_tags", ",重点", update_modified=False)
		self.as_user("village_a1")
		tagged = {
			row[0]
			for row in rest("frappe.desk.doctype.tag.tag.get_tagged_docs", doctype="Petition", tag="重点")
		}
		self.assertIn(own, tagged)
		self.assertNotIn(other, tagged)


class TestLinkTitles(QueryGuardCase):
	def test_a_petitioners_name_only_for_a_readable_record(self):
		own, other = self.world.petitioners["a1"], self.world.petitioners["b1"]
		self.as_user("village_a1")
		title = rest("frappe.desk.search.get_link_title", doctype="Petitioner", docname=own)
		self.assertEqual(title, frappe.db.get_value("Petitioner", own, "full_name"))
		self.assertEqual(
			rest("frappe.desk.search.get_link_title", doctype="Petitioner", docname=other), other
		)
		self.assertEqual(
			rest("frappe.desk.search.get_link_title", doctype="Petitioner", docname="XFR-无"), "XFR-无"
		)
		self.assertRefused("frappe.desk.search.get_link_title", doctype="tabPetitioner`", docname=own)

	def test_a_typed_link_is_confirmed_only_for_a_readable_record(self):
		own, other = self.world.petitions["a1"], self.world.petitions["b1"]
		own_person, other_person = self.world.petitioners["a1"], self.world.petitioners["b1"]
		self.as_user("village_a1")

		def check(doctype, docname, fields=None):
			return rest("frappe.client.validate_link", doctype=doctype, docname=docname, fields=fields)

		self.assertEqual(check("Petition", own)["name"], own)
		# a petition outside the scope is answered as a missing one: no oracle of what exists elsewhere
		self.assertIsNone(check("Petition", other).get("name"))
		self.assertIsNone(check("Petition", "XF-无此事项").get("name"))
		# a petitioner from elsewhere is confirmed by number (a party on proof of their ID number), no fields
		answer = check("Petitioner", other_person, json.dumps(["full_name", "phone"]))
		self.assertEqual(answer, {"name": other_person})
		self.assertEqual(
			check("Petitioner", own_person, json.dumps(["full_name"]))["full_name"],
			frappe.db.get_value("Petitioner", own_person, "full_name"),
		)
		self.assertRefused("frappe.client.validate_link", doctype="tabPetition`", docname=own)
