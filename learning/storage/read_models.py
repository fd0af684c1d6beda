"""Typed read models for reports: what the repository answers about many people at once.

Reports never see a stored document, a file or a table: every adapter returns these frozen
dataclasses with real ``datetime``s. PostgreSQL computes the counts in SQL; the TinyDB and
in-memory adapters compute the same models in Python (``report_python``). The domain rules
(who counts as staff, which assignment binds, when a completion still counts) stay in the
services: they pass them in as a ``StaffScope`` and ``DutyRule``s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from learning.content.models import ServiceArea
from learning.records import User

NO_UNIT = ""


@dataclass(frozen=True)
class StaffScope:
    """Whose figures: one municipality (optionally one service area of it), or the whole network.

    Only people who count as staff (``records.counts_as_staff``) are ever in a scope.
    """

    municipality: str | None
    service_area: ServiceArea | None = None


@dataclass(frozen=True)
class StaffMember:
    user_id: str
    name: str
    unit: str
    service_area: ServiceArea | None
    municipality: str


@dataclass(frozen=True)
class ModuleRecord:
    """One person's stored progress in one module."""

    module_id: str
    started_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    best_percent: int | None
    finished_attempts: int


@dataclass(frozen=True)
class PersonRecord:
    member: StaffMember
    modules: Mapping[str, ModuleRecord]   # module id -> record; only the modules asked for

    @property
    def last_activity(self) -> datetime | None:
        return max((m.updated_at for m in self.modules.values()), default=None)


@dataclass(frozen=True)
class DutyRule:
    """One group of staff owes one module now (its binding assignment's deadline has passed).

    A person of the group (same service area and unit) is overdue unless they completed the
    module at or after ``counts_from``; ``None``: any completion counts.
    """

    service_area: ServiceArea | None
    unit: str
    module_id: str
    counts_from: datetime | None


@dataclass(frozen=True)
class StaffGroup:
    """Staff in one service area and unit (people whose data cannot be read included)."""

    service_area: ServiceArea | None
    unit: str
    staff: int


@dataclass(frozen=True)
class CompletionFigures:
    """A scope's dashboard counts; people whose data cannot be read are left out and counted."""

    staff: Mapping[tuple[ServiceArea | None, str], int]           # (area, unit) -> staff
    completed: Mapping[tuple[ServiceArea | None, str, str], int]  # (area, unit, module) -> completed
    started: int                 # persons with progress in at least one of the modules
    completed_any: int           # persons who completed at least one
    overdue: int                 # persons overdue on at least one module under the rules
    weekly: Mapping[date, int]   # completions per week (Monday, Norwegian time)
    unreadable: int = 0


@dataclass(frozen=True)
class NetworkFigures:
    staff: Mapping[str, int]                 # municipality -> staff whose data could be read
    completed: Mapping[tuple[str, str], int]  # (municipality, module) -> completions
    unreadable: int = 0


@dataclass(frozen=True)
class FirstAttempts:
    """Each person's first attempt at one scenario, as counts of the choices made in it."""

    persons: int                          # first attempts with at least one choice
    picks: Mapping[tuple[str, int], int]  # (step id, choice index in the file) -> persons


class StaffSort(StrEnum):
    NAME = "name"
    UNIT = "unit"
    COMPLETED = "completed"          # most completed modules first
    LAST_ACTIVE = "last_active"      # most recent first; never active last


class ModuleStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class StaffQuery:
    """A page of a scope's staff: search in names, filters, a sort, a window.

    ``status`` applies to ``module_id``; ``OVERDUE`` without a module: overdue on any module
    (under ``rules``). ``limit`` None: every match (exports).
    """

    search: str = ""
    areas: tuple[ServiceArea, ...] = ()
    units: tuple[str, ...] = ()
    module_id: str | None = None
    status: ModuleStatus | None = None
    rules: tuple[DutyRule, ...] = ()
    modules: tuple[str, ...] = ()   # the modules counted by COMPLETED and LAST_ACTIVE
    sort: StaffSort = StaffSort.NAME
    offset: int = 0
    limit: int | None = 50


@dataclass(frozen=True)
class StaffPage:
    members: tuple[StaffMember, ...]
    total: int                   # matches in all pages


@dataclass(frozen=True)
class UserPage:
    """One page of a municipality's users (every role) and how many match in all pages."""

    users: tuple[User, ...]
    total: int


def name_key(text: str) -> str:
    """Sort and search key for names and units: case-free, Norwegian order (æ, ø, å after z).

    The same key in every adapter, so pages come out in the same order wherever data lives.
    """
    return text.casefold().translate(_NORWEGIAN)


_NORWEGIAN = str.maketrans({"æ": "\U0010fff0", "ø": "\U0010fff1", "å": "\U0010fff2"})
