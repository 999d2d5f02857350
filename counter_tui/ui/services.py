"""The services the screens call, imported on first use.

Importing the services pulls in peewee and the models; doing that lazily lets the first frame
of the counter screen appear while the store is still being opened in a worker.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType
from typing import Any


class _Services:
    def __getattr__(self, name: str) -> ModuleType:
        import importlib

        module = importlib.import_module(f"counter_tui.services.{name}")
        setattr(self, name, module)
        return module


@cache
def services() -> Any:
    return _Services()
