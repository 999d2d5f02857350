"""The only way out of the ticket kiosk: a technician's username and PIN.

Nobody stands at a kiosk, and a citizen's hand finds every key: Ctrl+Q, Ctrl+C, Ctrl+\\ and
the palette's Ctrl+P all open this dialog instead of leaving (ui.app). The PIN is checked by
the accounts service with sign-in's delays and lock, each refusal on the record; the right one
ends the kiosk (recorded with who allowed it). A wrong one, Esc, or nobody typing for
`IDLE_SECONDS` leaves the kiosk where it was, on its start screen for the next citizen.
"""

from __future__ import annotations

from typing import Any

from counter_tui.core.errors import UserError
from counter_tui.core.limits import limit
from counter_tui.ui import services
from counter_tui.ui.forms import Field, FormDialog

IDLE_SECONDS = 30.0  # a dialog opened by a stray key goes away by itself


class LeaveKiosk(FormDialog[str | None]):
    """Dismissed with the technician's username once their PIN passed, else None."""

    def __init__(self) -> None:
        super().__init__("kiosk.leave_title", [
            Field("username", "signin.username", required=True,
                  max_length=limit("officer.code")),
            Field("pin", "signin.pin", "secret", required=True, max_length=64)],
            hint="kiosk.leave_hint", enter="next-submit", id="kiosk-leave")

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(1.0, self._give_up_if_idle)

    def _give_up_if_idle(self) -> None:
        if not self.busy and self.capp.idle_seconds() >= IDLE_SECONDS:
            self.dismiss(None)

    def submitted(self, values: dict[str, Any]) -> None:
        username, pin = str(values["username"]), str(values["pin"])
        self.save(lambda store: services.kiosk.leave(store, username, pin))

    def refusal(self, error: UserError) -> None:
        super().refusal(error)
        pin = self.form.widget("pin")
        pin.value = ""  # type: ignore[attr-defined]
        self.set_focus(pin)
