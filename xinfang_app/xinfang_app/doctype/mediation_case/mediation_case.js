frappe.ui.form.on("Mediation Case", {
	setup(frm) {
		frm.set_query("dispute_type", () => ({ filters: { is_group: 0 } }));
		frm.set_query("mediator", "mediators", () => ({ filters: { active: 1 } }));
	},
});
