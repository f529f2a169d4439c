"""Names of the app's records from their own series and year (domain/series.py), for doc_events autoname."""

from __future__ import annotations

from collections import Counter

import frappe
from frappe.model.naming import getseries
from frappe.utils import getdate, today

from xinfang_app.domain.series import SERIES, highest_numbers, series_key, series_name


def set_name(doc, method=None):
	_prefix, field, _digits = SERIES[doc.doctype]
	key, digits = series_key(doc.doctype, getdate(doc.get(field) or today()))
	doc.name = key + getseries(key, digits)


def allocate_names(doctype: str, dates) -> list[str]:
	"""Names for a batch of new records of `doctype` dated `dates`, in order: what set_name would give them
	saved one by one, each counter advanced once for the whole batch (one locked read and one write)."""
	keys = [series_key(doctype, getdate(day or today())) for day in dates]
	following: dict[str, int] = {}
	for (key, _digits), count in Counter(keys).items():
		following[key] = reserve(key, count)
	names = []
	for key, digits in keys:
		names.append(series_name(key, digits, following[key]))
		following[key] += 1
	return names


def reserve(key: str, count: int) -> int:
	"""Take `count` numbers of the counter `key` at once (as getseries takes one); returns the first."""
	found = frappe.db.sql("select `current` from `tabSeries` where `name` = %s for update", key)
	if found and found[0][0] is not None:
		frappe.db.sql("update `tabSeries` set `current` = `current` + %s where `name` = %s", (count, key))
		return int(found[0][0]) + 1
	frappe.db.sql("insert into `tabSeries` (`name`, `current`) values (%s, %s)", (key, count))
	return 1


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
