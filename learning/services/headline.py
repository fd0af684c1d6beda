"""The dashboard's key figures as sentences that say what they count and of how many.

"24 %" alone is hard to read; "24 % av 64 ansatte har fullført alle påkrevde moduler" is
not. Built from a computed ``Dashboard`` only (its headline counts); team-session
attendance (``extra``) is shown apart from completion.
"""

from __future__ import annotations

from dataclasses import dataclass

from learning.i18n import t
from learning.services.reports import Dashboard


@dataclass(frozen=True)
class Figure:
    key: str
    value: str
    sentence: str


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def headline_figures(board: Dashboard) -> list[Figure]:
    h = board.headline
    staff = h.staff
    bound, all_done = h.required_staff, h.required_done
    figures = [Figure("staff", str(staff), t("headline.staff", staff=staff))]
    if bound:
        share = _percent(all_done, bound)
        figures.append(Figure("all_required", f"{share} %",
                              t("headline.all_required", percent=share, staff=bound, done=all_done)))
    else:
        figures.append(Figure("all_required", "–", t("headline.no_required")))
    figures += [
        Figure("overdue", str(h.overdue), t("headline.overdue", count=h.overdue, staff=staff)),
        Figure("started", str(h.started), t("headline.started", count=h.started, staff=staff,
                                            percent=_percent(h.started, staff))),
        Figure("completed", str(h.completed), t("headline.completed", count=h.completed, staff=staff,
                                                percent=_percent(h.completed, staff))),
        Figure("rate", f"{h.completion_rate} %", t("headline.rate", percent=h.completion_rate, staff=staff)),
    ]
    return figures
