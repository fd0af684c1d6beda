"""Placement and roles are not self-service: who may set what, for whom (every cell asserted)."""

from __future__ import annotations

from functools import partial

import pytest

from learning.content.models import ServiceArea
from learning.errors import UserError
from learning.records import Role, Unit, counts_as_staff
from learning.services.authz import PermissionDenied
from learning.services.units import UnitService, store_units

from .helpers import admin_and_accounts, make_user

OSLO, BERGEN = "0301", "4601"


@pytest.fixture
def people(repo):
    accounts, admin = admin_and_accounts(repo)
    store_units(repo, BERGEN, [Unit(name="Bergen skole", service_area=ServiceArea.SKOLE)])
    users = {"admin": admin}
    for name, role, municipality in (
        ("learner", Role.LEARNER, OSLO), ("manager", Role.MANAGER, OSLO),
        ("muni-oslo", Role.MUNICIPAL_ADMIN, OSLO), ("muni-bergen", Role.MUNICIPAL_ADMIN, BERGEN),
        ("author", Role.AUTHOR, OSLO), ("coordinator", Role.COORDINATOR, OSLO),
        ("oslo-staff", Role.LEARNER, OSLO), ("bergen-staff", Role.LEARNER, BERGEN),
    ):
        unit = "Bergen skole" if municipality == BERGEN else "Bjørkelia skole"
        users[name] = make_user(accounts, admin, name, role=role, municipality=municipality, unit=unit)
    return accounts, users


def outcome(action) -> str:
    try:
        action()
    except PermissionDenied:
        return "denied"
    except UserError as error:
        return error.key
    return "ok"


ACTIONS = {
    "own placement": lambda a, u, me: a.set_placement(me, me.id, municipality=BERGEN, service_area=None, unit=""),
    "own role": lambda a, u, me: a.set_role(me, me.id, Role.MANAGER),
    "place Oslo staff": lambda a, u, me: a.set_placement(me, u["oslo-staff"].id, municipality=OSLO,
                                                         service_area=ServiceArea.BARNEHAGE, unit=""),
    "move Oslo staff to Bergen": lambda a, u, me: a.set_placement(me, u["oslo-staff"].id, municipality=BERGEN,
                                                                  service_area=None, unit=""),
    "place Bergen staff": lambda a, u, me: a.set_placement(me, u["bergen-staff"].id, municipality=BERGEN,
                                                           service_area=None, unit=""),
    "make Oslo staff manager": lambda a, u, me: a.set_role(me, u["oslo-staff"].id, Role.MANAGER),
    "make Oslo staff admin": lambda a, u, me: a.set_role(me, u["oslo-staff"].id, Role.ADMIN),
    "touch the author": lambda a, u, me: a.set_active(me, u["author"].id, False),
    "create in Oslo": lambda a, u, me: a.create_user(me, username=f"ny-{me.username}", password=None, name="N",
                                                     email="", municipality=OSLO, role=Role.LEARNER),
    "create in Bergen": lambda a, u, me: a.create_user(me, username=f"nb-{me.username}", password=None, name="N",
                                                       email="", municipality=BERGEN, role=Role.LEARNER),
    "list Bergen": lambda a, u, me: a.list_users(me, BERGEN),
}

D, OK = "denied", "ok"
TABLE = [
    # own placement: to Bergen (a municipal admin places themselves only inside their own municipality)
    # actor        own plc own role plc Oslo move Oslo plc Bergen mgr  admin author crt Oslo crt Bergen list Bergen
    ("learner",     (D,     D,       D,       D,        D,         D,   D,    D,     D,       D,         D)),
    ("manager",     (D,     D,       D,       D,        D,         D,   D,    D,     D,       D,         D)),
    ("author",      (D,     D,       D,       D,        D,         D,   D,    D,     D,       D,         D)),
    ("coordinator", (D,     D,       D,       D,        D,         D,   D,    D,     D,       D,         D)),
    ("muni-oslo",   (D, "accounts.cannot_change_own_role", OK, D,  D,         OK,  D,    D,     OK,      D,         D)),
    ("muni-bergen", (OK,    "accounts.cannot_change_own_role", D, D, OK,       D,   D,    D,     D,       OK,        OK)),
    ("admin",       (OK,    "accounts.cannot_demote_self", OK, OK,  OK,        OK,  OK,   OK,    OK,      OK,        OK)),
]


