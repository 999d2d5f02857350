"""T: send the ticket being served to another group's queue or to one counter.

A form of one field: the target, picked from a list (Enter takes it). The ticket's own group and
this counter are not offered: moving there would change nothing.
"""

from __future__ import annotations

from typing import Any

from counter_tui.config import Config
from counter_tui.core.i18n import t
from counter_tui.ui.forms import Field, FormDialog

Target = tuple[str | None, int | None]


class TransferScreen(FormDialog[Target | None]):
    def __init__(self, cfg: Config, group: str | None = None) -> None:
        here = cfg.terminal.counter
        options = [(f"g:{g.letter}", t("transfer.group", letter=g.letter, name=g.name))
                   for g in cfg.groups if g.letter != group]
        options += [(f"c:{c.number}", t("transfer.counter", name=c.name))
                    for c in cfg.counters if c.number != here]
        super().__init__("transfer.title", [Field("target", "transfer.target", "pick",
                                                  options=tuple(options))],
                         hint="form.pick_hint", id="transfer")

    def submitted(self, values: dict[str, Any]) -> None:
        kind, _, value = str(values["target"]).partition(":")
        if not value:
            return
        self.dismiss((value, None) if kind == "g" else (None, int(value)))
