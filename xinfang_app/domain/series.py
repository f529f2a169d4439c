"""Numbering of the app's records: each doctype counts on its own, by the year of the record's own date.

Frappe's `format:XX-{YYYY}-{#####}` names share one counter between every doctype that uses them and take
the year of the day of entry; a 2025 visit entered in 2026 would be HF-2026-…, and the first supervision
notice DB-2026-00295. Here a record dated 2025 is numbered in its doctype's 2025 series.
"""

from __future__ import annotations

import datetime as dt
import re

# doctype → (prefix, the date field whose year the name takes, digits)
SERIES: dict[str, tuple[str, str, int]] = {
	"Petition": ("XF", "received_on", 5),
	"Petition Review": ("FC", "requested_on", 5),
	"Follow-up Visit": ("HF", "visited_on", 5),
	"Supervision Notice": ("DB", "issued_on", 5),
	"Leader Case Assignment": ("BA", "assigned_on", 5),
	"Reception Schedule": ("JFAP", "reception_date", 4),
	"Reception Record": ("JFDJ", "reception_date", 4),
	"Dispute Ledger Entry": ("TZ", "found_on", 5),
	"Field Visit": ("ZF", "visited_on", 5),
	"Joint Meeting": ("LX", "meeting_date", 5),
	"Mediation Case": ("TJ", "accepted_on", 5),
}


def series_key(doctype: str, on: dt.date) -> tuple[str, int]:
	"""The counter's key (the name before the number) and the number of digits."""
	prefix, _field, digits = SERIES[doctype]
	return f"{prefix}-{on.year}-", digits


def series_name(key: str, digits: int, number: int) -> str:
	"""The name numbered `number` in the counter `key` (as Frappe's getseries writes it: zero-padded)."""
	return f"{key}{number:0{digits}d}"


def highest_numbers(doctype: str, names) -> dict[str, int]:
	"""Per counter key, the highest number among existing names of the doctype (other names ignored)."""
	prefix, _field, _digits = SERIES[doctype]
	pattern = re.compile(rf"^({re.escape(prefix)}-\d{{4}}-)(\d+)$")
	highest: dict[str, int] = {}
	for name in names:
		match = pattern.match(name or "")
		if match:
			key, number = match.group(1), int(match.group(2))
			highest[key] = max(highest.get(key, 0), number)
	return highest
