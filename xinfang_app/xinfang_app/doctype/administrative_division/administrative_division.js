frappe.ui.form.on("Administrative Division", {
	refresh(frm) {
		frm.set_query("parent_administrative_division", () => ({ filters: { is_group: 1 } }));
	},
});
