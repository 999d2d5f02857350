"""The keys of the current screen, as one block of text at the bottom.

Textual's Footer builds a widget per key and rebuilds them all whenever the bindings change
(the counter screen refreshes its figures every few seconds); with fifteen keys that was the
largest single cost of showing a screen. Officers use the keyboard, not the mouse, so the keys
are drawn as text: the key, what it does, greyed out when it cannot run now. On a narrow
terminal the line wraps rather than hiding keys.
"""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static


class KeyBar(Static):
    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)
        self._changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _changed(self, screen: Screen[object]) -> None:
        if screen is not self.screen:
            return
        text = Text(no_wrap=False, end="")
        seen: set[str] = set()
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if not binding.show or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            key = _display(self.app.get_key_display(binding))
            text.append(f" {key} ", style="bold reverse" if enabled else "dim reverse")
            text.append(f" {binding.description}  ", style="" if enabled else "dim")
        self.update(text)


def _display(key: str) -> str:
    """F-keys and Ctrl as printed on the keyboard: "F2", "Ctrl+Q"."""
    if key.startswith("^"):
        return "Ctrl+" + key[1:].upper()
    if len(key) <= 3 and key[:1] in "fF" and key[1:].isdigit():
        return key.upper()
    return key
