frappe.listview_settings["Petition"] = {
	add_fields: ["light", "workflow_state", "is_group_petition"],
	has_indicator_for_draft: true,
	get_indicator(doc) {
		const colour = { Green: "green", Yellow: "yellow", Red: "red" }[doc.light];
		if (colour) {
			return [__(`${doc.light} Light`), colour, `light,=,${doc.light}`];
		}
		if (doc.workflow_state) {
			return [__(doc.workflow_state), "gray", `workflow_state,=,${doc.workflow_state}`];
		}
	},
};
