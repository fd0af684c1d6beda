"""The language of each run: the person's choice (Profil), the sign-in page's switch, or their municipality's.

``use_language`` runs once at the top of every run, before any page text is made, so
``t()``, the content catalog and the page's ``lang`` attribute all follow the person.
"""

from __future__ import annotations

import streamlit as st

from learning.i18n import LANGUAGE_NAMES, Language, current_language, set_language, t
from learning.languages import resolve_language
from learning.records import User
from learning.ui import chrome

SESSION_KEY = "language"  # the switch's choice, kept for the session (and used at sign-in)
_SWITCH_KEY = "language_switch"


def use_language(user: User | None, browser_script: str = "") -> Language:
    """Set this run's language for ``user`` (None: nobody signed in) and send the page frame in it.

    ``browser_script``: what the browser must do this run (``session.browser_sync_script``), sent
    with the frame.
    """
    language = resolve_language(user.language if user else None, st.session_state.get(SESSION_KEY),
                                user.municipality if user else None)
    set_language(language)
    page_language(language, browser_script)
    return language


def page_language(language: str, browser_script: str = "") -> None:
    """The page's ``lang`` attribute (screen readers speak the right language), and ``ui.chrome``'s styles
    and script (focus after actions, Streamlit's own words) in that language."""
    chrome.install_frame(Language(language).value, browser_script)


def _remember_switch() -> None:
    st.session_state[SESSION_KEY] = st.session_state[_SWITCH_KEY]


def language_switch() -> None:
    """A small language switch for the pages before sign-in; the choice lasts the session.

    The callback runs before the next run starts, so that run is already in the new language.
    """
    options = [language.value for language in Language]
    st.radio(t("language.label"), options, index=options.index(current_language()), horizontal=True,
             format_func=lambda code: LANGUAGE_NAMES[Language(code)], key=_SWITCH_KEY, on_change=_remember_switch)


def language_choice(user: User) -> str:
    """The language field on Profil: the person's choice, or what they see now if they never chose."""
    options = [language.value for language in Language]
    current = user.language.value if user.language else current_language()
    return st.radio(t("language.label"), options, index=options.index(current), help=t("language.profile_help"),
                    format_func=lambda code: LANGUAGE_NAMES[Language(code)], horizontal=True)
