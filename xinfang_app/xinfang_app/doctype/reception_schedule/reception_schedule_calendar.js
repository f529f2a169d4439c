frappe.views.calendar["Reception Schedule"] = {
	field_map: {
		start: "reception_date",
		end: "reception_date",
		id: "name",
		title: "leader_name",
		allDay: "all_day",
	},
	style_map: {
		定期接访: "success",
		预约接访: "info",
		带案下访: "warning",
		公开接访: "danger",
	},
	filters: [
		{ fieldtype: "Link", fieldname: "division", options: "Administrative Division", label: __("Division") },
		{ fieldtype: "Link", fieldname: "leader", options: "User", label: __("Receiving Leader") },
	],
	get_events_method: "xinfang_app.reception.get_schedule_events",
};
