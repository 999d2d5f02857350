"""The steps of an open dossier: accepted online, handed over between units (Mẫu 05), supplements
requested (Mẫu 02, the clock stops) and received (the due date moves later), payment
requested and received, and an apology with a new appointment (Mẫu 04).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from counter_tui.core import statuses as st
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.lifecycle import (
    StatusChange,
    handover_person,
    missing_documents,
    parse_day,
    parse_moment,
    required_text,
)
from counter_tui.core.notices import (
    HandoverStep,
    apology_slip,
    control_slip,
    supplement_receipt_slip,
    supplement_request_slip,
)
from counter_tui.core.roles import Action
from counter_tui.core.slips import stamp
from counter_tui.core.text import clean
from counter_tui.core.validation import validate_fee
from counter_tui.db.models import Dossier, DossierEvent
from counter_tui.services.authority import gated
from counter_tui.services.calendar_days import calendar_of
from counter_tui.services.lifecycle.control_sheet import handover_steps
from counter_tui.services.lifecycle.reading import decode_data, find_dossier
from counter_tui.services.lifecycle.recording import (
    not_now,
    notice_head,
    officer_name,
    write_step,
)
from counter_tui.services.store import Store

APOLOGY_STATUSES = frozenset({st.RECEIVED, st.PROCESSING, st.SUPPLEMENT, st.AWAITING_PAYMENT})
HANDOVER_STATUSES = frozenset({st.RECEIVED, st.PROCESSING})


def _working_day_end(store: Store, day: date, field: str) -> datetime:
    cal = calendar_of(store, day)
    if not cal.is_working_day(day):
        raise UserError("lifecycle.not_working_day", field=field, day=day.strftime("%d/%m/%Y"),
                        suggest=cal.next_working_day(day).strftime("%d/%m/%Y"))
    return cal.day_end(day)


@gated(Action.DOSSIER_STEP)
def accept(store: Store, code: str, *, note: str = "") -> StatusChange:
    """1 -> 2: an online dossier is complete and accepted at the counter."""
    with store.write():
        d, now = find_dossier(code), store.now()
        return write_step(store, d, now, action="accept", to=st.RECEIVED, note=note, data={})


@gated(Action.DOSSIER_STEP)
def handover(store: Store, code: str, *, to_unit: str, received_by: str,
             given_by: str = "", note: str = "") -> StatusChange:
    """A Mẫu 05 step: the dossier goes from the desk (or a unit) to a unit, given by someone
    (default: the officer) and received by someone, both named (they sign the control sheet,
    which prints at once with the step and room for their signatures). The first hand-over of
    a received dossier starts its processing (2 -> 4); later ones keep it processing."""
    unit = required_text(to_unit, field="unit", what="unit", limit=200)
    taker = handover_person(received_by, field="received_by", what="person")
    with store.write():
        d, now = find_dossier(code), store.now()
        if d.status not in HANDOVER_STATUSES:
            raise not_now(d, "handover")
        source = d.holder or t("lifecycle.one_stop")
        if unit == source:
            raise UserError("lifecycle.handover.same_unit", field="unit", unit=unit)
        giver = handover_person(clean(given_by) or officer_name(store.officer),
                                field="given_by", what="giver")
        holder = "" if unit == t("lifecycle.one_stop") else unit
        step = HandoverStep(source, unit, now, giver, taker)
        slip = control_slip(notice_head(store, d, now), (*handover_steps(d), step),
                            sign_last=True)
        return write_step(store, d, now, action="handover",
                          to=st.PROCESSING if d.status == st.RECEIVED else None, note=note,
                          data={"from": source, "to": unit, "given_by": giver,
                                "received_by": taker}, slip=slip, holder=holder)


@gated(Action.DOSSIER_STEP)
def request_supplements(store: Store, code: str, *, missing: Iterable[str], reason: str,
                        deadline: str | date, note: str = "") -> StatusChange:
    """-> 5 with Mẫu 02: the clock stops (paused_at) until the supplements come."""
    docs = missing_documents(missing)
    why = required_text(reason, field="reason", what="reason")
    day = parse_day(deadline, field="deadline", what="deadline")
    with store.write():
        d, now = find_dossier(code), store.now()
        st.check_transition(d.status, st.SUPPLEMENT)
        if day < now.date():
            raise UserError("lifecycle.deadline.past", field="deadline",
                            day=day.strftime("%d/%m/%Y"))
        until = _working_day_end(store, day, "deadline")
        resume = st.PROCESSING if d.status == st.PROCESSING else st.RECEIVED
        slip = supplement_request_slip(notice_head(store, d, now), missing=docs, reason=why,
                                       deadline=until)
        return write_step(store, d, now, action="request_supplements", to=st.SUPPLEMENT, note=note,
                          data={"missing": docs, "reason": why, "deadline": until,
                                "resume_status": resume},
                          slip=slip, paused_at=now, supplement_deadline=until)


def _last_request(d: Dossier) -> dict[str, object]:
    """The data of the dossier's last request for supplements (Mẫu 02), or {}."""
    last = (DossierEvent.select(DossierEvent.data)
            .where((DossierEvent.dossier == d.id)
                   & (DossierEvent.action == "request_supplements"))
            .order_by(DossierEvent.at.desc(), DossierEvent.id.desc()).first())
    return decode_data(last.data) if last else {}


