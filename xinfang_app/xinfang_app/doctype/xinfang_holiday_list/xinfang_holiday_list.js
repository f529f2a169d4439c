frappe.ui.form.on("Xinfang Holiday List", {
	refresh(frm) {
		if (frm.is_new()) return;
		xinfang.holidays.show_warning(frm, frm.doc.name);
		if (!(frm.perm[0] && frm.perm[0].write)) return;
		const open = () => xinfang.holidays.open_dialog(frm.doc.name, () => frm.reload_doc());
		frm.add_custom_button(__("Add a Year's Holiday Schedule"), open);
		if (xinfang.holidays.open_dialog_on_load) {
			// from the button on 信访工作台
			xinfang.holidays.open_dialog_on_load = false;
			open();
		}
	},
});
