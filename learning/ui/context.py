"""Process-wide services for the Streamlit app, built by ``learning.bootstrap`` (one store per process).

A page asks for services many times in one run (the menu, the signed-in user, the page);
each lookup through ``st.cache_resource`` hashes its arguments, so the first one in a run
is kept for the rest of that run. Streamlit runs each script run in a thread of its own,
whose context starts empty, and ``begin_run`` forgets it explicitly at the top of a run.
"""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path

import streamlit as st

from learning.bootstrap import Services, Settings, open_repository
from learning.clock import utc_now
from learning.content.catalog import ContentCatalog, load_catalog
from learning.services.accounts import AccountService
from learning.services.assignments import AssignmentService
from learning.services.authoring import AuthoringService
from learning.services.learning import LearningService
from learning.services.published import EffectiveCatalogCache
from learning.storage.repository import Repository


@st.cache_resource(show_spinner=False)
def _repository(store_key: str) -> Repository:
    """One repository per store (``store_key``: the database URL or the data folder)."""
    return open_repository(Settings.from_env())


@st.cache_resource(show_spinner=False)
def _content(root: str) -> ContentCatalog:
    return load_catalog(Path(root))


@st.cache_resource(show_spinner=False)
def _effective(root: str, store_key: str) -> EffectiveCatalogCache:
    return EffectiveCatalogCache()


_this_run: ContextVar[dict | None] = ContextVar("learning_this_run", default=None)


def begin_run() -> None:
    """Forget what the last run kept: services are looked up afresh (after a restart the caches are new)."""
    _this_run.set({})


def run_memo() -> dict:
    """What this run keeps for its own later calls (the services, the signed-in user)."""
    memo = _this_run.get()
    if memo is None:
        memo = {}
        _this_run.set(memo)
    return memo


def _services() -> Services:
    memo = run_memo()
    services = memo.get("services")
    if services is None:
        settings = Settings.from_env()
        root = str(settings.content_root)
        services = Services(_repository(settings.store_key), _content(root), settings.content_root,
                            _effective(root, settings.store_key))
        memo["services"] = services
        _pruned(settings.store_key, utc_now().date().isoformat())
    return services


def repository() -> Repository:
    return _services().repo


def content() -> ContentCatalog:
    """What learners see: built-in files plus published authored versions (rebuilt when those change)."""
    return _services().content()


@st.cache_resource(show_spinner=False)
def _pruned(store_key: str, day: str) -> int:
    """The audit log's retention, applied once a day per process (checked once per run)."""
    return _services().audit().prune_expired()


def accounts() -> AccountService:
    return _services().accounts()


def learning() -> LearningService:
    return _services().learning()


def assignments_service() -> AssignmentService:
    return _services().assignments()


def authoring() -> AuthoringService:
    return _services().authoring()
