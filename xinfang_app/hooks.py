from xinfang_app.domain.access import CHILD_TABLES as _CHILD_TABLES
from xinfang_app.domain.query_guard import GUARDED_METHODS as _GUARDED_METHODS
from xinfang_app.domain.query_guard import TOLERANT_METHODS as _TOLERANT_METHODS
from xinfang_app.domain.secrecy import SECRECY_METHODS as _SECRECY_METHODS
from xinfang_app.domain.series import SERIES as _SERIES  # (names starting with _ are not hooks)

app_name = "xinfang_app"
app_title = "Xinfang"
app_publisher = "xinfang_app developers"
app_description = "Letters-and-visits petitions and dispute resolution for counties, townships and villages"
app_email = "dev@xinfang.invalid"
app_license = "mit"
required_apps = []

export_python_type_annotations = True
require_type_annotated_api_methods = True

after_install = "xinfang_app.install.after_install"
after_migrate = "xinfang_app.install.after_migrate"
before_uninstall = "xinfang_app.install.before_uninstall"

permission_query_conditions = {
	"Petition": "xinfang_app.permissions.petition_query",
	"Petitioner": "xinfang_app.permissions.petitioner_query",
	"File": "xinfang_app.permissions.file_query",
	"Petition Review": "xinfang_app.permissions.petition_record_query",
	"Supervision Notice": "xinfang_app.permissions.petition_record_query",
	"Follow-up Visit": "xinfang_app.permissions.petition_record_query",
	"Dispute Ledger Entry": "xinfang_app.permissions.ledger_query",
	"Mediation Case": "xinfang_app.permissions.mediation_case_query",
	"Field Visit": "xinfang_app.permissions.place_query",
	"Joint Meeting": "xinfang_app.permissions.place_query",
	"Ledger Import": "xinfang_app.permissions.place_query",
	"Leader Case Assignment": "xinfang_app.permissions.petition_record_query",
	"Reception Schedule": "xinfang_app.permissions.division_record_query",
	"Reception Record": "xinfang_app.permissions.division_record_query",
	"Workflow Action": "xinfang_app.permissions.workflow_action_query",
}
# Child tables follow their parents' scope on every list path (domain/access.py CHILD_TABLES).
permission_query_conditions.update(dict.fromkeys(_CHILD_TABLES, "xinfang_app.permissions.child_query"))

has_permission = {
	"Petition": "xinfang_app.permissions.petition_has_permission",
	"Petitioner": "xinfang_app.permissions.petitioner_has_permission",
	"Petition Review": "xinfang_app.permissions.petition_record_has_permission",
	"Supervision Notice": "xinfang_app.permissions.petition_record_has_permission",
	"Follow-up Visit": "xinfang_app.permissions.petition_record_has_permission",
	"Dispute Ledger Entry": "xinfang_app.permissions.ledger_has_permission",
	"Mediation Case": "xinfang_app.permissions.mediation_case_has_permission",
	"Field Visit": "xinfang_app.permissions.place_has_permission",
	"Joint Meeting": "xinfang_app.permissions.place_has_permission",
	"Ledger Import": "xinfang_app.permissions.place_has_permission",
	"Leader Case Assignment": "xinfang_app.permissions.petition_record_has_permission",
	"Reception Schedule": "xinfang_app.permissions.division_record_has_permission",
	"Reception Record": "xinfang_app.permissions.division_record_has_permission",
	"File": "xinfang_app.permissions.file_has_permission",
	"Workflow Action": "xinfang_app.permissions.workflow_action_has_permission",
	# Frappe's own rule for a widget's document, without reading every DocPerm row per check
	"Number Card": "xinfang_app.desk.number_card_has_permission",
	"Dashboard Chart": "xinfang_app.desk.dashboard_chart_has_permission",
}

