import frappe
from frappe import _
from frappe.utils.nestedset import NestedSet

from xinfang_app.domain import access, divisions


class DivisionLevelError(frappe.ValidationError):
	pass


class AdministrativeDivision(NestedSet):
	nsm_parent_field = "parent_administrative_division"

	def autoname(self):
		# Division names repeat across townships (two 新兴村); the parent disambiguates the second one.
		name = (self.division_name or "").strip()
		if frappe.db.exists("Administrative Division", name) and self.parent_administrative_division:
			name = f"{name}（{self.parent_administrative_division}）"
		self.name = name

	def validate(self):
		self.division_name = (self.division_name or "").strip()
		self.validate_code()
		self.validate_level_order()
		self.set_is_group()

	def validate_code(self):
		if not divisions.is_valid_code(self.division_code):
			frappe.throw(
				_("Division code {0} must be 12 digits").format(frappe.bold(self.division_code)),
				frappe.ValidationError,
			)

	def validate_level_order(self):
		parent_level = None
		if self.parent_administrative_division:
			parent_level, parent_is_group = frappe.db.get_value(
				"Administrative Division", self.parent_administrative_division, ["division_level", "is_group"]
			)
			if not parent_is_group:
				frappe.throw(
					_("{0} cannot have lower divisions").format(
						frappe.bold(self.parent_administrative_division)
					),
					DivisionLevelError,
				)
		if divisions.level_order_error(self.division_level, parent_level):
			frappe.throw(
				_("A division of level {0} cannot be placed under a division of level {1}").format(
					_(self.division_level), _(parent_level)
				),
				DivisionLevelError,
			)

	def set_is_group(self):
		if self.is_new() and not self.is_group:
			self.is_group = int(divisions.default_is_group(self.division_level))

	def on_update(self):
		super().on_update()
		if not self.flags.in_insert and (
			self.has_value_changed("parent_administrative_division")
			or self.has_value_changed("division_level")
		):
			restamp_places(self.name)
		clear_user_permission_cache()

	def on_trash(self):
		super().on_trash(allow_root_deletion=True)
		clear_user_permission_cache()


def clear_user_permission_cache():
	# User Permissions on a tree expand to descendants and are cached per user, and the app keeps each
	# user's places with their levels in the same hash (permissions.get_scope): a new or moved division
	# must show up in every scope that covers it.
	frappe.cache.delete_value("user_permissions")


def get_chain(division: str | None) -> list[tuple[str, str]]:
	"""(name, level) of the division and of each division above it, nearest first: a walk up the parent
	links (a few primary-key reads in one query; it runs on every save and every permission check of a
	placed record). Empty for an unknown division."""
	if not division:
		return []
	return [
		(name, level)
		for name, level, _depth in frappe.db.sql(
			"""with recursive chain as (
				select name, parent_administrative_division as up, division_level, 0 as depth
				from `tabAdministrative Division` where name = %s
				union all
				select d.name, d.parent_administrative_division, d.division_level, chain.depth + 1
				from `tabAdministrative Division` d join chain on d.name = chain.up
				where chain.depth < 32
			)
			select name, division_level, depth from chain order by depth""",
			division,
		)
	]


def stamp_places(doc) -> None:
	"""Set the place columns a record carries (domain/access.STAMPED_PLACES) from its division: the
	division's city, county and township, which the place scope of every list and count filters on.

	A caller saving many records reads the chains of their divisions once (get_chains) and hands each record
	its chain in `doc.flags.place_chain`; any other save reads it here."""
	columns = access.STAMPED_PLACES.get(doc.doctype, ())
	if columns:
		chain = doc.flags.place_chain
		if chain is None:
			chain = get_chain(doc.get("division"))
		doc.update(access.place_stamps(chain, columns))


def get_chains(divisions) -> dict[str, list[tuple[str, str]]]:
	"""get_chain of each division, for a batch of records in a few divisions."""
	return {division: get_chain(division) for division in set(divisions) if division}


def restamp_places(division: str) -> dict[str, int]:
	"""A division moved (or changed level): the place columns of every record under it, set-based.

	The subtree is read once in lft order and each division's city, county and township worked out top
	down (access.subtree_stamps); the records are then updated by group of divisions with the same
	places, one statement per group and doctype (a township's divisions at a time), by the indexed
	division column. Returns the number of records whose columns changed, by doctype."""
	node = frappe.db.get_value("Administrative Division", division, ["lft", "rgt"], as_dict=True)
	if not node:
		return {}
	top_chain = get_chain(division)
	nodes = frappe.db.sql(
		"""select name, parent_administrative_division, division_level from `tabAdministrative Division`
		where lft > %s and rgt < %s order by lft""",
		(node.lft, node.rgt),
	)
	groups = {  # worked out once for each set of columns some doctype stamps
		columns: access.subtree_stamps(top_chain, nodes, columns)
		for columns in set(access.STAMPED_PLACES.values())
	}
	changed = {}
	for doctype, columns in access.STAMPED_PLACES.items():
		changed[doctype] = 0
		assignments = ", ".join(f"`{column}` = %s" for column in columns)
		for values, names in groups[columns].items():
			for start in range(0, len(names), 1000):
				frappe.db.sql(
					f"update `tab{doctype}` set {assignments} where division in %s",
					(*values, tuple(names[start : start + 1000])),
				)
				changed[doctype] += frappe.db._cursor.rowcount
	return changed


def restamp_all() -> dict[str, int]:
	"""The place columns of every record, from every root of the tree down (restamp_places): for records
	written outside the app's controllers, e.g. loaded by SQL from an old system, which township, county
	and city users would otherwise not see (`bench xinfang restamp`). Returns the records changed, by
	doctype."""
	roots = frappe.get_all(
		"Administrative Division",
		filters={"parent_administrative_division": ("is", "not set")},
		pluck="name",
	)
	changed = dict.fromkeys(access.STAMPED_PLACES, 0)
	for root in roots:
		for doctype, count in restamp_places(root).items():
			changed[doctype] += count
	return changed
