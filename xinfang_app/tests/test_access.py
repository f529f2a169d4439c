"""The access model of docs/DESIGN.md §6, probed on every channel a user can reach."""

from __future__ import annotations

import os
from types import SimpleNamespace

import frappe
import frappe.client
from frappe.desk import reportview
from frappe.desk.form import load
from frappe.desk.form.utils import add_comment
from frappe.desk.search import search_link
from frappe.handler import execute_cmd
from frappe.www.printview import get_html_and_style

from xinfang_app.tests.cases import WorldCase
from xinfang_app.tests.factories import email, make_petition

SEES = {
	"village_a1": {"a1", "a1_hamlet"},
	"village_a2": {"a2"},
	"village_b1": {"b1", "b1_labour"},
	"township_a": {"a1", "a1_hamlet", "a2", "a_town"},
	"township_b": {"b1", "b1_labour"},
	"county": {"a1", "a1_hamlet", "a2", "a_town", "b1", "b1_labour"},
	"supervisor": {"a1", "a1_hamlet", "a2", "a_town", "b1", "b1_labour"},
	"leader_a": {"a1", "a1_hamlet", "a2", "a_town"},
	"handler_housing": {"a1", "b1"},
	"handler_township_a": {"a_town"},
	"no_scope": set(),
	"manager": {"a1", "a1_hamlet", "a2", "a_town", "b1", "b1_labour"},
}
PETITIONER_SEES = {
	"village_a1": {"a1", "a1_hamlet"},
	"township_b": {"b1", "b1_labour"},
	"county": {"a1", "a1_hamlet", "a2", "a_town", "b1", "b1_labour"},
	"handler_housing": {"a1", "b1"},
	"no_scope": set(),
}


def rest(cmd, method="GET", **kwargs):
	"""Call a whitelisted method the way /api/method/<cmd> does, overrides included."""
	frappe.local.form_dict = frappe._dict(kwargs)
	frappe.local.request = SimpleNamespace(method=method)
	try:
		return execute_cmd(cmd)
	finally:
		del frappe.local.request
		frappe.local.form_dict = frappe._dict()


