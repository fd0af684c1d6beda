"""The one message catalog for every UI string, in bokmål, nynorsk and English.

Strings live in ``locales/<lang>/*.toml`` (one file per feature, merged); pages call
``t("key", name=...)``. Every language has the same keys (``tests/test_i18n.py``).

The language is per user, so it lives in a context variable: the UI sets it once at
the top of every run (``ui/language.py``) and everything below, services included,
reads it through ``t()`` without knowing about Streamlit. Outside the app (the command
line) it is ``LEARNING_LANGUAGE`` or bokmål.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).parent / "locales"


class Language(StrEnum):
    """The UI languages; also the page's ``lang`` attribute (BCP 47)."""

    NB = "nb"
    NN = "nn"
    EN = "en"


DEFAULT_LANGUAGE = Language.NB.value
LANGUAGE_NAMES = {Language.NB: "Bokmål", Language.NN: "Nynorsk", Language.EN: "English"}
"""Each language named in itself, as language switches show them (never translated)."""

_current: ContextVar[str | None] = ContextVar("learning_language", default=None)


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{full}."))
        else:
            flat[full] = str(value)
    return flat


@cache
def catalog(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((LOCALES / language).glob("*.toml")):
        with path.open("rb") as handle:
            table = _flatten(tomllib.load(handle))
        clash = merged.keys() & table.keys()
        if clash:
            raise ValueError(f"{path.name} repeats keys: {sorted(clash)}")
        merged.update(table)
    return merged


def as_language(value: object) -> Language | None:
    """``value`` as a known language, or None (an unknown code is no language)."""
    try:
        return Language(str(value)) if value else None
    except ValueError:
        return None


def default_language() -> str:
    """The language when nobody chose one: ``LEARNING_LANGUAGE`` (if known) or bokmål."""
    return (as_language(os.environ.get("LEARNING_LANGUAGE")) or Language.NB).value


def current_language() -> str:
    """The language of this run (set by the UI for its user), else the default."""
    return _current.get() or default_language()


def set_language(language: str | None) -> None:
    """Use ``language`` for ``t()`` in this thread from now on (None or unknown: the default)."""
    known = as_language(language)
    _current.set(known.value if known else None)


@contextmanager
def using_language(language: str | None) -> Iterator[None]:
    """``t()`` in ``language`` inside the block, as before after it (tests, exports)."""
    known = as_language(language)
    token = _current.set(known.value if known else None)
    try:
        yield
    finally:
        _current.reset(token)


def t(key: str, /, **values: object) -> str:
    """Look up ``key`` in the current language and fill in ``{placeholders}``.

    A key missing in nynorsk or English falls back to bokmål, so a string added in
    bokmål alone never breaks a page (the catalog test still fails on it); a key
    missing in bokmål is a bug, so it raises.
    """
    text = catalog(current_language()).get(key)
    if text is None:
        text = catalog(DEFAULT_LANGUAGE)[key]
    return text.format(**values) if values else text
