"""The pieces of the intake form (F4) that are its own: the procedure search box and the list
of matches under it, a procedure's terms in one line, a line of the documents checklist, and
the question before a filled form is thrown away."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, OptionList, Static

from counter_tui.core.i18n import t
from counter_tui.core.intake import DocumentLine
from counter_tui.core.validation import format_vnd
from counter_tui.core.views import ProcedureView
from counter_tui.ui.base import BaseModal, bind
from counter_tui.ui.widgets.text import Msg


def procedure_time(p: ProcedureView) -> str:
    if p.processing_days:
        return t("intake.form.days", n=p.processing_days)
    if p.same_day_cutoff:
        return t("intake.form.same_day_cutoff", cutoff=p.same_day_cutoff.strftime("%H:%M"))
    return t("intake.form.same_day")


def procedure_fee(p: ProcedureView) -> str:
    if not p.fee_vnd and not p.fee_online_vnd:
        return t("intake.form.free")
    if p.fee_online_vnd != p.fee_vnd:
        return t("intake.form.fee_online", amount=format_vnd(p.fee_vnd),
                 online=format_vnd(p.fee_online_vnd))
    return t("intake.form.fee", amount=format_vnd(p.fee_vnd))


def procedure_terms(p: ProcedureView) -> str:
    return t("intake.form.terms", field=p.field, level=p.level, time=procedure_time(p),
             fee=procedure_fee(p))


class ProcedureInput(Input):
    """The procedure search box: ↑/↓ move through the matches listed under it."""

    BINDINGS = [
        Binding("down", "screen.procedure_move(1)", show=False),
        Binding("up", "screen.procedure_move(-1)", show=False),
    ]


class Matches(OptionList, can_focus=False):
    """The procedures matching what was typed; driven from the search box, never focused."""


class DocumentItem(Vertical):
    """One line of the checklist: the document, originals, copies, and its message. Enter in
    any of its boxes moves on, as in the form's fields."""

    def __init__(self, name: str | None, originals: int | str = 1, copies: int | str = 0, *,
                 extra: str = "") -> None:
        super().__init__(classes="doc-item")
        self.fixed_name = name
        self.name_input = None if name is not None else Input(
            extra, placeholder=t("intake.form.extra_placeholder"), compact=True,
            classes="doc-name -enter-next")
        self.originals = Input(str(originals), compact=True, restrict=r"[0-9]*", max_length=2,
                               classes="doc-count -enter-next")
        self.copies = Input(str(copies), compact=True, restrict=r"[0-9]*", max_length=2,
                            classes="doc-count -enter-next")
        self.msg = Static("", classes="field-msg")

    def compose(self) -> ComposeResult:
        with Horizontal(classes="doc-row"):
            if self.name_input is not None:
                yield self.name_input
            else:
                yield Label(self.fixed_name or "", classes="doc-name")
            yield self.originals
            yield self.copies
        yield self.msg

    @property
    def inputs(self) -> tuple[Input, ...]:
        return tuple(i for i in (self.name_input, self.originals, self.copies) if i is not None)

    @property
    def doc_name(self) -> str:
        return self.name_input.value if self.name_input is not None else self.fixed_name or ""

    def line(self) -> DocumentLine:
        return DocumentLine(self.doc_name, self.originals.value.strip(),
                            self.copies.value.strip())


class ConfirmDiscard(BaseModal[bool]):
    """Esc on a filled form: really throw it away?"""

    BINDINGS = [
        bind("enter,y,c", "answer(True)", "intake.form.discard", "discard_yes"),
        bind("escape,n,k", "answer(False)", "intake.form.keep", "discard_no"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Msg("intake.form.discard_title", classes="box-title")
            yield Msg("intake.form.discard_body", classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
