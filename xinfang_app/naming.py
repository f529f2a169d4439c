"""Names of the app's records from their own series and year (domain/series.py), for doc_events autoname."""

from __future__ import annotations

import frappe
from frappe.model.naming import getseries
from frappe.utils import getdate, today

from xinfang_app.domain.series import SERIES, highest_numbers, series_key


def set_name(doc, method=None):
	_prefix, field, _digits = SERIES[doc.doctype]
	key, digits = series_key(doc.doctype, getdate(doc.get(field) or today()))
	doc.name = key + getseries(key, digits)


def sync_series_with_existing_names():
	"""Each counter starts after the highest existing name of its doctype and year; names are kept."""
	for doctype in SERIES:
		if not frappe.db.table_exists(doctype):
			continue
		names = frappe.get_all(doctype, pluck="name", ignore_permissions=True)
		for key, number in highest_numbers(doctype, names).items():
			found = frappe.db.sql("select `current` from `tabSeries` where `name` = %s", key)
			current = found[0][0] if found else None
			if current is None:
				frappe.db.sql("insert into `tabSeries` (`name`, `current`) values (%s, %s)", (key, number))
			elif int(current) < number:
				frappe.db.sql("update `tabSeries` set `current` = %s where `name` = %s", (number, key))
