"""TinyDB adapter: one small file per user, plus shared files for users and the rest.

Layout under the data folder::

    users.json              all user profiles (written rarely)
    people/<ab>/<id>.json   one user's progress, quiz attempts and login state
    assignments.json        mandatory modules
    docs.json               authoring drafts and published versions

A progress write rewrites only that user's file, so its cost does not grow with
the number of users. Each file has its own lock; writes are atomic. A write holds
the lock across threads and, through ``flock`` on a ``.<name>.lock`` file beside
the data file, across processes, so read-modify-write never loses an update.

Damage stays where it is: a person's file that cannot be read raises ``DamagedFile``
for that person only (bulk reports leave the person out); a damaged shared file
raises it for everyone, naming the file; a user record that fails its checks is
left out of the users (and logged), so the others can still sign in.
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import ctypes.util
import fcntl
import functools
import json
import logging
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from tinydb import Query, TinyDB
from tinydb.table import Table

from learning.records import Assignment, AuditEntry, LoginState, ModuleProgress, QuizAttempt, User
from learning.storage.atomic import AtomicJSONStorage, ChangeCounter
from learning.storage.audit_log import AUDIT_FILE, AuditLogFile
from learning.storage.errors import DamagedFile, StoreNotEmpty
from learning.storage.read_models import UserPage
from learning.storage.report_python import PythonReports, State
from learning.storage.repository import DocKey, DuplicateUsername, StateDocs
from learning.storage.user_pages import user_page

M = TypeVar("M", bound=BaseModel)
KEY = "_key"
USERS_FILE = "users.json"
CHANGES_FILE = ".changes"  # the change counter every process on the folder bumps (atomic.ChangeCounter)
REPORT_CHANGES_FILE = ".report-changes"  # bumped too by writes of what reports read (report_version)
STALE_TEMP_SECONDS = 600  # a write takes milliseconds; an older temp file is from a crash
# atomic.atomic_write_bytes' and bulk_load_state's temp files: .<data file>.<pid>.<thread>.tmp, .<data file>.bulk.tmp
TEMP_FILE = re.compile(r"^\.(?P<target>.+\.jsonl?)\.(?:\d+\.\d+|bulk)\.tmp$")
SAFE_ID = re.compile(r"[A-Za-z0-9_-]+")  # a user id that is its own file name (see _partition_path)
log = logging.getLogger("learning.storage")
_locks: dict[Path, FileLock] = {}
_locks_guard = threading.Lock()


class FileLock:
    """A data file's lock: an RLock for this process's threads, plus flock for other processes.

    ``flock`` is taken on a ``.<name>.lock`` file beside the data file, because the data
    file itself is replaced on every write. Reentrant in one thread: only the outermost
    ``exclusive()`` takes and releases the flock.
    """

    def __init__(self, path: Path):
        self.thread_lock = threading.RLock()
        self.lock_path = path.with_name(f".{path.name}.lock")
        self._depth = 0
        self._fd: int | None = None

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self.thread_lock:
            if self._depth == 0:
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                except BaseException:
                    os.close(fd)
                    raise
                self._fd = fd
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    os.close(self._fd)  # closing the file releases the flock
                    self._fd = None


@contextmanager
def _locked_now(lock_path: Path) -> Iterator[bool]:
    """Hold the flock on ``lock_path`` if nobody else does (True), without waiting; else False."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing releases the flock


def lock_for(path: Path) -> FileLock:
    """One lock per file for the whole process, however many repositories open it."""
    with _locks_guard:
        lock = _locks.get(path)
        if lock is None:
            lock = _locks[path] = FileLock(path)
        return lock


