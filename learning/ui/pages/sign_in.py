"""Sign-in page."""

from __future__ import annotations

import streamlit as st

from learning.i18n import t
from learning.ui.components import run_action
from learning.ui.context import accounts
from learning.ui.language import language_switch
from learning.ui.session import sign_in


def render() -> None:
    st.title(t("signin.title"))
    st.write(t("signin.intro"))
    language_switch()
    if st.session_state.pop("signed_out_idle", False):
        st.info(t("signin.idle"))
    with st.form("sign_in"):
        username = st.text_input(t("signin.username"), autocomplete="username")
        password = st.text_input(t("signin.password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("signin.submit"), type="primary")
    if submitted:
        user = run_action(lambda: accounts().sign_in(username, password))
        if user is not None:
            sign_in(user)
            st.rerun()
