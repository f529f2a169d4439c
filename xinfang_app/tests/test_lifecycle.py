"""The Petition Workflow walked down every path, with the rules the workflow alone cannot express."""

from __future__ import annotations

import threading
from unittest.mock import patch

import frappe
from frappe.model.workflow import apply_workflow, get_transitions
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from xinfang_app import install, lifecycle
from xinfang_app.domain import deadlines as dl
from xinfang_app.repeats import suggest_repeats
from xinfang_app.tests.cases import UNIT, VILLAGE, LifecycleCase
from xinfang_app.tests.factories import email, make_petition


class TestPetitionPaths(LifecycleCase):
	def test_accepted_assigned_extended_replied_followed_up_resolved_closed(self):
		name = self.pending()
		self.assertEqual(self.state(name), "Pending Acceptance")
		doc = self.act("township_a", name, "Accept")
		rules, calendar = lifecycle.get_rules(), lifecycle.get_calendar()
		self.assertEqual(getdate(doc.accepted_on), getdate(today()))
		self.assertEqual(getdate(doc.handling_due), dl.handling_due(getdate(today()), rules, calendar))
		self.act("township_a", name, "Assign", responsible_unit=UNIT)
		# the shipped Notification tells the unit's handler, and no other unit's
		self.assertTrue(
			frappe.db.exists(
				"Notification Log", {"document_name": name, "for_user": email("handler_township_a")}
			)
		)
		self.assertFalse(
			frappe.db.exists(
				"Notification Log", {"document_name": name, "for_user": email("handler_housing")}
			)
		)
		doc = self.act("handler_township_a", name, "Sign For")
		self.assertEqual(doc.workflow_state, "Handling")
		self.assertEqual(getdate(doc.signed_on), getdate(today()))
		self.act(
			"handler_township_a", name, "Request Extension", extension_days=20, extension_reason="需现场测量"
		)
		doc = self.act("leader_a", name, "Approve Extension")
		self.assertEqual(doc.extension_count, 1)
		self.assertEqual(
			getdate(doc.extended_due), dl.due_date(getdate(doc.handling_due), 20, rules.day_basis, calendar)
		)
		self.act("handler_township_a", name, "Issue Reply", reply_text="已重新评定。", replied_on=today())
		frappe.set_user(email("village_a1"))
		frappe.get_doc(
			{"doctype": "Follow-up Visit", "petition": name, "method": "电话", "satisfaction": "满意"}
		).insert()
		self.assertEqual(self.state(name), "Follow-up")
		self.assertEqual(frappe.db.get_value("Petition", name, "satisfaction"), "满意")
		self.act("township_a", name, "Resolve")
		doc = self.act("county", name, "Close Case")
		self.assertEqual(doc.workflow_state, "Case Closed")
		self.assertEqual(getdate(doc.closed_on), getdate(today()))
		self.assertEqual(doc.light, "")

	def test_not_accepted_needs_reason_and_written_notice_date(self):
		name = self.pending()
		with self.assertRaises(lifecycle.LifecycleError):
			self.act("township_a", name, "Refuse")
		doc = self.act(
			"township_a", name, "Refuse", not_accepted_reason="已经司法程序处理", notice_date=today()
		)
		self.assertEqual(doc.workflow_state, "Not Accepted")

	def test_forwarded_needs_organ_reason_and_notice_date(self):
		name = self.pending()
		with self.assertRaises(lifecycle.LifecycleError):
			self.act("county", name, "Forward to Competent Organ", forwarded_to="测试县人社局")
		doc = self.act(
			"county",
			name,
			"Forward to Competent Organ",
			forward_reason="属劳动保障部门职责",
			notice_date=today(),
		)
		self.assertEqual(doc.workflow_state, "Forwarded")

	def test_reply_needs_text_and_date(self):
		name = self.in_handling()
		with self.assertRaises(lifecycle.LifecycleError):
			self.act("handler_township_a", name, "Issue Reply")

	def test_dissatisfied_petition_is_redone(self):
		name = self.replied()
		frappe.set_user(email("township_a"))
		frappe.get_doc(
			{
				"doctype": "Follow-up Visit",
				"petition": name,
				"method": "上门",
				"satisfaction": "不满意",
				"next_step": "重办",
			}
		).insert()
		doc = frappe.get_doc("Petition", name)
		self.assertEqual(doc.workflow_state, "Handling")
		self.assertEqual(doc.redo_count, 1)
		self.assertEqual(doc.satisfaction, "未评价")

	def test_resolving_needs_a_satisfied_follow_up(self):
		name = self.replied()
		frappe.set_user(email("village_a1"))
		frappe.get_doc(
			{
				"doctype": "Follow-up Visit",
				"petition": name,
				"method": "电话",
				"satisfaction": "不满意",
				"next_step": "申请复查",
			}
		).insert()
		self.assertEqual(self.state(name), "Follow-up")
		with self.assertRaises(frappe.ValidationError):
			self.act("township_a", name, "Resolve")

	def test_extension_over_the_maximum_and_a_second_extension_are_refused(self):
		name = self.in_handling()
		with self.assertRaises(lifecycle.LifecycleError) as caught:
			self.act(
				"handler_township_a", name, "Request Extension", extension_days=45, extension_reason="复杂"
			)
		self.assertIn("30", str(caught.exception))
		doc = frappe.get_doc("Petition", name)
		doc.extension_days, doc.extension_reason, doc.extension_count = 10, "再次延期", 1
		with self.assertRaises(lifecycle.LifecycleError):
			lifecycle.on_extension_requested(doc, "Handling")

	def test_review_re_review_final_and_repeat_refused(self):
		name = self.replied()
		frappe.set_user(email("county"))
		review = frappe.get_doc(
			{
				"doctype": "Petition Review",
				"petition": name,
				"review_type": "复查",
				"requested_on": today(),
				"reviewing_unit": "测试县住建局",
			}
		).insert()
		self.assertEqual(self.state(name), "Review Requested")
		self.assertEqual(
			getdate(review.review_due),
			dl.review_due(getdate(today()), 30, lifecycle.get_rules(), lifecycle.get_calendar()),
		)
		review.update({"decision": "维持原处理意见", "decided_on": today(), "outcome": "维持"})
		review.save()
		self.assertEqual(self.state(name), "Reviewed")
		rereview = frappe.get_doc(
			{
				"doctype": "Petition Review",
				"petition": name,
				"review_type": "复核",
				"requested_on": today(),
				"reviewing_unit": "测试县住建局",
				"decision": "维持复查意见",
				"decided_on": today(),
			}
		).insert()
		self.assertEqual(rereview.status, "Decided")
		final = frappe.get_doc("Petition", name)
		self.assertEqual(final.workflow_state, "Final")
		self.assertEqual(final.is_final, 1)

		frappe.set_user(email("county"))
		suggestion = suggest_repeats(
			[self.world.petitioners["a1"]], subject=final.subject, content=final.content
		)
		frappe.set_user("Administrator")
		self.assertEqual([(m["name"], m["is_final"]) for m in suggestion if m["name"] == name], [(name, 1)])
		repeat = self.pending(repeat_of=name)
		self.assertEqual(frappe.db.get_value("Petition", repeat, "is_first_time"), 0)
		with self.assertRaises(lifecycle.LifecycleError) as caught:
			self.act("township_a", repeat, "Accept")
		self.assertIn(name, str(caught.exception))

	def test_review_outside_its_window_is_refused_with_the_closing_date(self):
		name = self.replied(replied_on=add_days(today(), -45))
		frappe.set_user(email("county"))
		with self.assertRaises(lifecycle.LifecycleError) as caught:
			frappe.get_doc(
				{
					"doctype": "Petition Review",
					"petition": name,
					"review_type": "复查",
					"requested_on": today(),
					"reviewing_unit": "测试县住建局",
				}
			).insert()
		closes = lifecycle.deadline(
			dl.review_window_closes,
			getdate(add_days(today(), -45)),
			30,
			lifecycle.get_rules(),
			lifecycle.get_calendar(),
		)
		self.assertIn(dl.format_date_zh(closes), str(caught.exception))

	def test_re_review_only_after_review(self):
		name = self.replied()
		frappe.set_user(email("county"))
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc(
				{
					"doctype": "Petition Review",
					"petition": name,
					"review_type": "复核",
					"requested_on": today(),
					"reviewing_unit": "测试县住建局",
				}
			).insert()


