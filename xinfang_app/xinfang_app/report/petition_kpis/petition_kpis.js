frappe.query_reports["Petition KPIs"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.month_start(),
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
	],
	onload(report) {
		report.page.add_inner_button(__("Monthly Bulletin (Excel)"), () => {
			const from = report.get_filter_value("from_date") || frappe.datetime.get_today();
			frappe
				.xcall("xinfang_app.bulletin.request_monthly_bulletin", {
					month: from,
					division: report.get_filter_value("division") || null,
				})
				.then(() => {
					frappe.show_alert({
						message: __("The monthly bulletin is being prepared; you will be notified when it is ready."),
						indicator: "blue",
					});
				});
		});
		frappe.realtime.off("xinfang_bulletin_ready");
		frappe.realtime.on("xinfang_bulletin_ready", (data) => {
			frappe.msgprint({
				title: __("Monthly Bulletin Ready"),
				message: `<a href="${data.file_url}" target="_blank">${data.file_name}</a>`,
				indicator: "green",
			});
		});
	},
};
