"""Township ledger workbooks in and out: import into Dispute Ledger Entry, export in the county template.

The parsing, checking and workbook layout are pure (domain/ledger_workbook.py); this module looks names
up in the database, writes the records and runs large files as a background job with a progress bar.
Nothing is half-written: by default a single bad row means no row is written, and a row that fails while
being saved undoes the whole import; "仅导入有效行" writes the valid rows and hands back the rest.
"""

from __future__ import annotations

import dataclasses

import frappe
from frappe import _
from frappe.desk.notifications import clear_doctype_notifications
from frappe.model.workflow import get_workflow_name
from frappe.utils import getdate, strip_html, today

from xinfang_app.domain import ledger_workbook as wb
from xinfang_app.domain import next_steps as waiting
from xinfang_app.naming import allocate_names
from xinfang_app.query_guard import check
from xinfang_app.xinfang_app.doctype.administrative_division.administrative_division import get_chains

LEDGER = "Dispute Ledger Entry"
DIVISION = "Administrative Division"
ALL_OR_NOTHING, VALID_ROWS_ONLY = "全部有效才导入", "仅导入有效行"
PENDING, QUEUED, RUNNING, IMPORTED, PARTLY_IMPORTED, FAILED = (
	"待导入",
	"排队中",
	"导入中",
	"已导入",
	"部分导入",
	"导入失败",
)
# Above this many data rows the import runs as a background job with a progress bar.
BACKGROUND_ROWS = 300
PROGRESS_EVERY = 1000
# An import requires every village named in it; the pure schema leaves the column optional.
IMPORT_COLUMNS = tuple(
	dataclasses.replace(column, required=True) if column.key == "division" else column
	for column in wb.LEDGER_COLUMNS
)
RECORD_FIELDS = (
	"division",
	"found_on",
	"dispute_type",
	"summary",
	"tier",
	"responsible_unit",
	"resolution_path",
	"status",
	"resolved_on",
	"reported_by",
	"remarks",
)


class LedgerImportError(frappe.ValidationError):
	pass


# ---- import -----------------------------------------------------------------------------------------


@frappe.whitelist()
def check_file(ledger_import: str) -> dict:
	"""Read the workbook and report what an import would do, writing nothing."""
	doc = _import_doc(ledger_import)
	result = parse(doc)
	return {
		"total_rows": result.total_rows,
		"valid_rows": len(result.rows),
		"failed_rows": len(result.failed_rows),
		"messages": messages(result)[:200],
	}


@frappe.whitelist()
def start_import(ledger_import: str) -> str:
	"""Import now, or as a background job for a large workbook; returns the import's status."""
	doc = _import_doc(ledger_import)
	if doc.import_status not in (PENDING, FAILED):
		frappe.throw(
			_("This import has already run ({0}); start a new Ledger Import").format(doc.import_status)
		)
	frappe.has_permission(LEDGER, "create", throw=True)
	if wb.declared_rows(file_content(doc)) <= BACKGROUND_ROWS:
		run_import(doc.name)
		return frappe.db.get_value("Ledger Import", doc.name, "import_status")
	doc.db_set("import_status", QUEUED, notify=True)
	frappe.enqueue(
		run_import,
		queue="long",
		timeout=3600,
		job_id=f"ledger_import::{doc.name}",
		deduplicate=True,
		ledger_import=doc.name,
		user=frappe.session.user,
		enqueue_after_commit=True,
	)
	return QUEUED


def _import_doc(name: str):
	doc = frappe.get_doc("Ledger Import", name)
	doc.check_permission("write")
	return doc


def file_content(doc) -> bytes:
	if not doc.import_file:
		frappe.throw(_("Attach the ledger workbook first"), LedgerImportError)
	# Only a file attached to this import is read: the field must not open another user's private file.
	file = frappe.db.get_value(
		"File",
		{"file_url": doc.import_file, "attached_to_doctype": "Ledger Import", "attached_to_name": doc.name},
	)
	if not file:
		frappe.throw(_("The workbook is not attached to this import; attach it again"), LedgerImportError)
	return frappe.get_doc("File", file).get_content()


