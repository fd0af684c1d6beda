"""Small builders shared by tests."""

from __future__ import annotations

from datetime import UTC, datetime

from learning.content.models import ServiceArea
from learning.records import Role, Unit, User
from learning.services.accounts import AccountService
from learning.services.units import store_units, units_of

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def make_user(accounts: AccountService, admin: User, username: str, *, role: Role = Role.LEARNER,
              municipality: str = "0301", area: ServiceArea | None = ServiceArea.SKOLE, unit: str = "Bjørkelia skole",
              password: str = "passord123", manager_area: ServiceArea | None = None) -> User:
    ensure_unit(accounts.repo, municipality, unit, area)
    return accounts.create_user(admin, username=username, password=password, name=username.title(),
                                email="", municipality=municipality, role=role, service_area=area, unit=unit,
                                manager_area=manager_area)


def admin_and_accounts(repo) -> tuple[AccountService, User]:
    accounts = AccountService(repo)
    admin = accounts.create_first_admin(username="admin", password="admin-passord", name="Admin",
                                        email="admin@example.invalid", municipality="0301")
    return accounts, admin


def ensure_unit(repo, municipality: str, unit: str, area: ServiceArea | None = None) -> None:
    """Put ``unit`` on the municipality's managed list, as its admin would have."""
    units = units_of(repo, municipality)
    if unit and unit not in {u.name for u in units}:
        store_units(repo, municipality, [*units, Unit(name=unit, service_area=area)])
