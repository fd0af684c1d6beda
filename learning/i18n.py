"""The one message catalog for every UI string.

Strings live in ``locales/<lang>/*.toml`` (one file per feature, merged);
pages call ``t("key", name=...)``. Bokmål (nb) now; nynorsk (nn) and English
(en) are added as new folders, not page edits.
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
    merged: dict[str, str] = {}
    for path in sorted((LOCALES / language).glob("*.toml")):
        with path.open("rb") as handle:
            table = _flatten(tomllib.load(handle))
        clash = merged.keys() & table.keys()
        if clash:
            raise ValueError(f"{path.name} repeats keys: {sorted(clash)}")
        merged.update(table)
    return merged


def current_language() -> str:
    return os.environ.get("LEARNING_LANGUAGE", DEFAULT_LANGUAGE)


def t(key: str, /, **values: object) -> str:
    """Look up ``key`` and fill in ``{placeholders}``; a missing key is a bug, so it raises."""
    text = catalog(current_language())[key]
    return text.format(**values) if values else text