class LockedDB:
    """A TinyDB file with its lock; every operation goes through ``locked``."""

    def __init__(self, path: Path, *, name: str, shared: bool = True,
                 check: Callable[[dict], None] | None = None, on_write: Callable[[], None] | None = None):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.lock = lock_for(path)
        self.db = TinyDB(path, storage=AtomicJSONStorage, name=name, shared=shared, check=check, on_write=on_write)
        if not isinstance(self.db.storage, AtomicJSONStorage):  # TinyDB builds the storage class it is given
            raise TypeError(f"{path}: unexpected storage {type(self.db.storage).__name__}")
        self.storage: AtomicJSONStorage = self.db.storage

    def table(self, name: str) -> Table:
        """A fresh view of one table. TinyDB's own ``db.table()`` is cached and remembers the next
        document id, which goes stale when another process (or repository) inserts into the file."""
        return Table(self.storage, name, cache_size=0)

    @contextmanager
    def locked(self) -> Iterator[TinyDB]:
        """For reads: other threads wait; other processes only ever replace the file whole."""
        with self.lock.thread_lock:
            try:
                yield self.db
            except BaseException:
                # A failed change may have touched the in-memory copy: reload from disk.
                self.storage.invalidate()
                raise

    @contextmanager
    def exclusive(self) -> Iterator[TinyDB]:
        """For read-modify-write: other threads and other processes wait."""
        with self.lock.exclusive(), self.locked() as db:
            yield db

    def get(self, table: str, key: str) -> dict | None:
        with self.locked():
            found = self.table(table).get(Query()[KEY] == key)
            return dict(found) if isinstance(found, dict) else None

    def all(self, table: str) -> list[dict]:
        with self.locked():
            return [dict(doc) for doc in self.table(table).all()]

    def update(self, table: str, key: str, change: Callable[[dict | None], dict]) -> dict:
        with self.exclusive():
            tbl = self.table(table)
            found = tbl.get(Query()[KEY] == key)
            new = change(dict(found) if isinstance(found, dict) else None)
            doc = {**new, KEY: key}
            tbl.upsert(doc, Query()[KEY] == key)
            return new

    def update_many(self, changes: Mapping[DocKey, Callable[[dict | None], dict]]) -> dict[DocKey, dict]:
        """Read-modify-write of several (table, key) records in ONE write of the file: all or none.

        Every change runs (in key order) on a copy before anything is written; one that raises
        leaves the file and the in-memory copy as they were.
        """
        with self.exclusive():
            tables = dict(self.storage.read() or {})  # copied per table below: the cache stays as read
            new: dict[tuple[str, str], dict] = {}
            for table, key in sorted(changes):
                docs = tables[table] = dict(tables.get(table, {}))
                doc_id = next((i for i, doc in docs.items() if doc.get(KEY) == key), None)
                found = _strip(docs[doc_id]) if doc_id is not None else None
                new[(table, key)] = changed = changes[(table, key)](copy.deepcopy(found))
                if doc_id is None:
                    doc_id = str(max((int(i) for i in docs), default=0) + 1)
                docs[doc_id] = {**changed, KEY: key}
            if new:
                self.storage.write(tables)
            return new

    def raw_tables(self) -> dict:
        """The file's data as stored, for read-only bulk reports (callers must not mutate it)."""
        with self.locked():
            return self.storage.read() or {}

    def delete(self, table: str, key: str) -> None:
        with self.exclusive():
            self.table(table).remove(Query()[KEY] == key)


def _strip(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != KEY}


def _load(model: type[M], doc: dict | None) -> M | None:
    return model.model_validate(_strip(doc)) if doc else None


def _dump(record: BaseModel) -> dict:
    return record.model_dump(mode="json")


def _problem(table: str, doc: dict, exc: ValidationError) -> str:
    """Where a record fails, without its values (they may be personal)."""
    first = exc.errors()[0]
    return f"{table} record {doc.get(KEY)!r}: {'.'.join(map(str, first['loc']))} {first['type']}"


def _person_file(progress: Iterable[dict], attempts: Iterable[dict]) -> bytes:
    """A person's file as every bulk write stores it: their progress and attempts, keyed as TinyDB reads them."""
    tables = {
        "progress": {str(i + 1): {**p, KEY: p["module_id"]} for i, p in enumerate(progress)},
        "attempts": {str(i + 1): {**a, KEY: a["id"]} for i, a in enumerate(attempts)},
    }
    return json.dumps(tables, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _sync_folder(folder: Path) -> None:
    """Flush every file written so far on the folder's file system to disk, once (bulk writes skip
    fsync per file): ``syncfs`` where the C library has it, else ``sync`` of every file system."""
    syncfs = getattr(_libc(), "syncfs", None)
    if syncfs is not None:
        fd = os.open(folder, os.O_RDONLY)
        try:
            if syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    os.sync()


@functools.cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name, use_errno=True) if name else None