doc_events = {
	"Xinfang Holiday List": {
		"on_update": [
			"xinfang_app.lifecycle.clear_calendar_cache",
			"xinfang_app.holidays.clear_warning_cache",
		],
		"on_trash": [
			"xinfang_app.lifecycle.clear_calendar_cache",
			"xinfang_app.holidays.clear_warning_cache",
		],
	},
	"Xinfang Settings": {
		"on_update": [
			"xinfang_app.lifecycle.clear_calendar_cache",
			"xinfang_app.holidays.clear_warning_cache",
		]
	},
	"ToDo": {"on_update": "xinfang_app.reception.on_todo_update"},
	# failed logins are counted per account and per address (login_throttle.py)
	"Activity Log": {"after_insert": "xinfang_app.login_throttle.on_activity_log"},
	"User": {"validate": "xinfang_app.install.set_home_workspace"},
	# an attachment of an app record is private whatever the uploader chose
	"File": {"after_insert": "xinfang_app.permissions.keep_attachments_private"},
	# each user's places are cached beside Frappe's own cache of their User Permissions
	"User Permission": {
		"on_update": "xinfang_app.permissions.clear_places_cache",
		"on_trash": "xinfang_app.permissions.clear_places_cache",
	},
	# whoever must act next (acceptance, extension approval, 销号) is told once, after the commit
	# … and the petitioner hears of acceptance, refusal, extension and reply by SMS (portal.py)
	"Petition": {
		"on_update": ["xinfang_app.next_steps.notify_next_actor", "xinfang_app.portal.sms_on_change"]
	},
	"Dispute Ledger Entry": {"on_update": "xinfang_app.next_steps.notify_next_actor"},
}

on_login = "xinfang_app.login_throttle.check"
on_session_creation = [
	"xinfang_app.login_throttle.remember",
	# the desk's first page after login finds the user's allowed pages and reports built (desk.py)
	"xinfang_app.desk.warm_allowed_lists",
]

# Jobs (the hourly lifecycle job, the bulletin) write in the site's language, not Frappe's default English.
before_job = ["xinfang_app.language.use_site_language"]

scheduler_events = {
	"hourly": ["xinfang_app.lifecycle.run_scheduled"],
}

# Desk-wide scripts: workflow states shown in the user's language wherever they appear as links.
app_include_js = "xinfang.bundle.js"

doctype_js = {
	"Petition": ["public/js/petition_mediation.js", "public/js/petition_next_steps.js"],
	# saving a visit or a review moves its petition: the session forgets the petition it had loaded
	"Follow-up Visit": "public/js/petition_moved_by_record.js",
	"Petition Review": "public/js/petition_moved_by_record.js",
	# the 「补录放假安排」 dialog, shared by the two forms (their own JS sits beside their JSON)
	"Xinfang Settings": "public/js/holiday_schedule.js",
	"Xinfang Holiday List": "public/js/holiday_schedule.js",
}

# Each numbered doctype counts on its own, by the year of the record's own date (domain/series.py).
for _doctype in _SERIES:
	doc_events.setdefault(_doctype, {})["autoname"] = "xinfang_app.naming.set_name"

# Frappe methods replaced by xinfang_app.api: counts with permissions, charts without the shared cache, and
# every method that takes filters, fields, order or group checked by the query guard. The list is kept in
# one place, domain/query_guard.py (GUARDED_METHODS).
override_whitelisted_methods = dict(_GUARDED_METHODS)
override_whitelisted_methods.update(_TOLERANT_METHODS)  # malformed input: a 417, not a 500 (tolerant.py)
# A malformed JSON argument is a 417 before any endpoint decodes it; REST lists get the query guard's
# check (api.guard_rest_lists); a Petition query naming the party table leaves accusations out for those
# who may not see reporters (secrecy.guard_party_queries).
before_request = [
	"xinfang_app.api.check_request_arguments",
	"xinfang_app.api.guard_rest_lists",
	"xinfang_app.secrecy.guard_party_queries",
]
# Every JSON response loses the fields its reader may not read (write responses, version history included).
after_request = ["xinfang_app.response_guard.strip_hidden_fields"]
# The form's load, timeline, save and print preview hide an accusation's reporter from those who may not
# see it (xinfang_app/secrecy.py; the list is domain/secrecy.py SECRECY_METHODS).
override_whitelisted_methods.update(_SECRECY_METHODS)
# A report's Excel export is named, and its sheet titled, in the reader's language (reporting.py).
override_whitelisted_methods["frappe.desk.query_report.export_query"] = "xinfang_app.reporting.export_query"

# Petition Review notices read their petition through this, so that they hide the reporter as well.
jinja = {
	"methods": [
		"xinfang_app.secrecy.xinfang_notice_petition",
		"xinfang_app.notices.xinfang_accepting_organ",
	]
}
