"""What every step of a dossier's life does inside its one transaction: the conditional update
(two terminals acting on one dossier at once cannot both win: the second is told to reload),
the `DossierEvent` with its structured data, and the slip the citizen takes away.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from counter_tui.core import statuses as st
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.layout import Slip, copies
from counter_tui.core.lifecycle import StatusChange, required_text
from counter_tui.core.notices import NoticeHead
from counter_tui.db.models import Dossier, DossierEvent, Officer
from counter_tui.services import audit, printjobs
from counter_tui.services.lifecycle.reading import state_of
from counter_tui.services.store import Store


def officer_name(code: str | None) -> str:
    if not code:
        return ""
    officer = Officer.get_or_none(Officer.code == code)
    return str(officer.name) if officer else code


def notice_head(store: Store, d: Dossier, now: datetime) -> NoticeHead:
    return NoticeHead(office=store.cfg.office.name, code=d.code, applicant=d.applicant_name,
                      procedure=d.procedure_name, received_at=d.received_at,
                      officer=officer_name(store.officer), issued_at=now,
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


def write_step(store: Store, d: Dossier, now: datetime, *, action: str, to: int | None,
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
    audit.record(store, f"step:{action}", d.code, dossiers=[d.code])
    job = None
    if slip is not None:
        job = printjobs.enqueue(store, copies(slip, store.cfg.printer.receipt_copies),
                                dossier=d.id)
    after = Dossier.get_by_id(d.id)
    return StatusChange(action=action, from_status=d.status if moved else None,
                        to_status=target if moved else None,
                        dossier=state_of(store, after, now), print_job=job, data=data)


def not_now(d: Dossier, what: str) -> UserError:
    return UserError("lifecycle.not_now", field="to", what=t(f"lifecycle.what.{what}"),
                     status=st.status_label(d.status))
