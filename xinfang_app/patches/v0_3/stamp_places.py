"""Records of a site made before place scope went by the tree (issue 13) carry their township only: stamp
their city and county too, set-based, from every root of the tree down."""

import frappe

from xinfang_app.xinfang_app.doctype.administrative_division.administrative_division import restamp_places


def execute():
	roots = frappe.get_all(
		"Administrative Division",
		filters={"parent_administrative_division": ("is", "not set")},
		pluck="name",
	)
	for root in roots:
		restamp_places(root)
