"""Which catalog entries a learner's filters keep, and in what order leaders' modules come.

Pure functions (no Streamlit): the catalog page keeps the filters in the address, so a
reload or a shared link shows the same list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from learning.content.models import ServiceArea
from learning.services.learning import CatalogEntry, Status


class StatusFilter(StrEnum):
    """Values of ``?status=`` in the address (Norwegian, as the rest of the address)."""

    NOT_STARTED = "ikke-startet"
    STARTED = "pabegynt"
    COMPLETED = "fullfort"
    REQUIRED = "pakrevd"


AREAS = [a for a in ServiceArea if a != ServiceArea.ALLE]


@dataclass(frozen=True)
class Filters:
    area: ServiceArea | None = None
    status: StatusFilter | None = None
    search: str = ""

    @property
    def active(self) -> bool:
        return bool(self.area or self.status or self.search.strip())

    @classmethod
    def from_query(cls, query: dict[str, str]) -> Filters:
        """From the address; unknown values are ignored (an old or hand-edited link still opens)."""
        area = query.get("omrade")
        status = query.get("status")
        return cls(area=ServiceArea(area) if area in {a.value for a in AREAS} else None,
                   status=StatusFilter(status) if status in {s.value for s in StatusFilter} else None,
                   search=(query.get("sok") or "")[:100])

    def to_query(self) -> dict[str, str]:
        out = {}
        if self.area:
            out["omrade"] = self.area.value
        if self.status:
            out["status"] = self.status.value
        if self.search.strip():
            out["sok"] = self.search.strip()
        return out


def keeps(entry: CatalogEntry, filters: Filters, required: Iterable[str]) -> bool:
    meta = entry.module.meta
    if filters.area and not meta.is_for(filters.area):
        return False
    wanted = {StatusFilter.NOT_STARTED: entry.status == Status.NOT_STARTED,
              StatusFilter.STARTED: entry.status == Status.IN_PROGRESS,
              StatusFilter.COMPLETED: entry.status == Status.COMPLETED,
              StatusFilter.REQUIRED: meta.id in set(required)}
    if filters.status and not wanted[filters.status]:
        return False
    words = filters.search.casefold().split()
    text = " ".join([meta.title, meta.short_title or "", meta.description]).casefold()
    return all(word in text for word in words)


def split_leaders(entries: list[CatalogEntry]) -> tuple[list[CatalogEntry], list[CatalogEntry]]:
    """(modules for leaders, the others): leaders see the first list first, everyone else last."""
    return ([e for e in entries if e.module.meta.for_leaders], [e for e in entries if not e.module.meta.for_leaders])
