"""Which language a person sees: their own choice, the sign-in page's switch, their municipality's.

``data/municipality_languages.csv`` (columns ``kommunenummer,sprak,navn``) holds the
municipalities whose service language is not bokmål: under the Language Act (språklova
§ 13) a municipality chooses bokmål, nynorsk or neutral, and one that chose nynorsk
should meet its staff in nynorsk. The file lists only municipalities known to have chosen
nynorsk; a municipality not listed gets bokmål. Check Språkrådet's list of municipal
language choices (kommunal målform) before adding one; ``navn`` is for the reader only.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from learning.i18n import Language, as_language, default_language

MUNICIPALITY_LANGUAGES = Path(__file__).parent / "data" / "municipality_languages.csv"


@cache
def municipality_languages(path: Path = MUNICIPALITY_LANGUAGES) -> dict[str, Language]:
    """Kommunenummer -> service language, for the municipalities that are not bokmål.

    A row with an unknown language code is an error in the file, so it raises.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out: dict[str, Language] = {}
    for row in rows:
        language = as_language(row["sprak"].strip())
        if language is None:
            raise ValueError(f"{path.name}: unknown language {row['sprak']!r} for {row['kommunenummer']}")
        out[row["kommunenummer"].strip()] = language
    return out


def municipality_language(number: str | None) -> Language | None:
    """The municipality's service language when it is not the default, else None."""
    return municipality_languages().get(number or "")


def resolve_language(chosen: object = None, session_choice: object = None,
                     municipality: str | None = None) -> Language:
    """The language to show: the person's stored choice, else the switch on the sign-in
    page (kept in the session), else the municipality's service language, else the default."""
    for candidate in (chosen, session_choice, municipality_language(municipality)):
        language = as_language(candidate)
        if language is not None:
            return language
    return Language(default_language())
