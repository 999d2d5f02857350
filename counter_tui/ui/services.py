"""The services the screens call: the real modules, typed, imported on first use.

A screen writes `services.queue.issue(store, group)` after `from counter_tui.ui import services`.
For mypy and import-linter this module imports every service module (the imports under
TYPE_CHECKING), so a renamed or removed service function turns mypy red at each screen that
calls it, and the ui -> services edges are in the import graph. At run time a service module
is imported the first time a screen reaches for it: the counter screen's first frame needs only
the queue and the print jobs, and importing the forms' and reports' services up front made
start-up measurably slower (about a fifth, on the start-up benchmark).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counter_tui.services import (
        accounts,
        catalogue,
        display,
        documents,
        dossiers,
        intake,
        kiosk,
        legal_forms,
        lifecycle,
        lookup,
        printjobs,
        queue,
        reports,
        scanner,
        worklists,
    )

__all__ = ["accounts", "catalogue", "display", "documents", "dossiers", "intake", "kiosk",
           "legal_forms", "lifecycle", "lookup", "printjobs", "queue", "reports", "scanner",
           "worklists"]

if not TYPE_CHECKING:  # hidden from mypy, so a name not imported above is an error there too

    def __getattr__(name: str) -> object:
        if name not in __all__:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        module = importlib.import_module(f"counter_tui.services.{name}")
        globals()[name] = module
        return module
