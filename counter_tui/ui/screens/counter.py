"""The counter screen: what an officer looks at all day.

Who and where this terminal is, the queue of every group, the ticket being served, who waits
next, absent tickets that can be put back, and slips that failed to print. Every action is an
F-key (or a letter) in the footer and in the command palette, and runs in a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.renderables.digits import DIGITS
from textual.widgets import DataTable, Digits, Static

from counter_tui.core import queue_rules
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import language, t
from counter_tui.core.roles import Action
from counter_tui.ui import ahead, services
from counter_tui.ui.base import BaseScreen, bind
from counter_tui.ui.messages import Refresh
from counter_tui.ui.widgets.keybar import KeyBar
from counter_tui.ui.widgets.text import Msg

if TYPE_CHECKING:
    from textual.timer import Timer

    from counter_tui.core.queue_views import KioskPrinterView
    from counter_tui.core.views import IssuedTicket, PrintJobView, QueueOverview, TicketView
    from counter_tui.printing.status import PrinterStatus
    from counter_tui.ui.screens.intake import IntakeScreen


GROUP_NARROW = 14  # characters of "letter name" in the queue table on an 80-column terminal


def cut(text: str, width: int | None) -> str:
    return text if width is None or len(text) <= width else text[:width - 1] + "…"


def fit_columns(table: DataTable[Any]) -> None:
    """Each column as wide as its label and its widest cell now, before the table is drawn
    again. A DataTable measures rows it is given only when it next idles, and keeps the lines
    it draws meanwhile (its caches do not know the widths): a queue drawn in between, as a
    ticket's slip came out under the closing dialog, kept its new number cut ("A0" for A001)
    until the queue next changed."""
    for column in table.columns.values():
        cells = (v.cell_len if isinstance(v, Text) else cell_len(str(v))
                 for v in table.get_column(column.key))
        column.content_width = max(column.label.cell_len, max(cells, default=0))


class CounterScreen(BaseScreen[None]):
    NEEDS = {"issue": Action.QUEUE_ISSUE, "call_next": Action.QUEUE_SERVE,
             "recall": Action.QUEUE_SERVE, "serve": Action.QUEUE_SERVE,
             "done": Action.QUEUE_SERVE, "absent": Action.QUEUE_SERVE,
             "transfer": Action.QUEUE_SERVE, "requeue": Action.QUEUE_SERVE,
             "intake": Action.DOSSIER_RECEIVE, "lookup": Action.DOSSIER_FIND,
             "worklists": Action.DOSSIER_VIEW, "problems": Action.PRINTER_USE,
             "supervisor": Action.REPORT_VIEW}
    BINDINGS = [
        bind("f2", "issue", "counter.issue", "issue_ticket"),
        bind("f3", "call_next", "counter.call", "call_next"),
        bind("f4", "intake", "counter.intake", "intake"),
        bind("f5", "lookup", "counter.lookup", "lookup"),
        bind("f6", "recall", "counter.recall", "recall"),
        bind("f7", "serve", "counter.serve", "start_serving"),
        bind("f8", "done", "counter.done", "done"),
        bind("f9", "absent", "counter.absent", "absent"),
        bind("t", "transfer", "counter.transfer", "transfer", display="T"),
        bind("r", "requeue", "counter.requeue", "requeue", display="R"),
        bind("d", "worklists", "counter.worklists", "worklists", display="D"),
        bind("p", "problems", "counter.problems", "print_problems", show=False, display="P"),
        bind("f12", "supervisor", "counter.supervisor", "supervisor"),
    ]

    def __init__(self) -> None:
        super().__init__(id="counter")
        self.overview: QueueOverview | None = None
        self._kiosk_down: dict[str, str] | None = None  # kiosk printers down, as last shown
        self._again = False  # a commit was heard while the queue was being read
        self._next_form: IntakeScreen | None = None  # F4's form, built ahead (ui.ahead)
        self._ahead: Timer | None = None

    def _who(self) -> str:
        actor = self.capp.actor
        return f"{actor.full_name} ({actor.username})" if actor is not None else "-"

    def officer_changed(self) -> None:
        whoami = self.query_one("#whoami", Msg)
        whoami.params["officer"] = self._who()
        whoami.relabel()

    def compose(self) -> ComposeResult:
        cfg = self.capp.cfg
        counter = cfg.counter(cfg.terminal.counter)
        yield Static(cfg.office.name, id="office")
        yield Msg("counter.header", {"counter": counter.name if counter else "?",
                                     "officer": self._who()}, id="whoami")
        yield Static("", id="kiosk-printer")
        with Horizontal(id="top"):
            with Vertical(id="current-box"):
                yield Msg("counter.current", classes="box-title")
                yield Digits("----", id="current-number")
                # Digits draws 0-9 and A-F only: a code of a group G-Z is shown as text here.
                code = Static(id="current-code")
                code.display = False
                yield code
                yield Static(t("app.opening"), id="current-info")
            with Vertical(id="queue-box"):
                yield Msg("counter.queue", classes="box-title")
                yield DataTable(id="groups", cursor_type="none", zebra_stripes=True)
        with Horizontal(id="bottom"):
            with Vertical(id="waiting-box"):
                yield Msg("counter.next", classes="box-title")
                yield DataTable(id="waiting", cursor_type="row")
            with Vertical(id="absent-box"):
                yield Msg("counter.absents", classes="box-title")
                yield DataTable(id="absent", cursor_type="row")
            with Vertical(id="problems-box"):
                yield Msg("counter.problems", classes="box-title")
                yield DataTable(id="problems", cursor_type="row")
        yield KeyBar()

    def on_mount(self) -> None:
        self.columns(self.query_one("#groups", DataTable), *(f"counter.col.{c}" for c in (
            "group", "waiting", "called", "serving", "done", "absent")))
        self.columns(self.query_one("#waiting", DataTable),
                     "counter.col.number", "counter.col.time", "counter.col.note")
        self.columns(self.query_one("#absent", DataTable),
                     "counter.col.number", "counter.col.time")
        self.columns(self.query_one("#problems", DataTable),
                     "counter.col.number", "counter.col.reason")
        # Other terminals' commits arrive as Refresh (services.changes); the timer only
        # stands in while the feed cannot hear the store.
        self.set_interval(self.capp.cfg.ui.refresh_seconds, self._unheard)
        # The first figures are read here, before the first frame, so the screen is usable
        # the moment it shows; later refreshes run in workers.
        self.show(services.queue.overview(self.capp.store))

    @on(Refresh)
    def _reload(self, _: Any) -> None:
        """A terminal committed. A read under way (maybe one an action holds the keys for)
        is never superseded: one more read follows it instead."""
        if any(w.group == "overview" and not w.is_finished for w in self.workers):
            self._again = True
            return
        self.refresh_queue()

    def _unheard(self) -> None:
        if not self.capp.store_live or self.capp.feed is None:
            self.refresh_queue()

    def refresh_queue(self, *, hold_keys: bool = False) -> None:
        """Read the queue again; after an action, the keys typed next wait for it (what F7 or
        F8 may do depends on the ticket it shows)."""
        self.ask(services.queue.overview, on_done=self.show, group="overview",
                 hold_keys=hold_keys)

    def relabel_data(self) -> None:
        shown, self.overview = self.overview, None
        self._kiosk_down = None  # its line again, in the new language (no second notice)
        if shown is not None:
            self.show(shown)

    def resized(self) -> None:
        self.relabel_data()  # the groups' names, cut or whole

    def show(self, ov: QueueOverview) -> None:
        if self._again:
            self._again = False
            self.call_later(self.refresh_queue)
        if ov == self.overview:
            return  # the periodic refresh found nothing new: no repaint to slow a key press
        # Every commit in the office brings a new overview, and a table filled again is drawn
        # again cell by cell (the repaint was most of the time a call took to show): only the
        # parts that changed are filled again (all of them after a relabel or a resize).
        before, self.overview = self.overview, ov
        if before is None or ov.current != before.current:
            self._show_current(ov.current)
        if before is None or ov.groups != before.groups:
            groups = self.query_one("#groups", DataTable)
            groups.clear()
            # on 80 columns a long group name is cut, so that Xong and Vắng stay in view
            width = GROUP_NARROW if self.has_class("-narrow") else None
            for g in ov.groups:
                groups.add_row(cut(f"{g.letter} {g.name}", width), g.waiting, g.called,
                               g.serving, g.done, g.absent)
            fit_columns(groups)  # widths follow the rows shown now
        if before is None or ov.waiting != before.waiting:
            self._fill("#waiting", ov.waiting, lambda x: (
                x.code, x.issued_at.strftime("%H:%M"),
                queue_rules.priority_label(x.priority) if x.priority else x.group_name))
        if before is None or ov.absent != before.absent:
            self._fill("#absent", ov.absent, lambda x: (x.code, x.issued_at.strftime("%H:%M")))
        if before is None or ov.failed_jobs != before.failed_jobs:
            self._fill("#problems", ov.failed_jobs, lambda j: (
                j.label, t("counter.problem_line", state=services.printjobs.state_label(j),
                           reason=j.error)))
        self.query_one("#problems-box").display = bool(ov.failed_jobs)
        self._tell_new_problems(ov.failed_jobs)
        self._show_kiosk_printers(ov.kiosk_printers_down)
        self.refresh_bindings()

    def _tell_new_problems(self, jobs: tuple[PrintJobView, ...]) -> None:
        """A slip of this printer that needs an officer and was not told yet (another terminal
        queued it, the CLI, a kiosk, or it was found interrupted at start-up): say so once, on
        every counter at that printer; the list says which, P opens it."""
        told = self.capp.problems_told
        new = [j for j in jobs if j.id not in told]
        told.update(j.id for j in new)
        if len(new) == 1:
            job = new[0]
            self.notify(t("counter.problem_new", label=job.label,
                          kind=services.printjobs.kind_label(job),
                          state=services.printjobs.state_label(job), reason=job.error),
                        severity="error", timeout=10)
        elif new:
            self.notify(t("counter.problems_new", count=len(new)), severity="error", timeout=10)

    def _show_kiosk_printers(self, down: tuple[KioskPrinterView, ...]) -> None:
        """A kiosk's printer that cannot print: a line above everything while it lasts (its
        citizens come to the counters for help), and a notice when it starts and ends."""
        now = {p.printer: p.reason for p in down}
        before, self._kiosk_down = self._kiosk_down, now
        if now != before:  # a line changed is a new layout of the whole screen: only then
            line = self.query_one("#kiosk-printer", Static)
            line.update("\n".join(t("counter.kiosk_printer_down", reason=p.reason.rstrip("."),
                                     since=f"{p.since:%H:%M}" if p.since else "?")
                                   for p in down))
            line.display = bool(down)
        if before is None:
            return  # the screen opening: the line says it
        for printer, reason in now.items():
            if before.get(printer) != reason:
                self.notify(t("counter.kiosk_printer_notice", reason=reason.rstrip(".")),
                            severity="error", timeout=10)
        if any(printer not in now for printer in before):
            self.notify(t("counter.kiosk_printer_back"))

    def _fill(self, selector: str, items: tuple[Any, ...], row: Any) -> None:
        table = self.query_one(selector, DataTable)
        keep = table.cursor_row
        table.clear()
        for item in items:
            table.add_row(*row(item), key=str(item.id))
        fit_columns(table)
        if items:
            table.move_cursor(row=min(keep, len(items) - 1))

    def _show_current(self, ticket: TicketView | None) -> None:
        digits = self.query_one("#current-number", Digits)
        info = self.query_one("#current-info", Static)
        if ticket is None:
            digits.update("----")
            digits.display = True
            self.query_one("#current-code").display = False
            info.update(t("counter.none"))
            return
        drawable = all(ch in DIGITS for ch in ticket.code)
        digits.update(ticket.code if drawable else "----")
        digits.display = drawable
        code = self.query_one("#current-code", Static)
        code.update(Content.styled(ticket.code, "bold"))
        code.display = not drawable
        line = t("counter.state_line", group=ticket.group_name,
                 state=queue_rules.State(ticket.state).label,
                 issued=ticket.issued_at.strftime("%H:%M"))
        if ticket.priority:
            line += "\n" + queue_rules.priority_label(ticket.priority)
        info.update(line)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.role_allows(action):
            return False
        current = self.overview.current if self.overview else None
        if action in ("recall", "done", "absent", "transfer"):
            return current is not None
        if action == "serve":
            return current is not None and current.state == queue_rules.State.CALLED.value
        return True

    # --- actions -------------------------------------------------------------------------

    def _after(self, message_key: str) -> Callable[[TicketView | None], None]:
        def done(ticket: TicketView | None) -> None:
            if ticket is not None:
                self.notify(t(message_key, code=ticket.code,
                              state=queue_rules.State(ticket.state).label))
            self.refresh_queue(hold_keys=True)
        return done

    def action_issue(self) -> None:
        """F2. With the printer known to be down, it is read again first (in a worker): back,
        or unable to tell (a one-way printer: the slip's own print will), the dialog opens;
        still down, the officer is told at once what is wrong and what to do."""
        spooler = self.capp.spooler
        if spooler is None or not self.capp.printer_offline:
            self._open_issue()
            return

        def probed(found: PrinterStatus) -> None:
            health = self.capp.printer_health
            if found.problem is not None and health is not None and health.offline:
                self.notify(health.cannot_issue(), severity="error", timeout=10)
            else:
                self._open_issue()

        self.ask(lambda _: spooler.probe(), on_done=probed, group="issue_probe",
                 hold_keys=True)

    def _open_issue(self) -> None:
        from counter_tui.ui.screens.issue_ticket import IssueTicketScreen

        def chosen(group: str, priority: str | None) -> None:
            def issued(ticket: IssuedTicket) -> None:
                dialog.close()
                self._issued(ticket)

            def refused(error: UserError) -> None:
                dialog.close()
                self.refused(error)

            self.ask(lambda store: services.queue.issue(store, group, priority),
                     on_done=issued, on_refused=refused, on_failed=dialog.close,
                     hold_keys=True)

        groups = self.overview.groups if self.overview else ()
        dialog = IssueTicketScreen(self.capp.cfg.groups, groups, chosen)
        self.app.push_screen(dialog)

    def _issued(self, issued: IssuedTicket) -> None:
        ticket = issued.ticket
        self.notify(t("counter.issued", code=ticket.code, group=ticket.group_name,
                      ahead=ticket.ahead))
        self.refresh_queue(hold_keys=True)

    def action_call_next(self) -> None:
        def called(ticket: TicketView | None) -> None:
            if ticket is None:
                self.notify(t("counter.empty"), severity="warning")
            else:
                counter = self.overview.counter.name if self.overview else ""
                self.notify(t("counter.called", code=ticket.code, counter=counter))
                self.app.bell()
            self.refresh_queue(hold_keys=True)

        self.ask(services.queue.call_next, on_done=called, hold_keys=True)

    def action_recall(self) -> None:
        def recalled(ticket: TicketView) -> None:
            counter = self.overview.counter.name if self.overview else ""
            self.notify(t("counter.called", code=ticket.code, counter=counter))
            self.app.bell()
            self.refresh_queue(hold_keys=True)

        self.ask(services.queue.recall, on_done=recalled, hold_keys=True)

    def action_serve(self) -> None:
        self.ask(services.queue.start_serving, on_done=self._after("counter.moved"),
                 hold_keys=True)

    def action_done(self) -> None:
        self.ask(services.queue.finish, on_done=self._after("counter.moved"), hold_keys=True)

    def action_absent(self) -> None:
        self.ask(services.queue.mark_absent, on_done=self._after("counter.moved"),
                 hold_keys=True)

    def action_transfer(self) -> None:
        from counter_tui.ui.screens.transfer import TransferScreen

        def chosen(target: tuple[str | None, int | None] | None) -> None:
            if target:
                to_group, to_counter = target
                self.ask(lambda store: services.queue.transfer(
                    store, to_group=to_group, to_counter=to_counter),
                    on_done=self._after("counter.moved"))

        current = self.overview.current if self.overview else None
        self.app.push_screen(TransferScreen(self.capp.cfg, current.group if current else None),
                             chosen)

    def _selected(self, selector: str) -> int | None:
        table = self.query_one(selector, DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(key.value) if key.value else None

    def action_requeue(self) -> None:
        ticket_id = self._selected("#absent")
        if ticket_id is None:
            self.notify(t("counter.select_absent"), severity="warning")
            return
        self.ask(lambda store: services.queue.requeue(store, ticket_id),
                 on_done=self._after("counter.moved"))

    def action_problems(self) -> None:
        job_id = self._selected("#problems")
        job = next((j for j in (self.overview.failed_jobs if self.overview else ())
                    if j.id == job_id), None)
        if job is None:
            self.notify(t("counter.select_problem"), severity="warning")
            return
        self._open_problem(job)

    @on(DataTable.RowSelected, "#problems")
    def _problem_selected(self, event: DataTable.RowSelected) -> None:
        self.query_one("#problems", DataTable).focus()
        self.action_problems()

    @on(DataTable.RowSelected, "#absent")
    def _absent_selected(self, event: DataTable.RowSelected) -> None:
        self.action_requeue()

    def _open_problem(self, job: PrintJobView) -> None:
        from counter_tui.ui.screens.print_problem import decide

        decide(self, job, after=lambda: self.refresh_queue(hold_keys=True))

    def action_intake(self) -> None:
        """F4: receive a dossier for the ticket being served (or with no ticket)."""
        from counter_tui.ui.screens.intake import IntakeScreen

        current = self.overview.current if self.overview else None
        form = self._take_next_form() or IntakeScreen()
        form.for_ticket(current.id if current else None, current.code if current else None)
        self.app.push_screen(form, lambda _: self.refresh_queue())

    # --- work done ahead while nobody types (ui.ahead) ---------------------------------------

    def _take_next_form(self) -> IntakeScreen | None:
        form, self._next_form = self._next_form, None
        if form is not None and form.language != language():
            form.remove()  # labelled in the language of before
            return None
        return form

    def on_screen_resume(self) -> None:
        self._plan_ahead(ahead.IDLE)

    def on_unmount(self) -> None:
        if (form := self._take_next_form()) is not None:
            form.remove()

    def _plan_ahead(self, delay: float) -> None:
        if self._ahead is not None:
            self._ahead.stop()
        self._ahead = self.set_timer(delay, self._work_ahead)

    def _work_ahead(self) -> None:
        """When the officer has not typed for a while and this screen is on top (a dialog's
        closing brings it back here)."""
        from counter_tui.ui.screens.intake import IntakeScreen

        self._ahead = None
        if not self.is_current:
            return
        wait = ahead.IDLE - self.capp.seconds_since_input()
        if wait > 0 or self.capp.keys.unread_input():
            self._plan_ahead(max(wait, 0.1))
        elif self._next_form is None or self._next_form.language != language():
            self._take_next_form()
            self._next_form = ahead.build_off_screen(self.app, IntakeScreen())

    def action_supervisor(self) -> None:
        """F12: the supervisor's board of the day (Esc comes back)."""
        from counter_tui.ui.screens.supervisor import SupervisorScreen

        self.app.push_screen(SupervisorScreen())

    def action_lookup(self) -> None:
        """F5: find a dossier by code (or a scan of its receipt), phone, ID number or name."""
        from counter_tui.ui.screens.lookup import LookupScreen

        self.app.push_screen(LookupScreen())

    def action_worklists(self) -> None:
        """D: due today, overdue, waiting for supplements, ready to return, returned today."""
        from counter_tui.ui.screens.worklists import WorklistScreen

        self.app.push_screen(WorklistScreen())