class TestBackEntry(LifecycleCase):
	def test_steps_entered_afterwards_keep_the_paper_records_dates(self):
		name = self.pending(received_on=add_days(today(), -20), responsible_unit=UNIT)
		frappe.set_user(email("township_a"))
		with lifecycle.acting_on(add_days(today(), -18)):
			apply_workflow(frappe.get_doc("Petition", name), "Accept")
		with lifecycle.acting_on(add_days(today(), -17)):
			apply_workflow(frappe.get_doc("Petition", name), "Assign")
		doc = frappe.get_doc("Petition", name)
		self.assertEqual(
			(str(doc.accepted_on), str(doc.assigned_on)), (add_days(today(), -18), add_days(today(), -17))
		)
		self.assertEqual(
			getdate(doc.handling_due),
			dl.handling_due(getdate(add_days(today(), -18)), lifecycle.get_rules(), lifecycle.get_calendar()),
		)

	def test_a_step_entered_afterwards_has_the_light_of_its_day_and_warns_nobody(self):
		# received 80 days ago, accepted 75 days ago: overdue today, but green on the day of acceptance
		with lifecycle.acting_on(add_days(today(), -80)):
			name = self.pending(received_on=add_days(today(), -80), responsible_unit=UNIT)
		frappe.set_user(email("township_a"))
		with lifecycle.acting_on(add_days(today(), -75)):
			apply_workflow(frappe.get_doc("Petition", name), "Accept")
		frappe.set_user("Administrator")
		self.committed()
		self.assertEqual(frappe.db.get_value("Petition", name, "light"), "Green")
		self.assertFalse(
			frappe.db.exists("Notification Log", {"document_name": name, "for_user": email("county")})
		)
		# the hourly job then gives today's light, and that change is news (once the job commits)
		lifecycle.run_scheduled()
		self.committed()
		self.assertEqual(frappe.db.get_value("Petition", name, "light"), "Red")
		self.assertTrue(
			frappe.db.exists("Notification Log", {"document_name": name, "for_user": email("county")})
		)

	def test_a_step_cannot_be_dated_in_the_future(self):
		with self.assertRaises(lifecycle.LifecycleError):
			with lifecycle.acting_on(add_days(today(), 1)):
				pass