def parse(doc) -> wb.ParseResult:
	return wb.parse_ledger_workbook(
		file_content(doc),
		lookups=lookups(doc.division),
		existing_keys=existing_keys(doc.division),
		columns=IMPORT_COLUMNS,
	)


def places_under(division: str) -> list[frappe._dict]:
	"""The division and every division below it (name and division_name)."""
	return frappe.get_all(
		DIVISION, filters=[["name", "descendants of (inclusive)", division]], fields=["name", "division_name"]
	)


def lookups(division: str) -> dict[str, dict[str, str]]:
	"""Names a workbook may use, mapped to records: places under the division, leaf categories, units."""
	places = places_under(division)
	return {
		"division": {wb.normalize_name(row.division_name): row.name for row in places},
		"division" + wb.ELSEWHERE: places_elsewhere({row.name for row in places}),
		"dispute_type": {
			wb.normalize_name(name): name
			for name in frappe.get_all("Petition Category", filters={"is_group": 0}, pluck="name")
		},
		"responsible_unit": {
			wb.normalize_name(name): name for name in frappe.get_all("Government Unit", pluck="name")
		},
	}


def places_elsewhere(inside: set[str]) -> dict[str, str]:
	"""Names of the divisions outside the import's place, each with where it lies (「城关镇」、「…」)."""
	where: dict[str, list[str]] = {}
	for row in frappe.get_all(DIVISION, fields=["name", "division_name", "parent_administrative_division"]):
		if row.name not in inside and row.parent_administrative_division:
			where.setdefault(wb.normalize_name(row.division_name), []).append(
				row.parent_administrative_division
			)
	return {
		name: "、".join(f"「{parent}」" for parent in sorted(set(parents))) for name, parents in where.items()
	}


def existing_keys(division: str) -> dict[str, str]:
	"""Duplicate keys of the ledger entries already recorded under the division, each to its entry's name."""
	places = [row.name for row in places_under(division)]
	entries = frappe.get_all(
		LEDGER, filters={"division": ("in", places)}, fields=["name", "division", "found_on", "summary"]
	)
	return {
		wb.entry_key(entry.division, entry.found_on, "、".join(names), entry.summary): entry.name
		for entry, names in zip(entries, party_names(entries), strict=True)
	}


def party_names(entries: list) -> list[list[str]]:
	"""Each entry's party names, in the order they were entered."""
	names: dict[str, list[str]] = {}
	for row in frappe.get_all(
		"Dispute Party",
		filters={"parenttype": LEDGER, "parent": ("in", [entry.name for entry in entries] or [""])},
		fields=["parent", "party_name"],
		order_by="idx asc",
	):
		names.setdefault(row.parent, []).append(row.party_name)
	return [names.get(entry.name, []) for entry in entries]


def run_import(ledger_import: str, user: str | None = None):
	"""Parse, check and write; as a background job it runs as the user who started it. An unexpected
	failure undoes everything the import wrote and leaves it 导入失败 with the reason, never 导入中."""
	if user:
		frappe.set_user(user)
	doc = frappe.get_doc("Ledger Import", ledger_import)
	doc.db_set("import_status", RUNNING, notify=True)
	frappe.db.savepoint("ledger_import_run")
	try:
		result = parse(doc)
		partial = doc.import_mode == VALID_ROWS_ONLY
		rows = result.rows_to_import(allow_partial=partial)
		written = write_rows(doc, rows, result, partial) if rows else 0
		finish(doc, result, written)
	except Exception as error:
		frappe.db.rollback(save_point="ledger_import_run")
		frappe.log_error(
			title=f"Ledger Import {ledger_import} failed",
			reference_doctype="Ledger Import",
			reference_name=ledger_import,
		)
		doc.db_set(
			{
				"import_status": FAILED,
				"imported_rows": 0,
				"error_log": f"导入时发生系统错误，已全部撤销，请联系管理员：{error}",
			},
			notify=True,
		)


