"""A module: lesson player, scenario quiz, guide and sources.

Where the learner is (which lesson, or the quiz and its step) is stored, so
leaving and coming back opens the same place. The players take a driver: the
learner's records through LearningService here, or session-only state for an
author's preview (``learning.ui.preview``), so both see exactly the same page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Protocol

import streamlit as st

from learning.content.models import Module, Quiz, Tag
from learning.formatting import fmt_date, plain
from learning.guides import printable_html
from learning.i18n import t
from learning.records import ModuleProgress, QuizAttempt, User
from learning.services import quiz_play
from learning.services.learning import QUIZ_VIEW, LearningService
from learning.ui.components import area_label, markdown, run_action
from learning.ui.context import learning
from learning.ui.reflection_notes import lesson_body
from learning.ui.session import require


class Driver(Protocol):
    """Where the player's actions go. ``key`` prefixes widget keys ("" on the learner page)."""

    key: str
    has_lessons: bool
    has_quiz: bool

    def go_to_lesson(self, lesson_id: str) -> object: ...
    def finish_lesson(self, lesson_id: str) -> object: ...
    def go_to_quiz(self) -> object: ...
    def open_attempt(self) -> QuizAttempt | None: ...
    def last_attempt(self) -> QuizAttempt | None: ...
    def start(self) -> object: ...
    def choose(self, attempt_id: str, step_id: str, index: int) -> object: ...
    def next_step(self, attempt_id: str) -> object: ...
    def back_to_lessons(self) -> object: ...


@dataclass
class LearnerDriver:
    """The learner's own progress and attempts, recorded through LearningService."""

    service: LearningService
    user: User
    module: Module
    key: str = ""
    has_lessons: bool = True

    @property
    def has_quiz(self) -> bool:
        return self.service.content.quiz_for(self.module) is not None

    def go_to_lesson(self, lesson_id: str):
        return self.service.go_to_lesson(self.user, self.module.id, lesson_id)

    def finish_lesson(self, lesson_id: str):
        return self.service.finish_lesson(self.user, self.module.id, lesson_id)

    def go_to_quiz(self):
        return self.service.go_to_quiz(self.user, self.module.id)

    def open_attempt(self) -> QuizAttempt | None:
        return self.service.open_attempt(self.user, self.module.id)

    def last_attempt(self) -> QuizAttempt | None:
        return self.service.last_attempt(self.user, self.module.id)

    def start(self):
        return self.service.start_attempt(self.user, self.module.id)

    def choose(self, attempt_id: str, step_id: str, index: int):
        return self.service.choose(self.user, self.module.id, attempt_id, step_id, index)

    def next_step(self, attempt_id: str):
        return self.service.next_step(self.user, self.module.id, attempt_id)

    def back_to_lessons(self):
        return self.service.go_to_lesson(self.user, self.module.id, self.module.lesson_ids()[-1])


def _key(driver: Driver, name: str, default: str | None = None) -> str | None:
    return f"{driver.key}-{name}" if driver.key else default


def module_header(module: Module, progress: ModuleProgress) -> None:
    st.title(plain(module.meta.title))
    areas = ", ".join(area_label(a) for a in module.meta.service_areas)
    # two lines, one element (each element costs every rerun)
    st.caption(f'{t("catalog.meta", areas=areas, minutes=module.meta.minutes)}  \n{t("module.fictional")}')
    if progress.completed_at and progress.retaking:
        st.info(t("renewal.retaking", date=fmt_date(progress.completed_at)), icon=":material/autorenew:")
    elif progress.completed_at:
        st.success(t("module.completed_on", date=fmt_date(progress.completed_at),
                     version=progress.completed_version), icon=":material/check_circle:")


