"""Who the command line acts as: `counter-tui login` / `logout`, and a service account's key.

`login` signs in with a username and PIN and keeps a session token, valid for
`[security] session_hours`, in the user's data folder (`session`, readable by its owner only,
in a folder only its owner can enter). A kiosk or a script passes a service account's key in
`COUNTER_TUI_KEY` instead. Every command that opens the store acts as the key's account, else
the session's, else nobody, and the services refuse what nobody may do (exit 2).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counter_tui.commands import emit, say
from counter_tui.core.i18n import t

if TYPE_CHECKING:
    from counter_tui.commands import Context
    from counter_tui.core.roles import Actor
    from counter_tui.services.store import Store

ENV_KEY = "COUNTER_TUI_KEY"


def session_file() -> Path:
    from counter_tui.config_locate import user_data_dir

    return user_data_dir() / "session"


def read_secret(prompt: str) -> str:
    """A PIN: asked without echo at a terminal, else the next line of the standard input (a
    script pipes it in; it never appears among the arguments, which other users can see)."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def resolve_actor(store: Store) -> Actor | None:
    """The key's account, else the session's, else None (nobody)."""
    from counter_tui.services import accounts

    key = os.environ.get(ENV_KEY, "").strip()
    if key:
        return accounts.actor_for_key(store, key)
    path = session_file()
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return accounts.actor_for_token(store, token) if token else None


def _write_token(token: str) -> Path:
    path = session_file()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        os.fchmod(fh.fileno(), 0o600)  # a file left by an older umask
        fh.write(token + "\n")
    return path


def register(sub: Any) -> None:
    login = sub.add_parser("login", help="sign in for the commands that follow")
    login.add_argument("username", nargs="?")
    login.add_argument("--json", action="store_true")
    login.set_defaults(handler=do_login)
    logout = sub.add_parser("logout", help="end the command line's sign-in")
    logout.set_defaults(handler=do_logout)


def do_login(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import accounts

    username = args.username
    if not username:
        sys.stdout.write(t("cli.login.username"))
        sys.stdout.flush()
        username = sys.stdin.readline().strip()
    pin = read_secret(t("cli.login.pin"))
    token = accounts.start_session(ctx.store, username, pin)
    path = _write_token(token)
    hours = ctx.cfg.security.session_hours
    emit({"username": username, "hours": hours, "file": str(path)}, args.json,
         t("cli.login.done", username=username, hours=hours))
    return 0


def do_logout(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.services import accounts

    path = session_file()
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        token = ""
    if token:
        accounts.end_session(ctx.store, token)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    say(t("cli.logout.done"))
    return 0