def write_rows(doc, rows: list[wb.LedgerRow], result: wb.ParseResult, partial: bool) -> int:
	"""Insert the rows; all-or-nothing unless partial, where a row the record refuses joins the error workbook.

	The rows are checked and completed as one batch by the record's own code (see prepare_entries), then
	written with a multi-row INSERT per chunk, in the import's transaction. A site that adds per-record work
	to the ledger (see per_row_work) gets the row-by-row save instead, so that this work runs as on a form."""
	if per_row_work():
		return write_rows_one_by_one(doc, rows, result, partial)
	frappe.db.savepoint("ledger_import")
	entries, refused = prepare_entries(doc.name, rows)
	for row, error in refused:
		refuse_row(row, error, result)
	if refused and not partial:
		return 0
	if not entries:
		return 0
	check_create_permission(entries)
	name_entries(entries)
	for written in bulk_insert(entries):
		frappe.publish_progress(
			written * 100 / len(entries),
			title=_("Importing ledger rows"),
			doctype="Ledger Import",
			docname=doc.name,
			description=f"{written} / {len(entries)}",
		)
	add_workflow_actions(entries)
	after_insert(entries)
	return len(entries)


def refuse_row(row: wb.LedgerRow, error: Exception, result: wb.ParseResult):
	message = wb.CellError(row.sheet, row.row_number, None, None, strip_html(str(error)))
	result.errors.append(message)
	result.failed_rows.append(wb.FailedRow(row.sheet, row.row_number, row.display_values(), [message]))


# Frappe work a site may attach to every saved ledger entry. None of it exists on a standard site; if any
# does, the import saves row by row so that each runs exactly as it does when a form is saved.
SITE_HOOKS = (
	("Notification", {"document_type": LEDGER, "enabled": 1}),
	("Webhook", {"webhook_doctype": LEDGER, "enabled": 1}),
	("Server Script", {"reference_doctype": LEDGER, "script_type": "DocType Event", "disabled": 0}),
	("Assignment Rule", {"document_type": LEDGER, "disabled": 0}),
	("Energy Point Rule", {"reference_doctype": LEDGER, "enabled": 1}),
	("Milestone Tracker", {"document_type": LEDGER, "disabled": 0}),
	("Document Naming Rule", {"document_type": LEDGER, "disabled": 0}),
)


def per_row_work() -> list[str]:
	"""What makes the import save row by row: site hooks on the ledger, global search on it, or a user who
	follows the documents they create (each would need its own record per entry)."""
	reasons = [doctype for doctype, filters in SITE_HOOKS if frappe.db.exists(doctype, filters)]
	if frappe.get_meta(LEDGER).get("fields", {"in_global_search": 1}):
		reasons.append("global search")
	if frappe.get_cached_value("User", frappe.session.user, "follow_created_documents"):
		reasons.append("follow created documents")
	return reasons


