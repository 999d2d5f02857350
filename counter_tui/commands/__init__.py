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
            from counter_tui.commands.session import resolve_actor
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


def registry() -> list[Callable[[Any], None]]:
    """The subcommand modules, imported only when a subcommand is asked for (the TUI's
    start-up does not pay for them)."""
    from counter_tui.commands import (
        accounts,
        catalogue,
        config_cmd,
        database,
        doctor,
        dossier,
        office,
        queue,
        reports,
        session,
        setup,
    )
    from counter_tui.commands import printer as printer_commands

    return [queue.register, dossier.register, catalogue.register, printer_commands.register,
            reports.register, setup.register, config_cmd.register, database.register,
            doctor.register, office.register, accounts.register, session.register]


__all__ = ["Context", "UsageError", "argparse", "emit", "registry", "say", "warn"]
