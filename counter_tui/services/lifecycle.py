"""A dossier's life after the receipt: every step one transaction with its event (and its slip).

Each use case loads the dossier, checks the move against the transition table
(`core.statuses.TRANSITIONS`), writes the new status with a conditional update (so two terminals
acting on one dossier at once cannot both win: the second is told to reload), records a
`DossierEvent` with time, officer, counter, note and structured `data`, and queues the slip the
citizen takes away, all or nothing. The on-time class of a dossier is decided by
`core.ontime.classify` only.

Dates kept on the dossier:

- `due_at`: the legal due date: the receipt's appointment, moved later only by pauses for
  supplements (`WorkingCalendar.shift_for_pause`); reports count early/on time/late against it;
- `original_due_at`: the receipt's appointment, never changed;
- `apology_due_at`: the new appointment promised by the last apology (Mẫu 04). It does not
  excuse the delay: a dossier resolved after `due_at` is late even if an apology was given (the
  national indicators count "late, with an apology" as late);
- `paused_at` while waiting for supplements; `supplement_deadline` the date asked for;
- `resolved_at`: when the dossier finished: result ready (9), refused (3), withdrawn (7) or
  stopped (8); `returned_at` when the result was handed over (10), `delivered_at` by post.

`holder` is the unit that has the dossier (empty: the one-stop desk), kept by the hand-overs
(Mẫu 05): the answer to "where is my dossier?".
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from counter_tui.core import statuses as st
from counter_tui.core.codes import parse_dossier_code
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import messages, t
from counter_tui.core.layout import Slip, copies
from counter_tui.core.lifecycle import (
    DossierState,
    HistoryEntry,
    StatusChange,
    action_label,
    check_rating,
    missing_documents,
    parse_day,
    parse_moment,
    rating_label,
    required_text,
    satisfaction_levels,
)
from counter_tui.core.notices import (
    HandoverStep,
    NoticeHead,
    ResultHandover,
    apology_slip,
    control_slip,
    refusal_slip,
    result_slip,
    supplement_receipt_slip,
    supplement_request_slip,
)
from counter_tui.core.ontime import OnTime, classify
from counter_tui.core.slips import stamp
from counter_tui.core.validation import (
    format_vnd,
    mask_id,
    validate_fee,
    validate_id_number,
    validate_name,
    validate_waybill,
)
from counter_tui.services import printjobs
from counter_tui.services.calendar import calendar_for
from counter_tui.services.dossiers import audit
from counter_tui.services.store import Store
from db.models import Dossier, DossierEvent, Officer

messages({
    "lifecycle.one_stop": ("Bộ phận Một cửa", "One-stop desk"),
    "lifecycle.citizen": ("Công dân", "Citizen"),
    "lifecycle.post": ("Bưu chính", "Post"),
    "lifecycle.changed_meanwhile": (
        "Hồ sơ {code} vừa được thay đổi ở máy khác; mở lại hồ sơ (F5) rồi thực hiện lại",
        "Dossier {code} was just changed at another terminal; reload it (F5) and try again",
    ),
    "lifecycle.not_now": (
        "Không thể {what} khi hồ sơ đang ở trạng thái '{status}'",
        "Cannot {what} while the dossier is '{status}'",
    ),
    "lifecycle.what.handover": ("bàn giao hồ sơ", "hand the dossier over"),
    "lifecycle.what.apologise": ("xin lỗi, hẹn lại ngày trả", "apologise with a new date"),
    "lifecycle.what.rate": ("ghi đánh giá", "record a rating"),
    "lifecycle.what.delivery": ("ghi thời điểm phát", "record the delivery"),
    "lifecycle.what.control": ("in phiếu kiểm soát", "print the control sheet"),
    "lifecycle.what.supplements": ("nhận hồ sơ bổ sung", "receive supplements"),
    "lifecycle.handover.same_unit": ("Hồ sơ đang ở {unit}", "The dossier is already at {unit}"),
    "lifecycle.resume_elsewhere": (
        "Nhận bổ sung đưa hồ sơ về '{status}' (nơi hồ sơ chờ trước khi yêu cầu bổ sung)",
        "Receiving the supplements puts the dossier back to '{status}' (where it waited "
        "before the request)",
    ),
    "lifecycle.deadline.past": ("Hạn bổ sung {day} đã qua; chọn từ hôm nay trở đi",
                                "The deadline {day} has passed; choose today or later"),
    "lifecycle.not_working_day": (
        "{day} không phải ngày làm việc; chọn ngày làm việc, ví dụ {suggest}",
        "{day} is not a working day; choose a working day, e.g. {suggest}",
    ),
    "lifecycle.new_due.not_later": (
        "Ngày hẹn mới {new} phải sau ngày hẹn hiện tại {current} và sau bây giờ",
        "The new appointment {new} must be after the current one {current} and after now",
    ),
    "lifecycle.method.invalid": ("Cách trả '{value}' không hợp lệ: counter hoặc post",
                                 "Return method '{value}' is not valid: counter or post"),
    "lifecycle.already_rated": ("Hồ sơ đã có đánh giá ({label})",
                                "The dossier is already rated ({label})"),
    "lifecycle.rating.missing": ("Chọn mức đánh giá", "Choose a rating"),
    "lifecycle.delivery.not_post": ("Hồ sơ không trả qua bưu chính",
                                    "This result was not sent by post"),
    "lifecycle.delivery.range": (
        "Thời điểm phát phải từ lúc gửi ({sent}) đến bây giờ",
        "The delivery time must be between sending ({sent}) and now",
    ),
    "lifecycle.need_to": (
        "Cần --to TRẠNG THÁI (hoặc --new-due để xin lỗi, hẹn lại; --unit để bàn giao)",
        "--to STATUS is needed (or --new-due to apologise with a new date; --unit to hand "
        "over)",
    ),
})

COUNTER, POST = "counter", "post"
APOLOGY_STATUSES = frozenset({st.RECEIVED, st.PROCESSING, st.SUPPLEMENT, st.AWAITING_PAYMENT})
HANDOVER_STATUSES = frozenset({st.RECEIVED, st.PROCESSING})


# --- reading -----------------------------------------------------------------------------------


def _find(code: str) -> Dossier:
    parsed = parse_dossier_code(code)
    canonical = str(parsed) if parsed else code.strip()
    d = Dossier.get_or_none(Dossier.code == canonical)
    if d is None:
        raise UserError("dossier.not_found", code=code.strip())
    return d


def levels(store: Store) -> int:
    """The satisfaction scale configured for this office (config.toml [satisfaction])."""
    return satisfaction_levels(store.cfg.extra)


def ontime_of(d: Dossier, now: datetime) -> OnTime:
    """The on-time class of a stored dossier, by the one rule (core.ontime)."""
    return classify(d.status, d.due_at, d.resolved_at, now, paused_at=d.paused_at)


def state_of(store: Store, d: Dossier, now: datetime) -> DossierState:
    klass = ontime_of(d, now)
    scale = levels(store)
    return DossierState(
        code=d.code, applicant_name=d.applicant_name, procedure_name=d.procedure_name,
        status=d.status, status_label=st.status_label(d.status), received_at=d.received_at,
        due_at=d.due_at, original_due_at=d.original_due_at, apology_due_at=d.apology_due_at,
        paused_at=d.paused_at, supplement_deadline=d.supplement_deadline,
        resolved_at=d.resolved_at, returned_at=d.returned_at, return_method=d.return_method,
        return_waybill=d.return_waybill, delivered_at=d.delivered_at,
        collected_by=d.collected_by,
        collected_id_masked=mask_id(d.collected_id) if d.collected_id else "",
        rating=d.rating, rating_label=rating_label(d.rating, scale), holder=d.holder,
        ontime=klass.value, ontime_label=klass.label,
        allowed=tuple(sorted(st.allowed_from(d.status))),
    )


def state(store: Store, code: str) -> DossierState:
    with store.read():
        return state_of(store, _find(code), store.now())


def history(store: Store, code: str) -> list[HistoryEntry]:
    """Every event of the dossier, oldest first, with its data decoded (the look-up is logged)."""
    with store.write():
        d = _find(code)
        audit(store, "history", d.code)
        return [HistoryEntry(at=e.at, action=e.action, action_label=action_label(e.action),
                             from_status=e.from_status, to_status=e.to_status, officer=e.officer,
                             counter=e.counter, note=e.note, data=_decode(e.data))
                for e in DossierEvent.select().where(DossierEvent.dossier == d.id)
                .order_by(DossierEvent.at, DossierEvent.id)]


def _decode(raw: str) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {"text": raw}
    return value if isinstance(value, dict) else {"value": value}


# --- writing -----------------------------------------------------------------------------------


def _officer_name(code: str | None) -> str:
    if not code:
        return ""
    officer = Officer.get_or_none(Officer.code == code)
    return str(officer.name) if officer else code


def _head(store: Store, d: Dossier, now: datetime) -> NoticeHead:
    return NoticeHead(office=store.cfg.office.name, code=d.code, applicant=d.applicant_name,
                      procedure=d.procedure_name, received_at=d.received_at,
                      officer=_officer_name(store.officer), issued_at=now,
                      office_phone=store.cfg.office.phone)


def _json(data: dict[str, Any]) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat(timespec="minutes")
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, tuple | list):
            return [plain(v) for v in value]
        return value

    return json.dumps({k: plain(v) for k, v in data.items() if v not in (None, "", (), [])},
                      ensure_ascii=False)


def _write(store: Store, d: Dossier, now: datetime, *, action: str, to: int | None,
           note: str, data: dict[str, Any], slip: Slip | None = None,
           **fields: Any) -> StatusChange:
    """Inside the caller's transaction: the conditional update, the event, the slip."""
    target = d.status if to is None else to
    if to is not None:
        st.check_transition(d.status, to)
    changed = Dossier.update(status=target, **fields).where(
        (Dossier.id == d.id) & (Dossier.status == d.status)).execute()
    if not changed:
        raise UserError("lifecycle.changed_meanwhile", code=d.code)
    # a step that keeps the status (a hand-over between units, an apology, a rating) has no
    # from/to, like a reprint: only moves carry them (the reports' trigger reads them)
    moved = to is not None
    DossierEvent.insert(dossier=d.id, at=now, action=action,
                        from_status=d.status if moved else None,
                        to_status=target if moved else None,
                        officer=store.officer, counter=store.counter,
                        note=required_text(note, field="note", what="note", limit=1000,
                                           required=False, multiline=True),
                        data=_json(data)).execute()
    job = None
    if slip is not None:
        job = printjobs.enqueue(store, copies(slip, store.cfg.printer.receipt_copies),
                                dossier=d.id)
    after = Dossier.get_by_id(d.id)
    return StatusChange(action=action, from_status=d.status if moved else None,
                        to_status=target if moved else None,
                        dossier=state_of(store, after, now), print_job=job, data=data)


