"""The one storage interface the services use.

TinyDB files are the embedded default (``tinydb_repo``); ``postgres_repo`` implements
the same methods on PostgreSQL and ``memory_repo`` in memory (for tests);
``tests/test_repository_contract.py`` holds all three to the same promises. ``change``
callbacks run under the record's lock, so read-modify-write never loses a concurrent
update; they must be free of side effects (PostgreSQL runs one again when a concurrent
first write of the same record wins). Data that cannot be read raises
``learning.storage.errors.DamagedFile``; a database that cannot be reached raises
``StorageUnavailable``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol

from learning.records import Assignment, AuditEntry, LoginState, ModuleProgress, QuizAttempt, User
from learning.storage.read_models import (
    CompletionFigures,
    DutyRule,
    FirstAttempts,
    NetworkFigures,
    PersonRecord,
    StaffGroup,
    StaffPage,
    StaffQuery,
    StaffScope,
    UserPage,
)

DocKey = tuple[str, str]
"""A generic document's (collection, key)."""

StateDocs = Mapping[str, tuple[Sequence[dict], Sequence[dict]]]
"""Users' progress and attempts as their records' JSON (``model_dump(mode="json")``), by user id."""


class FreshLoader(Protocol):
    """Fills a store that held no data at all; made by ``Repository.fresh_load``."""

    forks: bool
    """True when ``load`` may also be called from processes forked while the loader is open
    (a file store), so a caller may make and load its data in parallel."""

    def load(self, state: StateDocs) -> None:
        """Store these users' progress and attempts; each user at most once per loader.

        The documents are trusted to be exactly their records' JSON: the store does not
        validate them (that is the point). Callers check the shape (``seed_demo`` validates a
        sample of every batch; tests compare with the record path).
        """
        ...


class DuplicateUsername(Exception):
    """The username is taken."""


