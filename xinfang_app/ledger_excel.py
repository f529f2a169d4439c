"""Township ledger workbooks in and out: import into Dispute Ledger Entry, export in the county template.

The parsing, checking and workbook layout are pure (domain/ledger_workbook.py); this module looks names
up in the database, writes the records and runs large files as a background job with a progress bar.
Nothing is half-written: by default a single bad row means no row is written, and a row that fails while
being saved undoes the whole import; "仅导入有效行" writes the valid rows and hands back the rest.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import unicodedata

import frappe
from frappe import _
from frappe.desk.notifications import clear_doctype_notifications
from frappe.model import datetime_fields, float_like_fields, no_value_fields, table_fields
from frappe.model.workflow import get_workflow_name, get_workflow_safe_globals
from frappe.utils import cint, cstr, flt, getdate, now, safe_exec, strip_html, today
from RestrictedPython import compile_restricted

from xinfang_app.domain import access, idcard
from xinfang_app.domain import ledger as lg
from xinfang_app.domain import ledger_workbook as wb
from xinfang_app.domain import next_steps as waiting
from xinfang_app.naming import allocate_names
from xinfang_app.query_guard import check
from xinfang_app.xinfang_app.doctype.administrative_division.administrative_division import get_chains
from xinfang_app.xinfang_app.doctype.dispute_ledger_entry.dispute_ledger_entry import (
	LedgerValidationError,
	closed_status_refusal,
	resolution_refusal,
)

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

	The rows are checked and completed as one batch with the record's own rules (see prepare_entries), then
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
		publish_progress(doc.name, written, len(entries))
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
	"""What makes the import save row by row: site hooks on the ledger, global search or attachment fields on
	it, or a user who follows the documents they create (each needs its own work per entry)."""
	reasons = [doctype for doctype, filters in SITE_HOOKS if frappe.db.exists(doctype, filters)]
	meta = frappe.get_meta(LEDGER)
	if meta.get("fields", {"in_global_search": 1}):
		reasons.append("global search")
	if meta.get("fields", {"fieldtype": ("in", ["Attach", "Attach Image"])}):
		reasons.append("attachments")  # attach_files_to_document links each record's files
	if frappe.get_cached_value("User", frappe.session.user, "follow_created_documents"):
		reasons.append("follow created documents")
	return reasons


@dataclasses.dataclass
class Entry:
	"""A ledger entry ready to write: its column values and its party rows' (as db_insert writes them)."""

	row: wb.LedgerRow
	values: dict
	parties: list[dict]


# Controller methods a new record runs on insert before it is written; DisputeLedgerEntry defines only
# validate, whose rules prepare_entries applies. A controller or doc_events hook adding another sends every
# row through Document's own steps (prepare_document).
BEFORE_WRITE = ("before_insert", "before_naming", "before_validate", "validate", "before_save")


def plain_batch() -> bool:
	"""True when the record's pre-write code is DisputeLedgerEntry.validate alone (see BEFORE_WRITE)."""
	from xinfang_app.xinfang_app.doctype.dispute_ledger_entry.dispute_ledger_entry import DisputeLedgerEntry

	hooked = frappe.get_doc_hooks()
	for method in BEFORE_WRITE:
		if method in hooked.get(LEDGER, {}) or method in hooked.get("*", {}):
			return False
		if method != "validate" and callable(getattr(DisputeLedgerEntry, method, None)):
			return False
	controller = frappe.get_doc({"doctype": LEDGER})
	return type(controller) is DisputeLedgerEntry


