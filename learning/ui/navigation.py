"""Every page address answers, signed in or not: no English "Page not found" dialog.

Signed out (or before set-up, or while an account waits for placement), every
address of the app shows the sign-in page (or that step's page) and keeps its path, so after
signing in the same address opens the page it names; the public pages (a certificate check, the
accessibility statement) keep their own address on the sign-in page. Signed in, the addresses of
pages a
role may not use lead to the front page.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from learning.i18n import t
from learning.ui.pages import PAGES, PUBLIC, go, page


def every_address(render: Callable[[], None], *, title: str, icon: str, own: str,
                  with_public: bool = False) -> list[st.Page]:
    """``render`` under every page's address; ``own`` (its own path) is the default at /.

    ``with_public``: the public pages (checking a course certificate, the accessibility statement) keep
    their own address.
    """
    public = {PAGES[name][1] for name in PUBLIC} if with_public else set()
    pages = [st.Page(render, title=title, icon=icon, url_path=own, default=True)]
    pages += [st.Page(render, title=title, icon=icon, url_path=path, visibility="hidden")
              for _, path, _ in PAGES.values() if path != own and path not in public]
    return pages + ([page(name) for name in sorted(PUBLIC)] if with_public else [])


def gate(name: str) -> list[st.Page]:
    """Page ``name`` of the registry (sign-in, first run, new password) at every address."""
    from importlib import import_module

    module_name, url_path, icon = PAGES[name]
    return every_address(import_module(f"learning.ui.pages.{module_name}").render, title=t(f"nav.{name}"),
                         icon=icon, own=url_path, with_public=name == "sign_in")


def _front_page() -> None:
    go("catalog")


def no_access_pages(allowed: set[str]) -> list[st.Page]:
    """Hidden pages for every registry page not in ``allowed`` (names): they lead to the front page.

    As Streamlit does for an unknown page inside a session, but without its English
    dialog when the address came from outside (a bookmark, a link in an e-mail).
    """
    return [st.Page(_front_page, title=t("nav.no_access"), icon=icon, url_path=path, visibility="hidden")
            for name, (_, path, icon) in PAGES.items() if name not in allowed]