def prepare_entries(ledger_import: str, rows: list[wb.LedgerRow]) -> tuple[list, list]:
	"""The ledger entries of the rows, each completed and checked as Document.insert does before writing:
	defaults, owner and timestamps, before_insert, the higher-permlevel reset, the controller's validate
	(places stamped from each division's chain, read once per division), Frappe's field checks (mandatory,
	selects, lengths, HTML sanitising) and the workflow's first state. Returns (entries, [(row, error)])
	where each refused row carries the error its save would have raised. Nothing is written."""
	chains = get_chains(row.values.get("division") for row in rows)
	entries, refused = [], []
	messages = len(frappe.local.message_log)
	for row in rows:
		entry = new_entry(row, ledger_import)
		entry.flags.place_chain = chains.get(entry.division, [])
		try:
			entry.set("__islocal", True)
			entry._set_defaults()
			entry.set_user_and_timestamp()
			entry.set_docstatus()
			entry.check_if_latest()  # a new record: no query, sets the save action
			entry.run_method("before_insert")
			# Placeholder names while checking (the series numbers only the entries kept: name_entries).
			entry.name = frappe.generate_hash(length=10)
			for party in entry.parties:
				party.name = frappe.generate_hash(length=10)
			entry.set_parent_in_children()
			entry.validate_higher_perm_levels()
			entry.flags.in_insert = True
			entry.run_before_save_methods()
			entry._validate()
			entry.set_docstatus()
			entry.flags.in_insert = False
		except frappe.ValidationError as error:
			refused.append((row, error))
			continue
		entry.flags.place_chain = None
		entry.row = row
		entries.append(entry)
	# A refused row is reported in the error log and workbook, not as one message box per row.
	del frappe.local.message_log[messages:]
	return entries, refused


def new_entry(row: wb.LedgerRow, ledger_import: str):
	entry = frappe.get_doc(
		{
			"doctype": LEDGER,
			**{field: row.values.get(field) for field in RECORD_FIELDS if row.values.get(field) is not None},
			"parties": [{"party_name": name, "party_role": "其他当事人"} for name in row.party_names],
			"ledger_import": ledger_import,
		}
	)
	# Links were resolved against the database while parsing; checking each again would double the queries.
	entry.flags.ignore_links = True
	return entry


def check_create_permission(entries: list):
	"""Document.insert's permission check, once per division and unit: the rule reads only those."""
	checked = set()
	for entry in entries:
		scope = (entry.division, entry.responsible_unit)
		if scope not in checked:
			entry.check_permission("create")
			checked.add(scope)


def name_entries(entries: list):
	"""Names from the ledger's own series (naming.set_name, one counter per year), taken in one step; the
	party rows keep the random child names Frappe gives them."""
	for entry, name in zip(
		entries, allocate_names(LEDGER, [entry.found_on for entry in entries]), strict=True
	):
		entry.name = name
		entry.set_parent_in_children()


INSERT_CHUNK = 1000


def bulk_insert(entries: list):
	"""Multi-row INSERTs of the entries and their party rows, a chunk at a time; yields the count written."""
	step = max(1, min(INSERT_CHUNK, PROGRESS_EVERY))
	for start in range(0, len(entries), step):
		chunk = entries[start : start + step]
		insert_docs(chunk)
		insert_docs([party for entry in chunk for party in entry.parties])
		yield start + len(chunk)


def insert_docs(docs: list):
	"""db_insert of many documents of one doctype at once: the same columns and values db_insert writes."""
	if not docs:
		return
	rows = [doc.get_valid_dict(convert_dates_to_str=True, ignore_virtual=True) for doc in docs]
	fields = list(rows[0])
	frappe.db.bulk_insert(docs[0].doctype, fields, [tuple(row[field] for field in fields) for row in rows])


