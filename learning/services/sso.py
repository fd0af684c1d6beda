"""Single sign-on: an OpenID Connect identity to a user, matched by issuer and subject.

Streamlit does the OpenID Connect flow (``st.login``) and hands the ID token's claims
over; this service decides who that is. Never by e-mail: e-mail addresses are
reused and can be typed by anyone at some providers. An unknown person gets a
pending account (no access until placed) holding the claims they came with, or is
placed at once by the first matching claim rule of their provider (for example an
Entra ID group or a Feide organisation -> municipality and role).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from learning.clock import Clock, utc_now
from learning.content.models import ServiceArea
from learning.errors import UserError
from learning.municipalities import all_municipalities
from learning.records import AuditAction, Role, User
from learning.services.accounts import EMAIL, AccountService, new_user_id
from learning.services.audit import record
from learning.services.authz import USER_ADMIN_ROLES, PermissionDenied, require_role
from learning.storage.repository import DuplicateUsername, Repository

FRESH = timedelta(minutes=10)
"""How old an identity may be to start a session: Streamlit keeps it in a cookie for 30 days,
which must not be a way back in after sign-out. Later reloads use the app's own session."""
NOT_KEPT = frozenset({"iss", "sub", "aud", "exp", "iat", "nbf", "nonce", "at_hash", "c_hash", "auth_time", "sid",
                      "jti", "uti", "rh", "azp", "origin", "is_logged_in", "provider", "tokens", "acr", "amr"})
MAX_CLAIM_CHARS = 500
NO_AUTO_ROLE = frozenset({Role.ADMIN})  # a claim never makes an administrator


@dataclass(frozen=True)
class ClaimRule:
    """When ``claim`` equals ``value`` (or is a list holding it): place in ``municipality`` with ``role``."""

    claim: str
    value: str
    municipality: str
    role: Role = Role.LEARNER
    service_area: ServiceArea | None = None
    unit: str = ""

    def matches(self, claims: dict) -> bool:
        got = claims.get(self.claim)
        if isinstance(got, list):
            return self.value in {str(item) for item in got}
        return got is not None and str(got) == self.value


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    municipality: str = ""  # where its pending accounts wait (that municipality's admins place them)
    rules: tuple[ClaimRule, ...] = field(default_factory=tuple)


def sso_settings(section: dict) -> dict[str, Provider]:
    """Providers from the ``[sso.<name>]`` tables of secrets.toml; a mistake stops start-up with its place."""
    providers: dict[str, Provider] = {}
    known = all_municipalities()
    for name, table in section.items():
        if not isinstance(table, dict):
            continue
        municipality = str(table.get("municipality", ""))
        if municipality and municipality not in known:
            raise ValueError(f"[sso.{name}] municipality {municipality!r} is not a kommunenummer")
        rules = []
        for index, raw in enumerate(table.get("rules", []) or []):
            where = f"[sso.{name}] rules[{index}]"
            try:
                rule = ClaimRule(claim=str(raw["claim"]), value=str(raw["value"]),
                                 municipality=str(raw["municipality"]), role=Role(raw.get("role", "learner")),
                                 service_area=ServiceArea(raw["service_area"]) if raw.get("service_area") else None,
                                 unit=str(raw.get("unit", "")))
            except (KeyError, ValueError, TypeError) as exc:
                raise ValueError(f"{where}: needs claim, value, municipality; role and service_area "
                                 f"must be known values ({exc})") from None
            if rule.municipality not in known:
                raise ValueError(f"{where}: municipality {rule.municipality!r} is not a kommunenummer")
            if rule.role in NO_AUTO_ROLE:
                raise ValueError(f"{where}: role {rule.role.value} is never given by a claim")
            rules.append(rule)
        providers[name] = Provider(name=name, label=str(table.get("label", name)), municipality=municipality,
                                   rules=tuple(rules))
    return providers


def sso_username(issuer: str, subject: str) -> str:
    """A username derived from issuer and subject: the store's unique username makes one account per person.

    Two first sign-ins at once cannot make two accounts, and the lookup is the
    store's username index (the pair itself is stored and checked as well).
    """
    return "sso-" + hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()[:24]


def kept_claims(claims: dict) -> dict[str, str | list[str]]:
    """What an admin needs to place someone (name, e-mail, groups, organisation); no token internals."""
    kept: dict[str, str | list[str]] = {}
    for key, value in claims.items():
        if key in NOT_KEPT or not isinstance(key, str):
            continue
        if isinstance(value, list):
            kept[key] = [str(item)[:MAX_CLAIM_CHARS] for item in value[:100]]
        elif isinstance(value, str | int | float | bool):
            kept[key] = str(value)[:MAX_CLAIM_CHARS]
    return kept


def _issued_at(claims: dict) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(claims["iat"]), UTC)
    except (KeyError, TypeError, ValueError, OverflowError):
        return None


