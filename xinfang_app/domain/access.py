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

# The role of a system that sends petitions (12345 transfers, 上级交办) through xinfang_app.intake: no desk,
# no permission on any record; it may only hand petitions in.
INTEGRATION = "Xinfang Integration"
SERVICE_ROLES = (INTEGRATION,)

# Roles whose User Permissions on Administrative Division give them a place scope over mediation
# cases; a mediator sees only the cases assigned to them, whatever place they belong to.
PLACE_ROLES = frozenset({VILLAGE_OFFICER, TOWNSHIP_OFFICER, COUNTY_OFFICER, LEADER, SUPERVISOR})

# Roles that see every record of the app without a place or unit scope.
UNRESTRICTED_ROLES = frozenset({MANAGER})

# The workspace a user lands on after login (User.default_workspace), unless a home was chosen for them: a
# leader reads the workbench; a mediator with no other role of the app works on their cases.
WORKBENCH = "信访工作台"
MEDIATION_WORKSPACE = "调解工作台"


def home_workspace(roles: Iterable[str]) -> str | None:
	roles = set(roles)
	if LEADER in roles:
		return WORKBENCH
	if MEDIATOR in roles and not roles.intersection(set(ROLES) - {MEDIATOR}):
		return MEDIATION_WORKSPACE
	return None


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


# Every child table of the app and the doctypes it is a table of. A child row is read with its parent's
# scope on every path (lists and counts with parent_doctype, REST, reports): permissions.child_query.
# tests/test_metadata.py checks this against the doctypes' JSON.
CHILD_TABLES = {
	"Dispute Party": ("Dispute Ledger Entry", "Mediation Case"),
	"Field Visit Finding": ("Field Visit",),
	"Joint Meeting Agenda Item": ("Joint Meeting",),
	"Joint Meeting Unit": ("Joint Meeting",),
	"Leader Case Progress": ("Leader Case Assignment",),
	"Mediation Case Mediator": ("Mediation Case",),
	"Mediation Session": ("Mediation Case",),
	"Petition Demand": ("Petition",),
	"Petition Party": ("Petition",),
	"Reception Instruction": ("Reception Record",),
	"Reception Record Petition": ("Reception Record",),
	"Xinfang Holiday": ("Xinfang Holiday List",),
}
