"""The keys of the current screen, as one block of text at the bottom.

Textual's Footer builds a widget per key and rebuilds them all whenever the bindings change
(the counter screen refreshes its figures every few seconds); with fifteen keys that was the
largest single cost of showing a screen. Officers use the keyboard, not the mouse, so the keys
are drawn as text: the key, what it does (its description is a message key, translated here),
greyed out when it cannot run now. On a narrow terminal the line wraps rather than hiding keys.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from counter_tui.core.i18n import t

NAMES = {"escape": "Esc", "enter": "Enter", "pagedown": "PgDn", "pageup": "PgUp",
         "space": "Space", "tab": "Tab", "up": "↑", "down": "↓", "left": "←", "right": "→",
         "delete": "Del", "backspace": "Backspace"}


def key_label(key: str) -> str:
    """A key as printed on the keyboard: "F2", "Ctrl+Q", "Esc", "T"."""
    mods, _, name = key.rpartition("+")
    if len(name) <= 3 and name[:1] in "fF" and name[1:].isdigit():
        shown = name.upper()
    elif name in NAMES:
        shown = NAMES[name]
    else:
        shown = name.upper() if len(name) == 1 else name.capitalize()
    return "+".join([*(m.capitalize() for m in mods.split("+") if m), shown])


def binding_label(binding: Binding) -> str:
    """What the key bar shows for a binding: its key_display if set, else the key."""
    return binding.key_display or key_label(binding.key)


class KeyBar(Static):
    _shown: Text | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)
        self._changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def refresh_keys(self) -> None:
        self._changed(self.screen)

    def _changed(self, screen: Screen[object]) -> None:
        if screen is not self.screen:
            return
        text = Text(no_wrap=False, end="")
        seen: set[str] = set()
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if not binding.show or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            text.append(f" {binding_label(binding)} ",
                        style="bold reverse" if enabled else "dim reverse")
            # one space after a label: on 80 columns every key still fits in a few lines
            text.append(f" {t(binding.description)} ", style="" if enabled else "dim")
        # The bindings are announced again whenever the focus moves or a dialog opens over
        # the screen, mostly unchanged: laying the screen out again for the same line cost
        # the new-ticket dialog 2-3 ms just as a group's letter arrived.
        if text != self._shown:
            self._shown = text
            self.update(text)
