"""Units (workplaces) per municipality: a managed list, so placements have no free-text typos.

Stored as one document per municipality in the ``units`` collection. Admins manage
every list; a municipal admin manages their own municipality's.
"""

from __future__ import annotations

from learning.content.models import ServiceArea
from learning.errors import UserError
from learning.records import Unit, User
from learning.services.authz import LEADER_ROLES, require_municipality, require_role, require_user_admin
from learning.storage.repository import Repository

COLLECTION = "units"
MAX_NAME = 120


def units_of(repo: Repository, municipality: str) -> list[Unit]:
    """The municipality's units, sorted by name (no role check: callers check)."""
    doc = repo.get_doc(COLLECTION, municipality) or {}
    return sorted((Unit.model_validate(u) for u in doc.get("units", [])), key=lambda u: u.name.casefold())


def store_units(repo: Repository, municipality: str, units: list[Unit]) -> None:
    """Write a whole list (demo data and tests); the service below checks roles."""
    repo.put_doc(COLLECTION, municipality, {"units": [u.model_dump(mode="json") for u in units]})


def check_unit(repo: Repository, municipality: str, unit: str) -> str:
    """The unit as listed, or "" for none; a name not on the list is refused."""
    unit = unit.strip()
    if not unit:
        return ""
    if unit not in {u.name for u in units_of(repo, municipality)}:
        raise UserError("units.unknown")
    return unit


class UnitService:
    def __init__(self, repo: Repository):
        self.repo = repo

    def list(self, actor: User | None, municipality: str) -> list[Unit]:
        """Leaders and user admins of the municipality see its units."""
        require_municipality(require_role(actor, *LEADER_ROLES), municipality)
        return units_of(self.repo, municipality)

    def add(self, actor: User | None, municipality: str, name: str, service_area: ServiceArea | None) -> Unit:
        require_user_admin(actor, municipality)
        name = " ".join(name.split())
        if not name:
            raise UserError("units.name_required")
        if len(name) > MAX_NAME:
            raise UserError("accounts.field_too_long")
        unit = Unit(name=name, service_area=service_area)

        def change(doc: dict | None) -> dict:
            units = (doc or {}).get("units", [])
            if any(u["name"].casefold() == name.casefold() for u in units):
                raise UserError("units.exists")
            return {"units": [*units, unit.model_dump(mode="json")]}

        self.repo.update_doc(COLLECTION, municipality, change)
        return unit

    def remove(self, actor: User | None, municipality: str, name: str) -> None:
        """Remove a unit nobody active is placed in."""
        require_user_admin(actor, municipality)
        if any(u.unit == name and u.active for u in self.repo.list_users(municipality)):
            raise UserError("units.in_use")

        def change(doc: dict | None) -> dict:
            return {"units": [u for u in (doc or {}).get("units", []) if u["name"] != name]}

        self.repo.update_doc(COLLECTION, municipality, change)
