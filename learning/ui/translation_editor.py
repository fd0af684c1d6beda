"""The translation editor: nynorsk or English texts of a module or scenario beside the bokmål source.

Only texts are fields; the structure (ids, order, points, next, critical, tags) is shown
read-only and comes from the bokmål version on every save (``content/translation_files.py``).
A text not yet translated shows the bokmål text to translate from. The preview runs the
learner's players in the chosen language with the catalog's own fallback
(``translation_files.learner_view``), and the draft goes through the same review as any other.
"""

from __future__ import annotations

import streamlit as st

from learning.content.bundle import MAX_GUIDE_CHARS, Files, Kind, module_folder
from learning.content.models import MAX_LESSON_CHARS, Module, Quiz
from learning.content.problems import Problem
from learning.content.translation_files import (
    CHOICE_TEXTS,
    learner_view,
    source_texts,
    texts_from_files,
    translation_files,
)
from learning.formatting import plain
from learning.i18n import t, using_language
from learning.records import User
from learning.services.authoring import AuthoringService, Draft, DraftStatus, TranslationState
from learning.ui.authoring import after_save, checklist, editor_header, save_bar, shown_problems, workflow
from learning.ui.components import markdown, run_action
from learning.ui.editor_state import EditorFrame
from learning.ui.preview import preview_module, preview_quiz
from learning.ui.problem_words import placed_at_lessons, say

FIELD_CHARS = {"title": 200, "short_title": 40, "description": 400, "sources": 4000, "intro": 4000, "text": 4000,
               "feedback": 4000, "critical_reason": 200}
LONG = {"description", "sources", "intro", "text", "feedback"}
MARKDOWN = {"sources"}  # shown to learners as Markdown, so the bokmål text beside it is too


def language_name(language: str) -> str:
    return t(f"translate.name_{language}")


# --- form <-> widgets -------------------------------------------------------------------
def _widget_keys(prefix: str, source: Module | Quiz) -> dict[str, tuple]:
    """Widget key -> the path of its text in the form."""
    keys: dict[str, tuple] = {f"{prefix}title": ("title",)}
    if isinstance(source, Quiz):
        keys[f"{prefix}intro"] = ("intro",)
        for step in source.steps:
            keys[f"{prefix}s-{step.id}-text"] = ("steps", step.id, "text")
            for index, choice in enumerate(step.choices):
                for field in CHOICE_TEXTS:
                    if field != "critical_reason" or choice.critical_reason is not None:
                        keys[f"{prefix}s-{step.id}-c{index}-{field}"] = ("steps", step.id, "choices", index, field)
        return keys
    for field in ("short_title", "description", "sources", "guide"):
        keys[f"{prefix}{field}"] = (field,)
    for lesson in source.lessons:
        keys[f"{prefix}l-{lesson.id}-title"] = ("lessons", lesson.id, "title")
        keys[f"{prefix}l-{lesson.id}-body"] = ("lessons", lesson.id, "body")
    return keys


def _get(form: dict, path: tuple) -> str:
    value: object = form
    for part in path:
        value = value[part] if isinstance(value, (dict, list)) else ""  # type: ignore[index]
    return value if isinstance(value, str) else ""


def _set(form: dict, path: tuple, text: str) -> None:
    target: object = form
    for part in path[:-1]:
        target = target[part]  # type: ignore[index]
    target[path[-1]] = text  # type: ignore[index]


