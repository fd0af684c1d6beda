"""The one page of an account that came by single sign-on and waits for an admin to place it."""

from __future__ import annotations

import streamlit as st

from learning.formatting import plain
from learning.i18n import t
from learning.ui.session import current_user, sign_out


def render() -> None:
    user = current_user()
    st.title(t("sso.pending_title"))
    if user is not None:
        st.write(t("sso.pending_intro", name=plain(user.name)))
    st.write(t("sso.pending_next"))
    if st.button(t("sidebar.sign_out"), icon=":material/logout:"):
        sign_out()
        st.rerun()
