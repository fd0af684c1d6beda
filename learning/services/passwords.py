"""Password hashing with scrypt: slow and salted per user."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import cache

SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
MIN_LENGTH = 8


def _maxmem(n: int, r: int, p: int) -> int:
    # scrypt needs about 128 * n * r * p bytes; leave room on top.
    return 128 * n * r * p + 16 * 1024 * 1024


def hash_password(password: str, *, n: int | None = None) -> str:
    """Return ``scrypt$n$r$p$salt$hash`` (base64 parts)."""
    n = n or SCRYPT_N
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P,
                            maxmem=_maxmem(n, SCRYPT_R, SCRYPT_P), dklen=32)
    b64 = base64.b64encode
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str | None) -> bool:
    """Constant-time check; an unknown format or no hash never matches."""
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        n_, r_, p_ = int(n), int(r), int(p)
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=n_, r=r_,
                                p=p_, maxmem=_maxmem(n_, r_, p_), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


@cache
def _dummy_hash() -> str:
    return hash_password("not-a-real-password")


def burn_time(password: str) -> None:
    """Spend the time of one verification, so unknown usernames cost as much as known."""
    verify_password(password, _dummy_hash())
