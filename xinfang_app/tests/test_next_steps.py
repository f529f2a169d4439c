"""Every next step where the officer is: the records opened from a petition (mapped on the server, with
the reader's permissions), the visit that moves the petition, the next actor told once after the commit,
and the message naming the fields a step needs."""

from __future__ import annotations

from unittest.mock import patch

import frappe
from frappe.model.mapper import make_mapped_doc
from frappe.tests.utils import change_settings
from frappe.utils import add_days, today

from xinfang_app import lifecycle, next_steps
from xinfang_app.tests.cases import UNIT, LifecycleCase
from xinfang_app.tests.factories import email
from xinfang_app.tests.test_ledger import LedgerCase


class NextStepCase(LifecycleCase):
	def setUp(self):
		super().setUp()  # only this test's steps are "committed" by commit()
		self.addCleanup(frappe.set_user, "Administrator")

	def track(self, name):
		"""Remove the petition, its records and its notifications after the test."""

		def remove():
			frappe.set_user("Administrator")
			for doctype in ("Follow-up Visit", "Petition Review", "Supervision Notice"):
				frappe.db.delete(doctype, {"petition": name})
			frappe.db.delete("Notification Log", {"document_type": "Petition", "document_name": name})
			frappe.delete_doc("Petition", name, force=True, ignore_permissions=True)

		self.addCleanup(remove)
		return name

	def pending(self, **extra):
		return self.track(super().pending(**extra))

	def in_handling(self):
		return self.track(super().in_handling())

	def replied(self, replied_on=None):
		return self.track(super().replied(replied_on))

	def steps_for(self, user_key, name):
		frappe.set_user(email(user_key))
		try:
			return next_steps.get_next_steps(name)
		finally:
			frappe.set_user("Administrator")

	def buttons(self, user_key, name):
		return [record["doctype"] for record in self.steps_for(user_key, name)["records"]]

	def mapped(self, user_key, method, name):
		frappe.set_user(email(user_key))
		try:
			return make_mapped_doc(f"xinfang_app.next_steps.{method}", name)
		finally:
			frappe.set_user("Administrator")

	def told(self, name, user_key=None):
		filters = {"document_type": "Petition", "document_name": name}
		if user_key:
			filters["for_user"] = email(user_key)
		return frappe.get_all("Notification Log", filters=filters, fields=["for_user", "subject"])


class TestButtonsAndMappers(NextStepCase):
	def test_a_replied_petition_offers_each_reader_what_they_may_create(self):
		name = self.replied()
		self.assertEqual(self.buttons("village_a1", name), ["Follow-up Visit"])
		self.assertEqual(self.buttons("county", name), ["Follow-up Visit", "Petition Review"])
		self.assertEqual(self.buttons("supervisor", name), [])
		self.assertEqual(self.buttons("handler_township_a", name), [])
		frappe.local.lang = "zh"
		try:
			labels = [record["label"] for record in self.steps_for("county", name)["records"]]
		finally:
			frappe.local.lang = "en"
		self.assertEqual(labels, ["记录回访", "申请复查"])

	def test_supervision_is_offered_while_the_unit_handles_it(self):
		name = self.in_handling()
		self.assertEqual(self.buttons("supervisor", name), ["Supervision Notice"])
		self.assertEqual(self.buttons("county", name), ["Supervision Notice"])
		self.assertEqual(self.buttons("village_a1", name), [])

	def test_the_visit_is_mapped_for_a_reader_of_the_petition_and_not_saved(self):
		name = self.replied()
		visit = self.mapped("village_a1", "make_follow_up_visit", name)
		self.assertEqual(
			(visit.doctype, visit.petition, str(visit.visited_on)), ("Follow-up Visit", name, today())
		)
		self.assertTrue(visit.is_new())
		self.assertEqual(frappe.db.count("Follow-up Visit", {"petition": name}), 0)

	def test_the_mappers_refuse_readers_outside_the_scope_and_roles_without_create(self):
		name = self.replied()
		for user_key in ("village_b1", "township_b", "no_scope"):
			with self.assertRaises(frappe.PermissionError):
				self.mapped(user_key, "make_follow_up_visit", name)
			with self.assertRaises(frappe.PermissionError):
				self.steps_for(user_key, name)
		with self.assertRaises(frappe.PermissionError):
			self.mapped(
				"village_a1", "make_petition_review", name
			)  # village officers do not register reviews
		with self.assertRaises(frappe.PermissionError):
			self.mapped("handler_township_a", "make_follow_up_visit", name)  # reads the petition, no create

	def test_the_mappers_refuse_a_step_that_does_not_apply(self):
		name = self.in_handling()
		with self.assertRaises(lifecycle.LifecycleError):
			self.mapped("village_a1", "make_follow_up_visit", name)
		with self.assertRaises(lifecycle.LifecycleError):
			self.mapped("county", "make_petition_review", name)

	def test_review_then_re_review_are_mapped_with_their_type(self):
		name = self.replied()
		review = self.mapped("county", "make_petition_review", name)
		self.assertEqual((review.review_type, str(review.requested_on)), ("复查", today()))
		frappe.set_user(email("county"))
		review.reviewing_unit = "测试县住建局"
		review.insert()
		self.assertEqual(self.state(name), "Review Requested")
		self.assertEqual(self.steps_for("county", name)["pending_review"], review.name)
		review.update({"decision": "维持原处理意见", "decided_on": today(), "outcome": "维持"})
		review.save()
		self.assertEqual(self.mapped("county", "make_petition_review", name).review_type, "复核")

	def test_the_supervision_notice_is_addressed_to_the_responsible_unit(self):
		name = self.in_handling()
		notice = self.mapped("supervisor", "make_supervision_notice", name)
		self.assertEqual((notice.to_unit, str(notice.issued_on)), (UNIT, today()))
		frappe.set_user(email("county"))
		notice.reason = "拖延"
		notice.insert()  # the county petition bureau supervises too (DESIGN.md §1)
		self.assertEqual(frappe.db.get_value("Supervision Notice", notice.name, "petition"), name)