@pytest.mark.parametrize("actor,expected", TABLE, ids=[row[0] for row in TABLE])
def test_who_may_set_placement_and_roles(people, actor, expected):
    accounts, users = people
    for (name, action), want in zip(ACTIONS.items(), expected, strict=True):
        fresh = {key: accounts.repo.get_user(user.id) for key, user in users.items()}
        assert outcome(partial(action, accounts, fresh, fresh[actor])) == want, (actor, name)
        # undo what an allowed action changed, so every cell starts from the same world
        for user in users.values():
            accounts.repo.update_user(user.id, lambda _, user=user: user)


def test_a_municipal_admin_lists_only_their_own_municipality(people):
    accounts, users = people
    listed = accounts.list_users(users["muni-oslo"])
    assert listed and {u.municipality for u in listed} == {OSLO}


def test_placement_needs_a_unit_from_the_list(people):
    accounts, users = people
    admin, staff = users["admin"], users["oslo-staff"]
    with pytest.raises(UserError) as info:
        accounts.set_placement(admin, staff.id, municipality=OSLO, service_area=ServiceArea.SKOLE,
                               unit="Bjørkelia skule")  # a typo
    assert info.value.key == "units.unknown"
    moved = accounts.set_placement(admin, staff.id, municipality=BERGEN, service_area=ServiceArea.SKOLE,
                                   unit="Bergen skole")
    assert (moved.municipality, moved.unit) == (BERGEN, "Bergen skole")


def test_units_are_managed_per_municipality(people):
    accounts, users = people
    service = UnitService(accounts.repo)
    service.add(users["muni-oslo"], OSLO, "  Solsikken   barnehage ", ServiceArea.BARNEHAGE)
    assert "Solsikken barnehage" in [u.name for u in service.list(users["manager"], OSLO)]
    with pytest.raises(UserError):
        service.add(users["admin"], OSLO, "solsikken barnehage", None)
    with pytest.raises(PermissionDenied):
        service.add(users["muni-bergen"], OSLO, "Annen", None)
    with pytest.raises(PermissionDenied):
        service.add(users["manager"], OSLO, "Annen", None)
    with pytest.raises(PermissionDenied):
        service.list(users["manager"], BERGEN)
    with pytest.raises(UserError) as info:
        service.remove(users["muni-oslo"], OSLO, "Bjørkelia skole")  # staff are placed there
    assert info.value.key == "units.in_use"
    service.remove(users["muni-oslo"], OSLO, "Solsikken barnehage")
    assert "Solsikken barnehage" not in [u.name for u in service.list(users["admin"], OSLO)]


@pytest.mark.parametrize("role,area,active,expected", [
    (Role.LEARNER, None, True, True),
    (Role.LEARNER, ServiceArea.SKOLE, False, False),
    (Role.MANAGER, None, True, False),
    (Role.MANAGER, ServiceArea.BARNEHAGE, True, True),
    (Role.MUNICIPAL_ADMIN, None, True, False),
    (Role.MUNICIPAL_ADMIN, ServiceArea.SKOLE, True, True),
    (Role.AUTHOR, ServiceArea.SKOLE, True, False),
    (Role.COORDINATOR, None, True, False),
    (Role.ADMIN, ServiceArea.SKOLE, True, False),
])
def test_who_counts_as_staff(people, role, area, active, expected):
    _, users = people
    user = users["learner"].model_copy(update={"role": role, "service_area": area, "active": active})
    assert counts_as_staff(user) == expected
