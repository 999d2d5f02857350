"""Removing applicants' personal data once its retention has ended (Nghị định 13/2023).

`purge(store, before)` anonymises the dossiers closed before a day (returned, or refused,
withdrawn or stopped) whose retention under `[privacy] retention` has ended: the applicant's
name, ID number, phone, address, e-mail, the representative, who collected the result and with
which ID, the delivery address, the free-text notes of the dossier and of its events (a note may
name anyone), the names kept in its events' data, and the printed slips kept in the print queue
(they carry the name and phone), and the dossier's digitised documents (their files are removed;
their rows stay, marked purged, so the digitisation figures stay the same). The name leaves the
word-search index with it (the FTS5 table follows the folded name through its triggers on
SQLite; PostgreSQL's GIN index follows the column).

What stays: the code, the procedure, field, channel, level, status, every time (received, due,
resolved, returned, paused), the fee, sets, the officer and counter, the rating and each
event's action and statuses. Those are every column the day board and the periodic report read,
so every figure is the same before and after, and a dossier code still finds its dossier.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from peewee import Expression, fn

from counter_tui.core import statuses as st
from counter_tui.core.errors import UserError
from counter_tui.core.records import frozen
from counter_tui.core.retention import purgeable
from counter_tui.core.roles import Action
from counter_tui.db.models import Dossier, DossierEvent, PrintJob
from counter_tui.services import audit, authority, documents
from counter_tui.services.printjobs import SENT, VOID
from counter_tui.services.store import Store

CLOSED = (st.RETURNED, st.REFUSED, st.WITHDRAWN, st.STOPPED)  # nothing follows these
ANONYMOUS = "—"  # what is left of a name: the register and the screens still have a cell
BATCH = 500

# Keys of an event's data that may name a person (the rest are dates, figures, units, documents).
PERSONAL_DATA_KEYS = frozenset({"collected_by", "id_masked", "id_kind", "reason"})

_CLEARED = {
    Dossier.applicant_name: ANONYMOUS, Dossier.applicant_folded: "", Dossier.id_number: "",
    Dossier.id_kind: "", Dossier.phone: "", Dossier.address: "", Dossier.email: "",
    Dossier.representative: "", Dossier.representative_id: "", Dossier.delivery_address: "",
    Dossier.note: "", Dossier.collected_by: "", Dossier.collected_id: "",
}

PERSONAL_FIELDS = tuple(field.name for field in _CLEARED)


@frozen
class PurgeReport:
    before: date
    anonymised: int  # dossiers whose personal fields were removed now
    kept: int  # returned before the day, but still within their retention


def _closed_at() -> Any:
    """When a dossier was closed: handed back, or else refused, withdrawn or stopped."""
    return fn.COALESCE(Dossier.returned_at, Dossier.resolved_at)


def _in_ranges(ranges: list[tuple[datetime | None, datetime]]) -> Expression:
    condition: Expression | None = None
    for start, end in ranges:
        part = _closed_at() < end
        if start is not None:
            part &= _closed_at() >= start
        condition = part if condition is None else condition | part
    return condition if condition is not None else (Dossier.id < 0)


def _without_names(raw: str) -> str:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    kept = {k: v for k, v in data.items() if k not in PERSONAL_DATA_KEYS}
    return json.dumps(kept, ensure_ascii=False) if kept else ""


def purge(store: Store, before: date) -> PurgeReport:
    """Anonymise the dossiers returned before `before` whose retention has ended; in batches,
    each its own transaction (a million dossiers do not hold the store for minutes), each
    batch recorded in the audit log with the codes it anonymised."""
    authority.require(store, Action.PRIVACY_PURGE)
    today = store.now().date()
    if before > today:
        raise UserError("privacy.before_future", day=before.strftime("%d/%m/%Y"))
    ranges = purgeable(store.cfg.privacy.retention, before, today)
    returned_before = (Dossier.status.in_(CLOSED) & Dossier.anonymised_at.is_null()
                       & (_closed_at() < datetime.combine(before, datetime.min.time())))
    done = 0
    while True:
        digitised: list[str] = []
        with store.write():
            batch = list(Dossier.select(Dossier.id, Dossier.code)
                         .where(returned_before & _in_ranges(ranges))
                         .order_by(Dossier.id).limit(BATCH))
            if not batch:
                break
            ids = [d.id for d in batch]
            Dossier.update({**_CLEARED, Dossier.anonymised_at: store.now()}).where(
                Dossier.id.in_(ids)).execute()
            for event in DossierEvent.select(DossierEvent.id, DossierEvent.data).where(
                    DossierEvent.dossier.in_(ids) & (DossierEvent.data != "")):
                DossierEvent.update(data=_without_names(event.data)).where(
                    DossierEvent.id == event.id).execute()
            DossierEvent.update(note="").where(DossierEvent.dossier.in_(ids)).execute()
            for job in PrintJob.select(PrintJob.id, PrintJob.kind, PrintJob.state).where(
                    PrintJob.dossier.in_(ids)):
                # an empty slip of its kind; one never printed is void: nothing of it may print
                PrintJob.update(slip=json.dumps({"kind": job.kind, "blocks": []}),
                                state=job.state if job.state == SENT else VOID).where(
                    PrintJob.id == job.id).execute()
            digitised = documents.mark_purged(store, ids)  # removed once this commits
            audit.record(store, "privacy:purge", f"before {before.isoformat()}",
                         dossiers=[d.code for d in batch])
            done += len(batch)
        documents.remove_purged(store, digitised)
    documents.sweep_purged(store)  # what an interrupted purge left
    with store.read():
        kept = Dossier.select().where(returned_before).count()
    with store.write():
        audit.record(store, "privacy:purge", f"before {before.isoformat()}: {done} "
                     f"anonymised, {kept} kept")
    return PurgeReport(before, done, kept)
