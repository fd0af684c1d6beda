"""Scenario editor: one part at a time (the scenario, then each step), found by name.

The form's fields become the scenario's YAML, which is checked by the same loader as
``quizzes/*.yaml`` on every change. A new draft shows a calm checklist of what is still
missing; a field shows its problem beside it once the author has changed it, left its
step, or tried to send. Steps are chosen by their name; their ids are made from the
name until the step is first saved, and then stay. The form is kept in the store
(autosave), so a sign-out or an idle timeout loses nothing.
"""

from __future__ import annotations

import secrets

import streamlit as st

from learning.content.bundle import Files, Kind, load_data, quiz_path, unique_slug
from learning.content.diagram import quiz_dot
from learning.content.models import MAX_STEPS, RENAMED_TAGS, ServiceArea, Tag
from learning.content.problems import Problem
from learning.formatting import plain
from learning.i18n import t
from learning.records import Role
from learning.services.authoring import AuthoringService, Draft, DraftStatus, check_files, quiz_files
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
from learning.ui.components import area_label, run_action
from learning.ui.context import authoring
from learning.ui.editor_state import EditorFrame
from learning.ui.preview import preview_quiz
from learning.ui.problem_words import say
from learning.ui.quality import scenario_hints
from learning.ui.session import require
from learning.ui.translation_editor import render_translation

STATE = "author-quiz-state"
FLASH = "author-quiz-flash"
W = "q-"  # prefix of every widget key in the form
SETTINGS = [a.value for a in ServiceArea]
TAGS = [tag.value for tag in Tag]
MAX_CHOICES = 4
ABOUT = -1  # the navigator's entry for the scenario's own fields
NEAR_FROM = 5  # from this many steps the diagram shows the step being edited and its neighbours
NEW_STEP = "__new__"
QUIZ_FIELDS = (("title", "title"), ("intro", "intro"), ("setting", "setting"), ("pass_percent", "pass"))
STEP_FIELDS = ("title", "text")
CHOICE_FIELDS = ("text", "feedback", "points", "next", "tags", "critical", "critical_reason")


# --- the form's state: plain dicts, read from and written to the YAML's fields -------
def _str(value: object) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _uid() -> str:
    return secrets.token_hex(4)


def _new_choice() -> dict:
    return {"uid": _uid(), "text": "", "feedback": "", "points": 0, "next": None, "tags": [], "critical": False,
            "critical_reason": ""}


def _new_step() -> dict:
    return {"uid": _uid(), "id": "", "fixed": False, "title": "", "text": "",
            "choices": [_new_choice(), _new_choice()]}


def form_from_data(raw: dict, item_id: str) -> dict:
    """The form for a scenario's fields; every step read from a file keeps its id."""
    steps = []
    for step in raw.get("steps") if isinstance(raw.get("steps"), list) else []:
        step = step if isinstance(step, dict) else {}
        choices = []
        for choice in step.get("choices") if isinstance(step.get("choices"), list) else []:
            choice = choice if isinstance(choice, dict) else {}
            tags = choice.get("tags") if isinstance(choice.get("tags"), list) else []
            choices.append({"uid": _uid(), "text": _str(choice.get("text")), "feedback": _str(choice.get("feedback")),
                            "points": _int(choice.get("points"), 0),
                            "next": choice.get("next") if isinstance(choice.get("next"), str) else None,
                            "tags": [t for t in (RENAMED_TAGS.get(tag, tag) for tag in tags) if t in TAGS],
                            "critical": choice.get("critical") is True,
                            "critical_reason": _str(choice.get("critical_reason"))})
        steps.append({"uid": _uid(), "id": _str(step.get("id")), "fixed": True, "title": _str(step.get("title")),
                      "text": _str(step.get("text")), "choices": choices})
    setting = raw.get("setting")
    return {"id": item_id, "title": _str(raw.get("title")), "intro": _str(raw.get("intro")),
            "setting": setting if setting in SETTINGS else None, "version": _int(raw.get("version"), 1),
            "pass_percent": _int(raw.get("pass_percent"), 70), "steps": steps}


def data_from_form(form: dict) -> dict:
    """The YAML's fields, written as in the files (no empty ``title``, ``next`` or ``tags``)."""
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
        out_step = {"id": step["id"]}
        if step.get("title", "").strip():
            out_step["title"] = step["title"]
        steps.append({**out_step, "text": step["text"], "choices": choices})
    data["steps"] = steps
    return data


