"""Small-group rule: fewer than 5 persons are never shown, and cannot be worked out."""

from __future__ import annotations

import itertools

import pytest

from learning.services.privacy import Cell, Hidden, display, primary, suppress, total


@pytest.mark.parametrize("count,base,expected", [
    (4, 50, Hidden.SMALL), (5, 50, Hidden.SHOWN), (6, 50, Hidden.SHOWN),       # the counted group
    (46, 50, Hidden.PROTECTED), (45, 50, Hidden.SHOWN), (44, 50, Hidden.SHOWN),  # the rest of the group
    (0, 4, Hidden.SMALL), (0, 5, Hidden.SHOWN), (0, 6, Hidden.SHOWN),          # the whole group
    (4, 4, Hidden.SMALL), (5, 5, Hidden.SHOWN), (6, 6, Hidden.SHOWN),
    (0, 50, Hidden.SHOWN),                                                     # nobody is not a person
])
def test_primary_rule_at_4_5_and_6(count, base, expected):
    assert primary(Cell(count, base)) == expected


def test_display_never_shows_a_small_number():
    assert display(Cell(3, 50, Hidden.SMALL)) == "<5"
    assert display(Cell(48, 50, Hidden.PROTECTED)) == "skjult"
    assert display(Cell(30, 50)) == "60 %"


def derivable(grid, rows_total, cols_total) -> bool:
    """True if any hidden cell's count follows from shown cells and shown totals."""
    lines = []
    if rows_total:
        lines += [row for row in grid]
    if cols_total:
        lines += [list(col) for col in zip(*grid, strict=True)]
    return any(total(line).shown and sum(1 for c in line if not c.shown) == 1 for line in lines)


def test_secondary_suppression_in_a_row_with_total():
    row = [Cell(3, 40), Cell(20, 40), Cell(12, 40)]
    suppress([row], row_totals=True, column_totals=False)
    assert [c.hidden for c in row] == [Hidden.SMALL, Hidden.SHOWN, Hidden.PROTECTED]
    assert not derivable([row], True, False)


def test_secondary_suppression_in_rows_and_columns():
    grid = [
        [Cell(3, 30), Cell(10, 30), Cell(12, 30)],
        [Cell(8, 30), Cell(9, 30), Cell(20, 30)],
        [Cell(7, 30), Cell(15, 30), Cell(11, 30)],
    ]
    suppress(grid, row_totals=True, column_totals=True)
    assert grid[0][0].hidden == Hidden.SMALL
    assert not derivable(grid, True, True)
    hidden = sum(not c.shown for c in itertools.chain(*grid))
    assert hidden >= 4  # a hidden cell needs a partner in its row and in its column


def test_nothing_hidden_when_all_groups_are_large():
    grid = [[Cell(10, 30), Cell(12, 30)], [Cell(15, 30), Cell(6, 30)]]
    suppress(grid, row_totals=True, column_totals=True)
    assert all(c.shown for c in itertools.chain(*grid))


def test_total_of_a_line_with_one_hidden_cell_is_hidden():
    line = [Cell(46, 50)]  # 4 did not complete
    suppress([line], row_totals=True, column_totals=False)
    assert not line[0].shown and not total(line).shown
    shown_line = [Cell(20, 50), Cell(30, 50)]
    suppress([shown_line], row_totals=True, column_totals=False)
    assert total(shown_line).shown and display(total(shown_line)) == "50 %"
