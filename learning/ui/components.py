"""Shared bits of page layout: safe Markdown, page language, errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import streamlit as st

from learning.errors import UserError
from learning.i18n import t
from learning.render import render_markdown
from learning.services.authz import PermissionDenied
from learning.storage.errors import DamagedFile
from learning.ui import chrome

T = TypeVar("T")

def setup_page() -> None:
    """Page config. The layout is set once per run by streamlit_app.py when the page is known (two calls
    that both set a layout make Streamlit flip between them on reruns). The shared styles (contrast,
    focus rings, phone layout), focus handling and Streamlit's own words follow the person's language:
    ``ui.language.use_language`` sends them (``ui.chrome``).
    """
    st.set_page_config(page_title=t("app.title"), page_icon="🌱")


def markdown(text: str) -> None:
    """Show authored Markdown: raw HTML is off and unsafe links are dropped."""
    st.html(f'<div class="lesson-body">{render_markdown(text)}</div>')


def show_error(exc: UserError) -> None:
    st.error(t(exc.key, **exc.values))


def run_action(action: Callable[[], T]) -> T | None:
    """Run a service call; show a Norwegian message instead of a traceback."""
    try:
        return action()
    except UserError as exc:
        show_error(exc)
    except PermissionDenied:
        st.error(t("auth.no_access"))
    return None


@contextmanager
def stop_on_damaged_data() -> Iterator[None]:
    """A data file that cannot be read stops the page with a message naming it.

    Without this the user would get Streamlit's redacted English error page. The app
    wraps every page in it, so code outside ``run_action`` is covered too.
    """
    try:
        yield
    except DamagedFile as exc:
        if not chrome.frame_installed():  # stopped before the frame was sent: its styles still apply
            chrome.install_frame()
        show_error(exc)
        st.stop()


def unreadable_note(count: int) -> None:
    """Tell a leader that some staff are left out of the figures because their data cannot be read."""
    if count:
        st.warning(t("storage.unreadable_one") if count == 1 else t("storage.unreadable_many", count=count))


def area_label(area) -> str:
    return t(f"area.{area.value}") if area else t("area.none")
