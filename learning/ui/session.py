"""Who is signed in, checked on every run: idle timeout and role, server side."""

from __future__ import annotations

import streamlit as st

from learning.clock import utc_now
from learning.i18n import t
from learning.records import Role, User
from learning.services.accounts import session_expired
from learning.ui.context import accounts

USER_KEY = "user_id"
SEEN_KEY = "last_seen"


def sign_in(user: User) -> None:
    st.session_state[USER_KEY] = user.id
    st.session_state[SEEN_KEY] = utc_now()


def sign_out() -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def current_user() -> User | None:
    """The signed-in user, re-read from storage; None after 30 idle minutes."""
    user_id = st.session_state.get(USER_KEY)
    if not user_id:
        return None
    now = utc_now()
    if session_expired(st.session_state.get(SEEN_KEY), now):
        sign_out()
        st.session_state["signed_out_idle"] = True
        return None
    st.session_state[SEEN_KEY] = now
    user = accounts().current(user_id)
    if user is None:
        sign_out()
    return user


def require(*roles: Role) -> User:
    """Stop the page unless the signed-in user has one of ``roles``."""
    user = current_user()
    if user is None or (roles and user.role not in roles):
        st.error(t("auth.no_access"))
        st.stop()
    return user
