"""Where the `counter-tui` process starts (its console script, and `python -m counter_tui`): the
program loads with Python's cyclic garbage collector held back.

Loading the program (argparse, peewee, the models, the records, the services a command uses)
makes tens of thousands of objects that live as long as the process, none of them garbage,
and the collector, which runs after every 700 new ones, walked them again and again: some 40
passes, about a fourteenth of a kiosk script's `ticket issue`. So it runs after every
`LOADING` new ones instead: a command (a ticket, a report, an import) still has its cyclic
garbage collected as it goes, in fewer and larger passes. The TUI, which must answer each key
without a pause, goes back to Python's own pace once it is loaded (`resume`, from cli.run_tui).

Only a process started here is changed: code importing counter_tui (the tests) keeps its own.
"""

from __future__ import annotations

import gc

LOADING = 100_000  # several times what a command makes before its work begins
_before: tuple[int, int, int] | None = None  # the thresholds this process started with


def resume() -> None:
    """Python's own pace of collection again, for a process that runs on (the TUI)."""
    if _before is not None:
        gc.set_threshold(*_before)


def main() -> int:
    global _before
    _before = gc.get_threshold()
    gc.set_threshold(LOADING, *_before[1:])
    from counter_tui.cli import main as run

    return run()
