"""Signed session values for the browser: the credential that lets a reload keep a sign-in.

No Streamlit here: the app script (``ui/session.py``) and the HTTP endpoints
(``learning/web.py``) both use these functions. A value is
``base64url(JSON payload) "." base64url(HMAC-SHA256)`` under a server secret; the
payload says what it is for (``p``), so a short-lived hand-over ticket is never
accepted as a session and the other way round. Revocation is checked by the
caller against ``Repository.sessions_revoked_at``, because only the app knows the
user; see ARCHITECTURE.md ("Staying signed in") for why this is safe.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from learning.config import data_dir

COOKIE_NAME = "learning_session"
IDLE = timedelta(minutes=30)          # as the in-app idle sign-out (accounts.IDLE_MINUTES)
ABSOLUTE = timedelta(hours=12)        # a working day; then a new sign-in, however active
TICKET_LIFETIME = timedelta(seconds=60)
REFRESH_EVERY = timedelta(minutes=1)  # how stale the cookie's "last seen" may get while a page is in use
SECRET_ENV = "LEARNING_SESSION_SECRET"
SECRET_FILE = "session-secret.key"
MIN_SECRET_LENGTH = 32


@dataclass(frozen=True)
class SessionValue:
    """What a verified value says: whose session, which one, issued and last seen when."""

    user_id: str
    session_id: str
    issued: datetime
    seen: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def secret_from(env: str | None, folder: Path, file_name: str = SECRET_FILE, env_name: str = SECRET_ENV) -> bytes:
    """The signing secret: ``LEARNING_SESSION_SECRET``, else a random one kept in the data folder.

    (The course certificates' secret comes the same way, with its own variable and file.)

    The file is created once, readable by the server's account only (0600), and never
    lives in the repository. Processes starting at once agree: the first link wins.
    """
    if env:
        if len(env) < MIN_SECRET_LENGTH:
            raise ValueError(f"{env_name} must be at least {MIN_SECRET_LENGTH} characters")
        return env.encode("utf-8")
    path = folder / file_name
    folder.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Written whole under a private name, then linked into place: the link fails if another
        # process got there first, and nobody ever reads a file that is still being written.
        tmp = folder / f".{file_name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32))
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    value = path.read_text(encoding="ascii").strip()
    if len(value) < MIN_SECRET_LENGTH:  # a half-written file from a crash: never sign with a short key
        raise ValueError(f"{path} holds no usable secret: delete it and restart")
    return value.encode("ascii")


@cache
def _secret_for(env: str | None, folder: str) -> bytes:
    return secret_from(env, Path(folder))


def server_secret() -> bytes:
    return _secret_for(os.environ.get(SECRET_ENV) or None, str(data_dir()))


def _sign(payload: dict, secret: bytes) -> str:
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8"))
    mac = hmac.new(secret, f"learning-session|{body}".encode("ascii"), hashlib.sha256).digest()
    return f"{body}.{_b64(mac)}"


def _open(value: str | None, secret: bytes, purpose: str) -> dict | None:
    """The payload of a value signed with ``secret`` for ``purpose``; None for anything else."""
    if not value or len(value) > 2048 or value.count(".") != 1:
        return None
    body, mac = value.split(".")
    try:
        expected = hmac.new(secret, f"learning-session|{body}".encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(mac)):
            return None
        payload = json.loads(_unb64(body))
    except (ValueError, UnicodeError):
        return None
    return payload if isinstance(payload, dict) and payload.get("p") == purpose else None


def _value(payload: dict) -> SessionValue | None:
    try:
        return SessionValue(user_id=str(payload["u"]), session_id=str(payload["s"]),
                            issued=datetime.fromisoformat(payload["i"]), seen=datetime.fromisoformat(payload["l"]))
    except (KeyError, TypeError, ValueError):
        return None


def new_session(user_id: str, now: datetime) -> SessionValue:
    return SessionValue(user_id=user_id, session_id=secrets.token_urlsafe(16), issued=now, seen=now)


def encode_session(session: SessionValue, secret: bytes) -> str:
    return _sign({"p": "session", "u": session.user_id, "s": session.session_id,
                  "i": session.issued.isoformat(), "l": session.seen.isoformat()}, secret)


def decode_session(value: str | None, secret: bytes, now: datetime) -> SessionValue | None:
    """A session value that is genuine, not idle past IDLE and not older than ABSOLUTE."""
    payload = _open(value, secret, "session")
    session = _value(payload) if payload else None
    if session is None or now - session.seen > IDLE or now - session.issued > ABSOLUTE:
        return None
    if session.issued > now + timedelta(minutes=5):  # from the future: a clock gone wrong, not trusted
        return None
    return session


def encode_ticket(session: SessionValue, secret: bytes, now: datetime) -> str:
    """A one-minute hand-over: the page posts it to the server, which answers with the cookie."""
    return _sign({"p": "ticket", "u": session.user_id, "s": session.session_id, "i": session.issued.isoformat(),
                  "l": session.seen.isoformat(), "x": (now + TICKET_LIFETIME).isoformat()}, secret)


def decode_ticket(value: str | None, secret: bytes, now: datetime) -> SessionValue | None:
    payload = _open(value, secret, "ticket")
    try:
        if payload is None or datetime.fromisoformat(payload["x"]) < now:
            return None
    except (KeyError, TypeError, ValueError):
        return None
    return _value(payload)


def is_revoked(session: SessionValue, revoked_at: datetime | None) -> bool:
    """Sign-out, deactivation and a new password revoke every session issued up to then."""
    return revoked_at is not None and session.issued <= revoked_at
