"""F4: receive a dossier at the counter, keyboard only, in under a minute.

The form follows the paper: the procedure (typed by name without diacritics, or by code), the
channel with its postal or online details, the applicant, the documents checked against the
procedure's list, the sets, fee and note. The fields are declared below and run by the form
machine (ui.forms): each is checked by its core validator as the officer leaves it; saving
checks the whole draft in the service, which lists every problem at once, each shown beside
its field (the fields are declared in intake_fields). Nothing typed is lost when saving
fails: the form only closes once the dossier is stored, and Esc asks before throwing a filled
form away.

What is the intake's own: the procedure search (matches ranked by core.intake), the documents
checklist the chosen procedure brings, and the channel that shows its postal or online fields.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from counter_tui.core import validation as v
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import language, t
from counter_tui.core.intake import CHANNELS, DossierDraft, IntakeErrors, rank_procedures
from counter_tui.core.text import clean
from counter_tui.core.views import PrintStatus, ReceivedDossier
from counter_tui.ui import services
from counter_tui.ui.base import BaseScreen, bind
from counter_tui.ui.forms import Form, rows, say
from counter_tui.ui.screens.intake_fields import (
    ONLINE_LEVELS,
    applicant_fields,
    channel_fields,
    online_fields,
    other_fields,
    post_fields,
)
from counter_tui.ui.screens.intake_parts import (
    ConfirmDiscard,
    DocumentItem,
    Matches,
    ProcedureInput,
    procedure_terms,
)
from counter_tui.ui.widgets.keybar import KeyBar
from counter_tui.ui.widgets.text import Msg

if TYPE_CHECKING:
    from counter_tui.core.views import ProcedureView

DATETIME = "%H:%M %d/%m/%Y"


# --- the screen ------------------------------------------------------------------------------


class IntakeScreen(BaseScreen[ReceivedDossier | None]):
    """The intake form; dismissed with the received dossier, or None when abandoned."""

    BINDINGS = [
        bind("f10,ctrl+s", "save", "intake.form.save", "save_dossier", display="F10",
             priority=True),
        bind("f9", "save_scan", "intake.form.save_scan", "save_and_scan", display="F9",
             help="intake.form.save_scan_help", priority=True),
        bind("ctrl+n", "add_document", "intake.form.add_document", "add_document",
             display="^N"),
        bind("escape", "back", "intake.form.cancel", "intake_back", display="Esc"),
    ]

    SEARCH_DELAY = 0.25

    def __init__(self, ticket_id: int | None = None, ticket_code: str | None = None) -> None:
        super().__init__()
        self.language = language()  # of its labels (a form built ahead may be shown later)
        self.ticket_id = ticket_id
        self.ticket_code = ticket_code
        self.procedure: ProcedureView | None = None
        self.matches: list[ProcedureView] = []
        self._search_timer: Timer | None = None
        self._searched = ""
        self._pick_when_found = False
        self._taking = ""  # the code of the procedure just taken, while its terms load
        self._due: datetime | None = None
        self._auto_fee: str | None = None
        self._saving = False
        self.scan_after = False  # F9: the scanning dialog opens once the dossier is saved

    # --- layout ------------------------------------------------------------------------------

    def for_ticket(self, ticket_id: int | None, ticket_code: str | None) -> IntakeScreen:
        """The ticket being served when F4 was pressed (a form made ahead has none yet)."""
        self.ticket_id, self.ticket_code = ticket_id, ticket_code
        for title in self.query("#intake-title").results(Msg):  # none before it is composed
            title.key, title.params = self._title()
            title.relabel()
        return self

    def _title(self) -> tuple[str, dict[str, object]]:
        if self.ticket_code:
            return "intake.form.for_ticket", {"code": self.ticket_code}
        return "intake.form.title", {}

    def compose(self) -> ComposeResult:
        yield Msg(*self._title(), id="intake-title")
        with Form(id="intake-form", enter="next", precheck=False):
            yield Msg("intake.form.section.procedure", classes="section")
            with Vertical(id="field-procedure", classes="field"):
                with Horizontal(classes="field-row"):
                    yield Msg("intake.form.procedure", classes="field-label")
                    yield ProcedureInput(placeholder=t("intake.form.procedure_hint"),
                                         id="f-procedure", compact=True)
                yield Static("", id="m-procedure", classes="field-msg")
            yield Matches(id="procedure-matches")
            yield Static("", id="procedure-info")
            yield from rows(channel_fields(), inline=True, compact=True)
            yield Vertical(*rows(post_fields(), inline=True, compact=True), id="post-fields",
                           classes="channel-fields")
            yield Vertical(*rows(online_fields(), inline=True, compact=True),
                           id="online-fields", classes="channel-fields")

            yield Msg("intake.form.section.applicant", classes="section")
            yield from rows(applicant_fields(), inline=True, compact=True)

            yield Msg("intake.form.section.documents", classes="section")
            with Horizontal(classes="doc-row doc-head"):
                yield Msg("intake.form.doc_name", classes="doc-name")
                yield Msg("intake.form.originals", classes="doc-count")
                yield Msg("intake.form.copies", classes="doc-count")
            yield Vertical(Msg("intake.form.no_procedure_docs", classes="hint-inline"),
                           id="documents")
            yield Static("", id="m-documents", classes="field-msg")
            yield Button(t("intake.form.add_document_button"), id="add-document", compact=True)

            yield Msg("intake.form.section.other", classes="section")
            yield from rows(other_fields(), inline=True, compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.form.locate = self._locate
        self.query_one("#procedure-matches").display = False
        self._show_channel(CHANNELS[0])
        self.set_focus(self._input("procedure"))

    # --- small accessors ---------------------------------------------------------------------

    @property
    def form(self) -> Form:
        return self.query_one("#intake-form", Form)

    def _input(self, name: str) -> Input:
        return self.query_one(f"#f-{name}", Input)

    def _value(self, name: str) -> str:
        return self._input(name).value

    @property
    def channel(self) -> str:
        return str(self.form.value("channel") or CHANNELS[0])

    @property
    def documents(self) -> list[DocumentItem]:
        return list(self.query_one("#documents").query_children(DocumentItem))

    # --- procedure picker --------------------------------------------------------------------

    @on(Input.Changed, "#f-procedure")
    def _procedure_typed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self.cancel_asks("search")  # what was asked is not what the box holds now
        if not clean(event.value):
            self._show_matches([], "")
            return
        self._search_timer = self.set_timer(self.SEARCH_DELAY, self._search)

    def _search(self) -> None:
        """Search the catalogue for what the box holds. After an Enter (`_pick_when_found`)
        the keys typed next wait for the answer: they belong to the fields after the
        procedure, not to the search box."""
        self._search_timer = None
        text = self._value("procedure")
        if not clean(text):
            self._pick_when_found = False
            return
        self.ask(lambda store: services.catalogue.search(store, text),
                 on_done=lambda found: self._found(text, found), group="search",
                 hold_keys=self._pick_when_found)

    def _found(self, text: str, found: list[ProcedureView]) -> None:
        self._show_matches(rank_procedures(found, text), text)
        if self._pick_when_found:
            self._pick_when_found = False
            if self.matches:
                self._pick(self.matches[0])
                self._to_applicant()

    def _to_applicant(self) -> None:
        """A procedure taken: the applicant's name is next (the channel is walk-in for most
        visitors; Shift+Tab goes back to it)."""
        self.set_focus(self._input("applicant_name"))

    def _show_matches(self, found: list[ProcedureView], text: str) -> None:
        self.matches = found
        self._searched = text
        box = self.query_one("#procedure-matches", Matches)
        box.clear_options()
        box.display = bool(text)
        if not text:
            return
        if not found:
            box.add_option(Option(t("intake.form.no_match", text=clean(text)), disabled=True))
            return
        box.add_options(Option(Text.assemble((p.name, "bold"), f"  [{p.code}]\n",
                                             (procedure_terms(p), "dim")), id=p.code)
                        for p in found)
        box.highlighted = 0

    def _matches_current(self) -> bool:
        """The matches shown are for what the box holds now (not a search still coming)."""
        return self._searched == self._value("procedure") and self._search_timer is None

    def _is_chosen_name(self, text: str) -> bool:
        return self.procedure is not None and text == self.procedure.name

    def action_procedure_move(self, step: int) -> None:
        box = self.query_one("#procedure-matches", Matches)
        text = self._value("procedure")
        if clean(text) and not self._is_chosen_name(text) and not self._matches_current():
            return  # the matches for what was just typed are on their way
        if not box.display or not self.matches:
            (self.focus_next if step > 0 else self.focus_previous)()
            return
        if step > 0:
            box.action_cursor_down()
        else:
            box.action_cursor_up()

    @on(OptionList.OptionSelected, "#procedure-matches")
    def _match_clicked(self, event: OptionList.OptionSelected) -> None:
        chosen = next((p for p in self.matches if p.code == event.option.id), None)
        if chosen is not None:
            self._pick(chosen)
            self._to_applicant()

    @on(Input.Submitted, "#f-procedure")
    def _procedure_enter(self, event: Input.Submitted) -> None:
        event.stop()
        box = self.query_one("#procedure-matches", Matches)
        text = self._value("procedure")
        if clean(text) and not self._is_chosen_name(text) and not self._matches_current():
            # Enter before the matches of what was typed are in: search now, take the best
            if self._search_timer is not None:
                self._search_timer.stop()
                self._search_timer = None
            self._pick_when_found = True
            self._search()
            return
        if box.display and self.matches:
            index = box.highlighted if box.highlighted is not None else 0
            self._pick(self.matches[index])
            self._to_applicant()
        else:
            self.focus_next()

    def _pick(self, p: ProcedureView) -> None:
        self.query_one("#procedure-matches", Matches).display = False
        self._taking = p.code
        self._due = None
        procedure_input = self._input("procedure")
        with procedure_input.prevent(Input.Changed):
            procedure_input.value = p.name
        say(self.query_one("#m-procedure", Static), "")
        code = p.code
        # its checklist decides where Tab goes after the applicant: keys wait for it
        self.ask(lambda store: services.catalogue.get(store, code),
                 on_done=self._procedure_loaded, group="procedure", hold_keys=True)
        self.ask(lambda store: services.intake.preview_due(store, code), on_done=self._show_due,
                 group="due")

    async def _procedure_loaded(self, p: ProcedureView | None) -> None:
        if p is None:
            return
        self.procedure = p
        self._show_procedure_info()
        extras = [d.line() for d in self.documents if d.fixed_name is None]
        box = self.query_one("#documents", Vertical)
        await box.remove_children()
        await box.mount_all(
            [DocumentItem(doc.name, *doc.starting()) for doc in p.documents]
            + [DocumentItem(None, x.originals, x.copies, extra=x.name) for x in extras])
        self._update_fee()
        level = self.query_one("#f-level", RadioSet)
        if p.level in ONLINE_LEVELS and level.pressed_index < 0:
            list(level.query(RadioButton))[ONLINE_LEVELS.index(p.level)].value = True

    def _show_due(self, due: datetime) -> None:
        self._due = due
        self._show_procedure_info()

    def relabel_data(self) -> None:
        self.query_one("#add-document", Button).label = t("intake.form.add_document_button")
        self._input("procedure").placeholder = t("intake.form.procedure_hint")
        self._show_procedure_info()
        if self.matches:
            self._show_matches(self.matches, self._searched)

    def _show_procedure_info(self) -> None:
        p = self.procedure
        if p is None or p.code != self._taking:
            return  # the terms of the procedure just taken are still loading
        lines = Text.assemble((t("intake.form.chosen", name=p.name, code=p.code), "bold"),
                              "\n", procedure_terms(p))
        if self._due is not None:
            lines.append("\n" + t("intake.form.due", due=self._due.strftime(DATETIME)), "bold")
        self.query_one("#procedure-info", Static).update(lines)

    @on(Input.Blurred, "#f-procedure")
    def _left_procedure(self, event: Input.Blurred) -> None:
        """Leaving the search without taking a match: the chosen procedure stays, and its name
        comes back, so the form never shows one procedure while it would store another."""
        if self._pick_when_found:
            return  # Enter was pressed before the search ran: the best match is on its way
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        self.cancel_asks("search")
        self.query_one("#procedure-matches", Matches).display = False
        self.matches, self._searched = [], ""
        if self.procedure is not None and self.procedure.code != self._taking:
            return  # a match was just taken: its name is in the box, its terms are loading
        box = event.input
        if self.procedure is not None and box.value != self.procedure.name:
            with box.prevent(Input.Changed):
                box.value = self.procedure.name

    # --- channel -----------------------------------------------------------------------------

    @on(RadioSet.Changed, "#f-channel")
    def _channel_changed(self, event: RadioSet.Changed) -> None:
        self._show_channel(self.channel)
        self._update_fee()

    def _show_channel(self, channel: str) -> None:
        self.query_one("#post-fields").display = channel == "post"
        self.query_one("#online-fields").display = channel == "online"

    def _update_fee(self) -> None:
        """Fill the fee from the procedure, unless the officer typed one of their own."""
        p = self.procedure
        if p is None:
            return
        fee = self._input("fee")
        amount = p.fee_online_vnd if self.channel == "online" else p.fee_vnd
        if fee.value in ("", self._auto_fee):
            self._auto_fee = v.format_vnd(amount)
            fee.value = self._auto_fee

    # --- documents ---------------------------------------------------------------------------

    def action_add_document(self) -> None:
        item = DocumentItem(None, 1, 0)
        box = self.query_one("#documents", Vertical)
        for hint in box.query(".hint-inline"):
            hint.remove()
        box.mount(item)
        self.call_after_refresh(self._focus_new, item)

    def _focus_new(self, item: DocumentItem) -> None:
        if item.name_input is not None:
            self.set_focus(item.name_input)

    @on(Button.Pressed, "#add-document")
    def _add_pressed(self) -> None:
        self.action_add_document()

    def _document_of(self, widget: Widget) -> DocumentItem | None:
        return next((d for d in self.documents if widget in d.inputs), None)

    def _check_document(self, item: DocumentItem) -> str:
        try:
            originals = v.validate_count(item.originals.value or 0)
            copies = v.validate_count(item.copies.value or 0)
        except UserError as exc:
            return str(exc)
        if item.name_input is not None and not clean(item.doc_name) and (originals or copies) \
                and self.focused not in item.inputs:
            return t("intake.documents.name")
        return ""

    @on(Input.Blurred, ".doc-item Input")
    def _left_document(self, event: Input.Blurred) -> None:
        item = self._document_of(event.input)
        if item is not None:
            say(item.msg, self._check_document(item))

    @on(Input.Changed, ".doc-item Input")
    def _document_typed(self, event: Input.Changed) -> None:
        item = self._document_of(event.input)
        if item is not None and item.msg.has_class("-error"):
            say(item.msg, self._check_document(item))

    def _locate(self, name: str) -> tuple[Static | None, Widget | None] | None:
        """Where the form shows a refusal about the documents."""
        items = self.documents
        if name.startswith("documents.") and name.count(".") == 2:
            _, index, part = name.split(".")
            item = items[int(index)] if int(index) < len(items) else None
            if item is None:
                return None
            return item.msg, {"originals": item.originals, "copies": item.copies,
                              "name": item.name_input}.get(part)
        if name == "documents":
            return (self.query_one("#m-documents", Static),
                    items[0].originals if items else self.query_one("#add-document"))
        if name == "procedure":
            return self.query_one("#m-procedure", Static), self._input("procedure")
        return None

    # --- save --------------------------------------------------------------------------------

    def draft(self) -> DossierDraft:
        """What the form holds now, as raw text: the service checks it."""
        values = self.form.values()
        post, level = values["post_option"], values["level"]
        return DossierDraft(
            channel=self.channel,
            procedure_code=self.procedure.code if self.procedure else self._value("procedure"),
            applicant_name=values["applicant_name"], id_number=values["id_number"],
            phone=values["phone"], address=values["address"], email=values["email"],
            representative=values["representative"],
            representative_id=values["representative_id"],
            documents=[d.line() for d in self.documents],
            sets=values["sets"], fee=values["fee"] or None, note=values["note"],
            post_option=int(post) if post else None,
            waybill=values["waybill"], postal_charge=values["postal_charge"] or 0,
            delivery_address=values["delivery_address"], portal_code=values["portal_code"],
            level=level, vneid=bool(values["vneid"]), paid_online=bool(values["paid_online"]),
            ticket_id=self.ticket_id,
        )

    def action_save_scan(self) -> None:
        """F9: save, then scan the documents just received. Not during the form: the pages
        belong to a dossier, which has no code (and may be refused) until it is saved."""
        self.scan_after = True
        self.action_save()

    def action_save(self) -> None:
        if self._saving:
            self.notify(t("intake.form.busy"), severity="warning")
            return
        self.form.submit()

    @on(Form.Submitted)
    def _submitted(self, event: Form.Submitted) -> None:
        event.stop()
        if self._saving:
            return
        self._saving = True
        draft = self.draft()
        self.ask(lambda store: services.intake.receive(store, draft), on_done=self._saved,
                 on_refused=self._refused, on_failed=self._unlock, hold_keys=True)

    def _unlock(self) -> None:
        self._saving = self.scan_after = False

    def _refused(self, error: UserError) -> None:
        self._saving = self.scan_after = False
        if isinstance(error, IntakeErrors):
            self.show_errors(error)
        else:
            self.refused(error)

    def _saved(self, received: ReceivedDossier) -> None:
        """Stored, and its receipt sent from the same worker: ask what became of the receipt,
        so the officer learns at once (not from a list later) when it is not on paper. The
        form stays locked, and keys typed meanwhile wait, until that is said."""
        job = received.print_job
        self.ask(lambda store: services.printjobs.print_status(store, job),
                 on_done=lambda status: self._told(received, status),
                 on_refused=lambda _: self._told(received, None),
                 on_failed=lambda: self._told(received, None), hold_keys=True)

    def _told(self, received: ReceivedDossier, status: PrintStatus | None) -> None:
        from counter_tui.ui.screens.print_problem import receipt_notice

        self._saving = False
        d = received.dossier
        due = d.due_at.strftime(DATETIME) if d.due_at else "-"
        self.app.clear_notifications()  # the refusals of earlier tries no longer apply
        self.notify(t("intake.form.received", code=d.code, due=due), timeout=15)
        problem = receipt_notice(status.state, status.error) if status else None
        told = self.capp.problems_told
        if problem and received.print_job not in told:  # (a failure is told by the spooler)
            told.add(received.print_job)
            self.notify(t("intake.form.receipt_problem", code=d.code, problem=problem),
                        severity="error", timeout=20)
        self.dismiss(received)
        if self.scan_after:
            from counter_tui.ui.screens.scan import ScanDialog

            self.app.push_screen(ScanDialog(d.code))

    def show_errors(self, errors: IntakeErrors) -> None:
        """Every problem next to its field; focus on the first one in the form."""
        for error in self.form.show_errors(errors.errors):
            self.notify(str(error), severity="error")
        self.notify(str(errors), severity="error", timeout=8)

    # --- leaving -----------------------------------------------------------------------------

    def is_dirty(self) -> bool:
        if self.procedure is not None or clean(self._value("procedure")):
            return True
        if any(r.field.kind == "text" and r.field.name not in ("sets", "fee")
               and clean(self.form.value(r.field.name)) for r in self.form.rows):
            return True
        return any(d.fixed_name is None and clean(d.doc_name) for d in self.documents)

    def action_back(self) -> None:
        box = self.query_one("#procedure-matches", Matches)
        if box.display:
            box.display = False
            return
        if self._saving:
            self.notify(t("intake.form.busy"), severity="warning")
            return
        if not self.is_dirty():
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDiscard(), answered)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save", "save_scan") and self._saving:
            return None
        return True
