"""Which legal form of a dossier goes to the office printer (A on the dossier screen).

A dossier can be printed as several of the forms of Thông tư 01/2018 (the receipt, the request
for supplements, the refusal, the apology, the control sheet) and an officer reprints whichever
was lost or spoiled, so A asks which. The forms offered are only those the dossier's steps can
fill (core.legal_forms.forms_of); the form's own number is its key, so "A 1" is the receipt
at typing speed, and Enter takes the highlighted one (the receipt first).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Key
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from counter_tui.core.legal_forms import Form
from counter_tui.ui.base import BaseModal, bind
from counter_tui.ui.widgets.text import Msg


class FormChoiceScreen(BaseModal[Form | None]):
    BINDINGS = [bind("escape", "cancel", "ui.close", "close_form_choice")]

    def __init__(self, forms: Sequence[Form]) -> None:
        super().__init__(id="form-choice")
        self.forms = tuple(forms)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Msg("form_choice.title", classes="box-title")
            yield OptionList(*(Option(f"{int(form.value)}  {form.label}", id=form.value)
                               for form in self.forms), id="form-list")
            yield Msg("form_choice.hint", classes="hint")

    def on_key(self, event: Key) -> None:
        """A form's number chooses it at once; numbers of forms not offered do nothing."""
        if event.character and event.character.isdigit():
            event.stop()
            chosen = next((f for f in self.forms if int(f.value) == int(event.character)), None)
            if chosen is not None:
                self.dismiss(chosen)

    @on(OptionList.OptionSelected, "#form-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(Form(str(event.option.id)))

    def action_cancel(self) -> None:
        self.dismiss(None)
