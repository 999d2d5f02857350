"""F1: every key of the screen the officer came from (and the app's own: the printer screen,
the command palette, quitting), with what it does, in the language shown now."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable

from counter_tui.core.i18n import known, t
from counter_tui.ui.base import BaseModal, bind
from counter_tui.ui.widgets.keybar import key_label
from counter_tui.ui.widgets.text import Msg


def declared(screen: Screen[Any]) -> list[Binding]:
    """Every key `screen` declares (its classes' BINDINGS, the base screen's first), then the
    app's: all of them, whether they can run at this moment or not. Only the app's own keys
    (their descriptions are message keys), not Textual's English ones."""
    specs: list[BindingType] = []
    for cls in (*reversed(type(screen).__mro__), *reversed(type(screen.app).__mro__)):
        specs += cls.__dict__.get("BINDINGS", [])
    return [b for b in Binding.make_bindings(specs) if b.description and known(b.description)]


def keys_of(screen: Screen[Any]) -> list[tuple[str, str]]:
    """(keys, message key of what they do): one row an action, the keys of the same action
    together ("F11 / Ctrl+T"), in the order they are declared."""
    rows: dict[str, tuple[list[str], str]] = {}
    for binding in declared(screen):
        keys, _ = rows.setdefault(binding.action, ([], binding.description))
        shown = key_label(binding.key)
        if shown not in keys:
            keys.append(shown)
    return [(" / ".join(keys), label) for keys, label in rows.values()]


class HelpScreen(BaseModal[None]):
    BINDINGS = [bind("escape,f1", "dismiss", "ui.close", "close_help")]

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__(id="help")
        self.rows = keys_of(screen)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Msg("help.title", classes="box-title")
            yield DataTable(id="keys", cursor_type="none")
            yield Msg("help.more", classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self.columns(table, "help.key", "help.action")
        self.relabel_data()
        self.resized()

    def resized(self) -> None:
        """On a short terminal the keys scroll inside the dialog; its hint stays in view."""
        chrome = 4 if self.app.size.height < self.SHORT else 10  # borders, title, hint
        self.query_one(DataTable).styles.max_height = max(4, self.app.size.height - chrome)

    def on_resize(self, event: events.Resize) -> None:
        self.resized()

    def relabel_data(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for keys, label in self.rows:
            table.add_row(keys, t(label))
