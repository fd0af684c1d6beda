"""Report tables as CSV and Excel: the same figures the dashboard shows.

CSV uses ';' and a byte-order mark so Norwegian Excel opens it with the right
columns and letters.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeGuard

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from learning.formatting import fmt_date
from learning.i18n import t
from learning.municipalities import label
from learning.services.reports import Dashboard, MatrixCell, StaffRow

Value = str | int | float | None


@dataclass
class Table:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Value]]


def _area(value: str | None) -> str:
    return t(f"area.{value}") if value and value != "none" else t("area.none")


def staff_table(board: Dashboard, staff: Iterable[StaffRow]) -> Table:
    """One line per person, in the order given (``ReportService.staff_rows``: by unit and name)."""
    modules = list(board.module_titles)
    headers = [t("report.col_name"), t("report.col_unit"), t("report.col_area"), t("report.col_completed"),
               t("report.col_in_progress"), t("report.col_overdue"), t("report.col_last_active")]
    headers += [board.module_titles[m] for m in modules]
    rows = []
    for row in staff:
        cells: list[Value] = [row.name, row.unit, _area(row.service_area.value if row.service_area else None),
                              row.count("completed"), row.count("in_progress"), row.overdue,
                              fmt_date(row.last_activity)]
        for module_id in modules:
            state = row.modules[module_id]
            text = t(f"status.{state.status}")
            if state.completed_at:
                text += " " + fmt_date(state.completed_at)
            if state.duty is not None:
                text += f" ({t(f'duty.{state.duty.value}')}, {t('report.deadline')} {fmt_date(state.deadline)})"
            cells.append(text)
        rows.append(cells)
    return Table(t("report.sheet_staff"), headers, rows)


def _matrix(board: Dashboard, source: dict[str, dict[str, MatrixCell]], name_of, title: str, first: str) -> Table:
    """One row per module; per area or unit three number columns (completed, staff, share in %),
    so a manager can sum and chart them. Empty where nobody in the group has the module."""
    columns = sorted({key for cells in source.values() for key in cells})
    headers = [first]
    for column in columns:
        name = name_of(column)
        headers += [t("report.col_done", group=name), t("report.col_of", group=name),
                    t("report.col_share", group=name)]
    rows = []
    for module_id, cells in source.items():
        line: list[Value] = [board.module_titles[module_id]]
        for column in columns:
            cell = cells.get(column)
            line += [cell.completed, cell.staff, cell.rate] if cell and cell.staff else [None, None, None]
        rows.append(line)
    return Table(title, headers, rows)


def area_matrix(board: Dashboard) -> Table:
    return _matrix(board, board.by_area, _area, t("report.sheet_area"), t("report.col_module"))


def unit_matrix(board: Dashboard) -> Table:
    return _matrix(board, board.by_unit, str, t("report.sheet_unit"), t("report.col_module"))


def headline_table(board: Dashboard) -> Table:
    h = board.headline
    rows: list[list[Value]] = [
        [t("report.municipality"), label(board.municipality)],
        [t("report.staff"), h.staff], [t("report.started"), h.started], [t("report.completed"), h.completed],
        [t("report.completion_rate_percent"), h.completion_rate], [t("report.overdue"), h.overdue],
    ]
    if board.unreadable:  # left out of every figure above; the log names their files
        rows.append([t("storage.unreadable_row"), board.unreadable])
    return Table(t("report.sheet_summary"), [t("report.col_figure"), t("report.col_value")], rows)


def report_tables(board: Dashboard, staff: Iterable[StaffRow]) -> list[Table]:
    """Every sheet of the full report, in order: summary, staff, and both matrices."""
    return [headline_table(board), staff_table(board, staff), area_matrix(board), unit_matrix(board)]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Characters that make a spreadsheet read a text cell as a formula (OWASP: CSV injection)."""


def is_formula_like(value: Value) -> TypeGuard[str]:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value: Value) -> Value:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    return "'" + value if is_formula_like(value) else value


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in table.headers])
    writer.writerows([csv_cell(v) for v in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _append(sheet: Worksheet, values: Sequence[Value]) -> None:
    """A row where text is always text: never a formula, whatever it starts with."""
    sheet.append(list(values))
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        if is_formula_like(value):
            cell.data_type = "s"     # openpyxl took it for a formula
            cell.quotePrefix = True  # Excel shows the text as typed and keeps it text when edited


def to_xlsx(tables: list[Table]) -> bytes:
    book = Workbook()
    for sheet in book.worksheets:  # the empty default sheet
        book.remove(sheet)
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        _append(sheet, table.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            _append(sheet, row)
        for index, header in enumerate(table.headers, start=1):
            width = max([len(str(header)), *(len(str(r[index - 1] or "")) for r in table.rows)])
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(max(width + 2, 10), 60)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
