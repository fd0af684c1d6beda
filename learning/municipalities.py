"""Norwegian municipalities with their kommunenummer, and the MITT LIV network."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "kommuner.csv"

NETWORK = {
    "0301": "Oslo", "4601": "Bergen", "5001": "Trondheim", "1103": "Stavanger",
    "3301": "Drammen", "1108": "Sandnes", "4204": "Kristiansand", "5501": "Tromsø",
    "3201": "Bærum",
}


@cache
def all_municipalities() -> dict[str, str]:
    """Kommunenummer -> name, sorted by name; the network cities if the list is missing."""
    items = dict(NETWORK)
    if DATA.exists():
        with DATA.open(encoding="utf-8") as handle:
            items.update({row["kommunenummer"]: row["navn"] for row in csv.DictReader(handle)})
    return dict(sorted(items.items(), key=lambda kv: kv[1]))


def name_of(number: str) -> str:
    return all_municipalities().get(number, number)


def resolve(text: str) -> str | None:
    """A kommunenummer or a name (any case) -> kommunenummer, or None."""
    text = text.strip()
    table = all_municipalities()
    if text in table:
        return text
    for number, name in table.items():
        if name.casefold() == text.casefold():
            return number
    return None


def label(number: str) -> str:
    return f"{name_of(number)} ({number})"
