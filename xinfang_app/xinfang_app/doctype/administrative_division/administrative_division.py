import frappe
from frappe import _
from frappe.utils.nestedset import NestedSet

from xinfang_app.domain import divisions


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
		clear_user_permission_cache()

	def on_trash(self):
		super().on_trash(allow_root_deletion=True)
		clear_user_permission_cache()


def clear_user_permission_cache():
	# User Permissions on a tree expand to descendants and are cached per user; a new or moved
	# division must show up in every scope that covers it.
	frappe.cache.delete_value("user_permissions")


def get_township(division: str | None) -> str | None:
	if not division:
		return None
	# the division and its ancestors, nearest first, in one query (it runs on every save of a petition)
	chain = frappe.db.sql(
		"""select ancestor.name, ancestor.division_level
		from `tabAdministrative Division` node, `tabAdministrative Division` ancestor
		where node.name = %s and ancestor.lft <= node.lft and ancestor.rgt >= node.rgt
		order by ancestor.lft desc""",
		division,
	)
	return divisions.township_of([(name, level) for name, level in chain])