def name_steps(form: dict) -> None:
    """Give every step not yet saved an id made from its name; links to it follow.

    A saved step's id never changes (learners' attempts and other links use it), so a
    new name later changes only what authors see.
    """
    steps = form["steps"]
    taken = {s["id"] for s in steps if s.get("fixed")}
    renamed: dict[str, str] = {}
    for n, step in enumerate(steps, start=1):
        if step.get("fixed"):
            continue
        new_id = unique_slug(step.get("title", ""), taken, f"steg-{n}")
        if step["id"] and step["id"] != new_id:
            renamed[step["id"]] = new_id
        step["id"] = new_id
    if renamed:
        for step in steps:
            for choice in step["choices"]:
                if choice["next"] in renamed:
                    choice["next"] = renamed[choice["next"]]


def fix_ids(form: dict) -> None:
    """After a save: every step's id is now stored, so it stays."""
    for step in form["steps"]:
        step["fixed"] = True


def step_label(form: dict, index: int) -> str:
    step = form["steps"][index]
    return step.get("title", "").strip() or (step["id"] if step.get("fixed") else "") or t("write.untitled_step")


# --- widgets <-> form ----------------------------------------------------------------------
def _sync(ws: dict) -> None:
    """Copy the widgets' current values into the form state; a changed value marks its field touched."""
    state, form, touched = st.session_state, ws["form"], ws["touched"]

    def take(target: dict, field: str, key: str, uid: str) -> None:
        if key in state and state[key] != target[field]:
            if not (field == "next" and (state[key] or None) == target[field]):
                touched.add((uid, field))
            target[field] = state[key]

    for field, key in QUIZ_FIELDS:
        take(form, field, W + key, "quiz")
    known = {None, *(step["id"] for step in form["steps"])}
    for i, step in enumerate(form["steps"]):
        for field in STEP_FIELDS:
            take(step, field, f"{W}s{i}-{field}", step["uid"])
        for j, choice in enumerate(step["choices"]):
            for field in CHOICE_FIELDS:
                take(choice, field, f"{W}s{i}-c{j}-{field}", choice["uid"])
            if choice["next"] == NEW_STEP or choice["next"] not in known:
                choice["next"] = None if choice["next"] == NEW_STEP else _id_for_label(form, choice["next"])
    name_steps(form)


def _id_for_label(form: dict, value: object) -> str | None:
    """The step a «Neste steg» label names (a browser may send the label shown, not the id)."""
    if not isinstance(value, str) or not value:
        return None
    for n, step in enumerate(form["steps"]):
        if value in (step["id"], t("write.next_step", n=n + 1, title=step_label(form, n))):
            return step["id"]
    return value if value not in (t("editor.next_end"), t("write.next_new")) else None


def _form_from_draft(draft: Draft) -> dict:
    return form_from_data(load_data(draft.files.get(quiz_path(draft.item_id), "")), draft.item_id)


def _files_from_form(form: dict, saved: Files) -> Files:
    return quiz_files(form["id"], data_from_form(form), saved)


FRAME = EditorFrame(STATE, FLASH, W, _form_from_draft, _files_from_form, _sync, start_at=ABOUT)


def _reshape(change) -> None:
    """A button callback: change the steps or choices, and redraw the widgets from the state."""
    def apply(ws: dict) -> None:
        change(ws)
        name_steps(ws["form"])
        ws["current"] = max(ABOUT, min(ws["current"], len(ws["form"]["steps"]) - 1))

    FRAME.reshape(apply)


def _add_step(ws: dict) -> None:
    ws["form"]["steps"].append(_new_step())
    _leave(ws)
    ws["current"] = len(ws["form"]["steps"]) - 1


def _move(items: list, index: int, delta: int) -> None:
    other = index + delta
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]


def _move_step(ws: dict, delta: int) -> None:
    i = ws["current"]
    if 0 <= i + delta < len(ws["form"]["steps"]):
        _move(ws["form"]["steps"], i, delta)
        ws["current"] = i + delta


def _leave(ws: dict) -> None:
    """The author leaves the part shown: its empty fields may now say what they miss."""
    current = ws["current"]
    if current == ABOUT:
        ws["touched"].add(("quiz", "*"))
    elif 0 <= current < len(ws["form"]["steps"]):
        step = ws["form"]["steps"][current]
        ws["touched"].add((step["uid"], "*"))
        ws["touched"].update((c["uid"], "*") for c in step["choices"])


def _navigate(target: int) -> None:
    """A navigator button: leave the part shown, show ``target``."""
    ws = FRAME.state()
    FRAME.sync(ws)
    _leave(ws)
    ws["current"] = target
    FRAME.clear_widgets()


