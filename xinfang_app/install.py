"""Install, migrate and uninstall steps. Every step is idempotent and never overwrites an edit."""

from __future__ import annotations

import frappe

from xinfang_app.domain.access import ROLES
from xinfang_app.domain.categories import iter_category_rows

MODULE = "Xinfang App"
WORKSPACE = "信访工作台"


def after_install():
	ensure_roles()
	install_default_categories()


def after_migrate():
	ensure_roles()


def ensure_roles():
	for role in ROLES:
		if not frappe.db.exists("Role", role):
			frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": 1}).insert(
				ignore_permissions=True
			)


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


def app_doctypes() -> list[str]:
	return frappe.get_all("DocType", filters={"module": MODULE}, pluck="name")


def before_uninstall():
	"""Remove what the app created outside its own module, so nothing is left orphaned."""
	doctypes = app_doctypes()
	for name in frappe.get_all("Workflow", filters={"document_type": ("in", doctypes)}, pluck="name"):
		frappe.delete_doc("Workflow", name, ignore_permissions=True, force=True)
	filters = orphan_filters(doctypes)
	for doctype in ("Custom Field", "Property Setter", "User Permission", "DefaultValue"):
		frappe.db.delete(doctype, filters[doctype])
	for role in ROLES:
		if frappe.db.exists("Role", role):
			frappe.db.delete("Has Role", {"role": role})
			frappe.db.delete("Custom DocPerm", {"role": role})
			frappe.delete_doc("Role", role, ignore_permissions=True, force=True)
	frappe.db.set_value("User", {"default_workspace": WORKSPACE}, "default_workspace", None)
	frappe.cache.delete_value("user_permissions")


def orphan_filters(doctypes: list[str]) -> dict[str, dict]:
	return {
		"Role": {"name": ("in", ROLES)},
		"Workflow": {"document_type": ("in", doctypes)},
		"Custom Field": {"dt": ("in", doctypes)},
		"Property Setter": {"doc_type": ("in", doctypes)},
		"User Permission": {"allow": ("in", doctypes)},
		"DefaultValue": {"defkey": ("in", doctypes)},
		"Workspace": {"module": MODULE},
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
