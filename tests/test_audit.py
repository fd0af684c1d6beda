"""Audit log: an entry for each recorded action, who may read it, concurrent appends, torn lines, retention."""

from __future__ import annotations

import multiprocessing
import time
from datetime import timedelta

import pytest

from learning.__main__ import main as cli
from learning.content.bundle import Kind
from learning.content.models import ServiceArea
from learning.errors import UserError
from learning.records import AuditAction, AuditEntry, Role
from learning.services.accounts import MAX_FAILURES, AccountService
from learning.services.assignments import AssignmentService
from learning.services.audit import AuditFilter, AuditService, audited_export
from learning.services.authoring import AuthoringService
from learning.services.authz import PermissionDenied
from learning.services.reports import ReportService
from learning.services.team_sessions import TeamSessionService
from learning.storage.audit_log import AUDIT_FILE
from tests.stores import open_store

from .conftest import FIXTURE_CONTENT
from .helpers import NOW, make_user
from .test_authoring_service import PROVENANCE, write_valid_quiz

OSLO, BERGEN = "0301", "4601"


@pytest.fixture
def people(repo):
    accounts = AccountService(repo, clock=lambda: NOW)
    admin = accounts.create_first_admin(username="admin", password="admin-passord", name="Admin", email="",
                                        municipality=OSLO)
    out = {"admin": admin}
    for name, role, municipality, unit in (
            ("kari", Role.LEARNER, OSLO, "Bjørkelia skole"), ("leder", Role.MANAGER, OSLO, "Bjørkelia skole"),
            ("muni", Role.MUNICIPAL_ADMIN, OSLO, "Bjørkelia skole"), ("bergen", Role.LEARNER, BERGEN, "Bergen skole"),
            ("muni-bergen", Role.MUNICIPAL_ADMIN, BERGEN, "Bergen skole"),
            ("forf1", Role.AUTHOR, OSLO, ""), ("forf2", Role.AUTHOR, OSLO, "")):
        out[name] = make_user(accounts, admin, name, role=role, municipality=municipality, unit=unit,
                              area=ServiceArea.SKOLE if unit else None)
    return out


def actions(repo) -> list[AuditAction]:
    return [e.action for e in repo.audit_entries()]


def last(repo) -> AuditEntry:
    return repo.audit_entries()[-1]


