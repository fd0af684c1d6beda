"""Sign-in page: single sign-on buttons when providers are configured, and the local account form.

It is shown at whatever address the visitor opened (see ui/navigation.py), so after
signing in that page opens.
"""

from __future__ import annotations

import streamlit as st

from learning.i18n import t
from learning.ui.components import run_action
from learning.ui.context import accounts
from learning.ui.language import language_switch
from learning.ui.session import sign_in, sso, sso_providers


def render() -> None:
    st.title(t("signin.title"))
    st.write(t("signin.intro"))
    language_switch()
    if st.session_state.pop("signed_out_idle", False):
        st.info(t("signin.idle"))
    problem = st.session_state.pop("sso_problem", None)
    if problem:
        st.error(t(problem))
    _single_sign_on()
    with st.form("sign_in"):
        username = st.text_input(t("signin.username"), autocomplete="username")
        password = st.text_input(t("signin.password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("signin.submit"), type="primary")
    if submitted:
        user = run_action(lambda: accounts().sign_in(username, password))
        if user is not None:
            sign_in(user)
            st.rerun()
    footer()


def footer() -> None:
    """Links open to everyone: the accessibility statement."""
    from learning.ui.pages import page

    st.divider()
    st.page_link(page("accessibility"), label=t("statement.link"), icon=":material/accessibility_new:")


def _single_sign_on() -> None:
    """One button per provider in secrets.toml; Streamlit's st.login does the OpenID Connect flow."""
    names = sso_providers()
    if not names:
        return
    labels = sso().providers
    st.subheader(t("signin.sso_heading"))
    for name in names:
        provider_label = labels[name].label if name in labels else name
        if st.button(t("signin.sso_button", provider=provider_label), key=f"sso-{name}", icon=":material/badge:"):
            st.login(name)
    st.subheader(t("signin.local_heading"))
