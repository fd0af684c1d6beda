"""Authoring: every module and scenario with status and version; create, export, import."""

from __future__ import annotations

import streamlit as st

from learning.content.bundle import MAX_UPLOAD_BYTES, Kind, slugify
from learning.content.problems import ContentError
from learning.formatting import plain
from learning.i18n import t
from learning.records import Role
from learning.services.authoring import AuthoringService, ItemStatus, ItemSummary, TranslationStatus
from learning.ui.authoring import EDITOR_PAGE, action_button, history, kind_label, status_label, when
from learning.ui.components import run_action
from learning.ui.context import authoring
from learning.ui.interop import scorm_download
from learning.ui.list_view import table_or_cards
from learning.ui.pages import go
from learning.ui.session import require
from learning.ui.translation_editor import language_name


def _table(items: list[ItemSummary]) -> None:
    rows = [{
        t("author.col_kind"): kind_label(i.kind),
        t("author.col_title"): i.title,
        t("author.col_id"): i.item_id,
        t("author.col_status"): status_label(i.status),
        t("author.col_version"): i.published_version,
        t("author.col_source"): t("author.source_built_in") if i.built_in else t("author.source_authored"),
        t("author.col_changed"): f"{i.draft.updated_by_name}, {when(i.draft.updated_at)}" if i.draft else "",
    } for i in items]
    title = t("author.col_title")
    table_or_cards([{title: row[title], **row} for row in rows], key="author-items",  # cards: the title first
                   table=lambda: st.dataframe(rows, hide_index=True, width="stretch"))


def _translations(service: AuthoringService, user) -> list[TranslationStatus]:
    """Per item and language: translated, missing or out of date, so an author knows what to do."""
    statuses = service.translation_status(user)
    st.header(t("translate.status_title"))
    st.caption(t("translate.status_help"))
    rows: dict[tuple, dict] = {}
    for status in statuses:
        row = rows.setdefault((status.kind, status.item_id), {
            t("author.col_kind"): kind_label(status.kind), t("translate.col_item"): status.title,
            t("author.col_version"): status.source_version})
        state = t(f"translate.state_{status.state.value}")
        if status.draft is not None:
            state = t("translate.state_with_draft", state=state, draft=status_label(status.draft))
        row[t("translate.col_state", language=t(f"translate.language_{status.language}"))] = state
    table = list(rows.values())
    item = t("translate.col_item")
    table_or_cards([{item: row[item], **row} for row in table], key="author-translations",  # cards: the title first
                   table=lambda: st.dataframe(table, hide_index=True, width="stretch"))
    return statuses


def _translate_buttons(item: ItemSummary, statuses: list[TranslationStatus]) -> None:
    """Open the item's translation in the editor, one button per language that needs work."""
    mine = [s for s in statuses if (s.kind, s.item_id) == (item.kind, item.item_id)]
    if not mine:
        return
    row = st.container(horizontal=True)
    for status in mine:
        label = t("translate.open", language=language_name(status.language),
                  state=t(f"translate.state_{status.state.value}").lower())
        if row.button(label, key=f"author-translate-{status.language}", icon=":material/translate:"):
            go(EDITOR_PAGE[item.kind], id=item.item_id, tekst=status.language)


def _create(service: AuthoringService, user) -> None:
    with st.form("author-new", clear_on_submit=False):
        st.header(t("author.new_title"))
        kind = st.radio(t("author.new_kind"), list(Kind), format_func=kind_label, horizontal=True,
                        key="author-new-kind", index=1)
        title = st.text_input(t("author.new_name"), max_chars=200, key="author-new-title")
        item_id = st.text_input(t("author.new_id"), max_chars=60, help=t("author.new_id_help"), key="author-new-id")
        if st.form_submit_button(t("author.create"), type="primary", icon=":material/add:"):
            item_id = item_id.strip() or slugify(title)
            draft = run_action(lambda: service.create(user, kind, item_id, title))
            if draft:
                go(EDITOR_PAGE[kind], id=draft.item_id)


