"""One entry for scripts (`counter-tui dossier status CODE --to N`): a move named by its target
status, made by the use case that makes it; and the one line that tells what a step did.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from counter_tui.core import statuses as st
from counter_tui.core.i18n import t
from counter_tui.core.lifecycle import StatusChange, action_label
from counter_tui.core.roles import Action
from counter_tui.core.slips import stamp
from counter_tui.core.validation import format_vnd
from counter_tui.services.authority import gated
from counter_tui.services.lifecycle.closing import (
    COUNTER,
    POST,
    refuse,
    result_ready,
    return_result,
    stop,
    withdraw,
)
from counter_tui.services.lifecycle.processing import (
    accept,
    handover,
    payment_received,
    request_payment,
    request_supplements,
    supplements_received,
)
from counter_tui.services.lifecycle.reading import state
from counter_tui.services.store import Store


@gated(Action.DOSSIER_STEP)
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
