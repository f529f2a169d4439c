"""The holiday list's coverage warning and 「补录放假安排」 on a site.

Each test points Xinfang Settings at a list of its own that ends on 2026-12-31 (whatever chinese-calendar
the bench has), with calendar-day counting, and restores the settings afterwards. "Today" is frozen by
patching frappe.utils.data.now_datetime, behind frappe.utils.today() and getdate(); freezegun is not needed.
The 2027 schedule is made up for the tests (春节 5-13 February 2027), not the published one.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest.mock import patch

import frappe
from frappe.utils import getdate

from xinfang_app import holidays, lifecycle
from xinfang_app.domain import deadlines as dl
from xinfang_app.domain import holiday_schedule as hs
from xinfang_app.tests.cases import LifecycleCase
from xinfang_app.tests.factories import email
from xinfang_app.tests.test_access import rest

TEST_LIST = "测试节假日表（至2026年底）"
ANNOUNCEMENT_2026 = """
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
"""
SCHEDULE_2027 = """元旦：1月1日（星期五）至3日（星期日）放假，共3天。
春节：2月5日至13日放假调休，共9天。2月20日（星期六）上班。
清明节：4月3日至5日放假，共3天。
劳动节：5月1日至5日放假调休，共5天。5月8日（星期六）上班。
"""
WARNING_2027 = "节假日表只覆盖到 2026-12-31，之后的期限只按周末计算，请补录 2027 年放假安排"


@contextmanager
def frozen_today(day: str):
	moment = dt.datetime.combine(getdate(day), dt.time(10, 0))
	with patch("frappe.utils.data.now_datetime", return_value=moment):
		holidays.clear_warning_cache()
		try:
			yield
		finally:
			holidays.clear_warning_cache()


def make_test_list() -> str:
	if frappe.db.exists("Xinfang Holiday List", TEST_LIST):
		frappe.delete_doc("Xinfang Holiday List", TEST_LIST, ignore_permissions=True, force=True)
	schedule = hs.parse_schedule(2026, ANNOUNCEMENT_2026)
	frappe.get_doc(
		{
			"doctype": "Xinfang Holiday List",
			"holiday_list_name": TEST_LIST,
			"from_date": dt.date(2026, 1, 1),
			"to_date": dt.date(2026, 12, 31),
			"holidays": [
				{"holiday_date": day, "description": description, "weekly_off": int(weekly_off)}
				for day, description, weekly_off in hs.year_rows(2026, schedule.holidays, schedule.workdays)
			],
		}
	).insert(ignore_permissions=True)
	return TEST_LIST


class TestHolidaySchedule(LifecycleCase):
	def setUp(self):
		frappe.set_user("Administrator")
		make_test_list()
		settings = frappe.get_doc("Xinfang Settings")
		previous = {"holiday_list": settings.holiday_list, "day_basis": settings.day_basis}
		settings.update({"holiday_list": TEST_LIST, "day_basis": dl.CALENDAR_DAYS})
		settings.save(ignore_permissions=True)
		self.addCleanup(self.restore_settings, previous)
		lifecycle.clear_calendar_cache()
		holidays.clear_warning_cache()

	def restore_settings(self, previous):
		frappe.set_user("Administrator")
		settings = frappe.get_doc("Xinfang Settings")
		settings.update(previous)
		settings.save(ignore_permissions=True)
		lifecycle.clear_calendar_cache()
		holidays.clear_warning_cache()

	def add_2027(self, user="manager", **kwargs):
		frappe.set_user(email(user))
		try:
			return holidays.add_year_schedule(TEST_LIST, 2027, text=SCHEDULE_2027, **kwargs)
		finally:
			frappe.set_user("Administrator")

	def test_warning_shows_until_the_next_year_is_added(self):
		with frozen_today("2026-12-15"):
			self.assertEqual(holidays.holiday_coverage_warning(), WARNING_2027)
			frappe.set_user(email("county"))
			self.assertEqual(holidays.get_holiday_coverage_warning()["message"], WARNING_2027)
			self.assertFalse(holidays.get_holiday_coverage_warning()["can_add"])
			frappe.set_user("Administrator")

			result = self.add_2027()
			self.assertEqual(result["year"], 2027)
			holiday_list = frappe.get_doc("Xinfang Holiday List", TEST_LIST)
			self.assertEqual(getdate(holiday_list.to_date), dt.date(2027, 12, 31))
			days = {getdate(row.holiday_date): row for row in holiday_list.holidays}
			self.assertEqual(days[dt.date(2027, 2, 8)].description, "春节")
			self.assertNotIn(dt.date(2027, 2, 20), days)  # the make-up Saturday is worked
			self.assertEqual(days[dt.date(2027, 2, 21)].description, "周末")
			self.assertEqual(result["rows"], len([d for d in days if d.year == 2027]))
			# no more word of 2027; other tests' open petitions (made at the real date, which may be years
			# later) may still reach past 2027, and then it is 2028 that the warning asks for
			latest = max(holidays.latest_open_deadlines(), default=None)
			expected = (
				"节假日表只覆盖到 2027-12-31，之后的期限只按周末计算，请补录 2028 年放假安排"
				if latest and latest > dt.date(2027, 12, 31)
				else None
			)
			self.assertEqual(holidays.holiday_coverage_warning(), expected)
			frappe.set_user(email("county"))
			self.assertEqual(holidays.get_holiday_coverage_warning()["message"], expected)

	def test_the_warning_reappears_when_an_open_deadline_passes_the_list(self):
		with frozen_today("2026-06-01"):  # 2026-06-01 + 104 days is inside 2026
			if all(due <= dt.date(2026, 12, 31) for due in holidays.latest_open_deadlines()):
				self.assertIsNone(
					holidays.holiday_coverage_warning()
				)  # unless other open petitions run later
			name = self.registered(received_on="2026-05-30")
			frappe.db.set_value("Petition", name, "acceptance_due", "2027-01-04", update_modified=False)
			holidays.clear_warning_cache()
			self.assertEqual(holidays.holiday_coverage_warning(), WARNING_2027)

	def test_a_deadline_in_the_2027_spring_festival_moves_once_2027_is_added(self):
		with frozen_today("2026-12-15"):
			name = self.pending(received_on="2026-12-08")
			with lifecycle.acting_on("2026-12-10"):
				self.act("township_a", name, "Accept")
			frappe.set_user("Administrator")
			# 2026-12-10 + 60 days = Monday 2027-02-08, a working day while 2027 is counted on weekends only
			self.assertEqual(
				getdate(frappe.db.get_value("Petition", name, "handling_due")), dt.date(2027, 2, 8)
			)
			frappe.db.set_value("Petition", name, "light", "Red", update_modified=False)

			result = self.add_2027()

			# 8 February is 春节 (5-13 February), 14 February a Sunday: the period ends on Monday 15 February
			doc = frappe.get_doc("Petition", name)
			self.assertEqual(getdate(doc.handling_due), dt.date(2027, 2, 15))
			self.assertEqual(
				getdate(doc.handling_due),
				dl.handling_due(dt.date(2026, 12, 10), lifecycle.get_rules(), lifecycle.get_calendar()),
			)
			self.assertEqual(getdate(doc.acceptance_due), dt.date(2026, 12, 23))  # inside 2026: unchanged
			self.assertEqual(doc.light, dl.GREEN)  # recomputed with the new due date
			self.assertFalse(result["queued"])
			self.assertGreaterEqual(result["petitions_changed"], 1)
			# saving the petition again computes the same dates: the refresh matches set_deadlines
			doc.save(ignore_permissions=True)
			self.assertEqual(getdate(doc.handling_due), dt.date(2027, 2, 15))

	def test_a_year_with_rows_is_refused_unless_replaced(self):
		with frozen_today("2026-12-15"):
			frappe.set_user(email("manager"))
			with self.assertRaises(holidays.HolidayListError):
				holidays.add_year_schedule(TEST_LIST, 2026, text=ANNOUNCEMENT_2026)
			result = holidays.add_year_schedule(TEST_LIST, 2026, text=ANNOUNCEMENT_2026, replace=1)
			self.assertEqual(result["replaced"], result["rows"])
			frappe.set_user("Administrator")
			rows = frappe.get_all("Xinfang Holiday", filters={"parent": TEST_LIST}, pluck="holiday_date")
			self.assertEqual(len(rows), len(set(rows)))  # replaced, not doubled

	def test_a_skipped_year_and_a_bad_line_are_refused_with_the_reason(self):
		frappe.set_user(email("manager"))
		with self.assertRaises(holidays.HolidayListError) as caught:
			holidays.add_year_schedule(TEST_LIST, 2028, text="2028-01-01 元旦")
		self.assertIn("请先补录 2027 年", str(caught.exception))
		with self.assertRaises(holidays.HolidayListError) as caught:
			holidays.preview_year_schedule(TEST_LIST, 2027, text="元旦：1月1日至3日。")
		self.assertIn("「元旦：1月1日至3日。」", str(caught.exception))

	def test_preview_writes_nothing(self):
		frappe.set_user(email("manager"))
		preview = holidays.preview_year_schedule(
			TEST_LIST,
			"2027",
			rows=[{"from_date": "2027-06-09", "to_date": "2027-06-11", "kind": "放假", "festival": "端午节"}],
		)
		self.assertEqual(
			preview["holidays"], [{"name": "端午节", "from": "2027-06-09", "to": "2027-06-11", "days": 3}]
		)
		self.assertEqual(preview["existing_rows"], 0)
		frappe.set_user("Administrator")
		self.assertEqual(
			getdate(frappe.db.get_value("Xinfang Holiday List", TEST_LIST, "to_date")), dt.date(2026, 12, 31)
		)

	def test_only_those_who_may_edit_the_list_add_a_year(self):
		for key in ("county", "township_a", "village_a1", "supervisor", "leader_a"):
			frappe.set_user(email(key))
			with self.assertRaises(frappe.PermissionError, msg=key):
				holidays.add_year_schedule(TEST_LIST, 2027, text=SCHEDULE_2027)
			with self.assertRaises(frappe.PermissionError, msg=key):
				rest(
					"xinfang_app.holidays.add_year_schedule",
					method="POST",
					holiday_list=TEST_LIST,
					year="2027",
					text=SCHEDULE_2027,
				)
		frappe.set_user("Administrator")
		self.assertEqual(
			getdate(frappe.db.get_value("Xinfang Holiday List", TEST_LIST, "to_date")), dt.date(2026, 12, 31)
		)

	def test_leaders_and_mediators_are_not_given_the_warning(self):
		for key in ("leader_a", "mediator_a"):
			frappe.set_user(email(key))
			with self.assertRaises(frappe.PermissionError, msg=key):
				rest("xinfang_app.holidays.get_holiday_coverage_warning")

	def test_workspace_block_is_installed_for_the_warning_roles(self):
		from xinfang_app.install import HOLIDAY_BLOCK, install_workspace_blocks

		install_workspace_blocks()
		block = frappe.get_doc("Custom HTML Block", HOLIDAY_BLOCK)
		self.assertIn("xinfang_app.holidays.get_holiday_coverage_warning", block.script)
		self.assertEqual({row.role for row in block.roles}, set(holidays.WARNING_ROLES))
		workspace = frappe.get_doc("Workspace", "信访工作台")
		self.assertIn(HOLIDAY_BLOCK, [row.custom_block_name for row in workspace.custom_blocks])
