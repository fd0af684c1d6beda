"""The browser session value: signed, expiring, revocable, and a ticket is never a session."""

from __future__ import annotations

import stat
import threading
from datetime import UTC, datetime, timedelta

import pytest

from learning.records import Role
from learning.services.accounts import AccountService
from learning.session_tokens import (
    ABSOLUTE,
    IDLE,
    SECRET_FILE,
    decode_session,
    decode_ticket,
    encode_session,
    encode_ticket,
    new_session,
    secret_from,
)

SECRET = b"k" * 64
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_a_value_round_trips_and_any_change_or_other_key_is_refused():
    session = new_session("0301-abc", NOW)
    value = encode_session(session, SECRET)
    assert decode_session(value, SECRET, NOW + timedelta(minutes=1)) == session
    assert decode_session(value, b"x" * 64, NOW) is None
    body, mac = value.split(".")
    forged = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1] + "." + mac
    assert decode_session(forged, SECRET, NOW) is None
    assert decode_session(None, SECRET, NOW) is None
    assert decode_session("garbage", SECRET, NOW) is None


def test_idle_and_absolute_limits():
    session = new_session("u", NOW)
    value = encode_session(session, SECRET)
    assert decode_session(value, SECRET, NOW + IDLE) is not None
    assert decode_session(value, SECRET, NOW + IDLE + timedelta(seconds=1)) is None
    kept_alive = encode_session(session.__class__(user_id="u", session_id=session.session_id, issued=NOW,
                                                  seen=NOW + ABSOLUTE - timedelta(minutes=1)), SECRET)
    assert decode_session(kept_alive, SECRET, NOW + ABSOLUTE - timedelta(seconds=30)) is not None
    assert decode_session(kept_alive, SECRET, NOW + ABSOLUTE + timedelta(seconds=1)) is None


def test_a_ticket_is_not_a_session_and_lasts_a_minute():
    session = new_session("u", NOW)
    ticket = encode_ticket(session, SECRET, NOW)
    assert decode_session(ticket, SECRET, NOW) is None
    assert decode_ticket(encode_session(session, SECRET), SECRET, NOW) is None
    assert decode_ticket(ticket, SECRET, NOW + timedelta(seconds=59)) == session
    assert decode_ticket(ticket, SECRET, NOW + timedelta(seconds=61)) is None


def test_the_secret_file_is_made_once_and_private(tmp_path):
    first = secret_from(None, tmp_path)
    assert secret_from(None, tmp_path) == first
    assert stat.S_IMODE((tmp_path / SECRET_FILE).stat().st_mode) == 0o600
    assert secret_from("s" * 40, tmp_path) == b"s" * 40
    with pytest.raises(ValueError):
        secret_from("short", tmp_path)


def test_sign_out_deactivation_and_a_new_password_revoke_earlier_sessions(repo):
    accounts = AccountService(repo)
    admin = accounts.create_first_admin(username="admin", password="admin-passord", name="A", email="",
                                        municipality="0301")
    kari = accounts.create_user(admin, username="kari", password="kari-passord", name="Kari", email="",
                                municipality="0301", role=Role.LEARNER)
    issued = datetime.now(UTC) - timedelta(seconds=1)
    assert accounts.session_user(kari.id, issued) == kari
    accounts.end_sessions(kari.id)
    assert accounts.session_user(kari.id, issued) is None
    later = datetime.now(UTC) + timedelta(microseconds=1)
    assert accounts.session_user(kari.id, later) is not None
    accounts.set_active(admin, kari.id, False)
    accounts.set_active(admin, kari.id, True)
    assert accounts.session_user(kari.id, later) is None  # deactivation revoked it; reactivation does not undo that
    again = datetime.now(UTC) + timedelta(microseconds=1)
    accounts.change_password(repo.get_user(kari.id), "kari-passord", "nytt-passord-1")
    assert accounts.session_user(kari.id, again) is None


def test_revocation_never_moves_back(repo):
    repo.revoke_sessions("u1", NOW)
    repo.revoke_sessions("u1", NOW - timedelta(hours=1))
    assert repo.sessions_revoked_at("u1") == NOW
    assert repo.sessions_revoked_at("other") is None


def test_servers_starting_at_once_agree_on_one_secret(tmp_path):
    barrier, found, errors = threading.Barrier(16), [], []

    def start() -> None:
        barrier.wait()
        try:
            found.append(secret_from(None, tmp_path))
        except ValueError as exc:  # a reader that saw the file before its writer finished
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(found) == 16 and len(set(found)) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["session-secret.key"]  # no temp file left behind
