"""Profile: name, e-mail and language, placement shown (an admin sets it), change password, download own data."""

from __future__ import annotations

import json

import streamlit as st

from learning.formatting import plain
from learning.i18n import current_language, t
from learning.municipalities import label
from learning.records import User
from learning.services.gdpr import PersonalDataService, own_data_markdown
from learning.ui.components import area_label, run_action
from learning.ui.context import accounts, content, repository
from learning.ui.language import language_choice
from learning.ui.session import renew, require

_SAVED_FLASH = "profile_saved"


def render() -> None:
    user = require()
    st.title(t("profile.title"))
    st.caption(t("profile.role_line", role=t(f"role.{user.role.value}"), username=user.username))
    with st.container(border=True):
        st.markdown(t("profile.placement", municipality=label(user.municipality),
                      area=area_label(user.service_area), unit=plain(user.unit) or t("units.none")))
        st.caption(t("profile.placement_help"))
    if st.session_state.pop(_SAVED_FLASH, False):
        st.success(t("profile.saved"))
    with st.form("profile"):
        name = st.text_input(t("profile.name"), value=user.name, max_chars=120, autocomplete="name")
        email = st.text_input(t("profile.email"), value=user.email, max_chars=200, autocomplete="email")
        language = language_choice(user)
        if st.form_submit_button(t("profile.save"), type="primary"):
            saved = run_action(lambda: accounts().update_profile(user, user.id, name=name, email=email,
                                                                 language=language))
            if saved and language != current_language():
                st.session_state[_SAVED_FLASH] = True  # shown by the next run, already in the new language
                st.rerun()
            if saved:
                st.success(t("profile.saved"))
    st.header(t("profile.password_title"))
    if password_form(user, old_label=t("profile.password_old")):
        st.success(t("profile.password_saved"))
    own_data(user)


def own_data(user: User) -> None:
    """The right of access: everything stored about the person, as JSON and as a page to read.

    Files are built (and the export logged) only when a button is pressed.
    """
    from learning.ui.pages import page

    st.header(t("gdpr.own_title"))
    st.write(t("gdpr.own_intro"))
    service = PersonalDataService(repository())
    catalog = content()
    titles = {**{q.id: q.title for q in catalog.quizzes.values()},
              **{m.id: m.meta.title for m in catalog.modules.values()}}
    left, right = st.columns(2)
    with left:
        st.download_button(t("gdpr.own_json"), lambda: json.dumps(service.own_data(user), ensure_ascii=False,
                                                                   indent=2).encode("utf-8"),
                           f"mine-data-{user.username}.json", "application/json", on_click="ignore",
                           icon=":material/download:")
    with right:
        st.download_button(t("gdpr.own_markdown"),
                           lambda: own_data_markdown(service.own_data(user), titles).encode("utf-8"),
                           f"mine-data-{user.username}.md", "text/markdown", on_click="ignore",
                           icon=":material/description:")
    st.page_link(page("privacy_notice"), label=t("nav.privacy_notice"), icon=":material/shield_person:")


def password_form(user: User, *, old_label: str) -> bool:
    """Old password, new twice; True once the new one is saved."""
    with st.form("password", clear_on_submit=True):
        old = st.text_input(old_label, type="password", autocomplete="current-password")
        new = st.text_input(t("profile.password_new"), type="password", help=t("profile.password_help"),
                            autocomplete="new-password")
        repeat = st.text_input(t("profile.password_repeat"), type="password", autocomplete="new-password")
        if st.form_submit_button(t("profile.password_save"), type="primary"):
            if new != repeat:
                st.error(t("profile.password_mismatch"))
            elif run_action(lambda: accounts().change_password(user, old, new) or True):
                renew(user)  # the new password ended every session, this one too: start a new one
                return True
    return False
