"""The demo county 清源县: its divisions and units, and the petitions generated for it."""

import datetime as dt
import re
from collections import Counter

import pytest

from xinfang_app.demo import county_data
from xinfang_app.domain import idcard
from xinfang_app.domain.categories import leaf_categories

TODAY = dt.date(2026, 11, 21)
PETITION_LEVELS = {"Village", "Community", "Hamlet", "Township"}
UNIT_TYPES = {
	"County Department",
	"Township Government",
	"Village Committee",
	"Joint Office",
	"Discipline Inspection",
	"Court-Procuratorate",
	"Other",
}


@pytest.fixture(scope="module")
def divisions():
	return county_data.build_divisions()


@pytest.fixture(scope="module")
def by_name(divisions):
	return {d["division_name"]: d for d in divisions}


@pytest.fixture(scope="module")
def units(divisions):
	return county_data.build_units(divisions)


@pytest.fixture(scope="module")
def unit_by_name(units):
	return {u["unit_name"]: u for u in units}


@pytest.fixture(scope="module")
def petitions(divisions, units):
	return county_data.generate_petitions(divisions, units, TODAY)


def township_of(by_name, name):
	while by_name[name]["division_level"] != "Township":
		name = by_name[name]["parent"]
	return name


def test_division_counts_match_the_county_of_seed_001(divisions):
	counts = Counter(d["division_level"] for d in divisions)
	assert counts == {"County": 1, "Township": 8, "Village": 67, "Community": 11, "Hamlet": 253}
	county = next(d for d in divisions if d["division_level"] == "County")
	assert county["division_name"] == county_data.COUNTY_NAME
	assert county["parent"] is None


def test_division_names_are_unique_county_wide(divisions):
	names = [d["division_name"] for d in divisions]
	assert len(names) == len(set(names))


def test_division_names_end_as_their_level_says(divisions):
	endings = {
		"County": ("县",),
		"Township": ("镇", "乡"),
		"Village": ("村",),
		"Community": ("社区",),
		"Hamlet": ("屯", "窝棚", "店"),
	}
	for d in divisions:
		assert d["division_name"].endswith(endings[d["division_level"]]), d
	townships = [d["division_name"] for d in divisions if d["division_level"] == "Township"]
	assert any(t.endswith("镇") for t in townships) and any(t.endswith("乡") for t in townships)


def test_every_parent_exists_and_comes_earlier(divisions):
	seen = set()
	for d in divisions:
		if d["division_level"] != "County":
			assert d["parent"] in seen, d
		seen.add(d["division_name"])


def test_parents_are_one_level_up(divisions, by_name):
	expected_parent = {
		"Township": "County",
		"Village": "Township",
		"Community": "Township",
		"Hamlet": "Village",
	}
	for d in divisions:
		if d["parent"]:
			assert by_name[d["parent"]]["division_level"] == expected_parent[d["division_level"]], d


def test_each_village_has_two_to_six_hamlets(divisions):
	per_village = Counter(d["parent"] for d in divisions if d["division_level"] == "Hamlet")
	villages = [d["division_name"] for d in divisions if d["division_level"] == "Village"]
	assert set(per_village) == set(villages)
	assert all(2 <= per_village[v] <= 6 for v in villages)


def test_communities_are_in_towns(divisions):
	towns = {d["parent"] for d in divisions if d["division_level"] == "Community"}
	assert towns and all(town.endswith("镇") for town in towns)


def test_division_codes_are_twelve_digit_statistical_codes(divisions, by_name):
	codes = [d["division_code"] for d in divisions if d["division_code"]]
	assert len(codes) == len(set(codes))
	for d in divisions:
		code = d["division_code"]
		if d["division_level"] == "Hamlet":
			assert code == ""
			continue
		assert re.fullmatch(r"\d{12}", code), d
		if d["division_level"] == "County":
			assert code.endswith("000000")
		elif d["division_level"] == "Township":
			assert code.endswith("000") and not code.endswith("000000")
		else:
			parent_code = by_name[d["parent"]]["division_code"]
			assert code[:9] == parent_code[:9] and not code.endswith("000"), d


def test_unit_names_are_unique_and_their_divisions_exist(units, by_name):
	names = [u["unit_name"] for u in units]
	assert len(names) == len(set(names))
	for unit in units:
		assert unit["division"] in by_name, unit
		assert unit["unit_type"] in UNIT_TYPES, unit


