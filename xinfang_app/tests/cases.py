"""Base test cases of the integration tier."""

from __future__ import annotations

import os
import unittest

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from xinfang_app.tests.factories import build_world, email, make_petition

UNIT = "测试甲镇人民政府"
VILLAGE = "测试甲一村"


def not_run(what: str, reason) -> Exception:
	"""What to raise when a class cannot run here (no browser, no replica): a skip with the reason — except
	under CI=true, where the integration tier never skips: a failure."""
	if os.environ.get("CI") == "true":
		return AssertionError(f"{what} cannot run under CI: {reason}")
	return unittest.SkipTest(f"{what} not run: {reason}")


class WorldCase(FrappeTestCase):
	"""The test county of factories.build_world; each test ends back as Administrator."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.world = build_world()

	def tearDown(self):
		frappe.set_user("Administrator")


class LifecycleCase(WorldCase):
	"""Petitions of the test county walked down the workflow by the users who hold each step."""

	def setUp(self):
		# notifications are queued on commit (frappe.db.after_commit); a test that checks them runs the
		# callbacks of its own steps, not those left by earlier tests' transactions
		frappe.db.after_commit.reset()
		self.addCleanup(frappe.db.after_commit.reset)

	def committed(self):
		"""What the commit of the steps so far would do: run their after-commit callbacks."""
		frappe.db.after_commit.run()

	def act(self, user_key, name, action, **values):
		frappe.set_user(email(user_key))
		doc = frappe.get_doc("Petition", name)
		if values:
			doc.update(values)
			doc.save()
		return apply_workflow(doc, action)

	def registered(self, **extra):
		petitioner = self.world.petitioners["a1"]
		frappe.set_user(email("village_a1"))
		name = make_petition(VILLAGE, petitioner, ignore_permissions=False, **extra)
		frappe.set_user("Administrator")
		return name

	def pending(self, **extra):
		name = self.registered(**extra)
		self.act("village_a1", name, "Submit for Acceptance")
		return name

	def in_handling(self):
		name = self.pending()
		self.to_handling(name)
		return name

	def to_handling(self, name):
		"""Accepted, assigned to the township government and signed for, by those who hold each step."""
		self.act("township_a", name, "Accept")
		self.act("township_a", name, "Assign", responsible_unit=UNIT)
		self.act("handler_township_a", name, "Sign For")

	def replied(self, replied_on=None):
		name = self.in_handling()
		self.act(
			"handler_township_a",
			name,
			"Issue Reply",
			reply_text="经核查，已按政策重新评定。",
			replied_on=replied_on or today(),
		)
		return name

	def walk_to_reply(self, name):
		"""A registered petition through the desk's steps to the written reply, committed (for requests that
		read through their own connection)."""
		self.act("village_a1", name, "Submit for Acceptance")
		self.to_handling(name)
		self.act(
			"handler_township_a",
			name,
			"Issue Reply",
			reply_text="经核查，已列入修复计划。",
			replied_on=today(),
		)
		frappe.set_user("Administrator")
		frappe.db.commit()

	def state(self, name):
		return frappe.db.get_value("Petition", name, "workflow_state")

	def overdue_pending(self, days_ago=40, **extra):
		return self.pending(received_on=add_days(today(), -days_ago), **extra)
