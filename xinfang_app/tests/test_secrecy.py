"""The reporter of an accusation stays secret (issue 10, item 5; docs/DESIGN.md §6), probed over HTTP.

Each request goes through Frappe's own API router (frappe.api.handle) with a real werkzeug request, so
the JSON body checked is the one the browser or an API client would receive: /api/method/<cmd>,
/api/resource/<doctype>/<name> and /api/v2/document/<doctype>/<name>.
"""

from __future__ import annotations

import json
from unittest.mock import patch

import frappe
from werkzeug.test import EnvironBuilder

from xinfang_app import secrecy
from xinfang_app.domain import secrecy as rules
from xinfang_app.tests.cases import WorldCase
from xinfang_app.tests.factories import (
	email,
	make_id_number,
	make_ledger_entry,
	make_petition,
	make_petitioner,
)
from xinfang_app.xinfang_app.doctype.petition.petition import PetitionValidationError

RECEIVED_ON = "2025-09-01"  # a fixed past day: nothing here depends on today's date
REPORTERS = ("测试举报人甲", "测试举报人乙")
REPORTER_SERIALS = (71, 72)
PETITION_FORMATS = ("受理告知书", "不予受理告知书", "延期告知书", "转送告知书", "信访处理意见书", "Standard")
HIDDEN_FROM = ("township_a", "handler_housing", "leader_a", "mediator_a")
SEE = ("county", "supervisor")
LOG = "Sensitive Read Log"


class Refused(str):
	"""The body of a request Frappe refused (its exception name), never containing data."""


def http(path, method="GET", **params):
	"""One request through frappe.api.handle; returns the JSON body as text (Chinese unescaped)."""
	import frappe.api
	from frappe.app import make_form_dict

	query = {key: value if isinstance(value, str) else json.dumps(value) for key, value in params.items()}
	request = EnvironBuilder(path=path, method=method, query_string=query).get_request()
	frappe.local.request = request
	frappe.local.response = frappe._dict(docs=[])
	frappe.local.message_log = []
	make_form_dict(request)
	for before_request in frappe.get_hooks("before_request"):  # as frappe.app.init_request does
		frappe.call(before_request)
	try:
		body = frappe.api.handle(request).get_data(as_text=True)
	except (frappe.PermissionError, frappe.DoesNotExistError) as error:
		return Refused(type(error).__name__)
	finally:
		del frappe.local.request
		frappe.local.form_dict = frappe._dict()
		frappe.local.response = frappe._dict(docs=[])
	return json.dumps(json.loads(body), ensure_ascii=False)


def child_hook(user=None, doctype=None):
	"""What the child-table permission hook for Petition Party will AND in (see secrecy.party_condition)."""
	return secrecy.party_condition(user)


def with_child_hook():
	original = frappe.get_hooks

	def get_hooks(*args, **kwargs):
		value = original(*args, **kwargs)
		if (args[0] if args else kwargs.get("hook")) == "permission_query_conditions":
			value = {**value, "Petition Party": [f"{__name__}.child_hook"]}
		return value

	return patch("frappe.get_hooks", get_hooks)