class AccessTestCase(WorldCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.all_petitions = set(cls.world.petitions.values())
		cls.all_petitioners = set(cls.world.petitioners.values())

	def setUp(self):
		frappe.cache.delete_value("user_permissions")

	def tearDown(self):
		super().tearDown()
		frappe.local.form_dict = frappe._dict()

	def as_user(self, key):
		frappe.set_user(email(key))

	def names(self, keys, kind="petitions"):
		return {self.world[kind][k] for k in keys}

	def hidden(self, key, kind="petitions", matrix=SEES):
		return {self.world[kind][k] for k in set(self.world[kind]) - matrix[key]}


class TestPetitionScope(AccessTestCase):
	def test_get_list_shows_exactly_the_users_part_of_the_tree(self):
		for key, expected in SEES.items():
			with self.subTest(user=key):
				self.as_user(key)
				got = set(
					frappe.get_list("Petition", filters={"name": ("in", self.all_petitions)}, pluck="name")
				)
				self.assertEqual(got, self.names(expected))

	def test_rest_get_list_and_get_count_match_the_scope(self):
		for key, expected in SEES.items():
			with self.subTest(user=key):
				self.as_user(key)
				filters = {"name": ("in", list(self.all_petitions))}
				rows = rest(
					"frappe.client.get_list", doctype="Petition", filters=filters, limit_page_length=0
				)
				self.assertEqual({r["name"] for r in rows}, self.names(expected))
				count = rest("frappe.client.get_count", doctype="Petition", filters=filters)
				self.assertEqual(count, len(expected))

	def test_report_builder_and_group_by_count_stay_in_scope(self):
		for key in ("village_a1", "township_a", "handler_housing", "no_scope"):
			with self.subTest(user=key):
				self.as_user(key)
				frappe.local.form_dict = frappe._dict(
					doctype="Petition",
					fields=["`tabPetition`.`name`", "`tabPetition`.`division`"],
					filters=[["Petition", "name", "in", list(self.all_petitions)]],
					page_length=500,
					view="Report",
				)
				result = reportview.get()
				got = {row[0] for row in result.get("values", [])} if result else set()
				self.assertEqual(got, self.names(SEES[key]))
				frappe.local.form_dict = frappe._dict(
					doctype="Petition", filters=[["Petition", "name", "in", list(self.all_petitions)]]
				)
				self.assertEqual(reportview.get_count(), len(SEES[key]))

	def test_township_officer_group_by_division_shows_only_own_township(self):
		self.as_user("township_a")
		rows = frappe.get_list(
			"Petition",
			fields=["division", "count(name) as n"],
			filters={"name": ("in", self.all_petitions)},
			group_by="division",
		)
		self.assertEqual(
			{r.division for r in rows}, {"测试甲一村", "测试甲一村东屯", "测试甲二村", "测试甲镇"}
		)

	def test_village_officer_cannot_read_sibling_village_petition_on_any_channel(self):
		self.assert_unreachable("village_a1", self.world.petitions["a2"])

	def test_township_officer_cannot_read_other_township_petition_on_any_channel(self):
		self.assert_unreachable("township_a", self.world.petitions["b1"])

	def test_unit_handler_cannot_read_other_units_petition_on_any_channel(self):
		self.assert_unreachable("handler_housing", self.world.petitions["a2"])

	def test_user_without_scope_reaches_nothing(self):
		self.assert_unreachable("no_scope", self.world.petitions["a1"])
		self.as_user("no_scope")
		self.assertEqual(frappe.get_list("Petition", filters={"name": ("in", self.all_petitions)}), [])

	def test_in_scope_petition_is_reachable_on_every_channel(self):
		name = self.world.petitions["a1_hamlet"]
		self.as_user("village_a1")
		self.assertTrue(frappe.get_doc("Petition", name).has_permission("read"))
		self.assertEqual(frappe.client.get("Petition", name)["name"], name)
		frappe.response.docs = []
		load.getdoc("Petition", name)
		self.assertIn(name, {d.name for d in frappe.response.docs})
		self.assertIn("html", get_html_and_style("Petition", name))
		self.assertIn(name, self.link_search_names(name))
		self.assertIn(name, self.export_csv())
		add_comment("Petition", name, "已电话联系信访人", email("village_a1"), "village_a1")

	def assert_unreachable(self, key, name):
		self.as_user(key)
		self.assertFalse(frappe.get_doc("Petition", name).has_permission("read"))
		self.assertFalse(frappe.has_permission("Petition", "print", name))
		calls = {
			"client.get": lambda: rest("frappe.client.get", doctype="Petition", name=name),
			"getdoc": lambda: load.getdoc("Petition", name),
			"get_docinfo": lambda: load.get_docinfo(doctype="Petition", name=name),
			"print": lambda: get_html_and_style("Petition", name),
			"add_comment": lambda: add_comment("Petition", name, "越权评论", email(key), key),
			"set_value": lambda: frappe.client.set_value("Petition", name, "subject", "越权修改"),
		}
		for label, call in calls.items():
			with self.subTest(user=key, channel=label):
				self.assertRaises(frappe.PermissionError, call)
		value = rest("frappe.client.get_value", doctype="Petition", fieldname="subject", filters=name)
		self.assertFalse(value)
		self.assertNotIn(name, self.link_search_names(name))
		if frappe.permissions.can_export("Petition"):
			self.assertNotIn(name, self.export_csv())
		else:
			self.assertRaises(frappe.PermissionError, self.export_csv)
		self.assertEqual(rest("frappe.client.get_count", doctype="Petition", filters={"name": name}), 0)

	def link_search_names(self, txt):
		frappe.response.pop("results", None)
		results = search_link("Petition", txt) or frappe.response.get("results") or []
		return {row["value"] for row in results}

	def export_csv(self):
		frappe.local.form_dict = frappe._dict(
			doctype="Petition",
			file_format_type="CSV",
			fields=["`tabPetition`.`name`", "`tabPetition`.`subject`"],
			filters=[["Petition", "name", "in", list(self.all_petitions)]],
			title="信访事项",
		)
		frappe.response.pop("filecontent", None)
		reportview.export_query()
		content = frappe.response.get("filecontent") or b""
		return content.decode("utf-8") if isinstance(content, bytes) else content


class TestWritesOutsideScope(AccessTestCase):
	def test_village_officer_can_register_in_own_village(self):
		self.as_user("village_a1")
		name = make_petition_as_user("测试甲一村", self.world.petitioners["a1"])
		self.assertTrue(frappe.db.exists("Petition", name))

	def test_village_officer_cannot_register_in_sibling_village(self):
		self.as_user("village_a1")
		with self.assertRaises(frappe.PermissionError):
			make_petition_as_user("测试甲二村", self.world.petitioners["a1"])

	def test_village_officer_cannot_move_own_petition_to_sibling_village(self):
		self.as_user("village_a1")
		doc = frappe.get_doc("Petition", self.world.petitions["a1_hamlet"])
		doc.division = "测试甲二村"
		with self.assertRaises(frappe.PermissionError):
			doc.save()

	def test_township_officer_cannot_edit_other_township_petition(self):
		frappe.set_user("Administrator")
		doc = frappe.get_doc("Petition", self.world.petitions["b1"])
		self.as_user("township_a")
		doc.subject = "越权修改"
		with self.assertRaises(frappe.PermissionError):
			doc.save()

	def test_unit_handler_cannot_create_petitions(self):
		self.as_user("handler_housing")
		self.assertFalse(frappe.has_permission("Petition", "create"))

	def test_leader_and_supervisor_cannot_edit(self):
		self.as_user("supervisor")
		doc = frappe.get_doc("Petition", self.world.petitions["a1"])
		self.assertTrue(doc.has_permission("read"))
		self.assertFalse(doc.has_permission("write"))
		# a leader writes only through workflow approvals (extensions), never by editing the record
		self.as_user("leader_a")
		doc = frappe.get_doc("Petition", self.world.petitions["a1"])
		doc.subject = "领导改写的标题"
		with self.assertRaises(frappe.PermissionError):
			doc.save()

	def test_ordinary_roles_cannot_delete_petitions(self):
		for key in ("village_a1", "township_a", "county", "handler_housing"):
			with self.subTest(user=key):
				self.as_user(key)
				with self.assertRaises(frappe.PermissionError):
					frappe.delete_doc("Petition", self.world.petitions["a1"])


class TestAttachments(AccessTestCase):
	def private_attachment(self, petition_key, file_name, content):
		frappe.set_user("Administrator")
		return frappe.get_doc(
			{
				"doctype": "File",
				"file_name": file_name,
				"content": content,
				"is_private": 1,
				"attached_to_doctype": "Petition",
				"attached_to_name": self.world.petitions[petition_key],
			}
		).insert(ignore_permissions=True)

	def test_private_attachment_follows_petition_scope(self):
		file = self.private_attachment("a2", "来信扫描件.txt", "信访人来信原件")
		for key, allowed in (
			("village_a2", True),
			("township_a", True),
			("village_a1", False),
			("township_b", False),
		):
			with self.subTest(user=key):
				self.as_user(key)
				self.assertEqual(bool(frappe.get_doc("File", file.name).is_downloadable()), allowed)
				listed = frappe.get_list("File", filters={"name": file.name}, pluck="name")
				self.assertEqual(bool(listed), allowed)

	def test_a_file_row_cannot_adopt_an_attachment_out_of_scope(self):
		secret = self.private_attachment("b1", "举报材料.txt", "乙一村举报材料原件")
		own = self.world.petitions["a1"]
		for key, allowed in (("village_a1", False), ("township_b", True)):
			with self.subTest(user=key):
				self.as_user(key)
				adopt = {
					"doctype": "File",
					"file_url": secret.file_url,
					"is_private": 1,
					"file_name": "x.txt",
				}
				if not allowed:
					self.assertRaises(frappe.PermissionError, frappe.get_doc(adopt).insert)
					attach = {"attached_to_doctype": "Petition", "attached_to_name": own}
					self.assertRaises(frappe.PermissionError, frappe.get_doc({**adopt, **attach}).insert)
				else:
					copy = frappe.get_doc(adopt).insert()
					self.assertTrue(copy.is_downloadable())

	def test_an_attachment_uploaded_as_public_is_kept_private(self):
		"""A public file is served to anyone, signed in or not: an app record's attachment never is."""
		self.as_user("village_a1")
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "现场照片说明.txt",
				"content": "甲一村现场情况",
				"is_private": 0,
				"attached_to_doctype": "Petition",
				"attached_to_name": self.world.petitions["a1"],
			}
		).insert()
		self.addCleanup(frappe.delete_doc, "File", file.name, ignore_permissions=True, force=True)
		frappe.set_user("Administrator")
		stored = frappe.get_doc("File", file.name)
		self.assertTrue(stored.is_private)
		self.assertTrue(stored.file_url.startswith("/private/files/"), stored.file_url)
		self.assertFalse(os.path.exists(frappe.get_site_path("public", "files", stored.file_name)))
		self.assertEqual(stored.get_content(), "甲一村现场情况")
		# a file of its own that is not an app record's attachment keeps the uploader's choice
		notes = frappe.get_doc(
			{"doctype": "File", "file_name": "公开通知.txt", "content": "公开", "is_private": 0}
		).insert()
		self.addCleanup(frappe.delete_doc, "File", notes.name, ignore_permissions=True, force=True)
		self.assertFalse(frappe.db.get_value("File", notes.name, "is_private"))


