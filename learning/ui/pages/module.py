"""A module: lesson player, scenario quiz, guide and sources.

Where the learner is (which lesson, or the quiz and its step) is stored, so
leaving and coming back opens the same place.
"""

from __future__ import annotations

import streamlit as st

from learning.content.models import Module, Quiz
from learning.formatting import fmt_date, plain
from learning.guides import printable_html
from learning.i18n import t
from learning.records import ModuleProgress, QuizAttempt, User
from learning.services import quiz_play
from learning.services.learning import QUIZ_VIEW, LearningService
from learning.ui.components import area_label, markdown, run_action
from learning.ui.context import learning
from learning.ui.session import require


def _header(module: Module, progress: ModuleProgress) -> None:
    st.title(module.meta.title)
    areas = ", ".join(area_label(a) for a in module.meta.service_areas)
    st.caption(t("catalog.meta", areas=areas, minutes=module.meta.minutes))
    st.caption(t("module.fictional"))
    if progress.completed_at:
        st.success(t("module.completed_on", date=fmt_date(progress.completed_at),
                     version=progress.completed_version), icon=":material/check_circle:")


def _lesson_view(service: LearningService, user: User, module: Module, progress: ModuleProgress) -> None:
    ids = module.lesson_ids()
    current = progress.current_lesson if progress.current_lesson in ids else ids[0]
    index = ids.index(current)
    lesson = module.lessons[index]
    has_quiz = service.content.quiz_for(module) is not None
    with st.expander(t("module.contents")):
        for i, item in enumerate(module.lessons):
            mark = "✓ " if item.id in progress.lessons_read else ""
            label = t("module.contents_item", mark=mark, n=i + 1, title=plain(item.title))
            if st.button(label, key=f"toc-{item.id}", disabled=item.id == current, type="tertiary"):
                run_action(lambda item=item: service.go_to_lesson(user, module.id, item.id))
                st.rerun()
        if has_quiz and st.button(t("module.contents_quiz"), key="toc-quiz", type="tertiary"):
            run_action(lambda: service.go_to_quiz(user, module.id))
            st.rerun()
    st.progress((index + 1) / len(ids), text=t("module.lesson_of", n=index + 1, total=len(ids)))
    st.header(lesson.title)
    markdown(lesson.body)
    last = index == len(ids) - 1
    next_label = t("module.next") if not last else (t("module.to_quiz") if has_quiz else t("module.finish"))
    left, right = st.columns(2)
    if left.button(t("module.previous"), disabled=index == 0, icon=":material/arrow_back:"):
        run_action(lambda: service.go_to_lesson(user, module.id, ids[index - 1]))
        st.rerun()
    if right.button(next_label, type="primary", icon=":material/arrow_forward:"):
        run_action(lambda: service.finish_lesson(user, module.id, lesson.id))
        st.rerun()


def _result(quiz: Quiz, attempt: QuizAttempt) -> None:
    passed = quiz_play.passed(quiz, attempt)
    st.subheader(t("quiz.result_title"))
    st.metric(t("quiz.score"), f"{attempt.percent} %", help=t("quiz.score_help", needed=quiz.pass_percent))
    if passed:
        st.success(t("quiz.passed", needed=quiz.pass_percent), icon=":material/check_circle:")
    else:
        st.warning(t("quiz.not_passed", needed=quiz.pass_percent), icon=":material/info:")
    with st.expander(t("quiz.your_path")):
        for n, entry in enumerate(attempt.path, start=1):
            choice = quiz.step(entry.step_id).choices[entry.choice_index]
            st.markdown(t("quiz.path_item", n=n, choice=plain(choice.text), points=entry.points,
                          max=entry.max_points))


def _quiz_view(service: LearningService, user: User, module: Module, quiz: Quiz) -> None:
    st.header(t("quiz.title", title=quiz.title))
    attempt = service.open_attempt(user, module.id)
    if attempt is None:
        last = service.last_attempt(user, module.id)
        if last is not None:
            _result(quiz, last)
            label = t("quiz.try_again")
        else:
            markdown(quiz.intro)
            st.caption(t("quiz.how_it_works", needed=quiz.pass_percent))
            label = t("quiz.start")
        if st.button(label, type="primary", icon=":material/play_arrow:"):
            run_action(lambda: service.start_attempt(user, module.id))
            st.rerun()
        if st.button(t("quiz.back_to_lessons"), icon=":material/arrow_back:"):
            run_action(lambda: service.go_to_lesson(user, module.id, module.lesson_ids()[-1]))
            st.rerun()
        return
    if attempt.feedback_pending:
        step, choice = quiz_play.last_choice(quiz, attempt)
        st.caption(t("quiz.step_n", n=len(attempt.path)))
        markdown(step.text)
        st.markdown(t("quiz.you_chose", choice=plain(choice.text)))
        with st.container(border=True):
            st.markdown(t("quiz.feedback_title"))
            markdown(choice.feedback)
        label = t("quiz.see_result") if choice.next is None else t("quiz.continue")
        if st.button(label, type="primary", icon=":material/arrow_forward:"):
            run_action(lambda: service.next_step(user, module.id, attempt.id))
            st.rerun()
        return
    step = quiz_play.current_step(quiz, attempt)
    st.caption(t("quiz.step_n", n=len(attempt.path) + 1))
    markdown(step.text)
    options = list(range(len(step.choices)))
    picked = st.radio(t("quiz.what_do_you_do"), options, index=None, key=f"pick-{attempt.id}-{step.id}",
                      format_func=lambda i: plain(step.choices[i].text))
    if st.button(t("quiz.choose"), type="primary", disabled=picked is None):
        run_action(lambda: service.choose(user, module.id, attempt.id, step.id, picked))
        st.rerun()


def _extras(module: Module) -> None:
    st.divider()
    if module.guide:
        with st.expander(t("module.guide_title"), icon=":material/groups:"):
            markdown(module.guide)
            html = printable_html(t("module.guide_title"), module.meta.title, module.guide)
            name = f"{module.id}-fasilitatorguide"
            st.download_button(t("module.guide_download_html"), html, file_name=f"{name}.html",
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
    _header(module, progress)
    quiz = service.content.quiz_for(module)
    if quiz is not None and progress.view == QUIZ_VIEW:
        _quiz_view(service, user, module, quiz)
    else:
        _lesson_view(service, user, module, progress)
    _extras(module)
