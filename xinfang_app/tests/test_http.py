"""Issue 10 over real HTTP: users log in through /api/method/login and call the channels as a browser's
developer tools would, through Frappe's whole WSGI application (routing, before_request hooks, the REST
handlers v1 and v2, error responses). The other access tests call functions in-process; these prove that
what reaches the wire holds too.

The test county is committed (the requests run on their own database connection, as a server's would).
"""

from __future__ import annotations

import json

import frappe
from frappe.tests.test_api import make_request
from frappe.utils import get_test_client
from frappe.utils.password import update_password

from xinfang_app.install import HARDENED_SETTINGS
from xinfang_app.tests.cases import WorldCase
from xinfang_app.tests.factories import USERS, email
from xinfang_app.tests.test_access import SEES

PASSWORD = "Xf-Http-Probe-2026!"
ORACLE = "name is not null and (select substr(id_number,1,6) from tabPetitioner limit 1)='239901'"
PROBED_USERS = ("village_a1", "township_b", "handler_housing", "leader_a", "mediator_a", "no_scope")


class HttpUser:
	"""One logged-in browser: a test client that keeps the session cookie."""

	def __init__(self, key: str):
		self.key = key
		self.client = get_test_client()
		response = self.call("post", "/api/method/login", data={"usr": email(key), "pwd": PASSWORD})
		if response.status_code != 200:
			raise AssertionError(f"{key} could not log in: {response.status_code} {response.text[:300]}")

	def call(self, method: str, path: str, **kwargs):
		return make_request(target=getattr(self.client, method), args=(path,), kwargs=kwargs)

	def get(self, path: str, **params):
		query = {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in params.items()}
		return self.call("get", path, query_string=query)


def payloads(world_petitions: list[str]) -> list[tuple[str, dict]]:
	"""Classic attacks on every list channel: raw SQL filters, subquery fields, filters and sort keys on a
	hidden (permlevel 1) field, dotted fields into a linked record, debug output."""
	by_id = [["Petitioner", "id_number", "like", "2%"]]
	return [
		("/api/resource/Petition", {"filters": ORACLE}),
		(
			"/api/resource/Petition",
			{"fields": ["name", "(select id_number from tabPetitioner limit 1) as x"]},
		),
		("/api/resource/Petitioner", {"fields": ["name"], "filters": by_id}),
		("/api/resource/Petitioner", {"fields": ["name"], "order_by": "id_number asc"}),
		("/api/resource/Petition Party", {"parent": "Petition", "fields": ["parent", "petitioner.phone"]}),
		("/api/v2/document/Petition", {"filters": ORACLE}),
		("/api/v2/document/Petitioner", {"fields": ["name"], "filters": by_id}),
		("/api/v2/doctype/Petition/count", {"filters": ORACLE}),
		("/api/method/frappe.client.get_list", {"doctype": "Petition", "filters": ORACLE}),
		(
			"/api/method/frappe.client.get_list",
			{"doctype": "Petitioner", "fields": ["name"], "filters": by_id},
		),
		(
			"/api/method/frappe.client.get_value",
			{"doctype": "Petitioner", "fieldname": "name", "filters": {"id_number": ["like", "2%"]}},
		),
		("/api/method/frappe.client.get_count", {"doctype": "Petition", "filters": ORACLE}),
		("/api/method/frappe.model.workflow.get_transitions", {"doc": '{"doctype": "Petition", "name"'}),
		(
			"/api/method/frappe.desk.reportview.get",
			{"doctype": "Petition", "fields": ["name"], "filters": ORACLE},
		),
		(
			"/api/method/frappe.desk.reportview.get",
			{
				"doctype": "Petitioner",
				"fields": ["`tabPetitioner`.`name`"],
				"order_by": "`tabPetitioner`.`id_number` asc",
			},
		),
		("/api/method/frappe.desk.reportview.get_count", {"doctype": "Petitioner", "filters": by_id}),
		(
			"/api/method/frappe.desk.reportview.get",
			{
				"doctype": "Petition Party",
				"parent_doctype": "Petition",
				"fields": ["`tabPetition Party`.`parent`"],
				"filters": [["Petition Party", "parent", "in", world_petitions]],
				"group_by": "(select 1)",
			},
		),
	]