class TestWorkflowActions(AccessTestCase):
	def test_workflow_actions_name_only_records_in_scope(self):
		from xinfang_app.domain.access import VILLAGE_OFFICER

		frappe.set_user("Administrator")
		actions = {}
		for key in ("a1", "b1"):
			actions[key] = (
				frappe.get_doc(
					{
						"doctype": "Workflow Action",
						"reference_doctype": "Petition",
						"reference_name": self.world.petitions[key],
						"workflow_state": "Registration",
						"status": "Open",
						"permitted_roles": [{"role": VILLAGE_OFFICER}],
					}
				)
				.insert(ignore_permissions=True)
				.name
			)
		self.as_user("village_a1")
		listed = set(
			frappe.get_list("Workflow Action", filters={"name": ("in", list(actions.values()))}, pluck="name")
		)
		self.assertEqual(listed, {actions["a1"]})
		self.assertTrue(frappe.has_permission("Workflow Action", "read", doc=actions["a1"]))
		self.assertFalse(frappe.has_permission("Workflow Action", "read", doc=actions["b1"]))


class TestPetitionerScope(AccessTestCase):
	def test_petitioner_lists_follow_scope(self):
		for key, expected in PETITIONER_SEES.items():
			with self.subTest(user=key):
				self.as_user(key)
				got = set(
					frappe.get_list(
						"Petitioner", filters={"name": ("in", self.all_petitioners)}, pluck="name"
					)
				)
				self.assertEqual(got, self.names(expected, "petitioners"))
				filters = {"name": ("in", list(self.all_petitioners))}
				self.assertEqual(
					rest("frappe.client.get_count", doctype="Petitioner", filters=filters), len(expected)
				)

	def test_village_officer_cannot_reach_sibling_petitioner(self):
		name = self.world.petitioners["a2"]
		self.as_user("village_a1")
		self.assertFalse(frappe.get_doc("Petitioner", name).has_permission("read"))
		self.assertRaises(frappe.PermissionError, frappe.client.get, "Petitioner", name)
		self.assertRaises(frappe.PermissionError, get_html_and_style, "Petitioner", name)
		self.assertRaises(frappe.PermissionError, load.get_docinfo, None, "Petitioner", name)
		results = search_link("Petitioner", "测试信访人") or []
		self.assertNotIn(name, {row["value"] for row in results})

	def test_officer_registers_petitioner_living_elsewhere_and_keeps_seeing_them(self):
		self.as_user("village_a1")
		doc = frappe.get_doc(
			{"doctype": "Petitioner", "full_name": "测试外村信访人", "division": "测试乙一村"}
		).insert()
		self.assertTrue(frappe.get_doc("Petitioner", doc.name).has_permission("read"))
		self.as_user("village_a2")
		self.assertFalse(frappe.get_doc("Petitioner", doc.name).has_permission("read"))
		self.as_user("no_scope")
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{"doctype": "Petitioner", "full_name": "测试无权", "division": "测试甲一村"}
			).insert()

	def test_a_petitioner_from_elsewhere_becomes_a_party_only_by_their_full_id_number(self):
		stranger = self.world.petitioners["b1"]
		full = frappe.db.get_value("Petitioner", stranger, "id_number")
		self.as_user("village_a1")
		self.assertFalse(frappe.has_permission("Petitioner", "read", doc=stranger))

		def petition(confirm=None):
			row = {"petitioner": stranger, "party_role": "本人", "confirm_id_number": confirm}
			return frappe.get_doc(
				{
					"doctype": "Petition",
					"channel": "来访",
					"received_on": frappe.utils.add_days(frappe.utils.today(), -1),
					"petition_class": "申诉求决",
					"subject": "测试外村信访人来访",
					"content": "反映问题",
					"category": "农村低保",
					"division": "测试甲一村",
					"petitioners": [row],
				}
			)

		for confirm in (None, "", "11010519491231002X", full[:-1]):
			with self.subTest(confirm=confirm):
				self.assertRaises(frappe.PermissionError, petition(confirm).insert)
		self.assertFalse(frappe.has_permission("Petitioner", "read", doc=stranger))
		doc = petition(full.lower()).insert()
		self.addCleanup(frappe.delete_doc, "Petition", doc.name, force=True, ignore_permissions=True)
		self.addCleanup(frappe.set_user, "Administrator")
		self.assertIsNone(frappe.db.get_value("Petition Party", {"parent": doc.name}, "confirm_id_number"))
		self.assertTrue(frappe.has_permission("Petitioner", "read", doc=stranger))

	def test_a_duplicate_id_number_names_only_the_record_number_to_a_stranger(self):
		stranger = self.world.petitioners["b1"]
		self.as_user("village_a1")
		doc = frappe.get_doc(
			{
				"doctype": "Petitioner",
				"full_name": "测试重复登记",
				"division": "测试甲一村",
				"new_id_number": frappe.db.get_value("Petitioner", stranger, "id_number"),
			}
		)
		with self.assertRaises(frappe.ValidationError) as raised:
			doc.insert()
		message = str(raised.exception)
		self.assertIn(stranger, message)
		self.assertNotIn(frappe.db.get_value("Petitioner", stranger, "full_name"), message)

	def test_unit_handler_sees_petitioner_of_assigned_petition_only(self):
		self.as_user("handler_housing")
		self.assertTrue(frappe.get_doc("Petitioner", self.world.petitioners["b1"]).has_permission("read"))
		self.assertFalse(frappe.get_doc("Petitioner", self.world.petitioners["a2"]).has_permission("read"))

	def test_full_id_number_hidden_below_county_on_every_read_channel(self):
		name = self.world.petitioners["a1"]
		full = frappe.db.get_value("Petitioner", name, "id_number")
		for key, sees_full in (("village_a1", False), ("handler_housing", False), ("county", True)):
			with self.subTest(user=key):
				self.as_user(key)
				via_rest = frappe.client.get("Petitioner", name)
				self.assertEqual(via_rest.get("id_number") == full, sees_full)
				self.assertEqual(via_rest["id_number_masked"], full[0] + "*" * 16 + full[-1])
				rows = frappe.get_list("Petitioner", fields=["name", "id_number"], filters={"name": name})
				self.assertEqual(rows[0].get("id_number") == full, sees_full)
				frappe.local.form_dict = frappe._dict(
					doctype="Petitioner",
					fields=["`tabPetitioner`.`name`", "`tabPetitioner`.`id_number`"],
					filters=[["Petitioner", "name", "=", name]],
				)
				self.assertEqual(full in str(reportview.get()), sees_full)

	def test_leader_sees_phone_masked_but_not_full(self):
		name = self.world.petitioners["a1"]
		self.as_user("leader_a")
		via_rest = frappe.client.get("Petitioner", name)
		self.assertNotEqual(via_rest.get("phone"), "13800138000")
		self.assertEqual(via_rest["phone_masked"], "138****8000")


