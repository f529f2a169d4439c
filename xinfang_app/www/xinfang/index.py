"""网上信访: the public submission page (/xinfang). Its methods are in xinfang_app/portal.py."""

import frappe

from xinfang_app import portal
from xinfang_app.domain import intake
from xinfang_app.domain import portal as rules

no_cache = 1


def get_context(context):
	context.no_breadcrumbs = True
	context.title = "网上信访"
	context.categories = portal.categories()
	context.classes = intake.CLASSES
	context.max_files = rules.MAX_FILES
	context.max_mb = rules.MAX_FILE_BYTES // 1048576
	context.honeypot = rules.HONEYPOT
	context.disabled = frappe.db.get_single_value("Xinfang Settings", "portal_disabled")
	return context
