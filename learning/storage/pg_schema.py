"""The PostgreSQL schema as numbered migrations, applied in order and recorded in ``schema_migrations``.

Why a Python list and not a migration tool: the schema is small, ships inside the package
(no data files to find), and ``migrate`` must be safe to call at every app start. A
migration is never edited once released: a change is a new entry at the end.

Records are stored as the JSON their pydantic model dumps (``doc``), so every adapter
returns the same shapes; the columns beside it are keys and what queries filter or sort on.
"""

from __future__ import annotations

from collections.abc import Callable

import psycopg

Step = str | Callable[[psycopg.Connection], None]   # SQL, or Python for data SQL cannot compute alike

MIGRATIONS: tuple[tuple[int, str, Step], ...] = (
    (1, "initial", """
CREATE TABLE users (
    id text PRIMARY KEY,
    username text NOT NULL UNIQUE,
    municipality text NOT NULL,
    seq bigserial NOT NULL,
    doc jsonb NOT NULL
);
CREATE INDEX users_municipality ON users (municipality, seq);
CREATE INDEX users_seq ON users (seq);

CREATE TABLE login_state (
    user_id text PRIMARY KEY,
    doc jsonb NOT NULL
);

CREATE TABLE progress (
    user_id text NOT NULL,
    module_id text NOT NULL,
    seq bigserial NOT NULL,
    doc jsonb NOT NULL,
    PRIMARY KEY (user_id, module_id)
);

-- Every choice of every attempt is kept: the path is the doc's "path" list.
CREATE TABLE attempts (
    user_id text NOT NULL,
    attempt_id text NOT NULL,
    quiz_id text NOT NULL,
    module_id text NOT NULL,
    seq bigserial NOT NULL,
    doc jsonb NOT NULL,
    PRIMARY KEY (user_id, attempt_id)
);
CREATE INDEX attempts_quiz ON attempts (quiz_id);

CREATE TABLE assignments (
    id text PRIMARY KEY,
    municipality text NOT NULL,
    seq bigserial NOT NULL,
    doc jsonb NOT NULL
);

CREATE TABLE docs (
    collection text NOT NULL,
    key text NOT NULL,
    seq bigserial NOT NULL,
    doc jsonb NOT NULL,
    PRIMARY KEY (collection, key)
);

CREATE TABLE audit_log (
    seq bigserial PRIMARY KEY,
    at timestamptz NOT NULL,
    municipality text NOT NULL DEFAULT '',
    entry jsonb NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_municipality ON audit_log (municipality, seq);

-- Browser sessions of a user issued at or before "at" no longer sign in.
CREATE TABLE session_revocations (
    user_id text PRIMARY KEY,
    at timestamptz NOT NULL
);

-- Change counters other processes read to know their caches are stale. "data" has many
-- slots so parallel writers rarely wait on the same row; "docs" counts document writes.
CREATE TABLE change_counters (
    name text NOT NULL,
    slot integer NOT NULL,
    value bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (name, slot)
);
INSERT INTO change_counters (name, slot) SELECT 'data', s FROM generate_series(0, 63) AS s;
INSERT INTO change_counters (name, slot) VALUES ('docs', 0);
"""),
)

def _user_columns(conn: psycopg.Connection) -> None:
    """Migration 2's data step: fill the users' report columns with the same Python the adapter writes them with."""
    from learning.storage.postgres_repo import user_columns

    rows = conn.execute("SELECT id, doc FROM users").fetchall()
    with conn.cursor() as cur:
        cur.executemany("UPDATE users SET staff = %s, service_area = %s, unit = %s, name_key = %s, unit_key = %s "
                        "WHERE id = %s", [(*user_columns(doc), key) for key, doc in rows])


MIGRATIONS += (
    # Reports in SQL: what they filter, group and sort on, kept beside each record's JSON and written
    # in the same statement as it (users: whether they count as staff, placement, sort keys; progress:
    # its times; attempts: start, whether finished, and the choices of the path as two arrays).
    (2, "report columns", """
ALTER TABLE users
    ADD COLUMN staff boolean NOT NULL DEFAULT false,
    ADD COLUMN service_area text,
    ADD COLUMN unit text NOT NULL DEFAULT '',
    ADD COLUMN name_key text COLLATE "C" NOT NULL DEFAULT '',
    ADD COLUMN unit_key text COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE progress
    ADD COLUMN updated_at timestamptz,
    ADD COLUMN completed_at timestamptz;
UPDATE progress SET updated_at = (doc->>'updated_at')::timestamptz, completed_at = (doc->>'completed_at')::timestamptz;
ALTER TABLE attempts
    ADD COLUMN started_at timestamptz,
    ADD COLUMN finished boolean NOT NULL DEFAULT false,
    ADD COLUMN path_steps text[] NOT NULL DEFAULT '{}',
    ADD COLUMN path_choices integer[] NOT NULL DEFAULT '{}';
UPDATE attempts SET started_at = (doc->>'started_at')::timestamptz,
    finished = coalesce(doc->>'finished_at', '') <> '',
    path_steps = ARRAY(SELECT e->>'step_id'
                       FROM jsonb_array_elements(doc->'path') WITH ORDINALITY AS x(e, n) ORDER BY n),
    path_choices = ARRAY(SELECT (e->>'choice_index')::integer
                         FROM jsonb_array_elements(doc->'path') WITH ORDINALITY AS x(e, n) ORDER BY n);
"""),
    (3, "report columns: users", _user_columns),
    (4, "report indexes", """
CREATE INDEX users_staff_name ON users (municipality, name_key, (id COLLATE "C")) WHERE staff;
CREATE INDEX users_staff_unit ON users (municipality, unit_key, name_key, (id COLLATE "C")) WHERE staff;
CREATE INDEX progress_completed ON progress (user_id, module_id, completed_at) WHERE completed_at IS NOT NULL;
CREATE INDEX attempts_first ON attempts (user_id, quiz_id, started_at, seq);
ANALYZE users; ANALYZE progress; ANALYZE attempts;
"""),
)

DATA_SLOTS = 64
_LOCK_ID = 7_102_026  # pg_advisory_lock key: one migrating process at a time


def pending(conn: psycopg.Connection) -> list[int]:
    """Versions not yet applied (all of them on an empty database)."""
    with conn.transaction():
        exists = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()[0]
        done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")} if exists else set()
    return [version for version, _, _ in MIGRATIONS if version not in done]


def migrate(conn: psycopg.Connection) -> list[int]:
    """Apply every pending migration, each in its own transaction; returns the versions applied.

    A session advisory lock makes concurrent starts (several app processes, the CLI) wait
    for one another instead of applying the same migration twice.
    """
    conn.execute("SELECT pg_advisory_lock(%s)", (_LOCK_ID,))
    try:
        with conn.transaction():
            conn.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY, name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())""")
        applied = []
        todo = set(pending(conn))
        for version, name, step in MIGRATIONS:
            if version in todo:
                with conn.transaction():
                    if callable(step):
                        step(conn)
                    else:
                        conn.execute(step)
                    conn.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)", (version, name))
                applied.append(version)
        return applied
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_ID,))
