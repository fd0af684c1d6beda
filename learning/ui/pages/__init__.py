"""The page registry: every page by name, so pages can link to each other."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from importlib import import_module
from typing import TypeVar

import streamlit as st

from learning.i18n import current_language, t

T = TypeVar("T")
_KEPT = "lm-pages"  # this session's st.Page objects: {key: value}

# name: (module under learning.ui.pages, url path, icon)
PAGES: dict[str, tuple[str, str, str]] = {
    "first_run": ("first_run", "forste-oppstart", ":material/key:"),
    "sign_in": ("sign_in", "logg-inn", ":material/login:"),
    "catalog": ("catalog", "moduler", ":material/school:"),
    "module": ("module", "modul", ":material/menu_book:"),
    "my_learning": ("my_learning", "min-laering", ":material/task_alt:"),
    "profile": ("profile", "profil", ":material/person:"),
    "change_password": ("change_password", "nytt-passord", ":material/password:"),
    "admin_users": ("admin_users", "brukere", ":material/group:"),
    "audit_log": ("audit_log", "logg", ":material/history:"),
    "privacy_notice": ("privacy_notice", "personvern", ":material/shield_person:"),
    "accessibility": ("accessibility", "tilgjengelighet", ":material/accessibility_new:"),
    "manager_dashboard": ("manager_dashboard", "leder", ":material/monitoring:"),
    "network": ("network", "nettverk", ":material/hub:"),
    "council_summary": ("council_summary", "sammendrag", ":material/summarize:"),
    "author_home": ("author_home", "forfatter", ":material/edit_note:"),
    "author_scenario": ("author_scenario", "forfatter-scenario", ":material/account_tree:"),
    "author_lesson": ("author_lesson", "forfatter-leksjon", ":material/article:"),
    "author_review": ("author_review", "forfatter-vurdering", ":material/rate_review:"),
    "certificate_check": ("certificate_check", "kursbevis", ":material/verified:"),
    "unsubscribe": ("unsubscribe", "avmelding", ":material/unsubscribe:"),
}

HIDDEN = {"module", "certificate_check", "unsubscribe"}  # opened from the catalog / a certificate, not from the menu
# Shown at their address signed in or not (certificate, e-mail link, the accessibility statement).
PUBLIC = {"certificate_check", "unsubscribe", "accessibility"}
# Editors beside their previews, and the leaders' heat maps and tables.
WIDE = {"author_home", "author_scenario", "author_lesson", "author_review", "manager_dashboard", "network"}


def layout(current: st.Page) -> str:
    return "wide" if current.url_path in {PAGES[name][1] for name in WIDE} else "centered"


def session_pages(key: Hashable, build: Callable[[], T]) -> T:
    """``build()`` once per session for ``key`` and the run's language: the pages, the menu.

    Making an ``st.Page`` costs Streamlit about 40 µs and the app needs 20 to 30 a run (the menu
    and the hidden addresses), a third of what an empty script's whole rerun costs. The pages are
    kept per session, never shared between sessions: ``st.navigation`` marks the page it chose as
    callable on the object itself, and two sessions run at the same time.
    """
    kept: dict = st.session_state.setdefault(_KEPT, {})
    full_key = (key, current_language())
    if full_key not in kept:
        kept[full_key] = build()
    return kept[full_key]


def page(name: str, *, default: bool = False) -> st.Page:
    def build() -> st.Page:
        module_name, url_path, icon = PAGES[name]
        render = import_module(f"learning.ui.pages.{module_name}").render
        visibility = "hidden" if name in HIDDEN else "visible"
        return st.Page(render, title=t(f"nav.{name}"), icon=icon, url_path=url_path, default=default,
                       visibility=visibility)
    return session_pages(("page", name, default), build)


def go(name: str, **query: str) -> None:
    st.switch_page(page(name), query_params=query or None)
