"""`counter-tui display` and `counter-tui kiosk`: the waiting room's TV and the ticket kiosk.

Both are modes of the same app, on the same store as the counters, each under an account that
may do only its work: the display views the queue (Role.DISPLAY), the kiosk issues tickets
(Role.KIOSK). Who the machine acts as is decided in `acting_as`, one small function: today the
role's own service identity; with service accounts, the key in COUNTER_TUI_KEY.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from typing import Any

from counter_tui.commands import Context
from counter_tui.config import Config
from counter_tui.core.roles import Actor, Role

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


def acting_as(cfg: Config, role: Role) -> Actor:
    """The account this display or kiosk acts as: the role's own service identity, which may
    do only that role's work (core.roles.MATRIX)."""
    # The seam for service accounts: resolve os.environ.get(KEY_VARIABLE) to its account
    # here, and refuse a key that is unknown, disabled or does not hold `role`.
    return Actor(username=f"{role.value}:{cfg.terminal.officer}",
                 full_name=cfg.terminal.officer_name, roles=frozenset({role}), service=True)


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
    # the display prints nothing and writes nothing: no slips to recover, no backup to take
    opened = open_store(ctx.cfg) if mode == "display" else open_terminal_store(ctx.cfg)
    store = replace(opened, actor=acting_as(ctx.cfg, role))
    ctx.adopt(store)
    CounterApp(ctx.cfg, store=store, log_path=log_file(ctx.cfg), mode=mode).run()
    return 0


def run_display(args: argparse.Namespace, ctx: Context) -> int:
    if getattr(args, "web", None):
        from counter_tui.commands.web_display import serve

        return serve(ctx.cfg, args.web)
    return _run(ctx, "display", Role.DISPLAY)


def run_kiosk(args: argparse.Namespace, ctx: Context) -> int:
    return _run(ctx, "kiosk", Role.KIOSK)
