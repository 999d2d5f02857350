"""Where the `counter-tui` process starts (its console script, and `python -m counter_tui`): the
program loads with Python's cyclic garbage collector held back.

Loading the program (argparse, peewee, the models, the records, the services a command uses)
makes tens of thousands of objects that live as long as the process, none of them garbage,
and the collector, which runs after every 700 new ones, walked them again and again: some 40
passes, about a fourteenth of a kiosk script's `ticket issue`. So it runs after every
`LOADING` new ones instead: a command (a ticket, a report, an import) still has its cyclic
garbage collected as it goes, in fewer and larger passes. The TUI, which must answer each key
without a pause, goes back to Python's own pace once it is loaded (`resume`, from cli.run_tui).

It also defers standard modules imported at the top of others but used only inside functions
the program rarely reaches: peewee's socket (its IP field), uuid (its UUID field, PostgreSQL's
named cursors) and calendar (its timestamp field), and urllib.parse's ipaddress (bracketed
hosts in URLs), which pathlib brings in: about 8 % of a `ticket issue` went to loading them.
Each is loaded at its first use, by whichever code uses it first.

Only a process started here is changed: code importing counter_tui (the tests) keeps its own.
"""

from __future__ import annotations

import gc
import importlib
import sys
import threading
import types

LOADING = 100_000  # several times what a command makes before its work begins
_before: tuple[int, int, int] | None = None  # the thresholds this process started with


DEFERRED = ("socket", "uuid", "calendar", "ipaddress")
_loading = threading.RLock()


class _Deferred(types.ModuleType):
    """Stands in sys.modules for a module until one of its names is first read; then the
    real module is imported and its names copied in, so a reference taken earlier (peewee's
    `socket`) works as the module itself. The lock makes a first use from two threads at once
    load it once (the standard library's LazyLoader has no lock before Python 3.12)."""

    def __getattr__(self, name: str) -> object:
        with _loading:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
                self.__dict__.update(importlib.import_module(self.__name__).__dict__)
        try:
            return self.__dict__[name]
        except KeyError:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}") from None


def defer(names: tuple[str, ...] = DEFERRED) -> None:
    """Stand-ins for the modules `names` not loaded yet."""
    for name in names:
        if name not in sys.modules:
            sys.modules[name] = _Deferred(name)


def resume() -> None:
    """Python's own pace of collection again, for a process that runs on (the TUI). What was
    loaded (modules, classes, the config) lives as long as the process: frozen out of the
    collector's sight (gc.freeze), the first pass after loading no longer looks at its
    tens of thousands of objects before the first frame, nor does any pass after."""
    if _before is not None:
        gc.freeze()
        gc.set_threshold(*_before)


def main() -> int:
    global _before
    _before = gc.get_threshold()
    gc.set_threshold(LOADING, *_before[1:])
    defer()
    from counter_tui.cli import main as run

    return run()
