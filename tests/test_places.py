"""Place scope by the tree (issue 13): a user's places are matched against a record's chain of divisions,
and the place columns a record carries are read off that chain."""

import functools
import random

from xinfang_app.domain.access import Place, Scope, make_scope, place_stamps, subtree_stamps
from xinfang_app.domain.divisions import LEVEL_RANK, handling_level_for, level_order_error

CHAIN = [("一屯", "Hamlet"), ("一村", "Village"), ("甲镇", "Township"), ("乙县", "County"), ("丙市", "City")]
NAMES = tuple(name for name, _level in CHAIN)


def test_stamps_are_the_nearest_division_of_each_level():
	assert place_stamps(CHAIN, ("city", "county", "township")) == {
		"city": "丙市",
		"county": "乙县",
		"township": "甲镇",
	}
	assert place_stamps(CHAIN, ("township",)) == {"township": "甲镇"}
	assert place_stamps([("乙县", "County"), ("丙市", "City")], ("city", "county", "township")) == {
		"city": "丙市",
		"county": "乙县",
		"township": None,
	}
	assert place_stamps([], ("township",)) == {"township": None}
	# a subdistrict is a township's peer
	assert place_stamps([("某社区", "Community"), ("某街道", "Subdistrict")], ("township",)) == {
		"township": "某街道"
	}


def random_tree(rng: random.Random, size: int) -> list[tuple[str, str | None, str]]:
	"""(name, parent, level) in depth-first (lft) order, levels drawn at random under each parent (a
	township under a city, a subdistrict, levels skipped) as real trees have them."""
	levels = ["City", "County", "Township", "Subdistrict", "Village", "Community", "Hamlet"]
	nodes = [("根", None, "Province")]

	def grow(parent: str, depth: int) -> None:
		for i in range(rng.randint(0, 4) if depth < 5 else 0):
			if len(nodes) >= size:
				return
			name = f"{parent}-{i}"
			nodes.append((name, parent, rng.choice(levels)))
			grow(name, depth + 1)

	grow("根", 0)
	return nodes


def chain_up(parent_of: dict, name: str | None) -> list[tuple[str, str]]:
	out = []
	while name is not None:
		parent, level = parent_of[name]
		out.append((name, level))
		name = parent
	return out


def test_a_subtree_is_grouped_by_the_stamps_each_division_would_get_alone():
	rng = random.Random(13)
	columns = ("city", "county", "township")
	for _ in range(50):
		nodes = random_tree(rng, 300)
		parent_of = {name: (parent, level) for name, parent, level in nodes}
		chain = functools.partial(chain_up, parent_of)
		top = rng.choice(nodes)[0]
		under = [n for n in nodes if n[0] != top and top in {c for c, _ in chain(n[0])}]
		for cols in (columns, ("township",)):
			groups = subtree_stamps(chain(top), under, cols)
			got = {name: key for key, names in groups.items() for name in names}
			assert sorted(got) == sorted([top, *(n[0] for n in under)])
			for name, key in got.items():
				assert key == tuple(place_stamps(chain(name), cols).values()), name


def test_a_place_holds_everything_under_it_unless_its_descendants_are_hidden():
	assert Place("乙县", "County").contains(NAMES)
	assert Place("一屯", "Hamlet").contains(NAMES)
	assert not Place("二村", "Village").contains(NAMES)
	assert not Place("乙县", "County", subtree=False).contains(NAMES)
	assert Place("一屯", "Hamlet", subtree=False).contains(NAMES)
	assert not Place("乙县", "County").contains(())


def test_scope_covers_places_and_units():
	township = make_scope(["Xinfang Township Officer"], places=[Place("甲镇", "Township")])
	assert township.covers(NAMES)
	assert not township.covers(("二村", "丁镇", "乙县", "丙市"))
	assert not township.covers((), None)
	unit = make_scope(["Xinfang Unit Handler"], units=["住建局"])
	assert unit.covers(NAMES, "住建局")
	assert not unit.covers(NAMES, "水利局")
	assert unit.covers((), "住建局")


def test_a_user_with_places_reads_a_units_records_only_without_a_division():
	# Frappe's User Permission on the division field was ANDed with the app's criterion; it still is.
	both = make_scope(["Xinfang Township Officer"], places=[Place("甲镇", "Township")], units=["住建局"])
	assert both.covers(NAMES, "住建局")
	assert not both.covers(("二村", "丁镇"), "住建局")
	assert both.covers((), "住建局")


def test_unrestricted_and_empty_scopes():
	assert make_scope(["Xinfang Manager"], places=[Place("甲镇")]).covers(())
	assert make_scope((), is_admin=True).unrestricted
	assert make_scope(["Xinfang Village Officer"]).is_empty
	assert Scope(places=frozenset({Place("甲镇")})).place_names == {"甲镇"}


def test_a_city_sits_above_its_counties():
	assert LEVEL_RANK["City"] < LEVEL_RANK["County"]
	assert level_order_error("County", "City") is None
	assert level_order_error("City", "County")
	assert handling_level_for("City") == "County"
