"""What each printed slip says, as printer-neutral layouts (domain.md §6).

The wording is the office's legal text, so it lives here once and every printer, text mode and
paper width gets the same words.
"""

from __future__ import annotations

from datetime import datetime

from counter_tui.core.i18n import t, tn
from counter_tui.core.layout import QR, Block, Cut, Feed, Field, Rule, Slip, Text
from counter_tui.core.records import frozen


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


@frozen
class ReceiptData:
    """Everything a receipt (Mẫu 01, short form) prints, already checked and formatted."""

    office: str
    code: str
    applicant: str
    id_masked: str
    phone: str
    address: str
    representative: str
    procedure: str
    channel_label: str
    documents: tuple[tuple[str, int, int], ...]
    sets: int
    processing_days: int
    same_day_cutoff: str | None
    received_at: datetime
    due_at: datetime
    return_method: str
    delivery_address: str
    waybill: str
    postal_charge: int
    portal_code: str
    fee: int
    officer: str


def money(amount: int) -> str:
    return t("slip.money", amount=f"{amount:,}".replace(",", "."))


def receipt_slip(r: ReceiptData) -> Slip:
    blocks: list[Block] = [Text(r.office, align="center", bold=True), Rule()]
    blocks += [Text(line, align="center", bold=True) for line in
               t("slip.receipt.title").split("\n")]
    blocks += [
        Feed(),
        Field(t("slip.receipt.code"), r.code, bold=True),
        QR(r.code),
        Field(t("slip.receipt.applicant"), r.applicant, bold=True),
    ]
    if r.id_masked:
        blocks.append(Field(t("slip.receipt.id"), r.id_masked))
    blocks.append(Field(t("slip.receipt.phone"), r.phone))
    if r.address:
        blocks.append(Field(t("slip.receipt.address"), r.address))
    if r.representative:
        blocks.append(Field(t("slip.receipt.representative"), r.representative))
    blocks += [
        Field(t("slip.receipt.procedure"), r.procedure),
        Field(t("slip.receipt.channel"), r.channel_label),
    ]
    if r.portal_code:
        blocks.append(Field(t("slip.receipt.portal"), r.portal_code))
    if r.waybill:
        blocks.append(Field(t("slip.receipt.waybill"), r.waybill))
    blocks.append(Text(t("slip.receipt.documents") + ":", bold=True))
    for i, (name, originals, copies) in enumerate(r.documents, start=1):
        counts = [tn(key, n) for key, n in (("slip.receipt.originals", originals),
                                            ("slip.receipt.copies", copies)) if n]
        blocks.append(Text(f"{i}. {name}: {', '.join(counts)}"))
    limit = (t("slip.receipt.days", days=r.processing_days) if r.processing_days
             else t("slip.receipt.same_day", cutoff=r.same_day_cutoff or "17:00"))
    blocks += [
        Field(t("slip.receipt.sets"), str(r.sets)),
        Field(t("slip.receipt.time_limit"), limit),
        Field(t("slip.receipt.received"), stamp(r.received_at)),
        Rule(),
        Text(t("slip.receipt.due"), align="center", bold=True),
        Text(stamp(r.due_at), align="center", bold=True, scale=2),
        Rule(),
        Field(t("slip.receipt.return"), t("slip.receipt.return_post", address=r.delivery_address)
              if r.return_method == "post" else t("slip.receipt.return_counter")),
        Field(t("slip.receipt.fee"), money(r.fee)),
    ]
    if r.postal_charge:
        blocks.append(Field(t("slip.receipt.postal_charge"), money(r.postal_charge)))
    blocks += [
        Field(t("slip.receipt.officer"), r.officer),
        Feed(),
        Text(t("slip.receipt.lookup"), align="center"),
        Cut(),
    ]
    return Slip(kind="receipt", blocks=tuple(blocks))