def lesson_player(driver: Driver, module: Module, progress: ModuleProgress) -> None:
    ids = module.lesson_ids()
    current = progress.current_lesson if progress.current_lesson in ids else ids[0]
    index = ids.index(current)
    lesson = module.lessons[index]
    has_quiz = driver.has_quiz
    with st.expander(t("module.contents")):
        for i, item in enumerate(module.lessons):
            mark = "✓ " if item.id in progress.lessons_read else ""
            label = t("module.contents_item", mark=mark, n=i + 1, title=plain(item.title))
            if st.button(label, key=_key(driver, f"toc-{item.id}", f"toc-{item.id}"), disabled=item.id == current,
                         type="tertiary"):
                run_action(lambda item=item: driver.go_to_lesson(item.id))
                st.rerun()
        if has_quiz and st.button(t("module.contents_quiz"), key=_key(driver, "toc-quiz", "toc-quiz"),
                                  type="tertiary"):
            run_action(driver.go_to_quiz)
            st.rerun()
    st.progress((index + 1) / len(ids), text=t("module.lesson_of", n=index + 1, total=len(ids)))
    st.header(plain(lesson.title))
    lesson_body(getattr(driver, "user", None), module, lesson)  # a preview has no user: no note fields
    last = index == len(ids) - 1
    next_label = t("module.next") if not last else (t("module.to_quiz") if has_quiz else t("module.finish"))
    left, right = st.columns(2)
    if left.button(t("module.previous"), disabled=index == 0, icon=":material/arrow_back:",
                   key=_key(driver, "previous")):
        run_action(lambda: driver.go_to_lesson(ids[index - 1]))
        st.rerun()
    if right.button(next_label, type="primary", icon=":material/arrow_forward:", key=_key(driver, "next")):
        run_action(lambda: driver.finish_lesson(lesson.id))
        st.rerun()


def tag_badges(tags: list[Tag]) -> str:
    """Tags as labels: icon and word say helpful or not, so colour is not the only sign."""
    def badge(tag: Tag) -> str:
        colour, icon = ("blue", "add_circle") if tag.child_centred else ("orange", "do_not_disturb_on")
        return f":{colour}-badge[:material/{icon}: {t(f'tag.{tag.value}')}]"
    return " ".join(badge(tag) for tag in tags)


def _tag_summary(quiz: Quiz, attempt: QuizAttempt) -> None:
    counts = quiz_play.tag_counts(quiz, attempt)
    if not counts:
        return
    st.markdown(f"**{t('quiz.summary_title')}**")
    for key, helpful in (("quiz.summary_helpful", True), ("quiz.summary_harmful", False)):
        items = [t("quiz.summary_item", count=n, tag=t(f"tag.{tag.value}"))
                 for tag, n in counts.most_common() if tag.child_centred == helpful]
        if items:
            st.markdown(t(key, tags=", ".join(items)))


def _result(quiz: Quiz, attempt: QuizAttempt) -> None:
    passed = quiz_play.passed(quiz, attempt)
    st.subheader(t("quiz.result_title"))
    mistakes = quiz_play.critical_choices(quiz, attempt)
    if mistakes:
        with st.container(border=True):
            st.markdown(f"**{t('quiz.critical_title')}**")
            st.markdown(t("quiz.critical_body"))
            for choice in mistakes:
                st.markdown(t("quiz.critical_you_chose", choice=plain(choice.text)))
                st.markdown(t("quiz.critical_rule", reason=plain(choice.critical_reason or "")))
    else:
        st.metric(t("quiz.score"), f"{attempt.percent} %", help=t("quiz.score_help", needed=quiz.pass_percent))
        if passed:
            st.success(t("quiz.passed", needed=quiz.pass_percent), icon=":material/check_circle:")
        else:
            st.warning(t("quiz.not_passed", needed=quiz.pass_percent), icon=":material/info:")
    _tag_summary(quiz, attempt)
    with st.expander(t("quiz.your_path")):
        for n, entry in enumerate(attempt.path, start=1):
            choice = quiz.step(entry.step_id).choices[entry.choice_index]
            key = "quiz.path_item_critical" if entry.critical else "quiz.path_item"
            st.markdown(t(key, n=n, choice=plain(choice.text), points=entry.points, max=entry.max_points))


