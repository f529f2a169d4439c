"""The reporter of an accusation stays secret (docs/DESIGN.md §2.4 and §6; issue 10, item 5).

For a 检举控告 petition the reporter's identity — the petition's party rows (petitioner link, name, masked
ID number), the Petitioner records reached through it, the names printed in its notices and in its version
history — is readable only by county officers, supervisors, managers and the Administrator. Everyone else
sees the rows masked: the party role stays, the person becomes 「举报人」.

Every read of a reporter's identity or of a full ID number is written to the Sensitive Read Log.

Pure: no frappe import.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from xinfang_app.domain import access

ACCUSATION = "检举控告"
REPORTER_LABEL = "举报人"

# Who may read an accusation's reporter (the Administrator user is allowed by name, not by role).
REPORTER_ROLES = frozenset({access.COUNTY_OFFICER, access.SUPERVISOR, access.MANAGER})
ADMINISTRATOR = "Administrator"

# What the read log records (Sensitive Read Log.read_kind).
READ_REPORTER = "举报人身份"
READ_ID_NUMBER = "完整身份证号"
READ_KINDS = (READ_REPORTER, READ_ID_NUMBER)

# A full ID number is shown on its record only (the form, a print, a REST read of the record), where each
# read is logged; lists, reports, searches, group-bys and exports carry the masked number instead. Filtering
# by a full number stays possible: it answers with records, not with numbers.
RECORD_ONLY_FIELDS = frozenset({("Petitioner", "id_number"), ("Dispute Party", "id_number")})
RECORD_ONLY_DOCTYPES = frozenset(doctype for doctype, _field in RECORD_ONLY_FIELDS)
RECORD_ONLY_MESSAGE = "完整身份证号只在记录中查看（每次查看都留痕）；列表、报表、搜索与导出请使用脱敏号码"


def record_only(doctype: str | None, fieldname: str | None) -> bool:
	return (doctype, fieldname) in RECORD_ONLY_FIELDS


def exported_record_only_fields(columns: dict[str, list]) -> list[str]:
	"""The record-only fields among export columns given as {doctype: [fieldname, …]}."""
	return [
		f"{doctype}.{fieldname}"
		for doctype, fieldnames in columns.items()
		for fieldname in fieldnames or ()
		if record_only(doctype, fieldname)
	]


# A repeated identical read (same user, record, kind and channel) within this many seconds is logged once.
DEDUPE_SECONDS = 60

# The party-row fields that identify the reporter, and what a masked row holds instead.
PARTY_TABLE = "petitioners"
PARTY_DOCTYPE = "Petition Party"
PARTY_IDENTITY = {"petitioner": None, "full_name": REPORTER_LABEL, "id_number_masked": None}


def is_accusation(petition_class: str | None) -> bool:
	return (petition_class or "").strip() == ACCUSATION


def may_see_reporter(roles: Iterable[str], user: str | None = None) -> bool:
	"""True for the Administrator and for holders of a county officer, supervisor or manager role."""
	if user == ADMINISTRATOR:
		return True
	return bool(REPORTER_ROLES.intersection(roles or ()))


def hides_reporter(petition_class: str | None, roles: Iterable[str], user: str | None = None) -> bool:
	"""True when this user must not see the reporter of a petition of this class."""
	return is_accusation(petition_class) and not may_see_reporter(roles, user)


def masked_party(row: Mapping) -> dict:
	"""A party row as a user who may not see the reporter receives it: role kept, identity replaced."""
	return {**dict(row), **PARTY_IDENTITY}


def masked_version_data(data: Mapping, table: str = PARTY_TABLE) -> dict:
	"""A Version's `data` (Frappe's diff) with the party rows' identity masked.

	Frappe records `added`/`removed` as [table, row dict] and `row_changed` as
	[table, idx, row name, [[field, old, new], ...]]; `changed` holds the parent's own fields."""
	out = dict(data)
	for key in ("added", "removed"):
		if out.get(key):
			out[key] = [
				[entry[0], masked_party(entry[1])]
				if len(entry) > 1 and entry[0] == table and isinstance(entry[1], Mapping)
				else entry
				for entry in out[key]
			]
	if out.get("row_changed"):
		rows = []
		for entry in out["row_changed"]:
			if len(entry) > 3 and entry[0] == table:
				changes = [
					[change[0], PARTY_IDENTITY[change[0]], PARTY_IDENTITY[change[0]]]
					if change and change[0] in PARTY_IDENTITY
					else change
					for change in entry[3]
				]
				entry = [*entry[:3], changes]
			rows.append(entry)
		out["row_changed"] = rows
	return out


# A Petition query that joins its party rows (a Report View column, a filter, a group or an order on a
# Petition Party field) would show or test an accusation's reporter: Frappe applies no row condition to
# a joined child table. For those who may not see reporters such a query leaves accusations out.
PARTY_MARKERS = (PARTY_DOCTYPE, PARTY_TABLE)
QUERY_KEYS = (
	"fields",
	"filters",
	"or_filters",
	"group_by",
	"order_by",
	"fieldname",
	"field",
	"columns",
	"stats",
	"aggregate_on_field",
)
NO_ACCUSATION = ["Petition", "petition_class", "!=", ACCUSATION]


def mentions_parties(query: Mapping) -> bool:
	"""True when any query part of a request (fields, filters, group, order…) names the party table."""
	for key in QUERY_KEYS:
		value = query.get(key)
		if value in (None, "", [], {}):
			continue
		text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
		if any(marker in text for marker in PARTY_MARKERS):
			return True
	return False


def without_accusations(filters) -> list | dict:
	"""Frappe filters (None, a dict, a list of conditions, one flat condition, or a document name) that
	also leave accusations out."""
	if filters in (None, "", [], {}):
		return [NO_ACCUSATION]
	if isinstance(filters, str):
		return [["Petition", "name", "=", filters], NO_ACCUSATION]
	if isinstance(filters, Mapping):
		if "petition_class" not in filters:
			return {**filters, "petition_class": ["!=", ACCUSATION]}
		conditions = []
		for field, value in filters.items():
			if isinstance(value, list | tuple) and len(value) == 2 and isinstance(value[0], str):
				conditions.append([field, value[0], value[1]])
			else:
				conditions.append([field, "=", value])
		return [*conditions, NO_ACCUSATION]
	filters = list(filters)
	if not isinstance(filters[0], list | tuple | Mapping):
		return [filters, NO_ACCUSATION]  # one flat condition
	return [*filters, NO_ACCUSATION]


# Frappe methods wrapped so that what they return beside the document itself (version history, link
# titles) hides the reporter too; hooks.py adds them to override_whitelisted_methods.
SECRECY_METHODS = {
	"frappe.desk.form.load.getdoc": "xinfang_app.secrecy.getdoc",
	"frappe.desk.form.load.get_docinfo": "xinfang_app.secrecy.get_docinfo",
	"frappe.desk.form.save.savedocs": "xinfang_app.secrecy.savedocs",
	"frappe.www.printview.get_html_and_style": "xinfang_app.secrecy.get_html_and_style",
}
