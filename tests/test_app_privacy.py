"""AppTest flows: the audit log page (Logg), the profile's own-data download, erasure and inactive flags, Personvern."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from learning.content.models import ServiceArea
from learning.records import AuditAction, LoginState, Role
from learning.services.accounts import AccountService
from learning.services.reports import ReportService
from tests.stores import open_store

from .apptest_helpers import click, goto, menu, page_text, restart_app, sign_in, text_input, values
from .helpers import NOW, ensure_unit

OSLO, BERGEN = "0301", "4601"


@pytest.fixture
def world(data_dir, fixture_content):
    repo = open_store(data_dir)
    accounts = AccountService(repo, clock=lambda: NOW)
    admin = accounts.create_first_admin(username="admin", password="admin-passord", name="Anne Admin", email="",
                                        municipality=OSLO)
    people = {"admin": admin}
    for username, name, role, municipality, unit in (
            ("kari", "Kari Nordmann", Role.LEARNER, OSLO, "Bjørkelia skole"),
            ("leder", "Leder Oslo", Role.MANAGER, OSLO, ""),
            ("muni", "Muni Oslo", Role.MUNICIPAL_ADMIN, OSLO, ""),
            ("per", "Per Bergen", Role.LEARNER, BERGEN, "Bergen skole")):
        ensure_unit(repo, municipality, unit, ServiceArea.SKOLE if unit else None)
        people[username] = accounts.create_user(
            admin, username=username, password="passord123", name=name, email=f"{username}@example.invalid",
            municipality=municipality, role=role, service_area=ServiceArea.SKOLE if unit else None, unit=unit)
    accounts.sign_in("per", "passord123")
    ReportService(repo, fixture_content, clock=lambda: NOW).person(people["leder"], OSLO, people["kari"].id)
    return repo, people


def audit_table(at):
    return at.dataframe[0].value


def test_admin_sees_every_entry_and_filters(world):
    repo, people = world
    at = goto(sign_in(restart_app(), "admin", "admin-passord"), "logg")
    assert values(at.title) == ["Logg"]
    table = audit_table(at)
    assert len(table) == len(repo.audit_entries())
    assert "Så på en persons resultater" in set(table["Hendelse"])
    viewed = table[table["Hendelse"] == "Så på en persons resultater"].iloc[0]
    assert (viewed["Hvem"], viewed["Gjelder"], viewed["Kommune"]) == ("Leder Oslo", "Kari Nordmann", "Oslo (0301)")
    assert "Per Bergen" in set(table["Gjelder"])
    assert "Last ned loggen (CSV)" in [b.label for b in at.get("download_button")]
    at.multiselect(key="audit-actions").set_value([AuditAction.SIGNED_IN]).run()
    table = audit_table(at)
    assert set(table["Hendelse"]) == {"Logget inn"} and set(table["Gjelder"]) == {"Per Bergen", "Anne Admin"}
    at.multiselect(key="audit-actions").set_value([]).run()
    at.selectbox(key="audit-actor").set_value(people["leder"].id).run()
    assert set(audit_table(at)["Hvem"]) == {"Leder Oslo"}
    at.selectbox(key="audit-actor").set_value(None).run()
    at.date_input(key="audit-to").set_value((NOW - timedelta(days=1)).date()).run()
    assert not at.dataframe and "Ingen hendelser passer med valgene." in values(at.info)


def test_municipal_admin_sees_only_own_municipality_and_export_is_logged(world, served):
    repo, people = world
    at = goto(sign_in(restart_app(), "muni", "passord123"), "logg")
    table = audit_table(at)
    assert set(table["Kommune"]) == {"Oslo (0301)"}
    assert "Per Bergen" not in set(table["Gjelder"]) and people["per"].id not in set(table["Gjelder (id)"])
    name = next(n for n in served if n.startswith("mittliv-logg-0301-"))
    text = served[name]().decode("utf-8-sig")
    assert text.startswith("Tidspunkt;Hvem;") and "Kari Nordmann" in text and "Per Bergen" not in text
    assert repo.audit_entries()[-1].action == AuditAction.AUDIT_EXPORTED


def test_learner_and_manager_get_no_log(world):
    for username in ("kari", "leder"):
        at = sign_in(restart_app(), username, "passord123")
        assert "logg" not in menu(at) and "personvern" in menu(at)
        at = goto(at, "logg")
        assert "Logg" not in values(at.title) and not at.dataframe


def test_profile_downloads_own_data(world, served):
    repo, people = world
    at = goto(sign_in(restart_app(), "kari", "passord123"), "profil")
    assert {"Last ned dataene (JSON)", "Last ned som lesbar side (Markdown)"} <= {
        b.label for b in at.get("download_button")}
    data = json.loads(served["mine-data-kari.json"]())
    assert data["user"]["id"] == people["kari"].id and data["user"]["email"] == "kari@example.invalid"
    assert "password_hash" not in data["user"] and data["sign_in"]["last_sign_in"]
    assert {"user_created", "signed_in", "person_viewed"} <= {e["action"] for e in data["audit_entries"]}
    page = served["mine-data-kari.md"]().decode("utf-8")
    assert page.startswith("# Dine data i MITT LIV Oppvekst – læring: Kari Nordmann")
    assert repo.audit_entries()[-1].action == AuditAction.OWN_DATA_EXPORTED


def test_admin_erases_a_user_after_typing_the_username_and_sees_inactive_flags(world):
    repo, people = world
    repo.set_login_state(people["per"].id, LoginState(last_sign_in=NOW - timedelta(days=30 * 20)))
    at = goto(sign_in(restart_app(), "muni", "passord123"), "brukere")
    listed = at.dataframe[0].value
    unused = dict(zip(listed["Brukernavn"], listed["Ubrukt"], strict=True))
    assert unused["muni"] == "" and unused["kari"] == ""  # both just signed in or were created now
    assert "ikke brukt på 18 måneder" not in "\n".join(values(at.warning))
    at.selectbox(key="gdpr-user").set_value(next(u for u in at.selectbox(key="gdpr-user").options
                                                 if "(kari)" in u)).run()
    text_input(at, "Skriv brukernavnet for å bekrefte").input("feil")
    click(at, "Slett personopplysningene")
    assert values(at.error) == ["Brukernavnet stemmer ikke. Ingenting er slettet."]
    assert repo.get_user(people["kari"].id).name == "Kari Nordmann"
    text_input(at, "Skriv brukernavnet for å bekrefte").input("kari")
    click(at, "Slett personopplysningene")
    assert values(at.success)[0].startswith("Personopplysningene er slettet. Brukeren heter nå Slettet bruker ")
    gone = repo.get_user(people["kari"].id)
    assert gone.anonymised_at and gone.name.startswith("Slettet bruker") and gone.email == ""


def test_inactive_accounts_are_flagged_for_the_admin(world):
    repo, people = world
    repo.set_login_state(people["per"].id, LoginState(last_sign_in=NOW - timedelta(days=30 * 20)))
    at = goto(sign_in(restart_app(), "admin", "admin-passord"), "brukere")
    at.selectbox(key="admin-municipality").set_value(BERGEN).run()
    listed = at.dataframe[0].value
    assert dict(zip(listed["Brukernavn"], listed["Ubrukt"], strict=True))["per"] == "Ja"
    assert "1 kontoer er ikke brukt på 18 måneder" in "\n".join(values(at.warning))


def test_privacy_page_says_what_why_and_how_long(world, monkeypatch):
    monkeypatch.setenv("LEARNING_AUDIT_DAYS", "200")
    at = goto(sign_in(restart_app(), "kari", "passord123"), "personvern")
    text = page_text(at)
    assert values(at.title) == ["Personvern"]
    for heading in ("Hva vi lagrer", "Hvorfor vi lagrer det", "Hvor lenge vi lagrer det", "Dette kan du gjøre"):
        assert heading in text
    assert "slettes etter 200 dager" in text and "18 måneder" in text
