"""The desk's way to a leader's workspace: the same answers Frappe gives, without the repeated reads.

**A widget's own document.** Frappe v15 decides who may open a number card's or a dashboard chart's own
document in the two doctypes' has_permission hooks:
- a System Manager may;
- a card or chart of a Report goes by the reports the user may open;
- a chart with roles goes by those roles;
- any other goes by read on its document type.

For the last case Frappe reads every DocPerm and Custom DocPerm row of the user's roles
(`get_doctypes_with_read`, three queries) on each check. A leader's workspace makes 11 such checks while it
is built (`get_desktop_page`) and 3 more each time a widget loads its own document (`getdoc`). At the
benchmark's city that is about 0.3 s of server time per visit.

The app answers that last case from the role permissions of the document type. These are the same rows:
the doctype's cached meta carries them, and `get_role_permissions` keeps its answer for the request. Every
other case is left to Frappe's own hook. (Asked about another user than the session's, Frappe's hook reads
the session user's rows; the app answers for the user asked.)

Frappe calls the hooks of later apps first and stops at the first answer that is not None
(`permissions.has_controller_permissions`). Like Frappe's hooks, these can only narrow what the role
permissions on Number Card and Dashboard Chart already allow.

**The first desk page after login.** Login clears the user's cached lists of the pages and reports they
may open (`boot.get_allowed_pages` / `get_allowed_reports`). The next request, the desk's first page,
builds its start-up data and asks for those lists once for every workspace on the site, several times
over (the sidebar, the apps list), and Frappe v15 rebuilds them on each ask within that request: a miss
is remembered for the request, and the rebuilt list is stored in Redis only. A leader's first page took
0.6 s instead of 0.1 s. `warm_allowed_lists`, run when the session is created, builds each list once,
so that the first page finds them in Redis. It stores what Frappe itself stores.
"""

from __future__ import annotations

import frappe
from frappe.permissions import get_role_permissions


def number_card_has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	if doc.type == "Report":
		return None  # Frappe's hook: the reports the user may open
	return _reads_document_type(doc.document_type, user)


def dashboard_chart_has_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
):
	if doc.get("roles") or doc.chart_type == "Report":
		return None  # Frappe's hook: the chart's roles, or the reports the user may open
	return _reads_document_type(doc.document_type, user)


def _reads_document_type(doctype: str | None, user: str | None) -> bool:
	user = user or frappe.session.user
	if "System Manager" in frappe.get_roles(user):
		return True
	if not doctype or not frappe.db.exists("DocType", doctype, cache=True):
		return False
	return bool(get_role_permissions(frappe.get_meta(doctype), user).get("read"))


def warm_allowed_lists(login_manager=None):
	"""on_session_creation: the desk user's allowed pages and reports, in Redis before the first page."""
	from frappe.boot import get_allowed_pages, get_allowed_reports

	if getattr(login_manager, "user_type", None) != "System User":
		return  # a portal user never builds the desk's start-up data
	get_allowed_pages(cache=True)
	get_allowed_reports(cache=True)
