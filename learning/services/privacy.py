"""Small-group suppression for figures that leave a municipality.

A cell counts persons: ``count`` of ``base`` (say, 31 of 50 staff completed).
Primary rule: a group of fewer than 5 persons is never shown, neither the
``count`` group nor the ``base - count`` group, and no cell with a base under 5.
Secondary rule: where a total is shown for a row or a column, one hidden cell
could be worked out by subtraction, so another cell in that line is hidden too.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from learning.i18n import t

MIN_GROUP = 5


class Hidden(StrEnum):
    SHOWN = "shown"
    SMALL = "small"          # the counted group itself is under 5: shown as "<5"
    PROTECTED = "protected"  # hidden so that a small group cannot be worked out


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
    if cell.base < MIN_GROUP or small(cell.count):
        return Hidden.SMALL
    if small(cell.base - cell.count):
        return Hidden.PROTECTED
    return Hidden.SHOWN


def _protect_line(line: list[Cell]) -> bool:
    """With a total shown, one hidden cell in a line is derivable: hide one more."""
    hidden = [c for c in line if not c.shown]
    if len(hidden) != 1:
        return False
    candidates = [c for c in line if c.shown]
    if not candidates:
        return False
    min(candidates, key=lambda c: (c.count == 0, c.count, c.base)).hidden = Hidden.PROTECTED
    return True


def suppress(grid: list[list[Cell]], *, row_totals: bool, column_totals: bool) -> list[list[Cell]]:
    """Apply both rules in place (and return the grid) until nothing changes."""
    for row in grid:
        for cell in row:
            cell.hidden = primary(cell)
    changed = True
    while changed:
        changed = False
        if row_totals:
            for row in grid:
                changed |= _protect_line(row)
        if column_totals and grid:
            for index in range(len(grid[0])):
                changed |= _protect_line([row[index] for row in grid])
    return grid


def total(line: list[Cell]) -> Cell:
    """A line's total, checked against the primary rule.

    Where exactly one cell of the line is hidden (no partner could be found, as in
    a line of one cell), the total would give it away, so the total is hidden too.
    """
    cell = Cell(count=sum(c.count for c in line), base=sum(c.base for c in line))
    cell.hidden = primary(cell)
    if cell.shown and sum(1 for c in line if not c.shown) == 1:
        cell.hidden = Hidden.PROTECTED
    return cell


def display(cell: Cell, *, as_rate: bool = True) -> str:
    """What a reader sees: a rate or a count, or '<5' / 'skjult' (from the catalog)."""
    if cell.hidden == Hidden.SMALL:
        return t("privacy.small")
    if cell.hidden == Hidden.PROTECTED:
        return t("privacy.protected")
    if as_rate:
        return f"{round(100 * cell.rate)} %" if cell.rate is not None else "–"
    return str(cell.count)
