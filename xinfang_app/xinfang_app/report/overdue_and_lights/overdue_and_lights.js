frappe.query_reports["Overdue and Lights"] = {
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
			fieldname: "show",
			label: __("Show"),
			fieldtype: "Select",
			options: [
				{ value: "", label: __("Overdue, Yellow and Red") },
				{ value: "Overdue", label: __("Overdue") },
				{ value: "Red", label: __("Red") },
				{ value: "Yellow", label: __("Yellow") },
			],
		},
	],
	formatter(value, row, column, data, default_formatter) {
		// states and lights come translated from the server (so that the export is too)
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "light" && data && data.light_code) {
			const color = { Red: "red", Yellow: "orange", Green: "green" }[data.light_code];
			value = `<span class="indicator-pill ${color}">${value}</span>`;
		}
		return value;
	},
};
