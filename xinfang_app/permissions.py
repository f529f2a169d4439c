"""Row-level access for xinfang_app (docs/DESIGN.md §6), used on every channel.

One criterion per doctype serves both `permission_query_conditions` (lists, counts, Report Builder,
REST, link search, export) and `has_permission` (form, print, attachments, comments, API get).

- Place scope comes from User Permissions on Administrative Division: the divisions granted and all under
  them (unless the permission hides descendants). It is matched by the tree, never by listing the names
  under a place: a record carries its city, county and township (stamped on save, re-stamped when a
  division moves), so a place of those levels is one indexed equality; a lower place (a village) is
  matched by the tree's lft/rgt range. Frappe's own User Permission check is off on the division fields
  the app scopes (access.PLACE_FIELDS): it would put every division under the place in each query.
- Unit scope comes from User Permissions on Government Unit (a unit handler's own unit).
- A user with neither sees nothing; the Administrator and the Xinfang Manager role see everything.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

import frappe
from frappe.model.document import Document
from frappe.utils import cint

from xinfang_app.domain.access import (
	CHILD_TABLES,
	PLACE_COLUMNS,
	STAMPED_PLACES,
	UNRESTRICTED_ROLES,
	Place,
	Scope,
	make_scope,
)
from xinfang_app.secrecy import accusation_exclusion, party_condition

DIVISION = "Administrative Division"
UNIT = "Government Unit"
DENY_ALL = "1=0"
SCOPED = ("Petition", "Petitioner")


PLACES_CACHE = "user_permissions"  # Frappe's hash of User Permissions: whatever clears it clears these too


def get_scope(user: str | None = None) -> Scope:
	user = user or frappe.session.user
	if user == "Administrator":
		return make_scope((), is_admin=True)
	roles = frappe.get_roles(user)
	if UNRESTRICTED_ROLES.intersection(roles):
		return make_scope(roles)
	places, units = _grants(user)
	return make_scope(roles, places=places, units=units)


def _grants(user: str) -> tuple[tuple[Place, ...], tuple[str, ...]]:
	"""The user's granted places (with their levels, not expanded) and units, cached beside Frappe's own
	User Permissions of the user (cleared with them, and when a division is added or moves)."""
	key = _places_key(user)
	cached = frappe.cache.hget(PLACES_CACHE, key)
	if cached is not None:
		return cached
	rows = frappe.db.sql(
		"""select up.allow, up.for_value, up.applicable_for, up.hide_descendants, d.division_level
		from `tabUser Permission` up
		left join `tabAdministrative Division` d on up.allow = %(division)s and d.name = up.for_value
		where up.user = %(user)s and up.allow in (%(division)s, %(unit)s)""",
		{"user": user, "division": DIVISION, "unit": UNIT},
		as_dict=True,
	)
	# A permission restricted to some other doctype (applicable_for) does not widen the scope here.
	rows = [row for row in rows if not row.applicable_for or row.applicable_for in SCOPED]
	places = tuple(
		sorted(
			{
				Place(row.for_value, row.division_level or "", subtree=not row.hide_descendants)
				for row in rows
				if row.allow == DIVISION
			}
		)
	)
	units = tuple(sorted({row.for_value for row in rows if row.allow == UNIT}))
	frappe.cache.hset(PLACES_CACHE, key, (places, units))
	return places, units


def _places_key(user: str) -> str:
	return f"xinfang_app:places:{user}"


def clear_places_cache(doc, method=None):
	"""on_update/on_trash of User Permission (Frappe drops its own cache of the user's permissions then)."""
	frappe.cache.hdel(PLACES_CACHE, _places_key(doc.user))


def tree_condition(places) -> str:
	"""SQL over `tabAdministrative Division`: the divisions of `places` and all under them (the division alone
	for a place granted without its descendants), by the tree's lft/rgt ranges."""
	tops = frappe.get_all(
		DIVISION, filters={"name": ("in", sorted(p.name for p in places))}, fields=["name", "lft", "rgt"]
	)
	subtree = {place.name for place in places if place.subtree}
	parts = [
		f"(lft >= {cint(top.lft)} and rgt <= {cint(top.rgt)})"
		if top.name in subtree
		else f"name = {frappe.db.escape(top.name, percent=False)}"
		for top in tops
	]
	return "(" + " or ".join(parts) + ")" if parts else DENY_ALL


def division_range_filters(user: str | None = None) -> list[list] | None:
	"""What Frappe's own User Permission check on Administrative Division itself means for a reader with one
	place granted with everything under it, as the tree's range ([lft >=, rgt <=] filters): the same
	divisions, without every name under the place in the query. None where it is not that simple (no
	place or several, a place without its descendants, a permission for some doctypes only): Frappe's
	check stays as it is."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	grants = frappe.get_all(
		"User Permission",
		filters={"user": user, "allow": DIVISION},
		fields=["for_value", "hide_descendants", "apply_to_all_doctypes", "applicable_for"],
	)
	if len(grants) != 1:
		return None
	grant = grants[0]
	if grant.hide_descendants or grant.applicable_for or not grant.apply_to_all_doctypes:
		return None
	node = frappe.db.get_value(DIVISION, grant.for_value, ["lft", "rgt"], as_dict=True)
	if not node:
		return None
	return [[DIVISION, "lft", ">=", node.lft], [DIVISION, "rgt", "<=", node.rgt]]


def chain_of(division: str | None) -> tuple[str, ...]:
	"""A record's division and the divisions above it, nearest first (what Scope.covers reads). An
	unknown division is its own chain, so that it is never taken for an empty one."""
	if not division:
		return ()
	from xinfang_app.xinfang_app.doctype.administrative_division.administrative_division import get_chain

	return tuple(name for name, _level in get_chain(division)) or (division,)


def covers(scope: Scope, division: str | None = None, unit: str | None = None) -> bool:
	"""Scope.covers for a record's division and unit, its place read from the tree."""
	if scope.unrestricted:
		return True
	if not division and not unit:
		return False
	chain = chain_of(division) if scope.places and division else ((division,) if division else ())
	return scope.covers(chain, unit)


def _in(column: str, values) -> str:
	return f"{column} in ({', '.join(frappe.db.escape(v, percent=False) for v in sorted(values))})"


def place_condition(places, table: str, doctype: str, field: str = "division") -> str:
	"""SQL: the record (`table`.`field`) lies in one of `places`. A place whose level the doctype stamps
	(city, county, township) is one equality on the stamped column; any other place is matched by the
	tree's range under it; a place granted without its descendants is the division itself."""
	stamped = STAMPED_PLACES.get(doctype, ()) if field == "division" else ()
	by_column: dict[str, list[str]] = {}
	ranges = []
	for place in sorted(places):
		column = PLACE_COLUMNS.get(place.level)
		if not place.subtree:
			by_column.setdefault(field, []).append(place.name)
		elif column in stamped:
			by_column.setdefault(column, []).append(place.name)
		else:
			ranges.append(place.name)
	parts = [
		f"{table}.`{column}` = {frappe.db.escape(names[0], percent=False)}"
		if len(names) == 1
		else _in(f"{table}.`{column}`", names)
		for column, names in by_column.items()
	]
	if ranges:
		parts.append(
			f"{table}.`{field}` in (select `sub`.`name` from `tabAdministrative Division` `sub`"
			" inner join `tabAdministrative Division` `top` on `sub`.`lft` >= `top`.`lft` and `sub`.`rgt` <= `top`.`rgt`"
			f" where {_in('`top`.`name`', ranges)})"
		)
	if not parts:
		return DENY_ALL
	return parts[0] if len(parts) == 1 else "(" + " or ".join(parts) + ")"


def _petition_condition(scope: Scope, alias: str = "`tabPetition`", doctype: str = "Petition") -> str:
	"""In the user's places, or handled by the user's unit (petitions, and ledger entries like them).

	A user with places reads a unit's records only where they have no division (Scope.covers)."""
	parts = []
	if scope.places:
		parts.append(place_condition(scope.places, alias, doctype))
	if scope.units:
		unit = _in(f"{alias}.`responsible_unit`", scope.units)
		parts.append(f"(ifnull({alias}.`division`, '') = '' and {unit})" if scope.places else unit)
	return "(" + " or ".join(parts) + ")" if parts else DENY_ALL


def petition_query(user: str | None = None, doctype: str | None = None) -> str:
	scope = get_scope(user)
	if scope.unrestricted:
		return ""
	return _petition_condition(scope)


def petition_has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	scope = get_scope(user)
	if covers(scope, doc.get("division"), doc.get("responsible_unit")):
		return None  # no objection: role permissions and Frappe's own checks decide
	return False


# Records about one petition (reviews, supervision notices, follow-up visits, leader cases) follow the petition's scope.
PETITION_RECORDS = ("Petition Review", "Supervision Notice", "Follow-up Visit", "Leader Case Assignment")


def petition_record_query(user: str | None = None, doctype: str | None = None) -> str:
	scope = get_scope(user)
	if scope.unrestricted:
		return ""
	table = f"`tab{doctype}`"
	return (
		f"{table}.`petition` in (select `pet`.`name` from `tabPetition` `pet`"
		f" where {_petition_condition(scope, '`pet`')})"
	)


def petition_record_has_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
):
	scope = get_scope(user)
	if scope.unrestricted:
		return None
	petition = frappe.db.get_value(
		"Petition", doc.get("petition"), ["division", "responsible_unit"], as_dict=True
	)
	if petition and covers(scope, petition.division, petition.responsible_unit):
		return None
	return False


