"""Learner flow in the service: lessons, quiz paths, completion with version, resume."""

from __future__ import annotations

import pytest

from learning.errors import UserError
from learning.services.authz import PermissionDenied
from learning.services.learning import QUIZ_VIEW, LearningService, Status

from .helpers import admin_and_accounts, make_user

MODULE = "prove-modul"


@pytest.fixture
def setup(repo, fixture_content):
    accounts, admin = admin_and_accounts(repo)
    kari = make_user(accounts, admin, "kari")
    return LearningService(repo, fixture_content), kari


def play(service, user, choices: list[int]):
    attempt = service.start_attempt(user, MODULE)
    quiz = service.quiz(MODULE)
    from learning.services.quiz_play import current_step
    for index in choices:
        step = current_step(quiz, attempt)
        attempt = service.choose(user, MODULE, attempt.id, step.id, index)
        assert attempt.feedback_pending
        attempt = service.next_step(user, MODULE, attempt.id)
    return attempt


def test_catalog_starts_not_started_and_mine_first(setup):
    service, kari = setup
    entries = service.catalog(kari)
    assert [(e.module.id, e.status, e.percent, e.for_my_area) for e in entries] == [
        (MODULE, Status.NOT_STARTED, 0, True)]


def test_complete_module_records_date_version_and_path(setup, repo):
    service, kari = setup
    service.open_module(kari, MODULE)
    service.finish_lesson(kari, MODULE, "forste")
    progress = service.finish_lesson(kari, MODULE, "andre")
    assert progress.view == QUIZ_VIEW and progress.completed_at is None
    attempt = play(service, kari, [0, 0])
    assert attempt.finished_at is not None and attempt.percent == 100
    assert [(s.step_id, s.choice_index) for s in attempt.path] == [("start", 0), ("neste", 0)]
    progress = service.progress(kari, MODULE)
    assert progress.completed_at is not None and progress.completed_version == 1
    assert service.catalog(kari)[0].status == Status.COMPLETED


def test_failing_path_is_stored_and_does_not_complete(setup, repo):
    service, kari = setup
    for lesson in ("forste", "andre"):
        service.finish_lesson(kari, MODULE, lesson)
    attempt = play(service, kari, [1, 1])  # start -> alvor -> end, 0 of 4 points
    assert attempt.percent == 0
    assert [(s.step_id, s.choice_index, s.points) for s in attempt.path] == [("start", 1, 0), ("alvor", 1, 0)]
    assert service.progress(kari, MODULE).completed_at is None
    second = play(service, kari, [1, 0, 0])  # a branch that recovers: 4 of 6 = 67 %, still below 70
    assert second.percent == 67 and service.progress(kari, MODULE).completed_at is None
    assert len(service.attempts(kari, MODULE)) == 2


def test_quiz_passed_but_lessons_unread_is_not_complete(setup):
    service, kari = setup
    play(service, kari, [0, 0])
    progress = service.progress(kari, MODULE)
    assert progress.quiz_passed and progress.completed_at is None
    service.finish_lesson(kari, MODULE, "forste")
    service.finish_lesson(kari, MODULE, "andre")
    assert service.progress(kari, MODULE).completed_at is not None


def test_resume_in_the_middle_of_quiz(setup, repo, fixture_content):
    service, kari = setup
    attempt = service.start_attempt(kari, MODULE)
    service.choose(kari, MODULE, attempt.id, "start", 1)
    fresh = LearningService(repo, fixture_content)  # e.g. after the app restarts
    resumed = fresh.open_attempt(kari, MODULE)
    assert resumed.id == attempt.id and resumed.feedback_pending
    with pytest.raises(UserError):  # a double click on an old step is refused
        fresh.choose(kari, MODULE, attempt.id, "start", 0)


def test_resume_at_the_same_lesson(setup):
    service, kari = setup
    service.finish_lesson(kari, MODULE, "forste")
    assert service.progress(kari, MODULE).current_lesson == "andre"
    service.go_to_lesson(kari, MODULE, "forste")
    assert service.progress(kari, MODULE).current_lesson == "forste"


def test_anonymous_cannot_use_service(setup):
    service, _ = setup
    with pytest.raises(PermissionDenied):
        service.catalog(None)


def test_unknown_module_and_lesson(setup):
    service, kari = setup
    with pytest.raises(UserError):
        service.open_module(kari, "finnes-ikke")
    with pytest.raises(UserError):
        service.finish_lesson(kari, MODULE, "finnes-ikke")


def test_opening_a_module_page_does_not_start_it_reading_a_lesson_does(setup, repo):
    service, kari = setup
    shown = service.open_module(kari, MODULE)
    assert shown.current_lesson == "forste" and shown.lessons_read == []
    assert service.progress(kari, MODULE) is None and service.catalog(kari)[0].status == Status.NOT_STARTED
    service.finish_lesson(kari, MODULE, "forste")
    assert service.catalog(kari)[0].status == Status.IN_PROGRESS
