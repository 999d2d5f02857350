"""Subcommands of `counter-tui`, one module per subject; each registers its own parsers.

A handler takes the parsed arguments and a `Context` (the config, and the store opened on first
use) and returns an exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from counter_tui.config import Config

if TYPE_CHECKING:
    from counter_tui.services.store import Store


class Context:
    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            from counter_tui.services.store import open_store

            self._store = open_store(self.cfg)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def emit(data: Any, as_json: bool, text: str) -> None:
    if as_json:
        from counter_tui.core.views import jsonable

        sys.stdout.write(json.dumps(jsonable(data), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(text + "\n")


def registry() -> list[Callable[[Any], None]]:
    """The subcommand modules, imported only when a subcommand is asked for (the TUI's
    start-up does not pay for them)."""
    from counter_tui.commands import catalogue, dossier, queue, reports
    from counter_tui.commands import printer as printer_commands

    return [queue.register, dossier.register, catalogue.register, printer_commands.register,
            reports.register]


__all__ = ["Context", "argparse", "emit", "registry"]