class TestTransitionRoles(LifecycleCase):
	def assertRefused(self, user_key, name, action):
		with self.assertRaises((frappe.ValidationError, frappe.PermissionError)):
			self.act(user_key, name, action)
		frappe.set_user("Administrator")

	def test_each_transition_is_refused_to_roles_that_do_not_hold_it(self):
		name = self.pending()
		for user_key in ("village_a1", "handler_township_a", "leader_a", "supervisor"):
			self.assertRefused(user_key, name, "Accept")
		self.act("township_a", name, "Accept")
		for user_key in ("village_a1", "handler_township_a", "supervisor"):
			self.assertRefused(user_key, name, "Assign")
		self.act("township_a", name, "Assign", responsible_unit=UNIT)
		for user_key in ("township_a", "county", "leader_a"):
			self.assertRefused(user_key, name, "Sign For")
		self.act("handler_township_a", name, "Sign For")
		self.act(
			"handler_township_a", name, "Request Extension", extension_days=10, extension_reason="需调查"
		)
		for user_key in ("handler_township_a", "township_a", "county", "supervisor"):
			self.assertRefused(user_key, name, "Approve Extension")

	def test_supervisor_cannot_move_a_petition_in_any_state(self):
		name = self.pending()
		frappe.set_user(email("supervisor"))
		self.assertEqual(get_transitions(frappe.get_doc("Petition", name)), [])

	def test_state_cannot_be_changed_by_a_plain_save(self):
		name = self.pending()
		frappe.set_user(email("village_a1"))
		doc = frappe.get_doc("Petition", name)
		doc.workflow_state = "Accepted"
		with self.assertRaises(frappe.ValidationError):
			doc.save()


