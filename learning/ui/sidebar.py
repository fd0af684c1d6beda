"""Who is signed in, and sign-out, in the sidebar."""

from __future__ import annotations

import streamlit as st

from learning.formatting import plain
from learning.i18n import t
from learning.municipalities import name_of
from learning.records import User
from learning.ui.session import sign_out


def account_box(user: User) -> None:
    with st.sidebar:
        st.markdown(t("sidebar.signed_in_as", name=plain(user.name)))
        st.caption(t("sidebar.role_line", role=t(f"role.{user.role.value}"), municipality=name_of(user.municipality)))
        if st.button(t("sidebar.sign_out"), icon=":material/logout:"):
            sign_out()
            st.rerun()
