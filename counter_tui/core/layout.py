"""The printer-neutral description of a slip (ticket, receipt, notices, test page).

Services build slips from domain data and store them in print jobs as JSON; the printing layer
turns them into ESC/POS bytes for whatever printer, paper width and Vietnamese text mode is
configured at the moment the job is sent. Keeping the layout free of printer details means a
reprint on another printer, or in another text mode, needs nothing but the stored job.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Literal

from counter_tui.core.records import frozen

Align = Literal["left", "center", "right"]


@frozen
class Text:
    """A paragraph, wrapped to the paper width. `scale` multiplies width and height (1-4)."""

    text: str
    align: Align = "left"
    bold: bool = False
    scale: int = 1


@frozen
class Field:
    """"Label: value" on one line when it fits, the value wrapped under the label otherwise."""

    label: str
    value: str
    bold: bool = False


@frozen
class Rule:
    """A horizontal line across the paper."""

    char: str = "-"


@frozen
class QR:
    """A QR code holding `payload` (a dossier code, a ticket id): scanners type it back."""

    payload: str
    module: int = 6


@frozen
class Feed:
    lines: int = 1


@frozen
class Cut:
    """End of one copy: feed past the cutter and cut."""


@frozen
class FormPage:
    """A legal form (Mẫu 01-06) for the office printer, not the thermal one: the form, its
    paper, where it goes ("cups" and a queue, or "folder" and a folder), the office's template
    folder and the form's context as JSON (core.legal_forms), laid out when it is sent."""

    form: str
    paper: str
    output: str
    target: str
    templates: str
    context: str


Block = Text | Field | Rule | QR | Feed | Cut | FormPage

_KINDS: dict[str, type[Block]] = {
    "text": Text,
    "field": Field,
    "rule": Rule,
    "qr": QR,
    "feed": Feed,
    "cut": Cut,
    "form": FormPage,
}
_NAMES = {cls: name for name, cls in _KINDS.items()}


@frozen
class Slip:
    kind: str
    blocks: tuple[Block, ...]

    def to_json(self) -> str:
        items = [{"k": _NAMES[type(b)], **asdict(b)} for b in self.blocks]
        return json.dumps({"kind": self.kind, "blocks": items}, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> Slip:
        data = json.loads(raw)
        blocks: list[Block] = []
        for item in data["blocks"]:
            item = dict(item)
            blocks.append(_KINDS[item.pop("k")](**item))
        return cls(kind=data["kind"], blocks=tuple(blocks))


def copies(slip: Slip, count: int) -> Slip:
    """The slip repeated `count` times, each copy ending in a cut."""
    body = tuple(b for b in slip.blocks if not isinstance(b, Cut))
    blocks: list[Block] = []
    for _ in range(max(1, count)):
        blocks.extend(body)
        blocks.append(Cut())
    return Slip(kind=slip.kind, blocks=tuple(blocks))
