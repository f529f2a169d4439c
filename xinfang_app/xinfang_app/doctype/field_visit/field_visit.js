frappe.ui.form.on("Field Visit", {
	refresh(frm) {
		if (frm.is_new()) return;
		const open = (frm.doc.findings || []).filter((row) => !row.created_record && row.kind !== "无问题");
		if (!open.length) return;
		frm.add_custom_button(__("To Dispute Ledger"), () => pick_finding(frm, open, "ledger"), __("Convert Finding"));
		frm.add_custom_button(__("To Petition"), () => pick_finding(frm, open, "petition"), __("Convert Finding"));
	},
});

function pick_finding(frm, rows, target) {
	const fields = [
		{
			fieldname: "finding",
			label: __("Visit Finding"),
			fieldtype: "Select",
			reqd: 1,
			options: rows.map((row) => ({ value: row.name, label: `${row.idx}. ${row.finding}` })),
		},
	];
	if (target === "ledger") {
		fields.push({ fieldname: "tier", label: __("Ledger Tier"), fieldtype: "Select", options: "一级\n二级\n三级", default: "二级", reqd: 1 });
	} else {
		fields.push(
			{ fieldname: "petitioner", label: __("Petitioner"), fieldtype: "Link", options: "Petitioner", default: frm.doc.petitioner, reqd: 1 },
			{ fieldname: "category", label: __("Matter Category"), fieldtype: "Link", options: "Petition Category", default: "其他", reqd: 1, get_query: () => ({ filters: { is_group: 0 } }) }
		);
	}
	frappe.prompt(fields, (values) => {
		frappe.call({
			method: target === "ledger" ? "xinfang_app.disputes.finding_to_ledger_entry" : "xinfang_app.disputes.finding_to_petition",
			args: { visit: frm.doc.name, ...values },
			freeze: true,
			callback: (r) => {
				frm.reload_doc();
				if (r.message) frappe.set_route("Form", target === "ledger" ? "Dispute Ledger Entry" : "Petition", r.message);
			},
		});
	}, target === "ledger" ? __("To Dispute Ledger") : __("To Petition"));
}
