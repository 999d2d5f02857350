"""The ticket kiosk (`counter-tui kiosk`): a citizen presses one big button and takes a number.

One button per group, keys 1 to 9 on a numeric keypad, or a touch. The ticket is issued and
printed through the same services as at a counter; the kiosk then says the number and how many
wait before it, and after a few seconds is back at the start. Plain words throughout.

Never twice on a double press: from the first press until the answer has been shown (or the
refusal read), further presses are ignored. A printer known to be down (out of paper, offline)
issues nothing and says where to go; a slip that fails as it prints leaves its ticket out of
the queue and is withdrawn, so it never prints later at an unattended kiosk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import Button, Static

from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.ui import services
from counter_tui.ui.base import BaseScreen
from counter_tui.ui.widgets.text import Msg

if TYPE_CHECKING:
    from counter_tui.core.views import IssuedTicket

RESULT_SECONDS = 6.0  # how long the number (or a refusal) stays before the start again


class KioskScreen(BaseScreen[None]):
    BINDINGS = [Binding(str(n), f"choose({n})", show=False) for n in range(1, 10)]

    def __init__(self) -> None:
        super().__init__(id="kiosk")
        self.busy = False  # a press is being answered: others are ignored until it is shown
        self.issued: list[str] = []  # codes issued here (tests, and the log of a session)
        self._back: Any = None

    def compose(self) -> ComposeResult:
        cfg = self.capp.cfg
        yield Static(cfg.office.name, id="ksk-office")
        yield Msg("kiosk.title", id="ksk-title")
        with Grid(id="ksk-buttons"):
            for n, group in enumerate(cfg.groups[:9], start=1):
                yield Button(f"{n}   {group.letter}  {group.name}", id=f"ksk-{n}",
                             classes="ksk-button")
        yield Static("", id="ksk-answer")

    def on_mount(self) -> None:
        self.query_one("#ksk-answer").display = False
        grid = self.query_one("#ksk-buttons", Grid)
        grid.styles.grid_size_columns = 1 if len(self.capp.cfg.groups) <= 4 else 2

    @on(Button.Pressed, ".ksk-button")
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_choose(int(str(event.button.id).removeprefix("ksk-")))

    def action_choose(self, n: int) -> None:
        groups = self.capp.cfg.groups
        if self.busy or not 1 <= n <= min(9, len(groups)):
            return
        self.busy = True
        letter = groups[n - 1].letter
        if self.capp.printer_offline:
            health = self.capp.printer_health
            reason = (health.down or "") if health else ""
            self._say(t("kiosk.printer_down", reason=reason.rstrip(".")), error=True)
            return
        self._say(t("kiosk.wait"), final=False)
        self.ask(lambda store: services.kiosk.issue(store, letter), on_done=self._printed,
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
        if self._back is not None:
            self._back.stop()
        if final:
            self._back = self.set_timer(RESULT_SECONDS, self._start_again)

    def _start_again(self) -> None:
        self._back = None
        self.query_one("#ksk-answer").display = False
        self.query_one("#ksk-buttons").display = True
        self.busy = False
