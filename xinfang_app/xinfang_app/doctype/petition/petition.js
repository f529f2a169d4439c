frappe.ui.form.on("Petition", {
	setup(frm) {
		frm.set_query("category", () => ({ filters: { is_group: 0 } }));
		frm.set_query("category", "demands", () => ({ filters: { is_group: 0 } }));
	},
	refresh(frm) {
		const light = frm.doc.light;
		if (light) {
			const colour = { Green: "green", Yellow: "yellow", Red: "red" }[light];
			frm.page.set_indicator(__(`${light} Light`), colour);
		}
	},
});