def _new_step_from(i: int, j: int) -> None:
    """«Neste steg: ➕ Nytt steg»: add a step and lead this choice to it."""
    ws = FRAME.state()
    FRAME.sync(ws)
    form = ws["form"]
    step = _new_step()
    form["steps"].append(step)
    name_steps(form)
    form["steps"][i]["choices"][j]["next"] = step["id"]
    _leave(ws)
    ws["current"] = len(form["steps"]) - 1
    FRAME.clear_widgets()


# --- which problems show where ---------------------------------------------------------
def owner(form: dict, loc: tuple) -> tuple[str, str]:
    """(uid, field) of the form part a problem's location points into."""
    if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int) and loc[1] < len(form["steps"]):
        step = form["steps"][loc[1]]
        if len(loc) >= 4 and loc[2] == "choices" and isinstance(loc[3], int) and loc[3] < len(step["choices"]):
            return step["choices"][loc[3]]["uid"], str(loc[4]) if len(loc) > 4 else "*"
        return step["uid"], str(loc[2]) if len(loc) > 2 else "*"
    return "quiz", str(loc[0]) if loc else "*"


def visible(ws: dict, problem: Problem) -> bool:
    """Show a problem at its field once the author changed the field, left its part, or tried to send."""
    if ws["tried"]:
        return True
    uid, field = owner(ws["form"], problem.loc)
    touched = ws["touched"]
    related = {field, "critical"} if field == "critical_reason" else {field}
    if field == "critical":
        related.add("critical_reason")
    return (uid, "*") in touched or any((uid, f) in touched for f in related)


def _at(problems: list[Problem], *prefix: object, exclude: tuple | None = None) -> list[Problem]:
    n = len(prefix)
    return [p for p in problems if tuple(p.loc[:n]) == prefix
            and not (exclude and tuple(p.loc[:len(exclude)]) == exclude)]


def _note(ws: dict, problems: list[Problem]) -> None:
    shown_problems([p for p in problems if visible(ws, p)], say=lambda p: say(p, with_place=False))


# --- the form ------------------------------------------------------------------------
def _about(ws: dict, problems: list[Problem], locked: bool) -> None:
    form = ws["form"]
    st.subheader(t("write.nav_about"))
    form["title"] = st.text_input(t("editor.quiz_name"), value=form["title"], max_chars=200, disabled=locked,
                                  key=W + "title")
    _note(ws, _at(problems, "title"))
    form["intro"] = st.text_area(t("editor.intro"), value=form["intro"], max_chars=4000, disabled=locked,
                                 help=t("editor.intro_help"), key=W + "intro")
    _note(ws, _at(problems, "intro"))
    left, right = st.columns(2)
    form["setting"] = left.selectbox(
        t("editor.setting"), SETTINGS, index=SETTINGS.index(form["setting"]) if form["setting"] else None,
        format_func=lambda v: area_label(ServiceArea(v)), placeholder=t("editor.setting_placeholder"),
        disabled=locked, key=W + "setting")
    form["pass_percent"] = right.number_input(t("editor.pass_percent"), min_value=1, max_value=100, step=1,
                                              value=form["pass_percent"], help=t("editor.pass_percent_help"),
                                              disabled=locked, key=W + "pass")
    _note(ws, _at(problems, "setting") + _at(problems, "pass_percent") + _at(problems, "id")
          + [p for p in _at(problems, "steps") if len(p.loc) == 1])
    st.caption(t("editor.id") + ": " + form["id"] + " · " + t("editor.id_fixed"))


def _next_options(form: dict, own: int, current: str | None) -> list[str]:
    ids = [s["id"] for n, s in enumerate(form["steps"]) if n != own and s["id"]]
    options = ["", *dict.fromkeys(ids)]
    if current and current not in options:
        options.append(current)
    return [*options, NEW_STEP] if len(form["steps"]) < MAX_STEPS else options


def _next_label(form: dict, value: str) -> str:
    if not value:
        return t("editor.next_end")
    if value == NEW_STEP:
        return t("write.next_new")
    for n, step in enumerate(form["steps"]):
        if step["id"] == value:
            return t("write.next_step", n=n + 1, title=step_label(form, n))
    return t("editor.next_unknown", id=value)


