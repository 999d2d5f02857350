"""F1: every key of the screen the officer came from, with what it does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Label, Static

from counter_tui.core.i18n import messages, t
from counter_tui.ui.base import BaseModal, bind

messages({
    "help.title": ("Phím tắt", "Keys"),
    "help.key": ("Phím", "Key"),
    "help.action": ("Việc", "Action"),
    "help.more": (
        "Ctrl+P: bảng lệnh (mọi thao tác) · Ctrl+Q: thoát · Esc: đóng",
        "Ctrl+P: command palette (every action) · Ctrl+Q: quit · Esc: close",
    ),
})


class HelpScreen(BaseModal[None]):
    BINDINGS = [bind("escape,f1", "dismiss", "ui.close", "close_help")]

    def __init__(self, bindings: list[BindingType]) -> None:
        super().__init__(id="help")
        self.bindings_shown = [b for b in bindings if isinstance(b, Binding)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(t("help.title"), classes="box-title")
            yield DataTable(id="keys", cursor_type="none")
            yield Static(t("help.more"), classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(t("help.key"), t("help.action"))
        for b in self.bindings_shown:
            table.add_row((b.key_display or b.key).upper(), b.description)
