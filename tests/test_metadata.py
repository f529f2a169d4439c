"""Metadata checks over the shipped JSON, and proof that each check catches what it is for."""

import copy
import json
import re

import metadata_checks as mc
import pytest

from xinfang_app.domain.access import CHILD_TABLES, FRAPPE_ROLES, ROLES

DECLARED_ROLES = set(ROLES) | set(FRAPPE_ROLES)
DOCTYPES, LOAD_PROBLEMS = mc.load_doctypes()
TRANSLATIONS = mc.load_translations()

FIXED_NAMES = {
	"Administrative Division": ["division_name", "division_level", "division_code"],
	"Government Unit": ["unit_name", "unit_type", "division"],
	"Petition Category": [],
	"Petitioner": ["full_name", "id_number", "phone", "address", "division"],
	"Xinfang Settings": [],
	"Petition Party": ["petitioner", "party_role"],
	"Petition Demand": ["demand", "category"],
	"Petition": [
		"channel",
		"received_on",
		"petitioners",
		"headcount",
		"subject",
		"content",
		"demands",
		"petition_class",
		"category",
		"division",
		"responsible_unit",
		"handling_level",
		"is_first_time",
		"repeat_of",
		"agent",
		"lead_leader",
		"acceptance_due",
		"handling_due",
		"extended_due",
		"replied_on",
		"light",
		"satisfaction",
		"is_final",
		"workflow_state",
		"accused_unit",
		"accused_person",
	],
	"Dispute Party": ["party_name", "party_role", "id_number", "phone", "address"],
	"Dispute Ledger Entry": [
		"division",
		"township",
		"reported_by",
		"found_on",
		"screening_week",
		"dispute_type",
		"parties",
		"summary",
		"tier",
		"responsible_unit",
		"resolution_path",
		"petition",
		"mediation_case",
		"status",
		"resolved_on",
		"observation_until",
		"remarks",
		"closed_on",
	],
	"Field Visit": ["division", "visited_on", "visited_by", "household_type", "findings"],
	"Mediation Committee": ["committee_name", "committee_type", "division"],
	"Mediator": ["full_name", "user", "committee", "division", "specialties", "phone", "active"],
	"Mediation Case": [
		"ledger_entry",
		"petition",
		"parties",
		"dispute_type",
		"mediators",
		"committee",
		"division",
		"sessions",
		"result",
		"agreement_text",
		"agreement_date",
		"performance",
		"referral",
	],
	"Joint Meeting": ["meeting_date", "level", "convenor", "division", "attending_units", "agenda"],
}


def sample_doctype():
	return copy.deepcopy(DOCTYPES["Petition"])


def test_every_doctype_json_loads():
	assert not LOAD_PROBLEMS
	assert set(FIXED_NAMES) <= set(DOCTYPES)


@pytest.mark.parametrize("name", sorted(FIXED_NAMES))
def test_doctype_has_the_fixed_fieldnames(name):
	fieldnames = {f["fieldname"] for f in DOCTYPES[name]["fields"]}
	assert set(FIXED_NAMES[name]) <= fieldnames


@pytest.mark.parametrize("path", mc.doctype_files(), ids=lambda p: p.parent.name)
def test_doctype_structure(path):
	data = json.loads(path.read_text(encoding="utf-8"))
	assert mc.check_doctype_structure(data["name"], data, folder=path.parent.name) == []


def test_every_link_points_at_an_existing_doctype():
	assert mc.check_links(DOCTYPES) == []


def test_every_permission_role_is_declared():
	assert mc.check_roles(DOCTYPES, DECLARED_ROLES) == []


def test_every_label_option_and_doctype_name_is_translated():
	problems = []
	for name, data in DOCTYPES.items():
		problems += mc.check_translated(mc.doctype_strings(name, data), TRANSLATIONS, name)
	assert problems == []


def test_every_shipped_workflow_is_translated_and_uses_declared_roles():
	problems = []
	for path in sorted((mc.APP / "workflows").glob("*.json")):
		data, errors = mc.load_json(path)
		problems += errors
		if data:
			problems += mc.check_translated(mc.workflow_strings(data), TRANSLATIONS, path.name)
			problems += mc.check_workflow_roles(data, DECLARED_ROLES)
	assert problems == []