def _name(claims: dict) -> str:
    for candidate in (claims.get("name"), " ".join(str(claims.get(k, "")) for k in ("given_name", "family_name")),
                      claims.get("preferred_username"), claims.get("email")):
        if candidate and str(candidate).strip():
            return str(candidate).strip()[:120]
    return f"SSO {str(claims.get('sub', ''))[:8]}"


class SsoService:
    def __init__(self, repo: Repository, providers: dict[str, Provider], clock: Clock = utc_now):
        self.repo = repo
        self.providers = providers
        self.clock = clock

    # --- sign-in ---------------------------------------------------------
    def sign_in(self, claims: dict, now: datetime | None = None) -> User | None:
        """The user for a fresh identity (created pending, or placed by a rule); None when it is stale.

        Stale: issued more than FRESH ago, or before the user's last sign-out or
        deactivation, so an old identity cookie never opens a new session.
        """
        now = now or self.clock()
        issuer, subject = str(claims.get("iss") or ""), str(claims.get("sub") or "")
        if not issuer or not subject:
            raise UserError("sso.no_subject")
        issued = _issued_at(claims)
        if issued is None or now - issued > FRESH or issued > now + FRESH:
            return None
        provider = self.providers.get(str(claims.get("provider") or ""), Provider(name="", label=""))
        user = self.repo.find_user(sso_username(issuer, subject))
        if user is None:
            user = self._create(issuer, subject, claims, provider, now)
        if (user.identity_issuer, user.identity_subject) != (issuer, subject):
            raise UserError("sso.no_subject")  # a hash collision or a local account with that name: never merge
        revoked = self.repo.sessions_revoked_at(user.id)
        if revoked is not None and issued <= revoked:
            return None
        if not user.active or user.anonymised_at is not None:
            raise UserError("sso.inactive")
        if user.pending:
            user = self._apply_rules(user, provider, claims, now)
        self.repo.update_login_state(user.id, lambda s: s.model_copy(update={"last_sign_in": now}))
        record(self.repo, user, AuditAction.SIGNED_IN, at=now, target=user.id, municipality=user.municipality,
               provider=provider.name or None)
        return user

    def _create(self, issuer: str, subject: str, claims: dict, provider: Provider, now: datetime) -> User:
        email = str(claims.get("email") or "").strip()
        user = User(id=new_user_id(provider.municipality or "sso"), username=sso_username(issuer, subject),
                    name=_name(claims), email=email if EMAIL.match(email) and len(email) <= 200 else "",
                    municipality=provider.municipality, role=Role.LEARNER, created_at=now, pending=True,
                    identity_issuer=issuer, identity_subject=subject, identity_claims=kept_claims(claims))
        try:
            self.repo.add_user(user)
        except DuplicateUsername:  # the same person's other tab was first
            found = self.repo.find_user(user.username)
            if found is None:
                raise
            return found
        record(self.repo, None, AuditAction.USER_CREATED, at=now, target=user.id, municipality=user.municipality,
               role=user.role.value, pending=True, provider=provider.name or None)
        return user

    def _apply_rules(self, user: User, provider: Provider, claims: dict, now: datetime) -> User:
        """The first rule of the person's provider that matches places them; otherwise they keep waiting."""
        rule = next((r for r in provider.rules if r.matches(claims)), None)
        if rule is None:
            return user
        placed = self.repo.update_user(user.id, lambda u: u.model_copy(update={
            "municipality": rule.municipality, "role": rule.role, "service_area": rule.service_area,
            "unit": rule.unit, "pending": False, "identity_claims": kept_claims(claims)}))
        record(self.repo, None, AuditAction.PLACEMENT_CHANGED, at=now, target=user.id,
               municipality=rule.municipality, rule=f"{rule.claim}={rule.value}"[:200], role=rule.role.value)
        return placed

    # --- placement by an admin -------------------------------------------
    def pending(self, actor: User | None) -> list[User]:
        """Accounts waiting for placement: an admin sees all, a municipal admin those of their municipality."""
        actor = require_role(actor, *USER_ADMIN_ROLES)
        users = self.repo.list_users(None if actor.role == Role.ADMIN else actor.municipality)
        return sorted((u for u in users if u.pending and u.active), key=lambda u: u.created_at)

    def place(self, actor: User | None, user_id: str, *, municipality: str, role: Role,
              service_area: ServiceArea | None, unit: str) -> User:
        """Give a pending account its workplace and role; from then on it is an ordinary account.

        The account checks (role an actor may give, own municipality, unit list) are
        AccountService's; a pending account from no municipality is for an admin to place.
        """
        target = self.repo.get_user(user_id)
        if target is None or not target.pending:
            raise PermissionDenied
        if not target.municipality:
            require_role(actor, Role.ADMIN)
            self.repo.update_user(user_id, lambda u: u.model_copy(update={"municipality": municipality}))
        accounts = AccountService(self.repo, self.clock)
        accounts.set_placement(actor, user_id, municipality=municipality, service_area=service_area, unit=unit)
        accounts.set_role(actor, user_id, role)
        return self.repo.update_user(user_id, lambda u: u.model_copy(update={"pending": False}))
