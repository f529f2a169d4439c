frappe.treeview_settings["Administrative Division"] = {
	breadcrumb: "Xinfang App",
	title: __("Administrative Division"),
	get_tree_root: false,
	root_label: __("Administrative Division"),
	get_tree_nodes: "frappe.desk.treeview.get_children",
	fields: [
		{ fieldtype: "Data", fieldname: "division_name", label: __("Division Name"), reqd: true },
		{
			fieldtype: "Select",
			fieldname: "division_level",
			label: __("Division Level"),
			reqd: true,
			options: ["Township", "Subdistrict", "Village", "Community", "Hamlet", "Grid"].map((value) => ({
				value,
				label: __(value),
			})),
		},
		{ fieldtype: "Data", fieldname: "division_code", label: __("Division Code") },
		{ fieldtype: "Check", fieldname: "is_group", label: __("Is Group"), default: 1 },
	],
	ignore_fields: ["parent_administrative_division"],
};