def _resume_status(d: Dossier) -> int:
    resume = _last_request(d).get("resume_status")
    if resume in (st.RECEIVED, st.PROCESSING):
        return int(resume)
    return st.PROCESSING if d.holder else st.RECEIVED


@gated(Action.DOSSIER_VIEW)
def requested_supplements(store: Store, code: str) -> tuple[str, ...]:
    """The documents the last request for supplements asked for: the checklist the officer
    ticks when they come in."""
    with store.read():
        missing = _last_request(find_dossier(code)).get("missing") or ()
        return tuple(str(x) for x in missing) if isinstance(missing, list | tuple) else ()


@gated(Action.DOSSIER_STEP)
def supplements_received(store: Store, code: str, *, documents: Iterable[str] = (),
                         note: str = "", to: int | None = None) -> StatusChange:
    """5 -> where it waited (4, or 2 if asked at the counter): the due date moves later by the
    working time spent waiting; the original appointment is kept. The event records which
    documents came (ticked from the request, or typed) and which of those asked for did
    not."""
    docs: list[str] = []
    for doc in documents:
        name = required_text(doc, field="documents", what="missing", limit=300, required=False)
        if name and name not in docs:
            docs.append(name)
    with store.write():
        d, now = find_dossier(code), store.now()
        if d.status != st.SUPPLEMENT:
            raise not_now(d, "supplements")
        resume = _resume_status(d)
        if to is not None and to != resume:
            raise UserError("lifecycle.resume_elsewhere", field="to",
                            status=st.status_label(resume))
        asked = _last_request(d).get("missing")
        outstanding = tuple(str(x) for x in (asked if isinstance(asked, list) else ())
                            if str(x) not in docs)
        paused = d.paused_at or now
        cal = calendar_of(store, now.date())
        waited = cal.working_minutes_between(paused, now)
        due = cal.add_working_minutes(d.due_at, waited) if d.due_at else None
        apology = (cal.add_working_minutes(d.apology_due_at, waited)
                   if d.apology_due_at else None)
        slip = None
        if due is not None:
            slip = supplement_receipt_slip(notice_head(store, d, now), documents=tuple(docs),
                                           paused_at=paused, resumed_at=now,
                                           waited_minutes=waited, due_at=apology or due,
                                           original_due_at=d.original_due_at)
        return write_step(store, d, now, action="supplements_received", to=resume, note=note,
                          data={"documents": tuple(docs), "outstanding": outstanding,
                                "paused_at": paused, "resumed_at": now,
                                "working_minutes": waited, "due_before": d.due_at,
                                "due_after": due, "apology_due_after": apology},
                          slip=slip, paused_at=None, supplement_deadline=None, due_at=due,
                          apology_due_at=apology)


@gated(Action.DOSSIER_STEP)
def request_payment(store: Store, code: str, *, amount: str | int | None = None,
                    reason: str = "", note: str = "") -> StatusChange:
    """4 -> 6: the citizen must pay (tax, fee) before the result."""
    value = validate_fee(amount, field="amount") if amount not in (None, "") else None
    why = required_text(reason, field="reason", what="reason", required=False)
    with store.write():
        d, now = find_dossier(code), store.now()
        return write_step(store, d, now, action="request_payment", to=st.AWAITING_PAYMENT,
                          note=note, data={"amount": value, "reason": why})


@gated(Action.DOSSIER_STEP)
def payment_received(store: Store, code: str, *, note: str = "") -> StatusChange:
    """6 -> 4: paid; processing goes on."""
    with store.write():
        d, now = find_dossier(code), store.now()
        return write_step(store, d, now, action="payment_received", to=st.PROCESSING, note=note,
                          data={})


def _appointment(store: Store, value: str | datetime | date) -> datetime:
    """A new appointment: a moment as typed, or a day alone = the end of that working day."""
    if isinstance(value, datetime):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, date):
        return _working_day_end(store, value, "new_due")
    try:
        day = parse_day(value, field="new_due", what="new_due")
    except UserError:
        return parse_moment(value, field="new_due", what="new_due")
    return _working_day_end(store, day, "new_due")


@gated(Action.DOSSIER_STEP)
def apologise(store: Store, code: str, *, reason: str, new_due: str | datetime | date,
              note: str = "") -> StatusChange:
    """Mẫu 04 on an open dossier: a new appointment, kept beside the legal due date."""
    why = required_text(reason, field="reason", what="reason")
    with store.write():
        d, now = find_dossier(code), store.now()
        if d.status not in APOLOGY_STATUSES:
            raise not_now(d, "apologise")
        moment = _appointment(store, new_due)
        current = d.apology_due_at or d.due_at
        if moment <= now or (current is not None and moment <= current):
            raise UserError("lifecycle.new_due.not_later", field="new_due", new=stamp(moment),
                            current=stamp(current) if current else "-")
        slip = apology_slip(notice_head(store, d, now),
                            original_due_at=d.original_due_at or current, reason=why,
                            new_due_at=moment)
        return write_step(store, d, now, action="apologise", to=None, note=note,
                          data={"reason": why, "previous_due": current, "new_due": moment,
                                "original_due": d.original_due_at}, slip=slip,
                          apology_due_at=moment)