def _choice(ws: dict, i: int, j: int, problems: list[Problem], locked: bool) -> None:
    form = ws["form"]
    step = form["steps"][i]
    choice = step["choices"][j]
    key = f"{W}s{i}-c{j}-"
    mine = _at(problems, "steps", i, "choices", j)
    with st.container(border=True):
        st.markdown(t("editor.choice_n", n=j + 1))
        choice["text"] = st.text_input(t("editor.choice_text"), value=choice["text"], max_chars=200,
                                       disabled=locked, key=key + "text")
        _note(ws, [p for p in mine if p.loc[4:5] == ("text",)])
        choice["feedback"] = st.text_area(t("editor.feedback"), value=choice["feedback"], max_chars=4000,
                                          help=t("editor.feedback_help"), disabled=locked, key=key + "feedback")
        _note(ws, [p for p in mine if p.loc[4:5] == ("feedback",)])
        options = _next_options(form, i, choice["next"])
        a, b, c = st.columns([1, 2, 3])
        choice["points"] = a.number_input(t("editor.points"), min_value=0, max_value=10, step=1,
                                          value=choice["points"], disabled=locked, key=key + "points")
        choice["next"] = b.selectbox(
            t("editor.next"), options, index=options.index(choice["next"] or ""), disabled=locked,
            format_func=lambda v: _next_label(form, v), key=key + "next",
            on_change=lambda: _new_step_from(i, j) if st.session_state.get(key + "next") == NEW_STEP else None,
        ) or None
        choice["tags"] = c.multiselect(t("editor.tags"), TAGS, default=choice["tags"], max_selections=3,
                                       help=t("editor.tags_help"), disabled=locked, key=key + "tags")
        choice["critical"] = st.checkbox(t("editor.critical"), value=choice["critical"], help=t("editor.critical_help"),
                                         disabled=locked, key=key + "critical")
        if choice["critical"]:
            choice["critical_reason"] = st.text_input(t("editor.critical_reason"), value=choice["critical_reason"],
                                                      max_chars=200, help=t("editor.critical_reason_help"),
                                                      disabled=locked, key=key + "critical_reason")
        _note(ws, [p for p in mine if p.loc[4:5] not in (("text",), ("feedback",))])
        row = st.container(horizontal=True)
        row.button(t("editor.choice_up"), key=key + "up", disabled=locked or j == 0, icon=":material/arrow_upward:",
                   on_click=_reshape, args=(lambda w: _move(w["form"]["steps"][i]["choices"], j, -1),),
                   type="tertiary")
        row.button(t("editor.choice_down"), key=key + "down", disabled=locked or j == len(step["choices"]) - 1,
                   icon=":material/arrow_downward:", type="tertiary",
                   on_click=_reshape, args=(lambda w: _move(w["form"]["steps"][i]["choices"], j, 1),))
        row.button(t("editor.choice_remove"), key=key + "remove", disabled=locked or len(step["choices"]) <= 2,
                   icon=":material/delete:", type="tertiary",
                   on_click=_reshape, args=(lambda w: w["form"]["steps"][i]["choices"].pop(j),))


def _step(ws: dict, i: int, problems: list[Problem], locked: bool) -> None:
    form = ws["form"]
    steps = form["steps"]
    step = steps[i]
    key = f"{W}s{i}-"
    st.subheader(t("write.step_heading", n=i + 1, title=plain(step_label(form, i))))
    step["title"] = st.text_input(t("write.step_title"), value=step["title"], max_chars=200,
                                  help=t("write.step_title_help"), disabled=locked, key=key + "title")
    st.caption(t("write.step_id_shown" if step.get("fixed") else "write.step_id_new", id=step["id"]))
    step["text"] = st.text_area(t("editor.step_text"), value=step["text"], max_chars=4000,
                                help=t("editor.step_text_help"), disabled=locked, key=key + "text")
    _note(ws, _at(problems, "steps", i, exclude=("steps", i, "choices", )) + [
        p for p in _at(problems, "steps", i, "choices") if len(p.loc) == 3])
    for j in range(len(step["choices"])):
        _choice(ws, i, j, problems, locked)
    row = st.container(horizontal=True)
    row.button(t("editor.choice_add"), key=key + "add", disabled=locked or len(step["choices"]) >= MAX_CHOICES,
               icon=":material/add:", on_click=_reshape,
               args=(lambda w: w["form"]["steps"][i]["choices"].append(_new_choice()),))
    row.button(t("editor.step_up"), key=key + "up", disabled=locked or i == 0, icon=":material/arrow_upward:",
               on_click=_reshape, args=(lambda w: _move_step(w, -1),))
    row.button(t("editor.step_down"), key=key + "down", disabled=locked or i == len(steps) - 1,
               icon=":material/arrow_downward:", on_click=_reshape, args=(lambda w: _move_step(w, 1),))
    row.button(t("editor.step_remove"), key=key + "remove", disabled=locked or len(steps) <= 1,
               icon=":material/delete:", on_click=_reshape, args=(lambda w: w["form"]["steps"].pop(i),))


