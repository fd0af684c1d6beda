"""Copy one store into another through the Repository: moving an embedded installation up to PostgreSQL.

Both stores are read into a ``Snapshot`` (records per kind and key), so the copy can be
checked and repeated safely: an empty target gets everything; a target that already
holds exactly the source's data is left alone; a target holding only part of it (an
earlier copy that stopped half-way) gets the rest; a target with any other data is
refused before anything is written. Afterwards the target is read again and the counts
per kind must match.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from learning.errors import UserError
from learning.records import LoginState
from learning.storage.repository import Repository

KINDS = ("users", "login_state", "progress", "attempts", "assignments", "docs", "audit", "revocations", "user_docs")
USER_COLLECTIONS = ("notes", "mail")  # every collection of a person's own documents (Repository.user_docs)
BATCH = 1000  # users per bulk write of progress and attempts


class Outcome(StrEnum):
    COPIED = "copied"
    RESUMED = "resumed"
    SAME = "same"


@dataclass
class Snapshot:
    """Everything a store holds, as records per kind and key (the audit log is keyed by position)."""

    parts: dict[str, dict[Hashable, object]] = field(default_factory=lambda: {kind: {} for kind in KINDS})

    def counts(self) -> dict[str, int]:
        return {kind: len(records) for kind, records in self.parts.items()}

    def is_empty(self) -> bool:
        return not any(self.parts.values())

    def within(self, other: Snapshot) -> bool:
        """Every record here is also in ``other``, unchanged (what an interrupted copy leaves)."""
        return all(key in other.parts[kind] and other.parts[kind][key] == record
                   for kind, records in self.parts.items() for key, record in records.items())

    def missing_in(self, target: Snapshot, kind: str) -> list[tuple[Hashable, object]]:
        return [(key, record) for key, record in self.parts[kind].items() if key not in target.parts[kind]]


def snapshot(repo: Repository, *, skip_if_new: bool = False) -> Snapshot:
    """Read the whole store; per-user records for every listed user. ``skip_if_new`` saves reading an empty store."""
    snap = Snapshot()
    if skip_if_new and repo.is_new():
        return snap
    parts = snap.parts
    for user in repo.list_users():
        parts["users"][user.id] = user
        state = repo.login_state(user.id)
        if state != LoginState():  # the default is what a store returns for "nothing stored"
            parts["login_state"][user.id] = state
        revoked = repo.sessions_revoked_at(user.id)
        if revoked is not None:
            parts["revocations"][user.id] = revoked
        for module_id, progress in repo.progress_for(user.id).items():
            parts["progress"][(user.id, module_id)] = progress
        for attempt in repo.attempts_for(user.id):
            parts["attempts"][(user.id, attempt.id)] = attempt
        for collection in USER_COLLECTIONS:
            for key, doc in repo.user_docs(user.id, collection).items():
                parts["user_docs"][(user.id, collection, key)] = doc
    for assignment in repo.list_assignments():
        parts["assignments"][assignment.id] = assignment
    for collection, docs in repo.all_docs().items():
        for key, doc in docs.items():
            parts["docs"][(collection, key)] = doc
    parts["audit"] = dict(enumerate(repo.audit_entries()))
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
    target.add_users(user for _, user in want.missing_in(have, "users"))  # type: ignore[misc]
    for user_id, state in want.missing_in(have, "login_state"):
        target.set_login_state(str(user_id), state)  # type: ignore[arg-type]
    for user_id, at in want.missing_in(have, "revocations"):
        target.revoke_sessions(str(user_id), at)  # type: ignore[arg-type]
    owners = {key[0] for kind in ("progress", "attempts")  # type: ignore[index]
              for key, _ in want.missing_in(have, kind)}
    _load_state(want, [uid for uid in want.parts["users"] if uid in owners], target)
    for _, assignment in want.missing_in(have, "assignments"):
        target.add_assignment(assignment)  # type: ignore[arg-type]
    for (collection, key), doc in want.missing_in(have, "docs"):  # type: ignore[misc]
        target.put_doc(collection, key, doc)
    for (user_id, collection, key), doc in want.missing_in(have, "user_docs"):  # type: ignore[misc]
        target.update_user_doc(user_id, collection, key, lambda _, doc=doc: doc)
    for _, entry in want.missing_in(have, "audit"):
        target.append_audit(entry)  # type: ignore[arg-type]


def _load_state(want: Snapshot, user_ids: Iterable[Hashable], target: Repository) -> None:
    """Each listed user's whole progress and attempts, in batches (bulk_load_state replaces a user's state)."""
    state: dict = {uid: ([], []) for uid in user_ids}
    for (uid, _), progress in want.parts["progress"].items():  # type: ignore[misc]
        if uid in state:
            state[uid][0].append(progress)
    for (uid, _), attempt in want.parts["attempts"].items():  # type: ignore[misc]
        if uid in state:
            state[uid][1].append(attempt)
    ids = list(state)
    for start in range(0, len(ids), BATCH):
        target.bulk_load_state({uid: state[uid] for uid in ids[start:start + BATCH]})
