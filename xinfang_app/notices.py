"""What the app's print formats ask of the records (rules in domain/notices.py)."""

from __future__ import annotations

import frappe

from xinfang_app.domain import notices


def petition_office() -> str | None:
	"""The county's petition office: Xinfang Settings, else the county department whose name says 信访."""
	office = frappe.db.get_single_value("Xinfang Settings", "petition_office")
	if office:
		return office
	counties = frappe.get_all("Administrative Division", {"division_level": "County"}, pluck="name")
	found = frappe.get_all(
		"Government Unit",
		filters={
			"unit_type": "County Department",
			"division": ("in", counties or [""]),
			"unit_name": ("like", "%信访%"),
			"disabled": 0,
		},
		pluck="name",
		limit=2,
	)
	return found[0] if len(found) == 1 else None


def xinfang_accepting_organ(doc) -> str | None:
	"""Jinja: the organ that signs the petition's 受理告知书."""
	township_government = doc.get("township") and frappe.db.get_value(
		"Government Unit",
		{"division": doc.get("township"), "unit_type": "Township Government", "disabled": 0},
		"name",
	)
	return notices.accepting_organ(
		doc.get("handling_level"), township_government, petition_office(), doc.get("responsible_unit")
	)
