"""Scenario editor: fields, steps and choices, branch diagram, preview, review.

The form's fields become the scenario's YAML, which is checked by the same loader as
``quizzes/*.yaml`` on every change; problems show beside the field they are about.
The form's state lives in the session until saved, so a problem never loses text.
"""

from __future__ import annotations

import streamlit as st

from learning.content.bundle import Files, Kind, load_data, quiz_path
from learning.content.diagram import quiz_dot
from learning.content.models import MAX_STEPS, RENAMED_TAGS, ServiceArea, Tag
from learning.content.problems import Problem
from learning.formatting import plain
from learning.i18n import t
from learning.records import Role
from learning.services.authoring import AuthoringService, Draft, DraftStatus, check_files, quiz_files
from learning.ui.authoring import (
    after_save,
    all_problems,
    changes_tab,
    choose_draft,
    editor_header,
    inline_problems,
    problems_at,
    save_row,
    workflow,
)
from learning.ui.components import area_label, run_action
from learning.ui.context import authoring
from learning.ui.editor_state import EditorFrame, free_id
from learning.ui.preview import preview_quiz
from learning.ui.session import require

STATE = "author-quiz-state"
FLASH = "author-quiz-flash"
W = "q-"  # prefix of every widget key in the form
SETTINGS = [a.value for a in ServiceArea]
TAGS = [tag.value for tag in Tag]
MAX_CHOICES = 4


# --- the form's state: plain dicts, read from and written to the YAML's fields -------
def _str(value: object) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _new_choice() -> dict:
    return {"text": "", "feedback": "", "points": 0, "next": None, "tags": [], "critical": False,
            "critical_reason": ""}


def form_from_data(raw: dict, item_id: str) -> dict:
    steps = []
    for step in raw.get("steps") if isinstance(raw.get("steps"), list) else []:
        step = step if isinstance(step, dict) else {}
        choices = []
        for choice in step.get("choices") if isinstance(step.get("choices"), list) else []:
            choice = choice if isinstance(choice, dict) else {}
            tags = choice.get("tags") if isinstance(choice.get("tags"), list) else []
            choices.append({"text": _str(choice.get("text")), "feedback": _str(choice.get("feedback")),
                            "points": _int(choice.get("points"), 0),
                            "next": choice.get("next") if isinstance(choice.get("next"), str) else None,
                            "tags": [t for t in (RENAMED_TAGS.get(tag, tag) for tag in tags) if t in TAGS],
                            "critical": choice.get("critical") is True,
                            "critical_reason": _str(choice.get("critical_reason"))})
        steps.append({"id": _str(step.get("id")), "text": _str(step.get("text")), "choices": choices})
    setting = raw.get("setting")
    return {"id": item_id, "title": _str(raw.get("title")), "intro": _str(raw.get("intro")),
            "setting": setting if setting in SETTINGS else None, "version": _int(raw.get("version"), 1),
            "pass_percent": _int(raw.get("pass_percent"), 70), "steps": steps}


def data_from_form(form: dict) -> dict:
    """The YAML's fields, written as in the files (no empty ``next`` or ``tags``)."""
    data = {k: form[k] for k in ("id", "title", "intro", "setting", "version", "pass_percent")
            if form[k] is not None}
    steps = []
    for step in form["steps"]:
        choices = []
        for choice in step["choices"]:
            out = {"text": choice["text"], "feedback": choice["feedback"], "points": choice["points"]}
            if choice["next"]:
                out["next"] = choice["next"]
            if choice["tags"]:
                out["tags"] = list(choice["tags"])
            if choice["critical"]:  # a reason left behind by an unticked box is dropped with it
                out["critical"] = True
                out["critical_reason"] = choice["critical_reason"]
            choices.append(out)
        steps.append({"id": step["id"], "text": step["text"], "choices": choices})
    data["steps"] = steps
    return data


def _sync(ws: dict) -> None:
    """Copy the widgets' current values into the form state."""
    state, form = st.session_state, ws["form"]
    for field, key in (("title", "title"), ("intro", "intro"), ("setting", "setting"), ("pass_percent", "pass")):
        if W + key in state:
            form[field] = state[W + key]
    for i, step in enumerate(form["steps"]):
        for field in ("id", "text"):
            if f"{W}s{i}-{field}" in state:
                step[field] = state[f"{W}s{i}-{field}"]
        for j, choice in enumerate(step["choices"]):
            for field in ("text", "feedback", "points", "next", "tags", "critical", "critical_reason"):
                key = f"{W}s{i}-c{j}-{field}"
                if key in state:
                    choice[field] = state[key]
            choice["next"] = choice["next"] or None


