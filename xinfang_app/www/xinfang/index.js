// 网上信访 submission page: the same checks as the server (domain/portal.py, domain/idcard.py) run here
// first, so a petitioner learns at once what to correct; the server checks everything again.
(function () {
	const form = document.getElementById("xf-form");
	if (!form) return;
	const MAX_FILES = 5;
	const MAX_BYTES = 10 * 1024 * 1024;
	const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
	const CHECK = "10X98765432";
	const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
	const MAGIC = [
		[[0x25, 0x50, 0x44, 0x46, 0x2d], "PDF"],
		[[0xff, 0xd8, 0xff], "JPG"],
		[[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG"],
	];

	function normalizeId(raw) {
		let out = "";
		for (const ch of (raw || "").trim()) {
			const code = ch.charCodeAt(0);
			const c = code >= 0xff01 && code <= 0xff5e ? String.fromCharCode(code - 0xfee0) : ch;
			if (" \u3000\t-".includes(c)) continue;
			out += c;
		}
		return out.toUpperCase();
	}

	// GB 11643: the messages are the desk's (domain/idcard.py)
	function idError(raw) {
		const v = normalizeId(raw);
		if (v.length !== 18) return `身份证号码应为18位，当前为${v.length}位`;
		for (let i = 0; i < 17; i++) {
			if (!/[0-9]/.test(v[i])) return `身份证号码第${i + 1}位“${v[i]}”不是数字`;
		}
		if (!/[0-9X]/.test(v[17])) return `身份证号码第18位（校验码）“${v[17]}”只能是数字或X`;
		const y = +v.slice(6, 10), m = +v.slice(10, 12), d = +v.slice(12, 14);
		const date = new Date(Date.UTC(y, m - 1, d));
		if (m < 1 || m > 12 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
			return `身份证号码第7至14位的出生日期“${v.slice(6, 14)}”不是有效日期`;
		if (y < 1900) return `身份证号码第7至14位的出生日期“${v.slice(6, 14)}”早于1900年`;
		let total = 0;
		for (let i = 0; i < 17; i++) total += +v[i] * WEIGHTS[i];
		const expected = CHECK[total % 11];
		if (v[17] !== expected)
			return `身份证号码校验码错误：第18位应为“${expected}”，实际为“${v[17]}”，请核对各位数字`;
		return null;
	}

	function showErrors(errors) {
		form.querySelectorAll(".xf-error").forEach((el) => (el.textContent = ""));
		let first = null;
		for (const [key, message] of Object.entries(errors || {})) {
			const el = form.querySelector(`.xf-error[data-for="${key}"]`);
			if (el) {
				el.textContent = message;
				first = first || el;
			}
		}
		const box = document.getElementById("xf-form-error");
		const unplaced = Object.entries(errors || {}).filter(
			([key]) => !form.querySelector(`.xf-error[data-for="${key}"]`)
		);
		box.hidden = !unplaced.length;
		box.textContent = unplaced.map(([, m]) => m).join("；");
		(first || (unplaced.length ? box : null))?.scrollIntoView({ behavior: "smooth", block: "center" });
	}

	async function sniff(file) {
		const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
		return MAGIC.some(([bytes]) => bytes.every((b, i) => head[i] === b));
	}

	async function checkFiles(files) {
		if (files.length > MAX_FILES) return `最多上传 ${MAX_FILES} 个附件`;
		for (const file of files) {
			if (file.size > MAX_BYTES)
				return `附件「${file.name}」有 ${(file.size / 1048576).toFixed(1)} MB，每个附件不能超过 10 MB`;
			if (!(await sniff(file)))
				return `附件「${file.name}」不是 PDF、JPG 或 PNG 文件（按文件内容识别），请换一个文件`;
		}
		return null;
	}

	function value(name) {
		const el = form.elements[name];
		return el ? el.value.trim() : "";
	}

	async function localErrors(files) {
		const errors = {};
		const required = {
			full_name: "姓名必填",
			id_number: "身份证号码必填",
			phone: "联系电话必填，答复和进展短信发到这个号码",
			division: "请从列表中选择所在的县、乡镇和村（社区）",
			address: "住址必填",
			category: "请从列表中选择问题分类",
			subject: "信访事由必填",
			content: "事情经过必填",
			demands: "请写明您的诉求，每行一条",
		};
		for (const [key, message] of Object.entries(required)) if (!value(key)) errors[key] = message;
		const villages = document.getElementById("xf-village");
		if (!errors.division && !villages.disabled && !villages.value)
			errors.division = "请选择所在的村（社区）";
		if (value("id_number")) {
			const e = idError(value("id_number"));
			if (e) errors.id_number = e;
		}
		const phone = value("phone").replace(/[\s()（）]/g, "");
		if (phone && !PHONE.test(phone)) errors.phone = "联系电话应为 11 位手机号码或带区号的固定电话";
		const agent = ["agent_name", "agent_id_number", "agent_phone"];
		if (agent.some(value)) {
			if (!value("agent_name")) errors.agent_name = "代理人姓名必填";
			if (!value("agent_id_number")) errors.agent_id_number = "代理人身份证号码必填";
			else {
				const e = idError(value("agent_id_number"));
				if (e) errors.agent_id_number = "代理人" + e;
			}
			const ap = value("agent_phone").replace(/[\s()（）]/g, "");
			if (!ap) errors.agent_phone = "代理人联系电话必填，答复和进展短信发到这个号码";
			else if (!PHONE.test(ap)) errors.agent_phone = "代理人联系电话应为 11 位手机号码或带区号的固定电话";
		}
		const fileError = await checkFiles(files);
		if (fileError) errors.files = fileError;
		return errors;
	}

	const post = xinfang_portal.post;

	// county → township → village
	const selects = ["xf-county", "xf-township", "xf-village"].map((id) => document.getElementById(id));
	async function fill(select, parent) {
		const params = parent ? `?parent=${encodeURIComponent(parent)}` : "";
		const response = await fetch(`/api/method/xinfang_app.portal.divisions${params}`, {
			headers: { Accept: "application/json" },
		});
		const rows = (await response.json()).message || [];
		select.length = 1;
		for (const row of rows) select.add(new Option(row.division_name || row.name, row.name));
		select.disabled = !rows.length;
	}
	selects.forEach((select, level) => {
		select.addEventListener("change", async () => {
			for (const below of selects.slice(level + 1)) {
				below.length = 1;
				below.disabled = true;
			}
			const chosen = select.value;
			document.getElementById("division").value = chosen;
			if (chosen && level < 2) await fill(selects[level + 1], chosen);
		});
	});
	fill(selects[0]);

	form.elements.id_number.addEventListener("blur", () => {
		const el = form.querySelector('.xf-error[data-for="id_number"]');
		el.textContent = value("id_number") ? idError(value("id_number")) || "" : "";
	});

	form.addEventListener("submit", async (event) => {
		event.preventDefault();
		const button = document.getElementById("xf-submit");
		const files = Array.from(document.getElementById("xf-files").files);
		const errors = await localErrors(files);
		if (Object.keys(errors).length) return showErrors(errors);
		showErrors({});
		button.disabled = true;
		button.textContent = "正在提交…";
		const body = new FormData(form);
		let receipt;
		try {
			receipt = await post("submit", body);
		} catch (error) {
			showErrors(error.errors || { form: error.message });
			button.disabled = false;
			button.textContent = "提交";
			return;
		}
		const attached = [];
		const failed = [];
		for (const file of files) {
			const data = new FormData();
			data.append("query_code", receipt.query_code);
			data.append("file", file, file.name);
			try {
				attached.push((await post("attach", data)).file_name);
			} catch (error) {
				failed.push(error.message);
			}
		}
		showReceipt(receipt, attached, failed);
	});

	function showReceipt(receipt, attached, failed) {
		form.hidden = true;
		const set = (id, text) => (document.getElementById(id).textContent = text || "—");
		set("r-petition", receipt.petition);
		set("r-code", receipt.query_code);
		set("r-received", receipt.received_on);
		set("r-forward", receipt.forward_due);
		set("r-acceptance", receipt.acceptance_due);
		set("r-files", attached.length ? attached.join("、") : "无");
		set("r-url", receipt.query_url);
		const box = document.getElementById("r-file-error");
		box.hidden = !failed.length;
		box.textContent = failed.length
			? `以下附件没有上传成功：${failed.join("；")}。事项已登记，可在登记当日凭查询码在查询页补传。`
			: "";
		document.getElementById("xf-receipt").hidden = false;
		window.scrollTo(0, 0);
	}
	document.getElementById("xf-print").addEventListener("click", () => window.print());
})();
