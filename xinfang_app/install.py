"""Install, migrate and uninstall steps. Every step is idempotent and never overwrites an edit."""

from __future__ import annotations

import json
from pathlib import Path

import frappe

from xinfang_app.domain.access import ROLES, SERVICE_ROLES
from xinfang_app.domain.categories import iter_category_rows

MODULE = "Xinfang App"
WORKSPACE = "信访工作台"
HOLIDAY_BLOCK = "节假日表提醒"
WORKFLOW_DIR = Path(__file__).parent / "workflows"
NOTIFICATION_DIR = Path(__file__).parent / "notifications"
WEBHOOK_DIR = Path(__file__).parent / "webhooks"
# Remembers which shipped records were installed, so an administrator's edit or deletion is never undone.
INSTALLED_WORKFLOWS_KEY = "xinfang_app:installed_workflows"
INSTALLED_NOTIFICATIONS_KEY = "xinfang_app:installed_notifications"
INSTALLED_WEBHOOKS_KEY = "xinfang_app:installed_webhooks"
HARDENED_KEY = "xinfang_app:hardened_system_settings"
# Site-wide settings a site holding petitioners' identities needs (issue 10): no Python traceback in any
# response (administrators read them in the Error Log), desk passwords of zxcvbn score 3 or more, and
# Frappe's login tracker off (it locks a whole address; login_throttle.py counts per account and address).
HARDENED_SETTINGS = {
	"allow_error_traceback": 0,
	"enable_password_policy": 1,
	"minimum_password_score": "3",
	"allow_consecutive_login_attempts": 0,
}
HARDENED_VERSION = "2"  # raised when HARDENED_SETTINGS gains a setting, so that sites get it once more


def after_install():
	harden_system_settings()
	ensure_roles()
	ensure_intake_index()
	ensure_scale_indexes()
	install_default_categories()
	install_workflows()
	install_notifications()
	install_webhooks()
	install_holiday_list()
	install_workspace_blocks()


def after_migrate():
	harden_system_settings()
	ensure_roles()
	ensure_intake_index()
	ensure_scale_indexes()
	set_existing_home_workspaces()
	install_workflows()
	install_notifications()
	install_webhooks()
	install_holiday_list()
	install_workspace_blocks()


def harden_system_settings():
	"""Applied once per site (on install, or on the first migrate of a site installed before): an
	administrator who later loosens a setting on purpose is not overruled by the next migrate."""
	if frappe.db.get_default(HARDENED_KEY) == HARDENED_VERSION:
		return
	settings = frappe.get_single("System Settings")
	settings.update(HARDENED_SETTINGS)
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)
	frappe.db.set_default(HARDENED_KEY, HARDENED_VERSION)


def set_home_workspace(doc, method=None):
	"""A leader lands on the workbench (信访工作台), a mediator on their cases (调解工作台), unless a home was
	chosen for them (domain/access.py home_workspace)."""
	from xinfang_app.domain.access import home_workspace

	home = home_workspace(row.role for row in doc.get("roles") or ())
	if home and not doc.default_workspace and frappe.db.exists("Workspace", home):
		doc.default_workspace = home


def set_existing_home_workspaces():
	from xinfang_app.domain.access import LEADER, MEDIATOR, home_workspace

	users = frappe.get_all(
		"Has Role", filters={"role": ("in", (LEADER, MEDIATOR)), "parenttype": "User"}, pluck="parent"
	)
	unset = frappe.get_all(
		"User", filters={"name": ("in", users or [""]), "default_workspace": ("is", "not set")}, pluck="name"
	)
	for user in unset:
		roles = frappe.get_all("Has Role", filters={"parent": user, "parenttype": "User"}, pluck="role")
		home = home_workspace(roles)
		if home and frappe.db.exists("Workspace", home):
			frappe.db.set_value("User", user, "default_workspace", home, update_modified=False)


def install_holiday_list():
	from xinfang_app.lifecycle import install_holiday_list as fill

	fill()


def install_workspace_blocks():
	"""The Custom HTML Block of 信访工作台 that shows the holiday list's coverage warning.

	Frappe v15 does not sync Custom HTML Blocks from an app's module folder, so the block is created here,
	once: an administrator's later edits to it are kept. The workspace JSON places it at the top."""
	from xinfang_app.holidays import WARNING_ROLES, workspace_block

	if frappe.db.exists("Custom HTML Block", HOLIDAY_BLOCK):
		return
	block = frappe.get_doc(
		{
			"doctype": "Custom HTML Block",
			**workspace_block(),
			"roles": [{"role": role} for role in WARNING_ROLES if frappe.db.exists("Role", role)],
		}
	)
	block.insert(ignore_permissions=True, set_name=HOLIDAY_BLOCK)


def ensure_roles():
	for role in (*ROLES, *SERVICE_ROLES):
		if not frappe.db.exists("Role", role):
			frappe.get_doc(
				{"doctype": "Role", "role_name": role, "desk_access": int(role not in SERVICE_ROLES)}
			).insert(ignore_permissions=True)