def add_workflow_actions(entries: list):
	"""process_workflow_actions for new records, set-based: an entry whose workflow state has a transition
	open to it (its condition holds) gets one Workflow Action naming the roles that may take it."""
	from frappe.model.workflow import get_workflow_safe_globals
	from frappe.utils.safe_exec import safe_eval
	from frappe.workflow.doctype.workflow_action.workflow_action import get_state_optional_field_value

	workflow = get_workflow_name(LEDGER)
	if not workflow:
		return
	field = frappe.get_cached_doc("Workflow", workflow).workflow_state_field
	transitions = {}  # state → its transitions, conditions not yet judged
	actions = []
	now = frappe.utils.now()
	for entry in entries:
		state = entry.get(field)
		if state not in transitions:  # get_next_possible_transitions, the conditions judged below
			transitions[state] = [
				transition
				for transition in frappe.get_all(
					"Workflow Transition",
					fields=["allowed", "action", "state", "allow_self_approval", "next_state", "condition"],
					filters=[["parent", "=", workflow], ["state", "=", state]],
				)
				if not get_state_optional_field_value(workflow, transition.next_state)
			]
		values = None
		roles = set()
		for transition in transitions[state]:
			if transition.condition:
				values = values or entry.as_dict()
				if not safe_eval(transition.condition, get_workflow_safe_globals(), {"doc": values}):
					continue
			roles.add(transition.allowed)
		if roles:
			action = frappe.get_doc(
				{
					"doctype": "Workflow Action",
					"name": frappe.generate_hash(length=10),
					"reference_doctype": LEDGER,
					"reference_name": entry.name,
					"workflow_state": state,
					"status": "Open",
					"permitted_roles": [{"role": role} for role in sorted(roles)],
				}
			)
			action.owner = action.modified_by = frappe.session.user
			action.creation = action.modified = now
			for index, row in enumerate(action.permitted_roles, start=1):
				row.update(
					{
						"name": frappe.generate_hash(length=10),
						"parent": action.name,
						"parenttype": "Workflow Action",
						"parentfield": "permitted_roles",
						"idx": index,
						"owner": action.owner,
						"modified_by": action.owner,
						"creation": now,
						"modified": now,
					}
				)
			actions.append(action)
	for start in range(0, len(actions), INSERT_CHUNK):
		insert_docs(actions[start : start + INSERT_CHUNK])
		insert_docs(
			[row for action in actions[start : start + INSERT_CHUNK] for row in action.permitted_roles]
		)


def after_insert(entries: list):
	"""What Document.insert does after writing, for the batch. On a standard site the ledger's after_insert,
	on_update and on_change hooks come to this:
	- next_steps.notify_next_actor tells nobody of a record entering Ledger Open (it waits on no one; the
	import refuses 已销号 and a closure state, so no entry starts in a waiting state) — checked here;
	- a Version is written on insert only for Data Import's rows (updater_reference), none for a save;
	- the list views of the ledger are told once (list_update) instead of once per entry; doc_update is for
	open forms, and no form shows a record that did not exist;
	- the ledger has no Attach fields (attach_files_to_document), no global search fields and no site hooks
	(per_row_work), and its new records are in no cache (clear_cache)."""
	workflow = get_workflow_name(LEDGER)
	if workflow:
		field = frappe.get_cached_doc("Workflow", workflow).workflow_state_field
		for state in {entry.get(field) for entry in entries}:
			if waiting.waited_action(LEDGER, state, None):  # a guard: the import sets no state itself
				frappe.throw(_("Imported ledger entries cannot start in the state {0}").format(state))
	frappe.publish_realtime(
		"list_update", {"doctype": LEDGER, "user": frappe.session.user}, after_commit=True
	)
	clear_doctype_notifications(entries[0])


def write_rows_one_by_one(doc, rows: list[wb.LedgerRow], result: wb.ParseResult, partial: bool) -> int:
	"""Insert the rows one save at a time (a site with per-record work on the ledger: see per_row_work)."""
	frappe.db.savepoint("ledger_import")
	written = 0
	for number, row in enumerate(rows, start=1):
		try:
			frappe.db.savepoint("ledger_row")
			insert_entry(row, doc.name)
			written += 1
		except frappe.ValidationError as error:
			frappe.db.rollback(save_point="ledger_row")
			refuse_row(row, error, result)
			if not partial:
				frappe.db.rollback(save_point="ledger_import")
				return 0
		if number % PROGRESS_EVERY == 0 or number == len(rows):
			frappe.publish_progress(
				number * 100 / len(rows),
				title=_("Importing ledger rows"),
				doctype="Ledger Import",
				docname=doc.name,
				description=f"{number} / {len(rows)}",
			)
	return written


def insert_entry(row: wb.LedgerRow, ledger_import: str):
	new_entry(row, ledger_import).insert()