def _form_from_draft(draft: Draft) -> dict:
    return form_from_data(load_data(draft.files.get(quiz_path(draft.item_id), "")), draft.item_id)


def _files_from_form(form: dict, saved: Files) -> Files:
    return quiz_files(form["id"], data_from_form(form), saved)


FRAME = EditorFrame(STATE, FLASH, W, _form_from_draft, _files_from_form, _sync)


def _reshape(change) -> None:
    """A button callback: change the steps or choices, and redraw the widgets from the state."""
    FRAME.reshape(lambda ws: change(ws["form"]["steps"]))


def _add_step(steps: list[dict]) -> None:
    new_id = free_id({s["id"] for s in steps}, "steg", len(steps) + 1)
    steps.append({"id": new_id, "text": "", "choices": [_new_choice(), _new_choice()]})


def _move(items: list, index: int, delta: int) -> None:
    other = index + delta
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]


# --- the form ------------------------------------------------------------------------
def _top_fields(form: dict, problems: list[Problem], locked: bool) -> None:
    st.text_input(t("editor.id"), value=form["id"], disabled=True, help=t("editor.id_fixed"), key=W + "id")
    form["title"] = st.text_input(t("editor.quiz_name"), value=form["title"], max_chars=200, disabled=locked,
                                  key=W + "title")
    inline_problems(problems_at(problems, "title"))
    form["intro"] = st.text_area(t("editor.intro"), value=form["intro"], max_chars=4000, disabled=locked,
                                 help=t("editor.intro_help"), key=W + "intro")
    inline_problems(problems_at(problems, "intro"))
    left, right = st.columns(2)
    form["setting"] = left.selectbox(
        t("editor.setting"), SETTINGS, index=SETTINGS.index(form["setting"]) if form["setting"] else None,
        format_func=lambda v: area_label(ServiceArea(v)), placeholder=t("editor.setting_placeholder"),
        disabled=locked, key=W + "setting")
    form["pass_percent"] = right.number_input(t("editor.pass_percent"), min_value=1, max_value=100, step=1,
                                              value=form["pass_percent"], help=t("editor.pass_percent_help"),
                                              disabled=locked, key=W + "pass")
    inline_problems(problems_at(problems, "setting") + problems_at(problems, "pass_percent")
                    + problems_at(problems, "id") + problems_at(problems, "steps", exclude="steps["))


def _next_options(steps: list[dict], own: int, current: str | None) -> list[str]:
    ids = [s["id"] for n, s in enumerate(steps) if n != own and s["id"]]
    options = ["", *dict.fromkeys(ids)]
    if current and current not in options:
        options.append(current)
    return options


def _choice(form: dict, i: int, j: int, problems: list[Problem], locked: bool) -> None:
    steps = form["steps"]
    step = steps[i]
    choice = step["choices"][j]
    key = f"{W}s{i}-c{j}-"
    with st.container(border=True):
        st.markdown(t("editor.choice_n", n=j + 1))
        choice["text"] = st.text_input(t("editor.choice_text"), value=choice["text"], max_chars=200,
                                       disabled=locked, key=key + "text")
        choice["feedback"] = st.text_area(t("editor.feedback"), value=choice["feedback"], max_chars=4000,
                                          help=t("editor.feedback_help"), disabled=locked, key=key + "feedback")
        ids = {s["id"] for s in steps}
        options = _next_options(steps, i, choice["next"])
        a, b, c = st.columns([1, 2, 3])
        choice["points"] = a.number_input(t("editor.points"), min_value=0, max_value=10, step=1,
                                          value=choice["points"], disabled=locked, key=key + "points")
        picked = b.selectbox(
            t("editor.next"), options, index=options.index(choice["next"] or ""), disabled=locked,
            format_func=lambda v: t("editor.next_end") if not v else (v if v in ids else t("editor.next_unknown",
                                                                                              id=v)),
            key=key + "next")
        choice["next"] = picked or None
        choice["tags"] = c.multiselect(t("editor.tags"), TAGS, default=choice["tags"], max_selections=3,
                                       help=t("editor.tags_help"), disabled=locked, key=key + "tags")
        choice["critical"] = st.checkbox(t("editor.critical"), value=choice["critical"], help=t("editor.critical_help"),
                                         disabled=locked, key=key + "critical")
        if choice["critical"]:
            choice["critical_reason"] = st.text_input(t("editor.critical_reason"), value=choice["critical_reason"],
                                                      max_chars=200, help=t("editor.critical_reason_help"),
                                                      disabled=locked, key=key + "critical_reason")
        inline_problems(problems_at(problems, f"steps[{i}].choices[{j}]"))
        row = st.container(horizontal=True)
        up = down = remove = row
        up.button(t("editor.choice_up"), key=key + "up", disabled=locked or j == 0, icon=":material/arrow_upward:",
                  on_click=_reshape, args=(lambda s: _move(s[i]["choices"], j, -1),), type="tertiary")
        down.button(t("editor.choice_down"), key=key + "down", disabled=locked or j == len(step["choices"]) - 1,
                    icon=":material/arrow_downward:", type="tertiary",
                    on_click=_reshape, args=(lambda s: _move(s[i]["choices"], j, 1),))
        remove.button(t("editor.choice_remove"), key=key + "remove", disabled=locked or len(step["choices"]) <= 1,
                      icon=":material/delete:", type="tertiary",
                      on_click=_reshape, args=(lambda s: s[i]["choices"].pop(j),))


