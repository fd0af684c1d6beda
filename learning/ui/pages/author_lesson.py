"""Module and lesson editor: metadata, lessons in Markdown with a live preview, guide.

Lessons are rendered by the same safe renderer learners see (raw HTML off, unsafe
links refused). The form becomes ``module.yaml`` plus one ``<lesson>.md`` per lesson,
checked by the same loader as ``modules/`` on every change.
"""

from __future__ import annotations

import streamlit as st

from learning.content.bundle import MAX_GUIDE_CHARS, Files, Kind, load_data, module_folder, unique_slug
from learning.content.loader import MODULE_FILE
from learning.content.models import MAX_LESSON_CHARS, SHORT_TITLE_CHARS, Audience, Module, Quiz, ServiceArea
from learning.content.problems import Problem
from learning.errors import UserError
from learning.formatting import plain
from learning.i18n import t
from learning.records import Role
from learning.services.authoring import (
    AuthoringService,
    Draft,
    DraftStatus,
    check_files,
    module_files,
)
from learning.ui.authoring import (
    after_save,
    changes_tab,
    checklist,
    choose_draft,
    editor_header,
    save_bar,
    shown_problems,
    workflow,
)
from learning.ui.components import area_label, markdown, run_action
from learning.ui.context import authoring
from learning.ui.editor_state import EditorFrame, free_id
from learning.ui.preview import preview_module
from learning.ui.problem_words import has_form_words, placed_at_lessons, say
from learning.ui.quality import lesson_hints
from learning.ui.session import require
from learning.ui.translation_editor import render_translation

STATE = "author-module-state"
FLASH = "author-module-flash"
W = "m-"
AREAS = [a.value for a in ServiceArea]
AUDIENCES = [a.value for a in Audience]
MAX_LESSONS = 12
CALLOUT_EXAMPLE = """::: råd
Det barn har sagt, med dine egne ord.
:::

::: refleksjon
Et spørsmål du kan tenke over.
:::
"""


def _str(value: object) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def form_from_files(files: Files, item_id: str) -> dict:
    folder = module_folder(item_id)
    meta = load_data(files.get(f"{folder}/{MODULE_FILE}", ""))
    lessons = []
    for ref in meta.get("lessons") if isinstance(meta.get("lessons"), list) else []:
        ref = ref if isinstance(ref, dict) else {}
        lesson_id = _str(ref.get("id"))
        lessons.append({"id": lesson_id, "fixed": True, "title": _str(ref.get("title")),
                        "body": files.get(f"{folder}/{lesson_id}.md", "")})
    guide = meta.get("guide") if isinstance(meta.get("guide"), str) else None
    areas = meta.get("service_areas") if isinstance(meta.get("service_areas"), list) else []
    minutes = meta.get("minutes")
    return {
        "meta": {"id": item_id, "title": _str(meta.get("title")),
                 "short_title": _str(meta.get("short_title")) or None,
                 "description": _str(meta.get("description")),
                 "service_areas": [a for a in areas if a in AREAS],
                 "audience": meta.get("audience") if meta.get("audience") in AUDIENCES else None,
                 "minutes": minutes if isinstance(minutes, int) and 1 <= minutes <= 600 else 15,
                 "version": meta.get("version") if isinstance(meta.get("version"), int) else 1,
                 "quiz": meta.get("quiz") if isinstance(meta.get("quiz"), str) else None,
                 "guide": guide, "sources": _str(meta.get("sources"))},
        "lessons": lessons,
        "guide": files.get(f"{folder}/{guide}", "") if guide else "",
    }


def files_from_form(item_id: str, form: dict, old: Files) -> Files:
    meta = {k: v for k, v in form["meta"].items() if v is not None}
    return module_files(item_id, meta, form["lessons"], form["guide"], old)


def name_lessons(form: dict) -> None:
    """A lesson not yet saved gets its id (its file name) from its title; a saved one keeps it."""
    lessons = form["lessons"]
    taken = {lesson["id"] for lesson in lessons if lesson.get("fixed")} | {"guide"}
    for n, lesson in enumerate(lessons, start=1):
        if lesson.get("fixed"):
            continue
        lesson["id"] = unique_slug(lesson.get("title", ""), taken, f"leksjon-{n}")


