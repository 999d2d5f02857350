"""The slips of a dossier's life after the receipt (Thông tư 01/2018/TT-VPCP, short forms):

- Mẫu 02, request for supplements: the missing documents, the reason, the deadline, whom to ask;
- the receipt of the supplements, with the appointment moved by the time waited;
- Mẫu 03, refusal: the reason;
- Mẫu 04, apology with a new appointment: the first appointment beside the new one;
- the result-ready notice: the result is at the desk, when and how to collect it (what to
  bring), for the applicant;
- the result hand-over slip: who took the result (ID masked) or the waybill, signed for;
- Mẫu 05, the control sheet: every hand-over step (from, to, when, who gave, who received),
  printed on each hand-over with room for the two signatures of the step just made, since the
  sheet travels with the dossier and each hand-over is signed on it.

Printer-neutral like every slip (core.layout): the printing layer decides the bytes. The words
keep to letters the printers' Vietnamese code pages have (no arrows or middle dots).
"""

from __future__ import annotations

from datetime import datetime

from counter_tui.core.i18n import t
from counter_tui.core.layout import QR, Block, Cut, Feed, Field, Rule, Slip, Text
from counter_tui.core.records import frozen
from counter_tui.core.slips import stamp


@frozen
class NoticeHead:
    """What every slip of a dossier starts with."""

    office: str
    code: str
    applicant: str
    procedure: str
    received_at: datetime
    officer: str
    issued_at: datetime
    office_phone: str = ""


def _head(h: NoticeHead, title_key: str) -> list[Block]:
    blocks: list[Block] = [Text(h.office, align="center", bold=True), Rule()]
    blocks += [Text(line, align="center", bold=True) for line in t(title_key).split("\n")]
    blocks += [
        Feed(),
        Field(t("notice.code"), h.code, bold=True),
        QR(h.code),
        Field(t("notice.applicant"), h.applicant, bold=True),
        Field(t("notice.procedure"), h.procedure),
        Field(t("notice.received"), stamp(h.received_at)),
    ]
    return blocks


def _tail(h: NoticeHead, *, contact: bool = False) -> list[Block]:
    officer = (t("notice.contact_phone", officer=h.officer, phone=h.office_phone)
               if contact and h.office_phone else h.officer)
    return [
        Field(t("notice.contact") if contact else t("notice.officer"), officer),
        Field(t("notice.issued"), stamp(h.issued_at)),
        Feed(),
        Text(t("notice.lookup"), align="center"),
        Cut(),
    ]


def supplement_request_slip(h: NoticeHead, *, missing: tuple[str, ...], reason: str,
                            deadline: datetime) -> Slip:
    """Mẫu 02: what to bring, why, and by when."""
    blocks = _head(h, "notice.supplement.title")
    blocks += [Rule(), Text(t("notice.supplement.intro"), bold=True)]
    blocks += [Text(f"{i}. {name}") for i, name in enumerate(missing, start=1)]
    blocks += [
        Field(t("notice.supplement.reason"), reason),
        Rule(),
        Text(t("notice.supplement.deadline"), align="center", bold=True),
        Text(deadline.strftime("%d/%m/%Y"), align="center", bold=True, scale=2),
        Rule(),
        Text(t("notice.supplement.clock")),
    ]
    return Slip(kind="supplement_request", blocks=tuple(blocks + _tail(h, contact=True)))


def supplement_receipt_slip(h: NoticeHead, *, documents: tuple[str, ...], paused_at: datetime,
                            resumed_at: datetime, waited_minutes: int, due_at: datetime,
                            original_due_at: datetime | None) -> Slip:
    """The supplements are in: what came, how long the clock stood still, the new appointment."""
    blocks = _head(h, "notice.supplied.title")
    if documents:
        blocks.append(Text(t("notice.supplied.documents") + ":", bold=True))
        blocks += [Text(f"{i}. {name}") for i, name in enumerate(documents, start=1)]
    hours = f"{waited_minutes // 60}:{waited_minutes % 60:02d}"
    blocks.append(Field(t("notice.supplied.paused"), t(
        "notice.supplied.span", start=stamp(paused_at), end=stamp(resumed_at), hours=hours)))
    if original_due_at and original_due_at != due_at:
        blocks.append(Field(t("notice.supplied.original"), stamp(original_due_at)))
    blocks += [
        Rule(),
        Text(t("notice.supplied.due"), align="center", bold=True),
        Text(stamp(due_at), align="center", bold=True, scale=2),
        Rule(),
    ]
    return Slip(kind="supplement_receipt", blocks=tuple(blocks + _tail(h)))


def refusal_slip(h: NoticeHead, *, reason: str) -> Slip:
    """Mẫu 03: the dossier is not received or not resolved, and why."""
    blocks = _head(h, "notice.refusal.title")
    blocks += [
        Rule(),
        Text(t("notice.refusal.intro"), bold=True),
        Text(reason),
        Feed(),
        Text(t("notice.refusal.outro")),
        Rule(),
    ]
    return Slip(kind="refusal", blocks=tuple(blocks + _tail(h, contact=True)))


