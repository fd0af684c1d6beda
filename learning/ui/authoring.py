"""Pieces shared by the author pages: item picker, checklist, save bar, workflow, history."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from learning.content.bundle import Kind
from learning.content.problems import Problem
from learning.content.translations import SOURCE_LANGUAGE, TRANSLATED_LANGUAGES
from learning.formatting import fmt_date, local, plain
from learning.i18n import t
from learning.records import User
from learning.services.authoring import MIN_PROVENANCE, AuthoringService, Draft, DraftStatus, ItemStatus
from learning.ui.change_view import show_changes
from learning.ui.components import run_action
from learning.ui.editor_state import EditorFrame
from learning.ui.problem_words import say

EDITOR_PAGE = {Kind.QUIZ: "author_scenario", Kind.MODULE: "author_lesson"}


def kind_label(kind: Kind) -> str:
    return t(f"author.kind_{kind.value}")


def status_label(status: ItemStatus | DraftStatus) -> str:
    return t(f"author.status_{status.value}")


def when(moment) -> str:
    return f"{fmt_date(moment)} {local(moment):%H:%M}" if moment else ""


def shown_problems(problems: list[Problem], say: Callable[[Problem], str] = say) -> None:
    """Problems beside the field they are about, in plain words (each said once)."""
    for text in dict.fromkeys(say(problem) for problem in problems):
        st.warning(plain(text), icon=":material/edit_note:")


def checklist(problems: list[Problem], *, done: str, tried: bool = False) -> None:
    """What is still missing before the draft can go to review: a calm list, not errors."""
    if not problems:
        st.success(done, icon=":material/check_circle:")
        return
    if tried:
        st.warning(t("write.send_blocked"), icon=":material/arrow_upward:")
    items = list(dict.fromkeys(say(problem) for problem in problems))
    with st.expander(t("write.checklist_title", n=len(items)), expanded=True, icon=":material/checklist:"):
        st.caption(t("write.checklist_help"))
        box = st.container(height=220 if len(items) > 7 else "content", border=False)
        box.markdown("\n".join(f"- {plain(item)}" for item in items))


SAVE_BAR_CSS = """<style>
div[data-testid="stLayoutWrapper"]:has(> .st-key-author-savebar) { position: sticky; top: 0; z-index: 50; }
.st-key-author-savebar { background: #ffffff; padding: 0.75rem 0 0.5rem; border-bottom: 1px solid #767676; }
</style>"""  # sticky on the wrapper: the keyed container's own parent is only as tall as the bar


def save_bar(ws: dict, *, dirty: bool, disabled: bool, frame: EditorFrame, drop: Callable[[], object]) -> bool:
    """Save, and whether everything is saved or kept; it stays at the top while the author scrolls."""
    st.html(SAVE_BAR_CSS)
    with st.container(key="author-savebar"):
        if ws.get("restored"):
            st.info(t("write.restored", time=f"{local(ws['restored']):%H:%M}"), icon=":material/restore:")
            st.button(t("write.restored_drop"), key="author-drop-kept", icon=":material/delete:",
                      on_click=lambda: (drop(), frame.reload()))
        left, right = st.columns([1, 3], vertical_alignment="center")
        pressed = left.button(t("editor.save"), type="primary", icon=":material/save:", key="author-save",
                              disabled=disabled or not dirty, help=t("write.save_help"))
        if dirty and ws.get("kept_at"):
            right.caption(t("write.autosaved", time=f"{local(ws['kept_at']):%H:%M}"))
        else:
            right.caption(t("editor.unsaved") if dirty else t("editor.all_saved"))
    return pressed


def action_button(label: str, action: Callable[[], object], *, key: str, **options) -> object:
    """A button that runs a service call; the call's result when clicked and it succeeded."""
    return st.button(label, key=key, **options) and run_action(action)


def pick_item(service: AuthoringService, user: User, kind: Kind) -> str | None:
    """Choose which module or scenario to edit; remembered in the URL (?id=...)."""
    items = [i for i in service.items(user) if i.kind == kind]
    ids = [i.item_id for i in items]
    titles = {i.item_id: f"{i.title} ({i.item_id}) – {status_label(i.status)}" for i in items}
    wanted = st.query_params.get("id") or st.session_state.get(f"author-{kind.value}-id")
    index = ids.index(wanted) if wanted in ids else None
    chosen = st.selectbox(t(f"editor.pick_{kind.value}"), ids, index=index, format_func=lambda i: titles[i],
                          placeholder=t("editor.pick_placeholder"), key=f"author-pick-{kind.value}")
    if chosen:
        st.session_state[f"author-{kind.value}-id"] = chosen
        st.query_params["id"] = chosen
    return chosen


def text_language(kind: Kind) -> str:
    """The language the author writes in: bokmål (the source) or a translation; kept in the address (?tekst=nn)."""
    options = [SOURCE_LANGUAGE, *TRANSLATED_LANGUAGES]
    wanted = st.query_params.get("tekst") or st.session_state.get(f"author-{kind.value}-text-language")
    chosen = st.radio(t("translate.text_language"), options, index=options.index(wanted) if wanted in options else 0,
                      format_func=lambda code: t(f"translate.language_{code}"), horizontal=True,
                      help=t("translate.text_language_help"), key=f"author-text-language-{kind.value}")
    st.session_state[f"author-{kind.value}-text-language"] = chosen
    if chosen == SOURCE_LANGUAGE:
        st.query_params.pop("tekst", None)
    else:
        st.query_params["tekst"] = chosen
    return chosen


def start_editing(service: AuthoringService, user: User, kind: Kind, item_id: str) -> None:
    """No open draft: offer to copy what learners see now into a new draft."""
    st.info(t("editor.no_draft"), icon=":material/info:")
    if action_button(t("editor.start_edit"), lambda: service.edit(user, kind, item_id), key="author-start-edit",
                     type="primary", icon=":material/edit:"):
        st.rerun()


def status_box(service: AuthoringService, user: User, draft: Draft) -> None:
    line = t("editor.status_line", status=status_label(draft.status), name=plain(draft.updated_by_name),
             when=when(draft.updated_at))
    if draft.base_version:
        line += " " + t("editor.based_on", version=draft.base_version)
    st.caption(line)
    base_changed_warning(service, user, draft)
    for comment in draft.comments:
        st.warning(t("editor.comment", name=plain(comment.by_name), when=when(comment.at), text=plain(comment.text)),
                   icon=":material/comment:")


def base_changed_warning(service: AuthoringService, user: User, draft: Draft) -> None:
    if service.base_changed(user, draft):
        st.warning(t("editor.base_changed"), icon=":material/warning:")


def workflow(service: AuthoringService, user: User, draft: Draft, problems: list[Problem], dirty: bool,
             on_change: Callable[[], None], *, ws: dict | None = None,
             save: Callable[[], tuple[Draft, list[Problem]]] | None = None) -> None:
    """Send to review (with the provenance note), take back from review, or discard.

    Sending with something still missing marks every field's problem and points to the
    checklist; sending unsaved changes saves them first (``save``).
    """
    if draft.status == DraftStatus.REVIEW:
        st.info(t("editor.in_review", name=plain(draft.submitted_by_name)), icon=":material/hourglass_top:")
        st.caption(t("editor.provenance_shown", text=plain(draft.provenance)))
        if action_button(t("editor.withdraw"),
                         lambda: service.withdraw(user, draft.kind, draft.item_id, language=draft.language),
                         key="author-withdraw", icon=":material/undo:"):
            on_change()
            st.rerun()
        return
    with st.container(border=True):
        st.subheader(t("editor.submit_title"))
        st.caption(t("editor.submit_help", min=MIN_PROVENANCE))
        provenance = st.text_area(t("editor.provenance"), value=draft.provenance, max_chars=1000,
                                  help=t("editor.provenance_help"), key=f"author-provenance-{draft.key}")
        if problems:
            st.caption(t("editor.fix_first"))
        elif dirty and save is None:
            st.caption(t("editor.save_first"))
        blocked = dirty and save is None
        if st.button(t("editor.submit"), key="author-submit", type="primary", disabled=blocked,
                     icon=":material/send:"):
            if problems and ws is not None:
                ws["tried"] = True
                st.rerun()
            elif _send(service, user, draft, provenance, dirty, save):
                on_change()
                st.rerun()
    with st.expander(t("editor.discard_title")):
        st.caption(t("editor.discard_help"))
        if action_button(t("editor.discard"), lambda: _discard(service, user, draft),
                         key="author-discard", icon=":material/delete:"):
            on_change()
            st.rerun()


def _send(service: AuthoringService, user: User, draft: Draft, provenance: str, dirty: bool,
          save: Callable[[], tuple[Draft, list[Problem]]] | None) -> object:
    def send():
        revision = draft.revision
        if dirty and save is not None:
            revision = save()[0].revision
            service.drop_kept(user, draft.kind, draft.item_id, draft.language)
        return service.submit(user, draft.kind, draft.item_id, provenance, revision, language=draft.language)

    return run_action(send)


def _discard(service: AuthoringService, user: User, draft: Draft) -> Draft:
    done = service.discard(user, draft.kind, draft.item_id, language=draft.language)
    service.drop_kept(user, draft.kind, draft.item_id, draft.language)
    return done


def history(service: AuthoringService, user: User, kind: Kind, item_id: str) -> None:
    """Every version, newest first, each with what changed as readable text."""
    entries = service.history(user, kind, item_id)
    if not entries:
        st.caption(t("history.none"))
        return
    for entry in entries:
        if entry.built_in:
            title = t("history.built_in", version=entry.version)
        else:
            title = t("history.entry", version=entry.version, when=when(entry.published_at),
                      approver=plain(entry.published_by), author=plain(entry.submitted_by))
        with st.expander(title):
            if entry.provenance:
                st.markdown(t("history.provenance", text=plain(entry.provenance)))
            if entry.withdrawn:
                st.info(t("diff.withdrawn"), icon=":material/visibility_off:")
            elif entry.raised_by_quiz:
                st.caption(t("diff.raised"))
            elif entry.built_in and not entry.diff:
                st.caption(t("history.built_in_text"))
            else:
                show_changes(kind, item_id, entry.old_files or {}, entry.files or {}, file_diff=entry.diff)


# --- the frame both editors share (state: ui/editor_state.py) ---------------------------
def choose_draft(service: AuthoringService, user: User, kind: Kind,
                 translate: Callable[[str, str], None] | None = None) -> Draft | None:
    """The editor's opening: pick a module or scenario and the language, then its open bokmål draft (or an
    offer to start one); a translation is drawn by ``translate(item_id, language)`` instead (None returned)."""
    item_id = pick_item(service, user, kind)
    if not item_id:
        st.info(t(f"editor.{kind.value}_choose"))
        return None
    language = text_language(kind) if translate is not None else SOURCE_LANGUAGE
    if language != SOURCE_LANGUAGE and translate is not None:
        translate(item_id, language)
        return None
    return open_draft(service, user, kind, item_id)


def open_draft(service: AuthoringService, user: User, kind: Kind, item_id: str) -> Draft | None:
    """The open draft, or an offer to start one (with the item's history) when there is none."""
    draft = service.draft(user, kind, item_id)
    if draft is None:
        start_editing(service, user, kind, item_id)
        with st.expander(t("editor.tab_history")):
            history(service, user, kind, item_id)
    return draft


def editor_header(service: AuthoringService, user: User, draft: Draft, ws: dict, frame: EditorFrame) -> None:
    """Last save's message, the draft's status and comments, and a warning if it changed elsewhere."""
    message = st.session_state.pop(frame.flash_key, None)
    if message:
        key, n = message
        (st.info if n else st.success)(t(key, n=n), icon=":material/save:")
    status_box(service, user, draft)
    if ws["revision"] != draft.revision:
        st.warning(t("editor.changed_elsewhere", name=plain(draft.updated_by_name)), icon=":material/sync_problem:")
        st.button(t("editor.reload"), on_click=frame.reload, key="author-reload", icon=":material/refresh:")


def after_save(result, ws: dict, frame: EditorFrame) -> None:
    """Remember the saved revision and files, say how it went, and redraw."""
    if result:
        saved, problems = result
        frame.saved(ws, saved, problems)
        st.rerun()


def draft_changes(service: AuthoringService, user: User, draft: Draft) -> None:
    """The draft against what learners see now, as readable text per part."""
    if draft.restored_from:
        st.caption(t("lifecycle.restored_from", version=draft.restored_from))
    show_changes(draft.kind, draft.item_id, service.published_files(user, draft.kind, draft.item_id) or {},
                 draft.files, file_diff=service.changes(user, draft))


def changes_tab(service: AuthoringService, user: User, draft: Draft) -> None:
    st.subheader(t("editor.changes_title"))
    draft_changes(service, user, draft)
    st.subheader(t("editor.history_title"))
    history(service, user, draft.kind, draft.item_id)
