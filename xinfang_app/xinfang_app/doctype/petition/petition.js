frappe.ui.form.on("Petition", {
	setup(frm) {
		frm.set_query("category", () => ({ filters: { is_group: 0 } }));
		frm.set_query("category", "demands", () => ({ filters: { is_group: 0 } }));
	},
	refresh(frm) {
		// the state in the user's language, with the light where the clock runs
		const { workflow_state: state, light } = frm.doc;
		if (state) {
			const colour = { Green: "green", Yellow: "yellow", Red: "red" }[light] || "blue";
			const text = light ? `${__(state)} · ${__(`${light} Light`)}` : __(state);
			frm.page.set_indicator(text, colour);
		}
		xinfang.show_repeat_suggestions(frm);
	},
	subject: (frm) => xinfang.show_repeat_suggestions_soon(frm),
	content: (frm) => xinfang.show_repeat_suggestions_soon(frm),
	repeat_of: (frm) => xinfang.show_repeat_suggestions(frm),
});

frappe.ui.form.on("Petition Party", {
	petitioner: (frm) => xinfang.show_repeat_suggestions_soon(frm),
	petitioners_remove: (frm) => xinfang.show_repeat_suggestions_soon(frm),
});

frappe.provide("xinfang");

// States in which an officer still decides whether the petition repeats an earlier one.
xinfang.REPEAT_CHECK_STATES = ["", "Registration", "Pending Acceptance"];

xinfang.show_repeat_suggestions_soon = frappe.utils.debounce((frm) => xinfang.show_repeat_suggestions(frm), 600);

xinfang.show_repeat_suggestions = (frm) => {
	frm.dashboard.clear_headline();
	const petitioners = (frm.doc.petitioners || []).map((row) => row.petitioner).filter(Boolean);
	const deciding = xinfang.REPEAT_CHECK_STATES.includes(frm.doc.workflow_state || "");
	if (frm.doc.repeat_of || !deciding || !petitioners.length || !frm.doc.subject) return;
	frappe
		.xcall("xinfang_app.repeats.suggest_repeats", {
			petitioners,
			subject: frm.doc.subject,
			content: frm.doc.content || "",
			exclude: frm.is_new() ? null : frm.doc.name,
		})
		.then((matches) => {
			if (!matches.length || frm.doc.repeat_of) return;
			const can_mark = frm.perm[0] && frm.perm[0].write;
			const rows = matches.map((m) => {
				const final = m.is_final
					? ` <span class="indicator-pill red">${__("Concluded by re-review: not accepted again")}</span>`
					: "";
				const button = can_mark
					? ` <button class="btn btn-xs btn-default" data-repeat-of="${m.name}">${__("Mark as repeat of this petition")}</button>`
					: "";
				return `<li><a href="/app/petition/${encodeURIComponent(m.name)}">${m.name}</a>
					${frappe.utils.escape_html(m.subject || "")}
					（${frappe.datetime.str_to_user(m.received_on)}，${__(m.workflow_state || "")}，${__("Similarity")} ${Math.round(m.score * 100)}%）${final}${button}</li>`;
			});
			frm.dashboard.set_headline_alert(
				`<b>${__("Possible repeat petitions of the same petitioner")}</b><ul style="margin: 4px 0 0">${rows.join("")}</ul>`,
				matches.some((m) => m.is_final) ? "red" : "orange"
			);
			frm.layout.message.find("[data-repeat-of]").on("click", (event) => {
				frm.set_value("repeat_of", $(event.currentTarget).attr("data-repeat-of"));
				frm.set_value("is_first_time", 0);
				frappe.show_alert({ message: __("Marked as a repeat; save to keep it"), indicator: "orange" });
			});
		});
};
