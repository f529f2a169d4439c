// Loaded on every desk page (hooks.py app_include_js).

// A workflow state is stored as an English code; wherever a form, a list or a grid shows it as a link,
// it reads in the user's language (流程状态：办理中, not "Handling").
frappe.form.link_formatters["Workflow State"] = (value) => (value ? __(value) : value);