def _not_now(d: Dossier, what: str) -> UserError:
    return UserError("lifecycle.not_now", field="to", what=t(f"lifecycle.what.{what}"),
                     status=st.status_label(d.status))


def _working_day_end(store: Store, day: date, field: str) -> datetime:
    cal = calendar_for(store.cfg, day)
    if not cal.is_working_day(day):
        raise UserError("lifecycle.not_working_day", field=field, day=day.strftime("%d/%m/%Y"),
                        suggest=cal.next_working_day(day).strftime("%d/%m/%Y"))
    return cal.day_end(day)


def accept(store: Store, code: str, *, note: str = "") -> StatusChange:
    """1 -> 2: an online dossier is complete and accepted at the counter."""
    with store.write():
        d, now = _find(code), store.now()
        return _write(store, d, now, action="accept", to=st.RECEIVED, note=note, data={})


def handover(store: Store, code: str, *, to_unit: str, received_by: str = "",
             given_by: str = "", note: str = "") -> StatusChange:
    """A Mẫu 05 step: the dossier goes from the desk (or a unit) to a unit. The first hand-over
    of a received dossier starts its processing (2 -> 4); later ones keep it processing."""
    unit = required_text(to_unit, field="unit", what="unit", limit=200)
    taker = required_text(received_by, field="received_by", what="person", limit=100,
                          required=False)
    with store.write():
        d, now = _find(code), store.now()
        if d.status not in HANDOVER_STATUSES:
            raise _not_now(d, "handover")
        source = d.holder or t("lifecycle.one_stop")
        if unit == source:
            raise UserError("lifecycle.handover.same_unit", field="unit", unit=unit)
        giver = required_text(given_by, field="given_by", what="person", limit=100,
                              required=False) or _officer_name(store.officer)
        holder = "" if unit == t("lifecycle.one_stop") else unit
        return _write(store, d, now, action="handover",
                      to=st.PROCESSING if d.status == st.RECEIVED else None, note=note,
                      data={"from": source, "to": unit, "given_by": giver,
                            "received_by": taker}, holder=holder)


