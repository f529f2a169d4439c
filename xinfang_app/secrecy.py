"""The reporter of an accusation stays secret: the Frappe side of domain/secrecy.py (docs/DESIGN.md §6).

- The Petition controller masks its party rows in `apply_fieldlevel_read_permissions` (form load, client.get,
  REST v1 and v2), in `as_dict` (what a save, a workflow action or an update returns) and in `before_print`.
- Petition Party rows read on their own (client.get of a row) are masked by their controller; lists of
  Petition Party rows are narrowed by `party_condition`, which the child-table permission hook ANDs in.
- Petitioner records are not opened through an accusation (permissions.petitioner_query and
  petitioner_has_permission use `accusation_exclusion`).
- The form's version history and link titles are masked by the wrappers of SECRECY_METHODS.
- Every read of a reporter's identity or of a full ID number is written to the Sensitive Read Log.
"""

from __future__ import annotations

import json
import re
import sys

import frappe
from frappe.model.document import Document
from frappe.utils import add_to_date, now_datetime

from xinfang_app.domain import secrecy as rules
from xinfang_app.language import translate_docinfo_versions

LOG = "Sensitive Read Log"


def may_see_reporter(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return rules.may_see_reporter(frappe.get_roles(user), user)


def hides_reporter(petition_class: str | None, user: str | None = None) -> bool:
	return rules.is_accusation(petition_class) and not may_see_reporter(user)


def party_condition(user: str | None = None, table: str = "`tabPetition Party`") -> str:
	"""SQL condition on Petition Party rows for `user`: "" (no restriction) for those who may see reporters,
	else the rows of accusations are left out. AND it into the Petition Party permission query:
	`" and ".join(part for part in (scope_condition, party_condition(user)) if part)`."""
	if may_see_reporter(user):
		return ""
	return (
		f"({table}.`parenttype` != 'Petition' or {table}.`parent` not in"
		" (select `acc`.`name` from `tabPetition` `acc`"
		f" where `acc`.`petition_class` = {frappe.db.escape(rules.ACCUSATION)}))"
	)


def accusation_exclusion(user: str | None = None, alias: str = "`pet`") -> str:
	""" " and <petition is no accusation>" for users who may not see reporters, else "": appended to the
	conditions that open a Petitioner through the petitions they are a party to."""
	if may_see_reporter(user):
		return ""
	return f" and ifnull({alias}.`petition_class`, '') != {frappe.db.escape(rules.ACCUSATION)}"


# ---- masking -------------------------------------------------------------------------------------


def mask_party(row) -> None:
	for fieldname, value in rules.PARTY_IDENTITY.items():
		row.set(fieldname, value)


def guard_petition(doc, channel: str) -> None:
	"""Mask the parties of an accusation for a user who may not see the reporter; log the read otherwise."""
	if not rules.is_accusation(doc.get("petition_class")):
		return
	if hides_reporter(doc.petition_class):
		for row in doc.get(rules.PARTY_TABLE) or []:
			mask_party(row)
	elif doc.get(rules.PARTY_TABLE):
		log_read("Petition", doc.name, rules.READ_REPORTER, channel)


def guard_print(doc) -> None:
	"""Before a notice is rendered: for a user who may not see the reporter it is addressed to 「举报人」."""
	if not rules.is_accusation(doc.get("petition_class")):
		return
	if hides_reporter(doc.petition_class):
		role = (doc.get(rules.PARTY_TABLE) or [frappe._dict()])[0].get("party_role")
		doc.set(rules.PARTY_TABLE, [])
		doc.append(rules.PARTY_TABLE, {**rules.PARTY_IDENTITY, "party_role": role})
	elif doc.get(rules.PARTY_TABLE):
		log_read("Petition", doc.name, rules.READ_REPORTER, current_channel("print"))


def xinfang_notice_petition(name: str):
	"""Jinja: the petition a Petition Review notice speaks of, its reporter hidden as in the petition's own notices."""
	doc = frappe.get_doc("Petition", name)
	guard_print(doc)
	return doc


# ---- Petition queries that join the party table ---------------------------------------------------------

REST_LIST = re.compile(r"^/api/(?:v1/|v2/document/|)(?:resource/)?(?P<doctype>[^/]+)/?$")


def request_doctype(form) -> str | None:
	"""The doctype a request queries: its `doctype` argument, or the REST list route's (/api/resource/<doctype>)."""
	if form.get("doctype"):
		return form.get("doctype")
	request = getattr(frappe.local, "request", None)
	path = getattr(request, "path", None) or ""
	if path.startswith(("/api/resource/", "/api/v1/resource/", "/api/v2/document/")):
		match = REST_LIST.match(path)
		return match and match.group("doctype")
	return None


def guard_party_queries() -> None:
	"""before_request: a Petition query that names the party table leaves accusations out for those who may
	not see reporters (list, Report View columns, filters, group by, export, get_value, REST lists)."""
	form = getattr(frappe.local, "form_dict", None)
	if not form or request_doctype(form) != "Petition" or not rules.mentions_parties(form):
		return
	if may_see_reporter():
		return
	raw = form.get("filters")
	filters = raw
	if isinstance(raw, str) and raw.strip():
		try:
			filters = json.loads(raw)
		except ValueError:
			filters = raw  # a document name
	narrowed = rules.without_accusations(filters)
	form["filters"] = json.dumps(narrowed, ensure_ascii=False) if isinstance(raw, str) else narrowed


# ---- the read log --------------------------------------------------------------------------------


def caller(depth: int = 2) -> str:
	"""module.function of the code `depth` frames up (the Frappe endpoint that asked for a read)."""
	frame = sys._getframe(depth)
	return f"{frame.f_globals.get('__name__', '?')}.{frame.f_code.co_name}"


class FullIdRecord(Document):
	"""The controller base of a record that carries full ID numbers, its own (Petitioner) or its parties'
	(Dispute Party rows of a mediation case or a ledger entry). A full number leaves only on the record
	(lists and exports carry the masked one: domain/secrecy.RECORD_ONLY_FIELDS), and each time it leaves
	for a reader — the form, a client or REST read, a print — the read is logged."""

	def apply_fieldlevel_read_permissions(self):
		super().apply_fieldlevel_read_permissions()
		log_full_id_reads(self, current_channel(caller(2)))

	def before_print(self, settings=None):
		log_full_id_reads(self, current_channel("print"))


def log_full_id_reads(doc, channel: str) -> None:
	readable = set(doc.get_permlevel_access("read"))
	for doctype, fieldname in rules.RECORD_ONLY_FIELDS:
		if doc.doctype == doctype:
			holders = [doc]
		else:
			tables = [df.fieldname for df in doc.meta.get_table_fields() if df.options == doctype]
			holders = [row for table in tables for row in doc.get(table) or []]
		level = frappe.get_meta(doctype).get_field(fieldname).permlevel
		if level in readable and any(row.get(fieldname) for row in holders):
			log_read(doc.doctype, doc.name, rules.READ_ID_NUMBER, channel)
			return


def current_channel(default: str) -> str:
	"""The request's method (`/api/method/<cmd>`, cmd) or path (`/api/resource/…`, `/printview`), else `default`."""
	request = getattr(frappe.local, "request", None)
	path = getattr(request, "path", None) or ""
	if "/method/" in path and path.startswith("/api/"):
		return path.split("/method/", 1)[1]
	if path:
		return path
	return (getattr(frappe.local, "form_dict", None) or {}).get("cmd") or default


def log_read(doctype: str, name: str, kind: str, channel: str) -> None:
	"""Write who read what of which record through which channel, in the request's own transaction.

	A GET request is rolled back by Frappe unless `frappe.local.flags.commit` is set, as Frappe itself does for
	its View Log; an identical read by the same user within rules.DEDUPE_SECONDS is logged once."""
	user = frappe.session.user
	if not user or user == "Guest" or not name:
		return
	channel = (channel or "")[:140]
	values = {
		"user": user,
		"reference_doctype": doctype,
		"reference_name": name,
		"read_kind": kind,
		"channel": channel,
	}
	recent = add_to_date(now_datetime(), seconds=-rules.DEDUPE_SECONDS)
	if frappe.db.exists(LOG, {**values, "read_at": (">", recent)}):
		return
	log = frappe.get_doc({"doctype": LOG, **values, "read_at": now_datetime()})
	if frappe.flags.read_only:
		log.deferred_insert()
		return
	log.insert(ignore_permissions=True)
	frappe.local.flags.commit = True


# ---- wrapped Frappe endpoints (domain/secrecy.SECRECY_METHODS) ----------------------------------------


def mask_docinfo() -> None:
	"""The form's timeline: the version history of an accusation, masked for those who may not see the reporter."""
	docinfo = frappe.response.get("docinfo")
	if not docinfo or docinfo.get("doctype") != "Petition" or not docinfo.get("versions"):
		return
	petition_class = frappe.db.get_value("Petition", docinfo.get("name"), "petition_class")
	if not rules.is_accusation(petition_class):
		return
	table = f'"{rules.PARTY_TABLE}"'
	if not hides_reporter(petition_class):
		if any(table in (version.get("data") or "") for version in docinfo.versions):
			log_read("Petition", docinfo.get("name"), rules.READ_REPORTER, current_channel("docinfo"))
		return
	for version in docinfo.versions:
		data = json.loads(version.get("data") or "{}")
		version["data"] = frappe.as_json(rules.masked_version_data(data), indent=None)


@frappe.whitelist()
def getdoc(doctype: str, name: str, user: str | None = None):
	from frappe.desk.form import load

	load.getdoc(doctype, name, user)
	mask_docinfo()
	translate_docinfo_versions()


@frappe.whitelist()
def get_docinfo(doc: str | None = None, doctype: str | None = None, name: str | None = None):
	from frappe.desk.form import load

	# over HTTP a document comes as doctype and name; `doc` is Frappe's in-process argument (a Document)
	doc = doc if isinstance(doc, Document) else None
	if not doc and not (isinstance(doctype, str) and isinstance(name, str) and doctype and name):
		from xinfang_app.query_guard import refuse

		refuse("请指明单据类型和单据编号")
	load.get_docinfo(doc, doctype, name)
	mask_docinfo()
	translate_docinfo_versions()


@frappe.whitelist()
def savedocs(doc: str, action: str):
	from frappe.desk.form import save

	save.savedocs(doc, action)
	mask_docinfo()
	translate_docinfo_versions()


@frappe.whitelist()
def get_html_and_style(
	doc: str,
	name: str | None = None,
	print_format: str | None = None,
	no_letterhead: bool | None = None,
	letterhead: str | None = None,
	trigger_print: bool = False,
	style: str | None = None,
	settings: str | None = None,
):
	"""Frappe's print preview; the link titles it sends beside the HTML name no reporter either."""
	from frappe.www import printview

	result = printview.get_html_and_style(
		doc, name, print_format, no_letterhead, letterhead, trigger_print, style, settings
	)
	titles = frappe.response.get("_link_titles")
	if titles and doc == "Petition" and isinstance(name, str):
		if hides_reporter(frappe.db.get_value("Petition", name, "petition_class")):
			for key in [key for key in titles if key.startswith("Petitioner::")]:
				del titles[key]
	return result