class Batch:
	"""What every row of the import shares: who and when, the defaults, the workflow's first state, the
	settings the controller reads, the checks of Frappe's field layer and the column order of the tables."""

	def __init__(self, ledger_import: str):
		self.ledger_import = ledger_import
		self.user = frappe.session.user
		self.now = now()
		self.today = getdate()
		self.months = frappe.db.get_single_value("Xinfang Settings", "ledger_observation_months")
		self.defaults = {
			key: value
			for key, value in frappe.new_doc(LEDGER, as_dict=True).items()
			if value is not None and key not in ("doctype", "name", "__islocal")
		}
		self.party_defaults = {
			key: value
			for key, value in frappe.new_doc("Dispute Party", as_dict=True).items()
			if value is not None and key not in ("doctype", "name", "__islocal", "parent")
		}
		workflow = get_workflow_name(LEDGER)
		self.state_field = self.first_state = None
		if workflow:
			flow = frappe.get_cached_doc("Workflow", workflow)
			self.state_field, self.first_state = flow.workflow_state_field, flow.states[0].state
		self.screens = {LEDGER: FieldScreen(LEDGER), "Dispute Party": FieldScreen("Dispute Party")}
		self.columns = {doctype: Columns(doctype) for doctype in (LEDGER, "Dispute Party")}
		self.stamped = access.STAMPED_PLACES[LEDGER]


def prepare_entries(ledger_import: str, rows: list[wb.LedgerRow]) -> tuple[list[Entry], list]:
	"""The ledger entries of the rows, each completed and checked as its save would do before writing, with
	what is the same for all read once (Batch) and the divisions' chains read once per division:
	- Document.insert: defaults, owner and timestamps, docstatus, the workflow's first state;
	- DisputeLedgerEntry.validate: places stamped from the division's chain, screening week, party ID
	numbers masked, the resolution and 已销号 rules (the controller's own functions), observation end;
	- Frappe's field checks (mandatory, select options, column lengths, HTML): a row the screen cannot clear
	(FieldScreen) goes through Document's own steps (prepare_document), and so does every row when the
	record's pre-write code is more than that (plain_batch).
	Returns (entries, [(row, error)]), each refused row with the error its save would raise. Writes nothing."""
	chains = get_chains(row.values.get("division") for row in rows)
	batch = Batch(ledger_import)
	plain = plain_batch()
	entries, refused = [], []
	messages = len(frappe.local.message_log)
	for row in rows:
		try:
			entry = plain_entry(row, batch, chains) if plain else None
			if entry is None:
				entry = prepare_document(row, batch, chains)
		except frappe.ValidationError as error:
			refused.append((row, error))
			continue
		entries.append(entry)
	# A refused row is reported in the error log and workbook, not as one message box per row.
	del frappe.local.message_log[messages:]
	return entries, refused


def plain_entry(row: wb.LedgerRow, batch: Batch, chains: dict) -> Entry | None:
	"""The entry of a row as its save would write it; None when Frappe's field layer must see it itself."""
	values = dict(batch.defaults)
	values.update({field: row.values[field] for field in RECORD_FIELDS if row.values.get(field) is not None})
	values["ledger_import"] = batch.ledger_import
	parties = [
		{**batch.party_defaults, "party_name": name, "party_role": "其他当事人"} for name in row.party_names
	]
	# DisputeLedgerEntry.validate, in its order
	found_on = getdate(values["found_on"]) if values.get("found_on") else None
	resolved_on = getdate(values["resolved_on"]) if values.get("resolved_on") else None
	values.update(access.place_stamps(chains.get(values.get("division"), []), batch.stamped))
	values["screening_week"] = lg.screening_week(found_on) if found_on else None
	for party in parties:  # disputes.take_party_id_numbers: no number comes in through the workbook
		party["id_number_masked"] = idcard.mask(party.get("id_number"))
	refusal = resolution_refusal(values.get("status"), found_on, resolved_on, batch.today)
	if refusal:
		frappe.throw(refusal[0], LedgerValidationError, title=refusal[1])
	values["observation_until"] = lg.observation_until(resolved_on, batch.months)
	refusal = closed_status_refusal(
		values.get("status"), values.get(batch.state_field) if batch.state_field else None
	)
	if refusal:
		frappe.throw(refusal, LedgerValidationError)
	# Frappe's field layer
	if not batch.screens[LEDGER].passes(values) or not all(
		batch.screens["Dispute Party"].passes(party) for party in parties
	):
		return None
	batch.screens[LEDGER].strip_selects(values)
	for party in parties:
		batch.screens["Dispute Party"].strip_selects(party)
	if batch.state_field and not values.get(batch.state_field):
		values[batch.state_field] = batch.first_state
	stamp = {"owner": batch.user, "modified_by": batch.user, "creation": batch.now, "modified": batch.now}
	values.update(stamp, docstatus=0, idx=0)
	for index, party in enumerate(parties, start=1):
		party.update(stamp, docstatus=0, idx=index, parenttype=LEDGER, parentfield="parties")
		party["name"] = frappe.generate_hash(length=10)
	return Entry(row, values, parties)