class TranslationForm:
    """One item in one language: the form state (an ``EditorFrame``) and its fields."""

    def __init__(self, service: AuthoringService, user: User, kind: Kind, item_id: str, language: str,
                 source: Module | Quiz):
        self.service, self.user, self.kind, self.item_id, self.language = service, user, kind, item_id, language
        self.source = source
        self.prefix = f"tr-{kind.value}-{language}-"
        self.keys = _widget_keys(self.prefix, source)
        self.frame = EditorFrame(f"author-translate-{kind.value}-{language}", f"author-translate-flash-{language}",
                                 self.prefix, self._form, self._files, self._sync)

    def _form(self, draft: Draft) -> dict:
        return texts_from_files(self.source, self.language, draft.files)

    def _files(self, form: dict, saved: Files) -> Files:
        return translation_files(self.source, self.language, form)

    def _sync(self, ws: dict) -> None:
        state = st.session_state
        if isinstance(ws.get("form"), dict) and not _fits_form(ws["form"], self.source):
            ws["form"] = texts_from_files(self.source, self.language, self._files(ws["form"], {}))
        for key, path in self.keys.items():
            if key in state and isinstance(state[key], str):
                if state[key] != _get(ws["form"], path):
                    ws["touched"].add(path)
                _set(ws["form"], path, state[key])
        if isinstance(state.get(self.prefix + "current"), str):
            ws["current"] = state[self.prefix + "current"]

    # --- fields ------------------------------------------------------------------------
    def text(self, ws: dict, path: tuple, label: str, *, locked: bool, height: int | None = None) -> None:
        """A translated text with the bokmål text beside it (to translate from)."""
        field = path[-1]
        key = next(k for k, p in self.keys.items() if p == path)
        original = _get(source_texts(self.source), path)
        left, right = st.columns(2)
        with left:
            st.markdown(f"**{plain(t('translate.source_of', text=label))}**")
            with st.container(border=True):
                if field in MARKDOWN:
                    markdown(original)
                else:
                    st.markdown(plain(original) or "–")
        with right:
            value = _get(ws["form"], path)
            if field in LONG or height:
                short = "choices" in path and field == "text"
                st.text_area(label, value=value, max_chars=FIELD_CHARS.get(field),
                             height=height or (80 if short else 120), disabled=locked, key=key)
            else:
                st.text_input(label, value=value, max_chars=FIELD_CHARS.get(field), disabled=locked, key=key)
        _set(ws["form"], path, st.session_state.get(key, value))


def _fits_form(form: dict, source: Module | Quiz) -> bool:
    """A form kept from before bokmål changed shape is rebuilt on the new structure."""
    if isinstance(source, Quiz):
        steps = form.get("steps")
        return isinstance(steps, dict) and all(
            s.id in steps and len(steps[s.id].get("choices", [])) == len(s.choices) for s in source.steps)
    lessons = form.get("lessons")
    return isinstance(lessons, dict) and all(lesson.id in lessons for lesson in source.lessons)


def _placed(source: Module | Quiz, language: str, problems: list[Problem]) -> list[Problem]:
    """Problems in a lesson's file, placed at that lesson (as the bokmål editor does; ``say`` names the line)."""
    if isinstance(source, Quiz):
        return problems
    folder = module_folder(source.id)
    return placed_at_lessons(problems, [f"{folder}/{lesson.id}.{language}.md" for lesson in source.lessons])


def _at(problems: list[Problem], *prefix: object) -> list[Problem]:
    return [p for p in problems if tuple(p.loc[:len(prefix)]) == prefix]


def _note(ws: dict, problems: list[Problem], path: tuple) -> None:
    if ws["tried"] or path in ws["touched"]:
        shown_problems(problems, say=lambda p: say(p, with_place=False))


# --- module ------------------------------------------------------------------------------
def _locked_module(source: Module) -> None:
    with st.expander(t("translate.locked_title"), icon=":material/lock:"):
        st.caption(t("translate.locked_help"))
        st.markdown(plain(t("translate.locked_module", id=source.id, version=source.version,
                            minutes=source.meta.minutes, quiz=source.meta.quiz or t("translate.none"))))
        st.markdown(plain(t("translate.locked_lessons", ids=", ".join(source.lesson_ids()))))


def _module_about(form: TranslationForm, ws: dict, problems: list[Problem], locked: bool) -> None:
    source = form.source
    assert isinstance(source, Module)
    _locked_module(source)
    form.text(ws, ("title",), t("editor.module_name"), locked=locked)
    _note(ws, _at(problems, "title"), ("title",))
    if source.meta.short_title:
        form.text(ws, ("short_title",), t("council.editor_short_title"), locked=locked)
        _note(ws, _at(problems, "short_title"), ("short_title",))
    form.text(ws, ("description",), t("editor.description"), locked=locked)
    _note(ws, _at(problems, "description"), ("description",))
    form.text(ws, ("sources",), t("editor.sources"), locked=locked, height=200)
    _note(ws, _at(problems, "sources"), ("sources",))


