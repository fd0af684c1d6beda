"""Demo data: built fast (records made directly), yet exactly what playing the quizzes records.

``seed_demo`` walks each scenario itself instead of through ``quiz_play`` and builds records
without validating them again; these tests replay every attempt through ``quiz_play`` and
validate every record, so the shortcut cannot drift from the rules. The command's refusals
are tested here too (see also test_copy_data.py and test_damaged_data.py).
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from learning.__main__ import main
from learning.config import REPO_ROOT
from learning.content.catalog import load_catalog
from learning.municipalities import NETWORK
from learning.records import ModuleProgress, QuizAttempt, Role, share_percent
from learning.services import demo, passwords, quiz_play
from learning.storage.memory_repo import MemoryRepository
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


def test_chunks_write_every_persons_progress(monkeypatch, content):
    monkeypatch.setattr(demo, "CHUNK", 4)
    repo = MemoryRepository()
    writes = []
    real = repo.bulk_load_state
    monkeypatch.setattr(repo, "bulk_load_state", lambda state: (writes.append(len(state)), real(state)))
    demo.seed_demo(repo, content, staff=10, with_logins=False)
    assert writes[:3] == [4, 4, 2]
    assert all(repo.progress_for(u.id) or not repo.attempts_for(u.id) for u in repo.list_users())
    assert sum(1 for u in repo.list_users() if repo.progress_for(u.id)) >= 5


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
