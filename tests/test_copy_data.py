"""Moving up: ``copy-data`` copies an embedded installation into PostgreSQL; ``seed-demo`` refuses what it cannot do.

The copy tests need PostgreSQL (skipped without it, as the contract suite's are); the
seed-demo tests run on whichever store the suite uses.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from learning.__main__ import main
from learning.records import AuditAction, AuditEntry, LoginState, Role, User
from learning.services.accounts import system_actor
from learning.services.copy_data import KINDS, snapshot
from learning.services.demo import seed_demo
from learning.services.reports import ReportService
from learning.storage.tinydb_repo import TinyDBRepository
from tests.stores import open_store, stored_bytes

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


@pytest.fixture
def embedded(tmp_path, fixture_content) -> Path:
    """A TinyDB folder with every kind of data: demo staff, sign-in state, a revocation, a draft, audit lines."""
    folder = tmp_path / "embedded"
    repo = TinyDBRepository(folder)
    seed_demo(repo, fixture_content, staff=40)
    someone = repo.find_user("kari.demo")
    repo.set_login_state(someone.id, LoginState(failures=2, last_sign_in=NOW))
    repo.revoke_sessions(someone.id, NOW)
    repo.put_doc("author_drafts", "module:ny", {"kind": "module", "item_id": "ny", "revision": 3})
    repo.update_user_doc(someone.id, "notes", "m/l/0", lambda _: {"text": "Et privat notat"})
    for n in range(3):
        repo.append_audit(AuditEntry(at=NOW, actor="system", action=AuditAction.EXPORTED, target=f"f{n}.csv"))
    return folder


@pytest.fixture
def target(postgres_url):
    from learning.storage.postgres_repo import PostgresRepository

    repo = PostgresRepository(postgres_url, pool_size=2)
    yield repo
    repo.close()


def dashboard(repo, content):
    return ReportService(repo, content, clock=lambda: NOW).dashboard(system_actor(), "0301")


def test_copy_data_copies_every_kind_and_the_figures_match(embedded, target, postgres_url, fixture_content, capsys):
    assert main(["copy-data", "--from", str(embedded), "--to", postgres_url]) == 0
    out = capsys.readouterr().out
    source = TinyDBRepository(embedded)
    counts = snapshot(source).counts()
    assert snapshot(target).counts() == counts
    assert all(counts[kind] > 0 for kind in KINDS), counts
    assert str(counts["progress"]) in out and "Kopiert" in out
    assert dashboard(target, fixture_content) == dashboard(source, fixture_content)
    assert target.audit_entries() == source.audit_entries()


def test_a_second_copy_changes_nothing_and_says_so(embedded, target, postgres_url, capsys):
    assert main(["copy-data", "--from", str(embedded), "--to", postgres_url]) == 0
    before, version = snapshot(target), target.data_version()
    capsys.readouterr()
    assert main(["copy-data", "--from", str(embedded), "--to", postgres_url]) == 0
    assert "allerede de samme dataene" in capsys.readouterr().out
    assert snapshot(target) == before and target.data_version() == version


def test_a_target_with_other_data_is_refused_in_words(embedded, target, postgres_url, capsys):
    target.add_user(User(id="0301-x", username="noen.andre", name="Noen", role=Role.ADMIN, municipality="0301",
                         created_at=NOW))
    before, version = snapshot(target), target.data_version()
    assert main(["copy-data", "--from", str(embedded), "--to", postgres_url]) == 1
    err = capsys.readouterr().err
    assert "andre data" in err and "Traceback" not in err
    assert snapshot(target) == before and target.data_version() == version


def test_a_missing_source_folder_is_a_message(tmp_path, postgres_url, capsys):
    assert main(["copy-data", "--from", str(tmp_path / "nowhere"), "--to", postgres_url]) == 1
    assert "nowhere" in capsys.readouterr().err and not (tmp_path / "nowhere").exists()


def test_seed_demo_on_a_store_with_users_says_so_and_writes_nothing(data_dir, fixture_content, capsys):
    assert main(["seed-demo", "--size", "3"]) == 0
    before = stored_bytes(data_dir)
    capsys.readouterr()
    assert main(["seed-demo", "--size", "3"]) in (0, 1)
    said = capsys.readouterr()
    assert "allerede data" in said.out + said.err and "Traceback" not in said.err
    assert stored_bytes(data_dir) == before


@pytest.mark.parametrize("size", ["-5", "0"])
def test_seed_demo_refuses_a_size_below_one(data_dir, fixture_content, capsys, size):
    with pytest.raises(SystemExit) as exit_:
        main(["seed-demo", "--size", size])
    assert exit_.value.code == 2
    assert "minst 1" in capsys.readouterr().err
    assert open_store(data_dir).is_new()
