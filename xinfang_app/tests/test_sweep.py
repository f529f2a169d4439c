"""Issue 10, item 7: a sweep over every whitelisted Frappe method that takes a doctype or filters.

The methods are found, not listed: every module of Frappe is imported and each function in
`frappe.whitelisted` whose parameters include a doctype, filters, fields, order or group is called over
HTTP (the WSGI test client, as a logged-in browser would) by a village officer, with arguments aimed at the
app's protected records: the Petitioner and Petition doctypes, a record outside the officer's scope, raw SQL
filters, hidden fields. Whatever a method answers, it must not be a 500 and must not carry any petitioner's
full ID number, a phone the officer may not read, or the name or subject of a record outside the scope.
A method Frappe adds in a later release is swept without anyone listing it.
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
}
ORACLE = "name is not null and (select substr(id_number,1,6) from tabPetitioner limit 1)='239901'"
# Every method is called with GET (Frappe answers 405 where a method takes POST only), so that a finding
# among the methods that write cannot damage the test site for the tests after it.
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


def arguments(parameters: list[str], doctype: str, record: str) -> dict:
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
		"filters": ORACLE,
		"or_filters": ORACLE,
		"fields": json.dumps(["name", "id_number", "phone", "full_name", "subject"]),
		"fieldname": "id_number",
		"order_by": "id_number asc",
		"group_by": "id_number",
		"txt": "测试",
		"parent": "Petition",
		"field": "id_number",
	}
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
		update_password(email("village_a1"), PASSWORD)
		frappe.db.commit()
		cls.client = get_test_client()
		response = make_request(
			target=cls.client.post,
			args=("/api/method/login",),
			kwargs={"data": {"usr": email("village_a1"), "pwd": PASSWORD}},
		)
		assert response.status_code == 200, response.get_data(as_text=True)[:300]
		readable = {cls.world.petitioners[k] for k in ("a1", "a1_hamlet")}
		# every petitioner outside the officer's scope gets a phone of their own, so that a leak shows
		cls.phones = dict(frappe.get_all("Petitioner", fields=["name", "phone"], as_list=True))
		for serial, name in enumerate(sorted(set(cls.world.petitioners.values()) - readable), start=1):
			frappe.db.set_value("Petitioner", name, "phone", f"1390000{serial:04d}", update_modified=False)
		frappe.db.commit()
		people = frappe.get_all("Petitioner", fields=["name", "id_number", "phone", "full_name"])
		cls.secrets = {p.id_number for p in people if p.id_number}
		cls.secrets |= {p.phone for p in people if p.phone and p.name not in readable}
		cls.secrets |= {
			p.full_name
			for p in people
			if p.name not in readable and p.name in set(cls.world.petitioners.values())
		}
		outside = [cls.world.petitions[k] for k in ("b1", "b1_labour", "a2")]
		cls.secrets |= {frappe.db.get_value("Petition", name, "subject") for name in outside} - {
			frappe.db.get_value("Petition", cls.world.petitions[k], "subject") for k in ("a1", "a1_hamlet")
		}
		cls.targets = (
			("Petitioner", cls.world.petitioners["b1"]),
			("Petition", cls.world.petitions["b1"]),
		)

	@classmethod
	def tearDownClass(cls):
		for name, phone in cls.phones.items():
			frappe.db.set_value("Petitioner", name, "phone", phone, update_modified=False)
		frappe.db.commit()
		super().tearDownClass()

	def test_no_whitelisted_method_leaks_or_fails_with_a_500(self):
		methods = swept_methods()
		self.assertGreater(len(methods), 100)  # the sweep found Frappe's methods, not an empty list
		problems = []
		for name, parameters in methods:
			for doctype, record in self.targets:
				query = arguments(parameters, doctype, record)
				response = make_request(
					target=self.client.get, args=(f"/api/method/{name}",), kwargs={"query_string": query}
				)
				body = response.get_data(as_text=True)
				if response.status_code >= 500:
					problems.append(f"{name} ({doctype}): HTTP {response.status_code} {body[:160]}")
				if "Traceback" in body:
					problems.append(f"{name} ({doctype}): traceback in the response")
				leaked = sorted(
					secret for secret in self.secrets if secret and any(f in body for f in written(secret))
				)
				if leaked:
					problems.append(f"{name} ({doctype}): leaks {leaked[:3]}")
		self.assertEqual(problems, [], "\n".join(problems))
