"""The PostgreSQL schema as numbered migrations, applied in order and recorded in ``schema_migrations``.

Why a Python list and not a migration tool: the schema is small, ships inside the package
(no data files to find), and ``migrate`` must be safe to call at every app start. A
migration is never edited once released: a change is a new entry at the end.

Records are stored as the JSON their pydantic model dumps (``doc``), so every adapter
returns the same shapes; the columns beside it are keys and what queries filter or sort on.
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

MIGRATIONS: Sequence[tuple[int, str, str]] = (
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
    (2, "user_docs", """
-- One person's own documents (private reflection notes, e-mail settings), by collection and key.
CREATE TABLE user_docs (
    user_id text NOT NULL,
    collection text NOT NULL,
    key text NOT NULL,
    seq bigserial NOT NULL,
    doc jsonb NOT NULL,
    PRIMARY KEY (user_id, collection, key)
);
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
        for version, name, sql in MIGRATIONS:
            if version in todo:
                with conn.transaction():
                    conn.execute(sql)
                    conn.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)", (version, name))
                applied.append(version)
        return applied
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_ID,))
