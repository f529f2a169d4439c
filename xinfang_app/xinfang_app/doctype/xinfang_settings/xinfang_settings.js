frappe.ui.form.on("Xinfang Settings", {
	refresh(frm) {
		xinfang.holidays.show_warning(frm);
		if (frm.doc.holiday_list && frappe.model.can_write("Xinfang Holiday List")) {
			frm.add_custom_button(__("Add a Year's Holiday Schedule"), () =>
				xinfang.holidays.open_dialog(frm.doc.holiday_list, () => xinfang.holidays.show_warning(frm))
			);
		}
	},
});
