"""Stored records: users, module progress, quiz attempts, assignments.

Plain pydantic models so every storage adapter stores and returns the same
shapes. Only the personal data the job needs: name, e-mail, workplace, role.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from learning.content.models import ServiceArea
from learning.i18n import Language


class Role(StrEnum):
    LEARNER = "learner"
    MANAGER = "manager"
    MUNICIPAL_ADMIN = "municipal_admin"   # kommuneadministrator: users, units, assignments of one municipality
    COORDINATOR = "coordinator"
    AUTHOR = "author"
    ADMIN = "admin"


class User(BaseModel):
    id: str
    username: str
    name: str
    email: str = ""
    municipality: str = Field(description="Kommunenummer, four digits.")
    service_area: ServiceArea | None = None
    unit: str = ""
    role: Role = Role.LEARNER
    manager_area: ServiceArea | None = Field(
        default=None, description="A manager limited to one service area."
    )
    password_hash: str | None = Field(default=None, description="None: cannot sign in.")
    temporary_password_until: datetime | None = Field(
        default=None, description="Set: the password is a one-time password from an admin, valid until then, "
                                  "and must be changed at sign-in.")
    created_at: datetime
    active: bool = True
    language: Language | None = Field(
        default=None, description="The UI and content language the person chose; None: not chosen, so the "
                                  "municipality's service language, else bokmål (older records have none).")
    anonymised_at: datetime | None = Field(
        default=None, description="Set: personal data removed; the record stays so figures add up.")
    identity_issuer: str | None = Field(
        default=None, description="Single sign-on: the OpenID provider's issuer; with the subject, who this is.")
    identity_subject: str | None = Field(default=None, description="Single sign-on: the provider's id for the person.")
    pending: bool = Field(
        default=False, description="Came by single sign-on and waits for an admin to place them: no access yet.")
    identity_claims: dict[str, str | list[str]] = Field(
        default_factory=dict, description="What the provider said at first sign-in (name, e-mail, groups, "
                                          "organisation), so an admin can place a pending account.")


STAFF_IN_ANY_CASE = frozenset({Role.LEARNER})
STAFF_WHEN_PLACED = frozenset({Role.MANAGER, Role.MUNICIPAL_ADMIN})


def counts_as_staff(user: User) -> bool:
    """Whether a user is one of the municipality's staff in figures, tables and exports.

    Learners always are. A leader or municipal admin is when placed in a service
    area (a head of a kindergarten takes the modules too); a role-only account (no
    service area), an author, a coordinator or an admin never is. Deactivated users
    keep their history but leave the active figures; accounts pending placement never count.
    """
    if not user.active or user.pending:
        return False
    return user.role in STAFF_IN_ANY_CASE or (user.role in STAFF_WHEN_PLACED and user.service_area is not None)


class Unit(BaseModel):
    """A workplace in a municipality (a kindergarten, a school, an office), from a managed list."""

    name: str
    service_area: ServiceArea | None = None


class LoginState(BaseModel):
    failures: int = 0
    locked_until: datetime | None = None
    last_sign_in: datetime | None = Field(
        default=None, description="Last successful sign-in (UTC); None in records from before it was kept.")


class ModuleProgress(BaseModel):
    """One learner's progress in one module."""

    module_id: str
    content_version: int
    lessons_read: list[str] = Field(default_factory=list)
    lessons_read_at: dict[str, datetime] = Field(
        default_factory=dict, description="When each lesson was first marked read (for xAPI); older records have none."
    )
    current_lesson: str | None = None
    view: str = Field(default="lesson", description="Where the learner was: lesson or quiz.")
    quiz_passed: bool = False
    best_percent: int | None = None
    started_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None
    completed_version: int | None = None
    earlier_completions: list[datetime] = Field(
        default_factory=list, description="Completions before the current one (each retake adds the last)."
    )
    retaking: bool = Field(
        default=False, description="Taking a completed module again: completed_at still holds the last "
                                   "completion (it counts until it expires) until the retake completes.")


def share_percent(points: int, max_points: int) -> int:
    """Points as a whole-number share of the best possible; the pass rule compares this."""
    return round(100 * points / max_points) if max_points else 0


class StepChoice(BaseModel):
    step_id: str
    choice_index: int = Field(description="The choice's place in the file: its id, whatever order it was shown in.")
    points: int
    max_points: int
    critical: bool = False
    at: datetime | None = Field(default=None, description="When it was chosen (for xAPI); older records have none.")


class QuizAttempt(BaseModel):
    """Every choice of every attempt: the path taken, not only the score."""

    id: str
    quiz_id: str
    quiz_version: int
    module_id: str
    started_at: datetime
    finished_at: datetime | None = None
    path: list[StepChoice] = Field(default_factory=list)
    feedback_pending: bool = Field(
        default=False, description="The last choice's feedback is shown but not yet acknowledged."
    )
    shuffle_seed: int | None = Field(
        default=None, description="Orders the choices of every step for this attempt; None keeps the file order."
    )

    @property
    def hit_critical(self) -> bool:
        """A safety-critical mistake was chosen: the attempt cannot pass."""
        return any(step.critical for step in self.path)

    @property
    def points(self) -> int:
        return sum(step.points for step in self.path)

    @property
    def max_points(self) -> int:
        return sum(step.max_points for step in self.path)

    @property
    def percent(self) -> int:
        return share_percent(self.points, self.max_points)


class Assignment(BaseModel):
    """A mandatory module for a municipality, a service area or a unit."""

    id: str
    municipality: str
    module_id: str
    service_area: ServiceArea | None = None
    unit: str | None = None
    deadline: date
    renew_months: int | None = None
    renew_window_days: int = Field(
        default=30, description="Days before a completion expires in which the learner is asked to retake.")
    renew_deadline_days: int = Field(
        default=30, description="Days after a completion expires to renew it before it is overdue.")
    created_by: str
    created_at: datetime


class AuditAction(StrEnum):
    """What an audit entry records: short fixed codes, never free text."""

    PERSON_VIEWED = "person_viewed"
    EXPORTED = "exported"
    USER_CREATED = "user_created"
    ROLE_CHANGED = "role_changed"
    PLACEMENT_CHANGED = "placement_changed"
    ACTIVE_CHANGED = "active_changed"
    TEMPORARY_PASSWORD = "temporary_password"
    ASSIGNMENT_CREATED = "assignment_created"
    ASSIGNMENT_DELETED = "assignment_deleted"
    CONTENT_PUBLISHED = "content_published"
    SIGNED_IN = "signed_in"
    LOCKED_OUT = "locked_out"
    OWN_DATA_EXPORTED = "own_data_exported"
    USER_ANONYMISED = "user_anonymised"
    AUDIT_EXPORTED = "audit_exported"
    AUDIT_PRUNED = "audit_pruned"
    TEAM_SESSION_RECORDED = "team_session_recorded"
    TEAM_SESSION_DELETED = "team_session_deleted"


AuditDetail = str | int | bool | None


class AuditEntry(BaseModel):
    """One line of the append-only audit log: who did what to whom, in which municipality.

    Only ids, codes and numbers: no passwords, no names, no text a user typed, so an
    anonymised person's entries need no rewriting (their id is the anonymous id).
    """

    at: datetime = Field(description="UTC.")
    actor: str = Field(description="User id; 'system' for the command line and retention; '' when unknown.")
    actor_municipality: str = ""
    action: AuditAction
    target: str = Field(default="", description="User id, module or scenario id, or file name.")
    municipality: str = Field(default="", description="The municipality concerned; '' for the whole network.")
    details: dict[str, AuditDetail] = Field(default_factory=dict)
