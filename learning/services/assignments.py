"""Mandatory modules: who must take what by when, and whether it still counts.

An assignment targets a municipality, optionally one service area or one unit.
With ``renew_months`` a completion expires that many months after it was made.
In the ``renew_window_days`` before that day the learner is asked to take the
module again (the completion still counts: "utløper snart"); from that day the
completion no longer counts and a new duty starts ("utløpt"), due
``renew_deadline_days`` after the expiry (or at the assignment's own deadline if
that is later). This holds however long ago the assignment's first deadline
passed, so an expired completion can always be renewed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from learning.content.models import ServiceArea
from learning.errors import UserError
from learning.formatting import local
from learning.records import Assignment, AuditAction, ModuleProgress, Role, User
from learning.services.audit import record
from learning.services.authz import LEADER_ROLES, require_municipality, require_role
from learning.services.base import ContentService


class Duty(StrEnum):
    DONE = "done"
    DUE = "due"
    OVERDUE = "overdue"
    RENEW = "renew"  # completed once, but the completion has expired: a new duty, not yet overdue
    EXPIRING = "expiring"  # the completion still counts, but expires soon: the learner is asked to retake


DEFAULT_RENEW_WINDOW_DAYS = 30
DEFAULT_RENEW_DEADLINE_DAYS = 30


def months_before(day: date, months: int) -> date:
    return months_after(day, -months)


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day where it has fewer days)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def applies_to(assignment: Assignment, user: User) -> bool:
    return (assignment.municipality == user.municipality
            and (assignment.service_area is None or assignment.service_area == user.service_area)
            and (assignment.unit is None or assignment.unit == user.unit))


def _day(stamp: datetime | str) -> date:
    return local(datetime.fromisoformat(stamp) if isinstance(stamp, str) else stamp).date()


def expires_on(completed_at: datetime | str | None, renew_months: int | None) -> date | None:
    """The first day a completion no longer counts; None when it never expires."""
    if completed_at is None or renew_months is None:
        return None
    return months_after(_day(completed_at), renew_months)


def completion_counts(completed_at: datetime | str | None, renew_months: int | None, today: date) -> bool:
    if completed_at is None:
        return False
    expiry = expires_on(completed_at, renew_months)
    return expiry is None or today < expiry


def due_date(assignment: Assignment, completed_at: datetime | str | None) -> date:
    """The deadline that applies now: the assignment's, or the renewal's once a completion expires."""
    expiry = expires_on(completed_at, assignment.renew_months)
    if expiry is None:
        return assignment.deadline
    return max(assignment.deadline, expiry + timedelta(days=assignment.renew_deadline_days))


def duty(assignment: Assignment, completed_at: datetime | str | None, today: date) -> Duty:
    expiry = expires_on(completed_at, assignment.renew_months)
    if completed_at is not None and (expiry is None or today < expiry):
        window = timedelta(days=assignment.renew_window_days)
        return Duty.EXPIRING if expiry is not None and today >= expiry - window else Duty.DONE
    deadline = due_date(assignment, completed_at)
    if completed_at is not None:
        return Duty.RENEW if today <= deadline else Duty.OVERDUE
    return Duty.OVERDUE if deadline < today else Duty.DUE


def asks_retake(requirement_duty: Duty, completed_at: datetime | None) -> bool:
    """Whether the learner should take a completed module again now."""
    return completed_at is not None and requirement_duty in (Duty.EXPIRING, Duty.RENEW, Duty.OVERDUE)


@dataclass(frozen=True)
class Requirement:
    """One required module for one learner: the strictest assignment wins."""

    assignment: Assignment
    duty: Duty
    deadline: date  # the assignment's, or the renewal's once a completion has expired
    expires: date | None = None  # when the current completion stops counting


def binding(user: User, assignments: list[Assignment]) -> dict[str, Assignment]:
    """The assignment that binds this learner for each module: the earliest deadline wins."""
    result: dict[str, Assignment] = {}
    for assignment in assignments:
        if applies_to(assignment, user):
            known = result.get(assignment.module_id)
            if known is None or assignment.deadline < known.deadline:
                result[assignment.module_id] = assignment
    return result


def requirements_for(user: User, assignments: list[Assignment], progress: dict[str, ModuleProgress],
                     today: date) -> dict[str, Requirement]:
    """Required modules for this learner by module id, with what is owed now."""
    result: dict[str, Requirement] = {}
    for module_id, assignment in binding(user, assignments).items():
        done = progress[module_id].completed_at if module_id in progress else None
        result[module_id] = Requirement(assignment, duty(assignment, done, today), due_date(assignment, done),
                                        expires_on(done, assignment.renew_months))
    return result


class AssignmentService(ContentService):
    def create(self, actor: User | None, *, municipality: str, module_id: str, deadline: date,
               service_area: ServiceArea | None = None, unit: str | None = None,
               renew_months: int | None = None, renew_window_days: int = DEFAULT_RENEW_WINDOW_DAYS,
               renew_deadline_days: int = DEFAULT_RENEW_DEADLINE_DAYS) -> Assignment:
        actor = require_role(actor, *LEADER_ROLES)
        require_municipality(actor, municipality)
        if actor.role == Role.MANAGER and actor.manager_area and service_area != actor.manager_area:
            raise UserError("assign.outside_area")
        if module_id not in self.content.modules:
            raise UserError("learn.module_not_found")
        if deadline < self.today():
            raise UserError("assign.deadline_past")
        if renew_months is not None and not 1 <= renew_months <= 60:
            raise UserError("assign.renew_range")
        if not (0 <= renew_window_days <= 365 and 1 <= renew_deadline_days <= 365):
            raise UserError("renewal.days_range")
        assignment = Assignment(
            id=secrets.token_hex(6), municipality=municipality, module_id=module_id,
            service_area=service_area, unit=(unit or "").strip() or None, deadline=deadline,
            renew_months=renew_months, renew_window_days=renew_window_days,
            renew_deadline_days=renew_deadline_days, created_by=actor.id, created_at=self.clock())
        self.repo.add_assignment(assignment)
        self._audit(actor, AuditAction.ASSIGNMENT_CREATED, assignment)
        return assignment

    def list(self, actor: User | None, municipality: str) -> list[Assignment]:
        actor = require_role(actor, *LEADER_ROLES)
        require_municipality(actor, municipality)
        items = self.repo.list_assignments(municipality)
        if actor.role == Role.MANAGER and actor.manager_area:
            items = [a for a in items if a.service_area == actor.manager_area]
        return sorted(items, key=lambda a: (a.deadline, a.module_id))

    def delete(self, actor: User | None, assignment_id: str) -> None:
        actor = require_role(actor, *LEADER_ROLES)
        found = next((a for a in self.repo.list_assignments() if a.id == assignment_id), None)
        if found is None:
            raise UserError("assign.not_found")
        require_municipality(actor, found.municipality)
        if actor.role == Role.MANAGER and actor.manager_area and found.service_area != actor.manager_area:
            raise UserError("assign.outside_area")
        self.repo.delete_assignment(assignment_id)
        self._audit(actor, AuditAction.ASSIGNMENT_DELETED, found)

    def _audit(self, actor: User, action: AuditAction, assignment: Assignment) -> None:
        record(self.repo, actor, action, at=self.clock(), target=assignment.module_id,
               municipality=assignment.municipality, assignment=assignment.id,
               service_area=assignment.service_area.value if assignment.service_area else None,
               unit=assignment.unit, deadline=assignment.deadline.isoformat())

    def mine(self, user: User | None) -> dict[str, Requirement]:
        """The learner's required modules, for the top of the catalog."""
        user = require_role(user, *Role)
        return requirements_for(user, self.repo.list_assignments(user.municipality),
                                self.repo.progress_for(user.id), self.today())
