"""Attachments of app records uploaded as public before the app kept them private are made private."""

import frappe

from xinfang_app.permissions import keep_attachments_private


def execute():
	app_doctypes = frappe.get_all("DocType", filters={"module": "Xinfang App"}, pluck="name")
	public = frappe.get_all(
		"File",
		filters={"is_private": 0, "is_folder": 0, "attached_to_doctype": ("in", app_doctypes)},
		pluck="name",
	)
	for name in public:
		keep_attachments_private(frappe.get_doc("File", name))
