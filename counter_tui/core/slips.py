"""What each printed slip says, as printer-neutral layouts (domain.md §6).

The wording is the office's legal text, so it lives here once and every printer, text mode and
paper width gets the same words.
"""

from __future__ import annotations

from datetime import datetime

from counter_tui.core.i18n import messages, t
from counter_tui.core.layout import QR, Block, Cut, Feed, Field, Rule, Slip, Text

messages({
    "slip.ticket.title": ("SỐ THỨ TỰ", "QUEUE NUMBER"),
    "slip.ticket.counters": ("Mời đến quầy", "Please go to counter"),
    "slip.ticket.ahead": ("Số người chờ trước", "People ahead of you"),
    "slip.ticket.issued": ("Giờ lấy số", "Issued at"),
    "slip.ticket.priority": ("ƯU TIÊN: {kind}", "PRIORITY: {kind}"),
    "slip.ticket.footer": (
        "Vui lòng chờ đến khi số của bạn được gọi",
        "Please wait until your number is called",
    ),
})


def stamp(moment: datetime) -> str:
    """HH:MM dd/mm/yyyy, as Vietnamese forms write a time."""
    return moment.strftime("%H:%M %d/%m/%Y")


def ticket_slip(
    *,
    office: str,
    group_name: str,
    code: str,
    counters: list[str],
    ahead: int,
    issued_at: datetime,
    priority_label: str | None = None,
    qr_payload: str | None = None,
) -> Slip:
    blocks: list[Block] = [
        Text(office, align="center", bold=True),
        Text(group_name, align="center"),
        Rule(),
        Text(t("slip.ticket.title"), align="center", bold=True),
        Text(code, align="center", bold=True, scale=4),
    ]
    if priority_label:
        blocks.append(Text(t("slip.ticket.priority", kind=priority_label), align="center",
                           bold=True))
    blocks += [
        Feed(),
        Field(t("slip.ticket.counters"), ", ".join(counters)),
        Field(t("slip.ticket.ahead"), str(ahead)),
        Field(t("slip.ticket.issued"), stamp(issued_at)),
    ]
    if qr_payload:
        blocks.append(QR(qr_payload, module=5))
    blocks += [Rule(), Text(t("slip.ticket.footer"), align="center"), Cut()]
    return Slip(kind="ticket", blocks=tuple(blocks))
