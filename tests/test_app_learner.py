"""AppTest flows: first run, sign-in, catalog, a whole module, restart, role checks."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from learning.records import Role
from learning.services.accounts import AccountService
from tests.stores import open_store

from .apptest_helpers import (
    button,
    catalog_cards,
    click,
    create_first_admin,
    goto,
    labels,
    menu,
    new_app,
    page_text,
    play_quiz,
    restart_app,
    sign_in,
    values,
)


def test_first_run_creates_admin_and_signs_in(data_dir, fixture_content):
    at = new_app()
    assert values(at.title) == ["Velkommen! Opprett den første administratoren"]
    create_first_admin(at)
    assert values(at.title) == ["Kompetansemoduler"]
    admin = open_store(data_dir).find_user("anne")
    assert admin.role == Role.ADMIN and admin.password_hash.startswith("scrypt$")
    # The first-run page is gone for everyone after that.
    assert values(restart_app().title) == ["Logg inn"]


def test_first_run_mismatched_passwords_keep_no_user(data_dir, fixture_content):
    at = new_app()
    from .apptest_helpers import text_input
    text_input(at, "Navn").input("Anne")
    text_input(at, "Brukernavn").input("anne")
    text_input(at, "Passord").input("hemmelig123")
    text_input(at, "Gjenta passordet").input("annerledes1")
    click(at, "Opprett administrator")
    assert values(at.error) == ["Passordene er ikke like."]
    assert not open_store(data_dir).has_users()


def test_wrong_password_shows_norwegian_error(data_dir, fixture_content):
    create_first_admin(new_app())
    at = sign_in(restart_app(), "anne", "feil-passord")
    assert values(at.error) == ["Feil brukernavn eller passord."]
    assert values(at.title) == ["Logg inn"]


def learner(data_dir) -> None:
    repo = open_store(data_dir)
    accounts = AccountService(repo)
    admin = repo.find_user("anne")
    accounts.create_user(admin, username="kari", password="kari-passord", name="Kari Lærer", email="",
                         municipality="0301", role=Role.LEARNER)


def test_learner_completes_module_and_it_stays_completed_after_restart(data_dir, fixture_content):
    create_first_admin(new_app())
    learner(data_dir)
    at = sign_in(restart_app(), "kari", "kari-passord")
    assert values(at.title) == ["Kompetansemoduler"]
    assert [card.progress for card in catalog_cards(at)] == ["Ikke startet · 0 % gjort"]
    click(at, "Start modulen")
    assert values(at.header) == ["Første leksjon"]
    assert "Råd fra barn" in page_text(at) and "Refleksjon" in page_text(at)
    click(at, "Neste leksjon")
    assert values(at.header) == ["Andre leksjon"]
    click(at, "Til scenarioet")
    assert values(at.header) == ["Scenario: Prøvescenario"]
    play_quiz(at, [0, 0])
    assert "Fullført" in page_text(at) or any("Fullført" in s.value for s in at.success)
    assert any(s.value.startswith("Bestått") for s in at.success)

    at = sign_in(restart_app(), "kari", "kari-passord")
    assert [card.progress for card in catalog_cards(at)] == ["Fullført · 100 % gjort"]
    goto(at, "min-laering")
    frame = at.dataframe[0].value
    assert list(frame["Status"]) == ["Fullført"] and list(frame["Versjon"]) == [1]


def test_leaving_mid_lesson_returns_to_same_lesson(data_dir, fixture_content):
    create_first_admin(new_app())
    learner(data_dir)
    at = sign_in(restart_app(), "kari", "kari-passord")
    click(at, "Start modulen")
    click(at, "Neste leksjon")
    at = sign_in(restart_app(), "kari", "kari-passord")
    click(at, "Fortsett der du slapp")
    assert values(at.header) == ["Andre leksjon"]


def test_leaving_mid_quiz_returns_to_same_step(data_dir, fixture_content):
    create_first_admin(new_app())
    learner(data_dir)
    at = sign_in(restart_app(), "kari", "kari-passord")
    click(at, "Start modulen")
    click(at, "Scenario")
    click(at, "Start scenarioet")
    radio = next(r for r in at.radio if r.label == "Hva gjør du?")
    radio.set_value(1).run()
    click(at, "Velg")
    at = sign_in(restart_app(), "kari", "kari-passord")
    click(at, "Fortsett der du slapp")
    assert "Du valgte:" in page_text(at) and "Du later som ingenting." in page_text(at)
    assert labels(at.button).count("Videre") == 1


def test_learner_has_no_admin_or_leader_page_in_menu(data_dir, fixture_content):
    create_first_admin(new_app())
    learner(data_dir)
    admin_menu = menu(sign_in(restart_app(), "anne", "hemmelig123"))
    assert {"brukere", "leder", "forfatter", "logg"} <= admin_menu
    at = sign_in(restart_app(), "kari", "kari-passord")
    assert menu(at) == {"", "modul", "min-laering", "profil", "personvern", "kursbevis", "avmelding", "tilgjengelighet"}
    button(at, "Logg ut")


ADMIN_PAGE_AS = """
import streamlit as st
from learning.ui.pages import admin_users
from learning.ui.session import USER_KEY
st.session_state[USER_KEY] = st.session_state.get("as_user")
admin_users.render()
"""


def test_learner_opening_admin_page_directly_is_refused(data_dir, fixture_content):
    create_first_admin(new_app())
    learner(data_dir)
    kari = open_store(data_dir).find_user("kari")
    at = AppTest.from_string(ADMIN_PAGE_AS, default_timeout=30)
    at.session_state["as_user"] = kari.id
    at.run()
    assert values(at.error) == ["Du har ikke tilgang til denne siden. Logg inn med en bruker som har riktig rolle."]
    assert not at.text_input and not at.dataframe


def test_admin_creates_user_in_app(data_dir, fixture_content):
    at = create_first_admin(new_app())
    goto(at, "brukere")
    from .apptest_helpers import text_input
    text_input(at, "Navn").input("Ola Nordmann")
    text_input(at, "Brukernavn").input("ola")
    text_input(at, "Første passord").input("ola-passord")
    click(at, "Opprett bruker")
    assert values(at.success) == ["Brukeren ola er opprettet."]
    assert open_store(data_dir).find_user("ola").name == "Ola Nordmann"


def test_learner_url_to_admin_page_shows_no_admin_content(data_dir, fixture_content):
    create_first_admin(new_app())
    learner(data_dir)
    at = sign_in(restart_app(), "kari", "kari-passord")
    goto(at, "brukere")
    assert "Brukere" not in values(at.title) and not at.dataframe


def test_idle_session_signs_out_after_30_minutes(data_dir, fixture_content):
    from datetime import timedelta

    from learning.clock import utc_now
    from learning.ui.session import SEEN_KEY

    create_first_admin(new_app())
    learner(data_dir)
    at = sign_in(restart_app(), "kari", "kari-passord")
    at.session_state[SEEN_KEY] = utc_now() - timedelta(minutes=29)
    at.run()
    assert values(at.title) == ["Kompetansemoduler"]
    at.session_state[SEEN_KEY] = utc_now() - timedelta(minutes=31)
    at.run()
    assert values(at.title) == ["Logg inn"]
    assert [i.value for i in at.info] == ["Du ble logget ut fordi du ikke hadde gjort noe på 30 minutter. Logg inn igjen."]


def test_admin_deactivates_user_in_app(data_dir, fixture_content):
    create_first_admin(new_app())
    learner(data_dir)
    at = goto(sign_in(restart_app(), "anne", "hemmelig123"), "brukere")
    kari = open_store(data_dir).find_user("kari")
    next(s for s in at.selectbox if s.label == "Bruker").set_value(kari.id).run()
    next(c for c in at.checkbox if c.label == "Aktiv (kan logge inn)").uncheck()
    click(at, "Lagre endringene")
    assert values(at.success) == ["Endringene for kari er lagret."]
    assert not open_store(data_dir).find_user("kari").active
    assert values(sign_in(restart_app(), "kari", "kari-passord").error) == ["Feil brukernavn eller passord."]