def prepare_document(row: wb.LedgerRow, batch: Batch, chains: dict) -> Entry:
	"""The entry of a row through Document.insert's own steps up to the write (no link re-check, no name)."""
	entry = new_entry(row, batch.ledger_import)
	entry.flags.place_chain = chains.get(entry.division, [])
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
	entry.flags.place_chain = None
	return Entry(
		row,
		entry.get_valid_dict(ignore_virtual=True),
		[party.get_valid_dict(ignore_virtual=True) for party in entry.parties],
	)


# Field types whose values Frappe's field checks read no further than is screened below (required, select
# options, column length, HTML): a value in a field of any other type sends its record through the checks.
PLAIN_TYPES = frozenset(
	{"Data", "Link", "Select", "Date", "Text", "Small Text", "Long Text", "Check", "Int", "Float"}
	| set(no_value_fields)
	| set(table_fields)
)


class FieldScreen:
	"""Which records Frappe's own field checks (Document._validate) could refuse or change, with the
	doctype's metadata read once: a record that passes the screen passes those checks unchanged but for the
	select values they strip; any other goes through the checks themselves, which raise their own message."""

	def __init__(self, doctype: str):
		meta = frappe.get_meta(doctype)
		type_map = frappe.db.type_map
		self.required = [df.fieldname for df in meta.fields if df.reqd]
		self.selects = {
			df.fieldname: set(df.options.split("\n"))
			for df in meta.fields
			if df.fieldtype == "Select" and df.options and any(df.options.split("\n"))
		}
		self.lengths, self.other, self.texts = {}, [], []
		for df in meta.fields:
			if df.fieldtype in no_value_fields or df.fieldtype in table_fields:
				continue
			if df.fieldtype not in PLAIN_TYPES or (df.options and df.fieldtype == "Data") or df.non_negative:
				self.other.append(df.fieldname)
			if df.fieldtype in ("Int", "Float", "Check"):
				self.other.append(df.fieldname)  # numbers are cast and range-checked: screened as other
				continue
			column = type_map.get(df.fieldtype, (None, None))
			if column[0] == "varchar":
				self.lengths[df.fieldname] = cint(df.length) or cint(column[1])
			self.texts.append(df.fieldname)

	def passes(self, values: dict) -> bool:
		for fieldname in self.required:
			if values.get(fieldname) in (None, "", []):
				return False
		for fieldname in self.other:
			if values.get(fieldname) not in (None, "", 0):
				return False
		for fieldname, options in self.selects.items():
			value = cstr(values.get(fieldname)).strip()  # as _validate_selects stores it
			if value not in options:
				return False
		for fieldname in self.texts:
			value = values.get(fieldname)
			if isinstance(value, str) and ("<" in value or ">" in value):
				return False  # _sanitize_content would rewrite it
		for fieldname, length in self.lengths.items():
			value = values.get(fieldname)
			if value is not None and len(cstr(value)) > length:
				return False
		return True

	def strip_selects(self, values: dict):
		for fieldname in self.selects:
			values[fieldname] = cstr(values.get(fieldname)).strip()


