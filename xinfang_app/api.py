"""Whitelisted methods that replace Frappe's where Frappe v15 skips a permission check."""

from __future__ import annotations

import frappe
from frappe.client import get_safe_filters


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug: bool = False, cache: bool = False) -> int:
	"""`frappe.client.get_count` with permissions.

	Frappe v15's version counts with `frappe.db.count`, which applies neither role permissions nor
	row-level scope: any logged-in user could count (and so probe) another village's petitions.
	Counting through `frappe.get_list` applies the same rules as listing.
	"""
	rows = frappe.get_list(
		doctype,
		filters=get_safe_filters(filters),
		fields=["count(*) as total"],
		as_list=True,
		order_by="",
		debug=debug,
	)
	return rows[0][0] if rows else 0