def request_supplements(store: Store, code: str, *, missing: Iterable[str], reason: str,
                        deadline: str | date, note: str = "") -> StatusChange:
    """-> 5 with Mẫu 02: the clock stops (paused_at) until the supplements come."""
    docs = missing_documents(missing)
    why = required_text(reason, field="reason", what="reason")
    day = parse_day(deadline, field="deadline", what="deadline")
    with store.write():
        d, now = _find(code), store.now()
        st.check_transition(d.status, st.SUPPLEMENT)
        if day < now.date():
            raise UserError("lifecycle.deadline.past", field="deadline",
                            day=day.strftime("%d/%m/%Y"))
        until = _working_day_end(store, day, "deadline")
        resume = st.PROCESSING if d.status == st.PROCESSING else st.RECEIVED
        slip = supplement_request_slip(_head(store, d, now), missing=docs, reason=why,
                                       deadline=until)
        return _write(store, d, now, action="request_supplements", to=st.SUPPLEMENT, note=note,
                      data={"missing": docs, "reason": why, "deadline": until,
                            "resume_status": resume},
                      slip=slip, paused_at=now, supplement_deadline=until)


def _resume_status(d: Dossier) -> int:
    last = (DossierEvent.select(DossierEvent.data)
            .where((DossierEvent.dossier == d.id)
                   & (DossierEvent.action == "request_supplements"))
            .order_by(DossierEvent.at.desc(), DossierEvent.id.desc()).first())
    resume = _decode(last.data).get("resume_status") if last else None
    if resume in (st.RECEIVED, st.PROCESSING):
        return int(resume)
    return st.PROCESSING if d.holder else st.RECEIVED


