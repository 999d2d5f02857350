"""The steps that end a dossier's processing and follow it: refused (Mẫu 03), withdrawn,
stopped, result ready, the result returned at the counter or by post, a rating given later and
the post's delivery time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from counter_tui.core import statuses as st
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.lifecycle import (
    StatusChange,
    check_rating,
    handover_person,
    parse_moment,
    rating_label,
    required_text,
)
from counter_tui.core.notices import (
    ResultHandover,
    refusal_slip,
    result_ready_slip,
    result_slip,
)
from counter_tui.core.ontime import classify
from counter_tui.core.roles import Action
from counter_tui.core.slips import stamp
from counter_tui.core.text import clean
from counter_tui.core.validation import validate_id_number, validate_name, validate_waybill
from counter_tui.services.authority import gated
from counter_tui.services.lifecycle.reading import find_dossier, levels, ontime_of
from counter_tui.services.lifecycle.recording import (
    not_now,
    notice_head,
    officer_name,
    write_step,
)
from counter_tui.services.store import Store

COUNTER, POST = "counter", "post"


@gated(Action.DOSSIER_OVERRIDE)
def refuse(store: Store, code: str, *, reason: str, note: str = "") -> StatusChange:
    """-> 3 with Mẫu 03: refused, with the reason printed for the citizen."""
    why = required_text(reason, field="reason", what="reason")
    with store.write():
        d, now = find_dossier(code), store.now()
        st.check_transition(d.status, st.REFUSED)
        slip = refusal_slip(notice_head(store, d, now), reason=why)
        return write_step(store, d, now, action="refuse", to=st.REFUSED, note=note,
                          data={"reason": why}, slip=slip, resolved_at=now,
                          supplement_deadline=None)


@gated(Action.DOSSIER_STEP)
def withdraw(store: Store, code: str, *, reason: str = "", note: str = "") -> StatusChange:
    """-> 7: the citizen takes the dossier back (their written request)."""
    why = required_text(reason, field="reason", what="reason", required=False)
    with store.write():
        d, now = find_dossier(code), store.now()
        return write_step(store, d, now, action="withdraw", to=st.WITHDRAWN, note=note,
                          data={"reason": why}, resolved_at=now, supplement_deadline=None)


@gated(Action.DOSSIER_OVERRIDE)
def stop(store: Store, code: str, *, reason: str, note: str = "") -> StatusChange:
    """-> 8: processing stopped (the reason is required)."""
    why = required_text(reason, field="reason", what="reason")
    with store.write():
        d, now = find_dossier(code), store.now()
        return write_step(store, d, now, action="stop", to=st.STOPPED, note=note,
                          data={"reason": why}, resolved_at=now, supplement_deadline=None)


@gated(Action.DOSSIER_STEP)
def result_ready(store: Store, code: str, *, given_by: str = "", received_by: str = "",
                 note: str = "") -> StatusChange:
    """-> 9: the result is at the desk, and a notice for the applicant prints (when it came,
    the appointment, what to bring or that it goes by post). A result a unit brings back is
    the last Mẫu 05 step: who gave it (the unit's officer) is required, who took it defaults
    to the officer."""
    with store.write():
        d, now = find_dossier(code), store.now()
        st.check_transition(d.status, st.RESULT_READY)
        klass = classify(st.RESULT_READY, d.due_at, now, now)
        data: dict[str, Any] = {"ontime": klass.value}
        if d.holder:
            data.update({"from": d.holder, "to": t("lifecycle.one_stop"),
                         "given_by": handover_person(given_by, field="given_by",
                                                     what="giver"),
                         "received_by": handover_person(
                             clean(received_by) or officer_name(store.officer),
                             field="received_by", what="person")})
        slip = result_ready_slip(notice_head(store, d, now), ready_at=now,
                                 appointment=d.apology_due_at or d.due_at,
                                 ontime_label=klass.label, by_post=d.return_method == POST)
        return write_step(store, d, now, action="result_ready", to=st.RESULT_READY, note=note,
                          data=data, slip=slip, resolved_at=now, holder="")


@gated(Action.DOSSIER_STEP)
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
        d, now = find_dossier(code), store.now()
        st.check_transition(d.status, st.RETURNED)
        scale = levels(store)
        score = check_rating(rating, scale)
        klass = ontime_of(d, now)
        data.update(rating=score, scale=scale if score else None, ontime=klass.value)
        slip = result_slip(notice_head(store, d, now), ResultHandover(
            due_at=d.due_at, resolved_at=d.resolved_at, returned_at=now,
            ontime_label=klass.label, method=method, collected_by=data.get("collected_by", ""),
            id_masked=data.get("id_masked", ""), waybill=data.get("waybill", ""),
            rating_label=rating_label(score, scale)))
        return write_step(store, d, now, action="return_result", to=st.RETURNED, note=note,
                          data=data, slip=slip, returned_at=now, rating=score, **fields)


@gated(Action.DOSSIER_STEP)
def rate(store: Store, code: str, rating: str | int, *, note: str = "") -> StatusChange:
    """A rating given after the hand-over (a result sent by post, a citizen who came back)."""
    with store.write():
        d, now = find_dossier(code), store.now()
        if d.status != st.RETURNED:
            raise not_now(d, "rate")
        scale = levels(store)
        if d.rating is not None:
            raise UserError("lifecycle.already_rated", field="rating",
                            label=rating_label(d.rating, scale) or d.rating)
        score = check_rating(rating, scale)
        if score is None:
            raise UserError("lifecycle.rating.missing", field="rating")
        return write_step(store, d, now, action="rate", to=None, note=note,
                          data={"rating": score, "scale": scale}, rating=score)


@gated(Action.DOSSIER_STEP)
def record_delivery(store: Store, code: str, *, delivered_at: str | datetime | None = None,
                    note: str = "") -> StatusChange:
    """The post delivered a result sent by post (default: now)."""
    with store.write():
        d, now = find_dossier(code), store.now()
        if d.status != st.RETURNED:
            raise not_now(d, "delivery")
        if d.return_method != POST:
            raise UserError("lifecycle.delivery.not_post", field="delivered_at")
        at = (parse_moment(delivered_at, field="delivered_at", what="delivered")
              if delivered_at not in (None, "") else now)
        assert at is not None
        if (d.returned_at and at < d.returned_at) or at > now:
            raise UserError("lifecycle.delivery.range", field="delivered_at",
                            sent=stamp(d.returned_at) if d.returned_at else "-")
        return write_step(store, d, now, action="record_delivery", to=None, note=note,
                          data={"delivered_at": at, "waybill": d.return_waybill}, delivered_at=at)
