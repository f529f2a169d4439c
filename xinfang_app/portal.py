"""网上信访: the petitioner's own channel, no account needed (pages www/xinfang/, rules domain/portal.py).

- `submit` files a petition (channel 网上信访, state 登记) and answers with a receipt whose query code is shown
  once: the petition keeps only its SHA-256. `attach` adds up to 5 attachments with the code, while the
  matter is still being registered; each is checked by its content and stored private.
- `query` shows the matter to whoever holds its code and the last 4 characters of a party's ID number (or
  the phone number): plain states, dates, deadlines, the unit's name and the written notices (`notice` PDF).
  A wrong code and a wrong second factor get the same answer; failures are rate-limited per address.
- `rate` records the petitioner's rating as a Follow-up Visit (网上评价) and `request_review` registers the
  复查/复核 — the records the desk makes, with the same rules.
- `sms_on_change` (Petition on_update): acceptance, refusal, extension and reply reach the parties' phones
  through Frappe's SMS Settings, after the commit, from a background job.

Every method here is open to the internet: limits per address (`rate_limit`, sizes in Xinfang Settings),
per ID number, and a honeypot field bound the abuse; a refused request says why in Chinese and writes nothing.
"""

from __future__ import annotations

from contextlib import contextmanager

import frappe
from frappe.rate_limiter import rate_limit
from frappe.utils import add_to_date, cint, get_datetime, get_url, getdate, now_datetime, today

from xinfang_app import intake, lifecycle
from xinfang_app.domain import idcard
from xinfang_app.domain import intake as intake_rules
from xinfang_app.domain import portal as rules
from xinfang_app.domain.errors import DomainError
from xinfang_app.language import in_site_language
from xinfang_app.notices import petition_office
from xinfang_app.xinfang_app.doctype.petition_review.petition_review import request_window

WRONG_CODE = "查询码或身份证号码后四位（手机号码）不正确，请核对后再试"
TOO_MANY_FAILURES = "查询失败次数过多，请一小时后再试"
QUERY_PAGE = "/xinfang/query"
LIMIT_DEFAULTS = {
	"portal_submissions_per_ip": 10,  # a day
	"portal_submissions_per_id": 3,  # a day
	"portal_queries_per_ip": 60,  # an hour
	"portal_failures_per_ip": 10,  # an hour
}


class PortalRefusal(frappe.ValidationError):
	pass


def setting(fieldname: str) -> int:
	return cint(frappe.db.get_single_value("Xinfang Settings", fieldname)) or LIMIT_DEFAULTS[fieldname]


def refuse(message: str, errors: dict | None = None):
	if errors:
		frappe.local.response["errors"] = errors
	frappe.local.flags.disable_traceback = True
	frappe.throw(message, PortalRefusal, title="无法办理")


def count_towards(bucket: str, identity: str, limit: int, seconds: int, message: str):
	"""One more request of `identity` in `bucket`; over `limit` within `seconds`, refused with a 429."""
	key = frappe.cache.make_key(f"xinfang-portal:{bucket}:{identity}")
	count = frappe.cache.incrby(key, 1)
	if count == 1:
		frappe.cache.expire(key, seconds)
	if count > limit:
		frappe.local.flags.disable_traceback = True
		frappe.throw(message, frappe.RateLimitExceededError, title="操作过于频繁")


def over_limit(bucket: str, identity: str, limit: int) -> bool:
	return cint(frappe.cache.get(frappe.cache.make_key(f"xinfang-portal:{bucket}:{identity}"))) >= limit


def check_enabled():
	if cint(frappe.db.get_single_value("Xinfang Settings", "portal_disabled")):
		refuse("网上信访暂停受理，请通过来信、来访或电话反映")


@contextmanager
def as_system():
	"""The steps a petitioner takes here are the desk's workflow steps; the system takes them for them."""
	session, form_dict = frappe.local.session, frappe.local.form_dict
	frappe.set_user("Administrator")
	try:
		yield
	finally:
		frappe.set_user(session.user)  # clears the per-user caches; the request's own session goes back
		frappe.local.session, frappe.local.form_dict = session, form_dict


# ---- the form's lists ---------------------------------------------------------------------------------------


@frappe.whitelist(allow_guest=True, methods=["GET"])
@rate_limit(limit=600, seconds=3600)
def divisions(parent: str | None = None) -> list[dict]:
	"""The divisions under `parent` (the counties when none): county → township → village."""
	if parent and not isinstance(parent, str):
		return []
	filters = {"parent_administrative_division": parent} if parent else {"division_level": "County"}
	return frappe.get_all(
		"Administrative Division",
		filters=filters,
		fields=["name", "division_name", "division_level", "is_group"],
		order_by="lft",
		limit=500,
		ignore_permissions=True,
	)


