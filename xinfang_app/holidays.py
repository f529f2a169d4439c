"""The holiday list's coverage warning and the 「补录放假安排」 dialog's server side.

The rules are pure (domain/holiday_schedule.py); this module reads the holiday list, the settings and the
open petitions' due dates, writes a year's rows and refreshes the due dates the new calendar changes.
"""

from __future__ import annotations

import datetime as dt
import json

import frappe
from frappe import _
from frappe.query_builder.functions import Max
from frappe.utils import cint, getdate, today

from xinfang_app import lifecycle
from xinfang_app.domain import access
from xinfang_app.domain import holiday_schedule as hs
from xinfang_app.language import in_site_language

HOLIDAY_LIST_DOCTYPE = "Xinfang Holiday List"
WARNING_CACHE_KEY = "xinfang_app:holiday_coverage_warning"
WARNING_CACHE_SECONDS = 600
# Who reads the warning: the officers and handlers whose deadlines it concerns, supervisors, managers.
WARNING_ROLES = (
	access.VILLAGE_OFFICER,
	access.TOWNSHIP_OFFICER,
	access.COUNTY_OFFICER,
	access.UNIT_HANDLER,
	access.SUPERVISOR,
	access.MANAGER,
	"System Manager",
)
# Above this many petitions to look at, the refresh runs as a background job.
BACKGROUND_PETITIONS = 500
REFRESH_FIELDS = [
	"name",
	"received_on",
	"accepted_on",
	*hs.PETITION_DUE_FIELDS,
	"extension_days",
	"extension_count",
]


class HolidayListError(frappe.ValidationError):
	pass


# ---- coverage warning -----------------------------------------------------------------------------


def holiday_coverage_warning() -> str | None:
	"""「节假日表只覆盖到 2026-12-31，之后的期限只按周末计算，请补录 2027 年放假安排」, or None.

	Cached for a few minutes (keyed by the day); a change of the holiday list or the settings clears it."""
	day = today()
	cached = frappe.cache.get_value(WARNING_CACHE_KEY)
	if cached and cached.get("day") == day:
		return cached.get("message") or None
	message = compute_coverage_warning(getdate(day))
	frappe.cache.set_value(
		WARNING_CACHE_KEY, {"day": day, "message": message or ""}, expires_in_sec=WARNING_CACHE_SECONDS
	)
	return message


def compute_coverage_warning(on: dt.date) -> str | None:
	covered_until = None
	name = frappe.db.get_single_value("Xinfang Settings", "holiday_list")
	if name:
		covered_until = frappe.db.get_value(HOLIDAY_LIST_DOCTYPE, name, "to_date")
	gap = hs.coverage_gap(
		getdate(covered_until) if covered_until else None,
		on,
		hs.horizon_days(lifecycle.get_rules()),
		latest_open_deadlines(),
	)
	return hs.coverage_message(gap)


def latest_open_deadlines() -> list[dt.date]:
	"""The latest due date of each kind over open petitions and undecided reviews: two aggregate queries.

	Read without the user's scope on purpose: the warning is about the site's calendar and names no petition."""
	petition = frappe.qb.DocType("Petition")
	petition_row = (
		frappe.qb.from_(petition)
		.select(*(Max(petition[fieldname]) for fieldname in hs.PETITION_DUE_FIELDS))
		.where(petition.workflow_state.isin(lifecycle.OPEN_STATES))
		.run()
	)
	review = frappe.qb.DocType("Petition Review")
	review_row = (
		frappe.qb.from_(review).select(Max(review.review_due)).where(review.status != "Decided").run()
	)
	values = [*(petition_row[0] if petition_row else ()), *(review_row[0] if review_row else ())]
	return [getdate(value) for value in values if value]


def clear_warning_cache(doc=None, method=None):
	frappe.cache.delete_value(WARNING_CACHE_KEY)


@frappe.whitelist()
def get_holiday_coverage_warning() -> dict:
	"""For 信访工作台 and the settings forms: the warning (or None) and whether the reader may fix it."""
	# An explicit check: frappe.only_for lets everyone through while tests run.
	if set(WARNING_ROLES).isdisjoint(frappe.get_roles()):
		frappe.throw(_("Not permitted"), frappe.PermissionError)
	holiday_list = frappe.db.get_single_value("Xinfang Settings", "holiday_list")
	return {
		"message": holiday_coverage_warning(),
		"holiday_list": holiday_list,
		"can_add": bool(
			holiday_list and frappe.has_permission(HOLIDAY_LIST_DOCTYPE, "write", doc=holiday_list)
		),
	}


