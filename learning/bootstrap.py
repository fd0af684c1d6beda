"""The composition root: which store to use, and every service built on it.

Configuration comes from the environment (see the README's table). ``LEARNING_DATABASE_URL``
set to ``postgresql://…`` selects PostgreSQL; unset means the embedded TinyDB store in
``LEARNING_DATA_DIR``. The app (``ui/context.py``) and the command line (``__main__``) both
come through here, so they always open the same store the same way.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from learning import config
from learning.content.catalog import ContentCatalog
from learning.errors import UserError
from learning.services.published import EffectiveCatalogCache
from learning.storage.repository import Repository

if TYPE_CHECKING:  # imported where used, so opening a store does not load every service
    from learning.services.accounts import AccountService
    from learning.services.assignments import AssignmentService
    from learning.services.audit import AuditService
    from learning.services.authoring import AuthoringService
    from learning.services.learning import LearningService
    from learning.services.reports import ReportService

DATABASE_URL_ENV = "LEARNING_DATABASE_URL"
POOL_SIZE_ENV = "LEARNING_DB_POOL_SIZE"
MIGRATE_ENV = "LEARNING_DB_MIGRATE"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


@dataclass(frozen=True)
class Settings:
    """Where the data and content live; ``from_env`` reads them from the environment."""

    data_dir: Path
    content_root: Path
    database_url: str | None = None
    pool_size: int = 10
    migrate: bool = True

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        url = env.get(DATABASE_URL_ENV, "").strip() or None
        if url is not None and not url.startswith(POSTGRES_SCHEMES):
            raise UserError("database.bad_url", variable=DATABASE_URL_ENV)
        return cls(
            data_dir=config.data_dir(),
            content_root=config.content_root(),
            database_url=url,
            pool_size=config.positive_int_env(POOL_SIZE_ENV, 10),  # a bad value warns, never a traceback
            migrate=env.get(MIGRATE_ENV, "1") != "0",
        )

    @property
    def backend(self) -> str:
        return "postgres" if self.database_url else "tinydb"

    @property
    def store_key(self) -> str:
        """Identifies the store, for process-wide caches (a URL may hold a password: keep it in memory)."""
        return self.database_url or str(self.data_dir)


def build_repository(settings: Settings) -> Repository:
    """A new repository on the configured store; PostgreSQL's schema is migrated first (if allowed)."""
    if settings.database_url:
        from learning.storage.postgres_repo import PostgresRepository  # psycopg only when configured

        return PostgresRepository(settings.database_url, pool_size=settings.pool_size, migrate=settings.migrate)
    from learning.storage.tinydb_repo import TinyDBRepository

    return TinyDBRepository(settings.data_dir)


_pools: dict[str, Repository] = {}
_pools_guard = threading.Lock()


def open_repository(settings: Settings) -> Repository:
    """The repository for this process: one connection pool per database, shared by every caller.

    A pool is a process resource (threads, sockets), so it outlives a cleared Streamlit cache.
    The embedded store is cheap to open and is built anew.
    """
    if not settings.database_url:
        return build_repository(settings)
    with _pools_guard:
        repo = _pools.get(settings.database_url)
        if repo is None:
            repo = _pools[settings.database_url] = build_repository(settings)
        return repo


def close_repositories() -> None:
    """Close every shared connection pool (tests; the app keeps them for its lifetime)."""
    with _pools_guard:
        repos = list(_pools.values())
        _pools.clear()
    for repo in repos:
        repo.close()  # type: ignore[attr-defined]


@dataclass
class Services:
    """Every service on one repository and one content catalog."""

    repo: Repository
    files: ContentCatalog
    content_root: Path
    effective: EffectiveCatalogCache = field(default_factory=EffectiveCatalogCache)

    def content(self) -> ContentCatalog:
        """What learners see: the content files plus published versions (rebuilt when documents change)."""
        return self.effective.get(self.files, self.repo, self.repo.docs_version())

    def accounts(self) -> AccountService:
        from learning.services.accounts import AccountService

        return AccountService(self.repo)

    def audit(self) -> AuditService:
        from learning.services.audit import AuditService

        return AuditService(self.repo)

    def learning(self) -> LearningService:
        from learning.services.learning import LearningService

        return LearningService(self.repo, self.content())

    def assignments(self) -> AssignmentService:
        from learning.services.assignments import AssignmentService

        return AssignmentService(self.repo, self.content())

    def authoring(self) -> AuthoringService:
        from learning.services.authoring import AuthoringService

        return AuthoringService(self.repo, self.files, self.content_root)

    def reports(self) -> ReportService:
        from learning.services.reports import ReportService

        return ReportService(self.repo, self.content())


def services(settings: Settings | None = None, *, repo: Repository | None = None) -> Services:
    """Services for the command line: the configured store and the content files."""
    from learning.content.catalog import load_catalog

    settings = settings or Settings.from_env()
    return Services(repo or open_repository(settings), load_catalog(settings.content_root), settings.content_root)
