frappe.ui.form.on("Dispute Ledger Entry", {
	setup(frm) {
		frm.set_query("dispute_type", () => ({ filters: { is_group: 0 } }));
	},
	refresh(frm) {
		if (!frm.is_new() && !frm.doc.mediation_case && frappe.model.can_create("Mediation Case")) {
			frm.add_custom_button(__("Start Mediation"), () =>
				frappe.call({
					method: "xinfang_app.disputes.start_mediation",
					args: { doctype: frm.doctype, name: frm.doc.name },
					freeze: true,
					callback: (r) => r.message && frappe.set_route("Form", "Mediation Case", r.message),
				})
			);
		}
		if (frm.doc.observation_until && frm.doc.status === "已化解观察期") {
			frm.dashboard.set_headline(
				__("Observation until {0}", [frappe.datetime.str_to_user(frm.doc.observation_until)])
			);
		}
	},
});
