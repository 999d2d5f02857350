"""Text that is a message key, looked up when shown.

A label computed once, when its screen was built, stays in the language of that moment; a
`Msg` keeps its key and parameters, so a change of language redraws it (`relabel`).
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.widgets import Static

from counter_tui.core.i18n import t


class Msg(Static):
    def __init__(self, key: str, params: Mapping[str, object] | None = None, *,
                 id: str | None = None, classes: str | None = None) -> None:
        self.key, self.params = key, dict(params or {})
        super().__init__(t(key, **self.params), id=id, classes=classes)

    def relabel(self) -> None:
        self.update(t(self.key, **self.params))