def supplements_received(store: Store, code: str, *, documents: Iterable[str] = (),
                         note: str = "", to: int | None = None) -> StatusChange:
    """5 -> where it waited (4, or 2 if asked at the counter): the due date moves later by the
    working time spent waiting; the original appointment is kept."""
    docs = tuple(x for x in (required_text(doc, field="documents", what="missing", limit=300,
                                           required=False) for doc in documents) if x)
    with store.write():
        d, now = _find(code), store.now()
        if d.status != st.SUPPLEMENT:
            raise _not_now(d, "supplements")
        resume = _resume_status(d)
        if to is not None and to != resume:
            raise UserError("lifecycle.resume_elsewhere", field="to",
                            status=st.status_label(resume))
        paused = d.paused_at or now
        cal = calendar_for(store.cfg, now.date())
        waited = cal.working_minutes_between(paused, now)
        due = cal.add_working_minutes(d.due_at, waited) if d.due_at else None
        apology = (cal.add_working_minutes(d.apology_due_at, waited)
                   if d.apology_due_at else None)
        slip = None
        if due is not None:
            slip = supplement_receipt_slip(_head(store, d, now), documents=docs,
                                           paused_at=paused, resumed_at=now,
                                           waited_minutes=waited, due_at=apology or due,
                                           original_due_at=d.original_due_at)
        return _write(store, d, now, action="supplements_received", to=resume, note=note,
                      data={"documents": docs, "paused_at": paused, "resumed_at": now,
                            "working_minutes": waited, "due_before": d.due_at,
                            "due_after": due, "apology_due_after": apology},
                      slip=slip, paused_at=None, supplement_deadline=None, due_at=due,
                      apology_due_at=apology)


