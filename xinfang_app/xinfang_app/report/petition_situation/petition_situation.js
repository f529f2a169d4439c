frappe.query_reports["Petition Situation"] = {
	filters: [
		{
			fieldname: "month",
			label: __("Month (any day in it)"),
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
				{ value: "category", label: __("Matter Category") },
				{ value: "township", label: __("Township") },
				{ value: "channel", label: __("Channel") },
				{ value: "month", label: __("Month") },
			],
			default: "category",
			reqd: 1,
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (data && data.is_total) value = `<b>${value}</b>`;
		return value;
	},
};