def _item_actions(service: AuthoringService, user, item: ItemSummary,
                  statuses: list[TranslationStatus] | None = None) -> None:
    st.header(t("author.selected", kind=kind_label(item.kind), title=plain(item.title)))
    left, middle, right = st.columns(3)
    if item.status == ItemStatus.WITHDRAWN:
        _lifecycle(service, user, item)
        st.markdown(t("author.history"))
        history(service, user, item.kind, item.item_id)
        return
    with left:
        opened = action_button(t("author.open_editor"),
                               lambda: item.draft or service.edit(user, item.kind, item.item_id),
                               key="author-open", type="primary", icon=":material/edit:")
    if opened:
        go(EDITOR_PAGE[item.kind], id=item.item_id)
    if item.published_version is not None:
        payload = run_action(lambda: service.export_zip(user, item.kind, item.item_id))
        if payload:
            middle.download_button(t("author.export"), payload, file_name=f"{item.item_id}.zip",
                                   mime="application/zip", icon=":material/download:", on_click="ignore",
                                   key="author-export", help=t("author.export_help"))
    if item.draft is not None and not service.check(user, item.draft)[1]:
        payload = run_action(lambda: service.export_zip(user, item.kind, item.item_id, draft=True))
        if payload:
            right.download_button(t("author.export_draft"), payload, file_name=f"{item.item_id}-utkast.zip",
                                  mime="application/zip", icon=":material/download:", on_click="ignore",
                                  key="author-export-draft")
    _translate_buttons(item, statuses or [])
    _lifecycle(service, user, item)
    st.markdown(t("author.history"))
    history(service, user, item.kind, item.item_id)


def _lifecycle(service: AuthoringService, user, item: ItemSummary) -> None:
    """Withdraw from learners, or a draft from an earlier version: both go to another author for approval."""
    if item.draft is not None:
        return  # one open draft per item: finish or discard it first
    earlier = [e.version for e in service.history(user, item.kind, item.item_id)
               if not e.withdrawn and e.version != item.published_version]
    if item.status != ItemStatus.PUBLISHED and not earlier:
        return
    with st.expander(t("lifecycle.title"), icon=":material/history:"):
        if earlier:
            st.markdown(f"**{t('lifecycle.rollback_title')}**")
            st.caption(t("lifecycle.rollback_help"))
            version = st.selectbox(t("lifecycle.rollback_pick"), earlier, key="author-rollback-version",
                                   format_func=lambda v: t("lifecycle.rollback_item", version=v))
            if action_button(t("lifecycle.rollback"), lambda: service.restore(user, item.kind, item.item_id, version),
                             key="author-rollback", icon=":material/restore:"):
                go(EDITOR_PAGE[item.kind], id=item.item_id)
        if item.status == ItemStatus.PUBLISHED:
            st.markdown(f"**{t('lifecycle.withdraw_title')}**")
            st.caption(t("lifecycle.withdraw_help"))
            reason = st.text_area(t("lifecycle.reason"), max_chars=1000, key="author-withdraw-reason")
            if action_button(t("lifecycle.withdraw"),
                             lambda: service.request_withdrawal(user, item.kind, item.item_id, reason),
                             key="author-withdraw-request", icon=":material/visibility_off:"):
                st.session_state["author-home-flash"] = t("lifecycle.requested")
                st.rerun()


def _import(service: AuthoringService, user) -> None:
    with st.container(border=True):
        st.header(t("author.import_title"))
        st.caption(t("author.import_help", kb=MAX_UPLOAD_BYTES // 1000))
        upload = st.file_uploader(t("author.import_file"), type=["zip"], key="author-import-file")
        if st.button(t("author.import"), disabled=upload is None, icon=":material/upload:", key="author-import"):
            try:
                drafts = run_action(lambda: service.import_zip(user, upload.getvalue(), upload.name))
            except ContentError as exc:
                st.error(t("author.import_failed", n=len(exc.problems)), icon=":material/error:")
                st.code("\n".join(str(p) for p in exc.problems), language=None, wrap_lines=True)
                return
            if drafts:
                st.success(t("author.imported", n=len(drafts),
                             items=", ".join(f"{kind_label(d.kind)} {d.item_id}" for d in drafts)))


def render() -> None:
    user = require(Role.AUTHOR, Role.ADMIN)
    st.title(t("author.title"))
    st.caption(t("author.intro"))
    service = authoring()
    flash = st.session_state.pop("author-home-flash", None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    waiting = service.review_queue(user)
    if waiting:
        st.info(t("author.waiting", n=len(waiting)), icon=":material/rate_review:")
    items = service.items(user)
    _table(items)
    statuses = _translations(service, user)
    ids = [f"{i.kind.value}:{i.item_id}" for i in items]
    labels = {f"{i.kind.value}:{i.item_id}": f"{kind_label(i.kind)}: {i.title} ({i.item_id})" for i in items}
    chosen = st.selectbox(t("author.choose"), ids, index=None, format_func=labels.get,
                          placeholder=t("editor.pick_placeholder"), key="author-choose")
    if chosen:
        _item_actions(service, user, next(i for i in items if f"{i.kind.value}:{i.item_id}" == chosen), statuses)
    st.divider()
    create, upload = st.columns(2)
    with create:
        _create(service, user)
    with upload:
        _import(service, user)
    scorm_download(user)
