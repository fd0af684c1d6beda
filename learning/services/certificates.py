"""Course certificates (kursbevis): the facts of one completion, a verification code, and the PDF.

The code is ``<user id>-<MAC>``: an HMAC-SHA256 (80 bits, base32) under a server secret
over the facts printed on the certificate (name, municipality, module, version, completion
time). Nothing is stored when a certificate is made. To verify, the server finds the
person by the id in the code and recomputes the MAC for each of their completions; it
answers only whether the code is valid, for which module and on which day. A forged or
altered code, or one whose facts have changed since (the person's data was erased, so the
name is gone), does not verify. Rotating the secret (``LEARNING_CERTIFICATE_SECRET``, else
a 0600 file in the data folder) makes every earlier code invalid.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from learning.config import data_dir
from learning.errors import UserError
from learning.records import ModuleProgress, Role, User
from learning.services.assignments import requirements_for
from learning.services.authz import require_role
from learning.services.base import ContentService
from learning.session_tokens import secret_from

SECRET_ENV = "LEARNING_CERTIFICATE_SECRET"
SECRET_FILE = "certificate-secret.key"
_CODE = re.compile(r"^(\d{4}-[0-9a-f]{6,32})-([A-Z2-7]{16})$")


@cache
def _secret_for(env: str | None, folder: str) -> bytes:
    return secret_from(env, Path(folder), file_name=SECRET_FILE, env_name=SECRET_ENV)


def certificate_secret() -> bytes:
    return _secret_for(os.environ.get(SECRET_ENV) or None, str(data_dir()))


@dataclass(frozen=True)
class Certificate:
    name: str
    municipality: str
    module_id: str
    module_title: str
    version: int
    completed_at: datetime
    expires: date | None
    code: str


@dataclass(frozen=True)
class Verified:
    """All the public verification page shows: which module, and the day it was completed."""

    module_title: str
    completed_on: datetime


def _mac(secret: bytes, user: User, module_id: str, version: int, completed_at: datetime) -> str:
    facts = "|".join(["kursbevis/1", user.id, user.name, user.municipality, module_id, str(version),
                      completed_at.isoformat()])
    digest = hmac.new(secret, facts.encode("utf-8"), hashlib.sha256).digest()[:10]
    return base64.b32encode(digest).decode("ascii")


def normalise(code: str) -> str:
    """As typed: spaces and case do not matter."""
    code = "".join(code.split())
    head, _, mac = code.rpartition("-")
    return f"{head.lower()}-{mac.upper()}" if head else code


class CertificateService(ContentService):
    def __init__(self, repo, content, clock=None, secret: bytes | None = None):
        super().__init__(repo, content, *([clock] if clock else []))
        self._secret = secret

    @property
    def secret(self) -> bytes:
        return self._secret if self._secret is not None else certificate_secret()

    def mine(self, user: User | None, module_id: str) -> Certificate:
        """The signed-in person's certificate for a module they completed (their last completion)."""
        user = require_role(user, *Role)
        progress = self.repo.progress_for(user.id)
        record = progress.get(module_id)
        module = self.content.modules.get(module_id)
        if record is None or record.completed_at is None or module is None:
            raise UserError("certificate.not_completed")
        version = record.completed_version or record.content_version
        required = requirements_for(user, self.repo.list_assignments(user.municipality), progress,
                                    self.today()).get(module_id)
        return Certificate(name=user.name, municipality=user.municipality, module_id=module_id,
                           module_title=module.meta.title, version=version, completed_at=record.completed_at,
                           expires=required.expires if required else None,
                           code=f"{user.id}-{_mac(self.secret, user, module_id, version, record.completed_at)}")

    def verify(self, code: str) -> Verified | None:
        """Public (no sign-in): whether a code is genuine; None for anything else, with no reason given."""
        found = _CODE.match(normalise(code or "")[:80])
        if found is None:
            return None
        user_id, mac = found.groups()
        user = self.repo.get_user(user_id)
        if user is None:
            return None
        for module_id, record in self.repo.progress_for(user.id).items():
            for completed_at, versions in _completions(record, self._max_version(module_id)):
                for version in versions:
                    if hmac.compare_digest(mac, _mac(self.secret, user, module_id, version, completed_at)):
                        module = self.content.modules.get(module_id)
                        return Verified(module.meta.title if module else module_id, completed_at)
        return None

    def _max_version(self, module_id: str) -> int:
        module = self.content.modules.get(module_id)
        return module.version if module else 1


def _completions(record: ModuleProgress, max_version: int) -> list[tuple[datetime, list[int]]]:
    """Every completion with the versions it may have been of (earlier ones do not record theirs)."""
    every = list(range(max(max_version, record.completed_version or 1), 0, -1))
    out = [(when, every) for when in record.earlier_completions]
    if record.completed_at is not None:
        out.append((record.completed_at, [record.completed_version or record.content_version]))
    return out
