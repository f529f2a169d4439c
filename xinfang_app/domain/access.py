"""The access model of docs/DESIGN.md §6 as plain data and rules (no frappe import)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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


# Place scope by the tree (issue 13). A record carries, besides its division, the names of the divisions
# above it at these levels ("stamped" on every save, re-stamped set-based when a division moves): a
# place of those levels is then one indexed equality, however many divisions lie under it. A place of
# any other level (a village, a hamlet) is matched by the tree's lft/rgt range under it.
PLACE_COLUMNS = {"City": "city", "County": "county", "Township": "township", "Subdistrict": "township"}

# The doctypes that carry stamped place columns, and which.
STAMPED_PLACES = {
	"Petition": ("city", "county", "township"),
	"Dispute Ledger Entry": ("city", "county", "township"),
	"Field Visit": ("township",),
	"Mediation Case": ("township",),
}

# Link fields to Administrative Division whose records the app scopes by place itself (permissions.py):
# Frappe's own User Permission check is off on them (it would add an IN list of every division under the
# user's place to each query), the app's criterion applies instead with the same meaning, and a Link
# search from them still lists only the user's divisions (api.may_ignore_user_permissions).
PLACE_FIELDS = {
	"Petition": "division",
	"Dispute Ledger Entry": "division",
	"Field Visit": "division",
	"Joint Meeting": "division",
	"Ledger Import": "division",
	"Mediation Case": "division",
	"Reception Schedule": "division",
	"Reception Record": "division",
}


def place_stamps(chain: Sequence[tuple[str, str]], columns: Iterable[str]) -> dict[str, str | None]:
	"""The stamped place columns of a record in the division whose (name, level) chain, from the division
	itself up to the root, is given: for each column, the nearest division of its level."""
	stamps: dict[str, str | None] = dict.fromkeys(columns)
	for name, level in chain:
		column = PLACE_COLUMNS.get(level)
		if column in stamps and stamps[column] is None:
			stamps[column] = name
	return stamps


def subtree_stamps(
	top_chain: Sequence[tuple[str, str]], nodes: Iterable[tuple[str, str, str]], columns: Sequence[str]
) -> dict[tuple[str | None, ...], list[str]]:
	"""The divisions of a subtree grouped by the values of the stamped `columns` their records carry.

	`top_chain` is the (name, level) chain of the subtree's top, from it up to the root (place_stamps);
	`nodes` are (name, parent, level) of the divisions under the top, each after its parent (the tree's
	lft order). A node whose parent is not in the subtree is taken as a root."""
	columns = tuple(columns)
	chains: dict[str, list[tuple[str, str]]] = {}
	groups: dict[tuple[str | None, ...], list[str]] = {}

	def add(name: str, chain: list[tuple[str, str]]) -> None:
		chains[name] = chain
		stamps = place_stamps(chain, columns)
		groups.setdefault(tuple(stamps[c] for c in columns), []).append(name)

	if top_chain:
		add(top_chain[0][0], list(top_chain))
	for name, parent, level in nodes:
		add(name, [(name, level), *chains.get(parent, ())])
	return groups


@dataclass(frozen=True, order=True)
class Place:
	"""A division granted to a user (a User Permission): the division and all under it, or, when the
	permission hides descendants, the division alone."""

	name: str
	level: str = ""
	subtree: bool = True

	def contains(self, chain: Sequence[str]) -> bool:
		"""chain: a record's division, then the divisions above it up to the root."""
		if not chain:
			return False
		return self.name in chain if self.subtree else self.name == chain[0]


@dataclass(frozen=True)
class Scope:
	"""What one user may see: the places granted (not expanded: the tree says what lies under them) and units."""

	unrestricted: bool = False
	places: frozenset[Place] = field(default_factory=frozenset)
	units: frozenset[str] = field(default_factory=frozenset)

	@property
	def is_empty(self) -> bool:
		return not (self.unrestricted or self.places or self.units)

	@property
	def place_names(self) -> frozenset[str]:
		return frozenset(place.name for place in self.places)

	def in_places(self, chain: Sequence[str]) -> bool:
		return any(place.contains(chain) for place in self.places)

	def covers(self, chain: Sequence[str] = (), unit: str | None = None) -> bool:
		"""True when a record in the division whose chain (the division, then its ancestors) is given,
		handled by `unit`, is inside this scope.

		A user with places reads a unit's records only where the record has no division: Frappe's User
		Permission on the division field (which this criterion replaces) was ANDed with the app's."""
		if self.unrestricted:
			return True
		if self.in_places(chain):
			return True
		return bool(unit and unit in self.units and not (self.places and chain))


def make_scope(
	roles: Iterable[str], places: Iterable[Place] = (), units: Iterable[str] = (), is_admin: bool = False
) -> Scope:
	if is_admin or UNRESTRICTED_ROLES.intersection(roles):
		return Scope(unrestricted=True)
	return Scope(places=frozenset(places), units=frozenset(units))


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