def petitioner_query(user: str | None = None, doctype: str | None = None) -> str:
	user = user or frappe.session.user
	scope = get_scope(user)
	if scope.unrestricted:
		return ""
	if scope.is_empty:
		return DENY_ALL
	parts = [f"`tabPetitioner`.`owner` = {frappe.db.escape(user, percent=False)}"]
	if scope.places:
		parts.append(place_condition(scope.places, "`tabPetitioner`", "Petitioner"))
	parts.append(
		"`tabPetitioner`.`name` in (select `party`.`petitioner` from `tabPetition Party` `party`"
		" inner join `tabPetition` `pet` on `pet`.`name` = `party`.`parent`"
		f" where `party`.`parenttype` = 'Petition' and {_petition_condition(scope, '`pet`')}"
		f"{accusation_exclusion(user)})"  # not through an accusation, whose reporter stays secret
	)
	return "(" + " or ".join(parts) + ")"


def petitioner_has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""A petitioner is visible where they live, to whoever registered them, and to everyone who can see a
	petition they are a party to. Anyone with a scope may register a petitioner from elsewhere: people
	petition where the matter arose, not only where they live."""
	user = user or frappe.session.user
	scope = get_scope(user)
	if scope.unrestricted:
		return None
	if scope.is_empty:
		return False
	if doc.is_new() or doc.get("owner") == user:
		return None
	if scope.places and doc.get("division") and scope.in_places(chain_of(doc.get("division"))):
		return None
	# not through an accusation, whose reporter stays secret (xinfang_app/secrecy.py)
	condition = _petition_condition(scope, "`pet`") + accusation_exclusion(user)
	found = frappe.db.sql(
		"select 1 from `tabPetition Party` `party`"
		" inner join `tabPetition` `pet` on `pet`.`name` = `party`.`parent`"
		f" where `party`.`parenttype` = 'Petition' and `party`.`petitioner` = %s and {condition} limit 1",
		doc.name,
	)
	return None if found else False


def file_query(user: str | None = None, doctype: str | None = None) -> str:
	"""Frappe lists every private file attached to a readable doctype; keep only attachments of scoped
	documents inside the user's scope (downloads are already checked per document)."""
	return _reference_condition("`tabFile`", "attached_to_doctype", "attached_to_name", user)


