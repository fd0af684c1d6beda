"""What a learner does: browse modules, read lessons, play quizzes, complete modules."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from learning.content.models import Module, Quiz
from learning.errors import UserError
from learning.records import ModuleProgress, QuizAttempt, Role, User
from learning.services import quiz_play
from learning.services.authz import require_role
from learning.services.base import ContentService

LEARNER_ROLES = tuple(Role)  # every signed-in role may take modules


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


QUIZ_VIEW = "quiz"


def status_of(progress: ModuleProgress | None) -> Status:
    """A retake in progress is in progress for the learner (their last completion still counts in reports)."""
    if progress is None:
        return Status.NOT_STARTED
    return Status.COMPLETED if progress.completed_at and not progress.retaking else Status.IN_PROGRESS


def percent_done(module: Module, progress: ModuleProgress | None, has_quiz: bool) -> int:
    if progress is None:
        return 0
    if progress.completed_at and not progress.retaking:
        return 100
    steps = len(module.lessons) + (1 if has_quiz else 0)
    done = len(set(progress.lessons_read) & set(module.lesson_ids()))
    done += 1 if has_quiz and progress.quiz_passed else 0
    return round(100 * done / steps)


def after_lesson(module: Module, lesson_id: str, has_quiz: bool) -> dict[str, str]:
    """Where a learner goes after finishing a lesson: the next lesson, or the quiz after the last."""
    ids = module.lesson_ids()
    index = ids.index(lesson_id)
    if index + 1 < len(ids):
        return {"current_lesson": ids[index + 1], "view": "lesson"}
    return {"view": QUIZ_VIEW if has_quiz else "lesson"}


@dataclass(frozen=True)
class CatalogEntry:
    module: Module
    progress: ModuleProgress | None
    status: Status
    percent: int
    for_my_area: bool


class LearningService(ContentService):
    # --- catalog ---------------------------------------------------------
    def module(self, module_id: str) -> Module:
        try:
            return self.content.module(module_id)
        except KeyError:
            raise UserError("learn.module_not_found") from None

    def catalog(self, user: User | None) -> list[CatalogEntry]:
        """All modules, those for the learner's service area first."""
        user = require_role(user, *LEARNER_ROLES)
        progress = self.repo.progress_for(user.id)
        entries = []
        for module in self.content.modules.values():
            record = progress.get(module.id)
            entries.append(CatalogEntry(
                module=module, progress=record, status=status_of(record),
                percent=percent_done(module, record, self.content.quiz_for(module) is not None),
                for_my_area=user.service_area is not None and module.meta.is_for(user.service_area),
            ))
        return sorted(entries, key=lambda e: (not e.for_my_area, e.module.meta.title))

    def progress(self, user: User | None, module_id: str) -> ModuleProgress | None:
        user = require_role(user, *LEARNER_ROLES)
        return self.repo.progress_for(user.id).get(module_id)

    # --- lessons ---------------------------------------------------------
    def _touch(self, user: User, module: Module, *, read: str | None = None,
               **changes: object) -> ModuleProgress:
        """Create or update the learner's progress in one locked step."""
        now = self.clock()

        def change(current: ModuleProgress | None) -> ModuleProgress:
            if current is None:
                current = ModuleProgress(module_id=module.id, content_version=module.version,
                                         current_lesson=module.lessons[0].id,
                                         started_at=now, updated_at=now)
            updated = current.model_copy(update={**changes, "updated_at": now})
            if read is not None and read not in updated.lessons_read:
                updated.lessons_read = [*updated.lessons_read, read]
                updated.lessons_read_at = {**updated.lessons_read_at, read: now}
            return self._complete_if_done(module, updated, now)

        return self.repo.update_progress(user.id, module.id, change)

    def open_module(self, user: User | None, module_id: str) -> ModuleProgress:
        """Where the learner left the module; for a module not started, its first lesson, not stored.

        Only reading a lesson (or going to a lesson or the quiz) starts a module, so opening
        the page to look does not make a person "started" in their leader's figures.
        """
        user = require_role(user, *LEARNER_ROLES)
        module = self.module(module_id)
        existing = self.repo.progress_for(user.id).get(module_id)
        if existing is not None:
            return existing
        now = self.clock()
        return ModuleProgress(module_id=module.id, content_version=module.version,
                              current_lesson=module.lessons[0].id, started_at=now, updated_at=now)

    def restart_module(self, user: User | None, module_id: str) -> ModuleProgress:
        """Take a completed module again (renewal), from the first lesson.

        The last completion keeps counting until it expires; when the retake completes,
        it moves to ``earlier_completions`` and the new date and version replace it.
        Asking again during a retake changes nothing (a second click does not lose progress).
        """
        user = require_role(user, *LEARNER_ROLES)
        module = self.module(module_id)
        now = self.clock()

        def change(current: ModuleProgress | None) -> ModuleProgress:
            if current is not None and (current.retaking or current.completed_at is None):
                return current
            if current is None:
                return ModuleProgress(module_id=module.id, content_version=module.version,
                                      current_lesson=module.lessons[0].id, started_at=now, updated_at=now)
            return current.model_copy(update={
                "content_version": module.version, "lessons_read": [], "lessons_read_at": {},
                "current_lesson": module.lessons[0].id, "view": "lesson", "quiz_passed": False,
                "started_at": now, "updated_at": now, "retaking": True})  # a new round (xAPI registration)

        return self.repo.update_progress(user.id, module.id, change)

    def go_to_lesson(self, user: User | None, module_id: str, lesson_id: str) -> ModuleProgress:
        user = require_role(user, *LEARNER_ROLES)
        module = self.module(module_id)
        if lesson_id not in module.lesson_ids():
            raise UserError("learn.lesson_not_found")
        return self._touch(user, module, current_lesson=lesson_id, view="lesson")

    def finish_lesson(self, user: User | None, module_id: str, lesson_id: str) -> ModuleProgress:
        """Mark a lesson read and move on to the next lesson, or to the quiz after the last."""
        user = require_role(user, *LEARNER_ROLES)
        module = self.module(module_id)
        if lesson_id not in module.lesson_ids():
            raise UserError("learn.lesson_not_found")
        place = after_lesson(module, lesson_id, self.content.quiz_for(module) is not None)
        return self._touch(user, module, read=lesson_id, **place)

    def go_to_quiz(self, user: User | None, module_id: str) -> ModuleProgress:
        user = require_role(user, *LEARNER_ROLES)
        return self._touch(user, self.module(module_id), view=QUIZ_VIEW)

    def _complete_if_done(self, module: Module, progress: ModuleProgress, now: datetime) -> ModuleProgress:
        if progress.completed_at and not progress.retaking:
            return progress
        lessons_done = set(module.lesson_ids()) <= set(progress.lessons_read)
        quiz_done = self.content.quiz_for(module) is None or progress.quiz_passed
        if lessons_done and quiz_done:
            if progress.completed_at:  # a retake: the last completion goes to history
                progress.earlier_completions = [*progress.earlier_completions, progress.completed_at]
            progress.retaking = False
            progress.completed_at = now
            progress.completed_version = module.version
        return progress

    # --- quiz ------------------------------------------------------------
    def quiz(self, module_id: str) -> Quiz:
        quiz = self.content.quiz_for(self.module(module_id))
        if quiz is None:
            raise UserError("learn.module_has_no_quiz")
        return quiz

    def open_attempt(self, user: User | None, module_id: str) -> QuizAttempt | None:
        """The unfinished attempt at this module's quiz, if any.

        An attempt at an earlier version of the quiz is not resumed: its steps may be gone.
        """
        user = require_role(user, *LEARNER_ROLES)
        quiz = self.quiz(module_id)
        for attempt in reversed(self.repo.attempts_for(user.id)):
            if attempt.quiz_id == quiz.id and attempt.module_id == module_id:
                current = attempt.finished_at is None and attempt.quiz_version == quiz.version
                return attempt if current else None
        return None

    def last_attempt(self, user: User | None, module_id: str) -> QuizAttempt | None:
        """The latest attempt at the current version of this module's quiz."""
        user = require_role(user, *LEARNER_ROLES)
        quiz = self.quiz(module_id)
        mine = [a for a in self.repo.attempts_for(user.id) if a.quiz_id == quiz.id and a.quiz_version == quiz.version]
        return mine[-1] if mine else None

    def attempts(self, user: User | None, module_id: str) -> list[QuizAttempt]:
        user = require_role(user, *LEARNER_ROLES)
        quiz = self.quiz(module_id)
        return [a for a in self.repo.attempts_for(user.id) if a.quiz_id == quiz.id]

    def start_attempt(self, user: User | None, module_id: str) -> QuizAttempt:
        user = require_role(user, *LEARNER_ROLES)
        quiz = self.quiz(module_id)
        open_one = self.open_attempt(user, module_id)
        if open_one is not None:
            return open_one
        self.go_to_quiz(user, module_id)
        attempt = QuizAttempt(id=secrets.token_hex(8), quiz_id=quiz.id, quiz_version=quiz.version,
                              module_id=module_id, started_at=self.clock(), shuffle_seed=quiz_play.new_seed())
        return self.repo.update_attempt(user.id, attempt.id, lambda _: attempt)

    def choose(self, user: User | None, module_id: str, attempt_id: str, step_id: str,
               choice_index: int) -> QuizAttempt:
        user = require_role(user, *LEARNER_ROLES)
        quiz = self.quiz(module_id)
        return self.repo.update_attempt(
            user.id, attempt_id, lambda a: quiz_play.choose(quiz, self._own(a), step_id, choice_index, self.clock()))

    def next_step(self, user: User | None, module_id: str, attempt_id: str) -> QuizAttempt:
        """Leave the feedback; record the result when the path has ended."""
        user = require_role(user, *LEARNER_ROLES)
        quiz = self.quiz(module_id)
        attempt = self.repo.update_attempt(
            user.id, attempt_id, lambda a: quiz_play.acknowledge(quiz, self._own(a), self.clock()))
        if attempt.finished_at is not None:
            self._record_result(user, module_id, quiz, attempt)
        return attempt

    @staticmethod
    def _own(attempt: QuizAttempt | None) -> QuizAttempt:
        if attempt is None:
            raise UserError("quiz.stale_choice")
        return attempt

    def _record_result(self, user: User, module_id: str, quiz: Quiz, attempt: QuizAttempt) -> None:
        module = self.module(module_id)
        did_pass = quiz_play.passed(quiz, attempt)

        def best(progress: ModuleProgress) -> int | None:
            if attempt.hit_critical:  # a failed attempt's points are no achievement
                return progress.best_percent
            return max(progress.best_percent or 0, attempt.percent)

        now = self.clock()

        def change(current: ModuleProgress | None) -> ModuleProgress:
            current = current or ModuleProgress(module_id=module.id, content_version=module.version,
                                                started_at=now, updated_at=now)
            updated = current.model_copy(update={
                "best_percent": best(current), "updated_at": now,
                "quiz_passed": current.quiz_passed or did_pass,
            })
            return self._complete_if_done(module, updated, now)

        self.repo.update_progress(user.id, module.id, change)
