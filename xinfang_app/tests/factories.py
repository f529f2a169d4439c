"""Factories for the integration tier: a small county with two townships, units, users and petitions."""

from __future__ import annotations

import frappe

from xinfang_app.domain import access
from xinfang_app.domain.idcard import checksum_char

PREFIX = "测试"
DOMAIN = "test.xinfang.example.cn"

TREE = [
	# name, level, parent
	("测试县", "County", None),
	("测试甲镇", "Township", "测试县"),
	("测试甲一村", "Village", "测试甲镇"),
	("测试甲一村东屯", "Hamlet", "测试甲一村"),
	("测试甲二村", "Village", "测试甲镇"),
	("测试乙乡", "Township", "测试县"),
	("测试乙一村", "Village", "测试乙乡"),
]
UNITS = [
	("测试县住建局", "County Department", "测试县"),
	("测试县人社局", "County Department", "测试县"),
	("测试甲镇人民政府", "Township Government", "测试甲镇"),
]
USERS = {
	# key: (role, division, unit)
	"village_a1": (access.VILLAGE_OFFICER, "测试甲一村", None),
	"village_a2": (access.VILLAGE_OFFICER, "测试甲二村", None),
	"village_b1": (access.VILLAGE_OFFICER, "测试乙一村", None),
	"township_a": (access.TOWNSHIP_OFFICER, "测试甲镇", None),
	"township_b": (access.TOWNSHIP_OFFICER, "测试乙乡", None),
	"county": (access.COUNTY_OFFICER, "测试县", None),
	"leader_a": (access.LEADER, "测试甲镇", None),
	"supervisor": (access.SUPERVISOR, "测试县", None),
	"handler_housing": (access.UNIT_HANDLER, None, "测试县住建局"),
	"handler_township_a": (access.UNIT_HANDLER, None, "测试甲镇人民政府"),
	"no_scope": (access.VILLAGE_OFFICER, None, None),
	"mediator_a": (access.MEDIATOR, None, None),
	"mediator_b": (access.MEDIATOR, None, None),
	"manager": (access.MANAGER, None, None),
}
PETITIONS = {
	# key: (division, responsible_unit)
	"a1": ("测试甲一村", "测试县住建局"),
	"a1_hamlet": ("测试甲一村东屯", None),
	"a2": ("测试甲二村", "测试县人社局"),
	"a_town": ("测试甲镇", "测试甲镇人民政府"),
	"b1": ("测试乙一村", "测试县住建局"),
	"b1_labour": ("测试乙一村", "测试县人社局"),
}


def email(key: str) -> str:
	return f"{key.replace('_', '.')}@{DOMAIN}"


def make_id_number(serial: int) -> str:
	first17 = f"239901198{serial % 10}0101{serial:03d}"[:17]
	return first17 + checksum_char(first17)


def make_division(name, level, parent):
	if not frappe.db.exists("Administrative Division", name):
		frappe.get_doc(
			{
				"doctype": "Administrative Division",
				"division_name": name,
				"division_level": level,
				"parent_administrative_division": parent,
			}
		).insert(ignore_permissions=True)
	return name


def make_unit(name, unit_type, division):
	if not frappe.db.exists("Government Unit", name):
		frappe.get_doc(
			{"doctype": "Government Unit", "unit_name": name, "unit_type": unit_type, "division": division}
		).insert(ignore_permissions=True)
	return name


def make_user(key, role, division=None, unit=None):
	address = email(key)
	if not frappe.db.exists("User", address):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": address,
				"first_name": key,
				"send_welcome_email": 0,
				"language": "zh",
			}
		)
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
		user.add_roles(role)
	for allow, value in (("Administrative Division", division), ("Government Unit", unit)):
		if value and not frappe.db.exists(
			"User Permission", {"user": address, "allow": allow, "for_value": value}
		):
			frappe.get_doc(
				{"doctype": "User Permission", "user": address, "allow": allow, "for_value": value}
			).insert(ignore_permissions=True)
	return address


def make_petitioner(full_name, division, serial, phone="13800138000"):
	existing = frappe.db.get_value("Petitioner", {"id_number": make_id_number(serial)})
	if existing:  # a test that must commit (concurrency) leaves the world behind
		return existing
	doc = frappe.get_doc(
		{
			"doctype": "Petitioner",
			"full_name": full_name,
			"division": division,
			"id_number": make_id_number(serial),
			"phone": phone,
		}
	).insert(ignore_permissions=True)
	return doc.name


def make_petition(division, petitioner, responsible_unit=None, ignore_permissions=True, **extra):
	doc = frappe.get_doc(
		{
			"doctype": "Petition",
			"channel": "来访",
			"received_on": frappe.utils.add_days(frappe.utils.today(), -3),
			"petition_class": "申诉求决",
			"subject": f"{PREFIX}{division}反映问题",
			"content": "反映农村低保评定问题，请求复核。",
			"category": "农村低保",
			"division": division,
			"responsible_unit": responsible_unit,
			"petitioners": [{"petitioner": petitioner, "party_role": "本人"}],
			**extra,
		}
	).insert(ignore_permissions=ignore_permissions)
	return doc.name


