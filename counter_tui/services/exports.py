"""Reports as files a supervisor opens in a spreadsheet: CSV and XLSX, Vietnamese headings.

CSV is UTF-8 with a byte-order mark, so Excel reads Vietnamese right; comma-separated, dot as
the decimal point (RFC 4180). Each table is its title on one line, its headings, its rows, and
a blank line. Times are written `dd/mm/yyyy HH:MM`.

XLSX (openpyxl, write-only: rows are streamed, so a year's register never sits in memory) has
one sheet per table, named in the language of the interface: the title, the headings in bold
and wrapped, the rows; times are real date-time cells. The title and headings stay in view
when scrolling down (frozen), and so do the columns that name a row (a table's
`fixed_columns`) when scrolling right. Each column is as wide as its longest value, measured on
the first rows (a streamed table is not read twice), and at least its heading's longest word;
long headings wrap instead of widening a column of small numbers.

A file is written beside its final name and moved into place when complete, so a failed export
never leaves half a report where the supervisor expects one.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections.abc import Iterable
from itertools import chain, islice
from pathlib import Path
from typing import Any

from counter_tui.core.errors import UserError
from counter_tui.core.records import frozen
from counter_tui.core.report.tables import Table

FORMATS = ("csv", "xlsx")
XLSX_TIME_FORMAT = "dd/mm/yyyy hh:mm"


@frozen
class Exported:
    path: str
    format: str
    rows: int


def format_of(path: str | Path, fmt: str | None = None) -> str:
    """The format asked for, or the one the file name ends with."""
    chosen = (fmt or Path(path).suffix.lstrip(".") or "csv").lower()
    if chosen not in FORMATS:
        raise UserError("export.bad_format", field="format", fmt=chosen,
                        choices=", ".join(FORMATS))
    return chosen


def _csv_cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):  # dd/mm/yyyy hh:mm, without strftime's cost per cell
        return (f"{value.day:02d}/{value.month:02d}/{value.year:04d} "
                f"{value.hour:02d}:{value.minute:02d}")
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    return "" if value is None else value


def _csv_row(row: tuple[Any, ...]) -> list[Any]:
    return [c if type(c) is str or type(c) is int else _csv_cell(c) for c in row]


def _sheet_title(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "-", name)[:31] or "Sheet"
    title, n = base, 1
    while title in used:
        n += 1
        title = f"{base[:28]}-{n}"
    used.add(title)
    return title


class _Target:
    """A file written under a temporary name and moved into place on success."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self.tmp = self.path.with_name(f".{self.path.name}.part")

    def __enter__(self) -> Path:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError("export.cannot_write", path=str(self.path), reason=exc) from None
        return self.tmp

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> None:
        if kind is None:
            self.tmp.chmod(0o600)  # an export of names and numbers is its owner's alone
            os.replace(self.tmp, self.path)
            return
        self.tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise UserError("export.cannot_write", path=str(self.path), reason=exc) from exc


def write_tables(path: str | Path, tables: Iterable[Table], fmt: str | None = None) -> Exported:
    """Every table into one file; `rows` counts the data rows written."""
    fmt = format_of(path, fmt)
    tables = list(tables)
    target = _Target(path)
    with target as tmp:
        if fmt == "csv":
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                for i, table in enumerate(tables):
                    if i:
                        writer.writerow([])
                    writer.writerow([table.title])
                    writer.writerow(table.headers)
                    writer.writerows(_csv_row(row) for row in table.rows)
        else:
            _xlsx(tmp, [_Sheet(t.name, t.title, t.headers, t.rows, t.fixed_columns)
                        for t in tables])
    return Exported(str(target.path), fmt, sum(len(t.rows) for t in tables))


def write_rows(path: str | Path, name: str, title: str, headers: tuple[str, ...],
               rows: Iterable[tuple[Any, ...]], fmt: str | None = None, *,
               fixed_columns: int = 0) -> Exported:
    """One long table (the register), streamed row by row into the file; `name` is the XLSX
    sheet's, `fixed_columns` the columns kept in view when scrolling right."""
    fmt = format_of(path, fmt)
    counted = _Counted(rows)
    target = _Target(path)
    with target as tmp:
        if fmt == "csv":
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow([title])
                writer.writerow(headers)
                writer.writerows(_csv_row(row) for row in counted)
        else:
            _xlsx(tmp, [_Sheet(name, title, headers, counted, fixed_columns)])
    return Exported(str(target.path), fmt, counted.n)


class _Counted:
    def __init__(self, rows: Iterable[tuple[Any, ...]]) -> None:
        self.rows, self.n = rows, 0

    def __iter__(self) -> Any:
        for row in self.rows:
            self.n += 1
            yield row


# Column widths are in Excel's units (the width of a digit): a little room beside the longest
# value, headings wrapped from HEADING_WIDTH on, values beyond MAX_WIDTH cut off in view (the
# cell keeps them whole). Widths are measured on the first WIDTH_SAMPLE rows.
PADDING, HEADING_WIDTH, MAX_WIDTH, WIDTH_SAMPLE = 2, 12, 60, 1000
LINE_HEIGHT = 15.0  # points, Calibri 11


@frozen
class _Sheet:
    name: str
    title: str
    headers: tuple[str, ...]
    rows: Iterable[tuple[Any, ...]]
    fixed_columns: int = 0


def _shown_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return len(XLSX_TIME_FORMAT)
    if isinstance(value, float):
        return len(f"{value:g}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _wrapped_lines(text: str, width: int) -> int:
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > width:
            lines, used = lines + 1, len(word)
        else:
            used += (1 if used else 0) + len(word)
    return lines


def _layout(headers: tuple[str, ...], sample: list[tuple[Any, ...]]
            ) -> tuple[list[int], int]:
    """Each column's width, and how many lines the tallest wrapped heading takes."""
    widths: list[int] = []
    for i, heading in enumerate(headers):
        data = max((_shown_length(row[i]) for row in sample if i < len(row)), default=0)
        word = max((len(w) for w in heading.split()), default=0)
        fit = max(data, word, min(len(heading), HEADING_WIDTH))
        widths.append(min(fit, MAX_WIDTH))
    lines = max((_wrapped_lines(h, w) for h, w in zip(headers, widths, strict=True)),
                default=1)
    return widths, lines


def _xlsx(path: Path, sheets: list[_Sheet]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    used: set[str] = set()
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for spec in sheets:
        sheet = book.create_sheet(_sheet_title(spec.name, used))
        rows = iter(spec.rows)
        sample = list(islice(rows, WIDTH_SAMPLE))
        widths, lines = _layout(spec.headers, sample)
        # a write-only sheet takes its layout before its first row
        for i, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = width + PADDING
        sheet.row_dimensions[2].height = LINE_HEIGHT * lines
        sheet.freeze_panes = f"{get_column_letter(spec.fixed_columns + 1)}3"
        head = WriteOnlyCell(sheet, value=spec.title)
        head.font = Font(bold=True, size=12)
        sheet.append([head])
        cells = []
        for text in spec.headers:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            cell.alignment = wrap
            cells.append(cell)
        sheet.append(cells)
        for row in chain(sample, rows):
            out: list[Any] = []
            for value in row:
                if isinstance(value, dt.datetime):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = XLSX_TIME_FORMAT
                    out.append(cell)
                else:
                    out.append(value)
            sheet.append(out)
    book.save(path)