def quiz_player(driver: Driver, quiz: Quiz) -> None:
    st.header(t("quiz.title", title=plain(quiz.title)))
    attempt = driver.open_attempt()
    if attempt is None:
        last = driver.last_attempt()
        if last is not None:
            _result(quiz, last)
            label = t("quiz.try_again")
        else:
            markdown(quiz.intro)
            st.caption(t("quiz.how_it_works", needed=quiz.pass_percent))
            label = t("quiz.start")
        if st.button(label, type="primary", icon=":material/play_arrow:", key=_key(driver, "start")):
            run_action(driver.start)
            st.rerun()
        if driver.has_lessons and st.button(t("quiz.back_to_lessons"), icon=":material/arrow_back:",
                                            key=_key(driver, "back")):
            run_action(driver.back_to_lessons)
            st.rerun()
        return
    if attempt.feedback_pending:
        step, choice = quiz_play.last_choice(quiz, attempt)
        st.subheader(t("a11y.feedback_heading", n=len(attempt.path)))  # a new heading: focus moves here
        markdown(step.text)
        st.markdown(t("quiz.you_chose", choice=plain(choice.text)))
        with st.container(border=True):
            st.markdown(t("quiz.feedback_title"))
            markdown(choice.feedback)
            if choice.tags:
                st.markdown(f"{t('quiz.tags_title')} {tag_badges(choice.tags)}")
            if choice.critical:
                st.error(t("quiz.critical_ends"), icon=":material/report:")
        label = t("quiz.see_result") if quiz_play.ends_scenario(choice) else t("quiz.continue")
        if st.button(label, type="primary", icon=":material/arrow_forward:", key=_key(driver, "continue")):
            run_action(lambda: driver.next_step(attempt.id))
            st.rerun()
        return
    step = quiz_play.current_step(quiz, attempt)
    st.subheader(t("quiz.step_n", n=len(attempt.path) + 1))  # a new heading: focus moves here
    markdown(step.text)
    options = quiz_play.choice_order(attempt, step)
    picked = st.radio(t("quiz.what_do_you_do"), options, index=None, key=f"pick-{attempt.id}-{step.id}",
                      format_func=lambda i: plain(step.choices[i].text))
    if attempt.shuffle_seed is not None:
        st.caption(t("quiz.shuffled_note"))
    if st.button(t("quiz.choose"), type="primary", disabled=picked is None, key=_key(driver, "choose")):
        run_action(lambda: driver.choose(attempt.id, step.id, picked))
        st.rerun()


def module_extras(module: Module) -> None:
    st.divider()
    if module.guide:
        with st.expander(t("module.guide_title"), icon=":material/groups:"):
            markdown(module.guide)
            name = f"{module.id}-fasilitatorguide"
            printable = partial(printable_html, t("module.guide_title"), module.meta.title, module.guide)
            st.download_button(t("module.guide_download_html"), printable, file_name=f"{name}.html",
                               mime="text/html", icon=":material/print:", on_click="ignore")
            st.download_button(t("module.guide_download_md"), module.guide, file_name=f"{name}.md",
                               mime="text/markdown", icon=":material/download:", on_click="ignore")
    with st.expander(t("module.sources_title"), icon=":material/library_books:"):
        markdown(module.meta.sources)


def render() -> None:
    user = require()
    service = learning()
    module_id = st.query_params.get("modul") or st.session_state.get("module_id")
    if not module_id or module_id not in service.content.modules:
        st.info(t("module.choose"))
        return
    st.session_state["module_id"] = module_id
    st.query_params["modul"] = module_id
    module = service.module(module_id)
    progress = service.open_module(user, module_id)
    module_header(module, progress)
    driver = LearnerDriver(service, user, module)
    quiz = service.content.quiz_for(module)
    if quiz is not None and progress.view == QUIZ_VIEW:
        quiz_player(driver, quiz)
    else:
        lesson_player(driver, module, progress)
    module_extras(module)