def categories() -> list[str]:
	return frappe.get_all(
		"Petition Category", filters={"is_group": 0}, pluck="name", order_by="lft", ignore_permissions=True
	)


# ---- submit ------------------------------------------------------------------------------------------------


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=lambda: setting("portal_submissions_per_ip"), seconds=24 * 3600)
def submit(**form) -> dict:
	check_enabled()
	form.pop("cmd", None)
	try:
		checked = rules.check_online(
			form,
			getdate(today()),
			intake.Exists("Administrative Division"),
			intake.Exists("Petition Category", {"is_group": 0}),
		)
	except intake_rules.IntakeError as error:
		refuse("请更正标出的内容后再提交", error.errors)
	count_towards(
		"submit-id",
		checked.parties[0].id_number,
		setting("portal_submissions_per_id"),
		24 * 3600,
		"同一身份证号码今天提交的信访事项已达上限，请明天再提交，或通过查询码补充材料",
	)
	name = intake.make_petition(checked)
	code = issue_code(name)
	values = frappe.db.get_value(
		"Petition", name, ["received_on", "forward_due", "acceptance_due"], as_dict=True
	)
	return {
		"petition": name,
		"query_code": code,
		"received_on": str(values.received_on),
		"forward_due": str(values.forward_due) if values.forward_due else None,
		"acceptance_due": str(values.acceptance_due) if values.acceptance_due else None,
		"query_url": get_url(QUERY_PAGE),
	}


def issue_code(petition: str) -> str:
	"""A new query code for the petition (any earlier one stops working); the code is returned once."""
	code = rules.new_query_code()
	frappe.db.set_value(
		"Petition", petition, "query_code_hash", rules.code_digest(code), update_modified=False
	)
	return code


@frappe.whitelist(methods=["POST"])
def issue_query_code(petition: str) -> str:
	"""The desk's 「生成查询码」: an officer who may edit the petition hands a query code to a petitioner who
	came in person or wrote a letter. The code is shown once; a new one replaces the old."""
	doc = frappe.get_doc("Petition", petition)
	doc.check_permission("write")
	code = issue_code(doc.name)
	with in_site_language():
		doc.add_comment("Info", frappe._("issued a new online query code (the previous one no longer works)"))
	return code


# ---- attach ------------------------------------------------------------------------------------------------

ATTACH_HOURS = 24


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=60, seconds=3600)
def attach(query_code: str | None = None) -> dict:
	"""One attachment (the request's file `file`) for a petition still being registered, at most 5."""
	check_enabled()
	petition = petition_by_code(query_code, None, need_proof=False)
	if not attach_open(
		frappe.db.get_value("Petition", petition, ["workflow_state", "creation"], as_dict=True)
	):
		refuse("该信访事项已进入受理审查，不能再在网上补充附件；如有新材料，请与受理机关联系")
	upload = frappe.request.files.get("file") if frappe.request and frappe.request.files else None
	if not upload:
		refuse("没有收到附件，请重新选择文件")
	content = upload.stream.read(rules.MAX_FILE_BYTES + 1)
	try:
		file_name, _type = rules.check_attachment(upload.filename or "附件", content)
	except rules.PortalError as error:
		refuse(str(error))
	attached = frappe.db.count("File", {"attached_to_doctype": "Petition", "attached_to_name": petition})
	if attached >= rules.MAX_FILES:
		refuse(f"每件信访事项在网上最多上传 {rules.MAX_FILES} 个附件")
	frappe.get_doc(
		{
			"doctype": "File",
			"file_name": file_name,
			"attached_to_doctype": "Petition",
			"attached_to_name": petition,
			"is_private": 1,
			"content": content,
		}
	).insert(ignore_permissions=True)
	return {"file_name": file_name, "attached": attached + 1}


def attach_open(values) -> bool:
	"""Attachments come online while the matter (its workflow_state and creation) is being registered,
	on the day it was submitted."""
	return values.workflow_state == lifecycle.REGISTRATION and get_datetime(values.creation) >= add_to_date(
		now_datetime(), hours=-ATTACH_HOURS
	)


# ---- query ------------------------------------------------------------------------------------------------


def petition_by_code(query_code: str | None, proof: str | None, need_proof: bool = True) -> str:
	"""The petition a code opens, when the second factor matches; one answer for every failure."""
	ip = frappe.local.request_ip or "local"
	limit = setting("portal_failures_per_ip")
	if over_limit("fail", ip, limit):
		count_towards("fail", ip, limit, 3600, TOO_MANY_FAILURES)
	digest = rules.code_digest(query_code) if isinstance(query_code, str) else None
	name = digest and frappe.db.get_value("Petition", {"query_code_hash": digest}, "name")
	if name and need_proof:
		people = parties_of(name)
		if not (
			isinstance(proof, str)
			and rules.proof_matches(proof, [p.id_number for p in people], [p.phone for p in people])
		):
			name = None
	if not name:
		count_towards("fail", ip, limit, 3600, TOO_MANY_FAILURES)
		refuse(WRONG_CODE)
	return name


