"""First run: create the first administrator."""

from __future__ import annotations

import streamlit as st

from learning.i18n import t
from learning.municipalities import all_municipalities, label
from learning.ui.components import run_action
from learning.ui.context import accounts
from learning.ui.language import language_switch
from learning.ui.session import sign_in


def render() -> None:
    st.title(t("firstrun.title"))
    st.write(t("firstrun.intro"))
    language_switch()
    numbers = list(all_municipalities())
    with st.form("first_admin"):
        name = st.text_input(t("profile.name"))
        username = st.text_input(t("signin.username"), help=t("profile.username_help"))
        email = st.text_input(t("profile.email"))
        municipality = st.selectbox(t("profile.municipality"), numbers, format_func=label,
                                    index=numbers.index("0301"))
        password = st.text_input(t("signin.password"), type="password", help=t("profile.password_help"),
                                 autocomplete="new-password")
        repeat = st.text_input(t("profile.password_repeat"), type="password", autocomplete="new-password")
        submitted = st.form_submit_button(t("firstrun.submit"), type="primary")
    if not submitted:
        return
    if password != repeat:
        st.error(t("profile.password_mismatch"))
        return
    service = accounts()
    user = run_action(lambda: service.create_first_admin(
        username=username, password=password, name=name, email=email, municipality=municipality))
    if user is not None:
        sign_in(user)
        st.rerun()
