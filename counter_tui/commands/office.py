"""`counter-tui display` and `counter-tui kiosk`: the waiting room's TV and the ticket kiosk.

Both are modes of the same app, on the same store as the counters, each under an account that
may do only its work: the display views the queue (Role.DISPLAY), the kiosk issues tickets
(Role.KIOSK). Who the machine acts as is decided in `acting_as`:

- a service account's key in COUNTER_TUI_KEY (`counter-tui officer add NAME --role kiosk
  --service` prints it once): the account must hold the mode's role, and acts under that role
  alone, whatever else it holds, so a kiosk's machine can never do more than issue tickets;
- without a key, on PostgreSQL (an office of many PCs, where the TV and the kiosk stand in the
  waiting room): refused, saying how to make the account;
- without a key on SQLite (the terminals of one machine: a counter and its second screen, a
  training PC): the role's own identity, as before service accounts, recorded in the audit
  log at each start so nobody mistakes it for a key.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from counter_tui.commands import Context
from counter_tui.config import Config
from counter_tui.core.roles import Actor, Role

if TYPE_CHECKING:
    from counter_tui.services.store import Store

KEY_VARIABLE = "COUNTER_TUI_KEY"


def register(sub: Any) -> None:
    display = sub.add_parser("display", help="the waiting-room display: numbers called, "
                                             "announced aloud (full screen, read-only)")
    display.add_argument("--web", metavar="HOST:PORT", default=None,
                         help="serve the display to browsers (a smart TV) at HOST:PORT, "
                              "read-only, with textual-serve (pip install 'counter-tui[web]')")
    display.set_defaults(handler=run_display)
    kiosk = sub.add_parser("kiosk", help="the ticket kiosk: one key per group issues and "
                                         "prints a ticket")
    kiosk.set_defaults(handler=run_kiosk)


def own_identity(cfg: Config, role: Role) -> Actor:
    """The role's own service identity (no account): a one-machine SQLite office's display
    or kiosk started without a key. It may do only that role's work (core.roles.MATRIX)."""
    return Actor(username=f"{role.value}:{cfg.terminal.officer}",
                 full_name=cfg.terminal.officer_name, roles=frozenset({role}), service=True)


def acting_as(cfg: Config, role: Role, store: Store | None = None) -> Actor:
    """Who this display or kiosk acts as (see the module's docstring). Refusals are
    `SignInRefused`: one line and exit code 2."""
    from counter_tui.services.accounts import SignInRefused, actor_for_key

    mode = "display" if role is Role.DISPLAY else "kiosk"
    key = os.environ.get(KEY_VARIABLE, "").strip()
    if key and store is not None:
        account = actor_for_key(store, key)
        if role not in account.roles:
            raise SignInRefused("office.key_wrong_role", username=account.username,
                                role=role.value, mode=mode)
        return Actor(account.username, account.full_name, frozenset({role}),
                     account.counters, service=True)
    if not cfg.database.url.startswith("sqlite:"):
        raise SignInRefused("office.key_needed", role=role.value, mode=mode)
    return own_identity(cfg, role)


def _run(ctx: Context, mode: str, role: Role) -> int:
    if ctx.cfg.database.url.startswith("sqlite:"):
        from counter_tui import db

        db.without_server_drivers()
    from counter_tui.cli import log_file
    from counter_tui.services.store import open_store
    from counter_tui.ui.app import CounterApp, open_terminal_store

    if mode == "kiosk":
        # Textual would let Ctrl+C and Ctrl+\ kill the process as signals: at a kiosk they
        # must reach the app, which asks for a technician's PIN (ui.screens.kiosk_leave)
        os.environ.pop("TEXTUAL_ALLOW_SIGNALS", None)
    keyed = bool(os.environ.get(KEY_VARIABLE, "").strip())
    if not keyed:
        acting_as(ctx.cfg, role)  # on PostgreSQL refused before the store is even opened
    # the display prints nothing and changes nothing: no slips to recover, no backup to take
    opened = open_store(ctx.cfg) if mode == "display" else open_terminal_store(ctx.cfg)
    ctx.adopt(opened)  # closed at the end, a refused key included
    store = replace(opened, actor=acting_as(ctx.cfg, role, opened))
    if not keyed:  # the role's own identity, without an account: on the record at each start
        from counter_tui.services import audit

        audit.note(store, f"{mode}:no_key", store.actor.username if store.actor else "")
    CounterApp(ctx.cfg, store=store, log_path=log_file(ctx.cfg), mode=mode).run()
    return 0


def run_display(args: argparse.Namespace, ctx: Context) -> int:
    if getattr(args, "web", None):
        from counter_tui.commands.web_display import serve

        if not os.environ.get(KEY_VARIABLE, "").strip():
            acting_as(ctx.cfg, Role.DISPLAY)  # each browser's display would be refused
        return serve(ctx.cfg, args.web)
    return _run(ctx, "display", Role.DISPLAY)


def run_kiosk(args: argparse.Namespace, ctx: Context) -> int:
    return _run(ctx, "kiosk", Role.KIOSK)
