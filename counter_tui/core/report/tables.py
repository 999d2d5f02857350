"""The reports as titled tables of plain cells (ratios already in percent, headings translated):
what the exports write to CSV and XLSX, and what the CLI prints. Also the register's (Mẫu 06)
headings and cell labels, which services.reports.dossier_register fills row by row.
"""

from __future__ import annotations

from datetime import datetime

from counter_tui.core.i18n import t
from counter_tui.core.records import frozen
from counter_tui.core.report.arithmetic import Durations, day_label, minutes, percent
from counter_tui.core.report.comparison import COMPARED, changes
from counter_tui.core.report.model import DayBoard, PeriodReport, Tally, channel_label, level_label

Cell = str | int | float | None


@frozen
class Table:
    """A titled table: headings and rows of plain cells (ratios already in percent)."""

    name: str  # the XLSX sheet's: short, in the language of the interface
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    fixed_columns: int = 0  # the columns that name a row, kept in view when scrolling right


def _tally_cells(tally: Tally) -> tuple[Cell, ...]:
    return (tally.received, tally.online, tally.walk_in_post, tally.walk_in, tally.post,
            tally.carried, tally.resolved, tally.early, tally.on_time, tally.late,
            tally.in_progress, tally.in_time, tally.overdue, percent(tally.online_ratio),
            percent(tally.walk_in_ratio), percent(tally.post_ratio),
            percent(tally.on_time_ratio))


TALLY_COLUMNS = ("received", "online", "walk_in_post", "walk_in", "post", "carried", "resolved",
                 "early", "on_time", "late", "in_progress", "in_time", "overdue",
                 "online_ratio", "walk_in_ratio", "post_ratio", "on_time_ratio")
PREVIOUS_COLUMNS = (*(f"{kind}_{figure}" for figure in COMPARED for kind in ("prev", "change")),
                    "prev_on_time_ratio", "prev_online_ratio")


def _previous_cells(now: Tally, before: Tally | None) -> tuple[Cell, ...]:
    """Last year's count of each compared figure and the change in words, then last year's
    ratios (this year's are in the row already)."""
    before = before or Tally()
    cells: list[Cell] = []
    for c in changes(now, before):
        cells += [c.before, c.text()]
    return (*cells, percent(before.on_time_ratio), percent(before.online_ratio))


def period_tables(report: PeriodReport) -> list[Table]:
    compare = report.previous_total is not None
    headers = (t("report.col.stt"), t(f"report.by.{report.by}"),
               *(t(f"report.col.{c}") for c in TALLY_COLUMNS))
    if compare:
        headers += tuple(t(f"report.col.{c}") for c in PREVIOUS_COLUMNS)
    rows: list[tuple[Cell, ...]] = []
    for i, row in enumerate(report.rows, start=1):
        cells: tuple[Cell, ...] = (i, row.label, *_tally_cells(row.tally))
        if compare:
            cells += _previous_cells(row.tally, row.previous)
        rows.append(cells)
    last: tuple[Cell, ...] = ("", t("report.total"), *_tally_cells(report.total))
    if compare:
        last += _previous_cells(report.total, report.previous_total)
    rows.append(last)
    title = t("report.period.title", start=day_label(report.start), end=day_label(report.end))
    tables = [Table("II.06a", title, headers, tuple(rows), fixed_columns=2)]
    summary: list[tuple[Cell, ...]] = [
        (t("report.item.period"), f"{day_label(report.start)} - {day_label(report.end)}"),
        (t("report.item.as_of"), report.as_of.strftime("%H:%M %d/%m/%Y")),
        (t("report.col.received"), report.total.received),
        (t("report.col.resolved"), report.total.resolved),
        (t("report.col.on_time_ratio"), percent(report.total.on_time_ratio)),
        (t("report.col.online_ratio"), percent(report.total.online_ratio)),
        (t("report.item.procedures_online"), percent(report.procedures_online_ratio)),
        (t("report.item.procedures_counts"),
         f"{report.procedures_with_online}/{report.procedures_offered_online}"),
    ]
    if report.previous_total is not None and report.previous_start and report.previous_end:
        summary.append((t("report.item.previous"),
                        f"{day_label(report.previous_start)} - {day_label(report.previous_end)}"))
        summary += [(_change_label(c.figure), c.sentence())
                     for c in changes(report.total, report.previous_total)]
    tables.append(Table(t("report.sheet.summary"), t("report.summary.title"),
                        (t("report.col.item"), t("report.col.value")), tuple(summary)))
    if report.ranking:
        tables.append(Table(t("report.sheet.ranking"), t("report.ranking.title"), (
            t("report.col.rank"), t("report.by.office"), t("report.col.received"),
            t("report.col.resolved"), t("report.col.on_time_ratio"),
            t("report.col.online_ratio")), tuple(
            (r.rank, r.label, r.tally.received, r.tally.resolved,
             percent(r.tally.on_time_ratio), percent(r.tally.online_ratio))
            for r in report.ranking)))
    return tables


