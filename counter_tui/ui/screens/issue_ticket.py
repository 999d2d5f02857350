"""F2: choose the service group (and a priority) for a new queue ticket.

Built for speed at a busy door: the group's letter issues at once; digits 1-5 pick a priority
first (0 clears it); arrows and Enter work too.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets._toast import ToastRack
from textual.widgets.option_list import Option

from counter_tui.config import GroupConfig
from counter_tui.core import queue_rules
from counter_tui.core.i18n import t
from counter_tui.core.views import GroupQueue
from counter_tui.ui.base import BaseModal, bind
from counter_tui.ui.widgets.text import Msg


class IssueTicketScreen(BaseModal[None]):
    """`on_choice(group, priority)` is called the moment a group is chosen; the caller closes
    the dialog (`close()`) once the ticket is stored and its slip sent, or refused."""

    BINDINGS = [bind("escape", "cancel", "issue.cancel", "cancel_issue")]

    def __init__(self, groups: tuple[GroupConfig, ...], tallies: tuple[GroupQueue, ...],
                 on_choice: Callable[[str, str | None], object]) -> None:
        super().__init__(id="issue-ticket")
        self.on_choice = on_choice
        self._taken = False
        self.groups = groups
        self.waiting = {g.letter: g.waiting for g in tallies}
        self.priority: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Msg("issue.title", classes="box-title")
            yield OptionList(*(
                Option(f"{g.letter}  {g.name}  ·  "
                       f"{t('issue.waiting', n=self.waiting.get(g.letter, 0))}", id=g.letter)
                for g in self.groups), id="group-list")
            yield Static(t("issue.no_priority"), id="priority")
            yield Static("\n".join(
                f"{i}  {queue_rules.priority_label(k)}"
                for i, k in enumerate(queue_rules.PRIORITIES, start=1)), id="priority-keys")
            yield Msg("issue.hint", classes="hint")

    def _extend_compose(self, widgets: list[Widget]) -> None:
        """No toasts over this dialog. Textual re-creates every toast still showing on each
        screen pushed, just after its first frame: at a busy door (a ticket every few
        seconds, each with its toast) that was 10-60 ms the group's letter waited for. They
        show again when the dialog closes, a moment later."""
        super()._extend_compose(widgets)
        widgets[:] = [w for w in widgets if not isinstance(w, ToastRack)]

    def on_mount(self) -> None:
        """The list focused and its first group highlighted while the dialog is built, so
        its first frame is its last: focusing after that frame (Textual's auto-focus) drew the
        dialog a second time, and a key typed meanwhile waited for that drawing."""
        groups = self.query_one("#group-list", OptionList)
        if groups.option_count and groups.highlighted is None:
            groups.highlighted = 0
        groups.focus()

    def on_key(self, event: events.Key) -> None:
        if self._taken:
            # Keys typed while the ticket is issued wait in the app's key queue until it is
            # out and this dialog closed (the issue holds them); one reaching here all the
            # same (the hold outlived its limit) is for the counter, after the dialog.
            event.stop()
            self.close()
            self.app.simulate_key(event.key)
            return
        if self._by_key(event.character or ""):
            event.stop()

    def answers_at_once(self, event: events.Key) -> bool:
        """A letter of a group or a digit: answered here whatever has the focus, so the app's
        key queue hands it over without waiting for this dialog to finish drawing (ui.keys).
        Not while a ticket is under way: those keys wait for it."""
        key = event.character or ""
        return not self._taken and (key.isdigit() or (
            key.isalpha() and key.upper() in {g.letter for g in self.groups}))

    def take_key_at_once(self, event: events.Key) -> bool:
        """The key queue's hand-over (ui.keys); False: the key goes the usual way."""
        return self.answers_at_once(event) and self._by_key(event.character or "")

    def _by_key(self, key: str) -> bool:
        """A group's letter issues its ticket, a digit picks a priority; False for others."""
        letters = {g.letter for g in self.groups}
        if key.upper() in letters and key.isalpha():
            self._choose(key.upper())
            return True
        if key.isdigit():
            index = int(key)
            if index == 0:
                self.priority = None
            elif index <= len(queue_rules.PRIORITIES):
                self.priority = queue_rules.PRIORITIES[index - 1]
            self.query_one("#priority", Static).update(
                t("issue.priority", kind=queue_rules.priority_label(self.priority))
                if self.priority else t("issue.no_priority"))
            return True
        return False

    @on(OptionList.OptionSelected, "#group-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._choose(str(event.option.id))

    def _choose(self, letter: str) -> None:
        """Start the ticket and leave the dialog up until its slip is out (`close()`): a
        screen repainting at that moment would only slow the printer down."""
        if self._taken:  # a second key before the first ticket is out: one ticket only
            return
        self._taken = True
        self.on_choice(letter, self.priority)

    def close(self) -> None:
        if self.is_current:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
