"""F12: the supervisor's board: how the day is going, at a glance, refreshed as it goes.

Dossiers received today by channel and by level, finished, returned, due, overdue and waiting
for supplements; the online share of today and of the month against the configured target;
queue tickets per group with waiting and service times (mean and 90th percentile); arrivals
per hour as sparklines; per counter and per officer. The figures come from
services.reports.day_board in a worker whenever any terminal commits (services.changes), and
every half minute for the waiting times that grow with the clock.

Keys: E exports the day board, B the periodic report (Biểu II.06a), S the register (Mẫu 06),
each asking for dates, format and file; P prints the day summary; O shows another office's day
or all offices' (a district's centre holds every office that syncs to it); F5 refreshes now;
Esc (or F12 again) goes back to the counter.
"""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Input, RadioSet, Sparkline, Static
from textual.worker import Worker

from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.records import frozen
from counter_tui.core.report import (
    DIMENSIONS,
    DayBoard,
    Durations,
    channel_label,
    level_label,
    minutes,
    parse_day,
    percent,
)
from counter_tui.core.report.digitised import Digitisation
from counter_tui.core.roles import Action
from counter_tui.core.text import clean
from counter_tui.ui import services
from counter_tui.ui.base import BaseScreen, bind
from counter_tui.ui.forms import Field, FormDialog
from counter_tui.ui.messages import Refresh
from counter_tui.ui.widgets.keybar import KeyBar
from counter_tui.ui.widgets.text import Msg

if TYPE_CHECKING:
    from counter_tui.services.exports import Exported
    from counter_tui.services.reports import PrintedSummary
    from counter_tui.services.store import Store
    from counter_tui.services.sync.status import Conflict, SyncStatus

BAR_WIDTH = 16
SYNC_SECONDS = 5.0  # the sync line is read again this often (the sync process writes it)
GROUP_NARROW = 12  # characters of a group's "letter name" on an 80-column terminal


def cut(text: str, width: int | None) -> str:
    return text if width is None or len(text) <= width else text[:width - 1] + "…"


def _pair(d: Durations) -> str:
    mean, p90 = minutes(d.mean), minutes(d.p90)
    if mean is None:
        return "-"
    return f"{mean:g} / {p90:g}"


def share_bar(share: float | None, target: float | None, width: int = BAR_WIDTH) -> Text:
    """A bar of `width` cells filled to `share`, with the target marked (│)."""
    filled = round((share or 0.0) * width)
    mark = None if target is None else min(width - 1, round(target * width))
    reached = target is None or (share or 0.0) >= target
    bar = Text()
    for i in range(width):
        if i == mark:
            bar.append("│", style="bold")
        elif i < filled:
            bar.append("█", style="green" if reached else "yellow")
        else:
            bar.append("░", style="dim")
    return bar


def count_bar(n: int, most: int, width: int = 12) -> Text:
    cells = 0 if most <= 0 else max(1 if n else 0, round(n / most * width))
    return Text("█" * cells, style="cyan")


@frozen
class ExportRequest:
    kind: str  # day | period | register
    start: date
    end: date
    by: str
    compare: bool
    fmt: str
    path: str