def _sync(ws: dict) -> None:
    """Widget values into the form; a changed value marks its field touched."""
    state, form, touched = st.session_state, ws["form"], ws["touched"]
    meta = form["meta"]
    for field, key in (("title", "title"), ("short_title", "short_title"), ("description", "description"),
                       ("service_areas", "areas"), ("minutes", "minutes"),
                       ("quiz", "quiz"), ("sources", "sources")):
        if W + key in state:
            if state[W + key] != meta[field] and (state[W + key] or None) != meta[field]:
                touched.add(("meta", field))
            meta[field] = state[W + key]
    meta["quiz"] = meta["quiz"] or None
    meta["short_title"] = meta.get("short_title") or None
    if W + "leaders" in state:
        meta["audience"] = Audience.LEDENDE.value if state[W + "leaders"] else None
    if W + "guide" in state:
        form["guide"] = state[W + "guide"]
    if isinstance(state.get(W + "current"), str):  # a browser may send the label shown: «2. Title»
        number = state[W + "current"].split(".", 1)[0]
        state[W + "current"] = int(number) - 1 if number.isdigit() else ws["current"]
    if W + "current" in state and state[W + "current"] is not None:
        if state[W + "current"] != ws["current"]:
            touched.add(("lesson", ws["current"]))  # left: its empty fields may now say so
        ws["current"] = state[W + "current"]
    for i, lesson in enumerate(form["lessons"]):
        for field in ("title", "body"):
            if f"{W}l{i}-{field}" in state:
                if state[f"{W}l{i}-{field}"] != lesson[field]:
                    touched.add(("lesson", i))
                lesson[field] = state[f"{W}l{i}-{field}"]
    name_lessons(form)


def lesson_problems_placed(form: dict, problems: list[Problem]) -> list[Problem]:
    """Problems in a lesson's text file, placed at that lesson ("Leksjon 2: linje 3: ...", ``problem_words.say``)."""
    folder = module_folder(form["meta"]["id"])
    return placed_at_lessons(problems, [f"{folder}/{lesson['id']}.md" for lesson in form["lessons"]])


def visible(ws: dict, problem: Problem) -> bool:
    """At its field once changed, once its lesson was left, or after trying to send; text problems always."""
    if ws["tried"] or (problem.loc[:1] == ("lessons",) and not has_form_words(problem)):
        return True
    if problem.loc[:1] == ("lessons",) and len(problem.loc) > 1:
        return ("lesson", problem.loc[1]) in ws["touched"]
    return ("meta", problem.loc[0] if problem.loc else "") in ws["touched"]


def _note(ws: dict, problems: list[Problem]) -> None:
    shown_problems([p for p in problems if visible(ws, p)], say=lambda p: say(p, with_place=False))


def _at(problems: list[Problem], *prefix: object) -> list[Problem]:
    return [p for p in problems if tuple(p.loc[:len(prefix)]) == prefix]


def _form_from_draft(draft: Draft) -> dict:
    return form_from_files(draft.files, draft.item_id)


def _files_from_form(form: dict, saved: Files) -> Files:
    return files_from_form(form["meta"]["id"], form, saved)


FRAME = EditorFrame(STATE, FLASH, W, _form_from_draft, _files_from_form, _sync)


def _reshape(change) -> None:
    def apply(ws: dict) -> None:
        change(ws)
        ws["current"] = max(0, min(ws["current"], len(ws["form"]["lessons"]) - 1))

    FRAME.reshape(apply)


def _add_lesson(ws: dict) -> None:
    lessons = ws["form"]["lessons"]
    new_id = free_id({lesson["id"] for lesson in lessons}, "leksjon", len(lessons) + 1)
    lessons.append({"id": new_id, "fixed": False, "title": "", "body": ""})
    ws["current"] = len(lessons) - 1


def _move(ws: dict, delta: int) -> None:
    lessons, i = ws["form"]["lessons"], ws["current"]
    if 0 <= i + delta < len(lessons):
        lessons[i], lessons[i + delta] = lessons[i + delta], lessons[i]
        ws["current"] = i + delta


def _remove(ws: dict) -> None:
    if len(ws["form"]["lessons"]) > 1:
        ws["form"]["lessons"].pop(ws["current"])


