"""Text the app writes is in the site's language wherever it is written.

Frappe starts a background job (and a bench command) in English (`frappe.init` takes the site config's
`lang`, usually unset), so comments, notifications and messages written by the hourly job, the bulletin
job or the demo loader came out in English on a Chinese site. `use_site_language` sets the language of
the site (System Settings → Language) for the rest of the job or command.

What the desk shows of stored English codes (workflow states, lights, levels) is in the reader's
language: the form's timeline through `translate_docinfo_versions`, charts and reports where they are
built (domain/display.py).
"""

from __future__ import annotations

import json
from contextlib import contextmanager

import frappe

from xinfang_app.domain.display import translate_version_data


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


def coded_fields(doctype: str) -> frozenset[str]:
	"""The fields of a doctype that store English codes: Select fields with Latin options, workflow states."""
	return frozenset(
		df.fieldname
		for df in frappe.get_meta(doctype).fields
		if (df.fieldtype == "Link" and df.options == "Workflow State")
		or (df.fieldtype == "Select" and df.options and df.options.isascii())
	)


def translate_docinfo_versions() -> None:
	"""The form's timeline of an app record ("流程状态 从 Pending Acceptance 改为 Accepted") with the codes
	in the reader's language; what is stored is unchanged."""
	docinfo = frappe.response.get("docinfo")
	doctype = docinfo.get("doctype") if docinfo else None
	if not doctype or not docinfo.get("versions") or not frappe.db.exists("DocType", doctype):
		return
	if frappe.get_meta(doctype).module != "Xinfang App":
		return
	coded = coded_fields(doctype)
	for version in docinfo.versions:
		try:
			data = json.loads(version.get("data") or "{}")
		except ValueError:
			continue
		if isinstance(data, dict) and translate_version_data(data, coded, frappe._):
			version["data"] = frappe.as_json(data, indent=None)
