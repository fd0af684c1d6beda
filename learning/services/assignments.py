"""Mandatory modules: who must take what by when, and whether it still counts.

An assignment targets a municipality, optionally one service area or one unit.
With ``renew_months`` a completion older than that no longer counts, and the
learner is asked to take the module again.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
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
    RENEW = "renew"  # completed once, but the completion has expired


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
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


def completion_counts(completed_at: datetime | str | None, renew_months: int | None, today: date) -> bool:
    if completed_at is None:
        return False
    if renew_months is None:
        return True
    done_day = local(datetime.fromisoformat(completed_at)).date() if isinstance(completed_at, str) \
        else local(completed_at).date()
    return done_day > months_before(today, renew_months)


def duty(assignment: Assignment, completed_at: datetime | str | None, today: date) -> Duty:
    if completion_counts(completed_at, assignment.renew_months, today):
        return Duty.DONE
    if completed_at is not None:
        return Duty.RENEW if assignment.deadline >= today else Duty.OVERDUE
    return Duty.OVERDUE if assignment.deadline < today else Duty.DUE


@dataclass(frozen=True)
class Requirement:
    """One required module for one learner: the strictest assignment wins."""

    assignment: Assignment
    duty: Duty


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
        record = progress.get(module_id)
        result[module_id] = Requirement(assignment, duty(assignment, record.completed_at if record else None, today))
    return result


class AssignmentService(ContentService):
    def create(self, actor: User | None, *, municipality: str, module_id: str, deadline: date,
               service_area: ServiceArea | None = None, unit: str | None = None,
               renew_months: int | None = None) -> Assignment:
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
        assignment = Assignment(
            id=secrets.token_hex(6), municipality=municipality, module_id=module_id,
            service_area=service_area, unit=(unit or "").strip() or None, deadline=deadline,
            renew_months=renew_months, created_by=actor.id, created_at=self.clock())
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