def workflow_action_query(user: str | None = None, doctype: str | None = None) -> str:
	"""Frappe shows a Workflow Action (待办) to every user of the role that may act; keep only those whose
	record the user may read, so that the list names no record out of scope."""
	return _reference_condition("`tabWorkflow Action`", "reference_doctype", "reference_name", user)


def workflow_action_has_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
):
	reference = doc.get("reference_doctype")
	if reference in _scoped_doctypes() and doc.get("reference_name"):
		if not frappe.has_permission(reference, "read", doc=doc.get("reference_name"), user=user):
			return False
	return None


def _scoped_doctypes() -> tuple[str, ...]:
	"""The app's doctypes with a row criterion of their own (hooks.py), child tables and File aside."""
	from xinfang_app import hooks

	return tuple(
		doctype
		for doctype in hooks.permission_query_conditions
		if doctype != "File" and doctype not in CHILD_TABLES and doctype != "Workflow Action"
	)


def _reference_condition(table: str, doctype_column: str, name_column: str, user: str | None) -> str:
	"""Rows of a Frappe doctype that point at a record (a file's attachment, a workflow action): those
	pointing at a scoped doctype only when the record is inside the user's scope."""
	scope = get_scope(user)
	if scope.unrestricted:
		return ""
	from xinfang_app import hooks

	doctypes = _scoped_doctypes()
	parts = [
		f"ifnull({table}.`{doctype_column}`, '') not in"
		f" ({', '.join(frappe.db.escape(name, percent=False) for name in doctypes)})"
	]
	for name in doctypes:
		condition = frappe.get_attr(hooks.permission_query_conditions[name])(user, doctype=name)
		parts.append(
			f"({table}.`{doctype_column}` = {frappe.db.escape(name, percent=False)}"
			f" and {table}.`{name_column}` in (select `name` from `tab{name}` where {condition or '1=1'}))"
		)
	return "(" + " or ".join(parts) + ")"