def test_petition_confidential_fields_sit_above_permlevel_zero():
	fields = {f["fieldname"]: f for f in DOCTYPES["Petition"]["fields"]}
	assert fields["accused_unit"]["permlevel"] >= 1
	assert fields["accused_person"]["permlevel"] >= 1
	petitioner = {f["fieldname"]: f for f in DOCTYPES["Petitioner"]["fields"]}
	assert petitioner["id_number"]["permlevel"] >= 1
	readers = {
		p["role"] for p in DOCTYPES["Petitioner"]["permissions"] if p.get("permlevel") == 1 and p.get("read")
	}
	assert readers == {"System Manager", "Xinfang Manager", "Xinfang County Officer", "Xinfang Supervisor"}


def test_no_ordinary_role_may_delete_petitions():
	deleters = {p["role"] for p in DOCTYPES["Petition"]["permissions"] if p.get("delete")}
	assert deleters <= {"System Manager", "Xinfang Manager"}


@pytest.mark.parametrize("name", ["Dispute Ledger Entry", "Mediation Case"])
def test_no_ordinary_role_may_delete_ledger_entries_or_mediation_cases(name):
	deleters = {p["role"] for p in DOCTYPES[name]["permissions"] if p.get("delete")}
	assert deleters <= {"System Manager", "Xinfang Manager"}


def test_full_id_numbers_of_dispute_parties_sit_above_permlevel_zero():
	party = {f["fieldname"]: f for f in DOCTYPES["Dispute Party"]["fields"]}
	assert party["id_number"]["permlevel"] >= 1
	for parent in ("Dispute Ledger Entry", "Mediation Case"):
		readers = {
			p["role"] for p in DOCTYPES[parent]["permissions"] if p.get("permlevel") == 1 and p.get("read")
		}
		assert readers == {
			"System Manager",
			"Xinfang Manager",
			"Xinfang County Officer",
			"Xinfang Supervisor",
		}


def test_ledger_tier_and_status_options_are_those_of_the_pure_core():
	from xinfang_app.domain import ledger

	fields = {f["fieldname"]: f for f in DOCTYPES["Dispute Ledger Entry"]["fields"]}
	assert tuple(fields["tier"]["options"].split("\n")) == ledger.TIERS
	assert tuple(fields["status"]["options"].split("\n")) == ledger.STATUSES


# The checks themselves must fail on broken input.


def test_broken_json_is_reported(tmp_path):
	folder = tmp_path / "doctype" / "broken"
	folder.mkdir(parents=True)
	(folder / "broken.json").write_text('{"name": "Broken", "fields": [', encoding="utf-8")
	_doctypes, problems = mc.load_doctypes(tmp_path)
	assert problems and "not valid JSON" in problems[0]


def test_missing_fieldtype_and_duplicate_fieldname_are_reported():
	data = sample_doctype()
	data["fields"].append({"fieldname": "subject", "fieldtype": "Data"})
	data["fields"].append({"fieldname": "no_type"})
	data["field_order"] = [f["fieldname"] for f in data["fields"]]
	problems = mc.check_doctype_structure("Petition", data)
	assert any("duplicate fieldname 'subject'" in p for p in problems)
	assert any("needs fieldname and fieldtype" in p for p in problems)


def test_link_to_a_missing_doctype_is_reported():
	data = sample_doctype()
	data["fields"].append({"fieldname": "ghost", "fieldtype": "Link", "options": "Ghost Doctype"})
	problems = mc.check_links({**DOCTYPES, "Petition": data})
	assert problems == ["Petition.ghost: links to DocType 'Ghost Doctype', which does not exist"]


def test_undeclared_role_is_reported():
	data = sample_doctype()
	data["permissions"].append({"role": "Xinfang Village Offcer", "read": 1})
	assert mc.check_roles({"Petition": data}, DECLARED_ROLES) == [
		"Petition: permission for undeclared role 'Xinfang Village Offcer'"
	]


