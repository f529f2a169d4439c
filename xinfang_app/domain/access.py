"""The access model of docs/DESIGN.md §6 as plain data and rules (no frappe import)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

VILLAGE_OFFICER = "Xinfang Village Officer"
TOWNSHIP_OFFICER = "Xinfang Township Officer"
COUNTY_OFFICER = "Xinfang County Officer"
UNIT_HANDLER = "Xinfang Unit Handler"
LEADER = "Xinfang Leader"
SUPERVISOR = "Xinfang Supervisor"
MEDIATOR = "Mediator"
MANAGER = "Xinfang Manager"

ROLES = (
	VILLAGE_OFFICER,
	TOWNSHIP_OFFICER,
	COUNTY_OFFICER,
	UNIT_HANDLER,
	LEADER,
	SUPERVISOR,
	MEDIATOR,
	MANAGER,
)

# Roles whose User Permissions on Administrative Division give them a place scope over mediation
# cases; a mediator sees only the cases assigned to them, whatever place they belong to.
PLACE_ROLES = frozenset({VILLAGE_OFFICER, TOWNSHIP_OFFICER, COUNTY_OFFICER, LEADER, SUPERVISOR})

# Roles that see every record of the app without a place or unit scope.
UNRESTRICTED_ROLES = frozenset({MANAGER})

# Frappe's own roles that the app's permission rows may name.
FRAPPE_ROLES = frozenset({"System Manager", "Administrator", "All", "Guest", "Desk User"})


@dataclass(frozen=True)
class Scope:
	"""What one user may see: a set of divisions (descendants already expanded) and of units."""

	unrestricted: bool = False
	divisions: frozenset[str] = field(default_factory=frozenset)
	units: frozenset[str] = field(default_factory=frozenset)

	@property
	def is_empty(self) -> bool:
		return not (self.unrestricted or self.divisions or self.units)

	def covers(self, division: str | None = None, unit: str | None = None) -> bool:
		"""True when a record in `division` handled by `unit` is inside this scope."""
		if self.unrestricted:
			return True
		return bool((division and division in self.divisions) or (unit and unit in self.units))


def make_scope(
	roles: Iterable[str], divisions: Iterable[str] = (), units: Iterable[str] = (), is_admin: bool = False
) -> Scope:
	if is_admin or UNRESTRICTED_ROLES.intersection(roles):
		return Scope(unrestricted=True)
	return Scope(divisions=frozenset(divisions), units=frozenset(units))
