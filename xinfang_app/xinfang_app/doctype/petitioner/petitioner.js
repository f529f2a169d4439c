frappe.ui.form.on("Petitioner", {
	refresh(frm) {
		if (frm.doc.id_number_masked) {
			frm.set_df_property("new_id_number", "label", __("Correct ID Number"));
		}
	},
});
