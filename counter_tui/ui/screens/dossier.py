"""One dossier in full: what was received, from whom, when it is due, what happened to it, and
every receipt printed for it (with whether it came out), and its documents digitised (S scans
them: ui/screens/scan.py).

The ID number is shown masked: this screen is for looking up, not for copying personal data.
I shows it in full, for a role allowed to, on purpose and recorded in the audit log; it is
masked again when the dossier is reloaded or left.
A receipt that is not surely on paper is said at the top, with what to do. R prints the
receipt now (the one that did not print, or a new copy); Enter on a slip that did not print,
or may have, offers the same choices as the counter's "Lỗi in". Status changes come with the
dossier lifecycle: a screen for them extends `DossierScreen.BINDINGS` and reloads with
`reload()`.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from counter_tui.core.i18n import t
from counter_tui.core.intake import channel_label
from counter_tui.core.print_rules import NEEDS_OFFICER, REPRINTABLE
from counter_tui.core.records import frozen
from counter_tui.core.roles import Action
from counter_tui.core.statuses import status_label
from counter_tui.core.validation import format_vnd
from counter_tui.core.views import DossierView, PrintJobView
from counter_tui.ui import services
from counter_tui.ui.base import bind
from counter_tui.ui.messages import Refresh
from counter_tui.ui.screens.lifecycle import LIFECYCLE_BINDINGS, LifecycleActions, lifecycle_rows
from counter_tui.ui.screens.scan import size_text
from counter_tui.ui.widgets.keybar import KeyBar
from counter_tui.ui.widgets.text import Msg

DATETIME = "%H:%M %d/%m/%Y"
RECEIPT = "receipt"  # the slip kind a dossier's receipt is printed as


def _when(at: datetime | None) -> str:
    return at.strftime(DATETIME) if at else ""


def _label(prefix: str, value: str) -> str:
    """The message for `prefix.value`, or the raw value when none is registered (an action
    or slip kind added later still shows, by its name)."""
    key = f"{prefix}.{value}"
    text = t(key)
    return value if text == key else text


@frozen
class _Queued:
    """A new copy stored by a request: `ask` sends it from the same worker, at once."""

    print_job: int


def _amount(vnd: int) -> str:
    return t("dossier.screen.amount", amount=format_vnd(vnd))


def _yes_no(flag: bool) -> str:
    return t("dossier.screen.yes") if flag else t("dossier.screen.no")


def facts(d: DossierView, full_id: str | None = None) -> list[tuple[str, str]]:
    """(label, value) lines of a dossier, the ones that apply to its channel; `full_id`: the
    ID number asked for in full (I), else it is masked."""
    rows: list[tuple[str, str]] = [
        ("procedure", f"{d.procedure_name} [{d.procedure_code}]"),
        ("field", d.field),
        ("channel", channel_label(d.channel)),
        ("level", d.level),
        ("status", status_label(d.status)),
        ("received", _when(d.received_at)),
        ("due", _when(d.due_at)),
    ]
    if d.original_due_at and d.original_due_at != d.due_at:
        rows.append(("original_due", _when(d.original_due_at)))
    rows += lifecycle_rows(d)
    finished = "resolved" if d.status in (9, 10) else "finished"  # refused, withdrawn, stopped
    for key, at in (("paused", d.paused_at), (finished, d.resolved_at),
                    ("returned", d.returned_at)):
        if at:
            rows.append((key, _when(at)))
    rows.append(("officer", t("dossier.screen.officer_at", officer=d.officer,
                              counter=d.counter if d.counter is not None else "-")))
    rows += [
        ("applicant", d.applicant_name),
        ("id_number", f"{full_id or d.id_number_masked} ({d.id_kind.upper()})"
         if d.id_number_masked else ""),
        ("phone", d.phone),
        ("address", d.address),
        ("email", d.email),
        ("representative", d.representative),
        ("sets", str(d.sets)),
        ("fee", _amount(d.fee_vnd)),
        ("return", t("dossier.screen.return.post", address=d.delivery_address)
         if d.return_method == "post" else t("dossier.screen.return.counter")),
    ]
    if d.channel == "post" or d.post_option:
        rows += [
            ("post_option", t(f"intake.post_option.{d.post_option}") if d.post_option else ""),
            ("waybill", d.waybill),
            ("postal_charge", _amount(d.postal_charge_vnd)),
        ]
    if d.channel == "online":
        rows += [
            ("portal_code", d.portal_code),
            ("vneid", _yes_no(d.vneid)),
            ("paid_online", _yes_no(d.paid_online)),
        ]
    if d.rating is not None:
        rows.append(("rating", str(d.rating)))
    rows.append(("note", d.note))
    return [(t(f"dossier.screen.{key}"), value) for key, value in rows if value]


class DossierScreen(LifecycleActions):
    """A dossier by code; its status keys come from LifecycleActions."""

    NEEDS = {"reprint": Action.DOSSIER_STEP, "scan": Action.DOSSIER_DIGITISE}

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("escape", "back", "dossier.screen.back", "dossier_back", display="Esc"),
        bind("r", "reprint", "dossier.screen.reprint", "reprint_receipt", display="R"),
        bind("a", "print_form", "dossier.screen.print_form", "print_form", display="A",
             help="dossier.screen.print_form_help"),
        bind("f5", "reload", "dossier.screen.reload", "reload_dossier"),
        bind("i", "show_id", "dossier.screen.show_id", "show_id_number", display="I"),
        bind("s", "scan", "dossier.screen.scan", "scan_documents", display="S",
             help="dossier.screen.scan_help"),
        *LIFECYCLE_BINDINGS,
    ]

    def __init__(self, code: str) -> None:
        super().__init__(id="dossier")
        self.code = code
        self.dossier: DossierView | None = None
        self.full_id: str | None = None  # the ID number asked for in full (I), until reloaded

    def compose(self) -> ComposeResult:
        yield Static(t("dossier.screen.loading", code=self.code), id="dossier-title")
        receipt = Static("", id="dossier-receipt")
        receipt.display = False
        yield receipt
        with VerticalScroll(id="dossier-body"):
            yield Static("", id="dossier-facts")
            yield Msg("dossier.screen.section.documents", classes="section")
            yield DataTable(id="dossier-documents", cursor_type="none", zebra_stripes=True)
            yield Msg("dossier.screen.section.files", classes="section")
            yield DataTable(id="dossier-files", cursor_type="none", zebra_stripes=True)
            yield Msg("dossier.screen.section.events", classes="section")
            yield DataTable(id="dossier-events", cursor_type="none", zebra_stripes=True)
            yield Msg("dossier.screen.section.prints", classes="section")
            yield DataTable(id="dossier-prints", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        def columns(selector: str, *keys: str) -> None:
            self.columns(self.query_one(selector, DataTable),
                         *(f"dossier.screen.col.{k}" for k in keys))

        columns("#dossier-documents", "document", "originals", "copies")
        columns("#dossier-files", "document", "stage", "pages", "size", "by", "at")
        columns("#dossier-events", "at", "action", "status", "officer", "counter", "note")
        columns("#dossier-prints", "job", "kind", "created", "state", "attempts", "error")
        self.query_one("#dossier-body").focus()
        self.reload(hold_keys=True)  # its status decides which keys work: they wait for it

    @on(Refresh)
    def _printed(self, _: Refresh) -> None:
        """The spooler finished something: reload while a receipt of ours is on its way."""
        if self.dossier and any(j.state in ("queued", "sending")
                                for j in self.dossier.print_jobs):
            self.reload()

    def reload(self, *, hold_keys: bool = False) -> None:
        code = self.code
        self.ask(lambda store: services.dossiers.show(store, code), on_done=self.show,
                 group="dossier", hold_keys=hold_keys)

    def relabel_data(self) -> None:
        if self.dossier is not None:
            self.show(self.dossier, keep_id=True)

    def show(self, d: DossierView, *, keep_id: bool = False) -> None:
        if not keep_id:
            self.full_id = None
        self.dossier = d
        self.code = d.code
        self.query_one("#dossier-title", Static).update(
            f"{d.code} · {status_label(d.status)} · {d.applicant_name}")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column()
        for label, value in facts(d, self.full_id):
            grid.add_row(label, Text(value))
        self.query_one("#dossier-facts", Static).update(grid)

        docs = self.query_one("#dossier-documents", DataTable)
        docs.clear()
        for doc in d.documents:
            docs.add_row(doc.name, doc.originals, doc.copies)
        files = self.query_one("#dossier-files", DataTable)
        files.clear()
        for f in d.files:
            files.add_row(f.document, t(f"dossier.screen.stage.{f.stage}"), f.pages,
                          t("dossier.screen.purged") if f.purged else size_text(f.bytes),
                          f.officer, _when(f.at))
        events = self.query_one("#dossier-events", DataTable)
        events.clear()
        for e in d.events:
            moved = status_label(e.to_status) if e.to_status is not None else ""
            if e.from_status is not None:
                moved = f"{status_label(e.from_status)} → {moved}"
            events.add_row(_when(e.at), _label("dossier.screen.action", e.action), moved,
                           e.officer or "", e.counter if e.counter is not None else "", e.note)
        prints = self.query_one("#dossier-prints", DataTable)
        keep = prints.cursor_row
        prints.clear()
        for j in d.print_jobs:
            state = services.printjobs.state_label(j)
            prints.add_row(j.id, services.printjobs.kind_label(j), _when(j.created_at),
                           Text(state, style="bold red" if j.state in NEEDS_OFFICER else ""),
                           j.attempts, j.error, key=str(j.id))
        if d.print_jobs:
            prints.move_cursor(row=min(keep, len(d.print_jobs) - 1))
        self._show_receipt(d)
        self.refresh_bindings()

    def receipt_job(self) -> PrintJobView | None:
        """The dossier's latest receipt: the one that says whether the citizen holds one."""
        d = self.dossier
        receipts = [j for j in d.print_jobs if j.kind == RECEIPT] if d else []
        return max(receipts, key=lambda j: j.id, default=None)

    def _show_receipt(self, d: DossierView) -> None:
        """A receipt that is not surely on paper is said above everything, with what to do."""
        from counter_tui.ui.screens.print_problem import receipt_notice

        job = self.receipt_job()
        problem = receipt_notice(job.state, job.error) if job else None
        line = self.query_one("#dossier-receipt", Static)
        line.update(Text(problem or "", style="bold red"))
        line.display = bool(problem)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.role_allows(action):
            return False
        if action.startswith("lc_"):
            if not self.capp.can(Action.DOSSIER_STEP):
                return False
            return self.lifecycle_check(action)
        if action in ("reprint", "scan"):
            return True if self.dossier is not None else None
        if action == "show_id":
            return True if self.dossier is not None and self.dossier.id_number_masked else None
        return True

    def action_back(self) -> None:
        self.dismiss(None)

    def action_reload(self) -> None:
        self.reload()

    def action_show_id(self) -> None:
        if self.dossier is None or not self.dossier.id_number_masked:
            return
        code = self.dossier.code

        def shown(number: str) -> None:
            if self.dossier is not None and self.dossier.code == code:
                self.full_id = number or None
                self.show(self.dossier, keep_id=True)

        self.ask(lambda store: services.dossiers.reveal_id(store, code), on_done=shown)

    def action_scan(self) -> None:
        """S: scan the dossier's documents one after the other (ui/screens/scan.py)."""
        from counter_tui.ui.screens.scan import ScanDialog

        if self.dossier is None:
            return

        def closed(kept: bool | None) -> None:
            if kept:
                self.reload()

        self.app.push_screen(ScanDialog(self.dossier.code), closed)

    def action_reprint(self) -> None:
        """R: the receipt, now. One that did not print (or may not have) is sent again, not
        doubled; one that printed gets a new copy. Either goes at once, whatever back-off
        the printer is in: the officer has just fixed it, or the citizen asks for a copy."""
        from counter_tui.ui.screens.print_problem import reprint_now

        if self.dossier is None:
            return
        code, app = self.dossier.code, self.capp
        job = self.receipt_job()

        def queued(_: object) -> None:
            self.notify(t("dossier.screen.reprinted", code=code))
            self.reload()

        if job is not None and job.state in REPRINTABLE:
            job_id = job.id
            self.ask(lambda store: reprint_now(app, store, job_id), on_done=queued)
        else:
            self.ask(lambda store: _Queued(services.intake.reprint(store, code)),
                     on_done=queued)

    def action_print_form(self) -> None:
        """A: one of the dossier's legal forms (the receipt first, for both sides to sign) on
        the office printer ([forms]); it travels the print queue, so a failure shows under
        "Phiếu in"."""
        from counter_tui.core.legal_forms import Form, forms_of
        from counter_tui.ui.screens.form_choice import FormChoiceScreen

        if self.dossier is None:
            return
        code = self.dossier.code

        def chosen(form: Form | None) -> None:
            if form is None:
                return

            def queued(_: object) -> None:
                self.notify(t("dossier.screen.form_queued", code=code, form=form.label))
                self.reload()

            self.ask(lambda store: _Queued(services.legal_forms.print_form(store, code, form)),
                     on_done=queued)

        self.app.push_screen(FormChoiceScreen(forms_of(self.dossier)), chosen)

    @on(DataTable.RowSelected, "#dossier-prints")
    def _print_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a slip that did not print, or may have: the officer's choices for it."""
        from counter_tui.ui.screens.print_problem import decide

        key = event.row_key.value
        job = next((j for j in (self.dossier.print_jobs if self.dossier else ())
                    if str(j.id) == key), None)
        if job is not None and job.state in NEEDS_OFFICER:
            decide(self, job, after=self.reload)