# ---- dispute ledger, field visits, joint meetings, mediation (issue 4) ------------------------------


def ledger_query(user: str | None = None, doctype: str | None = None) -> str:
	scope = get_scope(user)
	if scope.unrestricted:
		return ""
	return _petition_condition(scope, "`tabDispute Ledger Entry`", "Dispute Ledger Entry")


def ledger_has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	if covers(get_scope(user), doc.get("division"), doc.get("responsible_unit")):
		return None
	return False


def place_query(user: str | None = None, doctype: str | None = None) -> str:
	"""Records of a place (field visits, joint meetings): the user's divisions only."""
	scope = get_scope(user)
	if scope.unrestricted:
		return ""
	return place_condition(scope.places, f"`tab{doctype}`", doctype) if scope.places else DENY_ALL


def place_has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	return None if covers(get_scope(user), doc.get("division")) else False


def _mediation_case_scope(user: str | None) -> tuple[Scope, str, bool]:
	user = user or frappe.session.user
	from xinfang_app.domain.access import PLACE_ROLES

	scope = get_scope(user)
	has_place_role = bool(PLACE_ROLES.intersection(frappe.get_roles(user)))
	return scope, user, has_place_role


def mediation_case_query(
	user: str | None = None, doctype: str | None = None, alias: str = "`tabMediation Case`"
) -> str:
	"""Assigned mediators (mediators child row → Mediator.user), and officers in whose divisions the case lies."""
	scope, user, has_place_role = _mediation_case_scope(user)
	if scope.unrestricted:
		return ""
	assigned = (
		f"{alias}.`name` in (select `cm`.`parent` from `tabMediation Case Mediator` `cm`"
		" inner join `tabMediator` `med` on `med`.`name` = `cm`.`mediator`"
		f" where `cm`.`parenttype` = 'Mediation Case' and `med`.`user` = {frappe.db.escape(user, percent=False)})"
	)
	if not scope.places:
		return assigned
	# Frappe's User Permission on the division, which this criterion replaces, was ANDed with it: a user
	# with places reads no case in a division outside them, even one they are assigned to.
	places = place_condition(scope.places, alias, "Mediation Case")
	if has_place_role:
		return f"({places} or (ifnull({alias}.`division`, '') = '' and {assigned}))"
	return f"((ifnull({alias}.`division`, '') = '' or {places}) and {assigned})"