def request_payment(store: Store, code: str, *, amount: str | int | None = None,
                    reason: str = "", note: str = "") -> StatusChange:
    """4 -> 6: the citizen must pay (tax, fee) before the result."""
    value = validate_fee(amount, field="amount") if amount not in (None, "") else None
    why = required_text(reason, field="reason", what="reason", required=False)
    with store.write():
        d, now = _find(code), store.now()
        return _write(store, d, now, action="request_payment", to=st.AWAITING_PAYMENT,
                      note=note, data={"amount": value, "reason": why})


def payment_received(store: Store, code: str, *, note: str = "") -> StatusChange:
    """6 -> 4: paid; processing goes on."""
    with store.write():
        d, now = _find(code), store.now()
        return _write(store, d, now, action="payment_received", to=st.PROCESSING, note=note,
                      data={})


def refuse(store: Store, code: str, *, reason: str, note: str = "") -> StatusChange:
    """-> 3 with Mẫu 03: refused, with the reason printed for the citizen."""
    why = required_text(reason, field="reason", what="reason")
    with store.write():
        d, now = _find(code), store.now()
        st.check_transition(d.status, st.REFUSED)
        slip = refusal_slip(_head(store, d, now), reason=why)
        return _write(store, d, now, action="refuse", to=st.REFUSED, note=note,
                      data={"reason": why}, slip=slip, resolved_at=now,
                      supplement_deadline=None)


def withdraw(store: Store, code: str, *, reason: str = "", note: str = "") -> StatusChange:
    """-> 7: the citizen takes the dossier back (their written request)."""
    why = required_text(reason, field="reason", what="reason", required=False)
    with store.write():
        d, now = _find(code), store.now()
        return _write(store, d, now, action="withdraw", to=st.WITHDRAWN, note=note,
                      data={"reason": why}, resolved_at=now, supplement_deadline=None)


def stop(store: Store, code: str, *, reason: str, note: str = "") -> StatusChange:
    """-> 8: processing stopped (the reason is required)."""
    why = required_text(reason, field="reason", what="reason")
    with store.write():
        d, now = _find(code), store.now()
        return _write(store, d, now, action="stop", to=st.STOPPED, note=note,
                      data={"reason": why}, resolved_at=now, supplement_deadline=None)


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


def apologise(store: Store, code: str, *, reason: str, new_due: str | datetime | date,
              note: str = "") -> StatusChange:
    """Mẫu 04 on an open dossier: a new appointment, kept beside the legal due date."""
    why = required_text(reason, field="reason", what="reason")
    with store.write():
        d, now = _find(code), store.now()
        if d.status not in APOLOGY_STATUSES:
            raise _not_now(d, "apologise")
        moment = _appointment(store, new_due)
        current = d.apology_due_at or d.due_at
        if moment <= now or (current is not None and moment <= current):
            raise UserError("lifecycle.new_due.not_later", field="new_due", new=stamp(moment),
                            current=stamp(current) if current else "-")
        slip = apology_slip(_head(store, d, now), original_due_at=d.original_due_at or current,
                            reason=why, new_due_at=moment)
        return _write(store, d, now, action="apologise", to=None, note=note,
                      data={"reason": why, "previous_due": current, "new_due": moment,
                            "original_due": d.original_due_at}, slip=slip,
                      apology_due_at=moment)


def result_ready(store: Store, code: str, *, given_by: str = "", received_by: str = "",
                 note: str = "") -> StatusChange:
    """-> 9: the result is at the desk (the unit hands it back: the last Mẫu 05 step)."""
    with store.write():
        d, now = _find(code), store.now()
        st.check_transition(d.status, st.RESULT_READY)
        klass = classify(st.RESULT_READY, d.due_at, now, now)
        data: dict[str, Any] = {"ontime": klass.value}
        if d.holder:
            data.update({"from": d.holder, "to": t("lifecycle.one_stop"),
                         "given_by": required_text(given_by, field="given_by", what="person",
                                                   limit=100, required=False),
                         "received_by": required_text(received_by, field="received_by",
                                                      what="person", limit=100, required=False)
                         or _officer_name(store.officer)})
        return _write(store, d, now, action="result_ready", to=st.RESULT_READY, note=note,
                      data=data, resolved_at=now, holder="")


