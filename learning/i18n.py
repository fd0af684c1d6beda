"""The one message catalog for every UI string.

Strings live in ``locales/<lang>.toml``; pages call ``t("key", name=...)``.
Bokmål (nb) now; nynorsk and English are added as new files, not page edits.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).parent / "locales"
DEFAULT_LANGUAGE = "nb"


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
    with (LOCALES / f"{language}.toml").open("rb") as handle:
        return _flatten(tomllib.load(handle))


def current_language() -> str:
    return os.environ.get("LEARNING_LANGUAGE", DEFAULT_LANGUAGE)


def t(key: str, /, **values: object) -> str:
    """Look up ``key`` and fill in ``{placeholders}``; a missing key is a bug, so it raises."""
    text = catalog(current_language())[key]
    return text.format(**values) if values else text
