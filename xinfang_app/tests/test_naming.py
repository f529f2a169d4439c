"""Each numbered doctype counts on its own, by the year of the record's own date; existing sites keep
their names and continue after them."""

from __future__ import annotations

import frappe

from xinfang_app.naming import sync_series_with_existing_names
from xinfang_app.tests.cases import WorldCase
from xinfang_app.tests.factories import make_dated_petition, make_ledger_entry


def number(name: str) -> int:
	return int(name.rsplit("-", 1)[1])


class TestOwnSeriesByOwnYear(WorldCase):
	def test_a_record_takes_the_year_of_its_own_date_and_its_doctype_counts_alone(self):
		first = make_ledger_entry("测试甲镇", found_on="2019-06-03", summary="测试-编号一")
		self.assertTrue(first.startswith("TZ-2019-"), first)
		# another doctype numbered in between does not move the ledger's counter
		petition = make_dated_petition("测试甲镇", self.world.petitioners["a1"], received_on="2019-06-04")
		self.assertTrue(petition.startswith("XF-2019-"), petition)
		second = make_ledger_entry("测试甲镇", found_on="2019-11-20", summary="测试-编号二")
		self.assertEqual(number(second), number(first) + 1)
		# and a record of another year starts that year's series of its own doctype
		other_year = make_ledger_entry("测试甲镇", found_on="2018-02-01", summary="测试-编号三")
		self.assertTrue(other_year.startswith("TZ-2018-"), other_year)

	def test_existing_names_are_kept_and_new_numbers_continue_after_them(self):
		key = "TZ-2017-"
		frappe.db.sql("delete from `tabSeries` where name=%s", key)
		doc = frappe.get_doc(
			{
				"doctype": "Dispute Ledger Entry",
				"division": "测试甲镇",
				"found_on": "2017-05-05",
				"reported_by": "测试排查员",
				"summary": "测试-旧站点记录",
				"tier": "一级",
			}
		)
		doc.insert(ignore_permissions=True, set_name="TZ-2017-00041")
		self.assertEqual(doc.name, "TZ-2017-00041")
		sync_series_with_existing_names()
		self.assertEqual(frappe.db.sql("select `current` from `tabSeries` where `name` = %s", key)[0][0], 41)
		following = make_ledger_entry("测试甲镇", found_on="2017-06-06", summary="测试-新记录")
		self.assertEqual(following, "TZ-2017-00042")