def test_one_government_per_township_and_one_committee_per_village_and_community(divisions, units):
	governed = Counter((u["division"], u["unit_type"]) for u in units)
	for d in divisions:
		level = d["division_level"]
		if level == "Township":
			assert governed[d["division_name"], "Township Government"] == 1
		elif level in ("Village", "Community"):
			assert governed[d["division_name"], "Village Committee"] == 1
	county_units = [u["unit_name"] for u in units if u["division"] == county_data.COUNTY_NAME]
	assert all(name.startswith(county_data.COUNTY_NAME) for name in county_units)
	for name in ("信访局", "信访工作联席会议办公室", "纪委监委", "人民法院", "人民检察院", "委政法委"):
		assert county_data.COUNTY_NAME + name in county_units


def test_every_leaf_category_has_a_competent_county_unit(unit_by_name):
	assert set(county_data.CATEGORY_UNIT) == set(leaf_categories())
	for category, unit_name in county_data.CATEGORY_UNIT.items():
		assert unit_name in unit_by_name, category
		assert unit_by_name[unit_name]["division"] == county_data.COUNTY_NAME
	assert county_data.CATEGORY_UNIT["农村低保"].endswith("民政局")
	assert county_data.CATEGORY_UNIT["劳动争议和农民工工资"].endswith("人力资源和社会保障局")
	assert county_data.CATEGORY_UNIT["干部作风"].endswith("纪委监委")


def test_templates_use_leaf_categories_and_valid_classes():
	leaves = set(leaf_categories())
	for template in county_data.TEMPLATES:
		assert template.category in leaves
		assert template.petition_class in ("建议意见", "检举控告", "申诉求决")
		assert len(template.demands) >= 2
		assert (template.accused is not None) == (template.petition_class == "检举控告"), template.subject
	assert set(county_data.TEMPLATES_BY_CATEGORY) == leaves


def test_returns_exactly_count_petitions(petitions, divisions, units):
	assert len(petitions) == 320
	assert len(county_data.generate_petitions(divisions, units, TODAY, count=40)) == 40


def test_generation_is_deterministic(petitions, divisions, units):
	assert county_data.generate_petitions(divisions, units, TODAY) == petitions
	assert county_data.generate_petitions(divisions, units, TODAY, seed=7) != petitions


def test_petitioner_id_numbers_are_valid_and_match_gender(petitions):
	people = [p for petition in petitions for p in petition["petitioners"]]
	for person in people:
		parsed = idcard.parse(person["id_number"])
		assert parsed.value == person["id_number"]
		assert parsed.gender == person["gender"], person
		assert 1940 <= parsed.birth_date.year <= 2004
		assert parsed.region_code.startswith("2399")
		assert re.fullmatch(r"1[358]\d{9}", person["phone"]), person
		assert person["party_role"] in ("本人", "代表", "代理人")
	assert any(person["id_number"].endswith("X") for person in people)


def test_same_id_number_means_same_person(petitions):
	seen = {}
	for petition in petitions:
		for person in petition["petitioners"]:
			identity = (person["full_name"], person["gender"], person["phone"])
			assert seen.setdefault(person["id_number"], identity) == identity


def test_received_within_the_548_days_before_today_oldest_first(petitions):
	dates = [dt.date.fromisoformat(p["received_on"]) for p in petitions]
	assert dates == sorted(dates)
	assert all(TODAY - dt.timedelta(days=548) <= d <= TODAY for d in dates)
	recent = sum(d > TODAY - dt.timedelta(days=274) for d in dates)
	assert recent > len(dates) / 2  # the later months are denser


def test_every_township_has_at_least_fifteen_petitions(petitions, by_name):
	counts = Counter(township_of(by_name, p["division"]) for p in petitions)
	townships = {name for name, d in by_name.items() if d["division_level"] == "Township"}
	assert set(counts) == townships
	assert min(counts.values()) >= 15


def test_all_channels_classes_and_categories_are_used(petitions):
	assert {p["channel"] for p in petitions} == set(county_data.CHANNELS)
	classes = Counter(p["petition_class"] for p in petitions)
	assert set(classes) == {"建议意见", "检举控告", "申诉求决"}
	assert classes["申诉求决"] > len(petitions) / 2
	assert {p["category"] for p in petitions} == set(leaf_categories())