def _change_label(figure: str) -> str:
    return {"received": t("report.change.received"), "online": t("report.change.online"),
            "resolved": t("report.change.resolved"),
            "resolved_in_time": t("report.change.resolved_in_time")}[figure]


def day_tables(board: DayBoard) -> list[Table]:
    def pair(d: Durations) -> str:
        mean, p90 = d.in_minutes()
        return f"{'-' if mean is None else mean} / {'-' if p90 is None else p90}"

    items: list[tuple[Cell, ...]] = [
        (t("report.item.received"), board.received),
        (t("report.item.resolved"), board.resolved),
        (t("report.item.returned"), board.returned),
        (t("report.item.due"), board.due),
        (t("report.item.overdue"), board.overdue),
        (t("report.item.supplements"), board.supplements),
        (t("report.item.online_ratio"), percent(board.online_ratio)),
        (t("report.item.online_month"), percent(board.online_month)),
        (t("report.item.online_target"), percent(board.online_target)),
        (t("report.col.issued"), board.tickets_issued),
        (t("report.item.wait"), pair(board.wait)),
        (t("report.item.service"), pair(board.service)),
    ]
    count = t("report.col.count")
    return [
        Table(t("report.sheet.day"),
              t("report.day.title", day=day_label(board.day), office=board.office),
              (t("report.col.item"), t("report.col.value")), tuple(items)),
        Table(t("report.sheet.channels"), t("report.day.channels"),
              (t("report.col.channel"), count),
              tuple((channel_label(c), n) for c, n in board.received_by_channel)),
        Table(t("report.sheet.levels"), t("report.day.levels"),
              (t("report.col.level"), count),
              tuple((level_label(lv), n) for lv, n in board.received_by_level)),
        Table(t("report.sheet.groups"), t("report.day.groups"), (
            t("report.col.group"), t("report.col.issued"), t("report.col.served"),
            t("report.col.waiting"), t("report.col.in_service"), t("report.col.absent"),
            t("report.col.wait_mean"), t("report.col.wait_p90"), t("report.col.service_mean"),
            t("report.col.service_p90")), tuple(
            (f"{g.letter} {g.name}", g.issued, g.served, g.waiting, g.in_service, g.absent,
             *g.wait.in_minutes(), *g.service.in_minutes()) for g in board.groups)),
        Table(t("report.sheet.counters"), t("report.day.counters"), (
            t("report.col.counter"), t("report.col.served"), t("report.col.absent"),
            t("report.col.dossiers_received"), t("report.col.wait_mean"),
            t("report.col.service_mean"), t("report.col.service_p90")), tuple(
            (c.name, c.served, c.absent, c.dossiers_received, minutes(c.wait.mean),
             *c.service.in_minutes()) for c in board.counters)),
        Table(t("report.sheet.officers"), t("report.day.officers"), (
            t("report.col.officer"), t("report.col.served"), t("report.col.dossiers_received"),
            t("report.col.dossiers_returned"), t("report.col.service_mean"),
            t("report.col.service_p90")), tuple(
            (f"{o.name} ({o.code})" if o.name != o.code else o.code, o.served,
             o.dossiers_received, o.dossiers_returned, *o.service.in_minutes())
            for o in board.officers)),
        Table(t("report.sheet.hours"), t("report.day.hours"), (
            t("report.col.hour"), t("report.col.tickets"), t("report.col.dossiers_received")),
            tuple((f"{h:02d}:00", board.tickets_per_hour[h], board.dossiers_per_hour[h])
                  for h in board.hours())),
    ]


REGISTER_COLUMNS = ("stt", "code", "procedure", "applicant", "address", "phone", "office",
                    "channel", "received", "due", "resolved", "returned", "return_method",
                    "status", "on_time", "signed", "note")


REGISTER_FIXED_COLUMNS = 2  # STT and the dossier code stay in view


def register_sheet() -> str:
    return t("report.sheet.register")


def register_headers() -> tuple[str, ...]:
    return tuple(t("report.col.stt") if c == "stt" else t(f"report.reg.{c}")
                 for c in REGISTER_COLUMNS)


def stamp(moment: datetime | None) -> str:
    return moment.strftime("%H:%M %d/%m/%Y") if moment else ""


def return_method_label(method: str) -> str:
    key = f"report.return.{method}"
    text = t(key)
    return method if text == key else text
