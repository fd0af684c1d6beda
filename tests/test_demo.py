"""Demo data: built fast (records made directly), yet exactly what playing the quizzes records.

``seed_demo`` walks each scenario itself instead of through ``quiz_play`` and builds records
without validating them again; these tests replay every attempt through ``quiz_play`` and
validate every record, so the shortcut cannot drift from the rules. The command's refusals
are tested here too (see also test_copy_data.py and test_damaged_data.py).
"""

from __future__ import annotations

import itertools
import os
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from learning.__main__ import main
from learning.config import REPO_ROOT
from learning.content.catalog import load_catalog
from learning.errors import UserError
from learning.municipalities import NETWORK
from learning.records import ModuleProgress, QuizAttempt, Role, User, share_percent
from learning.services import demo, passwords, quiz_play
from learning.services.accounts import AccountService
from learning.storage.errors import StoreNotEmpty
from learning.storage.memory_repo import MemoryRepository
from learning.storage.tinydb_repo import TinyDBRepository
from tests.stores import stored_bytes

pytestmark = pytest.mark.tinydb_only  # the in-memory store; the command tests below use the suite's store


@pytest.fixture(scope="module")
def content():
    return load_catalog(REPO_ROOT)  # the real scenarios: branching paths, critical choices


@pytest.fixture(scope="module")
def seeded(content):
    repo = MemoryRepository()
    with pytest.MonkeyPatch.context() as patch:  # conftest's fast scrypt is per test; this is per module
        patch.setattr(passwords, "SCRYPT_N", 2**10)
        logins = demo.seed_demo(repo, content, staff=120, seed=7)
    return repo, content, logins


def replay(quiz, attempt: QuizAttempt) -> QuizAttempt:
    """The same choices made through quiz_play, acknowledging each at the minute seed_demo uses."""
    played = QuizAttempt(id=attempt.id, quiz_id=quiz.id, quiz_version=quiz.version, module_id=attempt.module_id,
                         started_at=attempt.started_at)
    for entry in attempt.path:
        played = quiz_play.choose(quiz, played, entry.step_id, entry.choice_index)
        played = quiz_play.acknowledge(quiz, played, attempt.started_at + timedelta(minutes=len(played.path)))
    return played


def test_every_attempt_is_what_playing_the_quiz_records(seeded):
    repo, content, _ = seeded
    attempts = [a for user in repo.list_users() for a in repo.attempts_for(user.id)]
    assert len(attempts) > 100
    for attempt in attempts:
        quiz = content.quizzes[attempt.quiz_id]
        assert QuizAttempt.model_validate(attempt.model_dump(mode="json")) == attempt
        assert replay(quiz, attempt) == attempt
        assert attempt.finished_at is not None and quiz_play.current_step(quiz, attempt) is None
    assert any(a.hit_critical for a in attempts) and any(not a.hit_critical for a in attempts)


def test_progress_agrees_with_the_attempts(seeded):
    repo, content, _ = seeded
    completed = 0
    for user in repo.list_users():
        attempts = repo.attempts_for(user.id)
        for module_id, progress in repo.progress_for(user.id).items():
            assert ModuleProgress.model_validate(progress.model_dump(mode="json")) == progress
            module = content.modules[module_id]
            quiz = content.quiz_for(module)
            mine = [a for a in attempts if a.module_id == module_id]
            if mine:
                assert progress.best_percent == max(share_percent(a.points, a.max_points) for a in mine)
                assert progress.quiz_passed == any(quiz_play.passed(quiz, a) for a in mine)
                assert all(not quiz_play.passed(quiz, a) for a in mine[:-1])  # they stop once passed
            if progress.completed_at is not None:
                completed += 1
                assert set(module.lesson_ids()) <= set(progress.lessons_read)
                assert quiz is None or progress.quiz_passed
                assert progress.completed_version == module.version
    assert completed > 50


def test_staff_are_spread_over_the_network_and_sign_ins_are_few(seeded):
    repo, _, logins = seeded
    staff = [u for u in repo.list_users() if u.username.startswith("demo")]
    assert len(staff) == 120 and {u.role for u in staff} == {Role.LEARNER}
    assert set(Counter(u.municipality for u in staff)) == set(NETWORK)
    assert all(u.password_hash is None for u in staff)
    assert {login.username for login in logins} == {row[0] for row in demo.DEMO_ACCOUNTS}
    assert all(repo.find_user(login.username).password_hash.startswith("scrypt$") for login in logins)


def test_cities_puts_everyone_in_one_municipality(content):
    repo = MemoryRepository()
    demo.seed_demo(repo, content, staff=7, with_logins=False, cities=["0301"])
    assert {u.municipality for u in repo.list_users()} == {"0301"} and len(repo.list_users()) == 7