def mediation_case_has_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
):
	scope, user, has_place_role = _mediation_case_scope(user)
	if scope.unrestricted:
		return None
	division = doc.get("division")
	inside = bool(scope.places and division and scope.in_places(chain_of(division)))
	if scope.places and division and not inside:
		return False  # as Frappe's User Permission on the division said (mediation_case_query)
	if has_place_role and inside:
		return None
	if doc.is_new() and has_place_role:
		return False
	if is_assigned_mediator(doc, user):
		return None
	return False


def is_assigned_mediator(doc, user: str) -> bool:
	# The saved assignment decides, so a mediator cannot add themselves to a case by editing the form.
	if doc.is_new():
		return False
	return bool(
		frappe.db.sql(
			"select 1 from `tabMediation Case Mediator` `cm` inner join `tabMediator` `med`"
			" on `med`.`name` = `cm`.`mediator` where `cm`.`parenttype` = 'Mediation Case'"
			" and `cm`.`parent` = %s and `med`.`user` = %s limit 1",
			(doc.name, user),
		)
	)


# Records placed in a division (reception days and their records) follow the reader's place scope.
def division_record_query(user: str | None = None, doctype: str | None = None) -> str:
	scope = get_scope(user)
	if scope.unrestricted:
		return ""
	table = f"`tab{doctype}`"
	parts = []
	if scope.places:
		parts.append(place_condition(scope.places, table, doctype))
	if scope.units and doctype == "Reception Record":
		# A unit handler reads the reception records that instruct their unit (a user with places: only
		# those without a division, as Frappe's User Permission on the division said).
		instructed = (
			f"{table}.`name` in (select `ins`.`parent` from `tabReception Instruction` `ins`"
			f" where `ins`.`parenttype` = 'Reception Record' and {_in('`ins`.`assigned_unit`', scope.units)})"
		)
		parts.append(
			f"(ifnull({table}.`division`, '') = '' and {instructed})" if scope.places else instructed
		)
	return "(" + " or ".join(parts) + ")" if parts else DENY_ALL


def division_record_has_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
):
	scope = get_scope(user)
	if scope.unrestricted:
		return None
	division = doc.get("division")
	if scope.places and division and not scope.in_places(chain_of(division)):
		return False  # as Frappe's User Permission on the division said
	if doc.is_new() and scope.places:
		return None
	if scope.places and division:
		return None  # in the user's places
	if ptype in (None, "read", "print") and scope.units and doc.doctype == "Reception Record":
		if any(row.assigned_unit in scope.units for row in doc.get("instructions") or ()):
			return None
	return False


# ---- child tables (issue 10) --------------------------------------------------------------------------


class ChildRow(Document):
	"""The controller base of every child table of the app (access.CHILD_TABLES).

	A row read on its own (frappe.client.get, getdoc, REST, print) has no parent document attached, and
	Frappe's has_child_permission then checks it against the parent *doctype* only, so any user with a
	role could read any party row. Such a row answers its parent record here, so that every permission
	check of the row is its parent record's."""

	@property
	def parent_doc(self):
		parent = Document.parent_doc.fget(self)
		if parent is None and self.get("parenttype") and self.get("parent"):
			try:
				parent = self._parent_doc = frappe.get_doc(self.parenttype, self.parent)
			except frappe.DoesNotExistError:
				frappe.clear_last_message()
		return parent

	@parent_doc.setter
	def parent_doc(self, value):
		self._parent_doc = value

	@parent_doc.deleter
	def parent_doc(self):
		self._parent_doc = None


