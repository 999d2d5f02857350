"""Who works at this terminal: the sign-in, the first administrator, a new PIN, the lock.

The app opens on `SignIn` (or, on a store nobody can sign in to yet, `FirstAdministrator`),
and shows the counter only once someone has signed in. A card's barcode types the username
and Enter in one burst: Enter moves on to the PIN, and the app's key queue keeps every key in
order meanwhile. A PIN set by an administrator is changed before anything else (`NewPin`).

The lock (Ctrl+L, or `[security] idle_lock_minutes` without a key) is the same sign-in, shown
over everything and opaque, with the officer who was working filled in: their PIN unlocks;
another officer signing in there is a change of officer, recorded by the service. These are
dialogs without a way out: Esc does nothing.
"""

from __future__ import annotations

from typing import Any

from counter_tui.core.account_views import SignedIn
from counter_tui.core.errors import UserError
from counter_tui.core.limits import limit
from counter_tui.ui.forms import Field, FormDialog

# services.accounts (and the store's models with it) is imported when a dialog is submitted:
# the sign-in is the app's first frame, drawn before the store is opened.


def _username(value: str, field: str = "username") -> str:
    if not value.strip():
        raise UserError("form.required", field=field, label="")
    return value


class _NoEscape(FormDialog[SignedIn | None]):
    def action_cancel(self) -> None:
        """Nothing is behind a sign-in the officer may go back to."""


class SignIn(_NoEscape):
    """Username and PIN. `locked_by`: the officer who was working (the lock); `None`: the
    terminal's first sign-in."""

    def __init__(self, locked_by: str | None = None) -> None:
        self.locked_by = locked_by
        self.focus_first_on = "pin" if locked_by else None  # the officer's own PIN unlocks
        fields = [Field("username", "signin.username", required=True,
                        value=locked_by or "", max_length=limit("officer.code")),
                  Field("pin", "signin.pin", "secret", required=True, max_length=64)]
        super().__init__("signin.locked_title" if locked_by else "signin.title", fields,
                         hint="signin.hint", enter="next-submit", id="signin",
                         officer=locked_by or "")


    def submitted(self, values: dict[str, Any]) -> None:
        username, pin = str(values["username"]), str(values["pin"])
        replacing = self.locked_by

        def call(store: Any) -> SignedIn:
            from counter_tui.services import accounts

            return accounts.sign_in(store, username, pin, counter=store.counter,
                                    replacing=replacing)

        self.save(call, on_done=self._signed_in)

    def refusal(self, error: UserError) -> None:
        super().refusal(error)
        pin = self.form.widget("pin")
        pin.value = ""  # type: ignore[attr-defined]
        self.set_focus(pin)

    def _signed_in(self, signed: SignedIn) -> None:
        if not signed.must_change:
            self.dismiss(signed)
            return
        self.busy = False

        def changed(done: bool | None) -> None:
            self.dismiss(signed if done else None)

        self.app.push_screen(NewPin(signed.username, str(self.form.value("pin"))), changed)


class NewPin(FormDialog[bool | None]):
    """The first sign-in with a PIN someone else set: the officer chooses their own."""

    def action_cancel(self) -> None:
        """The PIN must be changed before work starts."""

    def __init__(self, username: str, old_pin: str) -> None:
        self.username, self.old_pin = username, old_pin
        super().__init__("signin.new_pin_title", [
            Field("pin", "signin.new_pin", "secret", required=True, max_length=64),
            Field("again", "signin.pin_again", "secret", required=True, max_length=64)],
            hint="signin.new_pin_hint", enter="next-submit", id="new-pin")

    def submitted(self, values: dict[str, Any]) -> None:
        pin, again = str(values["pin"]), str(values["again"])
        if pin != again:
            self.refusal(UserError("account.pins_differ", field="again"))
            return
        username, old = self.username, self.old_pin
        from counter_tui.services import accounts

        self.save(lambda store: accounts.change_pin(store, username, old, pin),
                  on_done=lambda _: self.dismiss(True))


class FirstAdministrator(_NoEscape):
    """A store nobody can sign in to: its first administrator, who then creates the
    office's accounts (F10)."""

    def __init__(self) -> None:
        super().__init__("signin.first_title", [
            Field("username", "signin.username", required=True,
                  max_length=limit("officer.code")),
            Field("full_name", "signin.full_name", required=True,
                  max_length=limit("officer.name")),
            Field("pin", "signin.pin", "secret", required=True, max_length=64),
            Field("again", "signin.pin_again", "secret", required=True, max_length=64)],
            info="", hint="signin.first_hint", enter="next-submit", id="first-admin")

    def submitted(self, values: dict[str, Any]) -> None:
        username, name = str(values["username"]), str(values["full_name"])
        pin, again = str(values["pin"]), str(values["again"])
        if pin != again:
            self.refusal(UserError("account.pins_differ", field="again"))
            return

        def call(store: Any) -> SignedIn:
            from counter_tui.services import accounts

            accounts.create_first_administrator(store, username, name, pin)
            return accounts.sign_in(store, username, pin)

        self.save(call, on_done=self.dismiss)