def finish(doc, result: wb.ParseResult, written: int):
	if written and not result.failed_rows:
		status = IMPORTED
	elif written:
		status = PARTLY_IMPORTED
	else:
		status = FAILED
	values = {
		"import_status": status,
		"total_rows": result.total_rows,
		"imported_rows": written,
		"failed_rows": len(result.failed_rows),
		"error_log": "\n".join(messages(result)),
		"error_file": save_error_workbook(doc, result) if result.failed_rows else None,
	}
	doc.db_set(values, notify=True)
	frappe.publish_realtime(
		"ledger_import_done",
		{"name": doc.name, "status": status, "imported": written},
		user=frappe.session.user,
		after_commit=True,
	)


def messages(result: wb.ParseResult) -> list[str]:
	lines = [error.text for error in result.errors]
	if result.unknown_columns:
		lines.append("未识别的列（已忽略）：" + "、".join(result.unknown_columns))
	if result.skipped_sheets:
		lines.append("已跳过的工作表（无数据或已隐藏）：" + "、".join(result.skipped_sheets))
	return lines


def save_error_workbook(doc, result: wb.ParseResult) -> str:
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"{doc.name}-错误行-{frappe.generate_hash(length=16)}.xlsx",  # unguessable
			"attached_to_doctype": "Ledger Import",
			"attached_to_name": doc.name,
			"attached_to_field": "error_file",
			"is_private": 1,
			"content": wb.build_error_workbook(result),
		}
	).insert(ignore_permissions=True)
	return file.file_url


# ---- export -----------------------------------------------------------------------------------------

EXPORT_FIELDS = ["name", *RECORD_FIELDS]


@frappe.whitelist()
def export_ledger(filters: str | dict | None = None):
	"""The ledger rows the user can see under `filters` (a list view's), as the county-template .xlsx."""
	frappe.has_permission(LEDGER, "export", throw=True)
	filters = check(LEDGER, filters).filters  # structured, on fields the user may read
	entries = frappe.get_list(
		LEDGER, filters=filters, fields=EXPORT_FIELDS, order_by="found_on asc, name asc", limit_page_length=0
	)
	names = division_names({entry.division for entry in entries})
	rows = [
		{**entry, "division": names.get(entry.division, entry.division), "parties": "、".join(parties)}
		for entry, parties in zip(entries, party_names(entries), strict=True)
	]
	content = wb.build_ledger_export(rows, "矛盾纠纷排查化解台账", export_unit(filters), getdate(today()))
	frappe.response["filename"] = f"矛盾纠纷排查化解台账-{today()}.xlsx"
	frappe.response["filecontent"] = content
	frappe.response["type"] = "binary"


def division_names(names: set[str]) -> dict[str, str]:
	return dict(
		frappe.get_all(
			DIVISION,
			filters={"name": ("in", list(names) or [""])},
			fields=["name", "division_name"],
			as_list=True,
		)
	)


def export_unit(filters: dict | list) -> str:
	"""The unit on the title line: the filtered township or division, else the user's own place."""
	# dict filters ({"township": X}) or a list view's ([doctype, field, "=", X], …)
	pairs = (
		filters.items()
		if isinstance(filters, dict)
		else ((row[-3], row[-1]) for row in filters if len(row) >= 3 and row[-2] == "=")
	)
	chosen = dict(pairs)
	for key in ("township", "division"):
		value = chosen.get(key)
		if isinstance(value, str):
			return frappe.db.get_value(DIVISION, value, "division_name") or value
	# The user's own places (their User Permissions), not every division below them.
	places = frappe.get_all(
		"User Permission", filters={"user": frappe.session.user, "allow": DIVISION}, pluck="for_value"
	)
	if places:
		names = division_names(set(places))
		return "、".join(names.get(place, place) for place in sorted(places))
	return frappe.db.get_value(DIVISION, {"division_level": "County"}, "division_name") or ""