def ensure_intake_index():
	"""One petition per channel and sender's number (xinfang_app.intake): a retry can never make a second."""
	frappe.db.add_unique(
		"Petition", ["channel", "external_reference"], constraint_name="unique_intake_reference"
	)


# What lists, counts, cards, reports and the hourly job filter and sort on at a city's scale (issue 13):
# place scope is one equality on a stamped place column (access.PLACE_COLUMNS), and a list is sorted by
# the date received (Petition's sort_field), so each place column leads an index on it and that date.
# A county leader's workspace (cards.py, the number cards and dashboard charts): cards count by state and
# light, charts group by state, township, category and month; Frappe's charts also filter on docstatus,
# which their indexes carry so that no chart reads a petition's row. 化解率 ranges over the date accepted
# and reads only what is_concluded reads; 本月办结 ranges over the dates closed and replied.
SCALE_INDEXES = {
	"Petition": [
		("division", "received_on"),
		("township", "received_on"),
		("county", "received_on", "docstatus"),
		("city", "received_on"),
		("county", "workflow_state", "received_on", "docstatus"),
		("county", "light"),
		("county", "township", "docstatus"),
		("county", "category", "docstatus"),
		("county", "accepted_on", "closed_on", "replied_on", "workflow_state"),
		("county", "closed_on"),
		("county", "replied_on"),
	],
	"Dispute Ledger Entry": [("county", "found_on"), ("city", "found_on")],
}
# The hourly job (lifecycle.run_scheduled) reads open petitions by state and everything their light, notice
# and tier are decided on: one index holds all of it, so the job reads no petition's row but those it changes.
NAMED_INDEXES = {
	"Petition": {
		"open_clock_index": (
			"workflow_state",
			"light",
			"handling_level",
			"tier_started_on",
			"received_on",
			"acceptance_due",
			"accepted_on",
			"extended_due",
			"handling_due",
		),
		# a light left on a petition whose clock stopped is found among the lit ones
		"light_state_index": ("light", "workflow_state"),
	}
}
# Indexes an earlier version shipped that a longer one above now covers.
SUPERSEDED_INDEXES = {"Petition": ["county_received_on_index", "county_workflow_state_docstatus_index"]}


def ensure_scale_indexes():
	for doctype, indexes in SCALE_INDEXES.items():
		for fields in indexes:
			frappe.db.add_index(doctype, list(fields))
	for doctype, indexes in NAMED_INDEXES.items():
		for name, fields in indexes.items():
			frappe.db.add_index(doctype, list(fields), index_name=name)
	for doctype, names in SUPERSEDED_INDEXES.items():
		for name in names:
			if frappe.db.has_index(f"tab{doctype}", name):
				frappe.db.sql_ddl(f"alter table `tab{doctype}` drop index `{name}`")


def install_default_categories():
	"""Seed the category tree once; an administrator's later edits and deletions are left alone."""
	if frappe.db.exists("Petition Category", {"parent_petition_category": ("is", "not set")}):
		return
	for name, parent, is_group in iter_category_rows():
		frappe.get_doc(
			{
				"doctype": "Petition Category",
				"category_name": name,
				"parent_petition_category": parent,
				"is_group": int(is_group),
			}
		).insert(ignore_permissions=True)


def shipped(directory: Path) -> list[dict]:
	"""The records the app ships as JSON files in `directory`, in file-name order."""
	return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(directory.glob("*.json"))]


def shipped_workflows() -> list[dict]:
	return shipped(WORKFLOW_DIR)


def install_workflows():
	"""Install each shipped workflow once. Later runs (migrate, app update) leave it as the administrator made it."""
	install_once(
		shipped_workflows(), "Workflow", "workflow_name", INSTALLED_WORKFLOWS_KEY, ensure_workflow_masters
	)


def shipped_notifications() -> list[dict]:
	return shipped(NOTIFICATION_DIR)


def install_notifications():
	"""Notification records, installed once as ordinary (non-standard) records an administrator may edit."""
	install_once(shipped_notifications(), "Notification", "name", INSTALLED_NOTIFICATIONS_KEY)


def shipped_webhooks() -> list[dict]:
	return shipped(WEBHOOK_DIR)


def install_webhooks():
	"""The example call-back to a sending system (README: 来文接口), installed once and disabled: the
	administrator sets the sender's URL and secret and enables it."""
	install_once(shipped_webhooks(), "Webhook", "name", INSTALLED_WEBHOOKS_KEY)


def install_once(definitions: list[dict], doctype: str, name_key: str, remember_key: str, prepare=None):
	installed = set(json.loads(frappe.db.get_default(remember_key) or "[]"))
	for definition in definitions:
		name = definition[name_key]
		if name not in installed and not frappe.db.exists(doctype, name):
			if prepare:
				prepare(definition)
			frappe.get_doc({key: value for key, value in definition.items() if key != "styles"}).insert(
				ignore_permissions=True
			)
		installed.add(name)
	frappe.db.set_default(remember_key, json.dumps(sorted(installed)))


