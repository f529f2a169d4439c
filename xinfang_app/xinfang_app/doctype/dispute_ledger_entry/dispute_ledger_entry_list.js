frappe.listview_settings["Dispute Ledger Entry"] = {
	add_fields: ["tier", "status"],
	get_indicator(doc) {
		const colour = { 未化解: "red", 化解中: "orange", 已化解观察期: "blue", 已销号: "green" }[doc.status];
		return [__(doc.status), colour, `status,=,${doc.status}`];
	},
	onload(listview) {
		listview.page.add_inner_button(__("Export Ledger (County Template)"), () => {
			const filters = JSON.stringify(listview.get_filters_for_args());
			window.open(
				`/api/method/xinfang_app.ledger_excel.export_ledger?filters=${encodeURIComponent(filters)}`
			);
		});
		if (frappe.model.can_create("Ledger Import")) {
			listview.page.add_inner_button(__("Import a Township Workbook"), () =>
				frappe.new_doc("Ledger Import")
			);
		}
	},
};