def _step(form: dict, i: int, problems: list[Problem], locked: bool) -> None:
    steps = form["steps"]
    step = steps[i]
    key = f"{W}s{i}-"
    title = t("editor.step_start" if i == 0 else "editor.step_n", n=i + 1, id=plain(step["id"] or "?"))
    with st.expander(title, expanded=True):
        step["id"] = st.text_input(t("editor.step_id"), value=step["id"], max_chars=60, help=t("editor.step_id_help"),
                                   disabled=locked, key=key + "id")
        step["text"] = st.text_area(t("editor.step_text"), value=step["text"], max_chars=4000,
                                    help=t("editor.step_text_help"), disabled=locked, key=key + "text")
        inline_problems(problems_at(problems, f"steps[{i}]", exclude=f"steps[{i}].choices["))
        for j in range(len(step["choices"])):
            _choice(form, i, j, problems, locked)
        row = st.container(horizontal=True)
        add = up = down = remove = row
        add.button(t("editor.choice_add"), key=key + "add", disabled=locked or len(step["choices"]) >= MAX_CHOICES,
                   icon=":material/add:", on_click=_reshape, args=(lambda s: s[i]["choices"].append(_new_choice()),))
        up.button(t("editor.step_up"), key=key + "up", disabled=locked or i == 0, icon=":material/arrow_upward:",
                  on_click=_reshape, args=(lambda s: _move(s, i, -1),))
        down.button(t("editor.step_down"), key=key + "down", disabled=locked or i == len(steps) - 1,
                    icon=":material/arrow_downward:", on_click=_reshape, args=(lambda s: _move(s, i, 1),))
        remove.button(t("editor.step_remove"), key=key + "remove", disabled=locked or len(steps) <= 1,
                      icon=":material/delete:", on_click=_reshape, args=(lambda s: s.pop(i),))


def _diagram(form: dict) -> None:
    st.subheader(t("diagram.title"))
    st.graphviz_chart(quiz_dot(data_from_form(form)), width="stretch")
    st.caption(t("diagram.legend"))


# --- the page --------------------------------------------------------------------------
def _save(service: AuthoringService, user, draft: Draft, ws: dict) -> None:
    after_save(run_action(lambda: service.save_quiz(user, draft.item_id, data_from_form(ws["form"]), ws["revision"])),
               ws, FRAME)


def render() -> None:
    user = require(Role.AUTHOR, Role.ADMIN)
    st.title(t("editor.quiz_title"))
    service = authoring()
    draft = choose_draft(service, user, Kind.QUIZ)
    if draft is None:
        return
    item_id = draft.item_id
    ws = FRAME.working(draft)
    locked = draft.status == DraftStatus.REVIEW
    editor_header(service, user, draft, ws, FRAME)
    form = ws["form"]
    files: Files = quiz_files(item_id, data_from_form(form), ws["saved"])
    quiz, problems = check_files(Kind.QUIZ, item_id, files)
    dirty = files != draft.files
    if save_row(dirty=dirty, disabled=locked):
        _save(service, user, draft, ws)
    all_problems(problems)
    edit, play, send, changes = st.tabs([t("editor.tab_edit"), t("editor.tab_preview"), t("editor.tab_send"),
                                         t("editor.tab_history")])
    with edit:
        form_col, diagram_col = st.columns(2)
        with form_col:
            _top_fields(form, problems, locked)
            for i in range(len(form["steps"])):
                _step(form, i, problems, locked)
            st.button(t("editor.step_add"), key=W + "add-step", icon=":material/add:",
                      disabled=locked or len(form["steps"]) >= MAX_STEPS, on_click=_reshape, args=(_add_step,))
        with diagram_col:
            _diagram(form)
    with play:
        if quiz is None:
            st.info(t("editor.preview_fix_first"), icon=":material/info:")
        else:
            preview_quiz(f"quiz-{item_id}", quiz)
    with send:
        workflow(service, user, draft, problems, dirty, FRAME.reload)
    with changes:
        changes_tab(service, user, draft)
