"""Bulk insertion of the demo's generated masters."""

from __future__ import annotations

import frappe


def insert_in_bulk(doctype: str, rows: list[dict]) -> int:
	"""Insert generated master rows (each with its `name`) in a few statements instead of one document
	save each. Only for masters whose controllers merely tidy values the generator already gives tidy
	(divisions, units, committees, mediators; the pure tests check the rows); fields not given take their
	doctype defaults. Rows whose name exists are left alone."""
	existing = set(frappe.get_all(doctype, filters={"name": ("in", [r["name"] for r in rows])}, pluck="name"))
	rows = [row for row in rows if row["name"] not in existing]
	if not rows:
		return 0
	meta = frappe.get_meta(doctype)
	defaults = {
		key: value for key, value in frappe.new_doc(doctype, as_dict=True).items() if meta.has_field(key)
	}
	fields = sorted({*defaults, *(key for row in rows for key in row if meta.has_field(key))})
	now, user = frappe.utils.now(), frappe.session.user
	frappe.db.bulk_insert(
		doctype,
		["name", "owner", "creation", "modified", "modified_by", "docstatus", "idx", *fields],
		[
			[row["name"], user, now, now, user, 0, 0, *({**defaults, **row}.get(key) for key in fields)]
			for row in rows
		],
	)
	return len(rows)
