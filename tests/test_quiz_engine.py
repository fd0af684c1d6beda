"""The scenario engine: critical mistakes fail whatever the points, shuffled order, tag summary."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from learning.content.models import Choice, Tag
from learning.records import QuizAttempt
from learning.services import quiz_play

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def play(quiz, choices: list[int], seed: int | None = None) -> QuizAttempt:
    attempt = QuizAttempt(id="a", quiz_id=quiz.id, quiz_version=quiz.version, module_id="m", started_at=NOW,
                          shuffle_seed=seed)
    for index in choices:
        step = quiz_play.current_step(quiz, attempt)
        attempt = quiz_play.acknowledge(quiz, quiz_play.choose(quiz, attempt, step.id, index), NOW)
    return attempt


def test_a_critical_choice_ends_the_scenario_and_fails_whatever_the_points(fixture_content):
    quiz = fixture_content.quizzes["prove-quiz"]
    attempt = play(quiz, [0, 2])
    assert attempt.finished_at is not None and attempt.hit_critical
    assert attempt.percent == 50
    low_pass = quiz.model_copy(update={"pass_percent": 1})
    assert not quiz_play.passed(low_pass, attempt)
    assert [c.critical_reason for c in quiz_play.critical_choices(quiz, attempt)] == [
        "Du kan ikke love et barn hemmelighold."]


def test_a_critical_choice_with_a_next_step_still_ends_the_scenario(fixture_content):
    quiz = fixture_content.quizzes["prove-quiz"]
    start = quiz.steps[0]
    risky = start.choices[1].model_copy(update={"critical": True, "critical_reason": "Regel.", "points": 0})
    quiz = quiz.model_copy(update={"steps": [start.model_copy(update={"choices": [start.choices[0], risky]}),
                                             *quiz.steps[1:]]})
    attempt = play(quiz, [1])
    assert attempt.finished_at is not None and quiz_play.current_step(quiz, attempt) is None
    assert not quiz_play.passed(quiz, attempt)


def test_the_same_path_without_the_critical_choice_passes(fixture_content):
    quiz = fixture_content.quizzes["prove-quiz"]
    attempt = play(quiz, [0, 0])
    assert not attempt.hit_critical and quiz_play.passed(quiz, attempt)


def test_choice_order_is_a_stable_permutation_per_attempt(fixture_content):
    step = fixture_content.quizzes["prove-quiz"].step("neste")
    orders = set()
    for seed in range(40):
        attempt = QuizAttempt(id="a", quiz_id="q", quiz_version=1, module_id="m", started_at=NOW, shuffle_seed=seed)
        order = quiz_play.choice_order(attempt, step)
        assert sorted(order) == [0, 1, 2]
        assert quiz_play.choice_order(attempt.model_copy(), step) == order  # same attempt, same order
        orders.add(tuple(order))
    assert len(orders) == 6, "every order occurs, so position says nothing about the best choice"
    unshuffled = QuizAttempt(id="a", quiz_id="q", quiz_version=1, module_id="m", started_at=NOW)
    assert quiz_play.choice_order(unshuffled, step) == [0, 1, 2]


def test_choices_are_recorded_by_id_whatever_order_they_were_shown_in(fixture_content):
    quiz = fixture_content.quizzes["prove-quiz"]
    attempt = play(quiz, [0, 1], seed=7)
    assert [(s.step_id, s.choice_index) for s in attempt.path] == [("start", 0), ("neste", 1)]


def test_tag_counts_summarise_the_learners_own_choices(fixture_content):
    quiz = fixture_content.quizzes["prove-quiz"]
    attempt = play(quiz, [1, 0, 0])
    assert quiz_play.tag_counts(quiz, attempt) == {Tag.UNNVIKER: 1, Tag.TAR_ANSVAR: 1, Tag.LYTTER: 1}


@pytest.mark.parametrize("old, new", [("leder", Tag.LEDENDE), ("ledende", Tag.LEDENDE)])
def test_the_old_tag_name_leder_still_reads(old, new):
    choice = Choice(text="x", feedback="y", points=0, tags=[old])
    assert choice.tags == [new]


def test_a_stored_attempt_from_before_still_reads():
    stored = {"id": "a", "quiz_id": "q", "quiz_version": 1, "module_id": "m", "started_at": NOW.isoformat(),
              "path": [{"step_id": "start", "choice_index": 1, "points": 3, "max_points": 3}]}
    attempt = QuizAttempt.model_validate(stored)
    assert attempt.shuffle_seed is None and not attempt.hit_critical and attempt.percent == 100
