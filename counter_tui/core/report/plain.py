"""The reports in the plain forms the CLI gives: tables as aligned text for a terminal, and
reports as JSON for scripts (every figure, counted and derived, by its English name).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from datetime import date, datetime

from counter_tui.core.report.comparison import changes
from counter_tui.core.report.model import DayBoard, PeriodReport, PeriodRow, Tally
from counter_tui.core.report.tables import Cell, Table


def _text(value: Cell | datetime | date) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def render_text(tables: Iterable[Table], *, heading_width: int = 12) -> str:
    """The tables as aligned plain text for a terminal; long headings wrap over lines."""
    out: list[str] = []
    for table in tables:
        cells = [[_text(c) for c in row] for row in table.rows]
        widths = []
        for i, head in enumerate(table.headers):
            data = max((len(r[i]) for r in cells if i < len(r)), default=0)
            longest_word = max((len(w) for w in head.split()), default=0)
            widths.append(max(data, longest_word, min(len(head), heading_width)))
        wrapped = [_wrap(h, w) for h, w in zip(table.headers, widths, strict=True)]
        depth = max((len(w) for w in wrapped), default=1)
        out.append(table.title)
        for line in range(depth):
            out.append("  ".join((w[line] if line < len(w) else "").ljust(widths[i])
                                 for i, w in enumerate(wrapped)).rstrip())
        out.append("  ".join("-" * w for w in widths))
        for row in cells:
            out.append("  ".join(
                (c.rjust(widths[i]) if isinstance(table.rows[0][i], int | float)
                 and not isinstance(table.rows[0][i], bool) else c.ljust(widths[i]))
                for i, c in enumerate(row)).rstrip())
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def tally_dict(tally: Tally) -> dict[str, int | float | None]:
    """Every figure of a row, counted and derived, by its English name."""
    out: dict[str, int | float | None] = {f.name: getattr(tally, f.name) for f in fields(tally)}
    for name in ("new", "walk_in_post", "received", "resolved", "resolved_in_time",
                 "in_progress", "online_ratio", "walk_in_ratio", "post_ratio", "on_time_ratio"):
        out[name] = getattr(tally, name)
    return out


def change_dict(now: Tally, before: Tally) -> dict[str, dict[str, object]]:
    """Each compared figure against last year: both counts, the change in percent (signed;
    None when last year had none) and in words."""
    return {c.figure: {"now": c.now, "before": c.before, "percent": c.percent,
                       "text": c.text()} for c in changes(now, before)}


def period_json(report: PeriodReport) -> dict[str, object]:
    def row(r: PeriodRow) -> dict[str, object]:
        item: dict[str, object] = {"key": r.key, "label": r.label, **tally_dict(r.tally)}
        if r.previous is not None:
            item["previous"] = tally_dict(r.previous)
            item["change"] = change_dict(r.tally, r.previous)
        return item

    return {
        "start": report.start.isoformat(), "end": report.end.isoformat(), "by": report.by,
        "as_of": report.as_of.isoformat(timespec="minutes"),
        "rows": [row(r) for r in report.rows], "total": tally_dict(report.total),
        "previous": None if report.previous_total is None else {
            "start": report.previous_start.isoformat() if report.previous_start else None,
            "end": report.previous_end.isoformat() if report.previous_end else None,
            "total": tally_dict(report.previous_total),
            "change": change_dict(report.total, report.previous_total)},
        "procedures_offered_online": report.procedures_offered_online,
        "procedures_with_online": report.procedures_with_online,
        "procedures_online_ratio": report.procedures_online_ratio,
        "ranking": [{"rank": r.rank, "key": r.key, "label": r.label, **tally_dict(r.tally)}
                    for r in report.ranking],
    }


def day_json(board: DayBoard) -> dict[str, object]:
    from counter_tui.core.views import jsonable

    data: dict[str, object] = jsonable(board)
    data["received_by_channel"] = dict(board.received_by_channel)
    data["received_by_level"] = dict(board.received_by_level)
    data.update(received=board.received, online=board.online, online_ratio=board.online_ratio,
                tickets_issued=board.tickets_issued)
    return data
