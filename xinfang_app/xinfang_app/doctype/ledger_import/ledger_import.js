frappe.ui.form.on("Ledger Import", {
	setup(frm) {
		frm.set_query("division", () => ({
			filters: { division_level: ["in", ["County", "Township", "Subdistrict"]] },
		}));
		frappe.realtime.on("ledger_import_done", (data) => {
			if (data.name === frm.doc.name) frm.reload_doc();
		});
	},
	refresh(frm) {
		const can_run = !frm.is_new() && ["待导入", "导入失败"].includes(frm.doc.import_status);
		if (!can_run || !frm.doc.import_file) return;
		frm.add_custom_button(__("Check the Workbook"), () =>
			frappe
				.xcall("xinfang_app.ledger_excel.check_file", { ledger_import: frm.doc.name })
				.then((r) => {
					const lines = r.messages.map((m) => `<li>${frappe.utils.escape_html(m)}</li>`).join("");
					frappe.msgprint({
						title: __("Workbook checked"),
						indicator: r.failed_rows ? "orange" : "green",
						message: __("{0} rows read: {1} valid, {2} with errors", [
							r.total_rows,
							r.valid_rows,
							r.failed_rows,
						]) + (lines ? `<ul>${lines}</ul>` : ""),
					});
				})
		);
		frm.add_custom_button(__("Start Import"), () =>
			frappe
				.xcall("xinfang_app.ledger_excel.start_import", { ledger_import: frm.doc.name })
				.then(() => frm.reload_doc())
		).addClass("btn-primary");
	},
});
