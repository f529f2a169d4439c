"""Each numbered doctype counts on its own series, by the year of the record's own date."""

import datetime as dt
import json
from pathlib import Path

from xinfang_app.domain.series import SERIES, highest_numbers, series_key

DOCTYPES = Path(__file__).parents[1] / "xinfang_app" / "xinfang_app" / "doctype"


def doctype_json(doctype: str) -> dict:
	folder = doctype.lower().replace(" ", "_").replace("-", "_")
	return json.loads((DOCTYPES / folder / f"{folder}.json").read_text("utf-8"))


def test_every_series_date_is_a_date_field_of_its_doctype_and_always_set():
	for doctype, (_prefix, field, _digits) in SERIES.items():
		fields = {f["fieldname"]: f for f in doctype_json(doctype)["fields"]}
		assert fields[field]["fieldtype"] == "Date", doctype
		assert fields[field].get("reqd") or doctype in ("Reception Record",), (doctype, field)


def test_prefixes_are_distinct_so_no_two_doctypes_share_a_counter():
	prefixes = [prefix for prefix, _field, _digits in SERIES.values()]
	assert len(prefixes) == len(set(prefixes))


def test_the_key_takes_the_year_of_the_record_date():
	assert series_key("Follow-up Visit", dt.date(2025, 12, 31)) == ("HF-2025-", 5)
	assert series_key("Reception Schedule", dt.date(2027, 1, 1)) == ("JFAP-2027-", 4)


def test_highest_numbers_per_year_ignore_other_names():
	names = ["DB-2026-00295", "DB-2026-00007", "DB-2025-00003", "HF-2026-00999", "DB-2026-x", None]
	assert highest_numbers("Supervision Notice", names) == {"DB-2026-": 295, "DB-2025-": 3}