class SupervisorScreen(BaseScreen[None]):
    NEEDS = {"export": Action.REPORT_EXPORT, "print_summary": Action.REPORT_VIEW,
             "refresh": Action.REPORT_VIEW, "pick_office": Action.REPORT_VIEW}
    BINDINGS = [
        bind("escape,f12", "back", "sup.back", "sup_back", display="Esc"),
        bind("f5", "refresh", "sup.refresh", "sup_refresh", display="F5"),
        bind("e", "export('day')", "sup.export_day", "sup_export_day", display="E",
            help="sup.export_day.help"),
        bind("b", "export('period')", "sup.export_period", "sup_export_period", display="B",
            help="sup.export_period.help"),
        bind("s", "export('register')", "sup.export_register", "sup_export_register",
            display="S", help="sup.export_register.help"),
        bind("p", "print_summary", "sup.print", "sup_print", display="P",
            help="sup.print.help"),
        bind("o", "pick_office", "sup.office", "sup_office", display="O",
            help="sup.office.help"),
    ]

    def __init__(self) -> None:
        super().__init__(id="supervisor")
        self.board: DayBoard | None = None
        self.office: str | None = None  # whose day: None, this terminal's office
        self._reading: Worker[DayBoard] | None = None
        self._read_since = 0.0
        self._again = False

    def compose(self) -> ComposeResult:
        yield Static(self.capp.cfg.office.name, id="sup-title")
        yield Static(t("sup.loading"), id="sup-status")
        yield Static("", id="sup-sync")
        yield Static("", id="sup-conflicts")  # on the district's centre, when offices overwrote
        with VerticalScroll(id="sup-body"):
            with Horizontal(id="sup-top"):
                with Vertical(id="sup-dossiers-box", classes="sup-box"):
                    yield Msg("sup.box.dossiers", classes="box-title")
                    yield DataTable(id="sup-dossiers", cursor_type="none", show_header=False)
                with Vertical(id="sup-online-box", classes="sup-box"):
                    yield Msg("sup.box.online", classes="box-title")
                    yield Static(id="sup-online")
                    yield Msg("sup.box.levels", classes="box-title")
                    yield DataTable(id="sup-levels", cursor_type="none", show_header=False)
                    yield Msg("sup.box.digitised", classes="box-title")
                    yield Static(id="sup-digitised")
                with Vertical(id="sup-hours-box", classes="sup-box"):
                    yield Msg("sup.box.hours", classes="box-title")
                    yield Sparkline([], id="sup-tickets-spark")
                    yield Static(id="sup-tickets-axis", classes="sup-axis")
                    yield Msg("sup.box.dossier_hours", classes="box-title")
                    yield Sparkline([], id="sup-dossiers-spark")
                    yield Static(id="sup-dossiers-axis", classes="sup-axis")
            with Vertical(id="sup-groups-box", classes="sup-box"):
                yield Msg("sup.box.groups", classes="box-title")
                yield DataTable(id="sup-groups", cursor_type="none", zebra_stripes=True)
            with Horizontal(id="sup-bottom"):
                with Vertical(classes="sup-box"):
                    yield Msg("sup.box.counters", classes="box-title")
                    yield DataTable(id="sup-counters", cursor_type="none", zebra_stripes=True)
                with Vertical(classes="sup-box"):
                    yield Msg("sup.box.officers", classes="box-title")
                    yield DataTable(id="sup-officers", cursor_type="none", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#sup-dossiers", DataTable).add_columns("", "")
        self.query_one("#sup-levels", DataTable).add_columns("", "")
        groups = self.query_one("#sup-groups", DataTable)
        self.columns(groups, "report.col.group")
        groups.add_column("", key="bar")
        self.columns(groups, "sup.col.issued", "sup.col.served", "sup.col.waiting",
                     "sup.col.in_service", "sup.col.absent", "sup.col.wait", "sup.col.service")
        self.columns(self.query_one("#sup-counters", DataTable), "report.col.counter",
                     "sup.col.served", "sup.col.absent", "sup.col.dossiers", "sup.col.wait_mean",
                     "sup.col.service")
        self.columns(self.query_one("#sup-officers", DataTable), "report.col.officer",
                     "sup.col.served", "sup.col.dossiers", "sup.col.returned", "sup.col.service")
        # Reloaded when a terminal commits (Refresh, from services.changes); the slow timer
        # only moves the wait times of tickets still waiting, which change with the clock.
        self.set_interval(max(30.0, self.capp.cfg.ui.refresh_seconds), self.refresh_board)
        self.set_interval(self.capp.cfg.ui.refresh_seconds, self._unheard)
        self.query_one("#sup-body").focus()  # ↑↓ PgUp PgDn scroll what a small screen hides
        self.refresh_board()
        self.query_one("#sup-conflicts", Static).display = False
        self.query_one("#sup-sync", Static).display = bool(self.capp.cfg.sync.url)
        if self.capp.cfg.sync.url:  # the link's state is the sync process's, not a commit's
            self.set_interval(SYNC_SECONDS, self.refresh_sync)
            self.refresh_sync()

    def refresh_sync(self) -> None:
        from counter_tui.services.sync.status import status

        self.ask(status, on_done=self.show_sync, group="sync")

    def show_sync(self, s: SyncStatus) -> None:
        def at(moment: datetime | None) -> str:
            return moment.strftime("%d/%m %H:%M:%S") if moment else t("sync.never")

        if s.down_since is not None:
            text = Text(t("sup.sync.down", since=at(s.down_since), waiting=s.waiting,
                          sent=at(s.last_sent_at)), style="bold red")
        elif not s.enabled:
            text = Text(t("sup.sync.not_started", waiting=s.waiting))
        else:
            text = Text(t("sup.sync.up", sent=at(s.last_sent_at), waiting=s.waiting))
        self.query_one("#sup-sync", Static).update(text)

    # --- figures ---------------------------------------------------------------------------

    def refresh_board(self) -> None:
        """Read the board in a worker, unless a read is still under way (a slow store must
        not pile up workers)."""
        reading = self._reading
        patience = max(10 * self.capp.cfg.ui.refresh_seconds, 10.0)
        if reading is not None and not reading.is_finished \
                and time.monotonic() - self._read_since < patience:
            self._again = True  # read once more when this one is shown
            return
        self._again = False
        self._read_since = time.monotonic()
        office = self.office
        self._reading = self.ask(lambda store: services.reports.day_board(store, office=office),
                                 on_done=self.show, group="board")

    def relabel_data(self) -> None:
        if self.board is not None:
            self.show(self.board)

    def resized(self) -> None:
        self.relabel_data()

    @on(Refresh)
    def _changed(self, _: Refresh) -> None:
        self.refresh_board()

    def refresh_conflicts(self) -> None:
        """Rows of an office the district's centre had changed too, overwritten by the
        office's version (the offices own their rows; README, "Conflicts"): said on the
        centre's board, so its supervisor knows which office to ask."""
        from counter_tui.services.sync.status import conflicts

        self.ask(lambda store: conflicts(store, 1), on_done=self.show_conflicts,
                 group="conflicts")

    def show_conflicts(self, found: tuple[tuple[Conflict, ...], int]) -> None:
        latest, total = found
        line = self.query_one("#sup-conflicts", Static)
        line.display = total > 0
        if latest:
            last = latest[0]
            line.update(Text(t("sup.sync.conflicts", count=total, office=last.office_name,
                               at=last.at.strftime("%d/%m %H:%M")), style="bold yellow"))

    def _unheard(self) -> None:
        if not self.capp.store_live or self.capp.feed is None:
            self.refresh_board()

    def show(self, board: DayBoard) -> None:
        self.board = board
        self.refresh_conflicts()
        if self._again:
            self.call_later(self.refresh_board)
        self.query_one("#sup-title", Static).update(t(
            "sup.title", office=board.office, day=board.day.strftime("%d/%m/%Y")))
        self.query_one("#sup-status", Static).update(t(
            "sup.updated", time=board.as_of.strftime("%H:%M:%S")))
        self._rows("#sup-dossiers", [
            ("received", t("sup.item.received"), board.received),
            *((f"channel:{c}", t("sup.item.channel", channel=channel_label(c)), n)
              for c, n in board.received_by_channel),
            ("resolved", t("report.item.resolved"), board.resolved),
            ("returned", t("report.item.returned"), board.returned),
            ("due", t("report.item.due"), board.due),
            ("overdue", t("report.item.overdue"),
             Text(str(board.overdue), style="bold red" if board.overdue else "")),
            ("supplements", t("report.item.supplements"), board.supplements),
        ])
        self._rows("#sup-levels", [(f"level:{lv}", level_label(lv), n)
                                   for lv, n in board.received_by_level])
        self.query_one("#sup-online", Static).update(self._online(board))
        hours = board.hours()
        self._spark("tickets", [board.tickets_per_hour[h] for h in hours], hours.start)
        self._spark("dossiers", [board.dossiers_per_hour[h] for h in hours], hours.start)
        self._groups(board)
        self._table("#sup-counters", [
            (str(c.number), c.name, c.served, c.absent, c.dossiers_received,
             minutes(c.wait.mean) if c.wait.count else "-", _pair(c.service))
            for c in board.counters])
        self._table("#sup-officers", [
            (o.code, o.name if o.name == o.code else f"{o.name} ({o.code})", o.served,
             o.dossiers_received, o.dossiers_returned, _pair(o.service))
            for o in board.officers])
        self.refresh_bindings()
        day, office = board.day, self.office
        self.ask(lambda store: services.reports.digitised(
            store, day, office=None if office == services.reports.ALL_OFFICES else office,
            own_office=office is None), on_done=self._digitised, group="digitised")

    def _digitised(self, figures: Digitisation) -> None:
        """Đã số hóa: the day's paper dossiers with every component digitised, and results."""
        total, out = figures.total, Text()
        for label, share, done, whole in (
                (t("sup.digitised.dossiers"), total.ratio, total.digitised, total.received),
                (t("sup.digitised.results"), total.results_ratio, total.results_digitised,
                 total.results)):
            out.append(f"{label} ")
            out.append(share_bar(share, 1.0))
            value = percent(share)
            out.append(f" {value:g}% ({done}/{whole})\n" if value is not None
                       else f" {t('sup.online.none')}\n")
        self.query_one("#sup-digitised", Static).update(out)

    def _online(self, board: DayBoard) -> Text:
        target = board.online_target
        out = Text()
        for label, share in ((t("sup.online.today"), board.online_ratio),
                             (t("sup.online.month"), board.online_month)):
            out.append(f"{label} ")
            out.append(share_bar(share, target))
            value = percent(share)
            out.append(f" {value:g}%\n" if value is not None else f" {t('sup.online.none')}\n")
        if target is not None:
            out.append(t("sup.online.target", target=f"{percent(target):g}"), style="bold")
        return out

    def _spark(self, name: str, data: list[int], first: int) -> None:
        self.query_one(f"#sup-{name}-spark", Sparkline).data = data
        axis = self.query_one(f"#sup-{name}-axis", Static)
        if not any(data):
            axis.update(t("sup.hours.none"))
            return
        peak = max(range(len(data)), key=lambda i: data[i])
        axis.update(t("sup.hours.axis", first=first, last=first + len(data) - 1,
                      peak=first + peak, n=data[peak]))

    def _groups(self, board: DayBoard) -> None:
        # on 80 columns the bars go and long names are cut: every figure stays in view
        narrow = self.has_class("-narrow")
        most = 0 if narrow else max((g.issued for g in board.groups), default=0)
        rows: list[tuple[Any, ...]] = [
            (g.letter, cut(f"{g.letter} {g.name}", GROUP_NARROW if narrow else None),
             count_bar(g.issued, most), g.issued, g.served, g.waiting, g.in_service, g.absent,
             _pair(g.wait), _pair(g.service))
            for g in board.groups]
        rows.append(("*", t("sup.total"), Text(""), board.tickets_issued,
                     sum(g.served for g in board.groups), sum(g.waiting for g in board.groups),
                     sum(g.in_service for g in board.groups),
                     sum(g.absent for g in board.groups), _pair(board.wait),
                     _pair(board.service)))
        self._table("#sup-groups", rows)

    def _rows(self, selector: str, rows: list[tuple[str, str, Any]]) -> None:
        table = self.query_one(selector, DataTable)
        table.clear()
        for key, label, value in rows:
            table.add_row(label, value if isinstance(value, Text) else str(value), key=key)

    def _table(self, selector: str, rows: list[tuple[Any, ...]]) -> None:
        table = self.query_one(selector, DataTable)
        table.clear()
        for column in table.columns.values():  # widths follow the rows shown now
            column.content_width = column.label.cell_len
        for key, *cells in rows:
            table.add_row(*(c if isinstance(c, Text) else str(c) for c in cells), key=key)

    # --- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.role_allows(action):
            return False
        if action == "export" and parameters[:1] == ("register",):
            return self.capp.can(Action.REGISTER_EXPORT)  # names and addresses: a supervisor
        if action == "print_summary":
            return not self.capp.printer_offline
        return True

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self._reading = None
        self.refresh_board()

    def action_pick_office(self) -> None:
        from counter_tui.ui.screens.office_choice import OfficeChoiceScreen

        def chosen(code: str | None) -> None:
            if code is None:
                return
            own = self.capp.cfg.office.agency_code
            self.office = None if code == own else code
            self.action_refresh()

        def listed(offices: tuple[services.reports.OfficeChoice, ...]) -> None:
            self.app.push_screen(OfficeChoiceScreen(offices, self.office or
                                                    self.capp.cfg.office.agency_code), chosen)

        self.ask(services.reports.offices, on_done=listed)

    def action_print_summary(self) -> None:
        def printed(done: PrintedSummary) -> None:
            self.notify(t("sup.printed", day=done.day.strftime("%d/%m/%Y")))

        day = self.board.day if self.board else None
        self.ask(lambda store: services.reports.print_day_summary(store, day), on_done=printed)

    def action_export(self, kind: str) -> None:
        today = self.board.day if self.board else self.capp.store.now().date()
        base = (self.capp.cfg.path.parent if self.capp.cfg.path else Path.cwd()).resolve()
        self.app.push_screen(ExportScreen(kind, today, base / "bao-cao"), self._export)

    def _export(self, request: ExportRequest | None) -> None:
        if request is None:
            return
        def written(done: Exported) -> None:
            self.notify(t("sup.exported", rows=done.rows, path=done.path), timeout=10)

        office = self.office
        self.ask(lambda store: export(store, request, office), on_done=written)


def export(store: Store, request: ExportRequest, office: str | None = None) -> Exported:
    """Write the report the dialog asked for (in the worker); the day board of `office`, the
    one on screen."""
    svc = services.reports
    if request.kind == "day":
        return svc.export_day(store, request.path, day=request.start, fmt=request.fmt,
                              office=office)
    if request.kind == "period":
        return svc.export_period(store, request.path, request.start, request.end,
                                 by=request.by, compare=request.compare, fmt=request.fmt)
    return svc.export_register(store, request.path, request.start, request.end,
                               fmt=request.fmt)


def default_name(kind: str, start: date, end: date, fmt: str) -> str:
    if kind == "day":
        return f"tinh-hinh-ngay-{start:%Y%m%d}.{fmt}"
    stem = "bieu-II06a" if kind == "period" else "so-theo-doi-ho-so"
    return f"{stem}-{start:%Y%m%d}-{end:%Y%m%d}.{fmt}"


class ExportScreen(FormDialog[ExportRequest | None]):
    """Dates, rows, format and file for one export; Enter in any field exports."""

    def __init__(self, kind: str, today: date, folder: Path) -> None:
        self.kind, self.folder = kind, folder
        start = today if kind == "day" else today.replace(day=1)
        fields = [Field("from", "exp.from" if kind != "day" else "exp.day", required=True,
                        check=check_day, value=start.strftime("%d/%m/%Y"))]
        if kind != "day":
            fields.append(Field("to", "exp.to", required=True, check=check_day,
                                value=today.strftime("%d/%m/%Y")))
        if kind == "period":
            fields += [Field("by", "exp.by", "choice", value="field",
                             options=tuple((d, t(f"report.by.{d}")) for d in DIMENSIONS)),
                       Field("compare", "exp.compare", "flag")]
        fields += [
            Field("format", "exp.format", "choice", value="xlsx",
                  options=(("xlsx", "XLSX (Excel)"), ("csv", "CSV"))),
            Field("path", "exp.path", required=True,
                  value=str(folder / default_name(kind, start, today, "xlsx"))),
        ]
        super().__init__(f"exp.title.{kind}", fields, hint="exp.hint", inline=True,
                         id="export")

    @on(RadioSet.Changed, "#f-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        path = self.query_one("#f-path", Input)
        current = Path(path.value)
        fmt = event.pressed.name or "xlsx"
        if current.suffix.lower() in (".csv", ".xlsx"):
            path.value = str(current.with_suffix(f".{fmt}"))

    def submitted(self, values: dict[str, Any]) -> None:
        start = check_day(values["from"], field="from")
        end = check_day(values["to"], field="to") if self.kind != "day" else start
        if start > end:
            self.form.show_errors([UserError("exp.bad_range", field="to")])
            return
        self.dismiss(ExportRequest(
            self.kind, start, end, str(values.get("by") or "field"),
            bool(values.get("compare")), str(values["format"] or "xlsx"),
            str(Path(clean(values["path"])).expanduser())))


def check_day(value: str, *, field: str) -> date:
    """A day typed dd/mm/yyyy (or yyyy-mm-dd), as a field's validator."""
    day = parse_day(value)
    if day is None:
        raise UserError("exp.bad_day", field=field, value=clean(value))
    return day