def _module_lessons(form: TranslationForm, ws: dict, problems: list[Problem], locked: bool) -> None:
    source = form.source
    assert isinstance(source, Module)
    ids = source.lesson_ids()
    current = ws["current"] if ws["current"] in ids else ids[0]
    titles = {lesson.id: lesson.title for lesson in source.lessons}
    chosen = st.selectbox(t("editor.lesson_pick"), ids, index=ids.index(current),
                          format_func=lambda i: t("write.lesson_item", n=ids.index(i) + 1, title=titles[i]),
                          key=form.prefix + "current")
    ws["current"] = chosen
    n = ids.index(chosen)
    form.text(ws, ("lessons", chosen, "title"), t("editor.lesson_title"), locked=locked)
    _note(ws, _at(problems, "lessons", n), ("lessons", chosen, "title"))
    path = ("lessons", chosen, "body")
    key = next(k for k, p in form.keys.items() if p == path)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{plain(t('translate.source_of', text=t('editor.lesson_body')))}**")
        st.code(_get(source_texts(source), path), language="markdown", wrap_lines=True, height=520)
    with right:
        st.text_area(t("editor.lesson_body"), value=_get(ws["form"], path), height=520, max_chars=MAX_LESSON_CHARS,
                     help=t("editor.lesson_body_help"), disabled=locked, key=key)
        _set(ws["form"], path, st.session_state.get(key, _get(ws["form"], path)))
    body = _get(ws["form"], path)
    if not body.strip():
        st.info(t("translate.lesson_untranslated"), icon=":material/translate:")
    else:
        st.markdown(t("editor.live_preview"))
        with st.container(border=True), using_language(form.language):
            st.header(plain(_get(ws["form"], ("lessons", chosen, "title"))) or "…")
            markdown(body)


def _module_guide(form: TranslationForm, ws: dict, locked: bool) -> None:
    path = ("guide",)
    key = form.prefix + "guide"
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{plain(t('translate.source_of', text=t('editor.guide')))}**")
        st.code(_get(source_texts(form.source), path), language="markdown", wrap_lines=True, height=520)
    with right:
        st.text_area(t("editor.guide"), value=_get(ws["form"], path), height=520, max_chars=MAX_GUIDE_CHARS,
                     disabled=locked, key=key)
        _set(ws["form"], path, st.session_state.get(key, _get(ws["form"], path)))
    if not _get(ws["form"], path).strip():
        st.info(t("translate.guide_untranslated"), icon=":material/translate:")


# --- scenario ----------------------------------------------------------------------------
def _quiz_parts(form: TranslationForm, ws: dict, problems: list[Problem], locked: bool) -> None:
    source = form.source
    assert isinstance(source, Quiz)
    parts = ["", *(step.id for step in source.steps)]
    names = {"": t("translate.about"), **{s.id: t("write_where.steps", n=i + 1).capitalize()
                                          + (f": {s.title}" if s.title else "") for i, s in enumerate(source.steps)}}
    current = ws["current"] if ws["current"] in parts else ""
    chosen = st.selectbox(t("translate.step_pick"), parts, index=parts.index(current), format_func=names.get,
                          key=form.prefix + "current")
    ws["current"] = chosen
    if not chosen:
        form.text(ws, ("title",), t("write_field.title"), locked=locked)
        _note(ws, _at(problems, "title"), ("title",))
        form.text(ws, ("intro",), t("write_field.intro"), locked=locked)
        _note(ws, _at(problems, "intro"), ("intro",))
        return
    index = parts.index(chosen) - 1
    step = source.steps[index]
    form.text(ws, ("steps", chosen, "text"), t("write_field.steps_text"), locked=locked)
    _note(ws, _at(problems, "steps", index, "text"), ("steps", chosen, "text"))
    for c_index, choice in enumerate(step.choices):
        with st.container(border=True):
            st.markdown(f"**{t('write_where.choices', n=c_index + 1).capitalize()}**")
            st.caption(plain(t("translate.locked_choice", points=choice.points, next=choice.next or t("translate.end"),
                               critical=t("translate.yes") if choice.critical else t("translate.no"),
                               tags=", ".join(str(tag) for tag in choice.tags) or t("translate.none"))))
            for field in CHOICE_TEXTS:
                if field == "critical_reason" and choice.critical_reason is None:
                    continue
                path = ("steps", chosen, "choices", c_index, field)
                form.text(ws, path, t(f"write_field.{'choices_text' if field == 'text' else field}"), locked=locked)
                _note(ws, _at(problems, "steps", index, "choices", c_index, field), path)