class Repository(Protocol):
    def data_version(self) -> int:
        """A number that changes whenever anything is written; cheap to ask."""
        ...

    def report_version(self) -> int:
        """A number that changes whenever what reports read is written (users, progress, attempts,
        assignments, documents), by any process; sign-ins, the audit log and a person's own documents
        leave it alone, so figures shared between sessions survive other people signing in."""
        ...

    def docs_version(self) -> object:
        """A value that changes whenever a generic document is written (published content lives there)."""
        ...

    # Users
    def add_user(self, user: User) -> None: ...
    def add_first_user(self, user: User) -> bool:
        """Add ``user`` only while the store is new, in one atomic step across processes.

        False when any user or data already exists, so two first-run set-ups at once make one admin.
        """
        ...
    def add_users(self, users: Iterable[User]) -> None: ...
    def get_user(self, user_id: str) -> User | None: ...
    def find_user(self, username: str) -> User | None: ...
    def update_user(self, user_id: str, change: Callable[[User], User]) -> User: ...
    def list_users(self, municipality: str | None = None) -> list[User]: ...
    def has_users(self) -> bool: ...
    def user_page(self, municipality: str, search: str = "", offset: int = 0, limit: int = 50) -> UserPage:
        """Users of every role in ``municipality`` whose name or username holds ``search`` (any case),
        sorted by ``name_key`` of the name, then id; ``limit`` of them from ``offset``, and the count of all matches.
        The users page of a municipality with 100 000 people reads one page, not everyone."""
        ...
    def is_new(self) -> bool:
        """True only when the store holds no data at all (the one case for first-run set-up).

        Raises ``DamagedFile`` when the users' data is unreadable, empty or missing beside other data.
        """
        ...

    # Per-user state
    def login_state(self, user_id: str) -> LoginState: ...
    def set_login_state(self, user_id: str, state: LoginState) -> None: ...
    def update_login_state(self, user_id: str, change: Callable[[LoginState], LoginState]) -> LoginState:
        """Read-modify-write of the sign-in state, atomic across threads, processes and app servers.

        Sign-in reserves an attempt here before checking the password, so parallel guesses
        cannot all pass the lockout check.
        """
        ...
    def sessions_revoked_at(self, user_id: str) -> datetime | None:
        """Browser sessions of the user issued at or before this time no longer sign in."""
        ...
    def revoke_sessions(self, user_id: str, at: datetime) -> None:
        """Revoke the user's sessions issued up to ``at`` (sign-out, deactivation, new password).

        Atomic; the stored time only moves forward.
        """
        ...
    def progress_for(self, user_id: str) -> dict[str, ModuleProgress]: ...
    def update_progress(
        self, user_id: str, module_id: str,
        change: Callable[[ModuleProgress | None], ModuleProgress],
    ) -> ModuleProgress: ...
    def attempts_for(self, user_id: str) -> list[QuizAttempt]: ...
    def update_attempt(
        self, user_id: str, attempt_id: str,
        change: Callable[[QuizAttempt | None], QuizAttempt],
    ) -> QuizAttempt: ...
    def bulk_state(self, user_ids: Iterable[str]) -> dict[str, tuple[list[ModuleProgress], list[QuizAttempt]]]:
        """Many users' progress and attempts as records, in the order stored (exports).

        A user whose data cannot be read is left out of the result (and logged), not raised.
        """
        ...

    def bulk_load_state(
        self, state: dict[str, tuple[list[ModuleProgress], list[QuizAttempt]]]
    ) -> None: ...
    def fresh_load(self) -> AbstractContextManager[FreshLoader]:
        """A loader for many users' progress and attempts (demo data, benchmarks), only into a store with
        no data at all (``is_new``): else raises ``StoreNotEmpty`` and writes nothing.

        Faster than ``bulk_load_state``: plain documents, no per-record lock or temp file, on
        TinyDB one sync at the end instead of a sync per file. If the block fails, what was
        loaded is removed again, so the store is empty and the load can simply run again.
        """
        ...

    # Reports: typed read models (storage/read_models.py), computed where the data lives. Only staff
    # in the scope count; a person whose data cannot be read is left out, counted as unreadable and logged.
    def municipalities(self) -> list[str]:
        """Every municipality any user belongs to."""
        ...
    def staff_groups(self, scope: StaffScope) -> list[StaffGroup]:
        """Staff per service area and unit."""
        ...
    def completion_figures(self, scope: StaffScope, modules: Sequence[str],
                           rules: Sequence[DutyRule]) -> CompletionFigures: ...
    def network_figures(self, modules: Sequence[str]) -> NetworkFigures:
        """Staff and completions per municipality, the whole network."""
        ...
    def first_attempts(self, scope: StaffScope) -> dict[str, FirstAttempts]:
        """Per scenario id: each person's earliest attempt (by start), as choice counts."""
        ...
    def staff_page(self, scope: StaffScope, query: StaffQuery) -> StaffPage:
        """One page of the scope's staff, filtered and sorted (readable people only)."""
        ...
    def person_records(self, user_ids: Sequence[str], modules: Sequence[str]) -> dict[str, PersonRecord]:
        """Progress in ``modules`` of each asked user that exists and can be read."""
        ...

    # Assignments
    def add_assignment(self, assignment: Assignment) -> None: ...
    def list_assignments(self, municipality: str | None = None) -> list[Assignment]: ...
    def delete_assignment(self, assignment_id: str) -> None: ...

    # Generic documents (authoring drafts, versions): small, keyed collections
    def get_doc(self, collection: str, key: str) -> dict | None: ...
    def put_doc(self, collection: str, key: str, doc: dict) -> None: ...
    def update_doc(self, collection: str, key: str,
                   change: Callable[[dict | None], dict]) -> dict: ...
    def update_docs(self, changes: Mapping[DocKey, Callable[[dict | None], dict]]) -> dict[DocKey, dict]:
        """Read-modify-write several documents as one unit of work: all are written, or none.

        What must happen together (approving a draft writes its version and closes the draft;
        an import writes all its drafts) goes here: one transaction on PostgreSQL, one write
        of the documents file on TinyDB. The changes run in key order under the documents'
        locks; when one raises, nothing is written and the error propagates. Returns the
        new documents by key.
        """
        ...
    def list_docs(self, collection: str) -> list[dict]: ...
    def all_docs(self) -> dict[str, dict[str, dict]]:
        """Every document by collection and key: copying a whole store needs the keys ``list_docs`` drops."""
        ...

    # One person's own documents (private reflection notes, e-mail settings): stored with the
    # person's other data, read only by key of that person, so nothing lists them across people
    def user_docs(self, user_id: str, collection: str) -> dict[str, dict]:
        """The person's documents in ``collection`` by key (empty when none)."""
        ...
    def update_user_doc(self, user_id: str, collection: str, key: str,
                        change: Callable[[dict | None], dict | None]) -> dict | None:
        """Read-modify-write of one of the person's documents, atomic; ``change`` returning None removes it."""
        ...

    # Audit log: append-only; entries come back in the order written
    def append_audit(self, entry: AuditEntry) -> None:
        """Durable before it returns; many processes may append at once without losing one."""
        ...
    def audit_entries(self, keep: Callable[[AuditEntry], bool] | None = None) -> list[AuditEntry]:
        """Every readable entry (``keep`` filters); a line torn by a crash is skipped, not raised."""
        ...
    def prune_audit(self, before: datetime) -> int:
        """Remove entries older than ``before`` in one atomic step; returns how many went."""
        ...