class Columns:
	"""The columns db_insert writes for a doctype, with get_valid_dict's conversion of each value."""

	def __init__(self, doctype: str):
		meta = frappe.get_meta(doctype)
		self.doctype = doctype
		self.names = [
			name for name in meta.get_valid_columns() if not getattr(meta.get_field(name), "is_virtual", 0)
		]
		self.kinds = []
		for name in self.names:
			df = meta.get_field(name)
			kind = None
			if df:
				if df.fieldtype == "Check":
					kind = "check"
				elif df.fieldtype == "Int":
					kind = "int"
				elif df.fieldtype in float_like_fields:
					kind = "float"
				elif df.fieldtype in datetime_fields or getattr(df, "unique", False):
					kind = "nullable"
			self.kinds.append(kind)

	def row(self, values: dict) -> list:
		out = []
		for name, kind in zip(self.names, self.kinds, strict=True):
			value = values.get(name)
			if kind == "check":
				value = 1 if cint(value) else 0
			elif kind == "int" and not isinstance(value, int):
				value = cint(value)
			elif kind == "float" and not isinstance(value, float):
				value = flt(value)
			elif kind == "nullable" and cstr(value).strip() == "":
				value = None
			if isinstance(value, datetime.date | datetime.time | datetime.timedelta):
				value = str(value)
			out.append(value)
		return out


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


def check_create_permission(entries: list[Entry]):
	"""Document.insert's permission check, once per combination of the entries' link values (the place and
	unit rules and any User Permission read only those)."""
	links = [df.fieldname for df in frappe.get_meta(LEDGER).get_link_fields()]
	checked = set()
	for entry in entries:
		key = tuple(entry.values.get(field) for field in links)
		if key not in checked:
			frappe.get_doc(
				{"doctype": LEDGER, **{field: entry.values.get(field) for field in links}}
			).check_permission("create")
			checked.add(key)


def name_entries(entries: list[Entry]):
	"""Names from the ledger's own series (naming.set_name, one counter per year), taken in one step; the
	party rows keep the random child names Frappe gives them."""
	names = allocate_names(LEDGER, [entry.values.get("found_on") for entry in entries])
	for entry, name in zip(entries, names, strict=True):
		entry.values["name"] = name
		for party in entry.parties:
			party["parent"] = name


INSERT_CHUNK = 1000


def bulk_insert(entries: list[Entry]):
	"""Multi-row INSERTs of the entries and their party rows, a chunk at a time; yields the count written."""
	step = max(1, min(INSERT_CHUNK, PROGRESS_EVERY))
	for start in range(0, len(entries), step):
		chunk = entries[start : start + step]
		insert_rows(LEDGER, [entry.values for entry in chunk])
		insert_rows("Dispute Party", [party for entry in chunk for party in entry.parties])
		yield start + len(chunk)


def insert_rows(doctype: str, rows: list[dict]):
	"""db_insert of many records of one doctype at once: the columns and values db_insert writes, in one
	multi-row INSERT (frappe.db.bulk_insert's statement, the values passed as parameters to the driver)."""
	if not rows:
		return
	columns = Columns(doctype)
	names = ", ".join(f"`{name}`" for name in columns.names)
	placeholders = "(" + ", ".join(["%s"] * len(columns.names)) + ")"
	frappe.db.sql(
		f"insert into `tab{doctype}` ({names}) values " + ", ".join([placeholders] * len(rows)),
		[value for row in rows for value in columns.row(row)],
	)


