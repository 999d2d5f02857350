"""The ticket kiosk (`counter-tui kiosk`): a citizen presses one big button and takes a number.

One button per group, keys 1 to 9 on a numeric keypad, or a touch; 0 first for a priority
ticket (the elderly, the disabled, ...: a second step names which). The ticket is issued and
printed through the same services as at a counter; the kiosk then says the number and how many
wait before it, and after a few seconds is back at the start. Plain words throughout.

Never twice on a double press: from the first press until the answer has been shown (or the
refusal read), further presses are ignored. A printer known to be down (out of paper, offline)
issues nothing and says where to go, on the start screen as soon as it is known (the counters
are told too: ui.app, services.kiosk_printer); a slip that fails as it prints leaves its ticket
out of the queue and is withdrawn, so it never prints later at an unattended kiosk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import Button, Static

from counter_tui.core import queue_rules
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.ui import services
from counter_tui.ui.base import BaseScreen
from counter_tui.ui.widgets.text import Msg

if TYPE_CHECKING:
    from counter_tui.core.views import IssuedTicket

RESULT_SECONDS = 6.0  # how long the number (or a refusal) stays before the start again


class KioskScreen(BaseScreen[None]):
    BINDINGS = [*(Binding(str(n), f"choose({n})", show=False) for n in range(1, 10)),
                Binding("0", "priority", show=False)]

    def __init__(self) -> None:
        super().__init__(id="kiosk")
        self.busy = False  # a press is being answered: others are ignored until it is shown
        self.issued: list[str] = []  # codes issued here (tests, and the log of a session)
        self._back: Any = None
        self.step = "group"  # or "priority": the keys name a priority kind
        self.priority: str | None = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "help":
            return False  # the list of keys is for officers (it names the way out)
        return super().check_action(action, parameters)

    def compose(self) -> ComposeResult:
        cfg = self.capp.cfg
        yield Static(cfg.office.name, id="ksk-office")
        yield Msg("kiosk.title", id="ksk-title")
        with Grid(id="ksk-buttons"):
            for n, group in enumerate(cfg.groups[:9], start=1):
                yield Button(f"{n}   {group.letter}  {group.name}", id=f"ksk-{n}",
                             classes="ksk-button")
            yield Button(t("kiosk.priority_button"), id="ksk-0", classes="ksk-button")
        with Grid(id="ksk-priorities"):
            for n, kind in enumerate(queue_rules.PRIORITIES[:9], start=1):
                yield Button(f"{n}   {queue_rules.priority_label(kind)}", id=f"ksk-p{n}",
                             classes="ksk-kind")
        yield Static("", id="ksk-answer")

    def on_mount(self) -> None:
        self.query_one("#ksk-answer").display = False
        self.query_one("#ksk-priorities").display = False
        grid = self.query_one("#ksk-buttons", Grid)
        grid.styles.grid_size_columns = 1 if len(self.capp.cfg.groups) <= 4 else 2
        self.printer_changed()

    def printer_changed(self) -> None:
        """The printer went down or came back: the start screen says so at once, before
        anyone presses (a number being shown stays until its time is up)."""
        if not self.busy:
            self._start_again()

    def _printer_down(self) -> str:
        health = self.capp.printer_health
        reason = (health.down or "") if health else ""
        return t("kiosk.printer_down", reason=reason.rstrip("."))

    @on(Button.Pressed, ".ksk-button")
    def _pressed(self, event: Button.Pressed) -> None:
        n = int(str(event.button.id).removeprefix("ksk-"))
        if n == 0:
            self.action_priority()
        else:
            self.action_choose(n)

    @on(Button.Pressed, ".ksk-kind")
    def _kind_pressed(self, event: Button.Pressed) -> None:
        self.action_choose(int(str(event.button.id).removeprefix("ksk-p")))

    def action_priority(self) -> None:
        """0: the next key names a priority kind, then the group as usual."""
        if self.busy:
            return
        self.step, self.priority = "priority", None
        self.query_one("#ksk-title", Msg).update(t("kiosk.priority_title"))
        self.query_one("#ksk-buttons").display = False
        self.query_one("#ksk-priorities").display = True
        self._give_up_later()

    def _give_up_later(self) -> None:
        """A half-made choice goes back to the start if nobody finishes it."""
        if self._back is not None:
            self._back.stop()
        self._back = self.set_timer(RESULT_SECONDS * 2, self._start_again)

    def action_choose(self, n: int) -> None:
        if self.busy:
            return
        if self.step == "priority":
            kinds = queue_rules.PRIORITIES
            if 1 <= n <= min(9, len(kinds)):
                self.step, self.priority = "group", kinds[n - 1]
                self.query_one("#ksk-title", Msg).update(t(
                    "kiosk.priority_chosen", kind=queue_rules.priority_label(kinds[n - 1])))
                self.query_one("#ksk-priorities").display = False
                self.query_one("#ksk-buttons").display = True
                self._give_up_later()
            return
        groups = self.capp.cfg.groups
        if not 1 <= n <= min(9, len(groups)):
            return
        self.busy = True
        letter, priority = groups[n - 1].letter, self.priority
        if self.capp.printer_offline:
            self._say(self._printer_down(), error=True)
            return
        self._say(t("kiosk.wait"), final=False)
        self.ask(lambda store: services.kiosk.issue(store, letter, priority),
                 on_done=self._printed,
                 on_refused=self._refused, on_failed=self._failed, hold_keys=True)

    def _printed(self, issued: IssuedTicket) -> None:
        """The ticket is stored and its slip was sent (ask prints it at once): did it print?
        If not, it is withdrawn (services.kiosk): nothing issued, nothing printed later."""
        def known(outcome: str) -> None:
            if outcome == "printed":
                self.issued.append(issued.ticket.code)
                self._say(t("kiosk.thanks", code=issued.ticket.code,
                            group=issued.ticket.group_name, ahead=issued.ticket.ahead))
            elif outcome == "unsure":
                self._say(t("kiosk.unsure", code=issued.ticket.code), error=True)
            else:
                self._say(t("kiosk.not_printed"), error=True)

        self.ask(lambda store: services.kiosk.withdraw_unprinted(store, issued),
                 on_done=known, on_refused=self._refused, on_failed=self._failed,
                 hold_keys=True)

    def _refused(self, error: UserError) -> None:
        self._say(t("kiosk.refused", reason=str(error)), error=True)

    def _failed(self) -> None:
        self._say(t("kiosk.failed"), error=True)

    def _say(self, text: str, *, error: bool = False, final: bool = True) -> None:
        answer = self.query_one("#ksk-answer", Static)
        answer.update(text)
        answer.display = True
        answer.set_class(error, "-error")
        self.query_one("#ksk-buttons").display = False
        self.query_one("#ksk-priorities").display = False
        if self._back is not None:
            self._back.stop()
        if final:
            self._back = self.set_timer(RESULT_SECONDS, self._start_again)

    def _start_again(self) -> None:
        self._back = None
        self.step, self.priority = "group", None
        title = self.query_one("#ksk-title", Msg)
        title.relabel()
        self.query_one("#ksk-answer").display = False
        self.query_one("#ksk-priorities").display = False
        self.query_one("#ksk-buttons").display = True
        self.busy = False
        if self.capp.printer_offline:  # no buttons to press while nothing can print
            answer = self.query_one("#ksk-answer", Static)
            answer.update(self._printer_down())
            answer.display = True
            answer.set_class(True, "-error")
            self.query_one("#ksk-buttons").display = False
