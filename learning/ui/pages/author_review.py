"""Review: another author reads the changes, tries the draft, then approves or sends it back."""

from __future__ import annotations

import streamlit as st

from learning.content.bundle import Kind
from learning.content.models import Module, Quiz
from learning.formatting import plain
from learning.i18n import t, using_language
from learning.records import Role
from learning.services.authoring import AuthoringService, Draft, is_own
from learning.services.authoring.drafts import DraftAction
from learning.ui.authoring import action_button, base_changed_warning, checklist, draft_changes, kind_label, when
from learning.ui.context import authoring
from learning.ui.preview import preview_module, preview_quiz
from learning.ui.session import require
from learning.ui.translation_editor import language_name

FLASH = "author-review-flash"


def _preview(service: AuthoringService, user, draft: Draft, model: Module | Quiz | None) -> None:
    if draft.language and model is not None:  # a translation: as its learners see it
        st.caption(t("translate.preview_as", language=language_name(draft.language)))
        quiz = service.quiz_in_language(user, model.meta.quiz, draft.language) \
            if isinstance(model, Module) and model.meta.quiz else None
        with using_language(draft.language):
            if isinstance(model, Quiz):
                preview_quiz(f"review-quiz-{draft.key}-{draft.revision}", model)
            else:
                preview_module(f"review-module-{draft.key}-{draft.revision}", model, quiz)
    elif model is None:
        st.info(t("editor.preview_fix_first"), icon=":material/info:")
    elif isinstance(model, Quiz):
        preview_quiz(f"review-quiz-{draft.item_id}-{draft.revision}", model)
    else:
        quiz = None
        if model.meta.quiz:
            quiz_draft = service.draft(user, Kind.QUIZ, model.meta.quiz)
            found = service.check(user, quiz_draft)[0] if quiz_draft else None
            quiz = found if isinstance(found, Quiz) else service.published_quiz(user, model.meta.quiz)
        preview_module(f"review-module-{draft.item_id}-{draft.revision}", model, quiz)


def _decide(service: AuthoringService, user, draft: Draft, has_problems: bool) -> None:
    own = is_own(user, draft)
    with st.container(border=True):
        st.header(t("review.decide"))
        if own:
            st.info(t("review.own_draft"), icon=":material/block:")
        comment = st.text_area(t("review.comment"), max_chars=2000, help=t("review.comment_help"),
                               key=f"review-comment-{draft.key}", disabled=own)
        left, right = st.columns(2)
        with left:
            withdraw = draft.action == DraftAction.WITHDRAW
            version = action_button(t("lifecycle.approve_withdraw" if withdraw else "review.approve"),
                                    lambda: service.approve(user, draft.kind, draft.item_id, draft.revision,
                                                            language=draft.language),
                                    key=f"review-approve-{draft.key}", type="primary", disabled=own or has_problems,
                                    icon=":material/verified:")
        with right:
            sent = action_button(t("review.send_back"),
                                 lambda: service.send_back(user, draft.kind, draft.item_id, comment, draft.revision,
                                                           language=draft.language),
                                 key=f"review-back-{draft.key}", disabled=own, icon=":material/reply:")
    if version and draft.language:
        st.session_state[FLASH] = t("translate.approved", language=language_name(draft.language), title=draft.title,
                                    version=version.version)
        st.rerun()
    if version:
        st.session_state[FLASH] = (t("lifecycle.approved_withdraw", title=draft.title) if version.withdrawn else
                                   t("review.approved", kind=kind_label(draft.kind), title=draft.title,
                                     version=version.version))
        st.rerun()
    if sent:
        st.session_state[FLASH] = t("review.sent_back", title=draft.title)
        st.rerun()


def _kind(draft: Draft) -> str:
    """«Modul», or «Modul (omsetjing til nynorsk)» for a translation."""
    if not draft.language:
        return kind_label(draft.kind)
    return f"{kind_label(draft.kind)} ({t('translate.review_language', language=language_name(draft.language))})"


def render() -> None:
    user = require(Role.AUTHOR, Role.ADMIN)
    st.title(t("review.title"))
    st.caption(t("review.intro"))
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(plain(flash), icon=":material/check_circle:")
    service = authoring()
    queue = service.review_queue(user)
    if not queue:
        st.info(t("review.empty"))
        return
    keys = [d.key for d in queue]
    labels = {d.key: t("review.item", kind=_kind(d), title=d.title, id=d.item_id,
                       name=d.submitted_by_name, when=when(d.submitted_at)) for d in queue}
    chosen = st.selectbox(t("review.pick"), keys, format_func=labels.get, key="review-pick")
    draft = next(d for d in queue if d.key == chosen)
    if draft.action == DraftAction.WITHDRAW:
        st.markdown(t("lifecycle.review_withdraw", text=plain(draft.provenance)))
    else:
        st.markdown(t("review.provenance", text=plain(draft.provenance)))
    base_changed_warning(service, user, draft)
    model, problems = service.check(user, draft)
    checklist(problems, done=t("write.review_ok"))
    changes, play = st.tabs([t("review.tab_changes"), t("review.tab_preview")])
    with changes:
        if draft.action == DraftAction.WITHDRAW:
            st.info(t("lifecycle.review_withdraw_effect"), icon=":material/visibility_off:")
        elif draft.language:
            st.code(service.translation_changes(user, draft) or t("translate.changes_none"), language="diff",
                    wrap_lines=True)
        else:
            draft_changes(service, user, draft)
    with play:
        _preview(service, user, draft, model)
    _decide(service, user, draft, bool(problems))
