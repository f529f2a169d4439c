// Added to the Petition form by hooks.doctype_js: every next step where the officer is
// (rules in xinfang_app/domain/next_steps.py, served by xinfang_app.next_steps.get_next_steps).
//  - a button per record the reader may make from the petition now (记录回访, 申请复查/复核, 发督办单),
//    opening it filled in through a server mapper that checks the petition and the reader's permission;
//  - a workflow action whose state only a record reaches (回访 → the visit, 复查/复核 → the review) opens
//    that record instead of failing;
//  - a workflow action whose fields are empty opens their sections, scrolls to the first and names them.
frappe.provide("xinfang.next_steps");

frappe.ui.form.on("Petition", {
	refresh(frm) {
		frm.__xinfang_next = null;
		if (frm.is_new()) return;
		const name = frm.doc.name;
		frappe
			.xcall("xinfang_app.next_steps.get_next_steps", { petition: name })
			.then((steps) => {
				if (frm.doc.name !== name) return; // the form moved on to another petition
				frm.__xinfang_next = steps;
				xinfang.next_steps.add_buttons(frm, steps);
			});
	},
	before_workflow_action(frm) {
		return xinfang.next_steps.before_action(frm);
	},
});

xinfang.next_steps.add_buttons = (frm, steps) => {
	steps.records.forEach((record, index) => {
		const button = frm.add_custom_button(record.label, () =>
			xinfang.next_steps.open_record(frm, record.method)
		);
		if (index === 0) button.removeClass("btn-default").addClass("btn-primary");
	});
	// 网上信访: a petitioner who came in person or wrote a letter may follow the matter online too
	if (frm.has_perm("write")) {
		frm.add_custom_button(__("Issue Query Code"), () => xinfang.next_steps.issue_query_code(frm));
	}
};

xinfang.next_steps.issue_query_code = (frm) => {
	frappe
		.xcall("xinfang_app.portal.issue_query_code", { petition: frm.doc.name })
		.then((code) => {
			frappe.msgprint({
				title: __("Query code for the petitioner"),
				message: `<p>${__(
					"Hand this code to the petitioner. It is shown only now; a new code replaces the old one."
				)}</p><p style="font-size:1.6em;font-family:monospace;letter-spacing:2px"><b>${frappe.utils.escape_html(
					code
				)}</b></p><p>${frappe.utils.escape_html(frappe.urllib.get_base_url())}/xinfang/query</p>`,
			});
			frm.reload_doc();
		});
};

xinfang.next_steps.open_record = (frm, method) => {
	frappe.model.open_mapped_doc({ method, frm });
};

// A promise that never settles: the workflow action is not sent (Frappe's form waits on this hook).
xinfang.next_steps.stop = () => {
	frappe.dom.unfreeze();
	return new Promise(() => {});
};

xinfang.next_steps.before_action = (frm) => {
	const steps = frm.__xinfang_next;
	const action = frm.selected_workflow_action;
	if (!steps || !action) return;
	return frappe.workflow.get_transitions(frm.doc).then((transitions) => {
		const transition = transitions.find((t) => t.action === action);
		if (!transition) return;
		const state = transition.next_state;
		const record = steps.moved_by_record[state];
		if (record) {
			frappe.show_alert({
				message: __("{0} is recorded as a {1}; saving it moves the petition", [
					__(action),
					record.label,
				]),
				indicator: "blue",
			});
			if (steps.pending_review && record.doctype === "Petition Review") {
				frappe.set_route("Form", "Petition Review", steps.pending_review);
			} else {
				xinfang.next_steps.open_record(frm, record.method);
			}
			return xinfang.next_steps.stop();
		}
		const missing = (steps.step_fields[state] || []).filter((f) => !frm.doc[f.fieldname]);
		if (!missing.length) return;
		xinfang.next_steps.open_fields(frm, missing);
		frappe.msgprint({
			title: __("Missing information"),
			indicator: "orange",
			message: __("{0} needs: {1}. Fill them in, save, then choose {0} again.", [
				__(action),
				missing.map((f) => `<b>${f.label}</b>`).join("、"),
			]),
		});
		return xinfang.next_steps.stop();
	});
};

// Expand the sections of the fields (and their tab), then scroll to the first one.
xinfang.next_steps.open_fields = (frm, fields) => {
	fields.forEach((f) => {
		const field = frm.get_field(f.fieldname);
		if (field && field.section && field.section.is_collapsed && field.section.is_collapsed()) {
			field.section.collapse(false);
		}
	});
	frm.scroll_to_field(fields[0].fieldname);
};
