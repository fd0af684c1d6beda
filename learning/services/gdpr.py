"""A person's rights over their data: see it all, have it removed; and no account kept unused for ever.

- ``own_data``: everything stored about the signed-in person, as JSON-shaped data
  (the user record without the password hash, sign-in state, progress, quiz attempts,
  the assignments that apply to them, their part in authoring, their private reflection
  notes, audit entries by or about them); ``own_data_markdown`` is the same as a page a person can read.
- ``anonymise``: an admin (or the municipal admin of the person's municipality) removes
  name, username, e-mail and password, and deletes their reflection notes. The record stays as an anonymous placeholder
  with the same id, role, municipality, service area and unit, so progress, attempts
  and every figure built from them stay as they were; nothing left names the person.
  The audit log holds ids only, so their entries keep just that anonymous id.
- ``inactive``: accounts with no sign-in for ``LEARNING_INACTIVE_MONTHS`` (default 18)
  are flagged on the users page, so an admin can deactivate or anonymise them.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import partial

from learning.clock import Clock, utc_now
from learning.config import positive_int_env
from learning.content.bundle import Kind
from learning.errors import UserError
from learning.formatting import fmt_date, local
from learning.i18n import t
from learning.records import AuditAction, LoginState, Role, User
from learning.services.assignments import applies_to, months_before
from learning.services.audit import AuditService, record
from learning.services.authz import GIVEN_BY_MUNICIPAL_ADMIN, PermissionDenied, require_role, require_user_admin
from learning.services.mail import erase_mail, mail_record
from learning.services.notes import NotesService, erase_notes
from learning.services.published import TRANSLATIONS, VERSIONS, translation_key, version_key
from learning.services.team_sessions import attended
from learning.storage.errors import DamagedFile
from learning.storage.repository import Repository

INACTIVE_MONTHS_ENV = "LEARNING_INACTIVE_MONTHS"
DEFAULT_INACTIVE_MONTHS = 18
DRAFTS = "author_drafts"  # as in authoring.py, which imports far more than this module needs
AUTOSAVES = "author_autosaves"  # each author's unsaved editor form (services/authoring/autosave.py)
FORMAT = "mittliv-egne-data/1"


def inactive_months() -> int:
    """The period without sign-in after which an account is flagged; a bad value falls back to the default."""
    return positive_int_env(INACTIVE_MONTHS_ENV, DEFAULT_INACTIVE_MONTHS)


def _draft_key(doc: dict) -> str:
    """As ``authoring.draft_key``: a translation's key ends with its language."""
    key = f"{doc['kind']}:{doc['item_id']}"
    return f"{key}:{doc['language']}" if doc.get("language") else key


def _renamed(doc: dict, user_id: str, name: str) -> dict:
    """``doc`` with every ``<x>_name``/``by_name`` beside an ``<x>``/``by`` equal to ``user_id`` set to ``name``."""
    out = {key: _renamed_in(value, user_id, name) for key, value in doc.items()}
    for key, value in doc.items():
        if value == user_id and f"{key}_name" in out:
            out[f"{key}_name"] = name
    return out


def _renamed_current(current: dict | None, *, listed: dict, user_id: str, name: str) -> dict:
    """For ``update_doc``: the stored document renamed (the listed one if it is gone meanwhile)."""
    return _renamed(current if current is not None else listed, user_id, name)


def _renamed_in(value: object, user_id: str, name: str) -> object:
    if isinstance(value, list):
        return [_renamed_in(item, user_id, name) for item in value]
    return _renamed(value, user_id, name) if isinstance(value, dict) else value


def _authoring_roles(doc: dict, user_id: str) -> list[str]:
    roles = [key for key in ("created_by", "updated_by", "submitted_by", "approved_by") if doc.get(key) == user_id]
    if user_id in doc.get("editors", []):
        roles.append("editor")
    if any(c.get("by") == user_id for c in doc.get("comments", [])):
        roles.append("commented")
    return roles