def _checker(models: dict[str, type[BaseModel]]) -> Callable[[dict], None]:
    """A check for freshly read data: every record of each named table must validate."""
    def check(data: dict) -> None:
        for table, model in models.items():
            for doc in data.get(table, {}).values():
                try:
                    model.model_validate(doc)
                except ValidationError as exc:
                    raise ValueError(_problem(table, doc, exc)) from None
    return check


_check_person = _checker({"progress": ModuleProgress, "attempts": QuizAttempt, "login": LoginState})
_check_assignments = _checker({"assignments": Assignment})


class TinyDBRepository(PythonReports):
    """The embedded store; safe for many threads in one process."""

    PARTITION_CACHE = 20_000

    def __init__(self, data_dir: Path):
        self.root = Path(data_dir)
        self.root.mkdir(parents=True, exist_ok=True)
        self._remove_stale_temp_files()
        self.changes = ChangeCounter(self.root / CHANGES_FILE)
        self.report_changes = ChangeCounter(self.root / REPORT_CHANGES_FILE)

        def bump() -> None:
            self.changes.bump()
            self.report_changes.bump()
        self.users = LockedDB(self.root / USERS_FILE, name=USERS_FILE, on_write=bump)
        self.assignments = LockedDB(self.root / "assignments.json", name="assignments.json",
                                    check=_check_assignments, on_write=bump)
        self.docs = LockedDB(self.root / "docs.json", name="docs.json", on_write=bump)
        self.audit = AuditLogFile(self.root / AUDIT_FILE, lock_for(self.root / AUDIT_FILE))
        self._partitions: OrderedDict[str, LockedDB] = OrderedDict()
        self._partitions_guard = threading.Lock()
        self._user_index: tuple[object, dict[str, dict], dict[str, str]] | None = None
        self._user_models: tuple[dict[str, dict], list[User]] | None = None

    def _remove_stale_temp_files(self) -> None:
        """A crash between write and replace leaves a temp file; the real file is intact.

        A data file's temp file is written and renamed only while its ``.<name>.lock`` is
        flocked, so one whose lock is free right now is provably stale: its writer is gone.
        One whose lock is taken may be a write in flight (a second app process, or the CLI,
        starting while the first one writes) and stays; so does any other temp file until
        it is old.
        """
        cutoff = time.time() - STALE_TEMP_SECONDS
        for tmp in self.root.rglob(".*.tmp"):
            match = TEMP_FILE.match(tmp.name)
            with contextlib.suppress(FileNotFoundError):
                if match is not None:
                    with _locked_now(tmp.with_name(f".{match['target']}.lock")) as free:
                        if free:
                            tmp.unlink(missing_ok=True)
                elif tmp.stat().st_mtime < cutoff:
                    tmp.unlink(missing_ok=True)

    def data_version(self) -> int:
        """Changes whenever any process writes anything in this data folder (``.changes``)."""
        return self.changes.value()

    def report_version(self) -> int:
        """Changes whenever any process writes users, progress, attempts, assignments or documents."""
        return self.report_changes.value()

    def docs_version(self) -> tuple[int, int, int]:
        """Identity of docs.json (published versions live there); every write replaces the file."""
        return self.docs.storage.current_stamp() or (0, 0, 0)  # no file yet: nothing published

    # --- users -----------------------------------------------------------
    def _index(self) -> tuple[dict[str, dict], dict[str, str]]:
        """Users by id and ids by username, rebuilt when users.json changes.

        A record that fails its checks is left out and logged: one bad record must not
        stop everyone else signing in. A file with no usable user at all is damaged.
        """
        with self.users.locked():
            data = self.users.storage.read()
            stamp = self.users.storage.stamp
            if self._user_index is None or self._user_index[0] != stamp or stamp is None:
                by_id = {}
                for doc in (data or {}).get("users", {}).values():
                    try:
                        by_id[User.model_validate(doc).id] = doc
                    except ValidationError as exc:
                        log.error("Data file %s: user %s is left out", self.users.path, _problem("users", doc, exc))
                if data is not None and not by_id:
                    raise DamagedFile(USERS_FILE, "no user that can be read", shared=True)
                by_name = {doc["username"]: key for key, doc in by_id.items()}
                self._user_index = (stamp, by_id, by_name)
            return self._user_index[1], self._user_index[2]

    def is_new(self) -> bool:
        """True only when the data folder holds no data at all: then, and only then, first-run set-up.

        An empty or unreadable users file, or one missing beside other data, is damage
        to report, never a new start: raises DamagedFile naming the file.
        """
        if self.users.path.exists():
            self._index()
            return False
        people = self.root / "people"
        others = (self.assignments.path, self.docs.path, self.audit.path)
        if any(path.exists() for path in others) or any(people.rglob("*.json")):
            if self.users.path.exists():  # a first-run set-up wrote it meanwhile (it writes users.json first)
                self._index()
                return False
            raise DamagedFile(USERS_FILE, "missing beside other data", shared=True, key="storage.users_missing")
        return True

    def add_user(self, user: User) -> None:
        self.add_users([user])

    def add_first_user(self, user: User) -> bool:
        with self.users.exclusive():  # the check and the write under one lock, across processes
            if not self.is_new():
                return False
            self.add_users([user])
            return True

    def add_users(self, users: Iterable[User]) -> None:
        users = list(users)
        if not users:
            return
        with self.users.exclusive():
            _, by_name = self._index()
            names = set(by_name)
            for user in users:
                if user.username in names:
                    raise DuplicateUsername(user.username)
                names.add(user.username)
            self.users.table("users").insert_multiple(
                {**_dump(user), KEY: user.id} for user in users
            )

    def get_user(self, user_id: str) -> User | None:
        by_id, _ = self._index()
        return _load(User, by_id.get(user_id))

    def find_user(self, username: str) -> User | None:
        by_id, by_name = self._index()
        user_id = by_name.get(username)
        return _load(User, by_id.get(user_id)) if user_id else None

    def update_user(self, user_id: str, change: Callable[[User], User]) -> User:
        def apply(doc: dict | None) -> dict:
            if doc is None:
                raise KeyError(user_id)
            return _dump(change(User.model_validate(_strip(doc))))

        return User.model_validate(self.users.update("users", user_id, apply))

    def list_users(self, municipality: str | None = None) -> list[User]:
        by_id, _ = self._index()
        return [
            User.model_validate(_strip(doc)) for doc in by_id.values()
            if municipality is None or doc["municipality"] == municipality
        ]

    def has_users(self) -> bool:
        by_id, _ = self._index()
        return bool(by_id)

    def user_page(self, municipality: str, search: str = "", offset: int = 0, limit: int = 50) -> UserPage:
        by_id, _ = self._index()
        return user_page(by_id.values(), municipality, search, offset, limit,
                         lambda doc: User.model_validate(_strip(doc)))

    # --- per-user partitions ---------------------------------------------
    def _partition_path(self, user_id: str) -> Path:
        safe = "".join(ch for ch in user_id if ch.isalnum() or ch in "-_")
        return self.root / "people" / safe[-2:] / f"{safe}.json"

    def _partition(self, user_id: str) -> LockedDB:
        with self._partitions_guard:
            part = self._partitions.get(user_id)
            if part is None:
                path = self._partition_path(user_id)
                part = LockedDB(path, name=str(path.relative_to(self.root)), shared=False, check=_check_person,
                                on_write=self.changes.bump)
                self._partitions[user_id] = part
                if len(self._partitions) > self.PARTITION_CACHE:
                    self._partitions.popitem(last=False)
            else:
                self._partitions.move_to_end(user_id)
            return part

    def login_state(self, user_id: str) -> LoginState:
        return _load(LoginState, self._partition(user_id).get("login", "state")) or LoginState()

    def set_login_state(self, user_id: str, state: LoginState) -> None:
        self._partition(user_id).update("login", "state", lambda _: _dump(state))

    def update_login_state(self, user_id: str, change: Callable[[LoginState], LoginState]) -> LoginState:
        def apply(doc: dict | None) -> dict:
            return _dump(change(_load(LoginState, doc) or LoginState()))

        return LoginState.model_validate(self._partition(user_id).update("login", "state", apply))

    def sessions_revoked_at(self, user_id: str) -> datetime | None:
        doc = self._partition(user_id).get("sessions", "revoked")
        return datetime.fromisoformat(doc["at"]) if doc else None

    def revoke_sessions(self, user_id: str, at: datetime) -> None:
        def apply(doc: dict | None) -> dict:
            latest = max(at, datetime.fromisoformat(doc["at"])) if doc else at
            return {"at": latest.isoformat()}

        self._partition(user_id).update("sessions", "revoked", apply)

    def progress_for(self, user_id: str) -> dict[str, ModuleProgress]:
        docs = self._partition(user_id).all("progress")
        return {doc[KEY]: ModuleProgress.model_validate(_strip(doc)) for doc in docs}

    def update_progress(self, user_id: str, module_id: str,
                        change: Callable[[ModuleProgress | None], ModuleProgress]) -> ModuleProgress:
        def apply(doc: dict | None) -> dict:
            return _dump(change(_load(ModuleProgress, doc)))

        updated = ModuleProgress.model_validate(self._partition(user_id).update("progress", module_id, apply))
        self.report_changes.bump()
        return updated

    def attempts_for(self, user_id: str) -> list[QuizAttempt]:
        docs = self._partition(user_id).all("attempts")
        return sorted((QuizAttempt.model_validate(_strip(d)) for d in docs), key=lambda a: a.started_at)

    def update_attempt(self, user_id: str, attempt_id: str,
                       change: Callable[[QuizAttempt | None], QuizAttempt]) -> QuizAttempt:
        def apply(doc: dict | None) -> dict:
            return _dump(change(_load(QuizAttempt, doc)))

        updated = QuizAttempt.model_validate(self._partition(user_id).update("attempts", attempt_id, apply))
        self.report_changes.bump()
        return updated

    # --- reports (report_python computes the read models) -------------------
    def _report_users(self) -> list[User]:
        """Every user as a model, validated once per version of users.json."""
        by_id, _ = self._index()
        cached = self._user_models
        if cached is None or cached[0] is not by_id:
            cached = self._user_models = (by_id, [User.model_validate(_strip(doc)) for doc in by_id.values()])
        return cached[1]

    def _report_state(self, user_id: str) -> State | None:
        """The person's documents as stored (validated when the file was read); None if it cannot be read."""
        try:
            tables = self._partition(user_id).raw_tables()
        except DamagedFile:
            return None
        return list(tables.get("progress", {}).values()), list(tables.get("attempts", {}).values())

    def bulk_load_state(self, state: dict[str, tuple[list[ModuleProgress], list[QuizAttempt]]]) -> None:
        """Write many users' files at once (tests, benchmarks): one sync at the end."""
        for user_id, (progress, attempts) in state.items():
            path = self._partition_path(user_id)
            path.parent.mkdir(parents=True, exist_ok=True)
            payload = _person_file([_dump(p) for p in progress], [_dump(a) for a in attempts])
            with lock_for(path).exclusive():
                tmp = path.with_name(f".{path.name}.bulk.tmp")
                tmp.write_bytes(payload)
                os.replace(tmp, path)
        os.sync()
        self.changes.bump()
        self.report_changes.bump()

    @contextmanager
    def fresh_load(self) -> Iterator[_FreshFiles]:
        """Person files written straight into an empty folder: no lock file, temp file or fsync per file.

        Why that is safe: the folder holds no data when the loader opens (checked under the
        users.json lock, held until it closes, so a first-run set-up or a second load waits
        and then finds data), and ``users.json`` is only written after the loader closed with
        one sync of the file system. Until then the folder is not a store anyone can use:
        no one can sign in, and the app reports "users.json missing" rather than reading
        half a file. Files are created exclusively (``O_EXCL``), so nothing is ever written
        over. If the block fails, every person file is removed again (all are the loader's:
        there were none before), so the load simply runs again; after a crash or power loss
        in the middle, the folder says users.json is missing: delete it and seed again.
        """
        with self.users.lock.exclusive():
            try:
                fresh = self.is_new()
            except DamagedFile:  # person files without users.json: not empty
                fresh = False
            if not fresh:
                raise StoreNotEmpty(str(self.root))
            try:
                yield _FreshFiles(self)
            except BaseException:
                for path in (self.root / "people").rglob("*.json"):
                    path.unlink(missing_ok=True)
                raise
            finally:
                self.changes.bump()
            _sync_folder(self.root)

    # --- one person's own documents (a table per collection in their file) ---
    def user_docs(self, user_id: str, collection: str) -> dict[str, dict]:
        return {d[KEY]: copy.deepcopy(_strip(d)) for d in self._partition(user_id).all(f"doc:{collection}")}

    def update_user_doc(self, user_id: str, collection: str, key: str,
                        change: Callable[[dict | None], dict | None]) -> dict | None:
        part = self._partition(user_id)
        with part.exclusive():
            table = part.table(f"doc:{collection}")
            found = table.get(Query()[KEY] == key)
            new = change(copy.deepcopy(_strip(dict(found))) if isinstance(found, dict) else None)
            if new is None:
                if found:
                    table.remove(Query()[KEY] == key)
            else:
                table.upsert({**copy.deepcopy(new), KEY: key}, Query()[KEY] == key)
            return new

    # --- assignments -----------------------------------------------------
    def add_assignment(self, assignment: Assignment) -> None:
        self.assignments.update("assignments", assignment.id, lambda _: _dump(assignment))

    def list_assignments(self, municipality: str | None = None) -> list[Assignment]:
        items = [Assignment.model_validate(_strip(d)) for d in self.assignments.all("assignments")]
        return [a for a in items if municipality is None or a.municipality == municipality]

    def delete_assignment(self, assignment_id: str) -> None:
        self.assignments.delete("assignments", assignment_id)

    # --- generic documents -----------------------------------------------
    # Documents nest (a draft's files): deep copies, so a caller's change never reaches the read cache.
    def get_doc(self, collection: str, key: str) -> dict | None:
        doc = self.docs.get(collection, key)
        return copy.deepcopy(_strip(doc)) if doc else None

    def put_doc(self, collection: str, key: str, doc: dict) -> None:
        self.docs.update(collection, key, lambda _: doc)

    def update_doc(self, collection: str, key: str, change: Callable[[dict | None], dict]) -> dict:
        return self.docs.update(collection, key, lambda doc: change(copy.deepcopy(_strip(doc)) if doc else None))

    def update_docs(self, changes: Mapping[DocKey, Callable[[dict | None], dict]]) -> dict[DocKey, dict]:
        """One write of docs.json under its lock (collections are its tables)."""
        return self.docs.update_many(changes)

    def list_docs(self, collection: str) -> list[dict]:
        return [copy.deepcopy(_strip(d)) for d in self.docs.all(collection)]

    def all_docs(self) -> dict[str, dict[str, dict]]:
        with self.docs.locked() as db:
            tables = {name: self.docs.table(name).all() for name in db.tables()}
        return {name: {d[KEY]: copy.deepcopy(_strip(d)) for d in docs} for name, docs in tables.items() if docs}

    # --- audit log (append-only JSON lines, see audit_log.py) -------------
    def append_audit(self, entry: AuditEntry) -> None:
        self.audit.append(entry)

    def audit_entries(self, keep: Callable[[AuditEntry], bool] | None = None) -> list[AuditEntry]:
        return self.audit.entries(keep)

    def prune_audit(self, before: datetime) -> int:
        removed = self.audit.prune(before)
        if removed:
            self.changes.bump()
        return removed


class _FreshFiles:
    """Writes person files for ``TinyDBRepository.fresh_load``; usable from forked processes too."""

    forks = True

    def __init__(self, repo: TinyDBRepository):
        self.repo = repo
        self.folders: set[str] = set()

    def load(self, state: StateDocs) -> None:
        people = str(self.repo.root / "people")
        for user_id, (progress, attempts) in state.items():
            safe = user_id if SAFE_ID.fullmatch(user_id) else self.repo._partition_path(user_id).stem
            folder = f"{people}/{safe[-2:]}"  # _partition_path's layout, without pathlib's cost per file
            if folder not in self.folders:
                os.makedirs(folder, exist_ok=True)
                self.folders.add(folder)
            path = f"{folder}/{safe}.json"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # never over a file
            try:
                payload = memoryview(_person_file(progress, attempts))
                while payload:
                    payload = payload[os.write(fd, payload):]
            finally:
                os.close(fd)
