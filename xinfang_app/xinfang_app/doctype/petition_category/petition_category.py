from frappe.utils.nestedset import NestedSet


class PetitionCategory(NestedSet):
	nsm_parent_field = "parent_petition_category"
