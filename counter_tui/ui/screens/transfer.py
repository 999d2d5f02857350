"""T: send the ticket being served to another group's queue or to one counter."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from counter_tui.config import Config
from counter_tui.core.i18n import messages, t
from counter_tui.ui.base import BaseModal, bind

messages({
    "transfer.title": ("Chuyển số đang phục vụ", "Transfer the current ticket"),
    "transfer.group": ("Sang nhóm {letter} — {name}", "To group {letter} — {name}"),
    "transfer.counter": ("Sang {name}", "To {name}"),
    "transfer.hint": ("Enter chọn · Esc hủy", "Enter chooses · Esc cancels"),
})


class TransferScreen(BaseModal[tuple[str | None, int | None] | None]):
    BINDINGS = [bind("escape", "cancel", "ui.cancel", "cancel_transfer")]

    def __init__(self, cfg: Config) -> None:
        super().__init__(id="transfer")
        self.cfg = cfg

    def compose(self) -> ComposeResult:
        here = self.cfg.terminal.counter
        options = [Option(t("transfer.group", letter=g.letter, name=g.name), id=f"g:{g.letter}")
                   for g in self.cfg.groups]
        options += [Option(t("transfer.counter", name=c.name), id=f"c:{c.number}")
                    for c in self.cfg.counters if c.number != here]
        with Vertical(classes="dialog"):
            yield Label(t("transfer.title"), classes="box-title")
            yield OptionList(*options, id="targets")
            yield Static(t("transfer.hint"), classes="hint")

    @on(OptionList.OptionSelected, "#targets")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        kind, value = str(event.option.id).split(":", 1)
        self.dismiss((value, None) if kind == "g" else (None, int(value)))

    def action_cancel(self) -> None:
        self.dismiss(None)