def return_result(store: Store, code: str, *, method: str = COUNTER, collected_by: str = "",
                  id_number: str = "", waybill: str = "", rating: str | int | None = None,
                  note: str = "") -> StatusChange:
    """9 -> 10: handed to the citizen (name and ID checked) or sent by post (waybill), with
    the citizen's rating on the configured scale if they gave one."""
    if method not in (COUNTER, POST):
        raise UserError("lifecycle.method.invalid", field="method", value=method)
    fields: dict[str, Any] = {"return_method": method}
    data: dict[str, Any] = {"method": method}
    if method == COUNTER:
        who = validate_name(collected_by, field="collected_by")
        ident = validate_id_number(id_number, field="id_number")
        fields.update(collected_by=who, collected_id=ident.value)
        data.update(collected_by=who, id_masked=ident.masked, id_kind=ident.kind)
    else:
        number = validate_waybill(waybill, field="waybill")
        fields.update(return_waybill=number)
        data.update(waybill=number)
    with store.write():
        d, now = _find(code), store.now()
        st.check_transition(d.status, st.RETURNED)
        scale = levels(store)
        score = check_rating(rating, scale)
        klass = ontime_of(d, now)
        data.update(rating=score, scale=scale if score else None, ontime=klass.value)
        slip = result_slip(_head(store, d, now), ResultHandover(
            due_at=d.due_at, resolved_at=d.resolved_at, returned_at=now,
            ontime_label=klass.label, method=method, collected_by=data.get("collected_by", ""),
            id_masked=data.get("id_masked", ""), waybill=data.get("waybill", ""),
            rating_label=rating_label(score, scale)))
        return _write(store, d, now, action="return_result", to=st.RETURNED, note=note,
                      data=data, slip=slip, returned_at=now, rating=score, **fields)


def rate(store: Store, code: str, rating: str | int, *, note: str = "") -> StatusChange:
    """A rating given after the hand-over (a result sent by post, a citizen who came back)."""
    with store.write():
        d, now = _find(code), store.now()
        if d.status != st.RETURNED:
            raise _not_now(d, "rate")
        scale = levels(store)
        if d.rating is not None:
            raise UserError("lifecycle.already_rated", field="rating",
                            label=rating_label(d.rating, scale) or d.rating)
        score = check_rating(rating, scale)
        if score is None:
            raise UserError("lifecycle.rating.missing", field="rating")
        return _write(store, d, now, action="rate", to=None, note=note,
                      data={"rating": score, "scale": scale}, rating=score)


def record_delivery(store: Store, code: str, *, delivered_at: str | datetime | None = None,
                    note: str = "") -> StatusChange:
    """The post delivered a result sent by post (default: now)."""
    with store.write():
        d, now = _find(code), store.now()
        if d.status != st.RETURNED:
            raise _not_now(d, "delivery")
        if d.return_method != POST:
            raise UserError("lifecycle.delivery.not_post", field="delivered_at")
        at = (parse_moment(delivered_at, field="delivered_at", what="delivered")
              if delivered_at not in (None, "") else now)
        assert at is not None
        if (d.returned_at and at < d.returned_at) or at > now:
            raise UserError("lifecycle.delivery.range", field="delivered_at",
                            sent=stamp(d.returned_at) if d.returned_at else "-")
        return _write(store, d, now, action="record_delivery", to=None, note=note,
                      data={"delivered_at": at, "waybill": d.return_waybill}, delivered_at=at)