class TestRepeatSuggestions(LifecycleCase):
	LAND = "石桥村三组土地承包经营权被村委会收回，要求恢复承包地"
	LAND_AGAIN = "再次反映石桥村三组承包地被村委会收回的问题，要求恢复土地承包经营权"
	WAGES = "某建筑工地拖欠农民工工资八万元，要求督促清偿"

	def suggested(self, user_key, petitioner, text, exclude=None):
		frappe.set_user(email(user_key))
		try:
			return [m["name"] for m in suggest_repeats([petitioner], subject=text, exclude=exclude)]
		finally:
			frappe.set_user("Administrator")

	def test_earlier_petition_on_a_similar_matter_is_suggested_and_others_are_not(self):
		petitioner = self.world.petitioners["a1"]
		land = make_petition(VILLAGE, petitioner, subject="土地承包", content=self.LAND)
		wages = make_petition(VILLAGE, petitioner, subject="工资", content=self.WAGES)
		someone_else = make_petition(
			VILLAGE, self.world.petitioners["a1_hamlet"], subject="土地承包", content=self.LAND
		)
		suggested = self.suggested("village_a1", petitioner, self.LAND_AGAIN)
		self.assertIn(land, suggested)
		self.assertNotIn(wages, suggested)
		self.assertNotIn(someone_else, suggested)
		self.assertNotIn(land, self.suggested("village_a1", petitioner, self.LAND_AGAIN, exclude=land))

	def test_petitions_outside_the_officers_scope_are_not_suggested(self):
		petitioner = self.world.petitioners["a1"]
		elsewhere = make_petition("测试乙一村", petitioner, subject="土地承包", content=self.LAND)
		self.assertNotIn(elsewhere, self.suggested("village_a1", petitioner, self.LAND_AGAIN))
		self.assertIn(elsewhere, self.suggested("county", petitioner, self.LAND_AGAIN))

	def test_confirming_a_suggestion_sets_repeat_of_and_clears_first_time(self):
		petitioner = self.world.petitioners["a1"]
		land = make_petition(VILLAGE, petitioner, subject="土地承包", content=self.LAND)
		new = self.registered(subject="土地承包", content=self.LAND_AGAIN, is_first_time=1)
		self.assertEqual(self.suggested("village_a1", petitioner, self.LAND_AGAIN, exclude=new)[0], land)
		frappe.set_user(email("village_a1"))
		doc = frappe.get_doc("Petition", new)
		doc.repeat_of = land
		doc.save()
		self.assertEqual(frappe.db.get_value("Petition", new, "is_first_time"), 0)

	def test_suggestions_need_read_permission_on_petitions(self):
		frappe.set_user("Guest")
		try:
			with self.assertRaises(frappe.PermissionError):
				suggest_repeats([self.world.petitioners["a1"]], subject=self.LAND)
		finally:
			frappe.set_user("Administrator")


class TestWorkflowInstall(FrappeTestCase):
	def test_administrator_edits_survive_migrate_and_app_update(self):
		workflow = frappe.get_doc("Workflow", "Petition Workflow")
		accept = next(
			t
			for t in workflow.transitions
			if t.action == "Accept" and t.allowed == "Xinfang Township Officer"
		)
		accept.allowed = "Xinfang Leader"
		workflow.append(
			"transitions",
			{
				"state": "Not Accepted",
				"action": "Return to Registration",
				"next_state": "Registration",
				"allowed": "Xinfang County Officer",
			},
		)
		next(s for s in workflow.states if s.state == "Registration").allow_edit = "Xinfang Manager"
		workflow.save()
		frappe.rename_doc("Workflow State", "Handling", "Handling Now", force=True)

		install.after_migrate()
		petition_workflow = next(d for d in install.shipped_workflows() if d["name"] == "Petition Workflow")
		with patch.object(install, "shipped_workflows", return_value=[dict(petition_workflow, is_active=0)]):
			install.install_workflows()  # an app update shipping a changed definition

		workflow = frappe.get_doc("Workflow", "Petition Workflow")
		self.assertTrue(workflow.is_active)
		self.assertTrue(
			any(t.action == "Accept" and t.allowed == "Xinfang Leader" for t in workflow.transitions)
		)
		self.assertTrue(
			any(t.state == "Not Accepted" and t.next_state == "Registration" for t in workflow.transitions)
		)
		self.assertEqual(
			next(s for s in workflow.states if s.state == "Registration").allow_edit, "Xinfang Manager"
		)
		self.assertTrue(any(s.state == "Handling Now" for s in workflow.states))
		self.assertFalse(frappe.db.exists("Workflow State", "Handling"))