def add_workflow_actions(entries: list[Entry]):
	"""process_workflow_actions for new records, set-based: an entry whose workflow state has a transition
	open to it (its condition holds) gets one Workflow Action naming the roles that may take it."""
	from frappe.workflow.doctype.workflow_action.workflow_action import get_state_optional_field_value

	workflow = get_workflow_name(LEDGER)
	if not workflow:
		return
	field = frappe.get_cached_doc("Workflow", workflow).workflow_state_field
	transitions = {}  # state → its transitions, conditions not yet judged
	actions, roles_rows = [], []
	user, stamp = frappe.session.user, now()
	common = {"owner": user, "modified_by": user, "creation": stamp, "modified": stamp, "docstatus": 0}
	for entry in entries:
		state = entry.values.get(field)
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
		doc, judged = None, {}
		roles = set()
		for transition in transitions[state]:
			condition = transition.condition
			if condition:
				if condition not in judged:
					doc = doc or as_document_dict(entry)
					judged[condition] = condition_holds(condition, doc)
				if not judged[condition]:
					continue
			roles.add(transition.allowed)
		if not roles:
			continue
		name = frappe.generate_hash(length=10)
		actions.append(
			{
				**common,
				"name": name,
				"idx": 0,
				"reference_doctype": LEDGER,
				"reference_name": entry.values["name"],
				"workflow_state": state,
				"status": "Open",
			}
		)
		for index, role in enumerate(sorted(roles), start=1):
			roles_rows.append(
				{
					**common,
					"name": frappe.generate_hash(length=10),
					"parent": name,
					"parenttype": "Workflow Action",
					"parentfield": "permitted_roles",
					"idx": index,
					"role": role,
				}
			)
	for start in range(0, len(actions), INSERT_CHUNK):
		insert_rows("Workflow Action", actions[start : start + INSERT_CHUNK])
	for start in range(0, len(roles_rows), INSERT_CHUNK):
		insert_rows("Workflow Action Permitted Role", roles_rows[start : start + INSERT_CHUNK])


def as_document_dict(entry: Entry) -> frappe._dict:
	"""The entry as doc.as_dict() gives it to a workflow condition: fields, and the party rows as a list."""
	return frappe._dict(
		entry.values,
		doctype=LEDGER,
		parties=[frappe._dict(party, doctype="Dispute Party") for party in entry.parties],
	)


@functools.cache
def compiled_condition(condition: str):
	"""frappe.safe_eval's checks and compilation of a transition condition, done once per condition."""
	code = unicodedata.normalize("NFKC", condition)
	safe_exec._validate_safe_eval_syntax(code)
	return compile_restricted(code, filename="<safe_eval>", policy=safe_exec.FrappeTransformer, mode="eval")


def condition_holds(condition: str, doc: dict) -> bool:
	"""is_transition_condition_satisfied: frappe.safe_eval of the condition with the workflow's globals."""
	scope = get_workflow_safe_globals()
	scope["__builtins__"] = {}
	scope.update(safe_exec.WHITELISTED_SAFE_EVAL_GLOBALS)
	return bool(eval(compiled_condition(condition), scope, {"doc": doc}))


def after_insert(entries: list):
	"""What Document.insert does after writing, for the batch. On a standard site the ledger's after_insert,
	on_update and on_change hooks come to this:
	- next_steps.notify_next_actor tells nobody of a record entering Ledger Open (it waits on no one; the
	import refuses 已销号 and a closure state, so no entry starts in a waiting state) — checked here;
	- a Version is written on insert only for Data Import's rows (updater_reference), none for a save;
	- the list views of the ledger are told once (list_update) instead of once per entry; doc_update is for
	open forms, and no form shows a record that did not exist;
	- Attach fields (attach_files_to_document), global search fields and site hooks on the ledger send the
	import row by row (per_row_work); a new record is in no cache (clear_cache)."""
	workflow = get_workflow_name(LEDGER)
	if workflow:
		field = frappe.get_cached_doc("Workflow", workflow).workflow_state_field
		for state in {entry.values.get(field) for entry in entries}:
			if waiting.waited_action(LEDGER, state, None):  # a guard: the import sets no state itself
				frappe.throw(_("Imported ledger entries cannot start in the state {0}").format(state))
	frappe.publish_realtime(
		"list_update", {"doctype": LEDGER, "user": frappe.session.user}, after_commit=True
	)
	clear_doctype_notifications(frappe._dict(doctype=LEDGER))


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
			publish_progress(doc.name, number, len(rows))
	return written


def publish_progress(import_name: str, done: int, total: int):
	"""The import form's progress bar: rows written (or tried) of all."""
	frappe.publish_progress(
		done * 100 / total,
		title=_("Importing ledger rows"),
		doctype="Ledger Import",
		docname=import_name,
		description=f"{done} / {total}",
	)


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