def ensure_workflow_masters(definition: dict):
	styles = definition.get("styles", {})
	for state in {row["state"] for row in definition["states"]}:
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{"doctype": "Workflow State", "workflow_state_name": state, "style": styles.get(state, "")}
			).insert(ignore_permissions=True)
	for action in {row["action"] for row in definition["transitions"]}:
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)


def app_doctypes() -> list[str]:
	return frappe.get_all("DocType", filters={"module": MODULE}, pluck="name")


def before_uninstall():
	"""Remove what the app created outside its own module, so nothing is left orphaned."""
	doctypes = app_doctypes()
	for name in frappe.get_all("Workflow", filters={"document_type": ("in", doctypes)}, pluck="name"):
		frappe.delete_doc("Workflow", name, ignore_permissions=True, force=True)
	remove_unused_workflow_masters()
	frappe.db.delete("Notification", {"document_type": ("in", doctypes)})
	for name in frappe.get_all("Webhook", filters={"webhook_doctype": ("in", doctypes)}, pluck="name"):
		frappe.delete_doc("Webhook", name, ignore_permissions=True, force=True)
	filters = orphan_filters(doctypes)
	for doctype in ("Custom Field", "Property Setter", "User Permission", "DefaultValue"):
		frappe.db.delete(doctype, filters[doctype])
	for role in (*ROLES, *SERVICE_ROLES):
		if frappe.db.exists("Role", role):
			frappe.db.delete("Has Role", {"role": role})
			frappe.db.delete("Custom DocPerm", {"role": role})
			frappe.delete_doc("Role", role, ignore_permissions=True, force=True)
	frappe.db.set_value("User", {"default_workspace": WORKSPACE}, "default_workspace", None)
	if frappe.db.exists("Custom HTML Block", HOLIDAY_BLOCK):
		frappe.delete_doc("Custom HTML Block", HOLIDAY_BLOCK, ignore_permissions=True, force=True)
	frappe.cache.delete_value("user_permissions")


def shipped_workflow_masters() -> dict[str, set[str]]:
	states, actions = set(), set()
	for definition in shipped_workflows():
		states.update(row["state"] for row in definition["states"])
		actions.update(row["action"] for row in definition["transitions"])
	return {"Workflow State": states, "Workflow Action Master": actions}


def remove_unused_workflow_masters():
	"""Drop the states and actions the app created, unless another workflow on the site still uses them."""
	used = {
		"Workflow State": set(frappe.get_all("Workflow Document State", pluck="state", distinct=True)),
		"Workflow Action Master": set(frappe.get_all("Workflow Transition", pluck="action", distinct=True)),
	}
	for doctype, names in shipped_workflow_masters().items():
		for name in names - used[doctype]:
			frappe.db.delete(doctype, {"name": name})


def orphan_filters(doctypes: list[str]) -> dict[str, dict]:
	return {
		"Role": {"name": ("in", [*ROLES, *SERVICE_ROLES])},
		"Workflow": {"document_type": ("in", doctypes)},
		"Custom Field": {"dt": ("in", doctypes)},
		"Property Setter": {"doc_type": ("in", doctypes)},
		"User Permission": {"allow": ("in", doctypes)},
		"DefaultValue": {
			"defkey": (
				"in",
				[*doctypes, INSTALLED_WORKFLOWS_KEY, INSTALLED_NOTIFICATIONS_KEY, INSTALLED_WEBHOOKS_KEY],
			)
		},
		"Notification": {"document_type": ("in", doctypes)},
		"Webhook": {"webhook_doctype": ("in", doctypes)},
		"Workspace": {"module": MODULE},
		"Custom HTML Block": {"name": ("in", [HOLIDAY_BLOCK])},
		**{doctype: {"name": ("in", sorted(names))} for doctype, names in shipped_workflow_masters().items()},
	}


def orphan_report() -> dict[str, int]:
	"""Count what the app would leave behind; printed as JSON by `bench execute` in the lifecycle test."""
	from xinfang_app.domain.categories import ROOT

	doctypes = [
		"Administrative Division",
		"Government Unit",
		"Petition Category",
		"Petitioner",
		"Petition",
		"Petition Party",
		"Petition Demand",
		"Xinfang Settings",
		"Petition Review",
		"Supervision Notice",
		"Follow-up Visit",
		"Xinfang Holiday List",
		"Xinfang Holiday",
		"Dispute Ledger Entry",
		"Dispute Party",
		"Field Visit",
		"Field Visit Finding",
		"Mediation Committee",
		"Mediator",
		"Mediation Case",
		"Mediation Case Mediator",
		"Mediation Session",
		"Joint Meeting",
		"Joint Meeting Unit",
		"Joint Meeting Agenda Item",
	]
	report = {
		doctype: frappe.db.count(doctype, filters) for doctype, filters in orphan_filters(doctypes).items()
	}
	report["DocType"] = frappe.db.count("DocType", {"module": MODULE})
	report["Module Def"] = frappe.db.count("Module Def", {"name": MODULE})
	report["installed"] = int("xinfang_app" in frappe.get_installed_apps())
	report["category root"] = (
		frappe.db.count("Petition Category", {"name": ROOT})
		if frappe.db.table_exists("Petition Category")
		else 0
	)
	return report
