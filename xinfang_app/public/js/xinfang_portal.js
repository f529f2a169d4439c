// Shared by the 网上信访 pages (www/xinfang/): a POST to a method of xinfang_app.portal that answers with
// its message, or throws an Error carrying the server's Chinese message and its per-field `errors`.
window.xinfang_portal = {
	async post(method, body) {
		const response = await fetch(`/api/method/xinfang_app.portal.${method}`, {
			method: "POST",
			headers: { Accept: "application/json", "X-Frappe-CSRF-Token": frappe.csrf_token || "" },
			body,
		});
		let data = {};
		try {
			data = await response.json();
		} catch (e) {
			data = {};
		}
		if (!response.ok) {
			let message =
				response.status === 413 ? "附件太大，每个附件不能超过 10 MB" : "没有成功，请稍后再试";
			try {
				const messages = JSON.parse(data._server_messages || "[]").map((m) => JSON.parse(m).message);
				if (messages.length) message = messages.join("；");
			} catch (e) {
				/* keep the general message */
			}
			const error = new Error(message);
			error.errors = data.errors;
			throw error;
		}
		return data.message;
	},
};