def build_world() -> frappe._dict:
	"""Create the whole test county; returns the names of what it made."""
	frappe.set_user("Administrator")
	for row in TREE:
		make_division(*row)
	for row in UNITS:
		make_unit(*row)
	users = {key: make_user(key, *spec) for key, spec in USERS.items()}
	petitioners, petitions = {}, {}
	for serial, (key, (division, unit)) in enumerate(PETITIONS.items(), start=1):
		petitioners[key] = make_petitioner(f"{PREFIX}信访人{serial}", division, serial)
		petitions[key] = frappe.db.get_value(
			"Petition", {"subject": f"{PREFIX}{division}反映问题", "responsible_unit": unit}
		) or make_petition(division, petitioners[key], unit)
	frappe.cache.delete_value("user_permissions")
	return frappe._dict(users=users, petitions=petitions, petitioners=petitioners)


def remove_petitions(filters: dict) -> None:
	"""Delete petitions a test committed, with their visits, reviews and attachments, and each petitioner
	no other petition names."""
	frappe.set_user("Administrator")
	for name in frappe.get_all("Petition", filters, pluck="name"):
		parties = frappe.get_all("Petition Party", {"parent": name}, pluck="petitioner")
		for doctype in ("Follow-up Visit", "Petition Review", "Supervision Notice"):
			for record in frappe.get_all(doctype, {"petition": name}, pluck="name"):
				frappe.delete_doc(doctype, record, force=True, ignore_permissions=True)
		for file in frappe.get_all(
			"File", {"attached_to_doctype": "Petition", "attached_to_name": name}, pluck="name"
		):
			frappe.delete_doc("File", file, force=True, ignore_permissions=True)
		frappe.delete_doc("Petition", name, force=True, ignore_permissions=True)
		for person in parties:
			if not frappe.db.exists("Petition Party", {"petitioner": person}):
				frappe.delete_doc("Petitioner", person, force=True, ignore_permissions=True)
	frappe.db.commit()


# ---- dispute ledger and mediation -----------------------------------------------------------------


def make_ledger_entry(division, parties=(), ignore_permissions=True, **extra):
	"""A ledger entry; `parties` are (name, role, id_number or None)."""
	doc = frappe.get_doc(
		{
			"doctype": "Dispute Ledger Entry",
			"division": division,
			"found_on": frappe.utils.add_days(frappe.utils.today(), -10),
			"reported_by": "测试排查员",
			"summary": f"{PREFIX}{division}宅基地地界纠纷",
			"tier": "二级",
			"parties": [
				{"party_name": name, "party_role": role, "new_id_number": id_number}
				for name, role, id_number in parties
			],
			**extra,
		}
	).insert(ignore_permissions=ignore_permissions)
	return doc.name


def make_committee(
	name=f"{PREFIX}甲镇人民调解委员会", committee_type="乡镇人民调解委员会", division="测试甲镇"
):
	if not frappe.db.exists("Mediation Committee", name):
		frappe.get_doc(
			{
				"doctype": "Mediation Committee",
				"committee_name": name,
				"committee_type": committee_type,
				"division": division,
			}
		).insert(ignore_permissions=True)
	return name


def make_mediator(full_name, user=None, committee=None, division="测试甲镇"):
	# One Mediator per user account: a site that kept an earlier run's mediator reuses it.
	existing = frappe.db.get_value("Mediator", {"user": user} if user else {"full_name": full_name})
	if existing:
		frappe.db.set_value("Mediator", existing, "full_name", full_name)
		return existing
	return (
		frappe.get_doc(
			{
				"doctype": "Mediator",
				"full_name": full_name,
				"user": user,
				"committee": committee or make_committee(),
				"division": division,
				"active": 1,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_mediation_case(
	division, mediators=(), parties=(("测试申请人", "申请方"), ("测试被申请人", "被申请方")), **extra
):
	doc = frappe.get_doc(
		{
			"doctype": "Mediation Case",
			"division": division,
			"committee": make_committee(),
			"dispute_facts": f"{PREFIX}{division}相邻关系纠纷",
			"parties": [{"party_name": name, "party_role": role} for name, role in parties],
			"mediators": [{"mediator": mediator} for mediator in mediators],
			**extra,
		}
	).insert(ignore_permissions=True)
	return doc.name


def make_dated_petition(division, petitioner, **facts):
	"""A petition whose dates and state are set as given, bypassing the workflow, so that report figures
	can be computed by hand. Fields not given keep what registration derived (township, deadlines)."""
	received_on = facts.pop("received_on")
	name = make_petition(
		division,
		petitioner,
		received_on=received_on,
		channel=facts.pop("channel", "来访"),
		category=facts.pop("category", "农村低保"),
		subject=facts.pop("subject", f"{PREFIX}{division}{received_on}反映问题"),
	)
	if facts:
		frappe.db.set_value("Petition", name, facts, update_modified=False)
	return name