class TestLightsAndEscalation(LifecycleCase):
	def test_overdue_petition_turns_red_and_is_supervised_once(self):
		name = self.overdue_pending()
		lifecycle.run_scheduled()
		lifecycle.run_scheduled()
		self.committed()
		self.assertEqual(frappe.db.get_value("Petition", name, "light"), "Red")
		self.assertEqual(frappe.db.count("Supervision Notice", {"petition": name, "is_automatic": 1}), 1)
		# the red-light Notification reaches the county officer, once
		self.assertEqual(
			frappe.db.count("Notification Log", {"document_name": name, "for_user": email("county")}), 1
		)

	def test_the_job_runs_a_fixed_number_of_queries_whatever_the_number_of_petitions(self):
		def count_queries(extra_petitions):
			# each extra petition turns red, is owed a notice and escalates a tier: every step has work
			for _ in range(extra_petitions):
				name = self.overdue_pending(days_ago=40, handling_level="Village")
				frappe.db.set_value(
					"Petition", name, {"light": "Green", "tier_started_on": add_days(today(), -20)}
				)
			frappe.db.sql("update `tabPetition` set light = 'Green' where light = 'Red'")  # all change again
			calls = []
			real_sql = frappe.db.sql
			with patch.object(
				frappe.db, "sql", side_effect=lambda *a, **k: calls.append(a[0]) or real_sql(*a, **k)
			):
				lifecycle.run_scheduled()
			frappe.db.after_commit.reset()  # nobody is told in this test
			changed = frappe.db.count("Petition", {"light": "Red"})
			return len(calls), changed

		count_queries(1)  # the settings and calendar are cached from here on
		few, red_few = count_queries(1)
		many, red_many = count_queries(6)
		self.assertGreater(red_many, red_few)
		self.assertEqual(few, many)
		self.assertLessEqual(many, 20)
		self.assertEqual(
			frappe.db.count("Supervision Notice", {"is_automatic": 1}),
			len(set(frappe.get_all("Supervision Notice", {"is_automatic": 1}, pluck="auto_key"))),
		)

	def test_village_tier_escalates_to_township_with_timeline_and_notification(self):
		name = self.pending(handling_level="Village")
		frappe.db.set_value("Petition", name, "tier_started_on", add_days(today(), -10))
		lifecycle.run_scheduled()
		self.assertFalse(  # told once the job commits, not before
			frappe.db.exists("Notification Log", {"document_name": name, "for_user": email("township_a")})
		)
		self.committed()
		self.assertEqual(frappe.db.get_value("Petition", name, "handling_level"), "Township")
		self.assertTrue(
			frappe.db.exists("Comment", {"reference_name": name, "content": ("like", "%三级限时化解%")})
		)
		self.assertTrue(
			frappe.db.exists("Notification Log", {"document_name": name, "for_user": email("township_a")})
		)
		self.assertFalse(
			frappe.db.exists("Notification Log", {"document_name": name, "for_user": email("township_b")})
		)


class TestConcurrentJob(LifecycleCase):
	"""Two workers running the job at the same moment still raise one notice (committed data, own connections)."""

	def test_two_workers_at_once_raise_one_notice(self):
		name = self.overdue_pending(days_ago=50)
		frappe.db.commit()
		site, errors = frappe.local.site, []
		barrier = threading.Barrier(2)

		def worker():
			try:
				frappe.init(site=site)
				frappe.connect()
				frappe.set_user("Administrator")
				barrier.wait()
				lifecycle.run_scheduled()
				frappe.db.commit()
			except Exception as error:
				errors.append(repr(error))
			finally:
				frappe.destroy()

		threads = [threading.Thread(target=worker) for _ in range(2)]
		try:
			for thread in threads:
				thread.start()
			for thread in threads:
				thread.join(120)
			# read what the workers committed in a fresh transaction: this connection's own may have begun
			# (and taken its snapshot) after its commit, e.g. with the next-step notification written then
			frappe.db.rollback()
			self.assertEqual(errors, [])
			self.assertEqual(frappe.db.count("Supervision Notice", {"petition": name, "is_automatic": 1}), 1)
		finally:
			frappe.db.delete("Supervision Notice", {"petition": name})
			frappe.delete_doc("Petition", name, force=True, ignore_permissions=True)
			frappe.db.commit()
