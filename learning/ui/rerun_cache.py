"""Work a page keeps until anything is written: reruns, and other sessions of the same scope, reuse it.

A Streamlit page reruns on every click and keystroke. What it reads from the store for
thousands of people (the users page's table, its choosers) is kept in the session, keyed
by who asks and by the store's ``data_version``, which every write moves on; so the next
rerun after any change, and every change of role or scope, computes afresh. The service
that computes the value checks the caller's role as always, when it computes.

Figures that depend only on a scope (a municipality's dashboard, the network view) are
also kept for the whole process (``shared_action``): a leader who opens the dashboard
after a colleague of the same scope gets it at once instead of computing it again. The
key is the role and the scope the service itself granted the caller, never a value the
user chose, so a leader is only ever served their own municipality's figures.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import streamlit as st

from learning.i18n import current_language
from learning.ui.components import run_action
from learning.ui.context import content, repository

T = TypeVar("T")
SHARED_ENTRIES = 64  # scopes kept per process: municipalities x views, each entry a few figures


def session_cached(name: str, key: Hashable, compute: Callable[[], T], *, reports_only: bool = False) -> T:
    """``compute()`` once per session until the store changes or ``key`` does.

    ``reports_only``: only a write of what reports read (users, progress, attempts, assignments,
    documents) counts as a change, not a sign-in, for values built from those alone: on a busy
    server someone signs in every few seconds, and each sign-in would make the value be read again.
    None is not kept: it is what a failed service call gives (``session_action``), tried again next run.
    """
    store = repository()
    full_key = (key, store.report_version() if reports_only else store.data_version())
    cached = st.session_state.get(name)
    if cached is not None and cached[0] == full_key:
        return cached[1]
    value = compute()
    if value is not None:
        st.session_state[name] = (full_key, value)
    return value


def session_action(name: str, key: Hashable, compute: Callable[[], T], *, reports_only: bool = False) -> T | None:
    """``session_cached`` for a service call: a ``UserError`` is shown (``run_action``) and nothing kept."""
    return session_cached(name, key, lambda: run_action(compute), reports_only=reports_only)


class SharedFigures:
    """A bounded LRU of computed figures, one entry per (view, role, scope, language).

    Each entry remembers the store and catalog objects and the store's ``report_version`` it was
    computed on; it is served only while all three are the same (a write of anything reports read,
    by any process, moves the version on; published content makes a new catalog). Values are shared between sessions
    and threads: pages only read them.
    """

    def __init__(self, size: int = SHARED_ENTRIES) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[object, object, int, object]] = OrderedDict()

    def get(self, key: Hashable, store: object, catalog: object, version: int) -> object | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] is not store or entry[1] is not catalog or entry[2] != version:
                return None
            self._entries.move_to_end(key)
            return entry[3]

    def put(self, key: Hashable, store: object, catalog: object, version: int, value: object) -> None:
        with self._lock:
            self._entries[key] = (store, catalog, version, value)  # replaces the stale version of this key
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


@st.cache_resource(show_spinner=False)
def shared_figures() -> SharedFigures:
    """The process's shared figures (cleared with the other process caches, as on a restart)."""
    return SharedFigures()


def shared_action(name: str, role: Hashable, scope: Hashable, compute: Callable[[], T]) -> T | None:
    """``session_action`` whose result every session of the process with the same role and scope reuses.

    ``scope`` must be what the service granted this caller (``ReportService.checked_scope``), or
    nothing narrower than what the page's own role check allows; ``compute`` must depend on
    nothing else but the store, the catalog and the language.
    """
    store, catalog = repository(), content()
    version = store.report_version()  # sign-ins and the audit log leave it: a new session still finds the figures
    key = (name, role, scope, current_language())
    cache = shared_figures()
    value = cache.get(key, store, catalog, version)
    if value is not None:
        return value  # type: ignore[return-value]
    value = run_action(compute)
    if value is not None:
        cache.put(key, store, catalog, version, value)
    return value
