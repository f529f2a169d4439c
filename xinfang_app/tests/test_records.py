"""Petitioner and Petition rules a petition officer notices when registering."""

from __future__ import annotations

import frappe
import frappe.client

from xinfang_app.tests.cases import WorldCase
from xinfang_app.tests.factories import email, make_id_number, make_petition
from xinfang_app.xinfang_app.doctype.petition.petition import PetitionValidationError
from xinfang_app.xinfang_app.doctype.petitioner.petitioner import (
	DuplicatePetitionerError,
	InvalidIdNumberError,
)


class TestPetitioner(WorldCase):
	def tearDown(self):
		super().tearDown()
		frappe.local.lang = "en"

	def new_petitioner(self, **values):
		return frappe.get_doc(
			{"doctype": "Petitioner", "full_name": "测试张三", "division": "测试甲一村", **values}
		)

	def test_bad_checksum_is_refused_with_a_chinese_message(self):
		frappe.local.lang = "zh"
		good = make_id_number(901)
		bad = good[:17] + ("0" if good[17] != "0" else "1")
		with self.assertRaises(InvalidIdNumberError) as caught:
			self.new_petitioner(id_number=bad).insert()
		self.assertIn("第18位应为", str(caught.exception))

	def test_id_number_is_stored_whole_and_masked_with_gender(self):
		doc = self.new_petitioner(id_number=make_id_number(902).lower(), phone="13912345678").insert()
		self.assertEqual(doc.id_number, make_id_number(902).upper())
		self.assertEqual(doc.id_number_masked, doc.id_number[0] + "*" * 16 + doc.id_number[-1])
		self.assertEqual(doc.phone_masked, "139****5678")
		self.assertIn(doc.gender, ("男", "女"))

	def test_duplicate_id_number_names_the_existing_petitioner(self):
		first = self.new_petitioner(id_number=make_id_number(903)).insert()
		with self.assertRaises(DuplicatePetitionerError) as caught:
			self.new_petitioner(full_name="测试李四", id_number=make_id_number(903)).insert()
		self.assertIn(first.name, str(caught.exception))

	def test_village_officer_enters_id_number_without_being_able_to_read_it_back(self):
		frappe.set_user(email("village_a1"))
		doc = self.new_petitioner(new_id_number=make_id_number(904), phone="13700001111").insert()
		frappe.set_user("Administrator")
		stored = frappe.db.get_value(
			"Petitioner", doc.name, ["id_number", "new_id_number", "phone"], as_dict=True
		)
		self.assertEqual(stored.id_number, make_id_number(904))
		self.assertIsNone(stored.new_id_number)
		self.assertEqual(stored.phone, "13700001111")
		frappe.set_user(email("village_a1"))
		self.assertNotEqual(frappe.client.get("Petitioner", doc.name).get("id_number"), make_id_number(904))

	def test_village_officer_cannot_overwrite_full_id_number_directly(self):
		frappe.set_user(email("village_a1"))
		doc = self.new_petitioner(new_id_number=make_id_number(905)).insert()
		doc = frappe.get_doc("Petitioner", doc.name)
		doc.id_number = make_id_number(906)
		doc.save()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Petitioner", doc.name, "id_number"), make_id_number(905))


class TestPetition(WorldCase):
	def test_name_follows_year_of_receipt(self):
		name = make_petition("测试甲一村", self.world.petitioners["a1"], received_on="2025-12-30")
		self.assertTrue(name.startswith("XF-2025-"), name)

	def test_township_is_derived_from_any_division_below_it(self):
		doc = frappe.get_doc("Petition", self.world.petitions["a1_hamlet"])
		self.assertEqual(doc.township, "测试甲镇")
		self.assertEqual(frappe.get_doc("Petition", self.world.petitions["b1"]).township, "测试乙乡")

	def test_group_petition_from_five_people(self):
		name = make_petition("测试甲一村", self.world.petitioners["a1"], headcount=5)
		self.assertTrue(frappe.db.get_value("Petition", name, "is_group_petition"))

	def test_future_receipt_date_refused(self):
		with self.assertRaises(PetitionValidationError):
			make_petition(
				"测试甲一村",
				self.world.petitioners["a1"],
				received_on=frappe.utils.add_days(frappe.utils.today(), 2),
			)

	def test_accusation_never_goes_to_the_accused_unit(self):
		with self.assertRaises(PetitionValidationError):
			make_petition(
				"测试甲一村",
				self.world.petitioners["a1"],
				responsible_unit="测试县住建局",
				petition_class="检举控告",
				accused_unit="测试县住建局",
			)

	def test_same_petitioner_twice_refused(self):
		petitioner = self.world.petitioners["a1"]
		with self.assertRaises(PetitionValidationError):
			make_petition(
				"测试甲一村",
				petitioner,
				petitioners=[{"petitioner": petitioner}, {"petitioner": petitioner, "party_role": "代表"}],
			)