def test_untranslated_label_and_workflow_state_are_reported():
	data = sample_doctype()
	data["fields"].append({"fieldname": "x", "fieldtype": "Data", "label": "Untranslated Label Zz"})
	assert mc.check_translated(mc.doctype_strings("Petition", data), TRANSLATIONS, "Petition") == [
		"Petition: 'Untranslated Label Zz' has no Chinese translation in zh.csv"
	]
	workflow = {
		"workflow_name": "Petition Workflow",
		"states": [{"state": "Pending Acceptance Zz", "allow_edit": "Xinfang County Officer"}],
		"transitions": [],
	}
	problems = mc.check_translated(mc.workflow_strings(workflow), TRANSLATIONS, "wf")
	assert any("Pending Acceptance Zz" in p for p in problems)


def test_workflow_with_undeclared_role_is_reported():
	workflow = {
		"states": [{"state": "Draft", "allow_edit": "Nobody Role"}],
		"transitions": [{"state": "Draft", "action": "Submit", "next_state": "Done", "allowed": "Ghost"}],
	}
	assert mc.check_workflow_roles(workflow, DECLARED_ROLES) == [
		"workflow state 'Draft': undeclared role 'Nobody Role'",
		"workflow transition 'Submit': undeclared role 'Ghost'",
	]


def test_every_child_table_follows_its_parents_scope():
	"""access.CHILD_TABLES (which hooks.py gives a permission query) names every child table and each
	doctype it is a table of: a child table missing there would be listed with no scope."""
	doctypes, _ = mc.load_doctypes()
	parents: dict[str, set[str]] = {name: set() for name, data in doctypes.items() if data.get("istable")}
	for name, data in doctypes.items():
		for df in data.get("fields", []):
			if df.get("fieldtype") in ("Table", "Table MultiSelect") and df.get("options") in parents:
				parents[df["options"]].add(name)
	assert {name: set(owners) for name, owners in CHILD_TABLES.items()} == parents


def test_every_child_table_row_answers_its_parent_record():
	"""A row read on its own is checked against its parent record only when its controller is a
	permissions.ChildRow (Frappe checks it against the parent doctype)."""
	for doctype in CHILD_TABLES:
		module = doctype.lower().replace(" ", "_").replace("-", "_")
		source = (mc.MODULE_DIR / "doctype" / module / f"{module}.py").read_text(encoding="utf-8")
		assert re.search(r"^class \w+\(ChildRow\):", source, re.M), doctype


def test_a_copied_phone_keeps_the_petitioners_protection():
	"""start_mediation and the ledger copy a petitioner's phone into Dispute Party rows: the copy sits at the
	same permission level, readable by the same kinds of users (not leaders) in both parents."""
	petitioner = {f["fieldname"]: f for f in DOCTYPES["Petitioner"]["fields"]}
	party = {f["fieldname"]: f for f in DOCTYPES["Dispute Party"]["fields"]}
	level = petitioner["phone"]["permlevel"]
	assert level >= 1 and party["phone"]["permlevel"] == level
	for parent in ("Dispute Ledger Entry", "Mediation Case"):
		readers = {
			p["role"]
			for p in DOCTYPES[parent]["permissions"]
			if p.get("permlevel") == level and p.get("read")
		}
		assert "Xinfang Leader" not in readers
		assert {"Xinfang Village Officer", "Xinfang Township Officer", "Xinfang County Officer"} <= readers


@pytest.mark.parametrize("path", mc.workspace_files(), ids=lambda p: p.parent.name)
def test_every_workspace_block_is_drawn(path):
	data, problems = mc.load_json(path)
	assert not problems
	assert mc.check_workspace_blocks(data) == []


def test_a_block_naming_a_card_by_its_name_instead_of_its_label_is_reported():
	data, _ = mc.load_json(mc.MODULE_DIR / "workspace" / "信访工作台" / "信访工作台.json")
	broken = copy.deepcopy(data)
	# the card 化解率 is labelled 本年办结率 on the workspace; a block must name the label
	broken["content"] = broken["content"].replace(
		'"number_card_name": "本年办结率"', '"number_card_name": "化解率"'
	)
	problems = mc.check_workspace_blocks(broken)
	assert len(problems) == 1 and "'化解率'" in problems[0]
