"""Playing a scenario quiz: pure functions over (quiz, attempt).

The attempt stores the path taken; where the learner is now is derived from
it, so a learner who leaves mid-quiz comes back to the same step.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime

from learning.content.models import Choice, Quiz, Step, Tag
from learning.errors import UserError
from learning.records import QuizAttempt, StepChoice


def last_choice(quiz: Quiz, attempt: QuizAttempt) -> tuple[Step, Choice] | None:
    if not attempt.path:
        return None
    last = attempt.path[-1]
    step = quiz.step(last.step_id)
    return step, step.choices[last.choice_index]


def ends_scenario(choice: Choice) -> bool:
    """A choice without a next step ends the scenario; so does a safety-critical mistake."""
    return choice.next is None or choice.critical


def current_step(quiz: Quiz, attempt: QuizAttempt) -> Step | None:
    """The step to answer now, or None when the path has ended."""
    if attempt.finished_at is not None:
        return None
    previous = last_choice(quiz, attempt)
    if previous is None:
        return quiz.start
    _, choice = previous
    return None if choice.next is None or ends_scenario(choice) else quiz.step(choice.next)


def choice_order(attempt: QuizAttempt, step: Step) -> list[int]:
    """The order this attempt shows a step's choices in: shuffled, so position says nothing.

    Derived from the attempt's stored seed and the step id, so a resumed attempt shows
    the same order; choices are still recorded by their index in the file.
    """
    order = list(range(len(step.choices)))
    if attempt.shuffle_seed is not None:
        random.Random(f"{attempt.shuffle_seed}:{step.id}").shuffle(order)
    return order


def new_seed() -> int:
    return random.SystemRandom().randrange(2**31)


def choose(quiz: Quiz, attempt: QuizAttempt, step_id: str, choice_index: int,
           now: datetime | None = None) -> QuizAttempt:
    """Record a choice at the current step (and when, for xAPI); feedback is shown before moving on."""
    step = current_step(quiz, attempt)
    if attempt.feedback_pending or step is None or step.id != step_id:
        raise UserError("quiz.stale_choice")
    if not 0 <= choice_index < len(step.choices):
        raise UserError("quiz.stale_choice")
    choice = step.choices[choice_index]
    entry = StepChoice(step_id=step.id, choice_index=choice_index, points=choice.points,
                       max_points=step.max_points, critical=choice.critical, at=now)
    return attempt.model_copy(update={"path": [*attempt.path, entry], "feedback_pending": True})


def acknowledge(quiz: Quiz, attempt: QuizAttempt, now: datetime) -> QuizAttempt:
    """Move on after the feedback; at the end of a path the attempt is finished."""
    if not attempt.feedback_pending:
        return attempt
    previous = last_choice(quiz, attempt)
    ended = previous is not None and ends_scenario(previous[1])
    return attempt.model_copy(update={"feedback_pending": False,
                                      "finished_at": now if ended else None})


def passed(quiz: Quiz, attempt: QuizAttempt) -> bool:
    """Finished, no safety-critical mistake, and enough points: a critical mistake fails whatever the score."""
    return attempt.finished_at is not None and not attempt.hit_critical and attempt.percent >= quiz.pass_percent


def critical_choices(quiz: Quiz, attempt: QuizAttempt) -> list[Choice]:
    """The safety-critical mistakes on this attempt's path, for the result page."""
    return [quiz.step(entry.step_id).choices[entry.choice_index] for entry in attempt.path if entry.critical]


def tag_counts(quiz: Quiz, attempt: QuizAttempt) -> Counter[Tag]:
    """How often each competence tag was on the learner's own choices: their personal summary."""
    return Counter(tag for entry in attempt.path
                   for tag in quiz.step(entry.step_id).choices[entry.choice_index].tags)
