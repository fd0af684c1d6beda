"""Small-group rule: fewer than 5 persons are never shown, and cannot be worked out.

Cases by hand; tests/test_disclosure.py attacks random data sets.
"""

from __future__ import annotations

import itertools

import pytest

from learning.services.privacy import Cell, Hidden, apply_primary, display, partition, primary, total


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


def shown_total_over_a_hidden_cell(grid) -> bool:
    """True if a shown row or column total adds up a hidden cell (it would add an equation about it)."""
    lines = [*grid, *(list(col) for col in zip(*grid, strict=True))]
    return any(total(line).shown and not all(c.shown for c in line) for line in lines)


def test_a_total_is_shown_only_when_its_whole_line_is():
    # Stricter on purpose: before, a second cell was hidden so the total could stay; a total over
    # hidden cells, however many, adds an equation that other lines can combine to pin one of them.
    row = [Cell(3, 40), Cell(20, 40), Cell(12, 40)]
    apply_primary(row)
    assert [c.hidden for c in row] == [Hidden.SMALL, Hidden.SHOWN, Hidden.SHOWN]
    assert total(row).hidden == Hidden.PROTECTED   # «skjult», never «<5»: its size would bound the cells


def test_grid_hides_totals_not_partners():
    grid = [
        [Cell(3, 30), Cell(10, 30), Cell(12, 30)],
        [Cell(8, 30), Cell(9, 30), Cell(20, 30)],
        [Cell(7, 30), Cell(15, 30), Cell(11, 30)],
    ]
    for row in grid:
        apply_primary(row)
    assert grid[0][0].hidden == Hidden.SMALL
    assert sum(not c.shown for c in itertools.chain(*grid)) == 1
    assert not shown_total_over_a_hidden_cell(grid)
    assert [total(row).shown for row in grid] == [False, True, True]
    assert [total(list(col)).shown for col in zip(*grid, strict=True)] == [False, True, True]


def test_nothing_hidden_when_all_groups_are_large():
    grid = [[Cell(10, 30), Cell(12, 30)], [Cell(15, 30), Cell(6, 30)]]
    for row in grid:
        apply_primary(row)
    assert all(c.shown for c in itertools.chain(*grid))
    assert all(total(line).shown for line in [*grid, *(list(col) for col in zip(*grid, strict=True))])


def test_total_of_a_line_with_one_hidden_cell_is_hidden():
    line = [Cell(46, 50)]  # 4 did not complete
    apply_primary(line)
    assert not line[0].shown and not total(line).shown
    shown_line = [Cell(20, 50), Cell(30, 50)]
    apply_primary(shown_line)
    assert total(shown_line).shown and display(total(shown_line)) == "50 %"


def test_nobody_is_no_small_group():
    assert primary(Cell(0, 0)) == Hidden.SHOWN and display(Cell(0, 0)) == "–"


@pytest.mark.parametrize("counts,expected", [
    ([3, 20, 12], ["small", "shown", "protected"]),          # a partner: the smallest group that is shown
    ([2, 1, 20, 12], ["small", "small", "shown", "protected"]),  # two «<5» add up to 3: still a partner
    ([40, 3], ["protected", "small"]),                        # the rest of 40 is small: already two hidden
    ([4, 4], ["protected", "small"]),                         # 8 = 4 + 4 would pin two «<5»: one says «skjult»
    ([4, 4, 0], ["small", "small", "protected"]),            # only a 0 is left to hide: 8 = 4 + 4 + z pins none
    ([3, 4], ["small", "protected"]),                         # 7 = 3 + 4: the larger one says «skjult»
    ([3, 1], ["small", "small"]),                             # a base under 5: all «<5», the base hidden too
    ([10, 0, 5], ["shown", "shown", "shown"]),
])
def test_partition_of_a_shown_base(counts, expected):
    cells = [Cell(n, sum(counts)) for n in counts]
    partition(cells)
    assert [c.hidden.value for c in cells] == expected


def test_partition_takes_the_partner_the_caller_prefers():
    cells = [Cell(3, 33), Cell(10, 33), Cell(20, 33)]
    partition(cells, prefer=lambda i: (i != 2,))   # say, choice 2 ends the scenario
    assert [c.hidden for c in cells] == [Hidden.SMALL, Hidden.SHOWN, Hidden.PROTECTED]
