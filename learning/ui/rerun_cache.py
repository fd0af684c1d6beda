"""Work a page keeps for its session until anything is written: reruns reuse it.

A Streamlit page reruns on every click and keystroke. What it reads from the store for
thousands of people (the users page's table, its choosers) is kept in the session, keyed
by who asks and by the store's ``data_version``, which every write moves on; so the next
rerun after any change, and every change of role or scope, computes afresh. The service
that computes the value checks the caller's role as always, when it computes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

import streamlit as st

from learning.ui.components import run_action
from learning.ui.context import repository

T = TypeVar("T")


def session_cached(name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per session until the store changes or ``key`` does.

    None is not kept: it is what a failed service call gives (``session_action``), tried again next run.
    """
    full_key = (key, repository().data_version())
    cached = st.session_state.get(name)
    if cached is not None and cached[0] == full_key:
        return cached[1]
    value = compute()
    if value is not None:
        st.session_state[name] = (full_key, value)
    return value


def session_action(name: str, key: Hashable, compute: Callable[[], T]) -> T | None:
    """``session_cached`` for a service call: a ``UserError`` is shown (``run_action``) and nothing kept."""
    return session_cached(name, key, lambda: run_action(compute))
