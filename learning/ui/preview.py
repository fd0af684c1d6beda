"""Preview a draft exactly as a learner sees it, with nothing recorded.

The lesson and quiz players from the learner's module page run against this
driver, which keeps the preview's place and attempts in the session only and
moves through the quiz with the same pure functions (``quiz_play``). Nothing is
written to the store: an author's progress and attempts stay untouched.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from learning.clock import utc_now
from learning.content.models import Module, Quiz
from learning.i18n import t
from learning.records import ModuleProgress, QuizAttempt
from learning.services import quiz_play
from learning.services.learning import QUIZ_VIEW, after_lesson
from learning.ui.pages.module import lesson_player, module_extras, module_header, quiz_player

PREFIX = "preview"


def signature(*models: Module | Quiz | None) -> str:
    text = "|".join(m.model_dump_json() if m is not None else "-" for m in models)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class PreviewDriver:
    """The learner page's driver, on session state."""

    has_lessons: bool

    def __init__(self, name: str, module: Module | None, quiz: Quiz | None):
        self.key = f"{PREFIX}-{name}"
        self.module = module
        self.quiz = quiz
        self.has_lessons = module is not None
        state = st.session_state.get(self.key)
        sig = signature(module, quiz)
        if state is None or state["sig"] != sig:  # the draft changed: start the preview again
            state = {"sig": sig, "progress": self._fresh(), "attempts": []}
            st.session_state[self.key] = state
        self.state = state

    @property
    def has_quiz(self) -> bool:
        return self.quiz is not None

    def _fresh(self) -> ModuleProgress:
        now = utc_now()
        lesson = self.module.lessons[0].id if self.module else None
        return ModuleProgress(module_id=self.module.id if self.module else "", content_version=0,
                              current_lesson=lesson, started_at=now, updated_at=now,
                              view="lesson" if self.module else QUIZ_VIEW)

    @property
    def progress(self) -> ModuleProgress:
        return self.state["progress"]

    def _update(self, **changes: object) -> None:
        self.state["progress"] = self.progress.model_copy(update=changes)

    def restart(self) -> None:
        self.state.update(progress=self._fresh(), attempts=[])

    # lessons
    def go_to_lesson(self, lesson_id: str) -> None:
        self._update(current_lesson=lesson_id, view="lesson")

    def finish_lesson(self, lesson_id: str) -> None:
        read = self.progress.lessons_read
        self._update(lessons_read=read if lesson_id in read else [*read, lesson_id],
                     **after_lesson(self.module, lesson_id, self.has_quiz))

    def go_to_quiz(self) -> None:
        self._update(view=QUIZ_VIEW)

    def back_to_lessons(self) -> None:
        self._update(current_lesson=self.module.lesson_ids()[-1], view="lesson")

    # quiz
    def open_attempt(self) -> QuizAttempt | None:
        attempts = self.state["attempts"]
        return attempts[-1] if attempts and attempts[-1].finished_at is None else None

    def last_attempt(self) -> QuizAttempt | None:
        return self.state["attempts"][-1] if self.state["attempts"] else None

    def start(self) -> None:
        if self.open_attempt() is None:
            attempt = QuizAttempt(id=f"{self.key}-{len(self.state['attempts']) + 1}", quiz_id=self.quiz.id,
                                  quiz_version=self.quiz.version, module_id=self.module.id if self.module else "",
                                  started_at=utc_now(), shuffle_seed=quiz_play.new_seed())
            self.state["attempts"].append(attempt)

    def _replace(self, attempt_id: str, attempt: QuizAttempt) -> None:
        attempts = self.state["attempts"]
        if attempts and attempts[-1].id == attempt_id:
            attempts[-1] = attempt

    def choose(self, attempt_id: str, step_id: str, index: int) -> None:
        current = self.open_attempt()
        if current is not None and current.id == attempt_id:
            self._replace(attempt_id, quiz_play.choose(self.quiz, current, step_id, index))

    def next_step(self, attempt_id: str) -> None:
        current = self.open_attempt()
        if current is not None and current.id == attempt_id:
            self._replace(attempt_id, quiz_play.acknowledge(self.quiz, current, utc_now()))


def preview_quiz(name: str, quiz: Quiz) -> None:
    """Play a scenario on its own, as in a module."""
    driver = PreviewDriver(name, None, quiz)
    _restart_button(driver)
    quiz_player(driver, quiz)


def preview_module(name: str, module: Module, quiz: Quiz | None) -> None:
    """A module's lessons, then its scenario, as a learner sees them."""
    driver = PreviewDriver(name, module, quiz)
    _restart_button(driver)
    module_header(module, driver.progress)
    if quiz is not None and driver.progress.view == QUIZ_VIEW:
        quiz_player(driver, quiz)
    else:
        lesson_player(driver, module, driver.progress)
    module_extras(module)


def _restart_button(driver: PreviewDriver) -> None:
    st.info(t("preview.nothing_recorded"), icon=":material/visibility:")
    if st.button(t("preview.restart"), key=f"{driver.key}-restart", icon=":material/restart_alt:"):
        driver.restart()
        st.rerun()
