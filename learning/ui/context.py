"""Process-wide services for the Streamlit app, built by ``learning.bootstrap`` (one store per process).

A page asks for services many times in one run (the menu, the signed-in user, the page);
each lookup through ``st.cache_resource`` hashes its arguments, so the first one in a run
is kept for the rest of that run. Streamlit runs each script run in a thread of its own,
whose context starts empty, and ``begin_run`` forgets it explicitly at the top of a run.
"""

from __future__ import annotations

import threading
from contextvars import ContextVar
from dataclasses import dataclass, field
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


@dataclass
class _Shared:
    """What every run of this process uses for one store and content folder, found with ONE cache lookup a run
    (each ``st.cache_resource`` lookup inspects the function's signature and hashes its arguments: about
    40 µs, a twentieth of an empty script's rerun, and a run needed four)."""

    repo: Repository
    files: ContentCatalog
    effective: EffectiveCatalogCache
    pruned_on: str = ""  # the audit log's retention, applied once a day per process
    lock: threading.Lock = field(default_factory=threading.Lock)

    def prune_once_on(self, day: str, services: Services) -> None:
        """Prune once on ``day``; a failed prune (a damaged file) is tried again on the next run."""
        if self.pruned_on == day:
            return
        with self.lock:
            if self.pruned_on != day:
                services.audit().prune_expired()
                self.pruned_on = day


@st.cache_resource(show_spinner=False)
def _shared(store_key: str, root: str) -> _Shared:
    return _Shared(_repository(store_key), _content(root), _effective(root, store_key))


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
        shared = _shared(settings.store_key, root)
        services = Services(shared.repo, shared.files, settings.content_root, shared.effective)
        memo["services"] = services
        shared.prune_once_on(utc_now().date().isoformat(), services)
    return services


def repository() -> Repository:
    return _services().repo


def content() -> ContentCatalog:
    """What learners see: built-in files plus published authored versions (rebuilt when those change)."""
    return _services().content()


def accounts() -> AccountService:
    return _services().accounts()


def learning() -> LearningService:
    return _services().learning()


def assignments_service() -> AssignmentService:
    return _services().assignments()


def authoring() -> AuthoringService:
    return _services().authoring()
