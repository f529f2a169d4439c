"""Issue 10, item 7: a sweep over every whitelisted Frappe method that takes a doctype, filters or a record.

The methods are found, not listed: every module of Frappe is imported and each function in
`frappe.whitelisted` whose parameters include a doctype, filters, fields, order or group, or a record (by
name or as a document) is called over HTTP (the WSGI test client, as a logged-in browser would) by a
village officer, a leader, a unit handler,
a mediator and a user with a role but no scope, each with its own session, aimed at records outside the
caller's scope (a petition, its petitioner, a party row of it):

- the classic payloads: raw SQL filters, hidden fields, order and group by a hidden field (GET);
- a well-formed query for the outside record: a structured filter on its name, every field, Frappe's
  `ignore_user_permissions` and `filter_fields` (GET, and POST as a form would send it).

Whatever a method answers, it must not be a 500 or a traceback and must not carry any petitioner's full ID
number, a phone the caller may not read, or the name or subject of a record outside the caller's scope;
and the outside records are unchanged afterwards. A method Frappe adds in a later release is swept without
anyone listing it.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil

import frappe
from frappe.tests.test_api import make_request
from frappe.utils import get_test_client
from frappe.utils.password import update_password

from xinfang_app.tests.cases import WorldCase
from xinfang_app.tests.factories import email
from xinfang_app.tests.test_access import SEES

PASSWORD = "Xf-Sweep-Probe-2026!"
SCOPED_PARAMETERS = {
	"doctype",
	"dt",
	"reference_doctype",
	"filters",
	"or_filters",
	"fields",
	"order_by",
	"group_by",
	# and the methods that take one record: by name, or as a document
	"doc",
	"docname",
	"dn",
	"name",
	"reference_name",
	# and the report endpoints, called for each of the app's reports
	"report_name",
}
# Methods whose `doc` is a doctype's name, not a document
DOC_IS_DOCTYPE = ("frappe.www.printview.",)
ORACLE = "name is not null and (select substr(id_number,1,6) from tabPetitioner limit 1)='239901'"
# The callers, with the test county's petitions each may read (none of them reads a full ID number; the
# leader and the mediator read no phone).
CALLERS = {key: SEES[key] for key in ("village_a1", "leader_a", "handler_township_a", "no_scope")}
CALLERS["mediator_a"] = set()
OUTSIDE = "b1"  # a petition none of the callers may read
OUTSIDE_DIVISION = "测试乙乡"  # its township
SKIPPED_MODULES = (".tests", ".test_", ".patches", ".commands", "frappe.integrations.doctype.ldap_settings")


def swept_methods() -> list[tuple[str, list[str]]]:
	for module in pkgutil.walk_packages(frappe.__path__, "frappe."):
		if any(part in module.name for part in SKIPPED_MODULES):
			continue
		try:
			importlib.import_module(module.name)
		except Exception:
			continue  # optional dependencies of integrations
	found = []
	for method in frappe.whitelisted:
		name = f"{getattr(method, '__module__', '')}.{getattr(method, '__name__', '')}"
		if not name.startswith("frappe."):
			continue
		try:
			parameters = list(inspect.signature(method).parameters)
		except (TypeError, ValueError):
			continue
		if SCOPED_PARAMETERS.intersection(parameters):
			found.append((name, parameters))
	return sorted(found)


def arguments(method: str, parameters: list[str], doctype: str, record: str, payload: str) -> dict:
	"""The method's arguments aimed at `record`: the classic payloads ("raw"), or a well-formed query for
	the record with every way Frappe offers around the scope ("scoped")."""
	values = {
		"doctype": doctype,
		"dt": doctype,
		"reference_doctype": doctype,
		"name": record,
		"docname": record,
		"dn": record,
		"reference_name": record,
		"doc": json.dumps({"doctype": doctype, "name": record}),
		"docs": json.dumps([record]),
		"names": json.dumps([record]),
		"parent": "Petition",
		"txt": "测试",
		"report_name": record,
	}
	if payload == "raw":
		values |= {
			"filters": ORACLE,
			"or_filters": ORACLE,
			"fields": json.dumps(["name", "id_number", "phone", "full_name", "subject"]),
			"fieldname": "id_number",
			"order_by": "id_number asc",
			"group_by": "id_number",
			"field": "id_number",
		}
	else:
		values |= {
			"filters": json.dumps([[doctype, "name", "=", record]]),
			"or_filters": json.dumps([[doctype, "name", "=", record]]),
			"fields": json.dumps(["*"]),
			"fieldname": "name",
			"field": "name",
			"order_by": "modified desc",
			"group_by": "name",
			"ignore_user_permissions": 1,
			"filter_fields": json.dumps(["full_name", "phone", "id_number", "subject"]),
			"txt": "",
		}
	if doctype == "Report" and payload != "raw":
		# the report's own filters, aimed at the other township, over every date
		values["filters"] = json.dumps(
			{"division": OUTSIDE_DIVISION, "from_date": "2000-01-01", "to_date": "2099-12-31"}
		)
	if method.startswith(DOC_IS_DOCTYPE):
		values["doc"] = doctype
	return {key: values[key] for key in parameters if key in values}


def written(secret: str) -> set[str]:
	"""The ways a text can stand in a JSON body: as is, escaped once (\\uXXXX), escaped inside an
	escaped string (Frappe's _server_messages)."""
	once = json.dumps(secret)[1:-1]
	return {secret, once, json.dumps(once)[1:-1]}


class TestSweep(WorldCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		world = cls.world
		cls.clients = {}
		for key in CALLERS:
			update_password(email(key), PASSWORD)
		frappe.db.commit()
		for key in CALLERS:
			client = get_test_client()
			response = make_request(
				target=client.post,
				args=("/api/method/login",),
				kwargs={"data": {"usr": email(key), "pwd": PASSWORD}},
			)
			assert response.status_code == 200, response.get_data(as_text=True)[:300]
			cls.clients[key] = client
		# every petitioner gets a phone of their own, so that a leak shows
		cls.phones = dict(frappe.get_all("Petitioner", fields=["name", "phone"], as_list=True))
		for serial, name in enumerate(sorted(set(world.petitioners.values())), start=1):
			frappe.db.set_value("Petitioner", name, "phone", f"1390000{serial:04d}", update_modified=False)
		frappe.db.commit()
		outside = world.petitions[OUTSIDE]
		party = frappe.get_all("Petition Party", filters={"parent": outside}, pluck="name")[0]
		cls.targets = (
			("Petitioner", world.petitioners[OUTSIDE]),
			("Petition", outside),
			("Petition Party", party),
		)
		cls.untouched = cls.snapshot()
		cls.reports = [
			("Report", name) for name in frappe.get_all("Report", {"module": "Xinfang App"}, pluck="name")
		]
		assert cls.reports

	@classmethod
	def tearDownClass(cls):
		for name, phone in cls.phones.items():
			frappe.db.set_value("Petitioner", name, "phone", phone, update_modified=False)
		frappe.db.commit()
		super().tearDownClass()

	@classmethod
	def snapshot(cls) -> dict:
		return {
			(doctype, name): frappe.db.get_value(doctype, name, ["modified", "docstatus"])
			for doctype, name in cls.targets
		}

	def secrets(self, caller: str) -> set[str]:
		"""What `caller` must never receive: every full ID number; the phone, name and subject of every
		petitioner and petition outside their scope; the leader's and the mediator's, every phone."""
		readable = CALLERS[caller]
		people = frappe.get_all("Petitioner", fields=["name", "id_number", "phone", "full_name"])
		own = {self.world.petitioners[k] for k in readable}
		of_world = set(self.world.petitioners.values())
		reads_phones = caller in ("village_a1", "handler_township_a")
		found = {p.id_number for p in people if p.id_number}
		found |= {p.phone for p in people if p.phone and (p.name not in own or not reads_phones)}
		found |= {p.full_name for p in people if p.name in of_world and p.name not in own}
		subject = lambda key: frappe.db.get_value("Petition", self.world.petitions[key], "subject")  # noqa: E731
		found |= {subject(k) for k in self.world.petitions if k not in readable} - {
			subject(k) for k in readable
		}
		return {secret for secret in found if secret}

	def sweep(self, caller: str, payload: str, http_method: str) -> list[str]:
		client, secrets, problems, answered = self.clients[caller], self.secrets(caller), [], 0
		methods = swept_methods()
		self.assertGreater(len(methods), 100)  # the sweep found Frappe's methods, not an empty list
		for name, parameters in methods:
			if "report_name" in parameters and http_method == "POST":
				continue  # a report reads the same whichever way it is asked
			targets = self.reports if "report_name" in parameters else self.targets
			for doctype, record in targets:
				query = arguments(name, parameters, doctype, record, payload)
				if http_method == "GET":
					request = (client.get, {"query_string": query})
				else:
					request = (client.post, {"data": query})
				response = make_request(target=request[0], args=(f"/api/method/{name}",), kwargs=request[1])
				body = response.get_data().decode("utf-8", "replace")  # some answer with an image or a file
				answered += response.status_code == 200
				where = f"{caller} {http_method} {payload} {name} ({doctype})"
				if response.status_code >= 500:
					problems.append(f"{where}: HTTP {response.status_code} {body[:160]}")
				if "Traceback" in body:
					problems.append(f"{where}: traceback in the response")
				leaked = sorted(s for s in secrets if any(f in body for f in written(s)))
				if leaked:
					problems.append(f"{where}: leaks {leaked[:3]}")
		# the requests reached the methods (a session or CSRF refusal of every request would prove nothing)
		self.assertGreater(answered, 50, f"{caller} {http_method}: only {answered} answers")
		frappe.db.rollback()  # read what the requests committed
		self.assertEqual(self.snapshot(), self.untouched, "an outside record was changed")
		return problems

	def test_classic_payloads_as_a_village_officer(self):
		problems = self.sweep("village_a1", "raw", "GET")
		self.assertEqual(problems, [], "\n".join(problems))

	def test_well_formed_queries_for_outside_records_read(self):
		problems = [p for caller in CALLERS for p in self.sweep(caller, "scoped", "GET")]
		self.assertEqual(problems, [], "\n".join(problems))

	def test_well_formed_queries_for_outside_records_posted(self):
		problems = [p for caller in CALLERS for p in self.sweep(caller, "scoped", "POST")]
		self.assertEqual(problems, [], "\n".join(problems))
