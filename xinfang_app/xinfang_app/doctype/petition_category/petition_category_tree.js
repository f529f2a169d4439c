frappe.treeview_settings["Petition Category"] = {
	breadcrumb: "Xinfang App",
	title: __("Petition Category"),
	get_tree_root: false,
	root_label: __("Petition Category"),
	get_tree_nodes: "frappe.desk.treeview.get_children",
	ignore_fields: ["parent_petition_category"],
};