def _navigator(ws: dict, problems: list[Problem], locked: bool) -> None:
    """The list of parts, by name, with what each still misses; the diagram below it."""
    form = ws["form"]
    missing: dict[int, int] = {}
    for problem in problems:
        index = problem.loc[1] if problem.loc[:1] == ("steps",) and len(problem.loc) > 1 else ABOUT
        missing[index] = missing.get(index, 0) + 1

    def label(index: int) -> str:
        if index == ABOUT:
            text = t("write.nav_about")
        else:
            text = t("write.nav_step_start" if index == 0 else "write.nav_step", n=index + 1,
                     title=step_label(form, index))
        return t("write.nav_missing", label=text, n=missing[index]) if missing.get(index) else text

    st.markdown(f"**{t('write.nav')}**")
    for index in [ABOUT, *range(len(form["steps"]))]:
        here = index == ws["current"]
        st.button(label(index), key=f"{W}nav{index}", type="primary" if here else "secondary", width="stretch",
                  icon=":material/chevron_right:" if here else None, on_click=_navigate, args=(index,),
                  help=t("write.nav_here") if here else None)
    st.button(t("editor.step_add"), key=W + "add-step", icon=":material/add:",
              disabled=locked or len(form["steps"]) >= MAX_STEPS, on_click=_reshape, args=(_add_step,))
    data = data_from_form(form)
    current = ws["current"] if ws["current"] != ABOUT else None
    if current is not None and len(form["steps"]) > NEAR_FROM:
        st.caption(t("write.diagram_near"))
        st.graphviz_chart(quiz_dot(data, current, only_near=True), width="stretch")
        with st.expander(t("write.diagram_all")):
            st.graphviz_chart(quiz_dot(data, current), width="stretch")
    else:
        st.graphviz_chart(quiz_dot(data, current), width="stretch")
    st.caption(t("diagram.legend"))


# --- the page --------------------------------------------------------------------------
def _save(service: AuthoringService, user, draft: Draft, ws: dict) -> None:
    result = run_action(lambda: service.save_quiz(user, draft.item_id, data_from_form(ws["form"]), ws["revision"]))
    if result:
        fix_ids(ws["form"])
        run_action(lambda: service.drop_kept(user, Kind.QUIZ, draft.item_id))
        ws["kept"] = None
    after_save(result, ws, FRAME)


def render() -> None:
    user = require(Role.AUTHOR, Role.ADMIN)
    st.title(t("editor.quiz_title"))
    service = authoring()
    draft = choose_draft(service, user, Kind.QUIZ,
                         lambda item_id, language: render_translation(service, user, Kind.QUIZ, item_id, language))
    if draft is None:
        return
    item_id = draft.item_id
    ws = FRAME.working(draft, lambda: service.kept(user, Kind.QUIZ, item_id))
    locked = draft.status == DraftStatus.REVIEW
    form = ws["form"]
    files: Files = quiz_files(item_id, data_from_form(form), ws["saved"])
    if not locked:
        FRAME.autosave(ws, files,
                       lambda kept: service.keep(user, Kind.QUIZ, item_id, revision=ws["revision"], files=kept,
                                                 form=form),
                       lambda: service.drop_kept(user, Kind.QUIZ, item_id))
    quiz, problems = check_files(Kind.QUIZ, item_id, files)
    dirty = files != draft.files
    editor_header(service, user, draft, ws, FRAME)
    if save_bar(ws, dirty=dirty, disabled=locked, frame=FRAME, drop=lambda: service.drop_kept(user, Kind.QUIZ,
                                                                                              item_id)):
        _save(service, user, draft, ws)
    checklist(problems, done=t("write.checklist_done"), tried=ws["tried"])
    edit, play, send, changes = st.tabs([t("editor.tab_edit"), t("editor.tab_preview"), t("editor.tab_send"),
                                         t("editor.tab_history")])
    with edit:
        nav_col, form_col = st.columns([2, 3])
        with nav_col:
            _navigator(ws, problems, locked)
        with form_col:
            if ws["current"] == ABOUT or ws["current"] >= len(form["steps"]):
                _about(ws, problems, locked)
            else:
                _step(ws, ws["current"], problems, locked)
            scenario_hints(quiz)
    with play:
        if quiz is None:
            st.info(t("editor.preview_fix_first"), icon=":material/info:")
        else:
            preview_quiz(f"quiz-{item_id}", quiz)
    with send:
        workflow(service, user, draft, problems, dirty, FRAME.reload, ws=ws,
                 save=lambda: service.save_quiz(user, item_id, data_from_form(form), ws["revision"]))
    with changes:
        changes_tab(service, user, draft)

