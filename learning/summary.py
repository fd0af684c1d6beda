"""Report figures in words: Norwegian number formats and the sentences of the council summary.

Pure functions of the report models (no Streamlit), so tests can read the words directly.
The summary is meant to be printed and shown outside the leaders' own pages, so a service
area or module with fewer than 5 staff is shown without figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from learning.content.models import Module, ServiceArea, Tag
from learning.i18n import current_language, t
from learning.services.privacy import MIN_GROUP, Cell, Hidden
from learning.services.reports import Dashboard, Headline, QuizInsight

NBSP = "\u00a0"  # keeps "1 234" and "24 %" on one line
RECENT_WEEKS = 4


def number(value: int) -> str:
    """1234 -> «1 234» (Norwegian: a space between thousands), «1,234» in English."""
    grouped = f"{value:,}"
    return grouped if current_language() == "en" else grouped.replace(",", NBSP)


def percent(part: int, whole: int) -> str:
    """Share as a whole percentage: «24 %» («24%» in English); «–» of nothing."""
    if not whole:
        return "–"
    rounded = round(100 * part / whole)
    return f"{rounded}%" if current_language() == "en" else f"{rounded}{NBSP}%"


def cell_share(cell: Cell) -> str:
    """A privacy cell as a share, or «<5» / «skjult» when it is hidden."""
    if cell.hidden == Hidden.SMALL:
        return t("privacy.small")
    if cell.hidden == Hidden.PROTECTED:
        return t("privacy.protected")
    return percent(cell.count, cell.base)


def cell_count(cell: Cell) -> str:
    if cell.hidden == Hidden.SMALL:
        return t("privacy.small")
    if cell.hidden == Hidden.PROTECTED:
        return t("privacy.protected")
    return number(cell.count)


def first_words(text: str, words: int = 8) -> str:
    """The start of a situation text, for a line that opens to the whole of it."""
    parts = text.split()
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]) + " …"


def tag_name(tag: Tag) -> str:
    return t(f"tag.{tag.value}")


def tag_effect(tag: Tag) -> str:
    """Helps or stands in the way, in words with a sign, so colour is never the only clue."""
    return t("council_insight.helps") if tag.child_centred else t("council_insight.hinders")


def tag_hint(tag: Tag) -> str:
    hint = t(f"tag_hint.{tag.value}")
    return hint[:1].upper() + hint[1:]


# --- headline --------------------------------------------------------------------------
def headline_sentences(h: Headline) -> list[str]:
    if not h.staff:
        return [t("council_summary.no_staff")]
    out = [t("council_summary.staff", staff=number(h.staff)),
           t("council_summary.started", started=number(h.started), share=percent(h.started, h.staff)),
           t("council_summary.completed", completed=number(h.completed), share=percent(h.completed, h.staff)),
           t("council_summary.rate", rate=percent(h.completion_rate, 100))]
    out.append(t("council_summary.overdue", overdue=number(h.overdue)) if h.overdue
               else t("council_summary.overdue_none"))
    return out


# --- completion per service area and per module ---------------------------------------
@dataclass
class Completion:
    key: str          # a service area's value, "none", or a module id
    staff: int
    completed: int    # completed modules
    possible: int     # staff x modules counted

    @property
    def shown(self) -> bool:
        return self.staff == 0 or self.staff >= MIN_GROUP

    def staff_text(self) -> str:
        return number(self.staff) if self.shown else t("council_summary.small")

    def rate_text(self) -> str:
        return percent(self.completed, self.possible) if self.shown else t("council_summary.small")


def _area(key: str) -> ServiceArea | None:
    return None if key == "none" else ServiceArea(key)


def by_area(board: Dashboard, modules: Mapping[str, Module]) -> list[Completion]:
    """Per service area: completed modules of the modules made for it (all modules for staff without one)."""
    areas = sorted({key for cells in board.by_area.values() for key in cells},
                   key=lambda k: (k == "none", k))
    out = []
    for key in areas:
        cells = [(m, cells[key]) for m, cells in board.by_area.items() if key in cells]
        staff = max((cell.staff for _, cell in cells), default=0)
        relevant = [cell for m, cell in cells if m not in modules or modules[m].meta.is_for(_area(key))]
        out.append(Completion(key, staff, sum(c.completed for c in relevant), sum(c.staff for c in relevant)))
    return out


def by_module(board: Dashboard, modules: Mapping[str, Module]) -> list[Completion]:
    """Per module: completed of the staff in the service areas it is made for."""
    out = []
    for module_id, cells in board.by_area.items():
        meta = modules[module_id].meta if module_id in modules else None
        relevant = [cell for key, cell in cells.items() if meta is None or meta.is_for(_area(key))]
        staff = sum(c.staff for c in relevant)
        out.append(Completion(module_id, staff, sum(c.completed for c in relevant), staff))
    return out


def area_extremes(rows: list[Completion], name_of) -> str | None:
    """Highest and lowest completion among the areas shown, in one sentence (two areas or more)."""
    shown = [r for r in rows if r.shown and r.possible]
    if len(shown) < 2:
        return None
    best = max(shown, key=lambda r: r.completed / r.possible)
    worst = min(shown, key=lambda r: r.completed / r.possible)
    return t("council_summary.areas_best", best=name_of(best.key), best_rate=best.rate_text(),
             worst=name_of(worst.key), worst_rate=worst.rate_text())


# --- trend -----------------------------------------------------------------------------
def trend_sentences(trend: list[tuple]) -> list[str]:
    if not trend:
        return []
    total = sum(n for _, n, _ in trend)
    recent = sum(n for _, n, _ in trend[-RECENT_WEEKS:])
    out = [t("council_summary.trend", weeks=len(trend), total=number(total), recent=number(recent)) if total
           else t("council_summary.trend_none", weeks=len(trend))]
    out.append(t("council_summary.trend_sum", cumulative=number(trend[-1][2])))
    return out


# --- scenario insight --------------------------------------------------------------------
def most_chosen(quiz: QuizInsight, helpful: bool) -> tuple[Tag, Cell] | None:
    """The tag of that kind carried by most first choices, among the figures shown."""
    shown = [(tag, cell) for tag, cell in quiz.tags if tag.child_centred == helpful and cell.shown and cell.count]
    return max(shown, key=lambda pair: pair[1].count, default=None)


def tag_sentences(quiz: QuizInsight) -> list[str]:
    """The most chosen tag that helps the child and the one that stands in its way."""
    out = []
    for helpful, key in ((True, "council_insight.summary_helps"), (False, "council_insight.summary_hinders")):
        found = most_chosen(quiz, helpful)
        if found:
            tag, cell = found
            out.append(t(key, tag=tag_name(tag), share=cell_share(cell), hint=tag_hint(tag)))
    return out


def quiz_sentences(quiz: QuizInsight, title: str) -> list[str]:
    """A scenario in a few sentences; empty when nobody has tried it."""
    people = quiz.steps[0].reached if quiz.steps else Cell(0, 0)
    if not people.base:
        return []
    if not people.shown:
        return [t("council_summary.quiz_hidden", title=title)]
    tags = tag_sentences(quiz)
    out = [t("council_summary.quiz_people", title=title, people=cell_count(people)),
           *(tags or [t("council_summary.tags_hidden")])]
    if quiz.critical.shown and quiz.critical.count:
        out.append(t("council_summary.critical", count=number(quiz.critical.count),
                     attempts=number(quiz.critical.base), share=cell_share(quiz.critical)))
    return out
