"""Repeat petitions (重复信访): earlier petitions of the same petitioner on a similar matter.

The officer registering a petition is shown the earlier petitions of the same people (one Petitioner
record per ID number) whose matter reads alike; confirming one sets `repeat_of`, which clears `is_first_time` and, for a matter concluded by re-review, stops acceptance.
Only petitions the officer may read are compared: repeat detection is no way round the access model.
"""

from __future__ import annotations

import json

import frappe
from frappe import _

from xinfang_app import secrecy
from xinfang_app.domain import secrecy as secrecy_rules
from xinfang_app.domain.similarity import find_similar

MAX_SUGGESTIONS = 5


@frappe.whitelist()
def suggest_repeats(
	petitioners: str | list[str], subject: str = "", content: str = "", exclude: str | None = None
) -> list[dict]:
	"""Earlier readable petitions of these petitioners whose subject and content are similar, best first."""
	if not frappe.has_permission("Petition", "read"):
		frappe.throw(_("Not permitted to read petitions"), frappe.PermissionError)
	if isinstance(petitioners, str):
		petitioners = json.loads(petitioners) if petitioners.startswith("[") else [petitioners]
	petitioners = [p for p in petitioners if p]
	text = f"{subject or ''}{content or ''}"
	if not petitioners or not text.strip():
		return []
	filters = {"name": ("in", sorted(petitions_of(petitioners) - {exclude}) or [""])}
	if not secrecy.may_see_reporter():
		# an earlier accusation would tell the officer that this petitioner reported someone
		filters["petition_class"] = ("!=", secrecy_rules.ACCUSATION)
	earlier = frappe.get_list(
		"Petition",
		filters=filters,
		fields=["name", "subject", "content", "received_on", "workflow_state", "is_final"],
		limit_page_length=0,
	)
	by_name = {row.name: row for row in earlier}
	matches = find_similar(
		text, ((row.name, f"{row.subject or ''}{row.content or ''}") for row in earlier), limit=len(earlier)
	)
	# A matter concluded by re-review is the one that stops acceptance: it is never crowded out.
	matches.sort(key=lambda match: not by_name[match[0]].is_final)
	return [
		{
			"name": name,
			"subject": by_name[name].subject,
			"received_on": by_name[name].received_on,
			"workflow_state": by_name[name].workflow_state,
			"is_final": by_name[name].is_final,
			"score": round(score, 2),
		}
		for name, score in matches[:MAX_SUGGESTIONS]
	]


def petitions_of(petitioners: list[str]) -> set[str]:
	"""Every petition naming one of these petitioners (a petitioner is one record per ID number)."""
	return set(
		frappe.get_all(
			"Petition Party",
			filters={"parenttype": "Petition", "petitioner": ("in", petitioners)},
			pluck="parent",
			distinct=True,
		)
	)
