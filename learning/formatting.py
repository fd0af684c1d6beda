"""Norwegian formats for dates and plain text shown in widgets."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")
_MARKDOWN_CHARS = re.compile(r"([\\`*_{}\[\]<>()#+!|~$])")


def local(moment: datetime) -> datetime:
    return moment.astimezone(OSLO)


def fmt_date(value: date | datetime | None) -> str:
    """dd.mm.åååå, in Norwegian time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    return value.strftime("%d.%m.%Y")


def parse_stamp(stamp: str | None) -> datetime | None:
    """A stored ISO timestamp back to a datetime (None stays None)."""
    return datetime.fromisoformat(stamp) if stamp else None


def plain(text: str) -> str:
    """Escape Markdown so authored text shows as typed in widget labels."""
    return _MARKDOWN_CHARS.sub(r"\\\1", text)


def unique_labels(titles: Mapping[str, str]) -> dict[str, str]:
    """Titles by id as labels that tell items apart: a title shared by several ids gets the id added.

    Tables, charts and pivots are keyed by id; two modules may well have the same title.
    """
    counts = Counter(titles.values())
    return {key: f"{title} ({key})" if counts[title] > 1 else title for key, title in titles.items()}
