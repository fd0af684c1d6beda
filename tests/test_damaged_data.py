"""Damage is contained and named: one person's damaged file affects that person only; a damaged
shared file stops with a message naming it and is never written over; first-run set-up only
when there is no data at all."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from learning.__main__ import main
from learning.errors import UserError
from learning.records import Assignment, AuditAction, AuditEntry, User
from learning.services.accounts import AccountService
from learning.services.reports import ReportService
from learning.storage.errors import DamagedFile
from learning.storage.tinydb_repo import TinyDBRepository

from .apptest_helpers import goto, new_app, restart_app, show_view, sign_in, values
from .helpers import NOW
from .reports_fixtures import OSLO, build_world

pytestmark = pytest.mark.tinydb_only  # damaged data files on disk

PERSON_DAMAGE = {
    "truncated JSON": '{"progress": {"1": {"_key": "prove-modul", "module_id": "prove-m',
    "wrong types": '{"progress": ["not", "a", "table"]}',
    "record fails validation": json.dumps({"progress": {"1": {"_key": "prove-modul", "module_id": "prove-modul",
                                                              "content_version": "one", "started_at": 5}}}),
    "empty file": "",
}


@pytest.fixture
def world(data_dir, fixture_content):
    return build_world(TinyDBRepository(data_dir))


def damage_person(world, name: str, text: str) -> Path:
    path = world.repo._partition_path(world[name].id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def messages(caplog) -> str:
    return "\n".join(r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("damage", PERSON_DAMAGE)
def test_a_damaged_person_file_leaves_everyone_else_in_the_reports(world, data_dir, fixture_content, damage,
                                                                   caplog, capsys):
    clean = ReportService(TinyDBRepository(data_dir), fixture_content)
    before, network_before = clean.dashboard(world["leder-oslo"], OSLO), clean.network(world["koordinator"])
    path = damage_person(world, "oslo-skole-0", PERSON_DAMAGE[damage])
    caplog.set_level(logging.ERROR)
    reports = ReportService(TinyDBRepository(data_dir), fixture_content)
    board = reports.dashboard(world["leder-oslo"], OSLO)
    assert board.unreadable == 1 and board.headline.staff == before.headline.staff - 1
    assert "Oslo-Skole-0" not in {row.name for row in reports.staff_rows(world["leder-oslo"], OSLO)}
    assert board.headline.completed == before.headline.completed - 1  # oslo-skole-0 had completed
    assert str(path) in messages(caplog)
    network = reports.network(world["koordinator"])
    assert network.unreadable == 1
    assert sum(c.count for c in network.staff) == sum(c.count for c in network_before.staff) - 1
    assert len(reports.quiz_insight(world["leder-oslo"], OSLO)) == 1
    with pytest.raises(UserError) as raised:
        reports.person(world["leder-oslo"], OSLO, world["oslo-skole-0"].id)
    assert raised.value.key == "storage.person_unreadable"
    # The command-line report: everyone else, a count, and the file named in the log.
    caplog.clear()
    assert main(["report", "--municipality", OSLO]) == 0
    out, err = capsys.readouterr()
    assert "1 ansatt kunne ikke leses" in err and "Oslo-Skole-1" in out and "Oslo-Skole-0" not in out
    assert str(path) in messages(caplog)


def test_the_damaged_person_gets_a_message_naming_their_file_and_others_sign_in(world, data_dir):
    path = damage_person(world, "oslo-skole-0", "{")
    accounts = AccountService(TinyDBRepository(data_dir))
    with pytest.raises(DamagedFile) as raised:
        accounts.sign_in("oslo-skole-0", "passord123")
    assert raised.value.key == "storage.damaged_person"
    assert raised.value.values["file"] == str(path.relative_to(data_dir))
    assert accounts.sign_in("oslo-skole-1", "passord123").username == "oslo-skole-1"
    assert path.read_text() == "{"  # the failed sign-in wrote nothing over it


def test_a_user_record_without_username_does_not_stop_the_others_signing_in(world, data_dir, caplog):
    users = data_dir / "users.json"
    data = json.loads(users.read_text())
    broken = next(doc for doc in data["users"].values() if doc["username"] == "oslo-bhg-2")
    del broken["username"]
    users.write_text(json.dumps(data))
    caplog.set_level(logging.ERROR)
    repo = TinyDBRepository(data_dir)
    assert AccountService(repo).sign_in("oslo-skole-1", "passord123").username == "oslo-skole-1"
    assert "oslo-bhg-2" not in {u.username for u in repo.list_users()}
    assert str(users) in messages(caplog)


SHARED_WRITES = {
    "users.json": lambda repo: repo.add_user(User(id="0301-x", username="ny", name="Ny", municipality=OSLO,
                                                  created_at=NOW)),
    "assignments.json": lambda repo: repo.add_assignment(Assignment(
        id="a1", municipality=OSLO, module_id="prove-modul", deadline=NOW.date(), created_by="x", created_at=NOW)),
    "docs.json": lambda repo: repo.put_doc("author_drafts", "quiz:x", {"files": {}}),
}


@pytest.mark.parametrize("name", SHARED_WRITES)
@pytest.mark.parametrize("text", ['{"users": {"1": {"_key": "0301-a", "na', "[]", ""],
                         ids=["truncated", "wrong type", "empty"])
def test_a_damaged_shared_file_is_named_and_never_written_over(world, data_dir, name, text, caplog):
    SHARED_WRITES["assignments.json"](world.repo)  # every shared file exists
    SHARED_WRITES["docs.json"](world.repo)
    path = data_dir / name
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    caplog.set_level(logging.ERROR)
    repo = TinyDBRepository(data_dir)
    with pytest.raises(DamagedFile) as raised:
        SHARED_WRITES[name](repo)
    assert raised.value.shared and raised.value.values["file"] == name
    assert path.read_bytes() == before
    assert str(path) in messages(caplog)


def test_an_assignment_that_fails_validation_damages_the_file(world, data_dir):
    SHARED_WRITES["assignments.json"](world.repo)
    path = data_dir / "assignments.json"
    data = json.loads(path.read_text())
    data["assignments"]["1"]["deadline"] = "not a date"
    path.write_text(json.dumps(data))
    before = path.read_bytes()
    repo = TinyDBRepository(data_dir)
    with pytest.raises(DamagedFile):
        repo.list_assignments()
    with pytest.raises(DamagedFile):
        SHARED_WRITES["assignments.json"](repo)
    assert path.read_bytes() == before


def test_an_emptied_users_file_is_damage_not_a_first_run(world, data_dir):
    users = data_dir / "users.json"
    users.write_text("{}")
    accounts = AccountService(TinyDBRepository(data_dir))
    with pytest.raises(DamagedFile) as raised:
        accounts.needs_first_admin()
    assert raised.value.values["file"] == "users.json"
    with pytest.raises(DamagedFile):
        accounts.create_first_admin(username="inntrenger", password="hemmelig123", name="X", email="",
                                    municipality=OSLO)
    assert users.read_text() == "{}"


def test_a_missing_users_file_beside_other_data_is_damage_not_a_first_run(world, data_dir):
    (data_dir / "users.json").unlink()
    with pytest.raises(DamagedFile) as raised:
        AccountService(TinyDBRepository(data_dir)).needs_first_admin()
    assert raised.value.key == "storage.users_missing"


def test_a_folder_with_only_an_audit_log_is_not_new(data_dir):
    repo = TinyDBRepository(data_dir)
    repo.append_audit(AuditEntry(at=NOW, actor="x", actor_municipality=OSLO, action=AuditAction.SIGNED_IN,
                                 target="x", municipality=OSLO))
    with pytest.raises(DamagedFile):
        AccountService(TinyDBRepository(data_dir)).needs_first_admin()


def test_first_run_only_when_there_is_no_data(data_dir):
    assert AccountService(TinyDBRepository(data_dir)).needs_first_admin()


def test_seed_demo_if_empty_follows_the_first_run_rule(world, data_dir, capsys):
    users = data_dir / "users.json"
    before = users.read_bytes()
    assert main(["seed-demo", "--if-empty", "--size", "3"]) == 0
    assert users.read_bytes() == before
    users.write_text("{}")
    assert main(["seed-demo", "--if-empty", "--size", "3"]) == 1
    assert users.read_text() == "{}"
    assert "users.json" in capsys.readouterr().err


def test_seed_demo_on_a_new_folder_prints_the_sign_ins_once_and_stores_none(data_dir, fixture_content, capsys):
    assert main(["seed-demo", "--if-empty", "--size", "3"]) == 0
    out = capsys.readouterr().out
    admin_line = next(line for line in out.splitlines() if line.strip().startswith("admin "))
    password = admin_line.split()[1]
    assert not (data_dir / "demo-innlogginger.txt").exists()
    stored = b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())
    assert password.encode() not in stored
    assert AccountService(TinyDBRepository(data_dir)).sign_in("admin", password).username == "admin"


# --- in the app -------------------------------------------------------------------------

def as_user(username: str):
    at = sign_in(restart_app(), username, "passord123")
    assert not at.exception, at.exception
    return at


def test_app_dashboard_counts_an_unreadable_person_and_shows_the_rest(world):
    damage_person(world, "oslo-skole-0", '{"progress": {"1": ')
    at = goto(as_user("leder-oslo"), "leder")
    assert not at.exception
    assert "1 ansatt kunne ikke leses og er ikke med i tallene." in " ".join(values(at.warning))
    show_view(at, "staff")
    names = set(next(f.value for f in at.dataframe if "Navn" in f.value.columns)["Navn"])
    assert "Oslo-Skole-1" in names and "Oslo-Skole-0" not in names
    net = goto(as_user("koordinator"), "nettverk")
    assert not net.exception and "1 ansatt kunne ikke leses" in " ".join(values(net.warning))


def test_app_the_damaged_person_sees_a_norwegian_message_naming_the_file(world, data_dir):
    path = damage_person(world, "oslo-skole-0", "[1, 2")
    at = sign_in(restart_app(), "oslo-skole-0", "passord123")
    assert not at.exception
    assert any(str(path.relative_to(data_dir)) in e.value and "kan ikke leses" in e.value for e in at.error)
    assert values(at.title) == ["Logg inn"]
    assert not as_user("oslo-skole-1").error


def test_app_an_emptied_users_file_shows_no_first_run_page(world, data_dir):
    (data_dir / "users.json").write_text("{}")
    at = new_app()
    assert not at.exception
    assert "Velkommen! Opprett den første administratoren" not in values(at.title)
    assert not at.text_input  # no first-run form, no sign-in form
    assert any("«users.json»" in e.value and "sikkerhetskopi" in e.value for e in at.error)


def test_app_a_damaged_docs_file_stops_pages_with_its_name(world, data_dir):
    at = as_user("oslo-skole-1")
    (data_dir / "docs.json").write_text('{"author_versions": {"1": ')
    at.run()
    assert not at.exception
    assert any("«docs.json»" in e.value for e in at.error)


def test_app_a_user_record_without_username_leaves_sign_in_working(world, data_dir):
    users = data_dir / "users.json"
    data = json.loads(users.read_text())
    del next(iter(data["users"].values()))["username"]
    users.write_text(json.dumps(data))
    at = as_user("oslo-skole-1")
    assert not at.error and values(at.title) == ["Kompetansemoduler"]


def test_the_atomic_storage_never_writes_over_a_file_it_could_not_read(tmp_path):
    from learning.storage.atomic import AtomicJSONStorage

    path = tmp_path / "docs.json"
    path.write_bytes(b'{"author_drafts": {"1": {"_key": "quiz:x"')
    with pytest.raises(DamagedFile):
        AtomicJSONStorage(path).write({"author_drafts": {}})  # a write with no read before it
    assert path.read_bytes() == b'{"author_drafts": {"1": {"_key": "quiz:x"'