class PersonalDataService:
    def __init__(self, repo: Repository, clock: Clock = utc_now):
        self.repo = repo
        self.clock = clock

    # --- right of access -------------------------------------------------
    def own_data(self, actor: User | None) -> dict:
        """Everything stored about the signed-in person (never the password hash); the export is logged."""
        actor = require_role(actor, *Role)
        user = self.repo.get_user(actor.id)
        if user is None:
            raise PermissionDenied
        authoring = []
        for collection in (DRAFTS, VERSIONS, TRANSLATIONS):
            for doc in self.repo.list_docs(collection):
                roles = _authoring_roles(doc, user.id)
                if roles:
                    authoring.append({"collection": collection, "kind": doc.get("kind"), "item_id": doc.get("item_id"),
                                      "status": doc.get("status"), "version": doc.get("version"), "roles": roles})
        for doc in self.repo.list_docs(AUTOSAVES):
            if doc.get("user_id") == user.id and not doc.get("dropped"):
                authoring.append({"collection": AUTOSAVES, "kind": doc.get("kind"), "item_id": doc.get("item_id"),
                                  "status": "unsaved", "version": None, "roles": ["author"], "at": doc.get("at")})
        audit = AuditService(self.repo, self.clock)
        data = {
            "format": FORMAT,
            "exported_at": self.clock().isoformat(),
            "user": {**user.model_dump(mode="json", exclude={"password_hash"}),
                     "has_password": user.password_hash is not None},
            "sign_in": self.repo.login_state(user.id).model_dump(mode="json"),
            "progress": [p.model_dump(mode="json") for p in self.repo.progress_for(user.id).values()],
            "quiz_attempts": [a.model_dump(mode="json") for a in self.repo.attempts_for(user.id)],
            "assignments": [a.model_dump(mode="json") for a in self.repo.list_assignments(user.municipality)
                            if applies_to(a, user)],
            "authoring": authoring,
            "team_sessions": [{"module_id": s.module_id, "day": s.day.isoformat(), "unit": s.unit,
                               "facilitator": s.facilitator} for s in attended(self.repo, user.id)],
            "email": mail_record(self.repo, user.id),
            "reflection_notes": [n.model_dump(mode="json") for n in NotesService(self.repo, self.clock).mine(user)],
            "audit_entries": [e.model_dump(mode="json") for e in audit.about(user.id)],
        }
        audit.record(user, AuditAction.OWN_DATA_EXPORTED, target=user.id, municipality=user.municipality)
        return data

    # --- right to erasure ------------------------------------------------
    def anonymise(self, actor: User | None, user_id: str, *, confirm: str) -> User:
        """Remove the person's identity everywhere; ``confirm`` must be their username (the UI's second step)."""
        actor = require_role(actor, Role.ADMIN, Role.MUNICIPAL_ADMIN)
        target = self.repo.get_user(user_id)
        if target is None or target.anonymised_at is not None:
            raise UserError("gdpr.not_found")
        require_user_admin(actor, target.municipality)
        if actor.role == Role.MUNICIPAL_ADMIN and target.role not in GIVEN_BY_MUNICIPAL_ADMIN:
            raise PermissionDenied
        if actor.id == user_id:
            raise UserError("gdpr.not_self")
        if confirm.strip().lower() != target.username:
            raise UserError("gdpr.confirm_mismatch")
        code = secrets.token_hex(4)
        name = t("gdpr.anonymous_name", code=code)
        now = self.clock()
        placeholder = self.repo.update_user(user_id, lambda u: u.model_copy(update={
            "username": f"anonym-{code}", "name": name, "email": "", "password_hash": None,
            "temporary_password_until": None, "anonymised_at": now}))
        self.repo.set_login_state(user_id, LoginState())
        erase_notes(self.repo, user_id)  # what they wrote is theirs: it goes, it is in no figure
        erase_mail(self.repo, user_id)   # queued and sent e-mail holds their name and address
        for collection, key_of in ((DRAFTS, _draft_key),
                                   (VERSIONS, lambda d: version_key(Kind(d["kind"]), d["item_id"], d["version"])),
                                   (TRANSLATIONS, lambda d: translation_key(Kind(d["kind"]), d["item_id"],
                                                                            d["language"], d["version"],
                                                                            d.get("number", 1)))):
            for doc in self.repo.list_docs(collection):
                renamed = _renamed(doc, user_id, name)
                if renamed != doc:
                    self.repo.update_doc(collection, key_of(doc), partial(_renamed_current, listed=doc,
                                                                          user_id=user_id, name=name))
        for doc in self.repo.list_docs(AUTOSAVES):  # unsaved text typed by the person: gone with them
            if doc.get("user_id") == user_id and not doc.get("dropped"):
                key = f"{user_id}:{doc.get('kind')}:{doc.get('item_id')}"
                key += f":{doc['language']}" if doc.get("language") else ""
                self.repo.put_doc(AUTOSAVES, key, {**doc, "files": {}, "form": {}, "dropped": True})
        record(self.repo, actor, AuditAction.USER_ANONYMISED, at=now, target=user_id,
               municipality=target.municipality)
        return placeholder

    # --- storage limitation ----------------------------------------------
    def last_sign_ins(self, actor: User | None, municipality: str,
                      users: Iterable[User] | None = None) -> dict[str, datetime | None]:
        """Last successful sign-in per user of the municipality (None: never, or before it was kept);
        of ``users`` only (one page of the users page) when given."""
        require_user_admin(actor, municipality)
        out: dict[str, datetime | None] = {}
        for user in self.repo.list_users(municipality) if users is None else users:
            if user.municipality != municipality:
                continue
            try:
                out[user.id] = self.repo.login_state(user.id).last_sign_in
            except DamagedFile:
                out[user.id] = None
        return out

    def inactive(self, actor: User | None, municipality: str,
                 last: Mapping[str, datetime | None] | None = None) -> set[str]:
        """Ids of accounts not used for ``inactive_months()``: no sign-in since then (or ever, if older)."""
        last = self.last_sign_ins(actor, municipality) if last is None else last
        return self.unused(self.repo.list_users(municipality), last)

    def unused(self, users: Iterable[User], last: Mapping[str, datetime | None]) -> set[str]:
        """Of ``users``, those ``inactive`` counts, by the sign-ins in ``last`` (read with the role check)."""
        cutoff = months_before(local(self.clock()).date(), inactive_months())
        return {u.id for u in users
                if u.anonymised_at is None and local(last.get(u.id) or u.created_at).date() < cutoff}


