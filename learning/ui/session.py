"""Who is signed in, checked on every run: idle timeout, revocation and role, server side.

A sign-in lives in the Streamlit session and, so that a reload keeps it, in an
HttpOnly cookie that only the server sets (``learning/web.py``): this module hands
the browser a one-minute ticket to exchange for it, moves its "last seen" forward
while pages are used, and has it cleared at sign-out. A fresh single sign-on
identity (``st.user``) also signs in (``learning/services/sso.py``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

import streamlit as st

from learning.clock import utc_now
from learning.errors import UserError
from learning.i18n import t
from learning.records import Role, User
from learning.services.accounts import session_expired
from learning.services.sso import SsoService, sso_settings
from learning.session_tokens import (
    COOKIE_NAME,
    REFRESH_EVERY,
    TICKET_LIFETIME,
    decode_session,
    encode_ticket,
    new_session,
    server_secret,
)
from learning.ui.context import accounts, repository, run_memo
from learning.web import HEADER, REFRESH_PATH, SESSION_PATH

USER_KEY = "user_id"
SEEN_KEY = "last_seen"
ISSUED_KEY = "session_issued"      # when this browser session began; revocation compares with it
CHECKED_KEY = "cookie_checked"     # the cookie is read once per Streamlit session (it is from the page load)
TICKET_KEY = "cookie_ticket"       # to hand to the browser on the next run
REFRESHED_KEY = "cookie_refreshed"
CLEAR_KEY = "cookie_clear"         # until when to tell the browser to drop the cookie


def sign_in(user: User) -> None:
    """Start a session for ``user``; the browser gets its cookie on the next run."""
    now = utc_now()
    session = new_session(user.id, now)
    st.session_state[USER_KEY] = user.id
    st.session_state[SEEN_KEY] = now
    st.session_state[ISSUED_KEY] = now
    st.session_state[CHECKED_KEY] = True
    st.session_state[REFRESHED_KEY] = now
    st.session_state.pop(CLEAR_KEY, None)
    st.session_state[TICKET_KEY] = (encode_ticket(session, server_secret(), now), now + TICKET_LIFETIME / 2)


def renew(user: User) -> None:
    """A new session after the password changed (which revoked every earlier one, this one too)."""
    sign_in(user)


def sign_out(*, revoke: bool = True) -> None:
    """End the session; ``revoke`` also ends every browser session of the user and the SSO identity.

    An idle or revoked session is only forgotten here: its cookie is cleared but other
    devices of the user stay signed in.
    """
    user_id = st.session_state.get(USER_KEY)
    if revoke and user_id:
        accounts().end_sessions(user_id)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[CHECKED_KEY] = True
    st.session_state[CLEAR_KEY] = utc_now() + TICKET_LIFETIME / 2
    if revoke and _identity():
        st.logout()  # clears Streamlit's identity cookie; learning.web clears ours in the same response
        st.stop()  # end the run here: a rerun could overtake the browser's redirect to /auth/logout


def _identity() -> dict | None:
    """The single sign-on identity Streamlit holds for this browser, if any."""
    try:
        info = st.user.to_dict()
    except Exception:  # no [auth] configured, or Authlib missing: no SSO
        return None
    return info if info.get("is_logged_in") else None


def sso() -> SsoService:
    return SsoService(repository(), sso_settings(_secrets_section("sso")))


def _plain(value: object) -> object:
    """Streamlit's secrets wrappers as plain dicts and lists."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _secrets_section(name: str) -> dict:
    try:
        section = st.secrets.get(name, {})
    except (FileNotFoundError, OSError, ValueError):  # no secrets file at all: no SSO
        return {}
    plain = _plain(section or {})
    return plain if isinstance(plain, dict) else {}


def sso_providers() -> list[str]:
    """Providers configured under ``[auth.<name>]`` in secrets.toml, in file order."""
    auth = _secrets_section("auth")
    return [name for name, value in auth.items() if isinstance(value, dict)]