def child_query(user: str | None = None, doctype: str | None = None) -> str:
	"""A child row is listed only under a parent the user may list: Frappe's own list query of each parent
	doctype (role permissions, User Permissions, shares and the app's criterion above) as a subquery, so
	`get_list("Petition Party", parent_doctype="Petition")` answers exactly for the readable petitions."""
	from frappe.model.db_query import DatabaseQuery

	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	table = f"`tab{doctype}`"
	parts = []
	for parent in CHILD_TABLES.get(doctype, ()):
		try:
			readable = DatabaseQuery(parent, user=user).execute(
				fields=[f"`tab{parent}`.`name`"], user=user, run=False
			)
		except frappe.PermissionError:
			frappe.clear_last_message()
			continue
		parts.append(
			f"({table}.`parenttype` = {frappe.db.escape(parent, percent=False)}"
			f" and {table}.`parent` in ({readable}))"
		)
	if not parts:
		return DENY_ALL
	condition = "(" + " or ".join(parts) + ")"
	if doctype == "Petition Party" and (secret := party_condition(user, table)):
		condition += f" and {secret}"  # an accusation's reporter, below the county (secrecy.py)
	return condition


# ---- files (issue 10) ---------------------------------------------------------------------------------


def file_has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""A new File row that points at a private file already on the site (no uploaded bytes of its own)
	is allowed only to a user who can already read a File row of that file: otherwise anyone could
	"adopt" another record's attachment (or a guessed bulletin name) and download it as their own."""
	if ptype != "create" or isinstance(doc, str) or not doc or doc.get("is_folder") or doc.get("content"):
		return None
	user = user or frappe.session.user
	url = unquote(doc.get("file_url") or "")
	if user == "Administrator" or not url.startswith("/private/files/"):
		return None
	existing = frappe.get_all("File", filters={"file_url": ("in", {url, quote(url)})}, pluck="name")
	if any(frappe.has_permission("File", "read", doc=name, user=user) for name in existing):
		return None
	return False


def keep_attachments_private(doc, method=None):
	"""after_insert of File: an attachment of an app record is private whatever the uploader chose (a
	public file is served to anyone, signed in or not). Frappe moves the file when is_private changes."""
	if doc.is_folder or doc.is_private or not doc.attached_to_doctype or not doc.file_url:
		return
	if not frappe.db.exists("DocType", {"name": doc.attached_to_doctype, "module": "Xinfang App"}):
		return
	if frappe.db.count("File", {"file_url": doc.file_url}) > 1:
		return  # another row shares the file: it is not this upload's to move
	doc.is_private = 1
	doc.save(ignore_permissions=True)


# ---- links to records out of scope (issue 10) --------------------------------------------------------------


def check_linked_rows_readable(doc, table: str, link_field: str, proof=None, user: str | None = None) -> None:
	"""Rows newly linked in `table` must point at records the user may read: the link would otherwise
	copy the record's fetched fields into the user's own document (a petition on a reception record)
	and, for a petitioner made a party, open their record through it. `proof(row, value)` may admit an
	unreadable record all the same (a petitioner from elsewhere, by their full ID number). Rows already
	saved stay as they are."""
	user = user or frappe.session.user
	if user == "Administrator" or doc.flags.ignore_permissions:
		return
	before = doc.get_doc_before_save()
	saved = {row.get(link_field) for row in (before.get(table) if before else None) or ()}
	target = doc.meta.get_field(table).options
	doctype = frappe.get_meta(target).get_field(link_field).options
	for row in doc.get(table) or ():
		value = row.get(link_field)
		if not value or value in saved or frappe.has_permission(doctype, "read", doc=value, user=user):
			continue
		if proof and proof(row, value):
			continue
		frappe.throw(
			f"第 {row.idx} 行：无权引用{_label(doctype)} {frappe.bold(value)}（不在您的管辖范围内）"
			+ ("。如为在外地登记的信访人，请在该行“核对身份证号码”中填写其完整身份证号码" if proof else ""),
			frappe.PermissionError,
			title="无权引用",
		)


def _label(doctype: str) -> str:
	return {"Petition": "信访事项", "Petitioner": "信访人"}.get(doctype, doctype)