def own_data_markdown(data: dict, titles: Mapping[str, str]) -> str:
    """The own-data export as a page to read; ``titles`` names modules and scenarios by id."""
    user = data["user"]

    def when(stamp: str | None) -> str:
        return fmt_date(datetime.fromisoformat(stamp)) if stamp else t("gdpr.md_never")

    lines = [f"# {t('gdpr.md_title', name=user['name'])}", "", t("gdpr.md_intro", date=when(data["exported_at"])), "",
             f"## {t('gdpr.md_user')}", ""]
    for key in ("name", "username", "email", "municipality", "service_area", "unit", "role", "created_at",
                "active"):
        value = user.get(key)
        if key == "created_at":
            value = when(value)
        lines.append(f"- {t(f'gdpr.field_{key}')}: {'' if value is None else value}")
    lines.append(f"- {t('gdpr.field_last_sign_in')}: {when(data['sign_in'].get('last_sign_in'))}")
    lines += ["", f"## {t('gdpr.md_progress')}", ""]
    for p in data["progress"] or [{}]:
        if not p:
            lines.append(t("gdpr.md_none"))
            continue
        status = t("gdpr.md_completed", date=when(p["completed_at"])) if p.get("completed_at") else \
            t("gdpr.md_started", date=when(p["started_at"]))
        lines.append(f"- {titles.get(p['module_id'], p['module_id'])}: {status}")
    lines += ["", f"## {t('gdpr.md_attempts')}", ""]
    for a in data["quiz_attempts"] or [{}]:
        if not a:
            lines.append(t("gdpr.md_none"))
            continue
        points = sum(s["points"] for s in a["path"])
        best = sum(s["max_points"] for s in a["path"])
        lines.append(f"- {titles.get(a['quiz_id'], a['quiz_id'])}, {when(a['started_at'])}: "
                     f"{t('gdpr.md_choices', count=len(a['path']), points=points, max=best)}")
    lines += ["", f"## {t('gdpr.md_assignments')}", ""]
    for a in data["assignments"] or [{}]:
        lines.append(f"- {titles.get(a['module_id'], a['module_id'])}: {t('gdpr.md_deadline', date=a['deadline'])}"
                     if a else t("gdpr.md_none"))
    lines += ["", f"## {t('gdpr.md_authoring')}", ""]
    for a in data["authoring"] or [{}]:
        lines.append(f"- {a['kind']} {a['item_id']}: {', '.join(a['roles'])}" if a else t("gdpr.md_none"))
    lines += ["", f"## {t('gdpr.md_sessions')}", ""]
    for s in data.get("team_sessions") or [{}]:
        lines.append(f"- {titles.get(s['module_id'], s['module_id'])}, {s['day']}: {s['facilitator']}"
                     if s else t("gdpr.md_none"))
    lines += ["", f"## {t('gdpr.md_notes')}", ""]
    for n in data.get("reflection_notes") or [{}]:
        lines.append(f"- {titles.get(n['module_id'], n['module_id'])}, {when(n['updated_at'])}: "
                     f"{n['prompt']}\n\n  > " + n["text"].replace("\n", "\n  > ") if n else t("gdpr.md_none"))
    lines += ["", f"## {t('gdpr.md_audit')}", "", t("gdpr.md_audit_intro"), ""]
    for e in data["audit_entries"] or [{}]:
        if not e:
            lines.append(t("gdpr.md_none"))
            continue
        action = t(f"audit.action.{e['action']}")
        lines.append(f"- {when(e['at'])} {local(datetime.fromisoformat(e['at'])):%H:%M}: {action}")
    return "\n".join(lines) + "\n"
