frappe.query_reports["Weekly Screening Summary"] = {
	filters: [
		{
			fieldname: "week",
			label: __("Screening Week"),
			fieldtype: "Data",
			description: __("ISO week, e.g. 2026-W03; leave empty to use the dates below"),
			default: (() => {
				// ISO week of today (Thursday rule)
				const d = new Date();
				const t = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
				const day = t.getUTCDay() || 7;
				t.setUTCDate(t.getUTCDate() + 4 - day);
				const start = new Date(Date.UTC(t.getUTCFullYear(), 0, 1));
				const week = Math.ceil(((t - start) / 86400000 + 1) / 7);
				return `${t.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
			})(),
		},
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date" },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date" },
		{
			fieldname: "division",
			label: __("Division"),
			fieldtype: "Link",
			options: "Administrative Division",
		},
	],
	initial_depth: 2,
};