def test_every_listed_action_writes_an_entry(repo, people, fixture_content, data_dir, monkeypatch, capsys):
    admin, kari, leder = people["admin"], people["kari"], people["leder"]
    accounts = AccountService(repo, clock=lambda: NOW)
    assert actions(repo).count(AuditAction.USER_CREATED) == len(people)  # the first admin too
    created = last(repo)
    assert (created.actor, created.target, created.municipality) == (admin.id, people["forf2"].id, OSLO)

    accounts.set_role(admin, kari.id, Role.MANAGER)
    entry = last(repo)
    assert (entry.action, entry.target, entry.details["role_from"], entry.details["role_to"]) == (
        AuditAction.ROLE_CHANGED, kari.id, "learner", "manager")
    accounts.set_role(admin, kari.id, Role.LEARNER)
    before = len(repo.audit_entries())
    accounts.set_role(admin, kari.id, Role.LEARNER)  # no change: nothing to record
    accounts.set_active(admin, kari.id, True)
    assert len(repo.audit_entries()) == before
    accounts.set_active(admin, kari.id, False)
    assert (last(repo).action, last(repo).details) == (AuditAction.ACTIVE_CHANGED, {"active": False})
    accounts.set_active(admin, kari.id, True)
    accounts.set_placement(admin, kari.id, municipality=BERGEN, service_area=None, unit="")
    moved = repo.audit_entries()[-2:]
    assert [e.action for e in moved] == [AuditAction.PLACEMENT_CHANGED] * 2
    assert {e.municipality for e in moved} == {OSLO, BERGEN}  # a move concerns both municipalities
    accounts.set_placement(admin, kari.id, municipality=OSLO, service_area=None, unit="")

    assert accounts.sign_in("kari", "passord123").id == kari.id
    assert (last(repo).action, last(repo).actor, last(repo).target) == (AuditAction.SIGNED_IN, kari.id, kari.id)
    assert repo.login_state(kari.id).last_sign_in == NOW
    for _ in range(MAX_FAILURES):
        with pytest.raises(UserError):
            accounts.sign_in("kari", "feil-passord")
    assert actions(repo).count(AuditAction.LOCKED_OUT) == 1
    locked = last(repo)
    assert (locked.actor, locked.target, locked.municipality) == ("", kari.id, OSLO)  # whoever typed is unknown
    assert repo.login_state(kari.id).last_sign_in == NOW  # failures keep the last sign-in
    accounts.issue_temporary_password(admin, kari.id)
    assert last(repo).action == AuditAction.TEMPORARY_PASSWORD

    assignments = AssignmentService(repo, fixture_content, clock=lambda: NOW)
    made = assignments.create(leder, municipality=OSLO, module_id="prove-modul", deadline=NOW.date())
    entry = last(repo)
    assert (entry.action, entry.actor, entry.target, entry.details["assignment"]) == (
        AuditAction.ASSIGNMENT_CREATED, leder.id, "prove-modul", made.id)
    assignments.delete(leder, made.id)
    assert (last(repo).action, last(repo).details["assignment"]) == (AuditAction.ASSIGNMENT_DELETED, made.id)

    ReportService(repo, fixture_content, clock=lambda: NOW).person(leder, OSLO, kari.id)
    assert (last(repo).action, last(repo).actor, last(repo).target) == (AuditAction.PERSON_VIEWED, leder.id, kari.id)

    build = audited_export(repo, leder, lambda: b"x;y", file_name="mittliv-0301-ansatte.csv", municipality=OSLO,
                           format="csv", rows=3)
    assert actions(repo)[-1] != AuditAction.EXPORTED  # building the button records nothing
    assert build() == b"x;y"
    assert (last(repo).action, last(repo).target) == (AuditAction.EXPORTED, "mittliv-0301-ansatte.csv")
    monkeypatch.setenv("LEARNING_CONTENT_DIR", str(FIXTURE_CONTENT))
    out = data_dir.parent / "rapport.csv"
    assert cli(["report", "--municipality", OSLO, "--out", str(out)]) == 0
    cli_entry = open_store(data_dir).audit_entries()[-1]
    assert (cli_entry.action, cli_entry.actor, cli_entry.target, cli_entry.details["table"]) == (
        AuditAction.EXPORTED, "system", "rapport.csv", "staff")

    authoring = AuthoringService(repo, fixture_content, FIXTURE_CONTENT, clock=lambda: NOW)
    write_valid_quiz(authoring, people["forf1"], "ny-quiz")
    authoring.submit(people["forf1"], Kind.QUIZ, "ny-quiz", PROVENANCE)
    authoring.approve(people["forf2"], Kind.QUIZ, "ny-quiz")
    entry = last(repo)
    assert (entry.action, entry.actor, entry.target, entry.details["version"]) == (
        AuditAction.CONTENT_PUBLISHED, people["forf2"].id, "quiz:ny-quiz", 1)

    sessions = TeamSessionService(repo, fixture_content, clock=lambda: NOW)
    held = sessions.record(leder, municipality=OSLO, module_id="prove-modul", day=NOW.date(), unit="",
                           facilitator="F", attendees=[kari.id])
    entry = last(repo)
    assert (entry.action, entry.target, entry.details) == (
        AuditAction.TEAM_SESSION_RECORDED, "prove-modul", {"session": held.id, "attendees": 1})
    sessions.delete(leder, held.id)
    assert last(repo).action == AuditAction.TEAM_SESSION_DELETED

    assert set(AuditAction) - set(actions(repo)) == {AuditAction.OWN_DATA_EXPORTED, AuditAction.USER_ANONYMISED,
                                                     AuditAction.AUDIT_EXPORTED, AuditAction.AUDIT_PRUNED}


@pytest.mark.tinydb_only  # reads audit.jsonl
def test_entries_hold_no_password_or_names(repo, people, data_dir):
    AccountService(repo, clock=lambda: NOW).sign_in("kari", "passord123")
    text = (data_dir / AUDIT_FILE).read_text("utf-8")
    assert "passord123" not in text and "Kari" not in text and "kari" not in text.replace(people["kari"].id, "")


def test_municipal_admin_sees_only_own_municipality_and_others_none(repo, people):
    service = AuditService(repo, clock=lambda: NOW)
    everything = service.entries(people["admin"])
    assert {e.municipality for e in everything} == {OSLO, BERGEN}
    oslo = service.entries(people["muni"])
    assert oslo and {e.municipality for e in oslo} == {OSLO}
    assert {e.municipality for e in service.entries(people["muni-bergen"])} == {BERGEN}
    assert len(oslo) + len(service.entries(people["muni-bergen"])) == len(everything)
    for who in ("kari", "leder", "forf1"):
        with pytest.raises(PermissionDenied):
            service.entries(people[who])
    with pytest.raises(PermissionDenied):
        service.entries(None)


