from xinfang_app.domain.display import localise_labels, period_zh, translate_version_data


def test_frappe_periods_read_as_chinese_dates():
	assert period_zh("Jan 2026") == "2026年1月"
	assert period_zh("Dec 2027") == "2027年12月"
	assert period_zh("Quarter 3 2026") == "2026年第3季度"
	assert period_zh("2026") is None
	assert period_zh("Handling") is None
	assert period_zh("Janet 2026") is None


def test_labels_are_periods_in_chinese_and_values_translated():
	translations = {"Handling": "办理中", "Not Specified": "未指定"}
	translate = lambda text: translations.get(text, text)  # noqa: E731
	assert localise_labels(["Nov 2026", "Handling", "Not Specified", 3], True, translate) == [
		"2026年11月",
		"办理中",
		"未指定",
		3,
	]
	# on an English desk the periods stay as Frappe writes them
	assert localise_labels(["Nov 2026", "Handling"], False, translate) == ["Nov 2026", "办理中"]


def test_coded_values_in_a_versions_diff_read_translated():
	translations = {
		"Pending Acceptance": "待受理",
		"Accepted": "已受理",
		"Red": "红",
		"Green": "绿",
		"(empty)": "（空）",
	}
	translate = lambda text: translations.get(text, text)  # noqa: E731
	data = {
		"changed": [
			["workflow_state", "Pending Acceptance", "Accepted"],
			["light", "Red", "Green"],
			["subject", "Pending Acceptance", "x"],
			["light", None, "Red"],
			["replied_on", None, "2026-11-28"],
			["light", "Green", ""],
		],
		"added": [],
	}
	assert translate_version_data(data, frozenset({"workflow_state", "light"}), translate)
	assert data["changed"] == [
		["workflow_state", "待受理", "已受理"],
		["light", "红", "绿"],
		["subject", "Pending Acceptance", "x"],
		["light", "（空）", "红"],
		["replied_on", "（空）", "2026-11-28"],
		["light", "绿", "（空）"],
	]
	assert not translate_version_data({"changed": [["subject", "a", "b"]]}, frozenset({"light"}), translate)