class SecrecyCase(WorldCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.reporters = [
			make_petitioner(name, "测试乙一村", serial)
			for name, serial in zip(REPORTERS, REPORTER_SERIALS, strict=True)
		]
		cls.id_numbers = [make_id_number(serial) for serial in REPORTER_SERIALS]
		cls.accusation = make_petition(
			"测试甲一村",
			cls.reporters[0],
			"测试县住建局",
			received_on=RECEIVED_ON,
			petition_class="检举控告",
			subject="测试举报村干部侵占低保金",
			accused_unit="测试甲镇人民政府",
			accused_person="测试被检举干部",
		)
		# a second reporter joins and the first becomes their representative: a version diffs the parties
		doc = frappe.get_doc("Petition", cls.accusation)
		doc.petitioners[0].party_role = "代表"
		doc.append("petitioners", {"petitioner": cls.reporters[1], "party_role": "本人"})
		doc.save(ignore_permissions=True, ignore_version=False)  # Frappe skips versions in tests otherwise
		# an ordinary petition in the same village by someone living in the other township
		cls.outsider = make_petitioner("测试外乡信访人", "测试乙一村", 73)
		cls.ordinary = make_petition(
			"测试甲一村", cls.outsider, "测试县住建局", received_on=RECEIVED_ON, subject="测试反映低保评定"
		)
		frappe.cache.delete_value("user_permissions")

	def setUp(self):
		frappe.cache.delete_value("user_permissions")

	def as_user(self, key):
		frappe.set_user(email(key))

	def secrets(self):
		# the names, the Petitioner record names and the full and masked ID numbers of the reporters
		masked = frappe.get_all(
			"Petitioner", filters={"name": ("in", self.reporters)}, pluck="id_number_masked"
		)
		return [*REPORTERS, *self.reporters, *self.id_numbers, *masked]

	def assertNoSecret(self, body, where=""):
		for secret in self.secrets():
			self.assertNotIn(secret, body, f"{secret} leaked through {where}")

	def form_channels(self, name):
		return {
			"getdoc": http("/api/method/frappe.desk.form.load.getdoc", doctype="Petition", name=name),
			"client.get": http("/api/method/frappe.client.get", doctype="Petition", name=name),
			"v1": http(f"/api/resource/Petition/{name}"),
			"v2": http(f"/api/v2/document/Petition/{name}"),
			"get_docinfo": http(
				"/api/method/frappe.desk.form.load.get_docinfo", doctype="Petition", name=name
			),
		}

	def logs(self, user_key, kind=rules.READ_REPORTER, name=None):
		return frappe.get_all(
			LOG,
			filters={
				"user": email(user_key),
				"reference_name": name or self.accusation,
				"read_kind": kind,
			},
			pluck="channel",
		)


class TestReporterOnTheForm(SecrecyCase):
	def test_users_below_the_county_never_receive_the_reporter_on_any_form_channel(self):
		for key in HIDDEN_FROM:
			self.as_user(key)
			for channel, body in self.form_channels(self.accusation).items():
				with self.subTest(user=key, channel=channel):
					self.assertNoSecret(body, channel)
					if key != "mediator_a" and channel != "get_docinfo":
						# they do read the petition itself, with the parties masked
						self.assertIn("测试举报村干部侵占低保金", body)
						self.assertIn(rules.REPORTER_LABEL, body)
					if key == "mediator_a":
						self.assertIsInstance(body, Refused)

	def test_the_timeline_versions_are_masked_but_still_there(self):
		self.as_user("township_a")
		body = json.loads(
			http("/api/method/frappe.desk.form.load.getdoc", doctype="Petition", name=self.accusation)
		)
		versions = body["docinfo"]["versions"]
		self.assertTrue(any('"petitioners"' in v["data"] for v in versions))
		self.assertNoSecret(json.dumps(versions, ensure_ascii=False), "versions")

	def test_county_officer_and_supervisor_read_the_reporter_and_each_read_is_logged(self):
		name = self.accusation
		expected = {
			"getdoc": "frappe.desk.form.load.getdoc",
			"client.get": "frappe.client.get",
			"v1": f"/api/resource/Petition/{name}",
			"v2": f"/api/v2/document/Petition/{name}",
		}
		for key in SEE:
			self.as_user(key)
			bodies = self.form_channels(name)
			frappe.set_user("Administrator")
			logged = set(self.logs(key))
			for channel, path in expected.items():
				with self.subTest(user=key, channel=channel):
					for reporter in REPORTERS:
						self.assertIn(reporter, bodies[channel])
					self.assertIn(path, logged)

	def test_an_identical_read_within_a_minute_is_logged_once(self):
		self.as_user("county")
		for _ in range(3):
			http("/api/method/frappe.client.get", doctype="Petition", name=self.accusation)
		frappe.set_user("Administrator")
		self.assertEqual(self.logs("county").count("frappe.client.get"), 1)

	def test_nothing_is_logged_for_masked_reads_nor_for_ordinary_petitions(self):
		for key in ("township_a", "county"):
			self.as_user(key)
			self.form_channels(self.ordinary)
		self.as_user("township_a")
		self.form_channels(self.accusation)
		frappe.set_user("Administrator")
		self.assertEqual(self.logs("township_a"), [])
		self.assertEqual(self.logs("county", name=self.ordinary), [])

	def test_ordinary_petition_parties_stay_visible_in_scope(self):
		for key in ("township_a", "handler_housing", "leader_a"):
			self.as_user(key)
			for channel, body in self.form_channels(self.ordinary).items():
				if channel == "get_docinfo":
					continue
				with self.subTest(user=key, channel=channel):
					self.assertIn("测试外乡信访人", body)


class TestReporterThroughWrites(SecrecyCase):
	def test_saving_the_masked_form_keeps_the_stored_parties_and_returns_them_masked(self):
		self.as_user("township_a")
		doc = json.loads(
			http("/api/method/frappe.desk.form.load.getdoc", doctype="Petition", name=self.accusation)
		)["docs"][0]
		doc["content"] = "补充：涉及三户低保金。"
		self.assertTrue(all(row.get("petitioner") is None for row in doc["petitioners"]))
		body = http("/api/method/frappe.desk.form.save.savedocs", "POST", doc=doc, action="Save")
		self.assertNotIsInstance(body, Refused)
		self.assertNoSecret(body, "savedocs")
		frappe.set_user("Administrator")
		stored = frappe.get_doc("Petition", self.accusation)
		self.assertEqual(stored.content, "补充：涉及三户低保金。")
		self.assertEqual([row.petitioner for row in stored.petitioners], self.reporters)
		self.assertEqual([row.full_name for row in stored.petitioners], list(REPORTERS))

	def test_a_user_below_the_county_cannot_change_the_class_of_an_accusation(self):
		self.as_user("township_a")
		doc = frappe.get_doc("Petition", self.accusation)
		doc.petition_class = "申诉求决"
		with self.assertRaises(frappe.PermissionError):
			doc.save()

	def test_as_dict_of_an_accusation_is_masked_for_users_below_the_county(self):
		self.as_user("handler_housing")
		self.assertNoSecret(self.as_text(frappe.get_doc("Petition", self.accusation)), "as_dict")
		self.as_user("county")
		self.assertIn(REPORTERS[0], self.as_text(frappe.get_doc("Petition", self.accusation)))

	def as_text(self, doc):
		return json.dumps(doc.as_dict(), ensure_ascii=False, default=str)

	def test_an_accusation_is_still_never_assigned_to_the_unit_it_accuses(self):
		doc = frappe.get_doc("Petition", self.accusation)
		doc.responsible_unit = doc.accused_unit
		with self.assertRaises(PetitionValidationError):
			doc.save(ignore_permissions=True)


class TestReporterInNotices(SecrecyCase):
	def print_body(self, print_format, doc="Petition", name=None):
		return http(
			"/api/method/frappe.www.printview.get_html_and_style",
			doc=doc,
			name=name or self.accusation,
			print_format=print_format,
		)

	def test_notices_are_addressed_to_the_reporter_only_for_those_who_may_see_them(self):
		for key in (*HIDDEN_FROM, *SEE):
			self.as_user(key)
			for print_format in PETITION_FORMATS:
				with self.subTest(user=key, print_format=print_format):
					body = self.print_body(print_format)
					if key == "mediator_a":
						self.assertIsInstance(body, Refused)
					elif key in SEE:
						self.assertIn(REPORTERS[0], body)
					else:
						self.assertNoSecret(body, print_format)
						self.assertIn(rules.REPORTER_LABEL, body)

	def test_review_notice_reads_the_petition_through_the_secrecy_rule(self):
		review = json.dumps(
			{
				"doctype": "Petition Review",
				"petition": self.accusation,
				"review_type": "复查",
				"requested_on": RECEIVED_ON,
				"reviewing_unit": "测试县住建局",
			}
		)
		for key, sees in (("township_a", False), ("leader_a", False), ("supervisor", True)):
			self.as_user(key)
			with self.subTest(user=key):
				body = http(
					"/api/method/frappe.www.printview.get_html_and_style",
					doc=review,
					print_format="复查意见书",
				)
				self.assertIn("信访事项复查意见书", body)
				if sees:
					self.assertIn(REPORTERS[0], body)
				else:
					self.assertNoSecret(body, "复查意见书")
					self.assertIn(rules.REPORTER_LABEL, body)

	def test_a_privileged_print_is_logged_with_its_channel(self):
		self.as_user("supervisor")
		self.print_body("受理告知书")
		frappe.set_user("Administrator")
		self.assertIn("frappe.www.printview.get_html_and_style", self.logs("supervisor"))


class TestReporterRowsAndRecords(SecrecyCase):
	def party_reads(self):
		fields = ["parent", "petitioner", "full_name", "id_number_masked"]
		filters = [["parent", "=", self.accusation]]
		return {
			"get_list": http(
				"/api/method/frappe.client.get_list",
				doctype="Petition Party",
				parent="Petition",
				fields=fields,
				filters=filters,
			),
			"get_value": http(
				"/api/method/frappe.client.get_value",
				doctype="Petition Party",
				parent="Petition",
				fieldname=fields,
				filters={"parent": self.accusation},
			),
			"reportview": http(
				"/api/method/frappe.desk.reportview.get",
				doctype="Petition Party",
				parent_doctype="Petition",
				fields=[f"`tabPetition Party`.`{field}`" for field in fields],
				filters=[["Petition Party", "parent", "=", self.accusation]],
			),
		}

	def test_with_the_child_hook_party_rows_of_accusations_are_not_listed_below_the_county(self):
		with with_child_hook():
			for key in ("township_a", "handler_housing", "leader_a"):
				self.as_user(key)
				for channel, body in self.party_reads().items():
					with self.subTest(user=key, channel=channel):
						self.assertNotIsInstance(body, Refused)
						self.assertNoSecret(body, channel)
			self.as_user("county")
			body = self.party_reads()["get_list"]
			for reporter in REPORTERS:
				self.assertIn(reporter, body)

	def test_party_condition_is_empty_for_those_who_see_and_excludes_accusations_otherwise(self):
		self.assertEqual(secrecy.party_condition(email("county")), "")
		self.assertEqual(secrecy.party_condition("Administrator"), "")
		condition = secrecy.party_condition(email("township_a"))
		parents = set(
			frappe.db.sql_list(
				f"select `parent` from `tabPetition Party` where {condition} and `parent` in %s",
				[(self.accusation, self.ordinary)],
			)
		)
		self.assertEqual(parents, {self.ordinary})

	def test_a_party_row_read_on_its_own_is_masked(self):
		row = frappe.get_doc("Petition", self.accusation).petitioners[0].name
		self.as_user("township_a")
		body = http("/api/method/frappe.client.get", doctype="Petition Party", name=row, parent="Petition")
		self.assertNoSecret(body, "client.get of a row")

	def test_the_reporters_petitioner_records_are_not_opened_through_the_accusation(self):
		for key in ("township_a", "handler_housing", "leader_a", "mediator_a"):
			self.as_user(key)
			for reporter in self.reporters:
				with self.subTest(user=key, reporter=reporter):
					self.assertFalse(frappe.get_doc("Petitioner", reporter).has_permission("read"))
					self.assertNoSecret(http(f"/api/resource/Petitioner/{reporter}"), "v1 Petitioner")
					listed = http(
						"/api/method/frappe.client.get_list",
						doctype="Petitioner",
						filters=[["name", "in", self.reporters]],
						fields=["name", "full_name"],
					)
					self.assertNoSecret(listed, "Petitioner list")

	def test_a_petitioner_of_an_ordinary_petition_stays_readable_in_scope(self):
		for key in ("township_a", "handler_housing"):
			self.as_user(key)
			with self.subTest(user=key):
				self.assertTrue(frappe.get_doc("Petitioner", self.outsider).has_permission("read"))
				self.assertIn("测试外乡信访人", http(f"/api/resource/Petitioner/{self.outsider}"))

	def test_county_reads_the_reporters_record_and_the_full_id_number_read_is_logged(self):
		self.as_user("county")
		body = http(f"/api/resource/Petitioner/{self.reporters[0]}")
		self.assertIn(self.id_numbers[0], body)
		frappe.set_user("Administrator")
		channels = self.logs("county", rules.READ_ID_NUMBER, self.reporters[0])
		self.assertEqual(channels, [f"/api/resource/Petitioner/{self.reporters[0]}"])


class TestFullIdNumbersOnTheRecordOnly(SecrecyCase):
	"""A full ID number leaves only on its record, logged; lists, reports, searches and exports carry the
	masked number (domain/secrecy.RECORD_ONLY_FIELDS), even for the county officer who reads it."""

	def test_list_channels_refuse_the_full_number_and_spell_every_field_without_it(self):
		self.as_user("county")
		person, number = self.reporters[0], self.id_numbers[0]
		masked = frappe.db.get_value("Petitioner", person, "id_number_masked")
		for path, params in (
			("/api/method/frappe.client.get_list", {"doctype": "Petitioner", "fields": ["id_number"]}),
			("/api/resource/Petitioner", {"fields": ["name", "id_number"]}),
			(
				"/api/method/frappe.desk.reportview.get",
				{"doctype": "Petitioner", "fields": ["`tabPetitioner`.`id_number`"]},
			),
			(
				"/api/method/frappe.client.get_list",
				{"doctype": "Petitioner", "fields": ["name"], "order_by": "id_number asc"},
			),
			(
				"/api/method/frappe.desk.listview.get_group_by_count",
				{"doctype": "Petitioner", "current_filters": [], "field": "id_number"},
			),
			(
				"/api/method/frappe.core.doctype.data_export.exporter.export_data",
				{"doctype": "Petitioner", "with_data": 1, "file_type": "CSV"},
			),
			(
				"/api/method/frappe.core.doctype.data_import.data_import.download_template",
				{
					"doctype": "Petitioner",
					"export_fields": {"Petitioner": ["name", "id_number"]},
					"export_records": "all",
				},
			),
		):
			with self.subTest(path=path, params=params):
				try:
					answer = http(path, **params)
				except frappe.PermissionError as error:  # REST lists are checked before the request runs
					answer = Refused(type(error).__name__)
				self.assertIsInstance(answer, Refused)
				self.assertTrue(answer.endswith("PermissionError"), answer)
		for path, params in (
			("/api/method/frappe.client.get_list", {"doctype": "Petitioner", "fields": ["*"]}),
			("/api/resource/Petitioner", {"fields": ["*"]}),
			("/api/method/frappe.desk.reportview.get", {"doctype": "Petitioner", "fields": ["*"]}),
			(
				"/api/method/frappe.desk.search.search_widget",
				{"doctype": "Petitioner", "txt": REPORTERS[0], "filter_fields": ["id_number"]},
			),
		):
			with self.subTest(path=path, params=params):
				body = http(path, filters=[["Petitioner", "name", "=", person]], **params)
				self.assertNotIn(number, body)
				if "search" not in path:
					self.assertIn(masked, body)
		# a full number still finds its record: the filter answers with records, not numbers
		found = http(
			"/api/method/frappe.client.get_list",
			doctype="Petitioner",
			fields=["name"],
			filters=[["Petitioner", "id_number", "=", number]],
		)
		self.assertIn(person, found)
		self.assertNotIn(
			number, found.replace(json.dumps(number), "")
		)  # only as the echoed filter, if at all
		frappe.set_user("Administrator")
		self.assertFalse(self.logs("county", rules.READ_ID_NUMBER, person))

	def test_a_chosen_export_without_the_full_number_runs(self):
		from xinfang_app.tolerant import refuse_record_only_export

		self.as_user("county")
		refuse_record_only_export(
			"Petitioner", {"Petitioner": ["name", "full_name", "id_number_masked"]}, True
		)
		refuse_record_only_export("Petitioner", None, False)  # a blank template carries no data
		with self.assertRaises(frappe.PermissionError):
			refuse_record_only_export("Dispute Ledger Entry", {"parties": ["party_name", "id_number"]}, True)

	def test_a_dispute_partys_full_number_read_on_the_record_and_in_print_is_logged(self):
		number = make_id_number(74)
		entry = make_ledger_entry("测试甲一村", [("测试钱甲", "申请方", number)])
		self.as_user("county")
		body = http(f"/api/resource/Dispute Ledger Entry/{entry}")
		self.assertIn(number, body)
		frappe.get_doc("Dispute Ledger Entry", entry).run_method("before_print")
		frappe.set_user("Administrator")
		self.assertEqual(
			sorted(self.logs("county", rules.READ_ID_NUMBER, entry)),
			sorted([f"/api/resource/Dispute Ledger Entry/{entry}", "print"]),
		)
		# the village officer reads the entry, not the number: nothing is logged
		self.as_user("village_a1")
		self.assertNotIn(number, http(f"/api/resource/Dispute Ledger Entry/{entry}"))
		frappe.set_user("Administrator")
		self.assertFalse(self.logs("village_a1", rules.READ_ID_NUMBER, entry))


class TestReadLog(SecrecyCase):
	def test_only_supervisors_managers_and_system_managers_read_the_log_and_nobody_edits_it(self):
		self.as_user("county")
		http("/api/method/frappe.client.get", doctype="Petition", name=self.accusation)
		frappe.set_user("Administrator")
		log = frappe.get_last_doc(LOG, filters={"user": email("county")})
		for key in ("township_a", "county", "handler_housing", "leader_a"):
			self.as_user(key)
			with self.subTest(user=key):
				self.assertIsInstance(http(f"/api/resource/{LOG}/{log.name}"), Refused)
		for key in ("supervisor", "manager"):
			self.as_user(key)
			with self.subTest(user=key):
				self.assertIn(self.accusation, http(f"/api/resource/{LOG}/{log.name}"))
				doc = frappe.get_doc(LOG, log.name)
				doc.channel = "篡改"
				with self.assertRaises(frappe.PermissionError):
					doc.save()
				with self.assertRaises(frappe.PermissionError):
					frappe.delete_doc(LOG, log.name)
				self.assertFalse(frappe.has_permission(LOG, "create"))

	def test_a_log_row_names_who_what_which_record_and_when(self):
		self.as_user("supervisor")
		http(f"/api/v2/document/Petition/{self.accusation}")
		frappe.set_user("Administrator")
		log = frappe.get_last_doc(LOG, filters={"user": email("supervisor")})
		self.assertEqual(
			(log.reference_doctype, log.reference_name, log.read_kind, log.channel),
			(
				"Petition",
				self.accusation,
				rules.READ_REPORTER,
				f"/api/v2/document/Petition/{self.accusation}",
			),
		)
		self.assertTrue(log.read_at)


class TestReporterElsewhere(SecrecyCase):
	def test_repeat_suggestions_do_not_reveal_an_earlier_accusation_below_the_county(self):
		doc = frappe.get_doc("Petition", self.accusation)
		for key, sees in (("township_a", False), ("handler_housing", False), ("county", True)):
			self.as_user(key)
			with self.subTest(user=key):
				body = http(
					"/api/method/xinfang_app.repeats.suggest_repeats",
					petitioners=[self.reporters[0]],
					subject=doc.subject,
					content=doc.content,
				)
				self.assertNotIsInstance(body, Refused)
				self.assertEqual(self.accusation in body, sees)

	def test_an_accusation_is_not_sent_to_mediation(self):
		from xinfang_app.disputes import DisputeError, start_mediation

		self.as_user("county")
		with self.assertRaises(DisputeError):
			start_mediation("Petition", self.accusation)
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists("Mediation Case", {"petition": self.accusation}))


