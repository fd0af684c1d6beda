"""A person's data: the own-data export holds everything stored about them; erasure leaves no trace but the figures."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from learning.content.bundle import Kind
from learning.content.models import ServiceArea
from learning.errors import UserError
from learning.records import AuditAction, Role
from learning.services.accounts import AccountService
from learning.services.assignments import AssignmentService
from learning.services.audit import AuditService
from learning.services.authoring import AuthoringService
from learning.services.authz import PermissionDenied
from learning.services.gdpr import PersonalDataService, own_data_markdown
from learning.services.learning import LearningService
from learning.services.reports import ReportService
from tests.stores import stored_bytes

from .conftest import FIXTURE_CONTENT
from .helpers import NOW, ensure_unit
from .test_authoring_service import PROVENANCE, complete, write_valid_quiz

OSLO, BERGEN = "0301", "4601"
KARI = {"name": "Kari Ødegård Nordmann", "username": "kari.nordmann", "email": "kari.nordmann@example.invalid"}
FRIDA = {"name": "Frida Fjellstad Forfatter", "username": "frida.fjell", "email": "frida.fjell@example.invalid"}


@pytest.fixture
def world(repo, fixture_content):
    accounts = AccountService(repo, clock=lambda: NOW)
    admin = accounts.create_first_admin(username="admin", password="admin-passord", name="Admin", email="",
                                        municipality=OSLO)
    people = {"admin": admin}

    def add(key, *, username, name, email="", role=Role.LEARNER, municipality=OSLO, unit="Bjørkelia skole",
            area=ServiceArea.SKOLE):
        ensure_unit(repo, municipality, unit, area)
        people[key] = accounts.create_user(admin, username=username, password="passord123", name=name, email=email,
                                           municipality=municipality, role=role, service_area=area, unit=unit)

    add("kari", **KARI)
    add("frida", **FRIDA, role=Role.AUTHOR, unit="", area=None)
    add("forf2", username="forf2", name="Forf To", role=Role.AUTHOR, unit="", area=None)
    add("leder", username="leder", name="Leder Oslo", role=Role.MANAGER, unit="", area=None)
    add("muni-bergen", username="muni-bergen", name="Muni Bergen", role=Role.MUNICIPAL_ADMIN, municipality=BERGEN,
        unit="", area=None)
    for n in range(6):
        add(f"ola{n}", username=f"ola{n}", name=f"Ola {n}", unit="Bjørkelia skole" if n < 3 else "Solsikken skole")
    learning = LearningService(repo, fixture_content, clock=lambda: NOW)
    for key in ("kari", "ola0", "ola3"):
        complete(learning, people[key], "prove-modul")
    learning.finish_lesson(people["ola1"], "prove-modul", "forste")
    assignments = AssignmentService(repo, fixture_content, clock=lambda: NOW)
    assignments.create(people["leder"], municipality=OSLO, module_id="prove-modul", deadline=NOW.date(),
                       unit="Bjørkelia skole")
    assignments.create(people["leder"], municipality=OSLO, module_id="prove-modul", deadline=NOW.date(),
                       unit="Solsikken skole")  # not Kari's
    accounts.sign_in(KARI["username"], "passord123")
    ReportService(repo, fixture_content, clock=lambda: NOW).person(people["leder"], OSLO, people["kari"].id)
    authoring = AuthoringService(repo, fixture_content, FIXTURE_CONTENT, clock=lambda: NOW)
    write_valid_quiz(authoring, people["frida"], "fridas-quiz")
    authoring.submit(people["frida"], Kind.QUIZ, "fridas-quiz", PROVENANCE)
    authoring.send_back(people["forf2"], Kind.QUIZ, "fridas-quiz", "Mer om barnet, takk.")
    authoring.submit(people["frida"], Kind.QUIZ, "fridas-quiz", PROVENANCE)
    authoring.approve(people["forf2"], Kind.QUIZ, "fridas-quiz")
    write_valid_quiz(authoring, people["frida"], "fridas-andre")  # an open draft too
    return people


@pytest.mark.tinydb_only  # compares with the person's file on disk
def test_own_data_holds_everything_stored_about_the_person(world, repo, data_dir):
    kari = world["kari"]
    data = PersonalDataService(repo, clock=lambda: NOW).own_data(kari)
    stored_user = json.loads((data_dir / "users.json").read_text("utf-8"))["users"]
    record = next(doc for doc in stored_user.values() if doc["id"] == kari.id)
    assert set(record) - {"_key"} == set(data["user"]) - {"has_password"} | {"password_hash"}
    assert record["password_hash"] not in json.dumps(data) and "password_hash" not in data["user"]
    assert data["user"]["name"] == KARI["name"] and data["user"]["email"] == KARI["email"]
    # Every document in the person's own file is in the export, as stored.
    person_file = next(data_dir.glob(f"people/*/{kari.id}.json"))
    tables = json.loads(person_file.read_text("utf-8"))
    stored_progress = [{k: v for k, v in d.items() if k != "_key"} for d in tables["progress"].values()]
    stored_attempts = [{k: v for k, v in d.items() if k != "_key"} for d in tables["attempts"].values()]
    assert stored_progress and stored_attempts
    assert data["progress"] == stored_progress
    assert sorted(data["quiz_attempts"], key=lambda a: a["id"]) == sorted(stored_attempts, key=lambda a: a["id"])
    stored_login = {k: v for k, v in next(iter(tables["login"].values())).items() if k != "_key"}
    assert data["sign_in"] == stored_login and stored_login["last_sign_in"] is not None
    assert set(tables) == {"progress", "attempts", "login"}  # nothing else is kept in the person's file
    assert [a["unit"] for a in data["assignments"]] == ["Bjørkelia skole"]  # only the one that applies to her
    actions = {(e["action"], e["actor"], e["target"]) for e in data["audit_entries"]}
    assert {("user_created", world["admin"].id, kari.id), ("signed_in", kari.id, kari.id),
            ("person_viewed", world["leder"].id, kari.id)} <= actions
    assert repo.audit_entries()[-1].action == AuditAction.OWN_DATA_EXPORTED  # the export is logged


def test_own_data_of_an_author_names_their_part_and_the_page_reads(world, repo, fixture_content):
    data = PersonalDataService(repo, clock=lambda: NOW).own_data(world["frida"])
    parts = {(a["collection"], a["item_id"]): a["roles"] for a in data["authoring"]}
    assert parts[("author_versions", "fridas-quiz")] == ["submitted_by"]
    assert "created_by" in parts[("author_drafts", "fridas-andre")]
    titles = {"prove-modul": "Prøvemodul"}
    page = own_data_markdown(PersonalDataService(repo, clock=lambda: NOW).own_data(world["kari"]), titles)
    assert page.startswith(f"# Dine data i MITT LIV Oppvekst – læring: {KARI['name']}")
    assert "- Prøvemodul: fullført 23.11.2026" in page and "Logget inn" in page and "Brukernavn: kari.nordmann" in page
    with pytest.raises(PermissionDenied):
        PersonalDataService(repo).own_data(None)


def figures(repo, fixture_content, leder):
    reports = ReportService(repo, fixture_content, clock=lambda: NOW)
    board = reports.dashboard(leder, OSLO)
    cells = {(m, k): (c.staff, c.completed) for source in (board.by_area, board.by_unit)
             for m, row in source.items() for k, c in row.items()}
    return board.headline, cells, board.trend, sorted((r.user_id, r.count("completed"))
                                                      for r in reports.staff_rows(leder, OSLO))


def all_bytes(folder) -> list[tuple[str, bytes]]:
    return stored_bytes(folder)  # the data folder's files, or the database's tables


def test_erasure_leaves_no_personal_data_in_any_file_and_figures_stay(world, repo, data_dir, fixture_content):
    kari, frida, admin = world["kari"], world["frida"], world["admin"]
    before = figures(repo, fixture_content, world["leder"])
    service = PersonalDataService(repo, clock=lambda: NOW + timedelta(days=1))
    traces = [value for person in (KARI, FRIDA) for value in person.values()]
    assert all(any(v.encode() in raw for _, raw in all_bytes(data_dir)) for v in traces)  # the check can fail
    with pytest.raises(UserError, match="gdpr.confirm_mismatch"):
        service.anonymise(admin, kari.id, confirm="kari")
    assert repo.get_user(kari.id).name == KARI["name"]  # nothing happened without the confirmation
    placeholder = service.anonymise(admin, kari.id, confirm="Kari.Nordmann ")
    service.anonymise(admin, frida.id, confirm=FRIDA["username"])
    for value in traces:
        for form in {value.encode(), json.dumps(value).strip('"').encode()}:  # as written and as JSON-escaped
            found = [path for path, raw in all_bytes(data_dir) if form in raw]
            assert found == [], (value, found)
    assert placeholder.id == kari.id and placeholder.password_hash is None and placeholder.anonymised_at
    assert (placeholder.municipality, placeholder.service_area, placeholder.unit) == (OSLO, ServiceArea.SKOLE,
                                                                                      "Bjørkelia skole")
    assert figures(repo, fixture_content, world["leder"]) == before
    about_kari = AuditService(repo).about(kari.id)
    assert AuditAction.SIGNED_IN in {e.action for e in about_kari}  # kept, with only the anonymous id
    assert about_kari[-1].action == AuditAction.USER_ANONYMISED and about_kari[-1].actor == admin.id
    with pytest.raises(UserError):
        AccountService(repo).sign_in(KARI["username"], "passord123")
    assert AccountService(repo).current(kari.id) is None  # a session still open ends
    with pytest.raises(UserError, match="gdpr.not_found"):
        service.anonymise(admin, kari.id, confirm=placeholder.username)


def test_who_may_erase(world, repo):
    service = PersonalDataService(repo, clock=lambda: NOW)
    kari = world["kari"]
    for who in ("leder", "ola0", "muni-bergen"):  # not a user admin, or another municipality
        with pytest.raises(PermissionDenied):
            service.anonymise(world[who], kari.id, confirm=KARI["username"])
    with pytest.raises(UserError, match="gdpr.not_self"):
        service.anonymise(world["admin"], world["admin"].id, confirm="admin")
    assert repo.get_user(kari.id).anonymised_at is None


def test_inactive_accounts_are_flagged_after_the_set_period(world, repo, monkeypatch):
    accounts = AccountService(repo, clock=lambda: NOW)
    accounts.sign_in("ola0", "passord123")
    later = PersonalDataService(repo, clock=lambda: NOW + timedelta(days=30 * 17))
    assert later.inactive(world["admin"], OSLO) == set()
    much_later = PersonalDataService(repo, clock=lambda: NOW + timedelta(days=30 * 19))
    AccountService(repo, clock=lambda: NOW + timedelta(days=30 * 18)).sign_in("ola1", "passord123")
    flagged = much_later.inactive(world["admin"], OSLO)
    assert world["ola0"].id in flagged and world["kari"].id in flagged  # signed in long ago
    assert world["ola2"].id in flagged  # never signed in, created long ago
    assert world["ola1"].id not in flagged
    monkeypatch.setenv("LEARNING_INACTIVE_MONTHS", "24")
    assert much_later.inactive(world["admin"], OSLO) == set()
    with pytest.raises(PermissionDenied):
        much_later.inactive(world["muni-bergen"], OSLO)


def test_records_from_before_last_sign_in_was_kept_still_read(repo, data_dir):
    from learning.records import LoginState

    assert LoginState.model_validate({"failures": 2, "locked_until": None}).last_sign_in is None
