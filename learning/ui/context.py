"""Process-wide services for the Streamlit app (one store per data folder)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from learning.clock import utc_now
from learning.config import content_root, data_dir
from learning.content.catalog import ContentCatalog, load_catalog
from learning.services.accounts import AccountService
from learning.services.assignments import AssignmentService
from learning.services.audit import AuditService
from learning.services.authoring import AuthoringService
from learning.services.learning import LearningService
from learning.services.published import EffectiveCatalogCache
from learning.storage.tinydb_repo import TinyDBRepository


@st.cache_resource(show_spinner=False)
def _repository(path: str) -> TinyDBRepository:
    return TinyDBRepository(path)


@st.cache_resource(show_spinner=False)
def _content(root: str) -> ContentCatalog:
    return load_catalog(Path(root))


def repository() -> TinyDBRepository:
    return _repository(str(data_dir()))


@st.cache_resource(show_spinner=False)
def _effective(root: str, data: str) -> EffectiveCatalogCache:
    return EffectiveCatalogCache()


def _docs_stamp(repo: TinyDBRepository) -> tuple[int, int, int]:
    """Identity of docs.json (which holds published versions); every write replaces the file."""
    return repo.docs.db.storage.current_stamp() or (0, 0, 0)  # no file yet: nothing published


def content() -> ContentCatalog:
    """What learners see: built-in files plus published authored versions (rebuilt when docs.json changes)."""
    repo = repository()
    files = _content(str(content_root()))
    return _effective(str(content_root()), str(data_dir())).get(files, repo, _docs_stamp(repo))


@st.cache_resource(show_spinner=False)
def _pruned(data: str, day: str) -> int:
    """The audit log's retention, applied once a day per process (the app asks for accounts on every run)."""
    return AuditService(repository()).prune_expired()


def accounts() -> AccountService:
    _pruned(str(data_dir()), utc_now().date().isoformat())
    return AccountService(repository())


def learning() -> LearningService:
    return LearningService(repository(), content())


def assignments_service() -> AssignmentService:
    return AssignmentService(repository(), content())


def authoring() -> AuthoringService:
    return AuthoringService(repository(), _content(str(content_root())), content_root())
