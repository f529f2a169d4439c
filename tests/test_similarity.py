"""Repeat-petition detection on realistic Chinese petition texts."""

from __future__ import annotations

import pytest

from xinfang_app.domain.similarity import DEFAULT_THRESHOLD, find_similar, normalize, similarity

LAND_A = "反映青山镇石桥村村委会将其家庭承包的三亩耕地违规发包给他人，要求退还承包地并赔偿损失。"
LAND_B = "石桥村村民张某某称，村委会把他家承包的3亩耕地私自转包给别人，请求收回承包地、赔偿损失。"
WAGE_A = "反映某建筑公司拖欠农民工工资8万余元，多次讨要未果，请求帮助追讨拖欠工资。"
WAGE_B = "我们在某建筑公司工地干活，老板至今拖欠工资八万多元，讨要多次没有结果，请求政府帮助追讨工资。"
WAGE_C = "农民工反映建筑公司拖欠工资，讨薪无果，请求协调解决欠薪问题。"
COMPENSATION_A = "李家湾村征地补偿款未足额发放，要求补发"
COMPENSATION_B = "反映李家湾村征地补偿款被截留，村民未足额领取"
DIBAO = "反映本人家庭困难，申请最低生活保障未获评定，认为村里低保评定不公平，要求重新评定。"
NOISE = "反映小区楼下烧烤店夜间经营噪音扰民，严重影响休息，要求有关部门依法处理。"
ROAD = "反映石桥村通村公路年久失修，坑洼不平，群众出行困难，要求尽快修缮。"
PENSION = "反映养老保险缴费年限认定有误，导致养老金待遇偏低，要求重新核定。"


def test_normalize_folds_width_case_and_drops_punctuation_and_spaces():
	assert normalize("ＡＢＣ　１２３") == "abc123"
	assert normalize("拖欠工资，８万元！") == "拖欠工资8万元"
	assert normalize(" 《关于石桥村土地承包的情况反映》（第2次）\n") == "关于石桥村土地承包的情况反映第2次"
	assert normalize("Hello, World! (ok) ~ $5 + 3") == "helloworldok53"
	assert normalize("土地\u200b承包") == "土地承包"  # zero-width space from a chat app
	assert normalize("") == ""
	assert normalize(None) == ""


def test_identical_text_scores_one_even_with_different_punctuation_and_width():
	assert similarity(WAGE_A, WAGE_A) == 1.0
	assert similarity("拖欠工资８万元。", "拖欠工资 8万元") == 1.0


def test_empty_text_matches_nothing():
	assert similarity("", "") == 0.0
	assert similarity("，。！", WAGE_A) == 0.0
	assert similarity(WAGE_A, "   ") == 0.0


def test_single_characters_compare_as_unigrams():
	assert similarity("地", "地") == 1.0
	assert similarity("地", "土地") == pytest.approx(2 / 3)  # {地} and {土, 地} share one of three
	assert similarity("地", "工资") == 0.0


def test_dice_on_bigrams_by_hand():
	# 土地承包: 土地 地承 承包; 土地流转: 土地 地流 流转 -> 2 * 1 / 6
	assert similarity("土地承包", "土地流转") == pytest.approx(1 / 3)
	# repeated bigrams count as often as they occur: 工资工资 = 工资 资工 工资 vs 工资 -> 2 * 1 / 4
	assert similarity("工资工资", "工资") == pytest.approx(0.5)
	assert similarity("土地承包", "土地承包") == 1.0


@pytest.mark.parametrize(
	("a", "b"),
	[
		(LAND_A, LAND_B),
		(WAGE_A, WAGE_B),
		(WAGE_A, WAGE_C),
		(COMPENSATION_A, COMPENSATION_B),
	],
	ids=["land-contract", "unpaid-wages-told-by-worker", "unpaid-wages-summary", "land-compensation"],
)
def test_same_matter_reworded_scores_above_threshold(a, b):
	assert similarity(a, b) >= DEFAULT_THRESHOLD
	assert similarity(a, b) == similarity(b, a)


@pytest.mark.parametrize(
	("a", "b"),
	[
		(DIBAO, NOISE),
		(LAND_A, WAGE_B),
		(WAGE_A, PENSION),
		(NOISE, ROAD),
		(DIBAO, PENSION),
		(LAND_A, ROAD),  # same village, different matter
		("低保评定不公", "噪音扰民"),
	],
	ids=[
		"dibao-vs-noise",
		"land-vs-wages",
		"wages-vs-pension",
		"noise-vs-road",
		"dibao-vs-pension",
		"land-vs-road-same-village",
		"short-subjects",
	],
)
def test_unrelated_petitions_score_low(a, b):
	assert similarity(a, b) < 0.2
	assert similarity(a, b) < DEFAULT_THRESHOLD


CANDIDATES = [
	("XF-2025-0007", NOISE),
	("XF-2025-0003", WAGE_B),
	("XF-2025-0001", DIBAO),
	("XF-2025-0005", WAGE_C),
	("XF-2025-0002", LAND_B),
	("XF-2025-0004", ROAD),
	("XF-2025-0006", ""),
]


def test_find_similar_returns_only_the_same_matter_best_first():
	found = find_similar(WAGE_A, CANDIDATES)
	assert [key for key, _ in found] == ["XF-2025-0005", "XF-2025-0003"]  # 0.407 then 0.405
	assert found[0][1] > found[1][1] >= DEFAULT_THRESHOLD
	assert found[0][1] == pytest.approx(similarity(WAGE_A, WAGE_C))
	assert [key for key, _ in find_similar(LAND_A, CANDIDATES)] == ["XF-2025-0002"]
	assert find_similar(PENSION, CANDIDATES) == []


def test_find_similar_breaks_ties_by_key_and_applies_the_limit():
	candidates = [("c", WAGE_A), ("a", WAGE_A), ("b", WAGE_A), ("d", WAGE_C), ("e", NOISE)]
	found = find_similar(WAGE_A, candidates, limit=5)
	assert [key for key, _ in found] == ["a", "b", "c", "d"]
	assert [score for _, score in found[:3]] == [1.0, 1.0, 1.0]
	assert [key for key, _ in find_similar(WAGE_A, candidates, limit=2)] == ["a", "b"]
	assert find_similar(WAGE_A, candidates, limit=0) == []


def test_find_similar_threshold_is_inclusive_and_adjustable():
	score = similarity(WAGE_A, WAGE_C)
	assert find_similar(WAGE_A, [("x", WAGE_C)], threshold=score) == [("x", score)]
	assert find_similar(WAGE_A, [("x", WAGE_C)], threshold=score + 1e-9) == []
	# a low threshold lets the unrelated ones in too, still best first
	loose = find_similar(WAGE_A, CANDIDATES, threshold=0.0, limit=10)
	assert [key for key, _ in loose][:2] == ["XF-2025-0005", "XF-2025-0003"]
	assert "XF-2025-0006" not in [key for key, _ in loose]  # empty text is never a match
	assert [s for _, s in loose] == sorted((s for _, s in loose), reverse=True)


def test_find_similar_accepts_a_generator_and_an_empty_query():
	assert find_similar(LAND_A, ((k, t) for k, t in CANDIDATES))[0][0] == "XF-2025-0002"
	assert find_similar("，", CANDIDATES, threshold=0.0) == []
