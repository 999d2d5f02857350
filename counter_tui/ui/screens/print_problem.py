"""A slip that did not print: reprint it, or void the ticket it belongs to.

A failed ticket is never silently counted as handed out; the officer decides here.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from counter_tui.core.i18n import t
from counter_tui.core.views import PrintJobView
from counter_tui.ui.base import BaseModal, bind
from counter_tui.ui.widgets.text import Msg


class PrintProblemScreen(BaseModal[str | None]):
    BINDINGS = [
        bind("enter,i", "choose('retry')", "problem.retry", "retry_print"),
        bind("h", "choose('void')", "problem.void", "void_ticket"),
        bind("escape", "choose('')", "ui.close", "close_problem"),
    ]

    def __init__(self, job: PrintJobView) -> None:
        super().__init__(id="print-problem")
        self.job = job

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Msg("problem.title", {"label": self.job.label}, classes="box-title")
            yield Static(t("problem.reason", reason=self.job.error))
            yield Msg("problem.keys", classes="hint")

    def action_choose(self, choice: str) -> None:
        if choice == "void" and not self.job.ticket_id:
            return
        self.dismiss(choice or None)
