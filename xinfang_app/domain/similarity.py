"""Text similarity for spotting repeat petitions (重复信访) before a new case is registered.

Chinese has no spaces between words, so words are approximated by overlapping character pairs (bigrams):
two accounts of the same matter share many of them (村名, 姓名, 承包地, 工资) even when the sentences differ.
The score is the Dice coefficient, which is cheap enough to run against every open case of a county in Python.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable

# At or above this score a case is shown to the officer as a possible repeat. Measured on the petitions in
# tests/test_similarity.py: the same matter (土地承包, 拖欠工资, 征地补偿, 排污) told in other words scores
# about 0.25-0.55; unrelated matters score 0.0-0.17; different matters from the same village that share a
# long stock opening (反映青山镇石桥村村委会…) reach about 0.34. 0.30 keeps most true repeats and lets
# through only the boilerplate look-alikes, which an officer dismisses at a glance; a missed repeat costs
# more than a glance.
DEFAULT_THRESHOLD = 0.3

# Unicode categories dropped by normalize(): punctuation (P*), symbols (S*), separators (Z*) and
# control/format characters (C*, e.g. zero-width spaces pasted from chat apps).
_DROPPED_CATEGORIES = ("P", "S", "Z", "C")


def normalize(text: str) -> str:
	"""Fold width and case and drop everything but letters, digits and marks.

	NFKC turns full-width Ａ１ and ideographic spaces into their ASCII forms, so text typed on a phone and
	text copied from a scanned letter compare equal; punctuation carries no meaning about the matter.
	"""
	folded = unicodedata.normalize("NFKC", text or "").lower()
	return "".join(ch for ch in folded if not unicodedata.category(ch).startswith(_DROPPED_CATEGORIES))


def _grams(normalized: str, size: int) -> Counter[str]:
	return Counter(normalized[i : i + size] for i in range(len(normalized) - size + 1))


def _dice(a: Counter[str], b: Counter[str]) -> float:
	total = sum(a.values()) + sum(b.values())
	if not total:
		return 0.0
	return 2 * sum((a & b).values()) / total


def similarity(a: str, b: str) -> float:
	"""Dice coefficient of the character bigrams of the normalized texts, from 0.0 to 1.0.

	A one-character text has no bigrams, so single characters are compared as unigrams; an empty text is
	similar to nothing (0.0), not even to another empty text, so blank fields never flag repeats.
	"""
	na, nb = normalize(a), normalize(b)
	if not na or not nb:
		return 0.0
	size = 1 if min(len(na), len(nb)) == 1 else 2
	return _dice(_grams(na, size), _grams(nb, size))


def find_similar(
	text: str,
	candidates: Iterable[tuple[str, str]],
	threshold: float = DEFAULT_THRESHOLD,
	limit: int = 5,
) -> list[tuple[str, float]]:
	"""The (key, score) pairs of candidates scoring at least `threshold`, best first, ties broken by key.

	`candidates` are (key, text) pairs, e.g. (petition name, subject + content). The query is normalized
	once rather than per candidate because the candidate list can be every open case of a county.
	"""
	if limit < 1:
		return []
	query = normalize(text)
	if not query:
		return []
	query_profiles = {1: _grams(query, 1), 2: _grams(query, 2)}
	matches = []
	for key, candidate_text in candidates:
		other = normalize(candidate_text)
		if not other:
			continue
		size = 1 if min(len(query), len(other)) == 1 else 2
		score = _dice(query_profiles[size], _grams(other, size))
		if score >= threshold:
			matches.append((key, score))
	matches.sort(key=lambda item: (-item[1], item[0]))
	return matches[:limit]
