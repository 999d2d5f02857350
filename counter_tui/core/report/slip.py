"""The day summary on the counter's thermal printer (58 or 80 mm): the day board's figures, one
a line, as a printer-neutral slip that printing/ turns into ESC/POS.
"""

from __future__ import annotations

from datetime import datetime

from counter_tui.core.i18n import t
from counter_tui.core.layout import Block, Cut, Feed, Field, Rule, Slip, Text
from counter_tui.core.report.arithmetic import Durations, day_label, decimal_text, percent
from counter_tui.core.report.model import DayBoard, channel_label


def day_summary_slip(board: DayBoard, *, office: str, printed_at: datetime) -> Slip:
    """A short day summary for a 58/80 mm printer: the board's figures, one per line."""
    def mins(d: Durations) -> str:
        mean, p90 = d.in_minutes()
        if mean is None or p90 is None:
            return "-"
        return t("report.slip.minutes", mean=decimal_text(mean), p90=decimal_text(p90))

    blocks: list[Block] = [
        Text(office, align="center", bold=True),
        Text(t("report.slip.title", day=day_label(board.day)), align="center", bold=True),
        Field(t("report.slip.printed"), printed_at.strftime("%H:%M %d/%m/%Y")),
        Rule(),
        Text(t("report.slip.dossiers"), bold=True),
        Field(t("report.item.received"), str(board.received)),
    ]
    blocks += [Field(f"  {channel_label(c)}", str(n)) for c, n in board.received_by_channel]
    online = percent(board.online_ratio)
    target = percent(board.online_target)
    blocks += [
        Field(t("report.item.online_ratio"),
              f"{'-' if online is None else online}"
              + (f" / {target}" if target is not None else "")),
        Field(t("report.item.resolved"), str(board.resolved)),
        Field(t("report.item.returned"), str(board.returned)),
        Field(t("report.item.due"), str(board.due)),
        Field(t("report.item.overdue"), str(board.overdue)),
        Field(t("report.item.supplements"), str(board.supplements)),
        Rule(),
        Text(t("report.slip.tickets"), bold=True),
    ]
    for g in board.groups:
        blocks.append(Field(f"{g.letter} {g.name}", t(
            "report.slip.group_line", issued=g.issued, served=g.served, waiting=g.waiting,
            absent=g.absent)))
    blocks += [Field(t("report.slip.wait"), mins(board.wait)),
               Field(t("report.slip.service"), mins(board.service))]
    if board.counters:
        blocks.append(Rule())
        blocks += [Field(c.name, t("report.slip.counter_line", served=c.served,
                                   dossiers=c.dossiers_received)) for c in board.counters]
    blocks += [Feed(), Cut()]
    return Slip(kind="day_summary", blocks=tuple(blocks))
