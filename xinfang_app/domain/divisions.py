"""Rules of the administrative tree ((市 →) 县 → 乡镇/街道 → 村/社区 → 屯 → 网格)."""

from __future__ import annotations

import re

LEVEL_RANK = {
	"City": -1,  # a city that runs the app for its counties (issue 13)
	"County": 0,
	"Township": 1,
	"Subdistrict": 1,
	"Village": 2,
	"Community": 2,
	"Hamlet": 3,
	"Grid": 4,
}
TOWNSHIP_LEVELS = frozenset({"Township", "Subdistrict"})
LEAF_LEVELS = frozenset({"Hamlet", "Grid"})
CODE_PATTERN = re.compile(r"^\d{12}$")


def level_order_error(level: str, parent_level: str | None) -> str | None:
	"""Return why `level` may not sit under `parent_level`, or None when it may."""
	if level not in LEVEL_RANK:
		return f"unknown division level {level!r}"
	if parent_level is None:
		return None
	if parent_level not in LEVEL_RANK:
		return f"unknown parent division level {parent_level!r}"
	if LEVEL_RANK[level] <= LEVEL_RANK[parent_level]:
		return f"a {level} cannot sit under a {parent_level}"
	return None


def is_valid_code(code: str | None) -> bool:
	return not code or bool(CODE_PATTERN.match(code))


def township_of(chain: list[tuple[str, str]]) -> str | None:
	"""Given (name, level) pairs from the division itself up to the root, the township it belongs to."""
	for name, level in chain:
		if level in TOWNSHIP_LEVELS:
			return name
	return None


def default_is_group(level: str) -> bool:
	return level not in LEAF_LEVELS


def handling_level_for(level: str) -> str:
	"""The tier (Village/Township/County) that first handles a matter arising at a division of `level`."""
	rank = LEVEL_RANK.get(level, 0)
	if rank >= LEVEL_RANK["Village"]:
		return "Village"
	if rank == LEVEL_RANK["Township"]:
		return "Township"
	return "County"