def test_filters_by_action_actor_and_dates(repo, people):
    service = AuditService(repo, clock=lambda: NOW)
    accounts = AccountService(repo, clock=lambda: NOW + timedelta(days=2))
    accounts.sign_in("kari", "passord123")
    signed = service.entries(people["admin"], AuditFilter(actions=frozenset({AuditAction.SIGNED_IN})))
    assert [e.target for e in signed] == [people["kari"].id]
    by_admin = service.entries(people["admin"], AuditFilter(actor=people["admin"].id))
    assert by_admin and all(e.actor == people["admin"].id for e in by_admin)
    later = service.entries(people["admin"], AuditFilter(since=(NOW + timedelta(days=1)).date()))
    assert [e.action for e in later] == [AuditAction.SIGNED_IN]
    assert AuditAction.SIGNED_IN not in {e.action for e in service.entries(
        people["admin"], AuditFilter(until=NOW.date()))}


def test_export_is_csv_and_is_itself_logged(repo, people):
    service = AuditService(repo, clock=lambda: NOW)
    payload = service.export_csv(people["muni"], AuditFilter(), lambda e: [e.action.value, e.target],
                                 ["Kode", "Gjelder"], "logg.csv")
    text = payload.decode("utf-8-sig")
    assert text.startswith("Kode;Gjelder\r\n") and people["kari"].id in text and people["bergen"].id not in text
    assert (last(repo).action, last(repo).actor, last(repo).municipality) == (
        AuditAction.AUDIT_EXPORTED, people["muni"].id, OSLO)
    with pytest.raises(PermissionDenied):
        service.export_csv(people["leder"], AuditFilter(), lambda e: [], [], "logg.csv")


def _append_many(folder: str, worker: int, count: int, start) -> None:
    repo = open_store(folder)
    start.wait(timeout=60)  # all processes append at the same moment
    for n in range(count):
        repo.append_audit(AuditEntry(at=NOW, actor=f"w{worker}", action=AuditAction.SIGNED_IN, target=str(n),
                                     municipality=OSLO, details={"n": n}))


def test_concurrent_appends_from_several_processes_lose_nothing(data_dir):
    workers, each = 4, 50
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(workers + 1)
    processes = [context.Process(target=_append_many, args=(str(data_dir), w, each, start)) for w in range(workers)]
    for process in processes:
        process.start()
    start.wait(timeout=60)
    started = time.perf_counter()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0
    elapsed = time.perf_counter() - started
    found = open_store(data_dir).audit_entries()
    assert len(found) == workers * each
    assert {(e.actor, e.target) for e in found} == {(f"w{w}", str(n)) for w in range(workers) for n in range(each)}
    print(f"{workers} processes x {each} appends: {elapsed:.3f} s, {workers * each / elapsed:.0f} entries/s")


@pytest.mark.tinydb_only  # a line torn by a crash: a file's failure
def test_a_torn_last_line_is_skipped_and_the_next_append_survives(repo, data_dir):
    for n in range(3):
        repo.append_audit(AuditEntry(at=NOW, actor="a", action=AuditAction.SIGNED_IN, target=str(n)))
    path = data_dir / AUDIT_FILE
    whole = path.read_bytes()
    path.write_bytes(whole + whole.splitlines(keepends=True)[0][:25])  # a crash in the middle of a write
    assert [e.target for e in repo.audit_entries()] == ["0", "1", "2"]
    repo.append_audit(AuditEntry(at=NOW, actor="a", action=AuditAction.SIGNED_IN, target="3"))
    assert [e.target for e in repo.audit_entries()] == ["0", "1", "2", "3"]


def test_pruning_removes_only_old_entries_and_is_logged(repo, monkeypatch):
    for days_ago in (400, 366, 364, 1):
        repo.append_audit(AuditEntry(at=NOW - timedelta(days=days_ago), actor="a", action=AuditAction.SIGNED_IN,
                                     target=str(days_ago)))
    service = AuditService(repo, clock=lambda: NOW)
    assert service.prune_expired() == 2
    left = repo.audit_entries()
    assert [e.target for e in left[:2]] == ["364", "1"]
    assert (left[-1].action, left[-1].actor, left[-1].details["removed"]) == (AuditAction.AUDIT_PRUNED, "system", 2)
    assert service.prune_expired() == 0 and len(repo.audit_entries()) == 3  # nothing to do, nothing logged
    monkeypatch.setenv("LEARNING_AUDIT_DAYS", "30")
    assert service.prune_expired() == 1 and [e.target for e in repo.audit_entries()][0] == "1"