# ---- adding a year's schedule ---------------------------------------------------------------------


def _writable_list(holiday_list: str):
	doc = frappe.get_doc(HOLIDAY_LIST_DOCTYPE, holiday_list)
	doc.check_permission("write")
	return doc


def _parse_rows(rows) -> list[dict]:
	if not rows:
		return []
	if isinstance(rows, str):
		rows = json.loads(rows)
	return [row for row in rows if any((row or {}).get(key) for key in ("from_date", "to_date"))]


def _schedule(doc, year, text, rows) -> hs.Schedule:
	try:
		schedule = hs.parse_schedule(year, text, _parse_rows(rows))
		hs.check_year_fits(schedule.year, getdate(doc.from_date), getdate(doc.to_date))
	except hs.HolidayScheduleError as error:
		frappe.throw(error.message_zh, HolidayListError, title=_("Holiday Schedule"))
	return schedule


def _rows_of_year(doc, year: int) -> list:
	return [row for row in doc.holidays if getdate(row.holiday_date).year == year]


@frappe.whitelist()
def preview_year_schedule(
	holiday_list: str, year: int | str, text: str | None = None, rows: str | list | None = None
) -> dict:
	"""What 「补录放假安排」 would write, writing nothing."""
	doc = _writable_list(holiday_list)
	schedule = _schedule(doc, year, text, rows)
	new_rows = hs.year_rows(schedule.year, schedule.holidays, schedule.workdays)
	return {
		"year": schedule.year,
		"holidays": _grouped(schedule.holidays),
		"workdays": [
			{"date": day.isoformat(), "weekday": hs.WEEKDAYS_ZH[day.weekday()], "name": name}
			for day, name in sorted(schedule.workdays.items())
		],
		"rows": len(new_rows),
		"weekend_rows": sum(1 for _day, _description, weekly_off in new_rows if weekly_off),
		"existing_rows": len(_rows_of_year(doc, schedule.year)),
	}


def _grouped(holidays: dict[dt.date, str]) -> list[dict]:
	"""Consecutive days of one festival as one line of the preview."""
	groups: list[dict] = []
	for day, name in sorted(holidays.items()):
		last = groups[-1] if groups else None
		if last and last["name"] == name and getdate(last["to"]) + dt.timedelta(days=1) == day:
			last["to"] = day.isoformat()
			last["days"] += 1
		else:
			groups.append({"name": name, "from": day.isoformat(), "to": day.isoformat(), "days": 1})
	return groups


@frappe.whitelist()
def add_year_schedule(
	holiday_list: str,
	year: int | str,
	text: str | None = None,
	rows: str | list | None = None,
	replace: int | str | bool = 0,
) -> dict:
	"""Write a year's non-working days into the holiday list and refresh the open petitions' due dates.

	Only for those who may edit the list (Xinfang Manager, System Manager). A year that already has rows is
	refused unless `replace` is set, which drops that year's rows first. The list is extended to 31 December
	of the year (or back to 1 January). Returns the rows written and how many petitions' deadlines changed
	(or that the refresh was queued)."""
	doc = _writable_list(holiday_list)
	schedule = _schedule(doc, year, text, rows)
	year = schedule.year
	existing = _rows_of_year(doc, year)
	if existing and not cint(replace):
		frappe.throw(
			_(
				"Holiday list {0} already has {1} rows in {2}. Tick 「Replace the rows of that year」 to replace them with this schedule."
			).format(frappe.bold(doc.name), len(existing), year),
			HolidayListError,
			title=_("Holiday Schedule"),
		)
	kept = [row for row in doc.holidays if getdate(row.holiday_date).year != year]
	doc.set("holidays", [])
	new_rows = [
		{"holiday_date": day, "description": description, "weekly_off": int(weekly_off)}
		for day, description, weekly_off in hs.year_rows(year, schedule.holidays, schedule.workdays)
	]
	merged = [
		{
			"holiday_date": getdate(row.holiday_date),
			"description": row.description,
			"weekly_off": row.weekly_off,
		}
		for row in kept
	] + new_rows
	for row in sorted(merged, key=lambda row: row["holiday_date"]):
		doc.append("holidays", row)
	doc.to_date = max(getdate(doc.to_date), dt.date(year, 12, 31))
	doc.from_date = min(getdate(doc.from_date), dt.date(year, 1, 1))
	with in_site_language():  # the record's history is in the site's language, whoever adds the schedule
		note = _("Holiday schedule of {0} added ({1} non-working days)").format(year, len(new_rows))
	doc.add_comment("Info", note)
	doc.save()
	lifecycle.clear_calendar_cache()
	clear_warning_cache()
	result = {"year": year, "rows": len(new_rows), "replaced": len(existing)}
	result.update(refresh_open_deadlines(year))
	return result


