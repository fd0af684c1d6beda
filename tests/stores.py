"""Which store the tests run on (``LEARNING_TEST_BACKEND``: tinydb, the default, or postgres)."""

from __future__ import annotations

import os
from pathlib import Path

from learning import bootstrap
from learning.storage.repository import Repository

BACKEND = os.environ.get("LEARNING_TEST_BACKEND", "tinydb")


def open_store(data_dir: Path | str) -> Repository:
    """The store the app under test uses: TinyDB in ``data_dir``, or the test database.

    On PostgreSQL this is the process's shared pool, as every session of the app gets.
    """
    if BACKEND == "postgres":
        return bootstrap.open_repository(bootstrap.Settings.from_env())
    from learning.storage.tinydb_repo import TinyDBRepository

    return TinyDBRepository(Path(data_dir))


def reopen(repo: Repository) -> Repository:
    """Another handle on the same store, as another session or process opens it."""
    if BACKEND == "postgres":
        return bootstrap.open_repository(bootstrap.Settings.from_env())
    from learning.storage.tinydb_repo import TinyDBRepository

    return TinyDBRepository(repo.root)  # type: ignore[attr-defined]


def stored_bytes(data_dir: Path) -> list[tuple[str, bytes]]:
    """Everything the store holds, as (where, bytes): each file, or each table's rows as text."""
    if BACKEND == "postgres":
        import psycopg

        from tests.pg_cluster import TABLES

        with psycopg.connect(os.environ[bootstrap.DATABASE_URL_ENV]) as conn:
            return [(table, (conn.execute(f"SELECT coalesce(string_agg(t::text, E'\\n'), '') FROM {table} t")
                             .fetchone()[0]).encode()) for table in TABLES.split(", ")]
    return [(str(p), p.read_bytes()) for p in sorted(Path(data_dir).rglob("*")) if p.is_file()]
