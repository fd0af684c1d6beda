"""PostgreSQL adapter: the Repository on a server database, for many users and several app processes.

Records are rows whose ``doc`` column holds the JSON the record's model dumps, so this
adapter returns the same shapes as the TinyDB one. Where the TinyDB adapter holds a
file lock for a read-modify-write, this one runs a transaction with a row lock
(``SELECT … FOR UPDATE``), or an ``INSERT … ON CONFLICT`` when the row is new: a
concurrent first insert makes the loser retry against the winner's row, so ``change``
may run more than once and must not have side effects.

``data_version`` sums change counters in the database (bumped in the same transaction
as every write), so each app process sees the others' writes. Connections come from a
pool; every psycopg error is turned into a domain error before it leaves this module.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool
from pydantic import BaseModel, ValidationError

from learning.records import Assignment, AuditEntry, LoginState, ModuleProgress, QuizAttempt, User, counts_as_staff
from learning.storage import pg_schema
from learning.storage.errors import DamagedFile, StorageUnavailable, StoreNotEmpty
from learning.storage.pg_reports import PostgresReports, like_pattern
from learning.storage.read_models import UserPage, name_key
from learning.storage.repository import DocKey, DuplicateUsername, StateDocs

M = TypeVar("M", bound=BaseModel)
log = logging.getLogger("learning.storage")
_FIRST_USER_LOCK = 7_102_027  # advisory lock: the is-new check and the first insert, together


COPY_ATTEMPTS = ("COPY attempts (user_id, attempt_id, quiz_id, module_id, doc, started_at, finished, "
                 "path_steps, path_choices) FROM STDIN")


def _dump(record: BaseModel) -> dict:
    return record.model_dump(mode="json")


def user_columns(doc: dict) -> tuple[bool, str | None, str, str, str]:
    """What reports filter, group and sort users on, from the user's JSON: staff, area, unit, sort keys.

    Written in the same statement as the JSON, so they never disagree; the staff rule is
    ``records.counts_as_staff`` itself, not a copy of it in SQL.
    """
    user = User.model_validate(doc)
    return (counts_as_staff(user), user.service_area.value if user.service_area else None, user.unit,
            name_key(user.name), name_key(user.unit))


def progress_columns(doc: dict) -> dict:
    return {"updated_at": doc["updated_at"], "completed_at": doc.get("completed_at")}


def attempt_columns(doc: dict) -> dict:
    path = doc.get("path") or []
    return {"quiz_id": doc["quiz_id"], "module_id": doc["module_id"], "started_at": doc["started_at"],
            "finished": bool(doc.get("finished_at")), "path_steps": [c["step_id"] for c in path],
            "path_choices": [c["choice_index"] for c in path]}


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return "(ugyldig database-URL)"
    return f"{info.get('host', 'localhost')}:{info.get('port', 5432)}/{info.get('dbname', '')}"


def migrate_database(url: str) -> list[int]:
    """Apply pending schema migrations over one connection (no pool); returns the versions applied."""
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            return pg_schema.migrate(conn)
    except psycopg.Error as exc:
        log.error("Database %s: %s: %s", redact(url), type(exc).__name__, exc)
        raise StorageUnavailable(redact(url), f"{type(exc).__name__}: {exc}"[:500]) from None


class PostgresRepository(PostgresReports):
    """The server store; safe for many threads and many processes on one database."""

    def __init__(self, url: str, *, pool_size: int = 10, migrate: bool = False, timeout: float = 15):
        self.url = url
        self.where = redact(url)
        try:
            if migrate:
                self.migrate()
            self.pool = ConnectionPool(url, min_size=1, max_size=max(1, pool_size), open=False,
                                       kwargs={"autocommit": True}, name="learning")
            self.pool.open(wait=True, timeout=timeout)
        except psycopg.Error as exc:
            raise self._unavailable(exc) from None

    # --- plumbing ----------------------------------------------------------
    def _unavailable(self, exc: BaseException) -> StorageUnavailable:
        log.error("Database %s: %s: %s", self.where, type(exc).__name__, exc)
        return StorageUnavailable(self.where, f"{type(exc).__name__}: {exc}"[:500])

    def migrate(self) -> list[int]:
        """Apply pending schema migrations (safe to call from several processes at once)."""
        return migrate_database(self.url)

    def close(self) -> None:
        self.pool.close()

    @contextmanager
    def _conn(self) -> Iterator[psycopg.Connection]:
        try:
            with self.pool.connection() as conn:
                yield conn
        except psycopg.errors.UniqueViolation:
            raise
        except psycopg.Error as exc:
            raise self._unavailable(exc) from None

    @contextmanager
    def _tx(self) -> Iterator[psycopg.Connection]:
        """A transaction that bumps the change counter: for every write."""
        with self._conn() as conn, conn.transaction():
            yield conn
            conn.execute("UPDATE change_counters SET value = value + 1 WHERE name = 'data' AND slot = %s",
                         (random.randrange(pg_schema.DATA_SLOTS),))

    def _rows(self, query: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._conn() as conn:
            return conn.execute(query, params).fetchall()

    def _load(self, model: type[M], doc: dict, what: str, *, shared: bool) -> M:
        try:
            return model.model_validate(doc)
        except ValidationError as exc:
            first = exc.errors()[0]
            reason = f"{what}: {'.'.join(map(str, first['loc']))} {first['type']}"
            log.error("Database %s: %s cannot be read", self.where, reason)
            raise DamagedFile(what, reason, shared=shared) from None

    def _update_row(self, conn: psycopg.Connection, table: str, keys: dict[str, str],
                    change: Callable[[dict | None], dict], extra: Callable[[dict], dict] | None = None) -> dict:
        """Read-modify-write of one row under its row lock; a new row is inserted ON CONFLICT DO NOTHING.

        If another transaction inserted the same new row first, go round again and lock that one.
        """
        where = sql.SQL(" AND ").join(sql.SQL("{} = %s").format(sql.Identifier(k)) for k in keys)
        select = sql.SQL("SELECT doc FROM {} WHERE {} FOR UPDATE").format(sql.Identifier(table), where)
        while True:
            found = conn.execute(select, list(keys.values())).fetchone()
            new = change(found[0] if found else None)
            columns = {**keys, **(extra(new) if extra else {}), "doc": Jsonb(new)}
            if found:
                changed = {k: v for k, v in columns.items() if k not in keys}
                sets = sql.SQL(", ").join(sql.SQL("{} = %s").format(sql.Identifier(k)) for k in changed)
                conn.execute(sql.SQL("UPDATE {} SET {} WHERE {}").format(sql.Identifier(table), sets, where),
                             list(changed.values()) + list(keys.values()))
                return new
            insert = sql.SQL("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT DO NOTHING RETURNING 1").format(
                sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns)),
                sql.SQL(", ").join(sql.Placeholder() * len(columns)))
            if conn.execute(insert, list(columns.values())).fetchone():
                return new

    def data_version(self) -> int:
        """Sum of the change counters: grows with every committed write by any process."""
        return int(self._rows("SELECT coalesce(sum(value), 0) FROM change_counters WHERE name = 'data'")[0][0])

    def report_version(self) -> int:
        """Sum of the "reports" counters, which triggers bump with every write of what reports read (migration 8)."""
        return int(self._rows("SELECT coalesce(sum(value), 0) FROM change_counters WHERE name = 'reports'")[0][0])

    def docs_version(self) -> int:
        """Grows with every write of a generic document (published versions live there)."""
        return int(self._rows("SELECT value FROM change_counters WHERE name = 'docs'")[0][0])

    # --- users -------------------------------------------------------------
    def _user(self, doc: dict) -> User:
        return self._load(User, doc, f"users/{doc.get('id', '?')}", shared=True)

    def add_user(self, user: User) -> None:
        self.add_users([user])

    def _insert_users(self, conn: psycopg.Connection, users: list[User]) -> None:
        names = set()
        for user in users:
            if user.username in names:
                raise DuplicateUsername(user.username)
            names.add(user.username)
        taken = conn.execute("SELECT username FROM users WHERE username = ANY(%s) LIMIT 1",
                             (list(names),)).fetchone()
        if taken:
            raise DuplicateUsername(taken[0])
        with conn.cursor() as cur, cur.copy("COPY users (id, username, municipality, doc, staff, service_area, unit, "
                                            "name_key, unit_key) FROM STDIN") as copy:
            for user in users:
                doc = _dump(user)
                copy.write_row((user.id, user.username, user.municipality, Jsonb(doc), *user_columns(doc)))

    def add_users(self, users: Iterable[User]) -> None:
        users = list(users)
        if not users:
            return
        try:
            with self._tx() as conn:
                self._insert_users(conn, users)
        except psycopg.errors.UniqueViolation as exc:  # a concurrent insert of the same username
            raise DuplicateUsername(exc.diag.message_detail or "") from None

    def add_first_user(self, user: User) -> bool:
        try:
            with self._tx() as conn:
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_FIRST_USER_LOCK,))
                if not self._is_new(conn):
                    return False
                self._insert_users(conn, [user])
                return True
        except psycopg.errors.UniqueViolation:
            return False

    def get_user(self, user_id: str) -> User | None:
        rows = self._rows("SELECT doc FROM users WHERE id = %s", (user_id,))
        return self._user(rows[0][0]) if rows else None

    def find_user(self, username: str) -> User | None:
        rows = self._rows("SELECT doc FROM users WHERE username = %s", (username,))
        return self._user(rows[0][0]) if rows else None

    def update_user(self, user_id: str, change: Callable[[User], User]) -> User:
        try:
            with self._tx() as conn:
                found = conn.execute("SELECT doc FROM users WHERE id = %s FOR UPDATE", (user_id,)).fetchone()
                if found is None:
                    raise KeyError(user_id)
                new = change(self._user(found[0]))
                doc = _dump(new)
                conn.execute("UPDATE users SET username = %s, municipality = %s, doc = %s, staff = %s, "
                             "service_area = %s, unit = %s, name_key = %s, unit_key = %s WHERE id = %s",
                             (new.username, new.municipality, Jsonb(doc), *user_columns(doc), user_id))
                return new
        except psycopg.errors.UniqueViolation:
            raise DuplicateUsername(new.username) from None

    def list_users(self, municipality: str | None = None) -> list[User]:
        if municipality is None:
            rows = self._rows("SELECT doc FROM users ORDER BY seq")
        else:
            rows = self._rows("SELECT doc FROM users WHERE municipality = %s ORDER BY seq", (municipality,))
        out = []
        for (doc,) in rows:
            try:
                out.append(self._user(doc))
            except DamagedFile:  # one bad record must not stop everyone else (logged above)
                continue
        return out

    def has_users(self) -> bool:
        return bool(self._rows("SELECT EXISTS (SELECT 1 FROM users)")[0][0])

    def user_page(self, municipality: str, search: str = "", offset: int = 0, limit: int = 50) -> UserPage:
        """One count and one page along the index of migration 9 (name search: the trigram index where it exists)."""
        params: dict[str, Any] = {"municipality": municipality, "offset": offset, "limit": limit}
        condition = "municipality = %(municipality)s"
        if search.strip():
            condition += " AND (name_key LIKE %(name)s OR lower(username) LIKE %(username)s)"
            params.update(name=like_pattern(name_key(search.strip())),
                          username=like_pattern(search.strip().casefold()))
        with self._snapshot() as conn:
            total = conn.execute(f"SELECT count(*) FROM users WHERE {condition}", params).fetchall()[0][0]
            rows = conn.execute(f"""SELECT doc FROM users WHERE {condition}
                ORDER BY name_key, id COLLATE "C" LIMIT %(limit)s OFFSET %(offset)s""", params).fetchall()
        users = []
        for (doc,) in rows:
            try:
                users.append(self._user(doc))
            except DamagedFile:  # one bad record must not stop everyone else (logged above)
                continue
        return UserPage(tuple(users), total)

    def _is_new(self, conn: psycopg.Connection) -> bool:
        users, other = conn.execute("""SELECT EXISTS (SELECT 1 FROM users),
            EXISTS (SELECT 1 FROM progress) OR EXISTS (SELECT 1 FROM attempts) OR EXISTS (SELECT 1 FROM login_state)
            OR EXISTS (SELECT 1 FROM assignments) OR EXISTS (SELECT 1 FROM docs)
            OR EXISTS (SELECT 1 FROM audit_log)""").fetchone() or (False, False)  # always one row
        if users:
            return False
        if other:
            raise DamagedFile("users", "no users beside other data", shared=True, key="database.users_missing")
        return True

    def is_new(self) -> bool:
        with self._conn() as conn:
            return self._is_new(conn)

    # --- per-user state ----------------------------------------------------
    def login_state(self, user_id: str) -> LoginState:
        rows = self._rows("SELECT doc FROM login_state WHERE user_id = %s", (user_id,))
        return self._load(LoginState, rows[0][0], f"login/{user_id}", shared=False) if rows else LoginState()

    def set_login_state(self, user_id: str, state: LoginState) -> None:
        with self._tx() as conn:
            conn.execute("""INSERT INTO login_state (user_id, doc) VALUES (%s, %s)
                            ON CONFLICT (user_id) DO UPDATE SET doc = EXCLUDED.doc""", (user_id, Jsonb(_dump(state))))

    def update_login_state(self, user_id: str, change: Callable[[LoginState], LoginState]) -> LoginState:
        def apply(doc: dict | None) -> dict:
            old = self._load(LoginState, doc, f"login/{user_id}", shared=False) if doc else LoginState()
            return _dump(change(old))

        with self._tx() as conn:
            return LoginState.model_validate(self._update_row(conn, "login_state", {"user_id": user_id}, apply))

    def sessions_revoked_at(self, user_id: str) -> datetime | None:
        rows = self._rows("SELECT at FROM session_revocations WHERE user_id = %s", (user_id,))
        return rows[0][0] if rows else None

    def revoke_sessions(self, user_id: str, at: datetime) -> None:
        """The stored time only moves forward (GREATEST), in one statement."""
        with self._tx() as conn:
            conn.execute("""INSERT INTO session_revocations (user_id, at) VALUES (%s, %s) ON CONFLICT (user_id)
                            DO UPDATE SET at = GREATEST(session_revocations.at, EXCLUDED.at)""", (user_id, at))

    def progress_for(self, user_id: str) -> dict[str, ModuleProgress]:
        rows = self._rows("SELECT module_id, doc FROM progress WHERE user_id = %s ORDER BY seq", (user_id,))
        return {key: self._load(ModuleProgress, doc, f"progress/{user_id}/{key}", shared=False) for key, doc in rows}

    def update_progress(self, user_id: str, module_id: str,
                        change: Callable[[ModuleProgress | None], ModuleProgress]) -> ModuleProgress:
        def apply(doc: dict | None) -> dict:
            old = self._load(ModuleProgress, doc, f"progress/{user_id}/{module_id}", shared=False) if doc else None
            return _dump(change(old))

        with self._tx() as conn:
            new = self._update_row(conn, "progress", {"user_id": user_id, "module_id": module_id}, apply,
                                   extra=progress_columns)
        return ModuleProgress.model_validate(new)

    def attempts_for(self, user_id: str) -> list[QuizAttempt]:
        rows = self._rows("SELECT attempt_id, doc FROM attempts WHERE user_id = %s", (user_id,))
        attempts = [self._load(QuizAttempt, doc, f"attempts/{user_id}/{key}", shared=False) for key, doc in rows]
        return sorted(attempts, key=lambda a: a.started_at)

    def update_attempt(self, user_id: str, attempt_id: str,
                       change: Callable[[QuizAttempt | None], QuizAttempt]) -> QuizAttempt:
        def apply(doc: dict | None) -> dict:
            old = self._load(QuizAttempt, doc, f"attempts/{user_id}/{attempt_id}", shared=False) if doc else None
            return _dump(change(old))

        with self._tx() as conn:
            new = self._update_row(conn, "attempts", {"user_id": user_id, "attempt_id": attempt_id}, apply,
                                   extra=attempt_columns)
        return QuizAttempt.model_validate(new)

    def bulk_state(self, user_ids: Iterable[str]) -> dict[str, tuple[list[ModuleProgress], list[QuizAttempt]]]:
        """Progress and attempts of many users as records, from one snapshot of both tables."""
        ids = list(dict.fromkeys(user_ids))
        out: dict[str, tuple[list[ModuleProgress], list[QuizAttempt]]] = {uid: ([], []) for uid in ids}
        if not ids:
            return out
        with self._conn() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            for uid, key, doc in conn.execute(
                    "SELECT user_id, module_id, doc FROM progress WHERE user_id = ANY(%s) ORDER BY seq", (ids,)):
                out[uid][0].append(self._load(ModuleProgress, doc, f"progress/{uid}/{key}", shared=False))
            for uid, key, doc in conn.execute(
                    "SELECT user_id, attempt_id, doc FROM attempts WHERE user_id = ANY(%s) ORDER BY seq", (ids,)):
                out[uid][1].append(self._load(QuizAttempt, doc, f"attempts/{uid}/{key}", shared=False))
        return out

    def bulk_load_state(self, state: dict[str, tuple[list[ModuleProgress], list[QuizAttempt]]]) -> None:
        """Replace many users' progress and attempts at once (copy-data, benchmarks) with COPY."""
        if not state:
            return
        with self._tx() as conn:
            ids = list(state)
            conn.execute("DELETE FROM progress WHERE user_id = ANY(%s)", (ids,))
            conn.execute("DELETE FROM attempts WHERE user_id = ANY(%s)", (ids,))
            with conn.cursor() as cur:
                with cur.copy("COPY progress (user_id, module_id, doc, updated_at, completed_at) FROM STDIN") as copy:
                    for user_id, (progress, _) in state.items():
                        for p in progress:
                            copy.write_row((user_id, p.module_id, Jsonb(_dump(p)), p.updated_at, p.completed_at))
                with cur.copy(COPY_ATTEMPTS) as copy:
                    for user_id, (_, attempts) in state.items():
                        for a in attempts:
                            copy.write_row((user_id, a.id, a.quiz_id, a.module_id, Jsonb(_dump(a)), a.started_at,
                                            a.finished_at is not None, [c.step_id for c in a.path],
                                            [c.choice_index for c in a.path]))

    @contextmanager
    def fresh_load(self) -> Iterator[_FreshRows]:
        """COPY of the documents as given; on failure the loaded users' rows are deleted again."""
        try:
            fresh = self.is_new()
        except DamagedFile:  # progress without users: not empty
            fresh = False
        if not fresh:
            raise StoreNotEmpty(self.where)
        loader = _FreshRows(self)
        try:
            yield loader
        except BaseException:
            if loader.loaded:
                with self._tx() as conn:
                    conn.execute("DELETE FROM progress WHERE user_id = ANY(%s)", (loader.loaded,))
                    conn.execute("DELETE FROM attempts WHERE user_id = ANY(%s)", (loader.loaded,))
            raise

    # --- assignments -------------------------------------------------------
    def add_assignment(self, assignment: Assignment) -> None:
        with self._tx() as conn:
            conn.execute("""INSERT INTO assignments (id, municipality, doc) VALUES (%s, %s, %s)
                            ON CONFLICT (id) DO UPDATE SET municipality = EXCLUDED.municipality, doc = EXCLUDED.doc""",
                         (assignment.id, assignment.municipality, Jsonb(_dump(assignment))))

    def list_assignments(self, municipality: str | None = None) -> list[Assignment]:
        if municipality is None:
            rows = self._rows("SELECT id, doc FROM assignments ORDER BY seq")
        else:
            rows = self._rows("SELECT id, doc FROM assignments WHERE municipality = %s ORDER BY seq", (municipality,))
        return [self._load(Assignment, doc, f"assignments/{key}", shared=True) for key, doc in rows]

    def delete_assignment(self, assignment_id: str) -> None:
        with self._tx() as conn:
            conn.execute("DELETE FROM assignments WHERE id = %s", (assignment_id,))

    # --- generic documents -------------------------------------------------
    @contextmanager
    def _docs_tx(self) -> Iterator[psycopg.Connection]:
        with self._tx() as conn:
            yield conn
            conn.execute("UPDATE change_counters SET value = value + 1 WHERE name = 'docs'")

    def get_doc(self, collection: str, key: str) -> dict | None:
        rows = self._rows("SELECT doc FROM docs WHERE collection = %s AND key = %s", (collection, key))
        return rows[0][0] if rows else None

    def put_doc(self, collection: str, key: str, doc: dict) -> None:
        with self._docs_tx() as conn:
            conn.execute("""INSERT INTO docs (collection, key, doc) VALUES (%s, %s, %s)
                            ON CONFLICT (collection, key) DO UPDATE SET doc = EXCLUDED.doc""",
                         (collection, key, Jsonb(doc)))

    def update_doc(self, collection: str, key: str, change: Callable[[dict | None], dict]) -> dict:
        with self._docs_tx() as conn:
            return self._update_row(conn, "docs", {"collection": collection, "key": key}, change)

    def user_docs(self, user_id: str, collection: str) -> dict[str, dict]:
        rows = self._rows("SELECT key, doc FROM user_docs WHERE user_id = %s AND collection = %s ORDER BY seq",
                          (user_id, collection))
        return dict(rows)

    def update_user_doc(self, user_id: str, collection: str, key: str,
                        change: Callable[[dict | None], dict | None]) -> dict | None:
        keys = {"user_id": user_id, "collection": collection, "key": key}
        removed = [False]

        def apply(doc: dict | None) -> dict:
            new = change(doc)
            removed[0] = new is None
            return {} if new is None else new

        with self._tx() as conn:
            new = self._update_row(conn, "user_docs", keys, apply)
            if removed[0]:
                conn.execute("DELETE FROM user_docs WHERE user_id = %s AND collection = %s AND key = %s",
                             (user_id, collection, key))
                return None
        return new

    def update_docs(self, changes: Mapping[DocKey, Callable[[dict | None], dict]]) -> dict[DocKey, dict]:
        """One transaction; rows locked in key order, so two units of work never deadlock."""
        if not changes:
            return {}
        with self._docs_tx() as conn:
            return {key: self._update_row(conn, "docs", {"collection": key[0], "key": key[1]}, changes[key])
                    for key in sorted(changes)}

    def list_docs(self, collection: str) -> list[dict]:
        return [doc for (doc,) in self._rows("SELECT doc FROM docs WHERE collection = %s ORDER BY seq", (collection,))]

    def all_docs(self) -> dict[str, dict[str, dict]]:
        out: dict[str, dict[str, dict]] = {}
        for collection, key, doc in self._rows("SELECT collection, key, doc FROM docs ORDER BY seq"):
            out.setdefault(collection, {})[key] = doc
        return out

    # --- audit log ---------------------------------------------------------
    def append_audit(self, entry: AuditEntry) -> None:
        """Committed (durable) before it returns; not counted as a data change, as in the TinyDB adapter."""
        with self._conn() as conn:
            conn.execute("INSERT INTO audit_log (at, municipality, entry) VALUES (%s, %s, %s)",
                         (entry.at, entry.municipality, Jsonb(_dump(entry))))

    def audit_entries(self, keep: Callable[[AuditEntry], bool] | None = None) -> list[AuditEntry]:
        out: list[AuditEntry] = []
        bad = 0
        for (doc,) in self._rows("SELECT entry FROM audit_log ORDER BY seq"):
            try:
                entry = AuditEntry.model_validate(doc)
            except ValidationError:
                bad += 1
                continue
            if keep is None or keep(entry):
                out.append(entry)
        if bad:
            log.warning("Database %s: %d audit entries that cannot be read were skipped", self.where, bad)
        return out

    def prune_audit(self, before: datetime) -> int:
        with self._tx() as conn:
            return conn.execute("DELETE FROM audit_log WHERE at < %s", (before,)).rowcount


class _FreshRows:
    """COPY of plain documents for ``PostgresRepository.fresh_load``; its connections stay in this process."""

    forks = False

    def __init__(self, repo: PostgresRepository):
        self.repo = repo
        self.loaded: list[str] = []

    def load(self, state: StateDocs) -> None:
        if not state:
            return
        with self.repo._tx() as conn, conn.cursor() as cur:
            with cur.copy("COPY progress (user_id, module_id, doc, updated_at, completed_at) FROM STDIN") as copy:
                for user_id, (progress, _) in state.items():
                    for p in progress:
                        copy.write_row((user_id, p["module_id"], Jsonb(p), p["updated_at"], p["completed_at"]))
            with cur.copy(COPY_ATTEMPTS) as copy:
                for user_id, (_, attempts) in state.items():
                    for a in attempts:
                        copy.write_row((user_id, a["id"], a["quiz_id"], a["module_id"], Jsonb(a), a["started_at"],
                                        a["finished_at"] is not None, [c["step_id"] for c in a["path"]],
                                        [c["choice_index"] for c in a["path"]]))
        self.loaded.extend(state)
