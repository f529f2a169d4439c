// 网上信访 query page: the matter as its petitioner sees it, the written notices, rating and review.
(function () {
	const form = document.getElementById("xf-query");
	if (!form) return;
	let credentials = null;

	const post = xinfang_portal.post;

	function withCredentials(fields) {
		const body = new FormData();
		body.append("query_code", credentials.query_code);
		body.append("proof", credentials.proof);
		for (const [key, value] of Object.entries(fields || {})) if (value != null) body.append(key, value);
		return body;
	}

	function text(id, value) {
		document.getElementById(id).textContent = value || "—";
	}

	function row(cells, tag = "td") {
		const tr = document.createElement("tr");
		for (const cell of cells) {
			const td = document.createElement(tag);
			td.textContent = cell || "—";
			tr.appendChild(td);
		}
		return tr;
	}

	function message(kind, content) {
		const box = document.getElementById("q-message");
		box.className = kind === "ok" ? "xf-ok" : "xf-alert";
		box.textContent = content;
		box.hidden = false;
		box.scrollIntoView({ behavior: "smooth", block: "center" });
	}

	function render(view) {
		text("q-petition", view.petition);
		text("q-subject", view.subject);
		text("q-state", view.state);
		text("q-unit", view.unit);
		text("q-satisfaction", view.satisfaction || (view.can_rate ? "尚未评价" : "—"));
		const steps = document.getElementById("q-steps");
		steps.replaceChildren(...view.steps.map((s) => row([s.on, s.label])));
		const deadlines = document.querySelector("#q-deadlines tbody");
		deadlines.replaceChildren(...view.deadlines.map((d) => row([d.label, d.due, d.done_on, d.status])));
		const notices = document.getElementById("q-notices");
		notices.replaceChildren();
		if (!view.notices.length) notices.textContent = "暂无";
		for (const n of view.notices) {
			const button = document.createElement("button");
			button.type = "button";
			button.className = "btn btn-default mr-2 mb-2 xf-notice";
			button.textContent = `${n.title}（PDF）`;
			button.addEventListener("click", () => download(n));
			notices.appendChild(button);
		}
		document.getElementById("q-attach").hidden = !view.can_attach;
		document.getElementById("q-rate").hidden = !view.can_rate;
		const review = document.getElementById("q-review");
		review.hidden = !view.review;
		if (view.review) {
			text("q-review-title", `申请${view.review.type}`);
			text(
				"q-review-window",
				view.review.open
					? `可在 ${view.review.closes} 前申请${view.review.type}，由上一级机关审查。`
					: `申请${view.review.type}的期限已于 ${view.review.closes} 届满，不能再在网上申请。`
			);
			document.getElementById("q-review-open").hidden = !view.review.open;
			text("q-review-button", `提交${view.review.type}申请`);
		}
		document.getElementById("xf-result").hidden = false;
	}

	function download(notice) {
		const target = document.getElementById("q-download");
		target.elements.query_code.value = credentials.query_code;
		target.elements.proof.value = credentials.proof;
		target.elements.title.value = notice.title;
		target.elements.doctype.value = notice.doctype;
		target.elements.name.value = notice.name;
		target.submit();
	}

	async function refresh() {
		render(await post("query", withCredentials()));
	}

	form.addEventListener("submit", async (event) => {
		event.preventDefault();
		const error = document.getElementById("xf-query-error");
		credentials = { query_code: form.elements.query_code.value.trim(), proof: form.elements.proof.value.trim() };
		error.hidden = true;
		document.getElementById("q-message").hidden = true;
		if (!credentials.query_code || !credentials.proof) {
			error.textContent = "请输入查询码，以及身份证号码后四位或手机号码";
			error.hidden = false;
			return;
		}
		try {
			await refresh();
		} catch (e) {
			document.getElementById("xf-result").hidden = true;
			error.textContent = e.message;
			error.hidden = false;
		}
	});

	const rate = document.getElementById("q-rate");
	rate.addEventListener("change", () => {
		document.getElementById("q-next").hidden = rate.elements.satisfaction.value !== "不满意";
	});
	rate.addEventListener("submit", async (event) => {
		event.preventDefault();
		try {
			await post(
				"rate",
				withCredentials({
					satisfaction: rate.elements.satisfaction.value,
					next_step: rate.elements.satisfaction.value === "不满意" ? rate.elements.next_step.value : null,
					opinion: rate.elements.opinion.value,
				})
			);
			await refresh();
			message("ok", "感谢您的评价，已记录。");
		} catch (e) {
			message("error", e.message);
		}
	});

	const review = document.getElementById("q-review");
	review.addEventListener("submit", async (event) => {
		event.preventDefault();
		try {
			const result = await post("request_review", withCredentials({ reason: review.elements.reason.value }));
			await refresh();
			message("ok", `${result.review_type}申请已登记（${result.review}），应于 ${result.review_due} 前作出意见。`);
		} catch (e) {
			message("error", e.message);
		}
	});

	document.getElementById("q-attach-button").addEventListener("click", async () => {
		const file = document.getElementById("q-file").files[0];
		if (!file) return message("error", "请先选择文件");
		const body = new FormData();
		body.append("query_code", credentials.query_code);
		body.append("file", file, file.name);
		try {
			const result = await post("attach", body);
			message("ok", `附件「${result.file_name}」已上传（共 ${result.attached} 个）。`);
		} catch (e) {
			message("error", e.message);
		}
	});
})();
