"""Playing a scenario quiz: pure functions over (quiz, attempt).

The attempt stores the path taken; where the learner is now is derived from
it, so a learner who leaves mid-quiz comes back to the same step.
"""

from __future__ import annotations

from datetime import datetime

from learning.content.models import Choice, Quiz, Step
from learning.errors import UserError
from learning.records import QuizAttempt, StepChoice


def last_choice(quiz: Quiz, attempt: QuizAttempt) -> tuple[Step, Choice] | None:
    if not attempt.path:
        return None
    last = attempt.path[-1]
    step = quiz.step(last.step_id)
    return step, step.choices[last.choice_index]


def current_step(quiz: Quiz, attempt: QuizAttempt) -> Step | None:
    """The step to answer now, or None when the path has ended."""
    if attempt.finished_at is not None:
        return None
    previous = last_choice(quiz, attempt)
    if previous is None:
        return quiz.start
    _, choice = previous
    return quiz.step(choice.next) if choice.next else None


def choose(quiz: Quiz, attempt: QuizAttempt, step_id: str, choice_index: int) -> QuizAttempt:
    """Record a choice at the current step; feedback is shown before moving on."""
    step = current_step(quiz, attempt)
    if attempt.feedback_pending or step is None or step.id != step_id:
        raise UserError("quiz.stale_choice")
    if not 0 <= choice_index < len(step.choices):
        raise UserError("quiz.stale_choice")
    entry = StepChoice(step_id=step.id, choice_index=choice_index,
                       points=step.choices[choice_index].points, max_points=step.max_points)
    return attempt.model_copy(update={"path": [*attempt.path, entry], "feedback_pending": True})


def acknowledge(quiz: Quiz, attempt: QuizAttempt, now: datetime) -> QuizAttempt:
    """Move on after the feedback; at the end of a path the attempt is finished."""
    if not attempt.feedback_pending:
        return attempt
    previous = last_choice(quiz, attempt)
    ended = previous is not None and previous[1].next is None
    return attempt.model_copy(update={"feedback_pending": False,
                                      "finished_at": now if ended else None})


def passed(quiz: Quiz, attempt: QuizAttempt) -> bool:
    return attempt.finished_at is not None and attempt.percent >= quiz.pass_percent
