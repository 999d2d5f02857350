"""Reading a dossier's life: its state as the screens and the CLI show it, and its events. Also
finding a dossier by its code, which every step starts with.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from counter_tui.core import statuses as st
from counter_tui.core.codes import parse_dossier_code
from counter_tui.core.errors import UserError
from counter_tui.core.lifecycle import (
    DossierState,
    HistoryEntry,
    action_label,
    rating_label,
    satisfaction_levels,
)
from counter_tui.core.ontime import OnTime, classify
from counter_tui.core.roles import Action
from counter_tui.core.validation import mask_id
from counter_tui.db.models import Dossier, DossierEvent
from counter_tui.services import audit
from counter_tui.services.authority import gated
from counter_tui.services.store import Store


def find_dossier(code: str) -> Dossier:
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


@gated(Action.DOSSIER_VIEW)
def state(store: Store, code: str) -> DossierState:
    with store.read():
        return state_of(store, find_dossier(code), store.now())


@gated(Action.DOSSIER_VIEW)
def history(store: Store, code: str) -> list[HistoryEntry]:
    """Every event of the dossier, oldest first, with its data decoded (the look-up is logged)."""
    with store.write():
        d = find_dossier(code)
        audit.record(store, "history", d.code)
        return [HistoryEntry(at=e.at, action=e.action, action_label=action_label(e.action),
                             from_status=e.from_status, to_status=e.to_status, officer=e.officer,
                             counter=e.counter, note=e.note, data=decode_data(e.data))
                for e in DossierEvent.select().where(DossierEvent.dossier == d.id)
                .order_by(DossierEvent.at, DossierEvent.id)]


def decode_data(raw: str) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {"text": raw}
    return value if isinstance(value, dict) else {"value": value}
