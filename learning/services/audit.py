"""Audit log: who looked at a person's results, exported, changed access or published, and sign-ins.

Services record an entry right after the action succeeded (a view or an export is
recorded before the data leaves the service). Entries hold ids and fixed codes only,
so the log itself never becomes a second copy of personal data.

Admins read every entry; a municipal admin reads the entries that concern their own
municipality; nobody else reads any. Entries older than the retention period
(``LEARNING_AUDIT_DAYS``, default 365) are pruned, and the pruning is logged too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from learning.clock import Clock, utc_now
from learning.config import positive_int_env
from learning.formatting import local
from learning.records import AuditAction, AuditDetail, AuditEntry, Role, User
from learning.services.authz import USER_ADMIN_ROLES, require_role
from learning.storage.repository import Repository

AUDIT_DAYS_ENV = "LEARNING_AUDIT_DAYS"
DEFAULT_AUDIT_DAYS = 365
SYSTEM = "system"


def retention_days() -> int:
    """How long entries are kept; a value that is not a whole number of days >= 1 falls back to the default."""
    return positive_int_env(AUDIT_DAYS_ENV, DEFAULT_AUDIT_DAYS)


def record(repo: Repository, actor: User | None, action: AuditAction, *, at: datetime, target: str = "",
           municipality: str = "", **details: AuditDetail) -> AuditEntry:
    """Append one entry. ``actor`` None means unknown (a lockout: whoever typed the passwords)."""
    entry = AuditEntry(at=at.astimezone(UTC), actor=actor.id if actor else "",
                       actor_municipality=actor.municipality if actor else "", action=action, target=target,
                       municipality=municipality, details=details)
    repo.append_audit(entry)
    return entry


def record_system(repo: Repository, action: AuditAction, *, at: datetime, target: str = "",
                  municipality: str = "", **details: AuditDetail) -> AuditEntry:
    """An entry by the system itself: the command line (whoever has the data folder) or retention."""
    entry = AuditEntry(at=at.astimezone(UTC), actor=SYSTEM, action=action, target=target,
                       municipality=municipality, details=details)
    repo.append_audit(entry)
    return entry


def audited_export(repo: Repository, actor: User | None, build: Callable[[], bytes], *, file_name: str,
                   municipality: str, clock: Clock = utc_now, **details: AuditDetail) -> Callable[[], bytes]:
    """``build`` wrapped so that every file it makes is logged (for download buttons built on click)."""
    def run() -> bytes:
        payload = build()
        record(repo, actor, AuditAction.EXPORTED, at=clock(), target=file_name, municipality=municipality, **details)
        return payload
    return run


@dataclass(frozen=True)
class AuditFilter:
    """What the log page filters on; dates are Norwegian calendar days, both ends included."""

    actions: frozenset[AuditAction] = field(default_factory=frozenset)
    actor: str | None = None
    since: date | None = None
    until: date | None = None

    def matches(self, entry: AuditEntry) -> bool:
        day = local(entry.at).date()
        return ((not self.actions or entry.action in self.actions)
                and (self.actor is None or entry.actor == self.actor)
                and (self.since is None or day >= self.since)
                and (self.until is None or day <= self.until))


class AuditService:
    def __init__(self, repo: Repository, clock: Clock = utc_now):
        self.repo = repo
        self.clock = clock

    def record(self, actor: User | None, action: AuditAction, *, target: str = "", municipality: str = "",
               **details: AuditDetail) -> AuditEntry:
        return record(self.repo, actor, action, at=self.clock(), target=target, municipality=municipality,
                      **details)

    def entries(self, actor: User | None, wanted: AuditFilter = AuditFilter()) -> list[AuditEntry]:
        """Newest first. An admin sees all; a municipal admin only their municipality's; others none."""
        actor = require_role(actor, *USER_ADMIN_ROLES)
        scope = None if actor.role == Role.ADMIN else actor.municipality
        found = self.repo.audit_entries(
            lambda e: (scope is None or e.municipality == scope) and wanted.matches(e))
        return found[::-1]

    def names(self, actor: User | None, entries: list[AuditEntry]) -> dict[str, str]:
        """Display names for the user ids in entries the actor may already see (anonymised stay anonymous)."""
        require_role(actor, *USER_ADMIN_ROLES)
        names = {}
        for user_id in {e.actor for e in entries} | {e.target for e in entries}:
            user = self.repo.get_user(user_id) if user_id else None
            if user is not None:
                names[user_id] = user.name
        return names

    def export_csv(self, actor: User | None, wanted: AuditFilter, describe: Callable[[AuditEntry], list[str]],
                   headers: list[str], file_name: str) -> bytes:
        """The entries the actor may see as CSV (';' + BOM, like the dashboard's); the export is logged too."""
        from learning.services import exports  # exports imports reports, which records views here

        actor = require_role(actor, *USER_ADMIN_ROLES)
        found = self.entries(actor, wanted)
        payload = exports.to_csv(exports.Table(file_name, headers, [describe(e) for e in found]))
        self.record(actor, AuditAction.AUDIT_EXPORTED, target=file_name,
                    municipality="" if actor.role == Role.ADMIN else actor.municipality,
                    format="csv", rows=len(found))
        return payload

    def about(self, user_id: str) -> list[AuditEntry]:
        """Entries by or about one person, oldest first: for their own-data export (the caller checks access)."""
        return self.repo.audit_entries(lambda e: user_id in (e.actor, e.target))

    def prune_expired(self, days: int | None = None) -> int:
        """Remove entries past the retention period; the pruning is itself an entry (when anything went)."""
        days = days or retention_days()
        before = self.clock() - timedelta(days=days)
        removed = self.repo.prune_audit(before)
        if removed:
            record_system(self.repo, AuditAction.AUDIT_PRUNED, at=self.clock(), removed=removed, days=days,
                          before=before.astimezone(UTC).isoformat())
        return removed
