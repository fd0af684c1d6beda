"""Small builders shared by tests."""

from __future__ import annotations

from datetime import UTC, datetime

from learning.content.models import ServiceArea
from learning.records import Role, User
from learning.services.accounts import AccountService

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def make_user(accounts: AccountService, admin: User, username: str, *, role: Role = Role.LEARNER,
              municipality: str = "0301", area: ServiceArea | None = ServiceArea.SKOLE, unit: str = "Bjørkelia skole",
              password: str = "passord123", manager_area: ServiceArea | None = None) -> User:
    return accounts.create_user(admin, username=username, password=password, name=username.title(),
                                email="", municipality=municipality, role=role, service_area=area, unit=unit,
                                manager_area=manager_area)


def admin_and_accounts(repo) -> tuple[AccountService, User]:
    accounts = AccountService(repo)
    admin = accounts.create_first_admin(username="admin", password="admin-passord", name="Admin",
                                        email="admin@example.invalid", municipality="0301")
    return accounts, admin