class TestVisitMovesThePetition(NextStepCase):
	def test_the_follow_up_action_without_a_visit_is_refused_naming_the_button(self):
		name = self.replied()
		frappe.local.lang = "zh"
		try:
			with self.assertRaises(lifecycle.LifecycleError) as caught:
				self.act("village_a1", name, "Follow Up")
		finally:
			frappe.local.lang = "en"
		self.assertIn("「记录回访」", str(caught.exception))
		self.assertEqual(self.state(name), "Reply Issued")

	def test_saving_the_mapped_visit_moves_the_petition(self):
		name = self.replied()
		visit = self.mapped("village_a1", "make_follow_up_visit", name)
		visit.update({"method": "电话", "satisfaction": "满意"})
		frappe.set_user(email("village_a1"))
		visit.insert()
		self.assertEqual(self.state(name), "Follow-up")
		self.assertEqual(frappe.db.get_value("Petition", name, "satisfaction"), "满意")
		# a second visit in Follow-up is allowed and moves nothing further
		self.assertEqual(self.buttons("village_a1", name), ["Follow-up Visit"])


class TestNextActorIsTold(NextStepCase):
	def setUp(self):
		super().setUp()
		self.saved_lang = frappe.local.lang
		frappe.local.lang = "en"  # the acting user's request language; the site's is zh
		self.addCleanup(setattr, frappe.local, "lang", self.saved_lang)

	@change_settings("System Settings", language="zh")
	def test_acceptance_waits_on_the_townships_officers_told_once_after_the_commit_in_chinese(self):
		name = self.pending()
		self.assertEqual(self.told(name), [])  # nothing before the commit
		self.committed()
		told = self.told(name)
		self.assertEqual([row.for_user for row in told], [email("township_a")])
		self.assertIn("待您决定是否受理", told[0].subject)
		self.assertIn(name, told[0].subject)
		# a re-save in the same state tells nobody again
		frappe.set_user(email("township_a"))
		doc = frappe.get_doc("Petition", name)
		doc.content += "（补充材料）"
		doc.save()
		self.committed()
		self.assertEqual(len(self.told(name)), 1)

	@change_settings("System Settings", language="zh")
	def test_a_county_matter_waits_on_the_county(self):
		name = self.pending(handling_level="County")
		self.committed()
		self.assertEqual([row.for_user for row in self.told(name)], [email("county")])

	@change_settings("System Settings", language="zh")
	def test_sign_for_extension_and_closure_each_tell_their_actor_once(self):
		name = self.pending()
		self.act("township_a", name, "Accept")
		self.act("township_a", name, "Assign", responsible_unit=UNIT)
		self.committed()
		# sign-for: the shipped 交办通知 tells the unit's handler, and nothing repeats it
		self.assertEqual(len(self.told(name, "handler_township_a")), 1)
		self.act("handler_township_a", name, "Sign For")
		self.act(
			"handler_township_a", name, "Request Extension", extension_days=10, extension_reason="需调查"
		)
		self.committed()
		extension = self.told(name, "leader_a")
		self.assertEqual(len(extension), 1)
		self.assertIn("申请延期 10 天", extension[0].subject)
		self.act("leader_a", name, "Approve Extension")
		self.act("handler_township_a", name, "Issue Reply", reply_text="已办理。", replied_on=today())
		frappe.set_user(email("village_a1"))
		frappe.get_doc(
			{"doctype": "Follow-up Visit", "petition": name, "method": "电话", "satisfaction": "满意"}
		).insert()
		self.act("township_a", name, "Resolve")
		self.committed()
		closure = self.told(name, "county")
		self.assertEqual(len(closure), 1)
		self.assertIn("待您销号", closure[0].subject)

	def test_a_step_entered_afterwards_tells_nobody(self):
		with lifecycle.acting_on(add_days(today(), -30)):
			name = self.pending(received_on=add_days(today(), -30))
		self.committed()
		self.assertEqual(self.told(name), [])

	def test_a_rolled_back_step_tells_nobody(self):
		name = self.pending()
		frappe.db.after_commit.reset()  # what frappe.db.rollback() does to the callbacks of the transaction
		self.committed()
		self.assertEqual(self.told(name), [])

	def test_a_record_that_moved_on_before_the_commit_waits_on_nobody(self):
		name = self.pending()
		self.act("township_a", name, "Accept")  # accepted in the same transaction
		self.committed()
		self.assertEqual(self.told(name, "township_a"), [])