def apology_slip(h: NoticeHead, *, original_due_at: datetime | None, reason: str,
                 new_due_at: datetime) -> Slip:
    """Mẫu 04: the first appointment is printed beside the new one."""
    blocks = _head(h, "notice.apology.title")
    if original_due_at:
        blocks.append(Field(t("notice.apology.original"), stamp(original_due_at)))
    blocks += [
        Field(t("notice.apology.reason"), reason),
        Rule(),
        Text(t("notice.apology.text")),
        Text(stamp(new_due_at), align="center", bold=True, scale=2),
        Rule(),
    ]
    return Slip(kind="apology", blocks=tuple(blocks + _tail(h, contact=True)))


def result_ready_slip(h: NoticeHead, *, ready_at: datetime, appointment: datetime | None,
                      ontime_label: str, by_post: bool) -> Slip:
    """The result is at the desk: when it came, the appointment, and how it reaches the
    applicant (what to bring to the counter, or that it goes by post)."""
    blocks = _head(h, "notice.ready.title")
    blocks += [Field(t("notice.ready.at"), stamp(ready_at), bold=True)]
    if appointment:
        blocks.append(Field(t("notice.ready.appointment"), stamp(appointment)))
    blocks += [
        Field(t("notice.result.ontime"), ontime_label),
        Rule(),
        Text(t("notice.ready.by_post") if by_post else t("notice.ready.collect")),
        Rule(),
    ]
    return Slip(kind="result_ready", blocks=tuple(blocks + _tail(h, contact=True)))


@frozen
class ResultHandover:
    due_at: datetime | None
    resolved_at: datetime | None
    returned_at: datetime
    ontime_label: str
    method: str  # "counter" | "post"
    collected_by: str = ""
    id_masked: str = ""
    waybill: str = ""
    delivered_at: datetime | None = None
    rating_label: str = ""


def result_slip(h: NoticeHead, r: ResultHandover) -> Slip:
    """The result handed over: to whom (ID masked) or by post (waybill); signed for."""
    blocks = _head(h, "notice.result.title")
    if r.due_at:
        blocks.append(Field(t("notice.result.due"), stamp(r.due_at)))
    if r.resolved_at:
        blocks.append(Field(t("notice.result.ready"), stamp(r.resolved_at)))
    blocks += [
        Field(t("notice.result.returned"), stamp(r.returned_at), bold=True),
        Field(t("notice.result.ontime"), r.ontime_label),
    ]
    if r.method == "post":
        blocks += [Text(t("notice.result.by_post"), bold=True),
                   Field(t("notice.result.waybill"), r.waybill, bold=True)]
        if r.delivered_at:
            blocks.append(Field(t("notice.result.delivered"), stamp(r.delivered_at)))
    else:
        blocks.append(Field(t("notice.result.collected_by"), r.collected_by, bold=True))
        if r.id_masked:
            blocks.append(Field(t("notice.result.id"), r.id_masked))
    if r.rating_label:
        blocks.append(Field(t("notice.result.rating"), r.rating_label))
    blocks += [Rule(), Text(t("notice.result.giver"), bold=True), Text(h.officer)]
    if r.method != "post":
        blocks += [Feed(), Text(t("notice.result.receiver"), bold=True),
                   Text(t("notice.sign")), Feed(3), Text(r.collected_by)]
    blocks += [Feed(), Field(t("notice.issued"), stamp(h.issued_at)), Cut()]
    return Slip(kind="result", blocks=tuple(blocks))


@frozen
class HandoverStep:
    """One row of Mẫu 05."""

    source: str
    target: str
    at: datetime
    given_by: str
    received_by: str
    outcome: str = ""


def control_slip(h: NoticeHead, steps: tuple[HandoverStep, ...], *,
                 sign_last: bool = False) -> Slip:
    """Mẫu 05: the dossier's path between the desk and the units, step by step; `sign_last`
    leaves room under the last step for the giver's and the receiver's signatures (the sheet
    printed by a hand-over, which goes with the dossier)."""
    blocks = _head(h, "notice.control.title")
    blocks.append(Rule())
    for n, s in enumerate(steps, start=1):
        blocks += [
            Text(t("notice.control.step", n=n, src=s.source, dst=s.target), bold=True),
            Field(t("notice.control.at"), stamp(s.at)),
            Field(t("notice.control.gave"), s.given_by),
        ]
        if s.received_by:
            blocks.append(Field(t("notice.control.took"), s.received_by))
        if s.outcome:
            blocks.append(Field(t("notice.control.result"), s.outcome))
    if sign_last and steps:
        last = steps[-1]
        for title, name in ((t("notice.control.giver_signs"), last.given_by),
                            (t("notice.control.taker_signs"), last.received_by)):
            blocks += [Feed(), Text(title, bold=True), Text(t("notice.sign")), Feed(3),
                       Text(name)]
    blocks += [Rule(), Field(t("notice.issued"), stamp(h.issued_at)), Cut()]
    return Slip(kind="control", blocks=tuple(blocks))
