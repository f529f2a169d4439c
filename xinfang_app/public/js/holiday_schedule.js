// 「补录放假安排」: the holiday list's coverage warning and the dialog that adds a year's schedule.
// Loaded (hooks.doctype_js) on the Xinfang Settings and Xinfang Holiday List forms.
frappe.provide("xinfang.holidays");

// The roles that read the warning (holidays.WARNING_ROLES); others would be refused by the server.
xinfang.holidays.WARNING_ROLES = [
	"Xinfang Village Officer",
	"Xinfang Township Officer",
	"Xinfang County Officer",
	"Xinfang Unit Handler",
	"Xinfang Supervisor",
	"Xinfang Manager",
	"System Manager",
];

xinfang.holidays.show_warning = (frm, only_for_list) => {
	if (!frappe.user.has_role(xinfang.holidays.WARNING_ROLES)) return;
	frappe.xcall("xinfang_app.holidays.get_holiday_coverage_warning").then((r) => {
		frm.dashboard.clear_headline();
		if (!r || !r.message || (only_for_list && r.holiday_list !== only_for_list)) return;
		const button = r.can_add
			? ` <button class="btn btn-xs btn-default xf-add-year">${__("Add a Year's Holiday Schedule")}</button>`
			: "";
		frm.dashboard.set_headline_alert(`${frappe.utils.escape_html(r.message)}${button}`, "orange");
		$(frm.wrapper)
			.find(".xf-add-year")
			.off("click")
			.on("click", () =>
				xinfang.holidays.open_dialog(r.holiday_list, () => xinfang.holidays.after_write(frm))
			);
	});
};

xinfang.holidays.after_write = (frm) => {
	if (frm.doctype === "Xinfang Holiday List") {
		frm.reload_doc();
	} else {
		xinfang.holidays.show_warning(frm);
	}
};

xinfang.holidays.open_dialog = (holiday_list, after_write) => {
	let previewed = null;
	const dialog = new frappe.ui.Dialog({
		title: __("Add a Year's Holiday Schedule"),
		size: "large",
		fields: [
			{
				fieldname: "year",
				fieldtype: "Int",
				label: __("Schedule Year"),
				reqd: 1,
				default: new Date().getFullYear() + 1,
			},
			{ fieldtype: "Column Break" },
			{
				fieldname: "replace",
				fieldtype: "Check",
				label: __("Replace the rows of that year"),
			},
			{ fieldtype: "Section Break", label: __("Announcement") },
			{
				fieldname: "text",
				fieldtype: "Text",
				label: __("Announcement"),
				description: __(
					"Paste the State Council's announcement (国务院办公厅关于部分节假日安排的通知), one festival a line, or plain ranges such as 2027-01-01~2027-01-03 元旦 and 2027-01-04 上班."
				),
			},
			{ fieldtype: "Section Break", label: __("Or enter date ranges") },
			{
				fieldname: "rows",
				fieldtype: "Table",
				label: __("Date Ranges"),
				in_place_edit: true,
				data: [],
				fields: [
					{ fieldname: "from_date", fieldtype: "Date", label: __("First Day"), in_list_view: 1, reqd: 1 },
					{ fieldname: "to_date", fieldtype: "Date", label: __("Last Day"), in_list_view: 1 },
					{
						fieldname: "kind",
						fieldtype: "Select",
						label: __("Off or Working"),
						options: "放假\n上班",
						default: "放假",
						in_list_view: 1,
					},
					{ fieldname: "festival", fieldtype: "Data", label: __("Festival Name"), in_list_view: 1 },
				],
			},
			{ fieldtype: "Section Break" },
			{ fieldname: "preview", fieldtype: "HTML" },
		],
		primary_action_label: __("Preview"),
		primary_action(values) {
			const args = {
				holiday_list,
				year: values.year,
				text: values.text || "",
				rows: JSON.stringify(
					(values.rows || []).map((row) => ({
						from_date: row.from_date,
						to_date: row.to_date,
						kind: row.kind,
						festival: row.festival || "",
					}))
				),
				replace: values.replace ? 1 : 0,
			};
			const key = JSON.stringify(args);
			if (previewed === key) {
				write(args);
			} else {
				preview(args, key);
			}
		},
	});

	const preview = (args, key) =>
		frappe.xcall("xinfang_app.holidays.preview_year_schedule", args).then((r) => {
			dialog.fields_dict.preview.$wrapper.html(xinfang.holidays.preview_html(r, args.replace));
			previewed = r.existing_rows && !args.replace ? null : key;
			dialog.get_primary_btn().text(previewed ? __("Write to the Holiday List") : __("Preview"));
		});

	const write = (args) =>
		frappe.xcall("xinfang_app.holidays.add_year_schedule", args).then((r) => {
			dialog.hide();
			const lines = [__("Holiday schedule of {0} written: {1} non-working days.", [r.year, r.rows])];
			if (r.queued) {
				lines.push(
					__("Deadlines of {0} open petitions are being recalculated in the background.", [
						r.petitions_checked,
					])
				);
			} else {
				lines.push(
					__("Deadlines of {0} open petitions recalculated; {1} changed.", [
						r.petitions_checked,
						r.petitions_changed,
					])
				);
				if (r.reviews_changed) {
					lines.push(__("{0} review decision deadlines changed.", [r.reviews_changed]));
				}
			}
			frappe.msgprint({
				title: __("Holiday schedule added"),
				indicator: "green",
				message: lines.join("<br>"),
			});
			if (after_write) after_write(r);
		});

	dialog.show();
};

xinfang.holidays.preview_html = (r, replace) => {
	const esc = frappe.utils.escape_html;
	const holidays = r.holidays
		.map(
			(h) =>
				`<tr><td>${esc(h.name)}</td><td>${h.from === h.to ? h.from : `${h.from} ~ ${h.to}`}</td><td>${h.days}</td></tr>`
		)
		.join("");
	const workdays = r.workdays.length
		? `${__("Make-up working days")}：` +
			r.workdays.map((w) => `${w.date}（${w.weekday}，${esc(w.name)}）`).join("、")
		: __("No make-up working days");
	let existing = "";
	if (r.existing_rows) {
		existing = replace
			? `<p class="text-warning">${__("The list already has {0} rows in this year; they will be replaced.", [r.existing_rows])}</p>`
			: `<p class="text-danger">${__("The list already has {0} rows in this year. Tick 「Replace the rows of that year」 to replace them.", [r.existing_rows])}</p>`;
	}
	return `
		<p><b>${__("{0}: {1} non-working days will be written, {2} of them ordinary weekends.", [r.year, r.rows, r.weekend_rows])}</b></p>
		<table class="table table-bordered table-sm">
			<thead><tr><th>${__("Festival Name")}</th><th>${__("Days Off")}</th><th>${__("Number of Days")}</th></tr></thead>
			<tbody>${holidays}</tbody>
		</table>
		<p>${workdays}</p>
		${existing}
		<p class="text-muted">${__("Check the list, then press 「Write to the Holiday List」. Changing anything asks for a new preview.")}</p>`;
};
