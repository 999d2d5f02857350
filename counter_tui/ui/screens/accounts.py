"""F10: the office's accounts, for an administrator: who may sign in, as what, where.

A table of every account (username, name, roles, counters, state); N adds one (a person gets
a first PIN to change at the first sign-in; a service account for a kiosk or a script gets a
key, shown once), R changes the highlighted account's roles and counters, P resets its PIN
(or a service account's key), D disables it. Every change goes through services.accounts,
which checks the administrator's role and records the change in the audit log.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import DataTable

from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.limits import limit
from counter_tui.core.roles import Role
from counter_tui.core.views import AccountView
from counter_tui.ui import services
from counter_tui.ui.base import BaseScreen, bind
from counter_tui.ui.forms import Field, FormDialog
from counter_tui.ui.widgets.keybar import KeyBar
from counter_tui.ui.widgets.text import Msg

ROLE_OPTIONS = tuple((r.value, f"role.{r.value}") for r in Role)


def counters_of(text: str, field: str = "counters") -> tuple[int, ...]:
    """"1, 2" -> (1, 2); empty: any counter."""
    parts = [p for p in text.replace(",", " ").split() if p]
    if not all(p.isdigit() for p in parts):
        raise UserError("account.bad_counters", field=field)
    return tuple(int(p) for p in parts)


class AccountsScreen(BaseScreen[None]):
    BINDINGS = [
        bind("n", "add", "accounts.add", "account_add", display="N"),
        bind("r", "roles", "accounts.roles", "account_roles", display="R"),
        bind("p", "reset", "accounts.reset", "account_reset", display="P"),
        bind("d", "disable", "accounts.disable", "account_disable", display="D"),
        bind("escape,f10", "back", "accounts.back", "accounts_back", display="Esc"),
    ]
    DEFAULT_CSS = """
    #acc-title { height: 1; background: $primary; text-style: bold; padding: 0 1; }
    #acc-table { height: 1fr; margin: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="accounts")
        self.rows: list[AccountView] = []

    def compose(self) -> ComposeResult:
        yield Msg("accounts.title", id="acc-title")
        yield DataTable(id="acc-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#acc-table", DataTable)
        self.columns(table, "accounts.col.username", "accounts.col.name",
                     "accounts.col.roles", "accounts.col.counters", "accounts.col.state")
        table.focus()
        self.reload()

    def reload(self) -> None:
        self.ask(services.accounts.accounts, on_done=self.show, group="accounts")

    def show(self, rows: list[AccountView]) -> None:
        self.rows = rows
        table = self.query_one("#acc-table", DataTable)
        table.clear()
        for a in rows:
            state = ("accounts.state.disabled" if not a.active else
                     "accounts.state.locked" if a.locked_until else
                     "accounts.state.service" if a.service else
                     "accounts.state.new_pin" if a.must_change else "accounts.state.active")
            table.add_row(a.username, a.full_name,
                          ", ".join(t(f"role.{r}") for r in a.roles),
                          ", ".join(map(str, a.counters)) or t("accounts.any_counter"),
                          t(state), key=a.username)

    def relabel_data(self) -> None:
        self.show(self.rows)

    def _current(self) -> AccountView | None:
        table = self.query_one("#acc-table", DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def _saved(self, key: str | None) -> None:
        if key:
            self.notify(t("accounts.key_once", secret=key), timeout=60)
        self.reload()

    def action_add(self) -> None:
        self.app.push_screen(AddAccount(), self._saved)

    def action_roles(self) -> None:
        account = self._current()
        if account is not None:
            self.app.push_screen(ChangeRoles(account), lambda _: self.reload())

    def action_reset(self) -> None:
        account = self._current()
        if account is not None:
            self.app.push_screen(ResetPin(account), self._saved)

    def action_disable(self) -> None:
        account = self._current()
        if account is None:
            return
        username = account.username
        self.ask(lambda store: services.accounts.disable(store, username),
                 on_done=lambda _: self.reload())

    def action_back(self) -> None:
        self.dismiss(None)


class AddAccount(FormDialog[str | None]):
    def __init__(self) -> None:
        super().__init__("accounts.add_title", [
            Field("username", "signin.username", required=True,
                  max_length=limit("officer.code")),
            Field("full_name", "signin.full_name", required=True,
                  max_length=limit("officer.name")),
            Field("roles", "accounts.roles_field", "checklist", options=ROLE_OPTIONS),
            Field("counters", "accounts.counters_field", check=counters_of,
                  placeholder="accounts.counters_hint"),
            Field("service", "accounts.service_field", "flag"),
            Field("pin", "accounts.first_pin", "secret", max_length=64)],
            enter="next", id="account-add")

    def submitted(self, values: dict[str, Any]) -> None:
        username, name = str(values["username"]), str(values["full_name"])
        roles, service = list(values["roles"]), bool(values["service"])
        counters, pin = counters_of(str(values["counters"])), str(values["pin"])
        self.save(lambda store: services.accounts.create(
            store, username, name, roles, pin=pin, counters=counters, service=service))


class ChangeRoles(FormDialog[object]):
    def __init__(self, account: AccountView) -> None:
        self.username = account.username
        super().__init__("accounts.roles_title", [
            Field("roles", "accounts.roles_field", "checklist", options=ROLE_OPTIONS),
            Field("counters", "accounts.counters_field", check=counters_of,
                  value=", ".join(map(str, account.counters)),
                  placeholder="accounts.counters_hint")],
            enter="next", id="account-roles", username=account.username)
        self.held = account.roles

    def on_mount(self) -> None:
        from textual.widgets import SelectionList

        chosen = self.form.widget("roles")
        if isinstance(chosen, SelectionList):
            for role in self.held:
                chosen.select(role)

    def submitted(self, values: dict[str, Any]) -> None:
        username, roles = self.username, list(values["roles"])
        counters = counters_of(str(values["counters"]))
        self.save(lambda store: services.accounts.set_roles(store, username, roles, counters))


class ResetPin(FormDialog[str | None]):
    def __init__(self, account: AccountView) -> None:
        self.username = account.username
        fields = [] if account.service else [
            Field("pin", "accounts.first_pin", "secret", required=True, max_length=64)]
        super().__init__("accounts.reset_title", fields, enter="submit",
                         id="account-reset", username=account.username,
                         info=t("accounts.new_key_info") if account.service else "")

    def submitted(self, values: dict[str, Any]) -> None:
        username, pin = self.username, str(values.get("pin", ""))
        self.save(lambda store: services.accounts.reset_pin(store, username, pin))