def test_petitions_sit_in_places_below_the_county(petitions, by_name):
	for petition in petitions:
		assert by_name[petition["division"]]["division_level"] in PETITION_LEVELS
		for person in petition["petitioners"]:
			assert person["division"] in (petition["division"], by_name[petition["division"]]["parent"])
			assert person["address"].startswith(county_data.COUNTY_NAME)


def test_demands_average_about_1_3_per_petition(petitions):
	leaves = set(leaf_categories())
	total = 0
	for petition in petitions:
		assert 1 <= len(petition["demands"]) <= 3
		assert petition["demands"][0]["category"] == petition["category"]
		assert all(d["category"] in leaves and d["demand"] for d in petition["demands"])
		total += len(petition["demands"])
	assert 1.2 * len(petitions) <= total <= 1.5 * len(petitions)


def test_texts_are_filled_in_and_sized(petitions):
	for petition in petitions:
		assert 0 < len(petition["subject"]) <= 60
		for text in (petition["subject"], petition["content"], *(d["demand"] for d in petition["demands"])):
			assert "{" not in text and "}" not in text, text
		assert 3 <= petition["content"].count("。") <= 6, petition["content"]


def test_group_petitions_are_rare_and_have_a_representative(petitions):
	groups = [p for p in petitions if p["headcount"] >= 5]
	assert 0.02 * len(petitions) <= len(groups) <= 0.1 * len(petitions)
	for petition in groups:
		roles = [person["party_role"] for person in petition["petitioners"]]
		assert roles.count("代表") == 1 and 2 <= len(roles) <= 3
	small = [p["headcount"] for p in petitions if p["headcount"] < 5]
	assert all(1 <= h <= 3 for h in small)
	assert all(p["headcount"] >= len(p["petitioners"]) for p in petitions)


def test_responsible_unit_matches_the_handling_level(petitions, unit_by_name, by_name):
	for petition in petitions:
		unit = unit_by_name[petition["responsible_unit"]]
		level = petition["handling_level"]
		if level == "County":
			assert unit["unit_name"] == county_data.CATEGORY_UNIT[petition["category"]]
		elif level == "Township":
			assert unit["unit_type"] == "Township Government"
			assert unit["division"] == township_of(by_name, petition["division"])
		else:
			assert level == "Village" and unit["unit_type"] == "Village Committee"
			place = petition["division"]
			assert unit["division"] in (place, by_name[place]["parent"])
	assert {p["handling_level"] for p in petitions} == {"Village", "Township", "County"}


def test_accused_only_on_reports_and_never_the_handling_unit(petitions, unit_by_name):
	reports = [p for p in petitions if p["petition_class"] == "检举控告"]
	for petition in reports:
		assert petition["accused_person"]
		if petition["accused_unit"] is not None:  # a Government Unit; an enterprise goes with the person
			assert petition["accused_unit"] in unit_by_name
			assert petition["accused_unit"] != petition["responsible_unit"]
	assert sum(p["accused_unit"] is not None for p in reports) > len(reports) / 2
	for petition in petitions:
		if petition["petition_class"] != "检举控告":
			assert petition.get("accused_unit") is None and petition.get("accused_person") is None


def test_loader_key_is_unique(petitions):
	# the demo loader recognises an already loaded petition by subject, date and division
	keys = [(p["subject"], p["received_on"], p["division"]) for p in petitions]
	assert len(keys) == len(set(keys))


def test_repeats_point_to_an_earlier_petition_of_the_same_person(petitions):
	repeats = [(i, p) for i, p in enumerate(petitions) if p["repeat_of_index"] is not None]
	assert 0.05 * len(petitions) <= len(repeats) <= 0.11 * len(petitions)
	for index, petition in repeats:
		earlier = petitions[petition["repeat_of_index"]]
		assert petition["repeat_of_index"] < index
		assert earlier["received_on"] < petition["received_on"]
		assert petition["is_first_time"] is False
		assert petition["petitioners"][0]["id_number"] == earlier["petitioners"][0]["id_number"]
		assert petition["category"] == earlier["category"]
		assert earlier["subject"] in petition["subject"] or petition["subject"].startswith("再次")
	assert sum(p["is_first_time"] for p in petitions) > 0.85 * len(petitions)
