"""Services of the dispute ledger and mediation that span doctypes: dispute parties, the same-matter
petition query behind closing (销号), starting mediation from a ledger entry or a petition, and turning
a field-visit finding into a ledger entry or a petition."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import getdate, today

from xinfang_app.domain import idcard
from xinfang_app.domain import ledger as lg
from xinfang_app.domain import secrecy as secrecy_rules
from xinfang_app.language import in_site_language


class DisputeError(frappe.ValidationError):
	pass


# ---- dispute parties ------------------------------------------------------------------------------


def take_party_id_numbers(doc):
	"""Officers below the county cannot read full ID numbers (permlevel 1): they type one into
	new_id_number, which is validated, moved to id_number and shown masked from then on."""
	for row in doc.get("parties") or []:
		if row.new_id_number:
			try:
				row.id_number = idcard.parse(row.new_id_number).value
			except idcard.IdNumberError as error:
				frappe.throw(
					_("Row {0} ({1}): {2}").format(row.idx, row.party_name, error.message_zh),
					DisputeError,
					title=_("Invalid ID Number"),
				)
			row.new_id_number = None
		row.id_number_masked = idcard.mask(row.id_number)


def same_matter_petitions(entry) -> list[lg.LaterPetition]:
	"""Petitions on the same matter as a ledger entry, received on or after it was resolved.

	Same matter: the petition linked to the entry, or a petition in the same township (the same
	division when the entry sits above townships) one of whose petitioners is a party of the entry,
	matched by ID number when the number is known on both sides, else by name."""
	if not entry.resolved_on:
		return []
	params = {"resolved_on": getdate(entry.resolved_on), "linked": entry.petition or ""}
	party_clauses = []
	for index, party in enumerate(entry.get("parties") or []):
		id_key, name_key = f"id{index}", f"name{index}"
		params[name_key] = (party.party_name or "").strip()
		if party.id_number:
			params[id_key] = party.id_number
			party_clauses.append(
				f"(`pr`.`id_number` = %({id_key})s or (ifnull(`pr`.`id_number`, '') = ''"
				f" and `pr`.`full_name` = %({name_key})s))"
			)
		elif params[name_key]:
			party_clauses.append(f"`pr`.`full_name` = %({name_key})s")
	place_clause = "1=0"
	if party_clauses:
		if entry.township:
			params["place"] = entry.township
			place_column = "`pet`.`township`"
		else:
			params["place"] = entry.division
			place_column = "`pet`.`division`"
		place_clause = (
			f"({place_column} = %(place)s and exists (select 1 from `tabPetition Party` `pp`"
			" inner join `tabPetitioner` `pr` on `pr`.`name` = `pp`.`petitioner`"
			" where `pp`.`parenttype` = 'Petition' and `pp`.`parent` = `pet`.`name`"
			f" and ({' or '.join(party_clauses)})))"
		)
	rows = frappe.db.sql(
		"select `pet`.`name`, `pet`.`received_on` from `tabPetition` `pet`"
		" where `pet`.`received_on` >= %(resolved_on)s"
		f" and (`pet`.`name` = %(linked)s or {place_clause})"
		" order by `pet`.`received_on`, `pet`.`name`",
		params,
		as_dict=True,
	)
	return [lg.LaterPetition(row.name, getdate(row.received_on)) for row in rows]


def petition_parties(petition) -> list[dict]:
	"""Dispute Party rows for the petitioners of a petition (full data, read server-side)."""
	parties = []
	for row in petition.petitioners:
		person = frappe.db.get_value(
			"Petitioner", row.petitioner, ["full_name", "id_number", "phone", "address"], as_dict=True
		)
		if person:
			parties.append(
				{
					"party_name": person.full_name,
					"party_role": "申请方",
					"id_number": person.id_number,
					"phone": person.phone,
					"address": person.address,
				}
			)
	return parties


def copy_parties(rows) -> list[dict]:
	fields = ("party_name", "party_role", "id_number", "phone", "address")
	return [{field: row.get(field) for field in fields} for row in rows]


# ---- starting mediation ---------------------------------------------------------------------------

MEDIATION_SOURCES = ("Dispute Ledger Entry", "Petition")


@frappe.whitelist()
def start_mediation(doctype: str, name: str) -> str:
	"""Open a Mediation Case for a ledger entry or a petition, copy its parties and link it back."""
	if doctype not in MEDIATION_SOURCES:
		frappe.throw(_("Mediation starts from a ledger entry or a petition"), DisputeError)
	source = frappe.get_doc(doctype, name)
	source.check_permission("write")
	if doctype == "Petition" and secrecy_rules.is_accusation(source.petition_class):
		# the case's parties and mediators would learn who reported (docs/DESIGN.md §6)
		frappe.throw(_("An accusation is not sent to mediation: its reporter stays secret"), DisputeError)
	if not frappe.has_permission("Mediation Case", "create"):
		frappe.throw(_("Not permitted to open a mediation case"), frappe.PermissionError)
	existing = frappe.db.get_value(
		"Mediation Case", {"ledger_entry" if doctype != "Petition" else "petition": name}, "name"
	)
	if existing:
		frappe.throw(
			_("Mediation case {0} is already open for {1}").format(frappe.bold(existing), name), DisputeError
		)
	case = frappe.new_doc("Mediation Case")
	if doctype == "Petition":
		case.update(
			{
				"petition": source.name,
				"division": source.division,
				"dispute_type": source.category,
				"dispute_facts": source.content,
			}
		)
		parties = petition_parties(source)
	else:
		case.update(
			{
				"ledger_entry": source.name,
				"petition": source.petition,
				"division": source.division,
				"dispute_type": source.dispute_type,
				"dispute_facts": source.summary,
			}
		)
		parties = copy_parties(source.parties)
	for party in parties:
		case.append("parties", party)
	# Full ID numbers are permlevel 1: the user may lack them, the copy must not.
	case.flags.ignore_permissions = True
	case.insert()
	if doctype == "Petition":
		with in_site_language():
			source.add_comment("Info", _("Mediation case {0} opened").format(case.name))
	else:
		source.mediation_case = case.name
		if source.status == lg.UNRESOLVED:
			source.status = lg.RESOLVING
		source.save()
	return case.name


# ---- field visits ---------------------------------------------------------------------------------


def finding_row(visit, row_name: str):
	row = next((row for row in visit.findings if row.name == row_name), None)
	if not row:
		frappe.throw(_("Finding {0} is not part of {1}").format(row_name, visit.name), DisputeError)
	if row.created_record:
		frappe.throw(
			_("This finding already became {0} {1}").format(_(row.created_doctype), row.created_record),
			DisputeError,
		)
	return row


def link_finding(visit, row, doctype: str, name: str):
	row.db_set({"created_doctype": doctype, "created_record": name})
	with in_site_language():
		visit.add_comment("Info", _("Finding {0} became {1} {2}").format(row.idx, _(doctype), name))


@frappe.whitelist()
def finding_to_ledger_entry(visit: str, finding: str, tier: str = "二级") -> str:
	"""转为台账: a Dispute Ledger Entry from one finding of a field visit."""
	doc = frappe.get_doc("Field Visit", visit)
	doc.check_permission("write")
	row = finding_row(doc, finding)
	entry = frappe.get_doc(
		{
			"doctype": "Dispute Ledger Entry",
			"division": doc.division,
			"found_on": doc.visited_on,
			"reported_by": frappe.db.get_value("User", doc.visited_by, "full_name") or doc.visited_by,
			"summary": row.finding,
			"tier": tier,
			"parties": [{"party_name": doc.household_name, "party_role": "申请方"}],
			"remarks": _("From field visit {0} ({1})").format(doc.name, doc.household_type),
		}
	).insert()  # with the user's permissions: the entry must be inside their scope
	link_finding(doc, row, "Dispute Ledger Entry", entry.name)
	return entry.name


@frappe.whitelist()
def finding_to_petition(
	visit: str, finding: str, category: str = "其他", petitioner: str | None = None
) -> str:
	"""转为信访事项: a Petition (channel 走访排查) from one finding of a field visit."""
	doc = frappe.get_doc("Field Visit", visit)
	doc.check_permission("write")
	row = finding_row(doc, finding)
	petitioner = petitioner or doc.petitioner
	if not petitioner:
		frappe.throw(_("Choose the petitioner (信访人) for this finding first"), DisputeError)
	frappe.get_doc("Petitioner", petitioner).check_permission("read")
	petition = frappe.get_doc(
		{
			"doctype": "Petition",
			"channel": "走访排查",
			"received_on": min(getdate(doc.visited_on), getdate(today())),
			"petition_class": "申诉求决",
			"subject": row.finding[:120],
			"content": row.finding,
			"category": category,
			"division": doc.division,
			"petitioners": [{"petitioner": petitioner, "party_role": "本人"}],
		}
	).insert()
	link_finding(doc, row, "Petition", petition.name)
	return petition.name