def _resume() -> User | None:
    """On the first run of a page load: the session the cookie carries, or a fresh SSO identity."""
    now = utc_now()
    raw = st.context.cookies.get(COOKIE_NAME)
    session = decode_session(raw, server_secret(), now)
    user = accounts().session_user(session.user_id, session.issued) if session else None
    if user is not None:
        st.session_state[USER_KEY] = user.id
        st.session_state[SEEN_KEY] = now
        st.session_state[ISSUED_KEY] = session.issued
        st.session_state[REFRESHED_KEY] = session.seen
        return user
    if raw:
        st.session_state[CLEAR_KEY] = now + TICKET_LIFETIME / 2  # expired, revoked or forged: the browser can drop it
    return None


def _sso_sign_in() -> User | None:
    info = _identity()
    if info is None:
        return None
    try:
        user = sso().sign_in(info, utc_now())
    except UserError as exc:
        st.session_state["sso_problem"] = exc.key
        return None
    if user is not None:
        sign_in(user)
    return user


def current_user() -> User | None:
    """The signed-in user, re-read from storage once per run; None after 30 idle minutes or once revoked.

    The app asks at the top of the run and the page again (``require``): the second gets the
    first's answer, unless the run signed someone in or out in between.
    """
    memo = run_memo()
    user_id = st.session_state.get(USER_KEY)
    known = memo.get("user")
    if user_id and known is not None and known.id == user_id:
        return known
    user = _current_user()
    if user is not None:
        memo["user"] = user
    return user


def _current_user() -> User | None:
    user_id = st.session_state.get(USER_KEY)
    if not user_id:
        if not st.session_state.get(CHECKED_KEY):
            st.session_state[CHECKED_KEY] = True
            user = _resume()
            if user is not None:
                return user
        return _sso_sign_in()
    now = utc_now()
    if session_expired(st.session_state.get(SEEN_KEY), now):
        sign_out(revoke=False)
        st.session_state["signed_out_idle"] = True
        return None
    st.session_state[SEEN_KEY] = now
    issued: datetime = st.session_state.get(ISSUED_KEY) or now
    user = accounts().session_user(user_id, issued)
    if user is None:
        sign_out(revoke=False)
    return user


def browser_sync_script() -> str:
    """What the browser must do this run, as script (``ui.chrome`` sends it with the page frame), or "".

    Fetch the cookie for a ticket, move "last seen", or clear it. Only this server's own
    endpoints are called, same origin, with a header another site cannot send; the ticket
    is the only value the page's script ever sees.
    """
    headers = json.dumps({HEADER: "1", "Content-Type": "text/plain"})
    now = utc_now()
    ticket, until = st.session_state.get(TICKET_KEY) or (None, now)
    if ticket and now < until:  # again on every run while young: a run cut short by the next may not have shown it
        return (f"fetch({json.dumps(SESSION_PATH)},{{method:'POST',credentials:'same-origin',"
                f"headers:{headers},body:{json.dumps(ticket)}}});")
    if now < (st.session_state.get(CLEAR_KEY) or now):
        return f"fetch({json.dumps(SESSION_PATH)},{{method:'DELETE',credentials:'same-origin',headers:{headers}}});"
    st.session_state.pop(TICKET_KEY, None)
    refreshed = st.session_state.get(REFRESHED_KEY)
    if st.session_state.get(USER_KEY) and (refreshed is None or now - refreshed >= REFRESH_EVERY):
        st.session_state[REFRESHED_KEY] = now
        return (f"fetch({json.dumps(REFRESH_PATH)},{{method:'POST',credentials:'same-origin',"
                f"headers:{headers}}});/*{now.timestamp()}*/")
    return ""


def require(*roles: Role) -> User:
    """Stop the page unless the signed-in user has one of ``roles``."""
    user = current_user()
    if user is None or (roles and user.role not in roles) or user.pending:
        st.error(t("auth.no_access"))
        st.stop()
    return user
