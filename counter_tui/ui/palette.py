"""The command palette (Ctrl+P): every action of the screen by name, in the officer's language,
found without typing diacritics ("ho so" finds "hồ sơ", as the dossier search does).

Each command is a key's description (a message key, translated here); beside it, what the key
does in more words when the key has a help text, and always the key itself, so the palette
also teaches the keyboard. Textual's own English system commands are replaced by the few an
officer needs, in Vietnamese. The search folds both the query and the titles (core.text.fold)
before Textual's fuzzy matcher compares them, and highlights the matched letters on the title
as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.align import Align
from rich.text import Text
from textual.app import SystemCommand
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.screen import Screen
from textual.widgets.option_list import Option

from counter_tui.core.i18n import t
from counter_tui.core.text import fold
from counter_tui.ui.screens.help import declared, keys_of

if TYPE_CHECKING:
    from counter_tui.ui.app import CounterApp


def commands(app: CounterApp, screen: Screen[Any]) -> Iterable[SystemCommand]:
    """Every key of `screen` with a description (and the app's keys), then the app's own."""
    keys = dict((label, shown) for shown, label in keys_of(screen))
    seen: set[str] = set()
    for binding in declared(screen):
        label, action = binding.description, binding.action
        if action in seen or action == "command_palette":
            continue
        seen.add(action)
        shown = keys.get(label, "")
        help_text = (t("palette.with_key", help=t(binding.tooltip), keys=shown)
                     if binding.tooltip else t("palette.key", keys=shown))
        name = action.partition("(")[0]
        owner: Screen[Any] | CounterApp = screen if hasattr(screen, f"action_{name}") else app
        yield SystemCommand(t(label), help_text, partial(owner.run_action, action))
    yield SystemCommand(t("palette.language"), t("palette.language_help"),
                        app.action_switch_language)
    yield SystemCommand(t("palette.theme"), t("palette.theme_help"), app.action_change_theme)
    yield SystemCommand(t("palette.screenshot"), t("palette.screenshot_help"),
                        app.action_screenshot)


class FoldedCommands(Provider):
    """The palette's commands, matched without diacritics."""

    def _commands(self) -> list[SystemCommand]:
        return list(self.app.get_system_commands(self.screen))

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.title, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(fold(query))
        for command in self._commands():
            folded = fold(command.title)
            score = matcher.match(folded)
            if score > 0:
                yield Hit(score, _highlight(command.title, folded, matcher.highlight(folded)),
                          command.callback, text=command.title, help=command.help)


def _highlight(title: str, folded: str, marked: Content) -> Content:
    """The title as written, with the letters the matcher marked on its folded form (folding
    keeps one letter for one letter when the title is single-spaced NFC)."""
    if len(folded) != len(title):
        return Content(title)
    content = Content(title)
    for span in marked.spans:
        content = content.stylize(span.style, span.start, span.end)
    return content


class Palette(CommandPalette):
    """Textual's palette with the officer's words: the prompt and 'nothing matches'."""

    def __init__(self) -> None:
        super().__init__(id="--command-palette", placeholder=t("palette.placeholder"))

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """As Textual's (textual==8.2.8, pinned), with a translated text."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(Option(
                    Align.center(Text(t("palette.none"), style="not bold")), disabled=True,
                    id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
