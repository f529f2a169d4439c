// Added to the forms of the records that move their petition when saved (hooks.doctype_js): a Follow-up
// Visit (回访, the petitioner's satisfaction) and a Petition Review (复查/复核). The petition this session
// loaded earlier is stale after such a save. Frappe drops a stale document from the session when the
// realtime doc_update reaches it; without socket.io (a desk served by `bench serve`, a dropped connection)
// the officer going back to the petition would see it as before. Drop it here too, as Frappe would.
frappe.provide("xinfang");

xinfang.forget_stale_petition = (frm) => {
	const name = frm.doc.petition;
	const petition = name && locals.Petition && locals.Petition[name];
	if (petition && !petition.__unsaved) {
		frappe.model.remove_from_locals("Petition", name);
	}
};

frappe.ui.form.on("Follow-up Visit", { after_save: xinfang.forget_stale_petition });
frappe.ui.form.on("Petition Review", { after_save: xinfang.forget_stale_petition });