class TestRolledBackTransaction(NextStepCase):
	"""A real rollback: the step is undone and its notification never written."""

	def test_rollback_drops_the_notification_and_a_commit_sends_it(self):
		frappe.db.commit()  # the test county, as TestConcurrentJob leaves it
		name = self.registered()
		frappe.db.commit()

		def remove():
			frappe.db.delete("Notification Log", {"document_type": "Petition", "document_name": name})
			frappe.delete_doc("Petition", name, force=True, ignore_permissions=True)
			frappe.db.commit()

		self.addCleanup(remove)
		self.act("village_a1", name, "Submit for Acceptance")
		frappe.set_user("Administrator")
		frappe.db.rollback()
		self.assertEqual(self.state(name), "Registration")
		frappe.db.commit()
		self.assertEqual(self.told(name), [])
		self.act("village_a1", name, "Submit for Acceptance")
		frappe.set_user("Administrator")
		frappe.db.commit()
		self.assertEqual([row.for_user for row in self.told(name)], [email("township_a")])


class TestLedgerClosureIsTold(LedgerCase):
	def setUp(self):
		super().setUp()
		frappe.db.after_commit.reset()
		self.addCleanup(frappe.db.after_commit.reset)

	def test_a_closure_request_waits_on_the_townships_officers(self):
		name = self.observed()
		self.addCleanup(frappe.delete_doc, "Dispute Ledger Entry", name, force=True, ignore_permissions=True)
		self.addCleanup(frappe.db.delete, "Notification Log", {"document_name": name})
		self.act("village_a1", name, "Request Closure")
		frappe.db.after_commit.run()
		told = frappe.get_all("Notification Log", {"document_name": name}, pluck="for_user")
		self.assertEqual(told, [email("township_a")])


class TestStepFieldsAreNamed(NextStepCase):
	def test_refusal_names_its_empty_fields_and_their_section_in_chinese(self):
		name = self.pending()
		frappe.local.lang = "zh"
		try:
			with self.assertRaises(lifecycle.LifecycleError) as caught:
				self.act("township_a", name, "Refuse", not_accepted_reason="已经司法程序处理")
		finally:
			frappe.local.lang = "en"
		message = str(caught.exception)
		self.assertIn("不予受理需要填写", message)
		self.assertIn("书面告知日期", message)
		self.assertNotIn("不予受理理由", message.split("：", 1)[1])  # the filled one is not named
		self.assertIn("「受理、不予受理与转送」", message)

	def test_the_form_is_told_which_fields_each_step_needs(self):
		name = self.in_handling()
		steps = self.steps_for("handler_township_a", name)
		self.assertEqual(
			[f["fieldname"] for f in steps["step_fields"]["Extension Requested"]],
			["extension_days", "extension_reason"],
		)
		self.assertEqual(steps["moved_by_record"]["Follow-up"]["doctype"], "Follow-up Visit")

	def test_the_reply_names_text_and_date(self):
		name = self.in_handling()
		with patch.object(frappe, "throw", wraps=frappe.throw) as thrown:
			with self.assertRaises(lifecycle.LifecycleError):
				self.act("handler_township_a", name, "Issue Reply")
		self.assertIn("Handling Opinion (Reply)", thrown.call_args[0][0])
		self.assertIn("Replied On", thrown.call_args[0][0])
