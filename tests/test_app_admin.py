"""AppTest flows: placement is set by admins, a municipal admin manages only their own municipality."""

from __future__ import annotations

from learning.content.models import ServiceArea
from learning.records import Role
from tests.stores import open_store

from .apptest_helpers import click, goto, menu, restart_app, sign_in, text_input, values
from .helpers import admin_and_accounts, make_user

OSLO, BERGEN = "0301", "4601"


def world(data_dir):
    repo = open_store(data_dir)
    accounts, admin = admin_and_accounts(repo)
    make_user(accounts, admin, "kari")
    make_user(accounts, admin, "muni", role=Role.MUNICIPAL_ADMIN, area=None, unit="")
    make_user(accounts, admin, "bergen-ola", municipality=BERGEN, unit="Bergen skole")
    make_user(accounts, admin, "forf", role=Role.AUTHOR, area=None, unit="")
    return repo


def test_profile_shows_placement_but_lets_the_user_change_only_name_and_email(data_dir, fixture_content):
    repo = world(data_dir)
    at = goto(sign_in(restart_app(), "kari", "passord123"), "profil")
    shown = "\n".join(m.value for m in at.markdown)
    assert "**Kommune:** Oslo (0301)" in shown and "**Enhet:** Bjørkelia skole" in shown
    assert [s.label for s in at.selectbox] == []  # no municipality, area or unit to pick
    assert [x.label for x in at.text_input][:2] == ["Navn", "E-post"]
    text_input(at, "Navn").input("Kari Nordmann")
    click(at, "Lagre profilen")
    assert values(at.success) == ["Profilen er lagret."]
    kari = repo.find_user("kari")
    assert (kari.name, kari.municipality, kari.unit) == ("Kari Nordmann", OSLO, "Bjørkelia skole")


def test_municipal_admin_manages_units_and_users_of_their_own_municipality_only(data_dir, fixture_content):
    repo = world(data_dir)
    at = sign_in(restart_app(), "muni", "passord123")
    assert "brukere" in menu(at) and "leder" in menu(at)
    at = goto(at, "brukere")
    assert values(at.caption)[0] == "Kommune: Oslo (0301)"
    listed = set(at.dataframe[0].value["Brukernavn"])
    assert {"kari", "muni"} <= listed and "bergen-ola" not in listed
    # A new unit, then a new user placed in it.
    at.text_input(key="unit-name").input("Solsikken barnehage")
    at.selectbox(key="unit-area").set_value(ServiceArea.BARNEHAGE)
    click(at, "Legg til enhet")
    assert values(at.success) == ["Enheten Solsikken barnehage er lagt til."]
    roles = next(s for s in at.selectbox if s.label == "Rolle").options
    assert "Administrator" not in roles and "Forfatter" not in roles and "Nettverkskoordinator" not in roles
    text_input(at, "Navn").input("Per Pedagog")
    text_input(at, "Brukernavn").input("per")
    text_input(at, "Første passord").input("per-passord")
    at.selectbox(key="new-unit").set_value("Solsikken barnehage")
    click(at, "Opprett bruker")
    assert not at.error, values(at.error)
    assert values(at.success) == ["Brukeren per er opprettet."]
    per = repo.find_user("per")
    assert (per.municipality, per.unit, per.role) == (OSLO, "Solsikken barnehage", Role.LEARNER)
    # The author is not theirs to edit.
    editable = next(s for s in at.selectbox if s.label == "Bruker").options
    assert any("(kari)" in o for o in editable)
    assert not any("(forf)" in o or "(bergen-ola)" in o for o in editable)


def test_leader_for_service_area_is_asked_only_for_the_manager_role(data_dir, fixture_content):
    repo = world(data_dir)
    at = goto(sign_in(restart_app(), "muni", "passord123"), "brukere")

    def asked() -> int:
        return sum(1 for s in at.selectbox if s.label == "Leder for tjenesteområde")

    assert at.selectbox(key="new-role").value == Role.LEARNER and asked() == 0  # a plain learner: not asked
    at.selectbox(key="new-role").set_value(Role.MANAGER).run()
    assert asked() == 1
    text_input(at, "Navn").input("Lise Leder")
    text_input(at, "Brukernavn").input("lise")
    text_input(at, "Første passord").input("lise-passord")
    next(s for s in at.selectbox if s.label == "Leder for tjenesteområde").set_value(ServiceArea.SKOLE)
    click(at, "Opprett bruker")
    assert values(at.success) == ["Brukeren lise er opprettet."]
    assert (repo.find_user("lise").role, repo.find_user("lise").manager_area) == (Role.MANAGER, ServiceArea.SKOLE)
    # Editing (the new-user tab still asks for its manager): the field follows the role chosen for that person
    kari = repo.find_user("kari")
    at.selectbox(key="admin-edit-user").set_value(kari.id).run()
    assert asked() == 1
    at.selectbox(key=f"edit-role-{kari.id}").set_value(Role.MANAGER).run()
    assert asked() == 2