class TestPetitionQueriesJoiningParties(SecrecyCase):
	"""Frappe joins Petition Party into a Petition query for a child column, filter, group or order and applies
	no row condition to it: for those who may not see reporters such a query leaves accusations out."""

	def queries(self):
		names = [self.accusation, self.ordinary]
		columns = [
			"`tabPetition`.`name`",
			"`tabPetition Party`.`full_name`",
			"`tabPetition Party`.`petitioner`",
		]
		return {
			"reportview": http(
				"/api/method/frappe.desk.reportview.get",
				doctype="Petition",
				fields=columns,
				filters=[["Petition", "name", "in", names]],
				view="Report",
			),
			"client.get_list": http(
				"/api/method/frappe.client.get_list",
				doctype="Petition",
				fields=["name", "petitioners.full_name"],
				filters={"name": ["in", names]},
			),
			"get_value": http(
				"/api/method/frappe.client.get_value",
				doctype="Petition",
				fieldname=["name", "`tabPetition Party`.`full_name`"],
				filters=self.accusation,
			),
			"rest list": http(
				"/api/resource/Petition",
				fields=["name", "`tabPetition Party`.`full_name`"],
				filters=[["name", "in", names]],
			),
			"filter oracle": http(
				"/api/method/frappe.client.get_list",
				doctype="Petition",
				fields=["name"],
				filters=[["Petition Party", "full_name", "=", REPORTERS[0]]],
			),
		}

	def test_below_the_county_such_queries_leave_accusations_out_and_keep_ordinary_petitions(self):
		for key in ("township_a", "handler_housing", "leader_a"):
			self.as_user(key)
			for channel, body in self.queries().items():
				with self.subTest(user=key, channel=channel):
					self.assertNotIsInstance(body, Refused)
					self.assertNoSecret(body, channel)
					self.assertNotIn(self.accusation, body)
					if channel in ("reportview", "client.get_list", "rest list"):
						self.assertIn("测试外乡信访人", body)

	def test_county_officer_still_sees_the_reporter_in_such_queries(self):
		self.as_user("county")
		bodies = self.queries()
		for channel in ("reportview", "client.get_list", "rest list", "filter oracle"):
			with self.subTest(channel=channel):
				self.assertIn(self.accusation, bodies[channel])