# --- tabs -----------------------------------------------------------------------------
def _meta_tab(ws: dict, problems: list[Problem], quizzes: list[str], locked: bool) -> None:
    form = ws["form"]
    meta = form["meta"]
    st.text_input(t("editor.id"), value=meta["id"], disabled=True, help=t("editor.id_fixed"), key=W + "id")
    meta["title"] = st.text_input(t("editor.module_name"), value=meta["title"], max_chars=200, disabled=locked,
                                  key=W + "title")
    _note(ws, _at(problems, "title"))
    meta["short_title"] = st.text_input(t("council.editor_short_title"), value=meta.get("short_title") or "",
                                        max_chars=SHORT_TITLE_CHARS, help=t("council.editor_short_title_help"),
                                        disabled=locked, key=W + "short_title") or None
    _note(ws, _at(problems, "short_title"))
    meta["description"] = st.text_area(t("editor.description"), value=meta["description"], max_chars=400,
                                       help=t("editor.description_help"), disabled=locked, key=W + "description")
    _note(ws, _at(problems, "description"))
    left, middle, right = st.columns([2, 1, 2])
    meta["service_areas"] = left.multiselect(t("editor.areas"), AREAS, default=meta["service_areas"],
                                             format_func=lambda v: area_label(ServiceArea(v)), disabled=locked,
                                             key=W + "areas")
    meta["minutes"] = middle.number_input(t("editor.minutes"), min_value=1, max_value=600, step=1,
                                          value=meta["minutes"], disabled=locked, key=W + "minutes")
    options = ["", *quizzes]
    if meta["quiz"] and meta["quiz"] not in options:
        options.append(meta["quiz"])
    picked = right.selectbox(t("editor.module_quiz"), options, index=options.index(meta["quiz"] or ""),
                             format_func=lambda v: v or t("editor.no_quiz"), help=t("editor.module_quiz_help"),
                             disabled=locked, key=W + "quiz")
    meta["quiz"] = picked or None
    leaders = st.checkbox(t("council.editor_for_leaders"), value=meta.get("audience") == Audience.LEDENDE.value,
                          help=t("council.editor_for_leaders_help"), disabled=locked, key=W + "leaders")
    meta["audience"] = Audience.LEDENDE.value if leaders else None
    _note(ws, _at(problems, "service_areas") + _at(problems, "minutes") + _at(problems, "audience")
          + _at(problems, "quiz") + _at(problems, "id"))
    meta["sources"] = st.text_area(t("editor.sources"), value=meta["sources"], max_chars=4000, height=200,
                                   help=t("editor.sources_help"), disabled=locked, key=W + "sources")
    _note(ws, _at(problems, "sources"))


def _callout_help() -> None:
    with st.expander(t("editor.callout_help_title"), icon=":material/help:"):
        st.markdown(t("editor.callout_help"))
        st.code(CALLOUT_EXAMPLE, language="markdown")
        st.caption(t("editor.callout_help_shows"))
        markdown(CALLOUT_EXAMPLE)


def _lessons_tab(ws: dict, problems: list[Problem], locked: bool) -> None:
    form = ws["form"]
    lessons = form["lessons"]
    indexes = list(range(len(lessons)))
    current = st.selectbox(
        t("editor.lesson_pick"), indexes, index=min(ws["current"], len(lessons) - 1),
        format_func=lambda i: t("write.lesson_item", n=i + 1, title=lessons[i]["title"] or t("write.untitled_lesson")),
        key=W + "current")
    ws["current"] = current
    lesson = lessons[current]
    key = f"{W}l{current}-"
    lesson["title"] = st.text_input(t("editor.lesson_title"), value=lesson["title"], max_chars=200,
                                    disabled=locked, key=key + "title")
    st.caption(t("write.lesson_file" if lesson.get("fixed") else "write.lesson_file_new", file=f"{lesson['id']}.md"))
    _note(ws, _at(problems, "lessons", current) + [p for p in problems if p.loc == ("lessons",)])
    row = st.container(horizontal=True)
    add = up = down = remove = row
    add.button(t("editor.lesson_add"), key=W + "add", icon=":material/add:", on_click=_reshape, args=(_add_lesson,),
               disabled=locked or len(lessons) >= MAX_LESSONS)
    up.button(t("editor.lesson_up"), key=W + "up", icon=":material/arrow_upward:", disabled=locked or current == 0,
              on_click=_reshape, args=(lambda w: _move(w, -1),))
    down.button(t("editor.lesson_down"), key=W + "down", icon=":material/arrow_downward:",
                disabled=locked or current == len(lessons) - 1, on_click=_reshape, args=(lambda w: _move(w, 1),))
    remove.button(t("editor.lesson_remove"), key=W + "remove", icon=":material/delete:",
                  disabled=locked or len(lessons) <= 1, on_click=_reshape, args=(_remove,))
    _callout_help()
    write, show = st.columns(2)
    with write:
        lesson["body"] = st.text_area(t("editor.lesson_body"), value=lesson["body"], height=520,
                                      max_chars=MAX_LESSON_CHARS, help=t("editor.lesson_body_help"),
                                      disabled=locked, key=key + "body")
    with show:
        st.markdown(t("editor.live_preview"))
        with st.container(border=True):
            st.header(plain(lesson["title"]) or "…")
            markdown(lesson["body"])
    lesson_hints(lesson["body"])


