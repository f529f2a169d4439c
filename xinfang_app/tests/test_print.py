"""The seven notices and opinions render for a petition at the step they belong to."""

from __future__ import annotations

import frappe
from frappe.utils import today

from xinfang_app.tests.cases import UNIT, LifecycleCase
from xinfang_app.tests.factories import email, make_id_number

REASON = "所反映事项已经通过仲裁解决，不属于信访事项受理范围"
REPLY = "经调查核实，信访人反映的低保评定问题属实，已按政策重新评定。"


class TestPrintFormats(LifecycleCase):
	def render(self, doctype, name, print_format):
		html = frappe.get_print(doctype, name, print_format=print_format)
		self.assertNotIn(make_id_number(1), html)  # ID numbers are never printed
		return html

	def assertRendered(self, doctype, name, print_format, title, *texts):
		html = self.render(doctype, name, print_format)
		for text in (title, name, *texts):
			self.assertIn(text, html)

	def test_acceptance_notice(self):
		name = self.pending()
		self.act("township_a", name, "Accept")
		# signed by the organ that accepted it (a village matter: the township government), before any assignment
		self.assertRendered("Petition", name, "受理告知书", "信访事项受理告知书", "测试信访人1", UNIT)

	def test_refusal_notice_carries_the_reason(self):
		name = self.pending()
		self.act("township_a", name, "Refuse", not_accepted_reason=REASON, notice_date=today())
		self.assertRendered("Petition", name, "不予受理告知书", "信访事项不予受理告知书", REASON)

	def test_forwarding_notice_names_the_competent_organ(self):
		name = self.pending()
		self.act(
			"township_a",
			name,
			"Forward to Competent Organ",
			forwarded_to="测试县人社局",
			forward_reason="属于劳动争议仲裁事项",
			notice_date=today(),
		)
		self.assertRendered(
			"Petition", name, "转送告知书", "信访事项转送告知书", "测试县人社局", "属于劳动争议仲裁事项"
		)

	def test_extension_notice(self):
		name = self.in_handling()
		self.act(
			"handler_township_a",
			name,
			"Request Extension",
			extension_days=20,
			extension_reason="需会同多部门调查",
		)
		self.act("leader_a", name, "Approve Extension")
		self.assertRendered("Petition", name, "延期告知书", "信访事项延期办理告知书", "需会同多部门调查")

	def test_handling_opinion_carries_the_reply_and_unit(self):
		name = self.in_handling()
		self.act("handler_township_a", name, "Issue Reply", reply_text=REPLY, replied_on=today())
		self.assertRendered("Petition", name, "信访处理意见书", "信访事项处理意见书", REPLY, UNIT)

	def test_handling_opinion_states_the_review_clause_once(self):
		name = self.in_handling()
		reply = REPLY + "如对本处理意见不服，可自收到本意见书之日起30日内申请复查。"
		self.act("handler_township_a", name, "Issue Reply", reply_text=reply, replied_on=today())
		html = self.render("Petition", name, "信访处理意见书")
		self.assertEqual(html.count("复查"), 1)
		other = self.in_handling()
		self.act("handler_township_a", other, "Issue Reply", reply_text=REPLY, replied_on=today())
		self.assertIn("书面请求复查", self.render("Petition", other, "信访处理意见书"))

	def test_the_apps_formats_are_the_default_and_the_standard_one_reads_chinese(self):
		for doctype, print_format in (
			("Petition", "信访处理意见书"),
			("Petition Review", "复查意见书"),
			("Mediation Case", "人民调解协议书"),
		):
			self.assertEqual(frappe.get_meta(doctype).default_print_format, print_format)
		self.assertEqual(frappe._("Sr", lang="zh"), "序号")  # Frappe's Standard format's first column

	def test_review_and_re_review_opinions(self):
		name = self.replied()
		frappe.set_user(email("county"))
		review = self.review(name, "复查", decision="经复查，维持原处理意见。")
		rereview = self.review(name, "复核", decision="经复核，维持复查意见。")
		frappe.set_user("Administrator")
		self.assertRendered(
			"Petition Review", review, "复查意见书", "信访事项复查意见书", "经复查，维持原处理意见。"
		)
		self.assertRendered(
			"Petition Review", rereview, "复核意见书", "信访事项复核意见书", "经复核，维持复查意见。"
		)

	def review(self, petition, review_type, decision):
		return (
			frappe.get_doc(
				{
					"doctype": "Petition Review",
					"petition": petition,
					"review_type": review_type,
					"requested_on": today(),
					"reviewing_unit": "测试县住建局",
					"decision": decision,
					"decided_on": today(),
					"outcome": "维持",
				}
			)
			.insert()
			.name
		)