def handover_steps(d: Dossier) -> tuple[HandoverStep, ...]:
    """The Mẫu 05 rows of a dossier, rebuilt from its events."""
    steps: list[HandoverStep] = []
    desk = t("lifecycle.one_stop")
    for e in (DossierEvent.select().where(DossierEvent.dossier == d.id)
              .order_by(DossierEvent.at, DossierEvent.id)):
        data = _decode(e.data)
        if e.action == "receive":
            steps.append(HandoverStep(t("lifecycle.citizen"), desk, e.at, d.applicant_name,
                                      _officer_name(e.officer)))
        elif e.action == "handover" or (e.action == "result_ready" and "from" in data):
            outcome = OnTime(data["ontime"]).label if "ontime" in data else ""
            steps.append(HandoverStep(data.get("from", ""), data.get("to", ""), e.at,
                                      data.get("given_by", ""), data.get("received_by", ""),
                                      outcome))
        elif e.action == "return_result":
            target = (f"{t('lifecycle.post')} {data.get('waybill', '')}"
                      if data.get("method") == POST else data.get("collected_by", ""))
            outcome = OnTime(data["ontime"]).label if "ontime" in data else ""
            steps.append(HandoverStep(desk, target, e.at, _officer_name(e.officer),
                                      data.get("collected_by", ""), outcome))
    return tuple(steps)


def print_control_sheet(store: Store, code: str) -> StatusChange:
    """Queue Mẫu 05 (the control sheet) for the dossier; the print is logged."""
    with store.write():
        d, now = _find(code), store.now()
        slip = control_slip(_head(store, d, now), handover_steps(d))
        return _write(store, d, now, action="reprint_notice", to=None, note="",
                      data={"slip": "control"}, slip=slip)


# --- one entry for scripts: `counter-tui dossier status CODE --to N` --------------------------


def change_status(store: Store, code: str, to: str | int, *, note: str = "", reason: str = "",
                  missing: Iterable[str] = (), deadline: str | date | None = None,
                  unit: str = "", received_by: str = "", given_by: str = "",
                  collected_by: str = "", id_number: str = "", method: str | None = None,
                  waybill: str = "", rating: str | int | None = None,
                  amount: str | int | None = None,
                  documents: Iterable[str] = ()) -> StatusChange:
    """Move a dossier to status `to` with the use case that makes that move; options a move
    does not use are ignored. A move the table does not allow is refused with the reason."""
    target = st.parse_status(to)
    current = state(store, code).status
    st.check_transition(current, target)
    if target == st.RECEIVED and current == st.SUBMITTED_ONLINE:
        return accept(store, code, note=note)
    if target in (st.RECEIVED, st.PROCESSING) and current == st.SUPPLEMENT:
        return supplements_received(store, code, documents=documents, note=note, to=target)
    if target == st.PROCESSING and current == st.AWAITING_PAYMENT:
        return payment_received(store, code, note=note)
    if target == st.PROCESSING:
        return handover(store, code, to_unit=unit, received_by=received_by, given_by=given_by,
                        note=note)
    if target == st.SUPPLEMENT:
        return request_supplements(store, code, missing=missing, reason=reason,
                                   deadline=deadline or "", note=note)
    if target == st.AWAITING_PAYMENT:
        return request_payment(store, code, amount=amount, reason=reason, note=note)
    if target == st.REFUSED:
        return refuse(store, code, reason=reason, note=note)
    if target == st.WITHDRAWN:
        return withdraw(store, code, reason=reason, note=note)
    if target == st.STOPPED:
        return stop(store, code, reason=reason, note=note)
    if target == st.RESULT_READY:
        return result_ready(store, code, given_by=given_by, received_by=received_by, note=note)
    if target == st.RETURNED:
        chosen = method or (POST if waybill and not collected_by else COUNTER)
        return return_result(store, code, method=chosen, collected_by=collected_by,
                             id_number=id_number, waybill=waybill, rating=rating, note=note)
    raise AssertionError(f"transition {current} -> {target} allowed but not handled")


def describe(change: StatusChange) -> str:
    """One line for the CLI and notifications: what happened and the appointment now."""
    d = change.dossier
    moved = (f"{st.status_label(change.from_status)} → {st.status_label(change.to_status)}"
             if change.from_status is not None else st.status_label(d.status))
    due = d.appointment_at
    parts = [f"{d.code}: {action_label(change.action)} ({moved})"]
    if due and d.status in st.OPEN_STATUSES:
        parts.append(t("lifecycle.describe.due", due=stamp(due)))
    if change.data.get("amount"):
        parts.append(format_vnd(int(change.data["amount"])) + "đ")
    parts.append(d.ontime_label)
    return " · ".join(parts)


messages({
    "lifecycle.describe.due": ("hẹn trả {due}", "due {due}"),
})