def _guide_tab(ws: dict, problems: list[Problem], locked: bool) -> None:
    form = ws["form"]
    st.caption(t("editor.guide_help"))
    write, show = st.columns(2)
    with write:
        form["guide"] = st.text_area(t("editor.guide"), value=form["guide"], height=520, max_chars=MAX_GUIDE_CHARS,
                                     disabled=locked, key=W + "guide")
    with show:
        st.markdown(t("editor.live_preview"))
        with st.container(border=True):
            markdown(form["guide"])
    guide_path = f"{module_folder(form['meta']['id'])}/{form['meta'].get('guide') or 'guide.md'}"
    shown_problems(_at(problems, "guide") + [p for p in problems if p.path == guide_path])


def _preview(service: AuthoringService, user, module: Module | None) -> None:
    if module is None:
        st.info(t("editor.preview_fix_first"), icon=":material/info:")
        return
    quiz: Quiz | None = None
    if module.meta.quiz:
        draft = service.draft(user, Kind.QUIZ, module.meta.quiz)
        if draft is not None:
            model, _ = service.check(user, draft)
            quiz = model if isinstance(model, Quiz) else None
        quiz = quiz or service.published_quiz(user, module.meta.quiz)
        if quiz is None:
            st.warning(t("editor.preview_quiz_missing", quiz=module.meta.quiz), icon=":material/warning:")
    preview_module(f"module-{module.id}", module, quiz)


def _save_call(service: AuthoringService, user, draft: Draft, ws: dict):
    form = ws["form"]
    meta = {k: v for k, v in form["meta"].items() if v is not None}
    return lambda: service.save_module(user, draft.item_id, meta, form["lessons"], form["guide"], ws["revision"])


def _save(service: AuthoringService, user, draft: Draft, ws: dict) -> None:
    result = run_action(_save_call(service, user, draft, ws))
    if result:
        for lesson in ws["form"]["lessons"]:
            lesson["fixed"] = True
        run_action(lambda: service.drop_kept(user, Kind.MODULE, draft.item_id))
        ws["kept"] = None
    after_save(result, ws, FRAME)


def render() -> None:
    user = require(Role.AUTHOR, Role.ADMIN)
    st.title(t("editor.module_title"))
    service = authoring()
    draft = choose_draft(service, user, Kind.MODULE,
                         lambda item_id, language: render_translation(service, user, Kind.MODULE, item_id, language))
    if draft is None:
        return
    item_id = draft.item_id
    ws = FRAME.working(draft, lambda: service.kept(user, Kind.MODULE, item_id))
    locked = draft.status == DraftStatus.REVIEW
    editor_header(service, user, draft, ws, FRAME)
    quizzes = sorted(service.known_quizzes(user))
    try:
        files = files_from_form(item_id, ws["form"], ws["saved"])
        module, problems = check_files(Kind.MODULE, item_id, files, set(quizzes))
    except UserError as exc:
        files, module, problems = None, None, []
        st.error(t(exc.key, **exc.values), icon=":material/error:")
    problems = lesson_problems_placed(ws["form"], problems)
    if not locked:
        FRAME.autosave(ws, files,
                       lambda kept: service.keep(user, Kind.MODULE, item_id, revision=ws["revision"], files=kept,
                                                 form=ws["form"]),
                       lambda: service.drop_kept(user, Kind.MODULE, item_id))
    dirty = files != draft.files
    if save_bar(ws, dirty=dirty, disabled=locked or files is None, frame=FRAME,
                drop=lambda: service.drop_kept(user, Kind.MODULE, item_id)):
        _save(service, user, draft, ws)
    checklist(problems, done=t("write.checklist_done_module"), tried=ws["tried"])
    about, lessons, guide, play, send, changes = st.tabs([
        t("editor.tab_about"), t("editor.tab_lessons"), t("editor.tab_guide"), t("editor.tab_preview"),
        t("editor.tab_send"), t("editor.tab_history")])
    with about:
        _meta_tab(ws, problems, quizzes, locked)
    with lessons:
        _lessons_tab(ws, problems, locked)
    with guide:
        _guide_tab(ws, problems, locked)
    with play:
        _preview(service, user, module)
    with send:
        workflow(service, user, draft, problems, dirty, FRAME.reload, ws=ws, save=_save_call(service, user, draft, ws))
    with changes:
        changes_tab(service, user, draft)