class TestChildTables(AccessTestCase):
	"""Child rows follow their parent's scope on every list path (get_list, REST lists, report view)."""

	def party_parents(self, via):
		world = list(self.all_petitions)
		if via == "get_list":
			rows = frappe.get_list(
				"Petition Party",
				parent_doctype="Petition",
				fields=["parent"],
				filters={"parent": ("in", world)},
			)
		elif via == "client.get_list":
			rows = rest(
				"frappe.client.get_list",
				doctype="Petition Party",
				parent="Petition",
				fields=["parent", "petitioner"],
				filters={"parent": ("in", world)},
				limit_page_length=0,
			)
		else:
			result = rest(
				"frappe.desk.reportview.get",
				doctype="Petition Party",
				parent_doctype="Petition",
				fields=["`tabPetition Party`.`parent`"],
				filters=[["Petition Party", "parent", "in", world]],
			)
			rows = (
				[dict(zip(result["keys"], values, strict=True)) for values in result["values"]]
				if result
				else []
			)
		return {row["parent"] for row in rows}

	def test_petition_parties_are_listed_only_under_readable_petitions(self):
		for key in ("village_a1", "township_b", "handler_housing", "county"):
			for via in ("get_list", "client.get_list", "reportview.get"):
				with self.subTest(user=key, via=via):
					self.as_user(key)
					self.assertEqual(self.party_parents(via), self.names(SEES[key]))

	def test_a_user_without_scope_lists_no_child_row_of_any_table(self):
		from xinfang_app.domain.access import CHILD_TABLES

		self.as_user("no_scope")
		for child, parents in CHILD_TABLES.items():
			for parent in parents:
				if parent == "Xinfang Holiday List":  # the holiday calendar is every officer's to read
					continue
				with self.subTest(child=child, parent=parent):
					try:
						rows = frappe.get_list(child, parent_doctype=parent, fields=["name"], limit=5)
					except frappe.PermissionError:
						rows = []
					self.assertEqual(rows, [])

	def test_child_counts_follow_scope(self):
		self.as_user("village_a1")
		count = rest(
			"frappe.desk.reportview.get_count",
			doctype="Petition Demand",
			parent_doctype="Petition",
			filters=[["Petition Demand", "parent", "in", list(self.all_petitions)]],
		)
		expected = frappe.db.count(
			"Petition Demand", {"parent": ("in", list(self.names(SEES["village_a1"])))}
		)
		self.assertEqual(count, expected)


