"""A small fictional world for report tests: two municipalities, known progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from learning.content.models import ServiceArea
from learning.records import ModuleProgress, Role, User
from learning.services.accounts import AccountService
from learning.storage.repository import Repository

from .helpers import NOW, ensure_unit

OSLO, BERGEN = "0301", "4601"
MODULE = "prove-modul"


@dataclass
class World:
    repo: Repository
    admin: User
    users: dict[str, User]

    def __getitem__(self, name: str) -> User:
        return self.users[name]


def completed(days_ago: int = 3) -> ModuleProgress:
    when = NOW - timedelta(days=days_ago)
    return ModuleProgress(module_id=MODULE, content_version=1, lessons_read=["forste", "andre"], quiz_passed=True,
                          best_percent=100, started_at=when, updated_at=when, completed_at=when, completed_version=1)


def started() -> ModuleProgress:
    return ModuleProgress(module_id=MODULE, content_version=1, lessons_read=["forste"], started_at=NOW,
                          updated_at=NOW)


def build_world(repo: Repository) -> World:
    accounts = AccountService(repo, clock=lambda: NOW)
    admin = accounts.create_first_admin(username="admin", password="admin-passord", name="Admin", email="",
                                        municipality=OSLO)
    users: dict[str, User] = {}

    def add(name, role=Role.LEARNER, municipality=OSLO, area=ServiceArea.SKOLE, unit="Bjørkelia skole",
            manager_area=None):
        ensure_unit(repo, municipality, unit, area)
        users[name] = accounts.create_user(admin, username=name, password="passord123", name=name.title(),
                                           email="", municipality=municipality, role=role, service_area=area,
                                           unit=unit, manager_area=manager_area)

    add("leder-oslo", Role.MANAGER, area=None, unit="")
    add("leder-oslo-skole", Role.MANAGER, area=None, unit="", manager_area=ServiceArea.SKOLE)
    add("leder-bergen", Role.MANAGER, BERGEN, area=None, unit="")
    add("koordinator", Role.COORDINATOR, area=None, unit="")
    add("forfatter", Role.AUTHOR, area=None, unit="")
    for n in range(6):
        add(f"oslo-skole-{n}")
    for n in range(3):
        add(f"oslo-bhg-{n}", area=ServiceArea.BARNEHAGE, unit="Solsikken barnehage")
    for n in range(7):
        add(f"bergen-{n}", municipality=BERGEN, area=ServiceArea.BARNEVERN, unit="Barneverntjenesten Nord")
    state = {}
    for n in range(4):
        state[users[f"oslo-skole-{n}"].id] = ([completed(days_ago=n * 7)], [])
    state[users["oslo-skole-4"].id] = ([started()], [])
    state[users["oslo-bhg-0"].id] = ([completed()], [])
    for n in range(6):
        state[users[f"bergen-{n}"].id] = ([completed()], [])
    repo.bulk_load_state(state)
    return World(repo, admin, users)
