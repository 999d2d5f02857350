"""Subcommands of `counter-tui`, one module per subject; each registers its own parsers.

A handler takes the parsed arguments and a `Context` (the config, and the store opened on first
use) and returns an exit code. Handlers write through `commands.output` (never to sys.stdout
directly), so every value shown is neutralised on its way to the terminal.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from counter_tui.commands.output import emit, say, warn
from counter_tui.config import Config
from counter_tui.core.errors import UserError

if TYPE_CHECKING:
    from counter_tui.core.roles import Action
    from counter_tui.services.store import Store


class UsageError(UserError):
    """The command was asked wrongly (an option missing or out of place, an unknown name):
    exit 2 like argparse's own usage errors, not 1, which says the request was refused."""


class Context:
    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            from counter_tui.commands.acting import resolve_actor
            from counter_tui.services.store import open_store

            store = open_store(self.cfg, daily_backup=True)
            self._store = store
            store.sign_in(resolve_actor(store))
        return self._store

    def require(self, action: Action, *, then_close: bool = False) -> None:
        """The command's actor may do `action` (services.authority), else exit 2. A command
        that works on the store from outside (a restore) closes it again before it starts."""
        from counter_tui.services.authority import require

        require(self.store, action)
        if then_close:
            self.close()
            self._store = None

    def adopt(self, store: Store) -> None:
        """Use a store opened another way (the first setup) and close it at the end."""
        self._store = store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


# Which module registers each subcommand: the command line builds the parser of the one asked
# for alone (importing a subject's module and building its parsers costs tens of milliseconds
# each, and a kiosk issuing a ticket pays for every one). A test checks this table against
# what the modules register.
COMMANDS = {"ticket": "queue", "dossier": "dossier", "calendar": "dossier",
            "catalogue": "catalogue", "printer": "printer", "report": "reports", "init": "setup",
            "config": "config_cmd", "db": "database", "doctor": "doctor", "display": "office",
            "kiosk": "office", "officer": "accounts", "login": "session", "logout": "session",
            "audit": "audit", "privacy": "audit", "sync": "sync"}


def registry(command: str | None = None) -> list[Callable[[Any], None]]:
    """The register functions of the subcommand modules, imported only when a subcommand is
    asked for (the TUI's start-up does not pay for them): `command`'s module alone when it is
    a known subcommand, else every module (help, or a name to be refused with the list)."""
    import importlib

    names = [COMMANDS[command]] if command in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    return [importlib.import_module(f"counter_tui.commands.{name}").register for name in names]


__all__ = ["COMMANDS", "Context", "UsageError", "argparse", "emit", "registry", "say", "warn"]
