"""Small-group suppression for figures that leave a municipality.

A cell counts persons: ``count`` of ``base`` (say, 31 of 50 staff completed). The rule
holds by construction, so that no hidden figure follows from the figures shown with it:

1. Primary: a group of fewer than 5 persons is never shown, neither the ``count`` group
   nor the ``base - count`` group, and no cell with a base of 1 to 4 («<5» or «skjult»).
2. Totals: a figure that adds up other figures (a row or column total, a tag, the
   critical total) is shown only when every figure it adds up is shown. It then tells
   nothing new, and a hidden one is «skjult» whatever its size, so that not even its
   range («<5») says anything about the hidden parts.
3. Partitions: where cells split one shown base between them (the choices at a step of a
   scenario), the hidden cells of that base are never one alone, and one of them, with a
   count above 0, is «skjult». Their sum is known, but with no upper bound on the
   «skjult» one it pins none of them, and the sum itself is a group of 5 or more.

``tests/test_disclosure.py`` attacks what is shown with exact linear algebra and bounds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from learning.i18n import t

MIN_GROUP = 5


class Hidden(StrEnum):
    SHOWN = "shown"
    SMALL = "small"          # the group itself is under 5: shown as "<5"
    PROTECTED = "protected"  # hidden so that a small group cannot be worked out: "skjult"


@dataclass
class Cell:
    count: int
    base: int
    hidden: Hidden = Hidden.SHOWN

    @property
    def shown(self) -> bool:
        return self.hidden == Hidden.SHOWN

    @property
    def rate(self) -> float | None:
        return self.count / self.base if self.base else None


def small(group: int) -> bool:
    return 0 < group < MIN_GROUP


def primary(cell: Cell) -> Hidden:
    """Rule 1 for one cell; a base of 0 (nobody) is no group and is shown."""
    if small(cell.base) or small(cell.count):
        return Hidden.SMALL
    if small(cell.base - cell.count):
        return Hidden.PROTECTED
    return Hidden.SHOWN


def apply_primary(cells: Iterable[Cell]) -> None:
    for cell in cells:
        cell.hidden = primary(cell)


def derived(count: int, base: int, parts: Iterable[Cell]) -> Cell:
    """Rule 2: a figure made from ``parts`` is shown only when all of them are."""
    cell = Cell(count, base)
    cell.hidden = primary(cell) if all(part.shown for part in parts) else Hidden.PROTECTED
    return cell


def total(line: list[Cell]) -> Cell:
    """A line's total (counts and bases added up), under rule 2."""
    return derived(sum(c.count for c in line), sum(c.base for c in line), line)


def hide(cells: Iterable[Cell]) -> None:
    """Hide figures whose base cannot be shown (their group may be large: «skjult», not «<5»)."""
    for cell in cells:
        cell.hidden = Hidden.PROTECTED


def partition(cells: list[Cell], prefer: Callable[[int], tuple] = lambda index: ()) -> list[Cell]:
    """Rules 1 and 3 for cells that split one base (each person in exactly one cell).

    ``prefer(index)`` orders the shown cells that may be hidden as the partner (lowest
    first; the smallest count breaks ties), so a caller can pick one whose hiding costs least.
    """
    apply_primary(cells)
    hidden = [c for c in cells if not c.shown]
    if not hidden or small(cells[0].base) or any(c.hidden == Hidden.PROTECTED and c.count for c in hidden):
        return cells
    candidates = [i for i, c in enumerate(cells) if c.shown]
    if candidates:
        chosen = min(candidates, key=lambda i: (cells[i].count == 0, *prefer(i), cells[i].count))
        cells[chosen].hidden = Hidden.PROTECTED
    else:  # every cell is small: drop the "<5" bound of one, or the base would pin them
        max(hidden, key=lambda c: c.count).hidden = Hidden.PROTECTED
    return cells


def display(cell: Cell, *, as_rate: bool = True) -> str:
    """What a reader sees: a rate or a count, or '<5' / 'skjult' (from the catalog)."""
    if cell.hidden == Hidden.SMALL:
        return t("privacy.small")
    if cell.hidden == Hidden.PROTECTED:
        return t("privacy.protected")
    if as_rate:
        return f"{round(100 * cell.rate)} %" if cell.rate is not None else "–"
    return str(cell.count)