class TestHttpChannels(WorldCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		for key in USERS:
			update_password(email(key), PASSWORD)
		frappe.db.commit()  # the requests read through their own connection
		cls.users = {key: HttpUser(key) for key in (*PROBED_USERS, "county")}
		cls.world_petitions = sorted(cls.world.petitions.values())
		cls.id_numbers = [n for n in frappe.get_all("Petitioner", pluck="id_number") if n]

	def assertNoLeak(self, response):
		body = response.get_data(as_text=True)
		self.assertNotIn("Traceback", body)
		for sql in ("`division` in (", "`parenttype` =", "select `tab"):  # no query the server built
			self.assertNotIn(sql, body)
		for id_number in self.id_numbers:
			self.assertNotIn(id_number, body)

	def test_every_payload_is_refused_with_a_clean_4xx_for_every_user(self):
		for key in PROBED_USERS:
			for path, params in payloads(self.world_petitions):
				with self.subTest(user=key, path=path, params=params):
					response = self.users[key].get(path, **params)
					self.assertGreaterEqual(response.status_code, 400, response.get_data(as_text=True)[:300])
					self.assertLess(response.status_code, 500, response.get_data(as_text=True)[:300])
					self.assertNoLeak(response)

	def test_a_clients_debug_flag_shows_no_query(self):
		response = self.users["village_a1"].get(
			"/api/method/frappe.client.get_list", doctype="Petition", fields=["name"], debug=1
		)
		self.assertEqual(response.status_code, 200)
		self.assertNoLeak(response)
		self.assertNotIn("_debug_messages", response.json)

	def rows(self, key, path, **params):
		response = self.users[key].get(path, **params)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:300])
		return response.json["data"]

	def test_rest_lists_of_petitions_and_their_child_rows_answer_within_scope(self):
		world = self.world_petitions
		for key in ("village_a1", "township_b", "handler_housing", "county"):
			expected = {self.world.petitions[k] for k in SEES[key]}
			with self.subTest(user=key):
				listed = self.rows(
					key,
					"/api/resource/Petition",
					fields=["name"],
					filters=[["Petition", "name", "in", world]],
					limit=0,
				)
				self.assertEqual({row["name"] for row in listed}, expected)
				for path in ("/api/resource/Petition Party", "/api/v2/document/Petition Party"):
					parties = self.rows(
						key,
						path,
						parent="Petition",
						fields=["parent"],
						filters=[["Petition Party", "parent", "in", world]],
						limit=1000,
					)
					self.assertEqual({row["parent"] for row in parties}, expected)

	def test_a_child_row_read_on_its_own_answers_its_parent_record(self):
		"""Frappe checks a row read by its name against the parent doctype only: any user with a role
		read any party row, name and all (permissions.ChildRow)."""
		for key in ("village_a1", "county"):
			for petition_key in ("a1", "b1"):
				petition = self.world.petitions[petition_key]
				row, party = frappe.get_all(
					"Petition Party", filters={"parent": petition}, fields=["name", "full_name"], as_list=True
				)[0]
				readable = petition_key in SEES[key]
				for path, params in (
					(f"/api/resource/Petition Party/{row}", {}),
					(f"/api/v2/document/Petition Party/{row}", {}),
					(
						"/api/method/frappe.client.get",
						{"doctype": "Petition Party", "name": row, "parent": "Petition"},
					),
					("/api/method/frappe.desk.form.load.getdoc", {"doctype": "Petition Party", "name": row}),
					("/printview", {"doctype": "Petition Party", "name": row}),
				):
					with self.subTest(user=key, petition=petition_key, path=path):
						response = self.users[key].get(path, **params)
						body = response.get_data(as_text=True)
						if readable:
							self.assertEqual(response.status_code, 200, body[:300])
						else:
							self.assertIn(response.status_code, (403, 404), body[:300])
							for written in (party, json.dumps(party)[1:-1]):
								self.assertNotIn(written, body)
						self.assertNoLeak(response)

	def test_the_desk_report_view_still_works_with_its_own_column_syntax(self):
		response = self.users["village_a1"].get(
			"/api/method/frappe.desk.reportview.get",
			doctype="Petition",
			fields=["`tabPetition`.`name`", "`tabPetition`.`subject`", "`tabPetition Party`.`full_name`"],
			filters=[["Petition", "name", "in", self.world_petitions]],
			order_by="`tabPetition`.`modified` desc",
		)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:300])
		names = {row[0] for row in response.json["message"]["values"]}
		self.assertEqual(names, {self.world.petitions[k] for k in SEES["village_a1"]})

	def test_every_field_means_every_field_the_user_may_read(self):
		# the desk's frappe.db.get_list asks for fields ["*"] (e.g. Dashboard Settings on the workspace)
		for doctype in ("Petitioner", "Dashboard Settings"):
			with self.subTest(doctype=doctype):
				response = self.users["village_a1"].get(
					"/api/method/frappe.desk.reportview.get_list", doctype=doctype, fields=["*"], limit=100
				)
				self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:300])
				self.assertNoLeak(response)

	def test_site_hides_tracebacks_and_asks_for_strong_passwords(self):
		settings = frappe.get_single("System Settings")
		for field, value in HARDENED_SETTINGS.items():
			self.assertEqual(str(settings.get(field)), str(value), field)

	def test_write_responses_and_version_history_carry_no_field_above_the_readers_level(self):
		"""Petitioner: the full ID number is level 1 (county, supervisor), the phone level 2 (officers and
		handlers, not leaders)."""
		name = self.world.petitioners["a1"]
		full = frappe.db.get_value("Petitioner", name, "id_number")
		# the county changes the phone: a Version now holds the old and the new number
		county = self.users["county"]
		phone = frappe.db.get_value("Petitioner", name, "phone")
		restore = {"doctype": "Petitioner", "name": name, "fieldname": "phone", "value": phone}
		self.addCleanup(county.call, "post", "/api/method/frappe.client.set_value", data=restore)
		response = county.call(
			"post",
			"/api/method/frappe.client.set_value",
			data={"doctype": "Petitioner", "name": name, "fieldname": "phone", "value": "13900139000"},
		)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:300])
		self.assertEqual(response.json["message"]["id_number"], full)  # the county reads level 1
		# a village officer's write answers with the document, without the ID number
		full_name = frappe.db.get_value("Petitioner", name, "full_name")
		response = self.users["village_a1"].call(
			"post",
			"/api/method/frappe.client.set_value",
			data={"doctype": "Petitioner", "name": name, "fieldname": "full_name", "value": full_name},
		)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:300])
		self.assertEqual(response.json["message"]["name"], name)
		self.assertEqual(response.json["message"]["phone"], "13900139000")  # level 2 is theirs
		self.assertNotIn("id_number", response.json["message"])
		self.assertNoLeak(response)
		# the leader's form: the phone change is in the history, but not the numbers
		response = self.users["leader_a"].get(
			"/api/method/frappe.desk.form.load.getdoc", doctype="Petitioner", name=name
		)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:300])
		self.assertTrue(response.json["docinfo"]["versions"])
		body = response.get_data(as_text=True)
		self.assertNotIn("13900139000", body)
		self.assertNotIn("13800138000", body)
		self.assertNoLeak(response)
		# the county still reads the change in the history
		response = county.get("/api/method/frappe.desk.form.load.getdoc", doctype="Petitioner", name=name)
		self.assertIn("13900139000", response.get_data(as_text=True))

	def test_a_desk_user_finds_their_pages_and_reports_listed_at_login(self):
		"""Login clears the user's lists of allowed pages and reports; the app builds them again before the
		first desk page, which would otherwise rebuild them once per workspace (desk.warm_allowed_lists)."""
		import pickle

		from frappe.boot import get_allowed_pages, get_allowed_reports

		user = email("leader_a")

		def stored(parent):
			value = frappe.cache.get(frappe.cache.make_key(f"has_role:{parent}", user=user))
			return None if value is None else pickle.loads(value)

		HttpUser("leader_a")
		pages, reports = stored("Page"), stored("Report")
		frappe.set_user(user)
		try:
			self.assertEqual(pages, get_allowed_pages())
			self.assertEqual(reports, get_allowed_reports())
		finally:
			frappe.set_user("Administrator")
		self.assertIn("Petition KPIs", reports)

	def login_status(self, key_or_email: str, password: str) -> tuple[int, str]:
		client = get_test_client()
		usr = email(key_or_email) if "@" not in key_or_email else key_or_email
		response = make_request(
			target=client.post, args=("/api/method/login",), kwargs={"data": {"usr": usr, "pwd": password}}
		)
		return response.status_code, response.get_data(as_text=True)

	def test_failed_logins_throttle_the_account_and_strangers_at_the_address_not_the_office(self):
		from xinfang_app import login_throttle

		address = "127.0.0.1"
		self.addCleanup(login_throttle.clear, address=address)
		for key in ("village_a2", "mediator_b"):
			self.addCleanup(login_throttle.clear, user=email(key))
		login_throttle.clear(user=email("village_a2"), address=address)
		for _ in range(5):
			self.assertEqual(self.login_status("village_a2", "wrong-password")[0], 401)
		status, body = self.login_status("village_a2", PASSWORD)  # the right password, too late
		self.assertEqual(status, 429, body[:300])
		message = json.loads(json.loads(json.loads(body)["_server_messages"])[0])["message"]
		self.assertIn("登录失败次数过多", message)
		self.assertNotIn("Traceback", body)
		self.assertEqual(self.login_status("village_b1", PASSWORD)[0], 200)  # the rest of the office logs in
		# a password sprayer behind the same address: strangers to it are stopped, its regular users are not
		for i in range(30):
			self.assertLess(self.login_status(f"nobody{i}@example.invalid", "guess")[0], 500)
		self.assertEqual(self.login_status("mediator_b", PASSWORD)[0], 429)
		self.assertEqual(self.login_status("township_b", PASSWORD)[0], 200)
