"""Accounts: first administrator, sign-in with lockout, users and profiles."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from learning.clock import Clock, utc_now
from learning.content.models import ServiceArea
from learning.errors import UserError
from learning.i18n import as_language
from learning.municipalities import all_municipalities
from learning.records import AuditAction, AuditDetail, LoginState, Role, User
from learning.services.audit import record
from learning.services.authz import (
    GIVEN_BY_MUNICIPAL_ADMIN,
    USER_ADMIN_ROLES,
    PermissionDenied,
    require_role,
    require_user_admin,
)
from learning.services.passwords import MIN_LENGTH, burn_time, hash_password, verify_password
from learning.services.units import check_unit
from learning.storage.read_models import UserPage
from learning.storage.repository import DuplicateUsername, Repository

MAX_FAILURES = 5
LOCK_MINUTES = 15
IDLE_MINUTES = 30
TEMPORARY_DAYS = 3
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def new_user_id(municipality: str) -> str:
    return f"{municipality}-{secrets.token_hex(6)}"


def check_password_rules(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise UserError("accounts.password_too_short", min=MIN_LENGTH)


class AccountService:
    def __init__(self, repo: Repository, clock: Clock = utc_now):
        self.repo = repo
        self.clock = clock

    # --- first run -------------------------------------------------------
    def needs_first_admin(self) -> bool:
        """Only when the store holds no data at all; an empty or damaged users file raises DamagedFile."""
        return self.repo.is_new()

    def create_first_admin(self, *, username: str, password: str, name: str, email: str,
                           municipality: str) -> User:
        if not self.needs_first_admin():
            raise PermissionDenied
        admin = self._create(username=username, password=password, name=name, email=email,
                             municipality=municipality, role=Role.ADMIN, first=True)
        self._audit(admin, AuditAction.USER_CREATED, admin, role=Role.ADMIN.value)
        return admin

    # --- sign-in ---------------------------------------------------------
    def sign_in(self, username: str, password: str) -> User:
        """Return the user, or raise UserError; 5 wrong in a row locks for 15 minutes.

        Each attempt is counted before the password is checked (increment, then check),
        in one atomic step of the store, so however many guesses arrive at once, at most
        MAX_FAILURES of them are checked per lockout window. Success resets the count.
        """
        user = self.repo.find_user(username.strip().lower())
        if user is None or not user.active or user.password_hash is None:
            burn_time(password)
            raise UserError("accounts.wrong_credentials")
        now = self.clock()
        reserved = False

        def reserve(state: LoginState) -> LoginState:
            nonlocal reserved
            if state.locked_until and state.locked_until > now:
                reserved = False
                return state
            failures = (0 if state.locked_until else state.failures) + 1  # an ended lock starts anew
            reserved = True
            locked = now + timedelta(minutes=LOCK_MINUTES) if failures >= MAX_FAILURES else None
            return state.model_copy(update={"failures": failures, "locked_until": locked})  # keeps last sign-in

        state = self.repo.update_login_state(user.id, reserve)
        if not reserved:
            until = state.locked_until or now  # not reserved: locked until then
            minutes = max(1, round((until - now).total_seconds() / 60))
            raise UserError("accounts.locked", minutes=minutes)
        if not verify_password(password, user.password_hash):
            if state.locked_until:  # this guess locked the account
                self._audit(None, AuditAction.LOCKED_OUT, user, failures=state.failures, minutes=LOCK_MINUTES)
                raise UserError("accounts.locked", minutes=LOCK_MINUTES)
            raise UserError("accounts.wrong_credentials")
        expired = user.temporary_password_until is not None and user.temporary_password_until < now
        self.repo.set_login_state(user.id, LoginState(last_sign_in=state.last_sign_in if expired else now))
        if expired:
            raise UserError("accounts.temporary_expired")
        self._audit(user, AuditAction.SIGNED_IN, user)
        return user

    def current(self, user_id: str) -> User | None:
        """The user behind a session, re-read so role changes and deactivation apply at once."""
        user = self.repo.get_user(user_id)
        return user if user and user.active and user.anonymised_at is None else None

    def session_user(self, user_id: str, issued: datetime) -> User | None:
        """The user behind a browser session issued at ``issued``; None once it is revoked or the user is gone."""
        revoked = self.repo.sessions_revoked_at(user_id)
        if revoked is not None and issued <= revoked:
            return None
        return self.current(user_id)

    def end_sessions(self, user_id: str) -> None:
        """Sign-out: every session of the user issued until now ends, a copied cookie included."""
        self.repo.revoke_sessions(user_id, self.clock())

    # --- administration --------------------------------------------------
    # Placement (municipality, service area, unit) and role are set by an admin, or by a
    # municipal admin inside their own municipality; a user edits only name and e-mail.
    def create_user(self, actor: User | None, *, username: str, password: str | None, name: str,
                    email: str, municipality: str, role: Role,
                    service_area: ServiceArea | None = None, unit: str = "",
                    manager_area: ServiceArea | None = None) -> User:
        actor = require_user_admin(actor, municipality)
        self._may_give(actor, role)
        created = self._create(username=username, password=password, name=name, email=email,
                               municipality=municipality, role=role, service_area=service_area,
                               unit=check_unit(self.repo, municipality, unit), manager_area=manager_area)
        self._audit(actor, AuditAction.USER_CREATED, created, role=role.value)
        return created

    def list_users(self, actor: User | None, municipality: str | None = None) -> list[User]:
        """An admin lists everyone (or one municipality); a municipal admin their own municipality."""
        actor = require_role(actor, *USER_ADMIN_ROLES)
        if actor.role == Role.MUNICIPAL_ADMIN:
            municipality = require_user_admin(actor, municipality or actor.municipality).municipality
        return sorted(self.repo.list_users(municipality), key=lambda u: (u.municipality, u.name))

    def user_page(self, actor: User | None, municipality: str, search: str = "", page: int = 0,
                  size: int = 50) -> UserPage:
        """One page of a municipality's users by name, searched by name or username (the users page).

        The same check as ``list_users``: an admin any municipality, a municipal admin their own."""
        actor = require_role(actor, *USER_ADMIN_ROLES)
        if actor.role == Role.MUNICIPAL_ADMIN:
            municipality = require_user_admin(actor, municipality).municipality
        return self.repo.user_page(municipality, search, max(page, 0) * size, size)

    def set_active(self, actor: User | None, user_id: str, active: bool) -> User:
        actor, target = self._target(actor, user_id)
        if actor.id == user_id and not active:
            raise UserError("accounts.cannot_deactivate_self")
        changed = self.repo.update_user(user_id, lambda u: u.model_copy(update={"active": active}))
        if not active:
            self.end_sessions(user_id)
        if target.active != active:
            self._audit(actor, AuditAction.ACTIVE_CHANGED, changed, active=active)
        return changed

    def set_role(self, actor: User | None, user_id: str, role: Role, manager_area: ServiceArea | None = None) -> User:
        """Admins change what a user may do; the change applies on the user's next page load."""
        actor, target = self._target(actor, user_id)
        self._may_give(actor, role)
        if actor.id == user_id and role != actor.role:
            key = "accounts.cannot_demote_self" if actor.role == Role.ADMIN else "accounts.cannot_change_own_role"
            raise UserError(key)
        area = manager_area if role == Role.MANAGER else None
        changed = self.repo.update_user(user_id, lambda u: u.model_copy(update={"role": role, "manager_area": area}))
        if (target.role, target.manager_area) != (role, area):
            self._audit(actor, AuditAction.ROLE_CHANGED, changed, role_from=target.role.value, role_to=role.value,
                        manager_area=area.value if area else None)
        return changed

    def set_placement(self, actor: User | None, user_id: str, *, municipality: str,
                      service_area: ServiceArea | None, unit: str) -> User:
        """Where a user works: only an admin moves a user to another municipality."""
        actor, target = self._target(actor, user_id)
        if municipality != target.municipality:
            require_role(actor, Role.ADMIN)
        if municipality not in all_municipalities():
            raise UserError("accounts.municipality_unknown")
        if municipality != target.municipality or unit.strip() != target.unit:  # a unit from before the list stays
            unit = check_unit(self.repo, municipality, unit)
        changed = self.repo.update_user(user_id, lambda u: u.model_copy(
            update={"municipality": municipality, "service_area": service_area, "unit": unit}))
        before = (target.municipality, target.service_area, target.unit)
        if before != (municipality, service_area, unit):
            details: dict[str, AuditDetail] = {
                "municipality_from": target.municipality, "municipality_to": municipality,
                "area_from": target.service_area.value if target.service_area else None,
                "area_to": service_area.value if service_area else None, "unit_from": target.unit, "unit_to": unit}
            for concerned in dict.fromkeys((target.municipality, municipality)):  # a move concerns both
                self._audit(actor, AuditAction.PLACEMENT_CHANGED, changed, municipality=concerned, **details)
        return changed

    def update_profile(self, actor: User | None, user_id: str, *, name: str, email: str,
                       language: str | None = None) -> User:
        """A user edits their own name, e-mail and language; user admins may edit them for their users.

        ``language`` None leaves the stored choice as it is (a form without the field).
        """
        if actor is None or actor.id != user_id:
            actor, _ = self._target(actor, user_id)
        fields = self._clean_contact(name=name, email=email)
        if language is not None:
            chosen = as_language(language)
            if chosen is None:
                raise UserError("accounts.language_unknown")
            fields["language"] = chosen
        return self.repo.update_user(user_id, lambda u: u.model_copy(update=fields))

    def _target(self, actor: User | None, user_id: str) -> tuple[User, User]:
        """The acting user admin and the user they act on, both checked."""
        actor = require_role(actor, *USER_ADMIN_ROLES)
        target = self.repo.get_user(user_id)
        if target is None:
            raise PermissionDenied
        require_user_admin(actor, target.municipality)
        if actor.role == Role.MUNICIPAL_ADMIN and target.role not in GIVEN_BY_MUNICIPAL_ADMIN:
            raise PermissionDenied
        return actor, target

    @staticmethod
    def _may_give(actor: User, role: Role) -> None:
        if actor.role == Role.MUNICIPAL_ADMIN and role not in GIVEN_BY_MUNICIPAL_ADMIN:
            raise PermissionDenied

    def change_password(self, actor: User | None, old: str, new: str) -> None:
        """A new password of the user's own; it also ends a temporary one."""
        if actor is None:
            raise PermissionDenied
        if not verify_password(old, actor.password_hash):
            raise UserError("accounts.wrong_password")
        check_password_rules(new)
        if new == old:
            raise UserError("accounts.password_same")
        hashed = hash_password(new)
        self.repo.update_user(actor.id, lambda u: u.model_copy(
            update={"password_hash": hashed, "temporary_password_until": None}))
        self.end_sessions(actor.id)  # a stolen session ends with the old password; this one is renewed

    def issue_temporary_password(self, actor: User | None, user_id: str) -> str:
        """A one-time password for a user who forgot theirs, shown once to the admin who gives it.

        It works for TEMPORARY_DAYS and only to set a new password: the user must change it
        at sign-in. It also lifts a lockout, since an admin has checked who asks.
        """
        self._target(actor, user_id)
        password = "-".join(secrets.token_urlsafe(4) for _ in range(3))
        until = self.clock() + timedelta(days=TEMPORARY_DAYS)
        hashed = hash_password(password)
        changed = self.repo.update_user(user_id, lambda u: u.model_copy(
            update={"password_hash": hashed, "temporary_password_until": until}))
        self.repo.update_login_state(user_id, lambda s: LoginState(last_sign_in=s.last_sign_in))
        self.end_sessions(user_id)
        self._audit(actor, AuditAction.TEMPORARY_PASSWORD, changed)
        return password

    # --- helpers ---------------------------------------------------------
    def _audit(self, actor: User | None, action: AuditAction, target: User, *, municipality: str | None = None,
               **details: AuditDetail) -> None:
        """An entry about ``target`` in their municipality (or the one given)."""
        record(self.repo, actor, action, at=self.clock(), target=target.id,
               municipality=target.municipality if municipality is None else municipality, **details)

    def _clean_contact(self, *, name: str, email: str) -> dict:
        name, email = name.strip(), email.strip()
        if not name:
            raise UserError("accounts.name_required")
        if email and not EMAIL.match(email):
            raise UserError("accounts.email_invalid")
        if len(name) > 120 or len(email) > 200:
            raise UserError("accounts.field_too_long")
        return {"name": name, "email": email}

    def _clean_profile(self, *, name: str, email: str, municipality: str, unit: str) -> dict:
        unit = unit.strip()
        if municipality not in all_municipalities():
            raise UserError("accounts.municipality_unknown")
        if len(unit) > 120:
            raise UserError("accounts.field_too_long")
        return {**self._clean_contact(name=name, email=email), "municipality": municipality, "unit": unit}

    def _create(self, *, username: str, password: str | None, name: str, email: str,
                municipality: str, role: Role, service_area: ServiceArea | None = None,
                unit: str = "", manager_area: ServiceArea | None = None, first: bool = False) -> User:
        """Check and store a new user; ``first`` adds them only while the store is still new."""
        username = username.strip().lower()
        if not USERNAME.match(username):
            raise UserError("accounts.username_invalid")
        fields = self._clean_profile(name=name, email=email, municipality=municipality, unit=unit)
        if password is not None:
            check_password_rules(password)
        user = User(
            id=new_user_id(municipality), username=username, role=role,
            service_area=service_area, manager_area=manager_area if role == Role.MANAGER else None,
            password_hash=hash_password(password) if password is not None else None,
            created_at=self.clock(), **fields,
        )
        if first:
            if not self.repo.add_first_user(user):  # someone else finished first-run set-up meanwhile
                raise PermissionDenied
            return user
        try:
            self.repo.add_user(user)
        except DuplicateUsername:
            raise UserError("accounts.username_taken") from None
        return user


def session_expired(last_seen, now) -> bool:
    """An idle session signs out after IDLE_MINUTES."""
    return last_seen is not None and now - last_seen > timedelta(minutes=IDLE_MINUTES)


def system_actor() -> User:
    """The command line acts as an administrator: it already has the data folder."""
    return User(id="system", username="system", name="Kommandolinje", municipality="0301", role=Role.ADMIN,
                created_at=utc_now())
