"""An in-memory Repository: for fast service tests, and the contract suite's reference.

Everything lives in dicts behind one lock, so every read-modify-write is atomic. Records
are kept as the JSON their model dumps (and copied on the way in and out), so callers
get the same shapes and the same isolation as from the real adapters.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime

from pydantic import BaseModel

from learning.records import Assignment, AuditEntry, LoginState, ModuleProgress, QuizAttempt, User
from learning.storage.errors import DamagedFile, StoreNotEmpty
from learning.storage.read_models import UserPage
from learning.storage.report_python import PythonReports, State
from learning.storage.repository import DocKey, DuplicateUsername, StateDocs
from learning.storage.user_pages import user_page


def _dump(record: BaseModel) -> dict:
    return record.model_dump(mode="json")


class MemoryRepository(PythonReports):
    """Nothing is persisted; one instance is one store."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._version = 0
        self._docs_version = 0
        self._report_version = 0
        self._users: dict[str, dict] = {}
        self._login: dict[str, dict] = {}
        self._progress: dict[str, dict[str, dict]] = {}
        self._attempts: dict[str, dict[str, dict]] = {}
        self._assignments: dict[str, dict] = {}
        self._docs: dict[str, dict[str, dict]] = {}
        self._audit: list[dict] = []
        self._revoked: dict[str, datetime] = {}
        self._user_docs: dict[tuple[str, str], dict[str, dict]] = {}

    def _bump(self, *, reports: bool = False) -> None:
        self._version += 1
        self._report_version += reports

    def data_version(self) -> int:
        return self._version

    def report_version(self) -> int:
        return self._report_version

    def docs_version(self) -> int:
        return self._docs_version

    # users
    def add_user(self, user: User) -> None:
        self.add_users([user])

    def add_first_user(self, user: User) -> bool:
        with self._lock:
            if not self.is_new():
                return False
            self.add_users([user])
            return True

    def add_users(self, users: Iterable[User]) -> None:
        users = list(users)
        with self._lock:
            names = {doc["username"] for doc in self._users.values()}
            for user in users:
                if user.username in names:
                    raise DuplicateUsername(user.username)
                names.add(user.username)
            for user in users:
                self._users[user.id] = _dump(user)
            if users:
                self._bump(reports=True)

    def get_user(self, user_id: str) -> User | None:
        doc = self._users.get(user_id)
        return User.model_validate(doc) if doc else None

    def find_user(self, username: str) -> User | None:
        with self._lock:
            doc = next((d for d in self._users.values() if d["username"] == username), None)
        return User.model_validate(doc) if doc else None

    def update_user(self, user_id: str, change: Callable[[User], User]) -> User:
        with self._lock:
            doc = self._users.get(user_id)
            if doc is None:
                raise KeyError(user_id)
            new = change(User.model_validate(doc))
            if any(d["username"] == new.username and key != user_id for key, d in self._users.items()):
                raise DuplicateUsername(new.username)
            self._users[user_id] = _dump(new)
            self._bump(reports=True)
            return new

    def list_users(self, municipality: str | None = None) -> list[User]:
        with self._lock:
            docs = list(self._users.values())
        return [User.model_validate(d) for d in docs if municipality is None or d["municipality"] == municipality]

    def has_users(self) -> bool:
        return bool(self._users)

    def user_page(self, municipality: str, search: str = "", offset: int = 0, limit: int = 50) -> UserPage:
        with self._lock:
            docs = list(self._users.values())
        return user_page(docs, municipality, search, offset, limit)

    def is_new(self) -> bool:
        if self._users:
            return False
        if (self._login or any(self._progress.values()) or any(self._attempts.values())
                or self._assignments or any(self._docs.values()) or self._audit
                or any(self._user_docs.values())):
            raise DamagedFile("users", "no users beside other data", shared=True, key="database.users_missing")
        return True

    # per-user state
    def login_state(self, user_id: str) -> LoginState:
        doc = self._login.get(user_id)
        return LoginState.model_validate(doc) if doc else LoginState()

    def set_login_state(self, user_id: str, state: LoginState) -> None:
        with self._lock:
            self._login[user_id] = _dump(state)
            self._bump()

    def update_login_state(self, user_id: str, change: Callable[[LoginState], LoginState]) -> LoginState:
        with self._lock:
            new = change(self.login_state(user_id))
            self._login[user_id] = _dump(new)
            self._bump()
            return new

    def sessions_revoked_at(self, user_id: str) -> datetime | None:
        return self._revoked.get(user_id)

    def revoke_sessions(self, user_id: str, at: datetime) -> None:
        with self._lock:
            old = self._revoked.get(user_id)
            self._revoked[user_id] = max(at, old) if old else at
            self._bump()

    def progress_for(self, user_id: str) -> dict[str, ModuleProgress]:
        with self._lock:
            docs = dict(self._progress.get(user_id, {}))
        return {key: ModuleProgress.model_validate(doc) for key, doc in docs.items()}

    def update_progress(self, user_id: str, module_id: str,
                        change: Callable[[ModuleProgress | None], ModuleProgress]) -> ModuleProgress:
        with self._lock:
            doc = self._progress.get(user_id, {}).get(module_id)
            new = change(ModuleProgress.model_validate(doc) if doc else None)
            self._progress.setdefault(user_id, {})[module_id] = _dump(new)
            self._bump(reports=True)
            return new

    def attempts_for(self, user_id: str) -> list[QuizAttempt]:
        with self._lock:
            docs = list(self._attempts.get(user_id, {}).values())
        return sorted((QuizAttempt.model_validate(d) for d in docs), key=lambda a: a.started_at)

    def update_attempt(self, user_id: str, attempt_id: str,
                       change: Callable[[QuizAttempt | None], QuizAttempt]) -> QuizAttempt:
        with self._lock:
            doc = self._attempts.get(user_id, {}).get(attempt_id)
            new = change(QuizAttempt.model_validate(doc) if doc else None)
            self._attempts.setdefault(user_id, {})[attempt_id] = _dump(new)
            self._bump(reports=True)
            return new

    # reports (report_python computes the read models)
    def _report_users(self) -> list[User]:
        return self.list_users()

    def _report_state(self, user_id: str) -> State:
        with self._lock:
            return (copy.deepcopy(list(self._progress.get(user_id, {}).values())),
                    copy.deepcopy(list(self._attempts.get(user_id, {}).values())))

    def bulk_load_state(self, state: dict[str, tuple[list[ModuleProgress], list[QuizAttempt]]]) -> None:
        with self._lock:
            for user_id, (progress, attempts) in state.items():
                self._progress[user_id] = {p.module_id: _dump(p) for p in progress}
                self._attempts[user_id] = {a.id: _dump(a) for a in attempts}
            self._bump(reports=True)

    @contextmanager
    def fresh_load(self) -> Iterator[_FreshLoader]:
        with self._lock:
            try:
                fresh = self.is_new()
            except DamagedFile:
                fresh = False
            if not fresh:
                raise StoreNotEmpty("memory")
        loader = _FreshLoader(self)
        try:
            yield loader
        except BaseException:
            with self._lock:
                for user_id in loader.loaded:
                    self._progress.pop(user_id, None)
                    self._attempts.pop(user_id, None)
            raise

    # assignments
    def add_assignment(self, assignment: Assignment) -> None:
        with self._lock:
            self._assignments[assignment.id] = _dump(assignment)
            self._bump(reports=True)

    def list_assignments(self, municipality: str | None = None) -> list[Assignment]:
        with self._lock:
            docs = list(self._assignments.values())
        return [Assignment.model_validate(d) for d in docs if municipality is None or d["municipality"] == municipality]

    def delete_assignment(self, assignment_id: str) -> None:
        with self._lock:
            self._assignments.pop(assignment_id, None)
            self._bump(reports=True)

    # generic documents
    def get_doc(self, collection: str, key: str) -> dict | None:
        with self._lock:
            return copy.deepcopy(self._docs.get(collection, {}).get(key))

    def put_doc(self, collection: str, key: str, doc: dict) -> None:
        self.update_doc(collection, key, lambda _: doc)

    def update_doc(self, collection: str, key: str, change: Callable[[dict | None], dict]) -> dict:
        with self._lock:
            new = change(self.get_doc(collection, key))
            self._docs.setdefault(collection, {})[key] = copy.deepcopy(new)
            self._bump(reports=True)
            self._docs_version += 1
            return new

    def update_docs(self, changes: Mapping[DocKey, Callable[[dict | None], dict]]) -> dict[DocKey, dict]:
        with self._lock:
            new = {key: changes[key](self.get_doc(*key)) for key in sorted(changes)}  # all or none
            for (collection, key), doc in new.items():
                self._docs.setdefault(collection, {})[key] = copy.deepcopy(doc)
            if new:
                self._bump(reports=True)
                self._docs_version += 1
            return new

    def list_docs(self, collection: str) -> list[dict]:
        with self._lock:
            return copy.deepcopy(list(self._docs.get(collection, {}).values()))

    def all_docs(self) -> dict[str, dict[str, dict]]:
        with self._lock:
            return copy.deepcopy({name: docs for name, docs in self._docs.items() if docs})

    # one person's own documents
    def user_docs(self, user_id: str, collection: str) -> dict[str, dict]:
        with self._lock:
            return copy.deepcopy(self._user_docs.get((user_id, collection), {}))

    def update_user_doc(self, user_id: str, collection: str, key: str,
                        change: Callable[[dict | None], dict | None]) -> dict | None:
        with self._lock:
            docs = self._user_docs.setdefault((user_id, collection), {})
            new = change(copy.deepcopy(docs.get(key)))
            if new is None:
                docs.pop(key, None)
            else:
                docs[key] = copy.deepcopy(new)
            self._bump()
            return new

    # audit log
    def append_audit(self, entry: AuditEntry) -> None:
        with self._lock:
            self._audit.append(_dump(entry))

    def audit_entries(self, keep: Callable[[AuditEntry], bool] | None = None) -> list[AuditEntry]:
        with self._lock:
            entries = [AuditEntry.model_validate(d) for d in self._audit]
        return [e for e in entries if keep is None or keep(e)]

    def prune_audit(self, before: datetime) -> int:
        with self._lock:
            kept = [d for d in self._audit if AuditEntry.model_validate(d).at >= before]
            removed = len(self._audit) - len(kept)
            self._audit = kept
            if removed:
                self._bump()
            return removed


class _FreshLoader:
    """Documents copied in as given (the store owns its copies); lives in this process only."""

    forks = False

    def __init__(self, repo: MemoryRepository):
        self.repo = repo
        self.loaded: set[str] = set()

    def load(self, state: StateDocs) -> None:
        repo = self.repo
        with repo._lock:
            if self.loaded & set(state):
                raise ValueError("a user loaded twice")
            for user_id, (progress, attempts) in state.items():
                repo._progress[user_id] = {p["module_id"]: copy.deepcopy(p) for p in progress}
                repo._attempts[user_id] = {a["id"]: copy.deepcopy(a) for a in attempts}
                self.loaded.add(user_id)
            repo._bump()
