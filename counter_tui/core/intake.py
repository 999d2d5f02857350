"""A dossier as the officer types it, and the check that turns it into one that can be stored.

The form keeps a `DossierDraft` of raw text; `check` validates every field at once and returns
either the clean values or every problem, each naming its field, so the form can mark them all
and nothing is stored until the whole dossier is right. The same check serves the CLI; the
form checks a field as the officer leaves it with the same validator (`FIELD_CHECKS`). Which
procedures best match what the officer typed (`rank_procedures`) is decided here too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from counter_tui.core import validation as v
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.records import frozen
from counter_tui.core.text import clean, fold
from counter_tui.core.views import DocumentView, ProcedureView

CHANNELS = ("walk_in", "post", "online")
POST_OPTIONS = (1, 2, 3)  # 1 dossier sent by post, 2 result returned by post, 3 both
LEVELS = ("toàn trình", "một phần", "không trực tuyến")


# each field of a draft and its validator (called with the field's name as `field=`)
FIELD_CHECKS: dict[str, Callable[..., Any]] = {
    "applicant_name": v.validate_name,
    "id_number": v.validate_id_number,
    "phone": v.validate_phone,
    "address": v.validate_address,
    "email": v.validate_email,
    "representative": v.validate_name,
    "representative_id": v.validate_id_number,
    "sets": v.validate_sets,
    "fee": v.validate_fee,
    "note": v.validate_note,
    "waybill": v.validate_waybill,
    "postal_charge": v.validate_fee,
    "delivery_address": partial(v.validate_address, required=True),
    "portal_code": v.validate_portal_code,
}


def check_field(name: str, value: Any) -> Any:
    """The clean value of one field of a draft, or the UserError naming it."""
    return FIELD_CHECKS[name](value, field=name)


def rank_procedures(procedures: Sequence[ProcedureView], text: str) -> list[ProcedureView]:
    """Best match first: the exact code, the name exactly as typed, names holding every typed
    word as a whole word (a search also matches parts of words: "hon" in "thông"), the typed
    words in that order, then the shorter name (the plain procedure before combined ones)."""
    key = fold(text)
    code = clean(text).upper()
    typed = key.split()

    def score(p: ProcedureView) -> tuple[bool, bool, int, bool, int, str]:
        name = fold(p.name)
        words = set(name.split())
        whole = sum(word in words for word in typed)
        return (p.code != code, name != key, -whole, key not in name, len(name), p.name)

    return sorted(procedures, key=score)


def channel_label(channel: str) -> str:
    return t(f"intake.channel.{channel}")


@dataclass
class DocumentLine:
    name: str
    originals: int | str = 0
    copies: int | str = 0


@dataclass
class DossierDraft:
    """Raw values from the form or the command line; nothing here is trusted yet."""

    channel: str = "walk_in"
    procedure_code: str = ""
    applicant_name: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""
    email: str = ""
    representative: str = ""
    representative_id: str = ""
    documents: list[DocumentLine] = field(default_factory=list)
    sets: int | str = 1
    fee: int | str | None = None
    note: str = ""
    post_option: int | str | None = None
    waybill: str = ""
    postal_charge: int | str = 0
    delivery_address: str = ""
    portal_code: str = ""
    level: str = ""
    vneid: bool = False
    paid_online: bool = False
    ticket_id: int | None = None


@frozen
class CleanDossier:
    channel: str
    procedure: ProcedureView
    applicant_name: str
    id_number: str
    id_kind: str
    phone: str
    address: str
    email: str
    representative: str
    representative_id: str
    documents: tuple[DocumentView, ...]
    sets: int
    fee_vnd: int
    note: str
    post_option: int | None
    waybill: str
    postal_charge_vnd: int
    delivery_address: str
    portal_code: str
    level: str
    vneid: bool
    paid_online: bool
    ticket_id: int | None

    @property
    def return_method(self) -> str:
        return "post" if self.post_option in (2, 3) else "counter"


class IntakeErrors(UserError):
    """Every problem of a draft at once; `errors` keeps each one with its field."""

    def __init__(self, errors: list[UserError]) -> None:
        self.errors = errors
        super().__init__("intake.invalid", count=len(errors), first=errors[0])

    def by_field(self) -> dict[str, str]:
        return {e.field or "": str(e) for e in self.errors}


def check(draft: DossierDraft, procedure: ProcedureView | None) -> CleanDossier:
    """The clean dossier, or IntakeErrors listing every field that is wrong."""
    errors: list[UserError] = []

    def take(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except UserError as exc:
            errors.append(exc)
            return None

    channel = clean(draft.channel).lower()
    if channel not in CHANNELS:
        errors.append(UserError("intake.channel.invalid", field="channel", value=draft.channel))
    if procedure is None:
        key = "intake.procedure.unknown" if clean(draft.procedure_code) else \
            "intake.procedure.required"
        errors.append(UserError(key, field="procedure", code=clean(draft.procedure_code)))
    name = take(check_field, "applicant_name", draft.applicant_name)
    ident = take(check_field, "id_number", draft.id_number) if clean(draft.id_number) else None
    phone = take(check_field, "phone", draft.phone)
    address = take(check_field, "address", draft.address)
    email = take(check_field, "email", draft.email) if clean(draft.email) else ""
    rep = take(check_field, "representative", draft.representative) \
        if clean(draft.representative) else ""
    rep_id = None
    if rep:
        if clean(draft.representative_id):
            rep_id = take(check_field, "representative_id", draft.representative_id)
        else:
            errors.append(UserError("intake.representative.id", field="representative_id"))
    sets = take(check_field, "sets", draft.sets)
    note = take(check_field, "note", draft.note)

    documents: list[DocumentView] = []
    for i, doc in enumerate(draft.documents):
        originals = take(v.validate_count, doc.originals or 0, field=f"documents.{i}.originals")
        copies = take(v.validate_count, doc.copies or 0, field=f"documents.{i}.copies")
        if not clean(doc.name):
            if originals or copies:
                errors.append(UserError("intake.documents.name", field=f"documents.{i}.name"))
            continue
        if originals or copies:
            doc_name = take(v.validate_document_name, doc.name, field=f"documents.{i}.name")
            documents.append(DocumentView(doc_name or clean(doc.name), originals or 0,
                                          copies or 0))
    if not documents:
        errors.append(UserError("intake.documents.none", field="documents"))

    default_fee = 0
    if procedure is not None:
        default_fee = procedure.fee_online_vnd if channel == "online" else procedure.fee_vnd
    fee = default_fee if draft.fee in (None, "") else take(check_field, "fee", draft.fee)

    post_option, waybill, charge, delivery = None, "", 0, ""
    if channel == "post":
        try:
            post_option = int(str(draft.post_option).strip())
        except ValueError:
            post_option = None
        if post_option not in POST_OPTIONS:
            errors.append(UserError("intake.post_option.invalid", field="post_option"))
        if post_option in (1, 3) or clean(draft.waybill):
            waybill = take(check_field, "waybill", draft.waybill) or ""
        charge = take(check_field, "postal_charge", draft.postal_charge or 0) or 0
        if post_option in (2, 3):
            delivery = take(check_field, "delivery_address", draft.delivery_address) or ""

    portal, level = "", procedure.level if procedure else ""
    if channel == "online":
        portal = take(check_field, "portal_code", draft.portal_code) or ""
        if clean(draft.level):
            level = clean(draft.level).lower()
            if level not in LEVELS[:2]:
                errors.append(UserError("intake.level.invalid", field="level", value=level))

    if errors:
        raise IntakeErrors(errors)
    assert procedure is not None and name is not None and phone is not None
    return CleanDossier(
        channel=channel, procedure=procedure, applicant_name=name,
        id_number=ident.value if ident else "", id_kind=ident.kind if ident else "",
        phone=phone, address=address or "", email=email or "", representative=rep or "",
        representative_id=rep_id.value if rep_id else "", documents=tuple(documents),
        sets=sets or 1, fee_vnd=fee or 0, note=note or "", post_option=post_option,
        waybill=waybill, postal_charge_vnd=charge, delivery_address=delivery,
        portal_code=portal, level=level, vneid=bool(draft.vneid) and channel == "online",
        paid_online=bool(draft.paid_online) and channel == "online", ticket_id=draft.ticket_id,
    )