@pytest.fixture
def same_ids(monkeypatch):
    """Two seeds with the same ``seed`` make the same data: the clock fixed, user ids counted from 0 again."""
    monkeypatch.setattr(demo, "utc_now", lambda: datetime(2026, 11, 23, 12, 0, 0, 123456, tzinfo=UTC))

    def restart() -> None:
        counter = itertools.count()
        monkeypatch.setattr(demo, "new_user_id", lambda municipality: f"{municipality}-{next(counter):04d}")

    return restart


def person_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted((folder / "people").rglob("*.json"))}


def test_the_fast_path_stores_byte_for_byte_what_the_record_path_stores(tmp_path, content, same_ids, monkeypatch):
    """Plain documents, batches in two worker processes, no lock or temp file per person: the same files
    as validated records written through bulk_load_state, and the same users."""
    monkeypatch.setattr(demo, "CHUNK", 7)
    monkeypatch.setattr(demo, "WORKERS", 2)
    real_run = demo._Batches.run

    def run(self, batch: int) -> None:  # inherited by the forked workers: they note who ran what
        (tmp_path / f"ran-{batch}-{os.getpid()}").touch()
        real_run(self, batch)

    monkeypatch.setattr(demo._Batches, "run", run)
    fast, slow = TinyDBRepository(tmp_path / "fast"), TinyDBRepository(tmp_path / "slow")
    same_ids()
    demo.seed_demo(fast, content, staff=30, seed=3, with_logins=False)
    ran = [p.name.split("-")[1:] for p in tmp_path.glob("ran-*")]
    assert sorted(int(batch) for batch, _ in ran) == [0, 1, 2, 3, 4]
    assert str(os.getpid()) not in {pid for _, pid in ran}  # all in worker processes
    same_ids()
    demo.seed_demo(slow, content, staff=30, seed=3, with_logins=False, fast=False)
    files = person_files(tmp_path / "fast")
    assert len(files) == 30 and files == person_files(tmp_path / "slow")
    assert fast.list_users() == slow.list_users() and len(fast.list_users()) == 30
    assert fast.bulk_state([u.id for u in fast.list_users()]) == slow.bulk_state([u.id for u in slow.list_users()])
    assert not list((tmp_path / "fast" / "people").rglob(".*"))  # no lock or temp file per person


def test_seed_demo_refuses_a_store_with_data_and_writes_nothing(tmp_path, content):
    repo = TinyDBRepository(tmp_path / "data")
    repo.add_user(User(id="0301-x", username="x", name="X", municipality="0301", created_at=datetime.now(UTC)))
    before = stored_bytes(tmp_path / "data")
    with pytest.raises(StoreNotEmpty):
        demo.seed_demo(repo, content, staff=5, with_logins=False)
    assert stored_bytes(tmp_path / "data") == before


def test_the_demo_sign_ins_work_and_the_staff_cannot_sign_in(tmp_path, content):
    repo = TinyDBRepository(tmp_path / "data")
    logins = demo.seed_demo(repo, content, staff=3)
    accounts = AccountService(repo)
    for login in logins:
        assert accounts.sign_in(login.username, login.password).role == login.role
    assert {login.username for login in logins} == {row[0] for row in demo.DEMO_ACCOUNTS}
    with pytest.raises(UserError):
        accounts.sign_in("demo000000", "")
    assert repo.progress_for(repo.find_user("kari.demo").id)  # the demo learners have progress too


def test_a_document_that_differs_from_its_model_stops_the_seed(content):
    docs = demo._Batches([(m, demo._plan_for(content, m), m.lesson_ids()) for m in content.modules.values()],
                         ["u"], 1, datetime.now(UTC), lambda _: None).docs(0)
    demo.check_sample(docs)
    progress = docs["u"][0]
    progress.append({**progress[0], "lessons_read_at": None} if progress else {"module_id": "m"})
    with pytest.raises(ValueError, match="ModuleProgress"):
        demo.check_sample(docs)


# --- the command ----------------------------------------------------------------------


@pytest.mark.parametrize("size", ["-1", "abc", "2.5"])
def test_a_size_that_is_not_a_whole_number_of_one_or_more_is_refused(data_dir, fixture_content, capsys, size):
    with pytest.raises(SystemExit) as exit_:
        main(["seed-demo", "--size", size])
    said = capsys.readouterr().err
    assert exit_.value.code == 2 and f"minst 1 (fikk {size})" in said and "Traceback" not in said


def test_a_store_with_users_is_left_alone_with_a_message(data_dir, fixture_content, capsys):
    assert main(["seed-demo", "--size", "2"]) == 0
    before = stored_bytes(data_dir)
    capsys.readouterr()
    assert main(["seed-demo", "--size", "2"]) == 1  # asked for demo data and got none: an error
    said = capsys.readouterr()
    assert "allerede data" in said.err and said.out == ""
    assert main(["seed-demo", "--size", "2", "--if-empty"]) == 0  # run.sh --demo: nothing to do is fine
    assert "allerede data" in capsys.readouterr().out
    assert stored_bytes(data_dir) == before
