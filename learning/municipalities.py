"""Norwegian municipalities with their kommunenummer, and the MITT LIV network.

The list is ``learning/data/kommuner.csv`` (columns ``kommunenummer,navn``): the
357 municipalities of SSB's classification 131 valid from 1 January 2024, with the
names as SSB writes them. Names given in several languages keep SSB's form
(``Trondheim - Tråante``, ``Kárášjohka - Karasjok``); :func:`resolve` accepts each
language's name on its own as well.

The list is required: when it is missing or unreadable, :func:`all_municipalities`
raises :class:`MunicipalityListError` instead of falling back to the network cities.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "kommuner.csv"

# The network cities (kommunenummer -> short name); a subset of the full list.
NETWORK = {
    "0301": "Oslo", "4601": "Bergen", "5001": "Trondheim", "1103": "Stavanger",
    "3301": "Drammen", "1108": "Sandnes", "4204": "Kristiansand", "5501": "Tromsø",
    "3201": "Bærum",
}

_NAME_PARTS = " - "  # separates the language forms in SSB's multilingual names


class MunicipalityListError(RuntimeError):
    """The municipality list is missing, unreadable or malformed."""


@cache
def all_municipalities() -> dict[str, str]:
    """Kommunenummer -> name for every municipality in ``DATA``, sorted by name.

    Raises MunicipalityListError (naming the file) when the list is missing,
    unreadable, lacks the ``kommunenummer``/``navn`` columns or has no rows.
    """
    try:
        with DATA.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if not {"kommunenummer", "navn"} <= set(reader.fieldnames or ()):
                raise MunicipalityListError(
                    f"Municipality list {DATA} must have the columns kommunenummer,navn"
                )
            items = {row["kommunenummer"].strip(): row["navn"].strip() for row in reader}
    except OSError as error:
        raise MunicipalityListError(f"Cannot read the municipality list {DATA}: {error}") from error
    except (UnicodeDecodeError, csv.Error) as error:
        raise MunicipalityListError(f"Municipality list {DATA} is not valid UTF-8 CSV: {error}") from error
    if not items:
        raise MunicipalityListError(f"Municipality list {DATA} has no municipalities")
    return dict(sorted(items.items(), key=lambda kv: kv[1]))


def name_of(number: str) -> str:
    """The municipality's name, or the number itself when it is not in the list."""
    return all_municipalities().get(number, number)


def resolve(text: str) -> str | None:
    """A kommunenummer or a name (any case) -> kommunenummer, or None.

    A name matches SSB's full form («Deatnu - Tana») or any one of its language
    forms («Tana», «Deatnu») when that form belongs to one municipality only.
    """
    text = text.strip()
    table = all_municipalities()
    if text in table:
        return text
    wanted = text.casefold()
    for number, name in table.items():
        if name.casefold() == wanted:
            return number
    matches = [
        number for number, name in table.items()
        if wanted in (part.strip().casefold() for part in name.split(_NAME_PARTS))
    ]
    return matches[0] if len(matches) == 1 else None


def label(number: str) -> str:
    """«Name (kommunenummer)» for display."""
    return f"{name_of(number)} ({number})"
