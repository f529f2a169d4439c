"""Stored codes as readers read them: chart labels, and the values in a record's history.

Frappe's dashboard charts label time series with English periods ("Nov 2026", "Quarter 3 2026",
frappe.utils.dateutils.get_period) and group-by charts with the stored values ("Handling"). The app's own
charts pass their labels through `localise_labels`: periods become 2026年11月 / 2026年第3季度 on a Chinese
desk, and every other label goes through the translation function the caller gives (frappe._).
"""

from __future__ import annotations

import re
from collections.abc import Callable

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH = re.compile(r"(" + "|".join(MONTHS) + r") (\d{4})")
QUARTER = re.compile(r"Quarter ([1-4]) (\d{4})")


def period_zh(label: str) -> str | None:
	"""A Frappe period label in Chinese, or None when the label is no period Frappe writes in English."""
	if match := MONTH.fullmatch(label):
		return f"{match.group(2)}年{MONTHS.index(match.group(1)) + 1}月"
	if match := QUARTER.fullmatch(label):
		return f"{match.group(2)}年第{match.group(1)}季度"
	return None


def localise_labels(labels: list, chinese: bool, translate: Callable[[str], str]) -> list:
	localised = []
	for label in labels:
		if not isinstance(label, str):
			localised.append(label)
			continue
		period = period_zh(label) if chinese else None
		localised.append(period or translate(label))
	return localised


EMPTY = "(empty)"  # an empty old or new value in the timeline (Frappe writes a null as "null")


def translate_version_data(data: dict, coded: frozenset[str], translate: Callable[[str], str]) -> bool:
	"""In one Version's diff (Frappe's {"changed": [[field, old, new], …], …}), the old and new values of
	the fields that store English codes (a workflow state, a light, a level) in the reader's language, so
	that the timeline reads 「流程状态 从 待受理 改为 已受理」, and an empty value of any field as
	translate(EMPTY) (「答复日期 从 （空） 改为 …」, not "null" or ""). Returns True when anything changed."""
	changed = False
	for entry in data.get("changed") or ():
		if not (isinstance(entry, list) and len(entry) == 3):
			continue
		for position in (1, 2):
			value = entry[position]
			if value is None or value == "":
				shown = translate(EMPTY)
			elif isinstance(value, str) and entry[0] in coded:
				shown = translate(value)
			else:
				continue
			changed |= shown != value
			entry[position] = shown
	return changed
