"""The data of the legal forms of Thông tư 01/2018/TT-VPCP (Mẫu 01-06) for the office printer.

The thermal slips (core.slips, core.notices) are the short versions; these are the full forms
the law names, laid out by a template per form (printing.pdf). This module turns the same
views the slips are built from (DossierView, its events, HandoverStep, the register's lines)
into one plain context per form: every value already a string in the office's format, so a
template needs no code, the context round-trips through JSON in a print job, and a form
printed again later says what it said the first time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.notices import HandoverStep
from counter_tui.core.records import frozen
from counter_tui.core.views import DossierView


class Form(StrEnum):
    RECEIPT = "01"  # giấy tiếp nhận hồ sơ và hẹn trả kết quả
    SUPPLEMENT = "02"  # phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
    REFUSAL = "03"  # phiếu từ chối tiếp nhận giải quyết hồ sơ
    APOLOGY = "04"  # phiếu xin lỗi và hẹn lại ngày trả kết quả
    CONTROL = "05"  # phiếu kiểm soát quá trình giải quyết hồ sơ
    REGISTER = "06"  # sổ theo dõi hồ sơ

    @property
    def landscape(self) -> bool:
        return self is Form.REGISTER

    @property
    def label(self) -> str:
        return t(f"legal_form.name.{self.value}")


# the thermal slip a form stands beside: config chooses thermal, the form, or both per kind
FORM_OF_SLIP: dict[str, Form] = {
    "receipt": Form.RECEIPT,
    "supplement_request": Form.SUPPLEMENT,
    "refusal": Form.REFUSAL,
    "apology": Form.APOLOGY,
    "control": Form.CONTROL,
}
# the event whose data a form prints (the last one of its kind)
_EVENT_OF_FORM = {Form.SUPPLEMENT: "request_supplements", Form.REFUSAL: "refuse",
                  Form.APOLOGY: "apologise"}


def forms_of(d: DossierView) -> tuple[Form, ...]:
    """The forms a dossier can be printed as, in the law's order: the receipt and the control
    sheet always; a request, a refusal or an apology once the dossier went through that step
    (the form prints that step's data, so without it there is nothing to print)."""
    done = {event.action for event in d.events}
    return tuple(form for form in Form if form is not Form.REGISTER
                 and (form not in _EVENT_OF_FORM or _EVENT_OF_FORM[form] in done))


def parse_form(value: str) -> Form:
    """"01", "1", "mau01", "Mẫu 01" -> Form.RECEIPT; anything else is a clear error."""
    digits = "".join(ch for ch in value if ch.isdigit())
    try:
        return Form(digits.zfill(2))
    except ValueError:
        raise UserError("legal_form.unknown", field="form", form=value) from None


@frozen
class Office:
    """The office as the heading block names it."""

    name: str
    authority: str = ""  # the line above the office's name: the body it belongs to
    place: str = ""  # the place name of the date line ("Đông Hưng, ngày ...")
    address: str = ""
    phone: str = ""


def day_text(moment: date | datetime | None) -> str:
    return moment.strftime("%d/%m/%Y") if moment else ""


def time_text(moment: datetime | None) -> str:
    """'14 giờ 30 phút, ngày 01/12/2026': how the forms write a time. The forms are the law's
    Vietnamese documents, whatever language the screens speak: the words live in the
    templates, and the values are written the Vietnamese way."""
    if moment is None:
        return ""
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút, ngày {day_text(moment)}"


def money_text(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def _issued(office: Office, issued_at: datetime) -> dict[str, str]:
    return {"office": office.name, "authority": office.authority,
            "place": office.place, "office_address": office.address,
            "office_phone": office.phone, "issued_day": f"{issued_at.day:02d}",
            "issued_month": f"{issued_at.month:02d}", "issued_year": str(issued_at.year),
            "issued_at": time_text(issued_at), "officer": ""}


def _dossier(d: DossierView) -> dict[str, Any]:
    return {
        "code": d.code, "applicant": d.applicant_name, "id_masked": d.id_number_masked,
        "phone": d.phone, "address": d.address, "email": d.email,
        "representative": d.representative, "procedure": d.procedure_name,
        "procedure_code": d.procedure_code, "field": d.field, "sets": str(d.sets),
        "received_at": time_text(d.received_at), "due_at": time_text(d.due_at),
        "fee": money_text(d.fee_vnd), "postal_charge": money_text(d.postal_charge_vnd)
        if d.postal_charge_vnd else "",
        "return_post": d.return_method == "post", "delivery_address": d.delivery_address,
        "waybill": d.waybill, "portal_code": d.portal_code,
        "documents": [{"n": str(i), "name": doc.name, "originals": str(doc.originals),
                       "copies": str(doc.copies)}
                      for i, doc in enumerate(d.documents, start=1)],
    }


def _last_event(d: DossierView, action: str) -> dict[str, Any]:
    for event in reversed(d.events):
        if event.action == action:
            try:
                data = json.loads(event.data) if event.data else {}
            except ValueError:
                data = {}
            return {**(data if isinstance(data, dict) else {}), "at": event.at,
                    "note": event.note}
    return {}


def _moment(value: Any) -> str:
    if isinstance(value, str) and value:
        try:
            return time_text(datetime.fromisoformat(value))
        except ValueError:
            return value
    return time_text(value) if isinstance(value, datetime) else ""


def dossier_form(form: Form, d: DossierView, office: Office, *, officer: str,
                 issued_at: datetime, steps: Sequence[HandoverStep] = (),
                 processing_days: int | None = None) -> dict[str, Any]:
    """The context of Mẫu 01-05 for a dossier: its data, and for 02-04 what the step that
    printed it recorded (missing documents and deadline, reason, new appointment)."""
    if form is Form.REGISTER:
        raise ValueError("the register is a period's form, not a dossier's")
    ctx: dict[str, Any] = {"form": form.value, **_issued(office, issued_at),
                           **_dossier(d), "officer": officer,
                           "processing_days": str(processing_days or "")}
    event = _last_event(d, _EVENT_OF_FORM[form]) if form in _EVENT_OF_FORM else {}
    if form in _EVENT_OF_FORM and not event:
        raise UserError("legal_form.no_step", field="form", form=form.label, code=d.code)
    ctx["reason"] = str(event.get("reason", ""))
    if form is Form.SUPPLEMENT:
        ctx["missing"] = [str(x) for x in event.get("missing", ())]
        ctx["deadline"] = _moment(event.get("deadline"))
        ctx["requested_at"] = time_text(event.get("at"))
    elif form is Form.REFUSAL:
        ctx["refused_at"] = time_text(event.get("at"))
    elif form is Form.APOLOGY:
        ctx["previous_due"] = _moment(event.get("previous_due")) or ctx["due_at"]
        ctx["new_due"] = _moment(event.get("new_due"))
    elif form is Form.CONTROL:
        ctx["steps"] = [{"n": str(i), "source": s.source, "target": s.target,
                         "at": time_text(s.at), "given_by": s.given_by,
                         "received_by": s.received_by, "outcome": s.outcome}
                        for i, s in enumerate(steps, start=1)]
    return ctx


def register_form(lines: Iterable[dict[str, str]], office: Office, *, start: date, end: date,
                  issued_at: datetime) -> dict[str, Any]:
    """The context of Mẫu 06 for a period: one row per dossier, already formatted."""
    return {"form": Form.REGISTER.value, **_issued(office, issued_at),
            "code": f"{start:%Y%m%d}-{end:%Y%m%d}", "start": day_text(start),
            "end": day_text(end), "rows": list(lines)}
