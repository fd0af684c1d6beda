"""Team sessions (samlinger): a facilitated 45-minute session on a module, recorded by a leader.

A session is a shared document (collection ``team_sessions``): the module, the day, the unit,
who facilitated (free text: often someone from outside) and the attendees by user id. It
is shown as "deltatt på samling", apart from completion: attending does not complete a module.
Leaders record and see sessions of their own municipality (a manager limited to one service
area: only attendees in that area); each person sees their own attendance; the own-data
export includes it.
"""

from __future__ import annotations

import builtins
import secrets
from collections.abc import Iterable
from datetime import date, datetime

from pydantic import BaseModel, Field

from learning.errors import UserError
from learning.i18n import t
from learning.records import AuditAction, Role, User, counts_as_staff
from learning.services.audit import record
from learning.services.authz import LEADER_ROLES, PermissionDenied, require_municipality, require_role
from learning.services.base import ContentService
from learning.services.exports import Table
from learning.services.units import check_unit

COLLECTION = "team_sessions"
MAX_FACILITATOR = 120


class TeamSession(BaseModel):
    id: str
    municipality: str
    module_id: str
    day: date
    unit: str = ""
    facilitator: str
    attendees: list[str] = Field(description="User ids of the staff who took part.")
    created_by: str
    created_at: datetime


class TeamSessionService(ContentService):
    def _visible_staff(self, actor: User, municipality: str, user_ids: Iterable[str]) -> set[str]:
        """Which of these people are staff of the municipality the leader may see.

        Looked up by id (a session's attendees), never by reading every person of the municipality:
        that was 100 000 users on every rerun of the sessions view of a large network.
        """
        area = actor.manager_area if actor.role == Role.MANAGER else None
        found = set()
        for user_id in set(user_ids):
            user = self.repo.get_user(user_id)
            if (user is not None and user.municipality == municipality and counts_as_staff(user)
                    and (area is None or user.service_area == area)):
                found.add(user_id)
        return found

    def record(self, actor: User | None, *, municipality: str, module_id: str, day: date, unit: str,
               facilitator: str, attendees: list[str]) -> TeamSession:
        actor = require_role(actor, *LEADER_ROLES)
        require_municipality(actor, municipality)
        if module_id not in self.content.modules:
            raise UserError("learn.module_not_found")
        if day > self.today() or day.year < 2000:
            raise UserError("sessions.day_range")
        facilitator = " ".join(facilitator.split())
        if not facilitator:
            raise UserError("sessions.need_facilitator")
        if len(facilitator) > MAX_FACILITATOR:
            raise UserError("accounts.field_too_long")
        people = list(dict.fromkeys(attendees))
        if not people:
            raise UserError("sessions.need_attendees")
        staff = self._visible_staff(actor, municipality, people)
        if any(uid not in staff for uid in people):
            raise PermissionDenied
        session = TeamSession(id=secrets.token_hex(6), municipality=municipality, module_id=module_id, day=day,
                              unit=check_unit(self.repo, municipality, unit), facilitator=facilitator,
                              attendees=people, created_by=actor.id, created_at=self.clock())
        self.repo.put_doc(COLLECTION, session.id, session.model_dump(mode="json"))
        record(self.repo, actor, AuditAction.TEAM_SESSION_RECORDED, at=self.clock(), target=module_id,
               municipality=municipality, session=session.id, attendees=len(people))
        return session

    def _all(self, municipality: str | None = None) -> list[TeamSession]:
        sessions = [TeamSession.model_validate(d) for d in self.repo.list_docs(COLLECTION) if not d.get("deleted")]
        return sorted((s for s in sessions if municipality is None or s.municipality == municipality),
                      key=lambda s: (s.day, s.created_at), reverse=True)

    def list(self, actor: User | None, municipality: str) -> list[TeamSession]:
        """The municipality's sessions, each with only the attendees this leader may see."""
        actor = require_role(actor, *LEADER_ROLES)
        require_municipality(actor, municipality)
        sessions = self._all(municipality)
        staff = self._visible_staff(actor, municipality, (uid for s in sessions for uid in s.attendees))
        out = []
        for session in sessions:
            seen = [uid for uid in session.attendees if uid in staff]
            if seen or actor.role != Role.MANAGER or not actor.manager_area:
                out.append(session.model_copy(update={"attendees": seen}))
        return out

    def delete(self, actor: User | None, session_id: str) -> None:
        actor = require_role(actor, *LEADER_ROLES)
        doc = self.repo.get_doc(COLLECTION, session_id)
        if doc is None:
            raise UserError("sessions.not_found")
        session = TeamSession.model_validate(doc)
        require_municipality(actor, session.municipality)
        if actor.role == Role.MANAGER and actor.manager_area and session.created_by != actor.id:
            raise PermissionDenied
        # Documents have no delete; an emptied session is one nobody attended, left out everywhere.
        self.repo.put_doc(COLLECTION, session_id, {**doc, "attendees": [], "deleted": True})
        record(self.repo, actor, AuditAction.TEAM_SESSION_DELETED, at=self.clock(), target=session.module_id,
               municipality=session.municipality, session=session.id)

    def mine(self, user: User | None) -> builtins.list[TeamSession]:  # ``list`` here is the method above
        """The sessions the signed-in person attended (their history)."""
        user = require_role(user, *Role)
        return attended(self.repo, user.id)

    def attendees(self, actor: User | None, municipality: str) -> set[str]:
        """Everyone who attended at least one of the municipality's sessions the caller may see."""
        return {uid for s in self.list(actor, municipality) for uid in s.attendees}

    def sessions_table(self, actor: User | None, municipality: str, titles: dict[str, str]) -> Table:
        """One row per attendee and session, for the dashboard's export."""
        staff = {u.id: u for u in self.repo.list_users(municipality)}
        rows = [[s.day.strftime("%d.%m.%Y"), titles.get(s.module_id, s.module_id), s.unit, s.facilitator,
                 staff[uid].name if uid in staff else "", staff[uid].unit if uid in staff else ""]
                for s in self.list(actor, municipality) for uid in s.attendees]
        return Table(t("sessions.sheet"), [t("sessions.col_day"), t("report.col_module"), t("sessions.col_unit"),
                                           t("sessions.col_facilitator"), t("report.col_name"),
                                           t("report.col_unit")], rows)


def attended(repo, user_id: str) -> list[TeamSession]:
    """Every session a person attended, newest first (no role check: callers check)."""
    sessions = [TeamSession.model_validate(d) for d in repo.list_docs(COLLECTION) if not d.get("deleted")]
    return sorted((s for s in sessions if user_id in s.attendees), key=lambda s: s.day, reverse=True)
