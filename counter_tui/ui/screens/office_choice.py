"""O on the supervisor board: whose day it shows.

On a district's centre the store holds every office that syncs to it (issue: a district ranks
its communes), so its supervisor looks at one commune's day, or at all of them added up, from
the same board. The terminal's own office comes first; Enter takes the highlighted line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from counter_tui.core.i18n import t
from counter_tui.ui import services
from counter_tui.ui.base import BaseModal, bind
from counter_tui.ui.widgets.text import Msg

if TYPE_CHECKING:
    from counter_tui.services.reports import OfficeChoice


class OfficeChoiceScreen(BaseModal[str | None]):
    """Dismissed with the chosen office's code, reports.ALL_OFFICES, or None (Esc)."""

    BINDINGS = [bind("escape", "cancel", "ui.close", "close_office_choice")]

    def __init__(self, offices: Sequence[OfficeChoice], shown: str | None) -> None:
        super().__init__(id="office-choice")
        self.offices = tuple(offices)
        self.shown = shown

    def compose(self) -> ComposeResult:
        lines = [Option(f"{o.name}  ({o.code})" + (f"  · {t('office_choice.own')}"
                                                    if o.own else ""), id=o.code)
                 for o in self.offices]
        lines.append(Option(t("report.all_offices"), id=services.reports.ALL_OFFICES))
        with Vertical(classes="dialog"):
            yield Msg("office_choice.title", classes="box-title")
            yield OptionList(*lines, id="office-list")
            yield Msg("office_choice.hint", classes="hint")

    def on_mount(self) -> None:
        found = self.query_one("#office-list", OptionList)
        ids = [o.code for o in self.offices] + [services.reports.ALL_OFFICES]
        found.highlighted = ids.index(self.shown) if self.shown in ids else 0
        found.focus()

    @on(OptionList.OptionSelected, "#office-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
