frappe.query_reports["Reception Statistics"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.year_start(),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
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
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "leader", label: __("Receiving Leader") },
				{ value: "month", label: __("Month") },
				{ value: "division", label: __("Division") },
			],
			default: "leader",
			reqd: 1,
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (data && data.is_total) value = `<b>${value}</b>`;
		return value;
	},
};
