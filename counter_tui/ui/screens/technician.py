"""F11 / Ctrl+T: the technician's view of this terminal's printer.

How the printer is configured, what it last said about itself (online, paper, cover), the
print queue with every failed job and its reason, and the selected job decoded back from the
bytes this printer would get, as text, with a PNG picture on request. From here the technician
reprints a job (failed, may have printed, or waiting for its retry), prints the test page and
reads the status again; N opens the scanner's screen. A reprint or a test page asked for here
is sent at once, even while the printer is known to be down: the technician has just fixed it,
and waiting out the back-off to find out would only keep the citizen waiting.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Label, Static

from counter_tui.core.i18n import t
from counter_tui.core.print_rules import NEEDS_OFFICER, REPRINTABLE
from counter_tui.core.records import frozen
from counter_tui.ui import services
from counter_tui.ui.base import BaseScreen, bind
from counter_tui.ui.widgets.keybar import KeyBar
from counter_tui.ui.widgets.text import Msg

if TYPE_CHECKING:
    from counter_tui.core.views import PrintJobView
    from counter_tui.printing.status import PrinterStatus


@frozen
class _Queued:
    """A slip stored by a request: `ask` sends it from the same worker, at once."""

    print_job: int


def _yes_no(value: bool | None) -> str:
    return t("tech.unknown") if value is None else t("tech.yes") if value else t("tech.no")


class TechnicianScreen(BaseScreen[None]):
    BINDINGS = [
        bind("escape", "back", "tech.back", "tech_back", display="Esc"),
        bind("s", "status_now", "tech.status_now", "tech_status", display="S"),
        bind("t", "test_page", "tech.test_page", "tech_test_page", display="T"),
        bind("r", "retry", "tech.retry", "tech_retry", display="R"),
        bind("f", "failed_only", "tech.failed_only", "tech_failed_only", display="F"),
        bind("v", "png", "tech.png", "tech_png", display="V"),
        bind("n", "scanner", "tech.scanner", "tech_scanner", display="N"),
    ]

    def __init__(self) -> None:
        super().__init__(id="technician")
        self.failed_only = False
        self.jobs: list[PrintJobView] = []
        self.shown_job: int | None = None
        self.probed: PrinterStatus | None = None  # a reading made here (no spooler running)
        self.decoded_text = ""

    def compose(self) -> ComposeResult:
        yield Msg("tech.title", id="tech-title")
        with Horizontal(id="tech-top"):
            with Vertical(id="tech-printer"):
                yield Static(id="tech-config")
                yield Static(id="tech-status")
            with Vertical(id="tech-last"):
                yield Label(t("tech.no_job"), id="tech-decoded-title", classes="box-title")
                with VerticalScroll(id="tech-decoded-box"):
                    yield Static(id="tech-decoded")
                yield Static(id="tech-png")
        yield Label(t("tech.queue"), id="tech-queue-title", classes="box-title")
        yield DataTable(id="tech-jobs", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def _show_config(self) -> None:
        p = self.capp.cfg.printer
        target = (f"{p.usb_vendor:04x}:{p.usb_product:04x}" if p.kind == "usb" else p.target)
        self.query_one("#tech-config", Static).update(t(
            "tech.config", kind=p.kind, target=target, profile=p.profile, mm=p.paper_mm,
            columns=p.width_columns, dots=p.width_dots, mode=p.text_mode,
            connect=p.connect_timeout, send=p.send_timeout))

    def on_mount(self) -> None:
        self._show_config()
        self.columns(self.query_one("#tech-jobs", DataTable), *(f"tech.col.{c}" for c in (
            "id", "slip", "kind", "state", "tries", "time", "reason")))
        self.show_status()
        self.reload()
        self.set_interval(1.0, self.show_status)
        self.set_interval(max(1.0, self.capp.cfg.ui.refresh_seconds), self.reload)
        if self.capp.spooler is None or self.capp.printer_health is None:
            self.action_status_now()

    # --- status ---------------------------------------------------------------------------

    def _status(self) -> tuple[PrinterStatus | None, str | None, float]:
        health = self.capp.printer_health
        if health is not None and (self.probed is None
                                   or health.status.checked_at >= self.probed.checked_at):
            return health.status, health.down, health.retry_at
        return self.probed, None, 0.0

    def relabel_data(self) -> None:
        self._show_config()
        self.show_status()
        self.show_jobs(self.jobs)
        if self.shown_job is not None and self.decoded_text:
            self.query_one("#tech-decoded-title", Label).update(
                t("tech.decoded", job=self.shown_job))

    def show_status(self) -> None:
        status, down, retry_at = self._status()
        lines = []
        if status is None:
            lines.append(t("tech.state", summary=t("tech.never")))
        else:
            lines.append(t("tech.state", summary=status.summary()))
            paper = {"ok": t("pstatus.paper.ok"), "near_end": t("pstatus.near_end"),
                     "out": t("pstatus.paper_out")}.get(status.paper or "", t("tech.unknown"))
            lines.append(t("tech.details", online=_yes_no(status.online), paper=paper,
                           cover=_yes_no(status.cover_open), error=_yes_no(status.error)))
            lines.append(t("tech.checked", ago=round(time.monotonic() - status.checked_at))
                         if status.checked_at else t("tech.never"))
        if down:
            lines.append(t("tech.down", reason=down,
                           seconds=max(0, round(retry_at - time.monotonic()))))
        widget = self.query_one("#tech-status", Static)
        widget.update("\n".join(lines))
        widget.set_class(bool(down) or bool(status and status.problem), "-down")

    def action_status_now(self) -> None:
        spooler = self.capp.spooler
        if spooler is not None:
            self.ask(lambda _: spooler.probe(), on_done=self._probed, group="status")
            return
        cfg = self.capp.cfg.printer

        def read(_: object) -> PrinterStatus:
            from counter_tui.printing.status import PrinterStatus
            from counter_tui.printing.transports import PrinterError, open_transport

            try:
                return open_transport(cfg).status()
            except PrinterError as exc:
                return PrinterStatus(reachable=False, detail=exc.reason).stamped()

        self.ask(read, on_done=self._probed, group="status")

    def _probed(self, status: PrinterStatus) -> None:
        self.probed = status
        self.show_status()
        self.refresh_bindings()

    # --- queue ----------------------------------------------------------------------------

    def reload(self) -> None:
        failed_only = self.failed_only
        self.ask(lambda store: services.printjobs.recent(store, 50, failed_only=failed_only,
                                                         mine=True),
                 on_done=self.show_jobs, group="jobs")

    def show_jobs(self, jobs: list[PrintJobView]) -> None:
        self.jobs = jobs
        table = self.query_one("#tech-jobs", DataTable)
        keep = table.cursor_row
        table.clear()
        kind, state = services.printjobs.kind_label, services.printjobs.state_label
        for j in jobs:
            table.add_row(str(j.id), j.label, kind(j), state(j), str(j.attempts),
                          j.created_at.strftime("%H:%M:%S"), j.error, key=str(j.id))
        if jobs:
            table.move_cursor(row=min(keep, len(jobs) - 1))
        self.query_one("#tech-queue-title", Label).update(
            t("tech.queue_failed" if self.failed_only else "tech.queue"))
        if self.shown_job is None and jobs:
            self.show_decoded(jobs[0].id)

    def selected(self) -> PrintJobView | None:
        table = self.query_one("#tech-jobs", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((j for j in self.jobs if str(j.id) == key), None)

    @on(DataTable.RowHighlighted, "#tech-jobs")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value and int(event.row_key.value) != self.shown_job:
            self.show_decoded(int(event.row_key.value))

    @on(DataTable.RowSelected, "#tech-jobs")
    def _selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a job that needs an officer: the same choices as at the counter."""
        from counter_tui.ui.screens.print_problem import decide

        job = self.selected()
        if job is not None and job.state in NEEDS_OFFICER:
            decide(self, job, after=self.reload)

    # --- the selected job, decoded ----------------------------------------------------------

    def _bytes_of(self, job_id: int) -> bytes:
        """What the job sends: ESC/POS bytes for this printer, or a legal form's PDF."""
        from counter_tui.printing.pdf.output import form_pages
        from counter_tui.printing.render import render

        slip = services.printjobs.slip_of(self.capp.store, job_id)
        pages = form_pages(slip)
        if pages:
            from counter_tui.printing.pdf.output import form_pdf

            return form_pdf(pages[0])
        return render(slip, self.capp.cfg.printer)

    def show_decoded(self, job_id: int) -> None:
        self.shown_job = job_id
        profile = self.capp.cfg.printer.profile

        def decoded(_: object) -> str:
            from counter_tui.printing.decode import decode
            from counter_tui.printing.pdf.preview import is_pdf, pdf_bytes_text

            try:
                data = self._bytes_of(job_id)
                if is_pdf(data):  # a form for the office printer: its first page
                    return pdf_bytes_text(data)
            except Exception as exc:
                return t("tech.render_error", reason=exc)
            return "\n".join(decode(data, profile=profile).text).rstrip()

        self.ask(decoded, on_done=lambda text: self._show_text(job_id, text), group="decode")

    def _show_text(self, job_id: int, text: str) -> None:
        self.decoded_text = text
        self.query_one("#tech-decoded-title", Label).update(t("tech.decoded", job=job_id))
        self.query_one("#tech-decoded", Static).update(text)

    def action_png(self) -> None:
        job = self.selected()
        job_id = job.id if job else self.shown_job
        if job_id is None:
            self.notify(t("tech.no_job"), severity="warning")
            return
        cfg = self.capp.cfg
        folder = (cfg.path.parent if cfg.path else Path.cwd()) / "data" / "previews"

        def save(_: object) -> Path:
            from counter_tui.printing.pdf.preview import is_pdf, preview_pdf_bytes
            from counter_tui.printing.preview import preview_png

            folder.mkdir(parents=True, exist_ok=True)
            data = self._bytes_of(job_id)
            if is_pdf(data):
                preview_pdf_bytes(data, folder / f"job-{job_id}.png")
                return folder / f"job-{job_id}.png"
            return preview_png(data, folder / f"job-{job_id}.png",
                               cfg.printer.width_dots, profile=cfg.printer.profile,
                               columns=cfg.printer.width_columns)

        def saved(path: Path) -> None:
            self.query_one("#tech-png", Static).update(t("tech.png_saved", path=path))
            self.notify(t("tech.png_saved", path=path))

        self.ask(save, on_done=saved)

    # --- actions that print -------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_scanner(self) -> None:
        """N: the counter's scanner (ui/screens/scanner.py)."""
        from counter_tui.ui.screens.scanner import ScannerScreen

        self.app.push_screen(ScannerScreen())

    def action_test_page(self) -> None:
        """T: the test page, sent now whatever back-off the printer is in (the technician
        prints it to see whether the printer works again)."""
        from counter_tui.printing.testpage import test_page

        slip = test_page(self.capp.cfg.printer)

        def queued(job_id: int) -> None:
            self.notify(t("tech.test_queued", job=job_id))
            self.shown_job = None
            self.reload()

        self.ask(lambda store: _Queued(services.printjobs.submit(store, slip)),
                 on_done=lambda q: queued(q.print_job))

    def action_retry(self) -> None:
        """R: reprint the selected job now (one that failed, may have printed, or waits for
        its automatic retry): the technician has just fixed the printer and does not wait."""
        from counter_tui.ui.screens.print_problem import reprint_now

        job = self.selected()
        if job is None or job.state not in REPRINTABLE:
            self.notify(t("tech.pick_failed"), severity="warning")
            return

        def retried(_: object) -> None:
            self.notify(t("tech.retried", job=job.id))
            self.reload()

        job_id, app = job.id, self.capp
        self.ask(lambda store: reprint_now(app, store, job_id), on_done=retried)

    def action_failed_only(self) -> None:
        self.failed_only = not self.failed_only
        self.reload()

    def on_screen_resume(self, _: Any) -> None:
        self.reload()
