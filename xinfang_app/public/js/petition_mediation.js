// Added to the Petition form by hooks.doctype_js: open a mediation case for the petition.
frappe.ui.form.on("Petition", {
	refresh(frm) {
		if (frm.is_new() || !frappe.model.can_create("Mediation Case")) return;
		frm.add_custom_button(
			__("Start Mediation"),
			() => start_mediation(frm),
			__("Mediation")
		);
	},
});

function start_mediation(frm) {
	frappe.call({
		method: "xinfang_app.disputes.start_mediation",
		args: { doctype: frm.doctype, name: frm.doc.name },
		freeze: true,
		callback: (r) => r.message && frappe.set_route("Form", "Mediation Case", r.message),
	});
}
