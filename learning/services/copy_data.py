"""Copy one store into another through the Repository: moving an embedded installation up to PostgreSQL.

Both stores are read into a ``Snapshot`` (records per kind and key), so the copy can be
checked and repeated safely: an empty target gets everything; a target that already
holds exactly the source's data is left alone; a target holding only part of it (an
earlier copy that stopped half-way) gets the rest; a target with any other data is
refused before anything is written. Afterwards the target is read again and the counts
per kind must match.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from functools import partial
from typing import TypeVar

from learning.errors import UserError
from learning.records import Assignment, AuditEntry, LoginState, ModuleProgress, QuizAttempt, User
from learning.storage.repository import Repository

USER_COLLECTIONS = ("notes", "mail")  # every collection of a person's own documents (Repository.user_docs)
BATCH = 1000  # users per bulk write of progress and attempts


class Outcome(StrEnum):
    COPIED = "copied"
    RESUMED = "resumed"
    SAME = "same"


@dataclass
class Snapshot:
    """Everything a store holds, as records per kind and key (the audit log is keyed by position)."""

    users: dict[str, User] = field(default_factory=dict)
    login_state: dict[str, LoginState] = field(default_factory=dict)
    progress: dict[tuple[str, str], ModuleProgress] = field(default_factory=dict)
    attempts: dict[tuple[str, str], QuizAttempt] = field(default_factory=dict)
    assignments: dict[str, Assignment] = field(default_factory=dict)
    docs: dict[tuple[str, str], dict] = field(default_factory=dict)
    audit: dict[int, AuditEntry] = field(default_factory=dict)
    revocations: dict[str, datetime] = field(default_factory=dict)
    user_docs: dict[tuple[str, str, str], dict] = field(default_factory=dict)  # (user, collection, key)

    @property
    def parts(self) -> dict[str, Mapping[object, object]]:
        """The records of each kind by key, in the order of ``KINDS``."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def counts(self) -> dict[str, int]:
        return {kind: len(records) for kind, records in self.parts.items()}

    def is_empty(self) -> bool:
        return not any(self.parts.values())

    def within(self, other: Snapshot) -> bool:
        """Every record here is also in ``other``, unchanged (what an interrupted copy leaves)."""
        theirs = other.parts
        return all(key in theirs[kind] and theirs[kind][key] == record
                   for kind, records in self.parts.items() for key, record in records.items())


KINDS = tuple(f.name for f in fields(Snapshot))


K = TypeVar("K")
V = TypeVar("V")


def _missing(want: dict[K, V], have: dict[K, V]) -> list[tuple[K, V]]:
    """The records ``want`` has and ``have`` lacks, by key."""
    return [(key, record) for key, record in want.items() if key not in have]


def snapshot(repo: Repository, *, skip_if_new: bool = False) -> Snapshot:
    """Read the whole store; per-user records for every listed user. ``skip_if_new`` saves reading an empty store."""
    snap = Snapshot()
    if skip_if_new and repo.is_new():
        return snap
    for user in repo.list_users():
        snap.users[user.id] = user
        state = repo.login_state(user.id)
        if state != LoginState():  # the default is what a store returns for "nothing stored"
            snap.login_state[user.id] = state
        revoked = repo.sessions_revoked_at(user.id)
        if revoked is not None:
            snap.revocations[user.id] = revoked
        for module_id, progress in repo.progress_for(user.id).items():
            snap.progress[(user.id, module_id)] = progress
        for attempt in repo.attempts_for(user.id):
            snap.attempts[(user.id, attempt.id)] = attempt
        for collection in USER_COLLECTIONS:
            for key, doc in repo.user_docs(user.id, collection).items():
                snap.user_docs[(user.id, collection, key)] = doc
    for assignment in repo.list_assignments():
        snap.assignments[assignment.id] = assignment
    for collection, docs in repo.all_docs().items():
        for key, doc in docs.items():
            snap.docs[(collection, key)] = doc
    snap.audit = dict(enumerate(repo.audit_entries()))
    return snap


@dataclass(frozen=True)
class CopyResult:
    outcome: Outcome
    source: dict[str, int]
    target: dict[str, int]


def copy_store(source: Repository, target: Repository) -> CopyResult:
    """Copy ``source`` into ``target``; raises ``UserError`` when the target holds other data or counts differ."""
    have, want = snapshot(target, skip_if_new=True), snapshot(source)
    if have == want:
        return CopyResult(Outcome.SAME, want.counts(), have.counts())
    if not have.within(want):
        raise UserError("copy.target_differs")
    outcome = Outcome.COPIED if have.is_empty() else Outcome.RESUMED
    _write(want, have, target)
    counts = snapshot(target).counts()
    if counts != want.counts():
        differ = ", ".join(kind for kind in KINDS if counts[kind] != want.counts()[kind])
        raise UserError("copy.mismatch", kinds=differ)
    return CopyResult(outcome, want.counts(), counts)


def _write(want: Snapshot, have: Snapshot, target: Repository) -> None:
    """Add what the target lacks; users first (in the source's order), the audit log last."""
    target.add_users(user for _, user in _missing(want.users, have.users))
    for user_id, state in _missing(want.login_state, have.login_state):
        target.set_login_state(user_id, state)
    for user_id, at in _missing(want.revocations, have.revocations):
        target.revoke_sessions(user_id, at)
    owners = {user_id for (user_id, _), _ in _missing(want.progress, have.progress)}
    owners |= {user_id for (user_id, _), _ in _missing(want.attempts, have.attempts)}
    _load_state(want, [uid for uid in want.users if uid in owners], target)
    for _, assignment in _missing(want.assignments, have.assignments):
        target.add_assignment(assignment)
    for (collection, key), doc in _missing(want.docs, have.docs):
        target.put_doc(collection, key, doc)
    for (user_id, collection, key), doc in _missing(want.user_docs, have.user_docs):
        target.update_user_doc(user_id, collection, key, partial(_replace, doc))
    for _, entry in _missing(want.audit, have.audit):
        target.append_audit(entry)


def _replace(doc: dict, _old: dict | None) -> dict:
    return doc


def _load_state(want: Snapshot, user_ids: Iterable[str], target: Repository) -> None:
    """Each listed user's whole progress and attempts, in batches (bulk_load_state replaces a user's state)."""
    state: dict[str, tuple[list[ModuleProgress], list[QuizAttempt]]] = {uid: ([], []) for uid in user_ids}
    for (uid, _), progress in want.progress.items():
        if uid in state:
            state[uid][0].append(progress)
    for (uid, _), attempt in want.attempts.items():
        if uid in state:
            state[uid][1].append(attempt)
    ids = list(state)
    for start in range(0, len(ids), BATCH):
        target.bulk_load_state({uid: state[uid] for uid in ids[start:start + BATCH]})
