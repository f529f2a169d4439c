"""Text the app writes is in the site's language wherever it is written.

Frappe starts a background job (and a bench command) in English (`frappe.init` takes the site config's
`lang`, usually unset), so comments, notifications and messages written by the hourly job, the bulletin
job or the demo loader came out in English on a Chinese site. `use_site_language` sets the language of
the site (System Settings → Language) for the rest of the job or command.
"""

from __future__ import annotations

from contextlib import contextmanager

import frappe


def site_language() -> str | None:
	return frappe.db.get_default("lang") or frappe.db.get_single_value("System Settings", "language")


def use_site_language(*args, **kwargs) -> None:
	"""before_job hook (and the app's bench commands)."""
	if lang := site_language():
		frappe.local.lang = lang


@contextmanager
def in_site_language():
	"""Text written for someone else (a notification) is in the site's language, whoever's request writes it."""
	previous = frappe.local.lang
	frappe.local.lang = site_language() or previous
	try:
		yield
	finally:
		frappe.local.lang = previous