# --- the page ---------------------------------------------------------------------------
def _state_line(service: AuthoringService, user: User, kind: Kind, item_id: str, language: str) -> None:
    row = next((s for s in service.translation_status(user, only=(kind, item_id)) if s.language == language), None)
    if row is None:
        return
    name = language_name(language)
    if row.state == TranslationState.PRESENT:
        st.caption(t("translate.state_line_present"))
    elif row.state == TranslationState.MISSING:
        st.info(t("translate.state_line_missing", language=name), icon=":material/translate:")
    else:
        st.warning(t("translate.state_line_outdated", old=row.translated_version, new=row.source_version,
                     language=name), icon=":material/update:")


def _preview(service: AuthoringService, user: User, form: TranslationForm, model: Module | Quiz | None) -> None:
    if model is None:
        st.info(t("editor.preview_fix_first"), icon=":material/info:")
        return
    st.caption(t("translate.preview_as", language=language_name(form.language)))
    name = f"translate-{form.kind.value}-{form.item_id}-{form.language}"
    if isinstance(model, Quiz):
        with using_language(form.language):
            preview_quiz(name, model)
        return
    quiz = service.quiz_in_language(user, model.meta.quiz, form.language) if model.meta.quiz else None
    with using_language(form.language):
        preview_module(name, model, quiz)


def render_translation(service: AuthoringService, user: User, kind: Kind, item_id: str, language: str) -> None:
    """The whole translation editor for one item and language (below the item and language pickers)."""
    source = run_action(lambda: service.source(user, kind, item_id))
    if not source:
        return
    st.caption(t("translate.intro", version=source.version, language=language_name(language)))
    _state_line(service, user, kind, item_id, language)
    draft = service.translation_draft(user, kind, item_id, language)
    if draft is None:
        st.info(t("translate.no_draft"), icon=":material/info:")
        if (st.button(t("translate.start"), key="author-translate-start", type="primary", icon=":material/translate:")
                and run_action(lambda: service.edit_translation(user, kind, item_id, language))):
            st.rerun()
        return
    form = TranslationForm(service, user, kind, item_id, language, source)
    frame = form.frame
    ws = frame.working(draft, lambda: service.kept(user, kind, item_id, language))
    locked = draft.status == DraftStatus.REVIEW
    files = frame.files(ws)
    if not locked and files is not None:
        frame.autosave(ws, files, lambda kept: service.keep(user, kind, item_id, revision=ws["revision"], files=kept,
                                                            form=ws["form"], language=language),
                       lambda: service.drop_kept(user, kind, item_id, language))
    model, problems = learner_view(source, language, files or {})
    problems = _placed(source, language, problems)
    dirty = files != draft.files
    editor_header(service, user, draft, ws, frame)
    if save_bar(ws, dirty=dirty, disabled=locked or files is None, frame=frame,
                drop=lambda: service.drop_kept(user, kind, item_id, language)):
        _save(form, draft, ws)
    checklist(problems, done=t("translate.checklist_done"), tried=ws["tried"])
    save = _save_call(form, ws)
    if isinstance(source, Module):
        names = [t("editor.tab_about"), t("editor.tab_lessons")]
        names += [t("editor.tab_guide")] if source.meta.guide else []
        tabs = st.tabs([*names, t("editor.tab_preview"), t("editor.tab_send"), t("editor.tab_history")])
        with tabs[0]:
            _module_about(form, ws, problems, locked)
        with tabs[1]:
            _module_lessons(form, ws, problems, locked)
        if source.meta.guide:
            with tabs[2]:
                _module_guide(form, ws, locked)
    else:
        tabs = st.tabs([t("editor.tab_edit"), t("editor.tab_preview"), t("editor.tab_send"), t("editor.tab_history")])
        with tabs[0]:
            _quiz_parts(form, ws, problems, locked)
    with tabs[-3]:
        _preview(service, user, form, model)
    with tabs[-2]:
        workflow(service, user, draft, problems, dirty, frame.reload, ws=ws, save=save)
    with tabs[-1]:
        diff = service.translation_changes(user, draft)
        if diff:
            st.code(diff, language="diff", wrap_lines=True)
        else:
            st.caption(t("translate.changes_none"))


def _save_call(form: TranslationForm, ws: dict):
    return lambda: form.service.save_translation(form.user, form.kind, form.item_id, form.language, ws["form"],
                                                 ws["revision"])


def _save(form: TranslationForm, draft: Draft, ws: dict) -> None:
    result = run_action(_save_call(form, ws))
    if result:
        run_action(lambda: form.service.drop_kept(form.user, form.kind, form.item_id, form.language))
        ws["kept"] = None
    after_save(result, ws, form.frame)

