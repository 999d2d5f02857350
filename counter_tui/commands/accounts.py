"""`counter-tui officer add|list|disable|reset-pin|roles`: the office's accounts, for an
administrator (signed in with `login`, or a service key). A PIN is read without echo, or
from the standard input in a script, never from the arguments; a service account's key is
printed once, at its creation or reset, and never again.
"""

from __future__ import annotations

import argparse
from typing import Any

from counter_tui.commands import Context, emit, say
from counter_tui.commands.session import read_secret
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.roles import Role


def register(sub: Any) -> None:
    officer = sub.add_parser("officer", help="the office's accounts (administrators)")
    actions = officer.add_subparsers(dest="action", required=True)
    roles = [r.value for r in Role]

    add = actions.add_parser("add", help="a new account")
    add.add_argument("username")
    add.add_argument("--name", default="", help="full name")
    add.add_argument("--role", action="append", choices=roles, required=True)
    add.add_argument("--counter", action="append", type=int, default=[],
                     help="a counter the account may sit at (repeat); none: any")
    add.add_argument("--service", action="store_true",
                     help="a kiosk's or script's account: prints its key once")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=add_account)

    listing = actions.add_parser("list", help="every account")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_accounts)

    disable = actions.add_parser("disable", help="the account can no longer sign in")
    disable.add_argument("username")
    disable.set_defaults(handler=disable_account)

    reset = actions.add_parser("reset-pin", help="a new PIN (or a service account's new key)")
    reset.add_argument("username")
    reset.add_argument("--json", action="store_true")
    reset.set_defaults(handler=reset_pin)

    change = actions.add_parser("roles", help="change an account's roles and counters")
    change.add_argument("username")
    change.add_argument("--role", action="append", choices=roles)
    change.add_argument("--counter", action="append", type=int)
    change.add_argument("--any-counter", dest="any_counter", action="store_true")
    change.add_argument("--json", action="store_true")
    change.set_defaults(handler=change_roles)


def _new_pin() -> str:
    pin = read_secret(t("cli.officer.pin"))
    if not pin:
        raise UserError("account.pin_missing")
    return pin


def add_account(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import accounts

    store = ctx.store
    pin = "" if args.service else _new_pin()
    key = accounts.create(store, args.username, args.name, args.role, pin=pin,
                          counters=args.counter, service=args.service)
    text = t("cli.officer.added", username=args.username)
    if key:
        text += "\n" + t("cli.officer.key", secret=key)
    emit({"username": args.username, "key": key}, args.json, text)
    return 0


def list_accounts(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import accounts

    rows = accounts.accounts(ctx.store)
    lines = [f"{a.username:<16} {a.full_name:<28} {','.join(a.roles):<26} "
             f"{','.join(map(str, a.counters)) or '*':<8} "
             f"{t('accounts.state.active') if a.active else t('accounts.state.disabled')}"
             + (f" {t('accounts.state.service')}" if a.service else "")
             + (f" {t('accounts.state.locked')}" if a.locked_until else "")
             for a in rows]
    emit(rows, args.json, "\n".join(lines))
    return 0


def disable_account(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import accounts

    accounts.disable(ctx.store, args.username)
    say(t("cli.officer.disabled", username=args.username))
    return 0


def reset_pin(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import accounts

    store = ctx.store
    service = accounts.account(store, args.username).service
    key = accounts.reset_pin(store, args.username, "" if service else _new_pin())
    text = t("cli.officer.reset", username=args.username)
    if key:
        text += "\n" + t("cli.officer.key", secret=key)
    emit({"username": args.username, "key": key}, args.json, text)
    return 0


def change_roles(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import accounts

    counters = [] if args.any_counter else args.counter
    view = accounts.set_roles(ctx.store, args.username, args.role, counters)
    emit(view, args.json, t("cli.officer.roles", username=view.username,
                            roles=", ".join(view.roles),
                            counters=", ".join(map(str, view.counters)) or "*"))
    return 0
