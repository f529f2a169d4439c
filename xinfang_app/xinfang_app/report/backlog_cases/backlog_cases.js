frappe.query_reports["Backlog Cases"] = {
	filters: [
		{
			fieldname: "as_of",
			label: __("As Of"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "division",
			label: __("Division"),
			fieldtype: "Link",
			options: "Administrative Division",
		},
		{
			fieldname: "leader",
			label: __("Lead Leader"),
			fieldtype: "Link",
			options: "User",
		},
		{
			fieldname: "without_leader",
			label: __("Only Cases Without a Lead Leader"),
			fieldtype: "Check",
		},
	],
};