def make_petition_as_user(division, petitioner):
	return make_petition(division, petitioner, None, ignore_permissions=False)


class TestPlaceScopeByTheTree(AccessTestCase):
	"""Issue 13: place scope is matched by the tree (stamped township/county/city, lft/rgt ranges), never by
	a list of every division under a place, and a record follows its division when the tree changes."""

	def test_a_petition_carries_its_township_and_county(self):
		doc = frappe.get_doc("Petition", self.world.petitions["a1_hamlet"])
		self.assertEqual((doc.township, doc.county, doc.city), ("测试甲镇", "测试县", None))
		doc = frappe.get_doc("Petition", self.world.petitions["a_town"])
		self.assertEqual((doc.township, doc.county), ("测试甲镇", "测试县"))

	def test_a_township_or_county_list_query_names_no_village(self):
		from frappe.model.db_query import DatabaseQuery

		for key, column in (("township_a", "`township`"), ("county", "`county`")):
			query = DatabaseQuery("Petition", user=email(key)).execute(
				fields=["name"], user=email(key), run=False
			)
			self.assertIn(column, query)
			for village in ("测试甲一村", "测试甲二村", "测试乙一村"):
				self.assertNotIn(village, query, key)

	def test_a_moved_village_takes_its_petitions_along(self):
		from xinfang_app.tests.factories import make_division

		village = make_division("测试迁移村", "Village", "测试甲镇")
		name = make_petition(village, self.world.petitioners["a1"])
		self.addCleanup(self.move, village, "测试甲镇")
		self.assertEqual(frappe.db.get_value("Petition", name, "township"), "测试甲镇")
		self.move(village, "测试乙乡")
		self.assertEqual(
			frappe.db.get_value("Petition", name, ["township", "county"]), ("测试乙乡", "测试县")
		)
		for key, sees in (("township_a", False), ("township_b", True), ("county", True)):
			self.as_user(key)
			self.assertEqual(name in frappe.get_list("Petition", pluck="name"), sees, key)
			self.assertEqual(frappe.has_permission("Petition", "read", doc=name), sees, key)
		frappe.set_user("Administrator")

	def test_records_loaded_by_sql_are_stamped_by_restamp(self):
		from xinfang_app.xinfang_app.doctype.administrative_division.administrative_division import (
			restamp_all,
		)

		name = make_petition("测试甲一村", self.world.petitioners["a1"])
		frappe.db.set_value("Petition", name, {"city": None, "county": None, "township": None})
		self.as_user("township_a")
		self.assertNotIn(name, frappe.get_list("Petition", pluck="name"))  # what the command is for
		frappe.set_user("Administrator")
		self.assertGreaterEqual(restamp_all()["Petition"], 1)
		self.assertEqual(
			frappe.db.get_value("Petition", name, ["township", "county"]), ("测试甲镇", "测试县")
		)
		self.assertEqual(restamp_all()["Petition"], 0)  # nothing left to change
		self.as_user("township_a")
		self.assertIn(name, frappe.get_list("Petition", pluck="name"))
		frappe.set_user("Administrator")

	def move(self, division, parent):
		frappe.set_user("Administrator")
		doc = frappe.get_doc("Administrative Division", division)
		doc.parent_administrative_division = parent
		doc.save(ignore_permissions=True)

	def grant_the_township_alone(self):
		"""village_a2's permission moved to 测试甲镇, without its descendants (restored after the test)."""
		permission = frappe.get_doc(
			"User Permission",
			{"user": email("village_a2"), "allow": "Administrative Division", "for_value": "测试甲二村"},
		)
		permission.for_value = "测试甲镇"
		permission.hide_descendants = 1
		permission.save(ignore_permissions=True)
		self.addCleanup(self.restore, permission.name)

	def test_a_permission_without_descendants_covers_the_division_alone(self):
		self.grant_the_township_alone()
		self.as_user("village_a2")
		self.assertEqual(
			set(frappe.get_list("Petition", pluck="name")) & self.all_petitions, self.names({"a_town"})
		)

	def restore(self, name):
		frappe.set_user("Administrator")
		permission = frappe.get_doc("User Permission", name)
		permission.for_value = "测试甲二村"
		permission.hide_descendants = 0
		permission.save(ignore_permissions=True)

	def division_search(self, search, txt="测试"):
		frappe.response.pop("results", None)
		results = search("Administrative Division", txt, page_length=500, reference_doctype="Petition")
		return {row["value"] for row in results or frappe.response.get("results") or []}

	def test_a_division_search_is_by_the_tree_range_and_finds_what_frappes_check_finds(self):
		from xinfang_app import api, permissions

		for key in ("village_a2", "township_b", "county"):
			self.as_user(key)
			self.assertIsNotNone(permissions.division_range_filters(), key)
			ours, frappes = self.division_search(api.search_link), self.division_search(search_link)
			self.assertTrue(ours, key)
			self.assertEqual(ours, frappes, key)
		self.as_user("township_b")
		self.assertIn("测试乙一村", self.division_search(api.search_link))
		self.assertNotIn("测试甲镇", self.division_search(api.search_link))
		frappe.set_user("Administrator")

	def test_a_division_search_leaves_other_grants_to_frappe(self):
		from xinfang_app import api, permissions

		self.grant_the_township_alone()
		self.as_user("village_a2")
		self.assertIsNone(permissions.division_range_filters())
		self.assertEqual(self.division_search(api.search_link), {"测试甲镇"})
		frappe.set_user("Administrator")