def parties_of(petition: str) -> list[dict]:
	"""The ID numbers and phones of a petition's parties (the query's second factor, the SMS numbers)."""
	names = frappe.get_all(
		"Petition Party", {"parent": petition, "parenttype": "Petition"}, pluck="petitioner"
	)
	return frappe.get_all(
		"Petitioner", {"name": ("in", names or [""])}, ["id_number", "phone"], ignore_permissions=True
	)


VIEW_FIELDS = [
	"name",
	"creation",
	"workflow_state",
	"subject",
	"received_on",
	"channel",
	"accepted_on",
	"assigned_on",
	"signed_on",
	"replied_on",
	"closed_on",
	"notice_date",
	"forward_due",
	"acceptance_due",
	"handling_due",
	"extended_due",
	"extension_count",
	"responsible_unit",
	"forwarded_to",
	"satisfaction",
]


def petition_values(name: str) -> tuple[dict, list[dict]]:
	p = frappe.db.get_value("Petition", name, VIEW_FIELDS, as_dict=True)
	reviews = frappe.get_all(
		"Petition Review",
		{"petition": name},
		["name", "review_type", "requested_on", "review_due", "decided_on"],
		order_by="requested_on",
		ignore_permissions=True,
	)
	return p, reviews


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=lambda: setting("portal_queries_per_ip"), seconds=3600)
def query(query_code: str | None = None, proof: str | None = None) -> dict:
	name = petition_by_code(query_code, proof)
	p, reviews = petition_values(name)
	on = getdate(today())
	view = rules.petitioner_view(p, reviews, on)
	unit = p.responsible_unit or p.forwarded_to
	review_type = rules.review_to_request(p, reviews)
	review = None
	if review_type:
		closes = request_window(name, review_type)
		review = {"type": review_type, "closes": str(closes), "open": on <= closes}
	view.update(
		{
			"petition": name,
			"subject": p.subject,
			"received_on": str(p.received_on),
			"unit": unit and frappe.db.get_value("Government Unit", unit, "unit_name"),
			"notices": [
				{"title": title, "doctype": doctype, "name": record}
				for title, doctype, record in rules.notices_for(p, reviews)
			],
			"satisfaction": p.satisfaction if p.satisfaction not in (None, "", "未评价") else None,
			"can_rate": rules.rating_open(p),
			"can_attach": attach_open(p),
			"review": review,
		}
	)
	return view


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=lambda: setting("portal_queries_per_ip"), seconds=3600)
def notice(
	query_code: str | None = None,
	proof: str | None = None,
	title: str | None = None,
	doctype: str | None = None,
	name: str | None = None,
):
	"""One written notice of the petition as a PDF (the print format the desk prints)."""
	petition = petition_by_code(query_code, proof)
	p, reviews = petition_values(petition)
	if (title, doctype, name) not in rules.notices_for(p, reviews):
		refuse("没有这份文书")
	with as_system():
		pdf = notice_pdf(doctype, name, title)
	frappe.local.response.filename = f"{title}-{petition}.pdf"
	frappe.local.response.filecontent = pdf
	frappe.local.response.type = "pdf"


def notice_pdf(doctype: str, name: str, print_format: str) -> bytes:
	"""The print format as a self-contained PDF: its HTML and style inline, so that wkhtmltopdf fetches
	nothing over the network (the site's own host name need not resolve on the server)."""
	from frappe.utils.pdf import get_pdf
	from frappe.www.printview import get_html_and_style

	page = get_html_and_style(doc=doctype, name=name, print_format=print_format, no_letterhead=1)
	return get_pdf(
		'<!DOCTYPE html><html><head><meta charset="utf-8">'
		f"<style>{page['style'] or ''}</style></head><body>{page['html']}</body></html>"
	)


