"""A slip that did not print, or may have: the officer looks at the printer and decides.

A failed ticket is never silently counted as handed out, and a slip that may be on paper (the
connection dropped mid-job, the printer did not confirm, the app stopped while sending) is
never sent again by itself: a second copy of a queue ticket is a second person holding the
same number. So every screen that lists print jobs (the counter's "Lỗi in", a dossier's slips,
the technician's queue) opens this one dialog, which offers what applies to the job:

- it came out (only for a job that may have printed): it counts as printed, not printed again;
- reprint: sent now, whatever back-off the printer was in (the officer has just fixed it);
- void the ticket (only for a queue ticket): the number is never handed out;
- seen (only for a kiosk's withdrawn slip, its ticket already void): it leaves the lists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from counter_tui.core.i18n import t
from counter_tui.core.print_rules import REPRINTABLE, JobState
from counter_tui.core.views import PrintJobView
from counter_tui.ui import services
from counter_tui.ui.base import BaseModal, BaseScreen, bind
from counter_tui.ui.widgets.text import Msg

if TYPE_CHECKING:
    from counter_tui.services.store import Store
    from counter_tui.ui.app import CounterApp

UNSURE, FAILED, QUEUED, SENT, VOID, WITHDRAWN = (s.value for s in (
    JobState.UNSURE, JobState.FAILED, JobState.QUEUED, JobState.SENT, JobState.VOID,
    JobState.WITHDRAWN))


class PrintProblemScreen(BaseModal[str | None]):
    BINDINGS = [
        bind("d", "choose('printed')", "problem.printed", "slip_came_out", display="D"),
        bind("enter,i", "choose('retry')", "problem.retry", "retry_print"),
        bind("h", "choose('void')", "problem.void", "void_ticket"),
        bind("x", "choose('seen')", "problem.seen", "problem_seen"),
        bind("escape", "choose('')", "ui.close", "close_problem"),
    ]

    def __init__(self, job: PrintJobView) -> None:
        super().__init__(id="print-problem")
        self.job = job

    def compose(self) -> ComposeResult:
        job = self.job
        with Vertical(classes="dialog"):
            if job.state == UNSURE:
                yield Msg("problem.title_unsure", {"label": job.label}, classes="box-title")
            else:
                yield Msg("problem.title", {"label": job.label}, classes="box-title")
            yield Static(t("problem.what", kind=services.printjobs.kind_label(job),
                           state=services.printjobs.state_label(job)), id="problem-what")
            yield Static(t("problem.reason", reason=job.error), id="problem-reason")
            if job.state == UNSURE:
                yield Msg("problem.look", classes="hint")
            if job.state == WITHDRAWN:
                yield Msg("problem.withdrawn", classes="hint")
            yield Static(" · ".join(t(f"problem.key.{choice}") for choice in self.choices()),
                         id="problem-keys", classes="hint")

    def choices(self) -> list[str]:
        """What the officer may do with this job, in the order the keys are offered."""
        if self.job.state == WITHDRAWN:
            return ["seen", "close"]
        found = ["printed"] if self.job.state == UNSURE else []
        if self.job.state in REPRINTABLE:
            found.append("retry")
        if self.job.ticket_id:
            found.append("void")
        return [*found, "close"]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters and parameters[0]:
            return parameters[0] in self.choices()
        return True

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)


def reprint_now(app: CounterApp, store: Store, job_id: int) -> None:
    """In a worker: the job goes back in the queue, due now, and is sent at once."""
    services.printjobs.retry(store, job_id)
    app.print_now(job_id)


def decide(screen: BaseScreen[Any], job: PrintJobView,
           after: Callable[[], object] | None = None) -> None:
    """Open the dialog for `job` over `screen` and carry out what the officer chooses; `after`
    runs once it is done (the screen reloads its list)."""
    app = screen.capp

    def done(message: str) -> Callable[[object], None]:
        def told(_: object) -> None:
            screen.notify(message)
            if after is not None:
                after()
        return told

    def chosen(choice: str | None) -> None:
        job_id, ticket_id = job.id, job.ticket_id
        if choice == "retry":
            screen.ask(lambda store: reprint_now(app, store, job_id),
                       on_done=done(t("problem.reprinted", label=job.label)))
        elif choice == "printed":
            screen.ask(lambda store: services.printjobs.mark_printed(store, job_id),
                       on_done=done(t("problem.came_out", label=job.label)))
        elif choice == "seen":
            screen.ask(lambda store: services.printjobs.seen(store, job_id),
                       on_done=done(t("problem.seen_done", label=job.label)))
        elif choice == "void" and ticket_id:
            screen.ask(lambda store: services.queue.void(store, ticket_id, job.error),
                       on_done=done(t("problem.voided", label=job.label)))

    app.push_screen(PrintProblemScreen(job), chosen)


def receipt_notice(state: str, error: str) -> str | None:
    """What an officer is told of a dossier's receipt that is not surely on paper, and what to
    do about it; None once it printed. Said when the dossier is saved and on its screen."""
    if state == SENT:
        return None
    if state == UNSURE:
        return t("problem.receipt.unsure", reason=error)
    if state == FAILED:
        return t("problem.receipt.failed", reason=error)
    if state == VOID:
        return t("problem.receipt.void")
    if state == QUEUED and error:
        return t("problem.receipt.retrying", reason=error)
    return t("problem.receipt.printing")
