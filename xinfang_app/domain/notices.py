"""Who issues a written notice to the petitioner (no frappe import)."""

from __future__ import annotations

COUNTY = "County"


def accepting_organ(
	handling_level: str | None,
	township_government: str | None,
	petition_office: str | None,
	responsible_unit: str | None = None,
) -> str | None:
	"""The organ that accepted a petition and signs its 受理告知书: the township government for a matter at
	village or township level, the county's petition office (信访工作机构) for a county matter; the responsible
	unit where neither is known."""
	if handling_level == COUNTY:
		return petition_office or township_government or responsible_unit
	return township_government or petition_office or responsible_unit