# ---- rate and ask for review --------------------------------------------------------------------------------


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=20, seconds=3600)
def rate(
	query_code: str | None = None,
	proof: str | None = None,
	satisfaction: str | None = None,
	next_step: str | None = None,
	opinion: str | None = None,
) -> dict:
	"""The petitioner's own rating: a Follow-up Visit by 网上评价, counted like an officer's."""
	name = petition_by_code(query_code, proof)
	p, _reviews = petition_values(name)
	if not rules.rating_open(p):
		refuse("该信访事项现在不能评价（尚未答复，或已经评价过）")
	if satisfaction not in rules.RATINGS:
		refuse("请选择满意、基本满意或不满意", {"satisfaction": "请选择评价"})
	if satisfaction == "不满意" and next_step not in rules.DISSATISFIED_NEXT:
		refuse("不满意时请选择：要求重新办理，或申请复查", {"next_step": "请选择"})
	if opinion is not None and (not isinstance(opinion, str) or len(opinion) > 1000):
		refuse("意见不超过 1000 字", {"opinion": "意见不超过 1000 字"})
	with as_system():
		visit = frappe.get_doc(
			{
				"doctype": "Follow-up Visit",
				"petition": name,
				"method": "网上评价",
				"visited_on": today(),
				"satisfaction": satisfaction,
				"next_step": next_step if satisfaction == "不满意" else None,
				"notes": (opinion or "").strip() or None,
			}
		).insert(ignore_permissions=True)
	return {"visit": visit.name, "satisfaction": satisfaction}


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=20, seconds=3600)
def request_review(
	query_code: str | None = None, proof: str | None = None, reason: str | None = None
) -> dict:
	"""复查 (then 复核) asked for on the page: the Petition Review the desk would register, to the county's
	petition office (officers may pass it to another unit), inside the statutory window only."""
	name = petition_by_code(query_code, proof)
	p, reviews = petition_values(name)
	review_type = rules.review_to_request(p, reviews)
	if not review_type:
		refuse("该信访事项现在不能申请复查或复核")
	if not reason or not isinstance(reason, str) or not reason.strip() or len(reason) > 2000:
		refuse("请写明申请理由（不超过 2000 字）", {"reason": "请写明申请理由"})
	closes = request_window(name, review_type)
	if getdate(today()) > closes:
		refuse(f"申请{review_type}的期限已于 {closes} 届满")
	office = petition_office()
	if not office:
		refuse("暂时无法在网上受理复查（复核）申请，请向信访部门书面提出")
	try:
		with as_system():
			review = frappe.get_doc(
				{
					"doctype": "Petition Review",
					"petition": name,
					"review_type": review_type,
					"requested_on": today(),
					"reviewing_unit": office,
				}
			).insert(ignore_permissions=True)
			with in_site_language():
				note = frappe._("The petitioner asked online for the {0}. Reason: {1}")
			review.add_comment("Comment", note.format(review_type, reason.strip()))
	except (frappe.ValidationError, DomainError) as error:
		frappe.db.rollback()
		refuse(frappe.utils.strip_html(str(error)) or "申请未能提交")
	return {"review": review.name, "review_type": review_type, "review_due": str(review.review_due)}


# ---- SMS ---------------------------------------------------------------------------------------------------


def sms_on_change(doc, method=None):
	"""Petition on_update: a change the petitioner must hear of is texted to the parties, after the commit."""
	before = doc.get_doc_before_save()
	state = doc.workflow_state
	if not before or before.workflow_state == state or state not in rules.SMS_EVENTS:
		return
	if not frappe.db.get_single_value("SMS Settings", "sms_gateway_url"):
		return
	lifecycle.enqueue_after_commit(send_sms, petition=doc.name, state=state)


def send_sms(petition: str, state: str):
	"""The background job: one message per party's phone through the gateway of Frappe's SMS Settings.
	Each number reached is noted on the petition's timeline (masked), each failure in the Error Log."""
	from frappe.core.doctype.sms_settings.sms_settings import get_headers, send_request

	values = frappe.db.get_value(
		"Petition", petition, ["workflow_state", "handling_due", "extended_due"], as_dict=True
	)
	if not values or values.workflow_state != state:
		return  # it moved on before the job ran: the next change sends its own message
	phones = {person.phone for person in parties_of(petition) if person.phone}
	if not phones:
		return
	due = values.extended_due or values.handling_due
	with in_site_language():
		message = frappe._(rules.SMS_EVENTS[state]).format(
			petition, frappe.utils.formatdate(due) if due else "", get_url(QUERY_PAGE)
		)
	settings = frappe.get_doc("SMS Settings")
	headers = get_headers(settings)
	fixed = {row.parameter: row.value for row in settings.parameters if not row.header}
	reached = []
	for phone in sorted(phones):
		arguments = {**fixed, settings.message_parameter: message, settings.receiver_parameter: phone}
		try:
			send_request(
				settings.sms_gateway_url,
				arguments,
				headers,
				settings.use_post,
				headers.get("Content-Type") == "application/json",
			)
		except Exception:
			with in_site_language():
				title = frappe._("SMS about petition {0} not sent").format(petition)
			frappe.log_error(title, reference_doctype="Petition", reference_name=petition)
		else:
			reached.append(idcard.mask_phone(phone))
	if reached:
		with in_site_language():
			note = frappe._("Texted to {0}: {1}").format("、".join(reached), message)
		frappe.get_doc("Petition", petition).add_comment("Info", note)