def refresh_open_deadlines(year: int) -> dict:
	"""Recompute the due dates of open petitions (and undecided reviews) that run into `year` or later."""
	count = len(_open_petitions(year, fields=["name"]))
	if count > BACKGROUND_PETITIONS and not frappe.flags.in_test:
		frappe.enqueue(
			"xinfang_app.holidays.refresh_deadlines_job",
			queue="long",
			timeout=3600,
			job_id=f"xinfang_refresh_deadlines::{year}",
			deduplicate=True,
			enqueue_after_commit=True,
			year=year,
		)
		return {"queued": True, "petitions_checked": count, "petitions_changed": None}
	return {"queued": False, "petitions_checked": count, **refresh_deadlines(year)}


def refresh_deadlines_job(year: int):
	result = refresh_deadlines(year)
	frappe.db.commit()
	return result


def _open_petitions(year: int, fields) -> list:
	start = dt.date(year, 1, 1)
	return frappe.get_all(
		"Petition",
		filters={"workflow_state": ("in", lifecycle.OPEN_STATES)},
		or_filters={fieldname: (">=", start) for fieldname in hs.PETITION_DUE_FIELDS},
		fields=fields,
		order_by="name",
	)


def refresh_deadlines(year: int) -> dict:
	"""Write only the due dates that changed (one UPDATE per changed petition), then recompute their lights
	set-based; returns {"petitions_changed": n, "reviews_changed": m}."""
	lifecycle.clear_calendar_cache()
	rules, calendar = lifecycle.get_rules(), lifecycle.get_calendar()
	changed = []
	for row in _open_petitions(year, REFRESH_FIELDS):
		changes = hs.refreshed_deadlines(row, rules, calendar)
		if changes:
			frappe.db.set_value("Petition", row.name, changes, update_modified=False)
			changed.append(row.name)
	if changed:
		lifecycle.update_lights(lifecycle.light_sql(getdate(today()), rules), names=changed)
	reviews_changed = 0
	for row in frappe.get_all(
		"Petition Review",
		filters={"status": ("!=", "Decided"), "review_due": (">=", dt.date(year, 1, 1))},
		fields=["name", "review_type", "requested_on", "review_due"],
	):
		new_due = hs.refreshed_review_due(row, rules, calendar)
		if new_due:
			frappe.db.set_value("Petition Review", row.name, "review_due", new_due, update_modified=False)
			reviews_changed += 1
	clear_warning_cache()
	return {"petitions_changed": len(changed), "reviews_changed": reviews_changed}


# ---- 信访工作台 block -------------------------------------------------------------------------------

_BLOCK_HTML = '<div class="xf-holiday-alert" hidden></div>'
_BLOCK_STYLE = """
.xf-holiday-alert {
	padding: 10px 14px;
	border-radius: 8px;
	background: #fff5e6;
	border: 1px solid #f5c26b;
	color: #7a4b00;
	font-size: 14px;
	line-height: 1.6;
}
.xf-holiday-alert button {
	margin-left: 12px;
	padding: 2px 10px;
	border: 1px solid #d08a00;
	border-radius: 6px;
	background: #fff;
	color: #7a4b00;
	cursor: pointer;
}
"""
# Runs in the workspace with `root_element` the block's shadow root (Frappe's Custom HTML Block).
_BLOCK_SCRIPT = """
const box = root_element.querySelector(".xf-holiday-alert");
const roles = %s;
if (box && frappe.user.has_role(roles)) {
	frappe
		.xcall("xinfang_app.holidays.get_holiday_coverage_warning")
		.then((r) => {
			if (!r || !r.message) return;
			box.textContent = r.message;
			if (r.can_add && r.holiday_list) {
				const button = document.createElement("button");
				button.textContent = __("Add a Year's Holiday Schedule");
				button.addEventListener("click", () => {
					frappe.provide("xinfang.holidays");
					xinfang.holidays.open_dialog_on_load = true;
					frappe.set_route("Form", "Xinfang Holiday List", r.holiday_list);
				});
				box.appendChild(button);
			}
			box.hidden = false;
		})
		.catch(() => {});
}
"""


def workspace_block() -> dict:
	return {
		"html": _BLOCK_HTML,
		"style": _BLOCK_STYLE,
		"script": _BLOCK_SCRIPT % json.dumps(list(WARNING_ROLES)),
	}
