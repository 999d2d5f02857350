"""Receiving a dossier at the counter: walk-in, by post, or an assisted online submission.

One transaction allocates the dossier code, stores the dossier with its documents and its first
event, and queues the receipt; the appointment is computed from the working calendar at the
moment of receipt. If anything fails nothing is stored, and the officer's draft is untouched.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import lru_cache

from counter_tui.core import intake
from counter_tui.core.codes import format_dossier_code
from counter_tui.core.errors import UserError
from counter_tui.core.intake import DossierDraft, IntakeErrors
from counter_tui.core.layout import copies
from counter_tui.core.roles import Action
from counter_tui.core.slips import ReceiptData, receipt_slip
from counter_tui.core.text import fold
from counter_tui.core.validation import mask_id
from counter_tui.core.views import DocumentView, ProcedureView, ReceivedDossier
from counter_tui.db.models import Dossier, DossierDocument, DossierEvent, Office, Officer, Ticket
from counter_tui.services import audit, dossiers, printjobs
from counter_tui.services.authority import gated
from counter_tui.services.calendar_days import calendar_of
from counter_tui.services.catalogue import get as get_procedure
from counter_tui.services.numbering import next_number
from counter_tui.services.store import Store

STATUS_RECEIVED = 2


@lru_cache(maxsize=8)
def _office_id(db_id: int, agency: str) -> int:
    return int(Office.get(Office.code == agency).id)


def _officer_name(store: Store, code: str) -> str:
    if store.actor is not None and code == store.actor.username:
        return store.actor.full_name
    officer = Officer.get_or_none(Officer.code == code)
    return officer.name if officer else code


def receipt_for(store: Store, d: Dossier, proc: ProcedureView | None = None,
                docs: tuple[tuple[str, int, int], ...] | None = None) -> ReceiptData:
    """What the receipt of `d` prints; the caller passes what it already holds."""
    if docs is None:
        docs = tuple((x.name, x.originals, x.copies) for x in DossierDocument.select()
                     .where(DossierDocument.dossier == d.id).order_by(DossierDocument.position))
    if proc is None and d.procedure_code:
        proc = get_procedure(store, d.procedure_code)
    return ReceiptData(
        office=store.cfg.office.name, code=d.code, applicant=d.applicant_name,
        id_masked=mask_id(d.id_number) if d.id_number else "", phone=d.phone,
        address=d.address, representative=d.representative, procedure=d.procedure_name,
        channel_label=intake.channel_label(d.channel), documents=docs, sets=d.sets,
        processing_days=proc.processing_days if proc else 0,
        same_day_cutoff=proc.same_day_cutoff.strftime("%H:%M")
        if proc and proc.same_day_cutoff else None,
        received_at=d.received_at, due_at=d.due_at or d.received_at, return_method=d.return_method,
        delivery_address=d.delivery_address, waybill=d.waybill,
        postal_charge=d.postal_charge_vnd, portal_code=d.portal_code, fee=d.fee_vnd,
        officer=_officer_name(store, d.officer),
    )


def preview_due(store: Store, procedure_code: str) -> datetime:
    """The appointment a dossier of this procedure received now would get."""
    proc = get_procedure(store, procedure_code)
    if proc is None:
        raise UserError("intake.procedure.unknown", field="procedure", code=procedure_code)
    now = store.now()
    return calendar_of(store, now.date()).due_at(now, proc.processing_days,
                                                   proc.same_day_cutoff)


@gated(Action.DOSSIER_RECEIVE)
def receive(store: Store, draft: DossierDraft) -> ReceivedDossier:
    """Store a valid dossier and queue its receipt; IntakeErrors lists every field to fix."""
    proc = get_procedure(store, draft.procedure_code) if draft.procedure_code.strip() else None
    clean = intake.check(draft, proc)
    if clean.ticket_id is not None:
        with store.read():
            if Ticket.get_or_none(Ticket.id == clean.ticket_id) is None:
                raise IntakeErrors([UserError("intake.ticket.unknown", field="ticket",
                                              id=clean.ticket_id)])
    now = store.now()
    p = clean.procedure
    due = calendar_of(store, now.date()).due_at(now, p.processing_days, p.same_day_cutoff)
    agency = store.cfg.office.agency_code
    with store.write():
        seq = next_number(f"dossier:{agency}", now.date())
        d = Dossier.create(
            code=format_dossier_code(agency, now.date(), seq),
            office=_office_id(id(store.db), agency), procedure=proc.id if proc else None,
            procedure_code=p.code, procedure_name=p.name, field=p.field,
            channel=clean.channel, level=clean.level, status=STATUS_RECEIVED,
            applicant_name=clean.applicant_name, applicant_folded=fold(clean.applicant_name),
            id_number=clean.id_number, id_kind=clean.id_kind, phone=clean.phone,
            address=clean.address, email=clean.email, representative=clean.representative,
            representative_id=clean.representative_id, sets=clean.sets, fee_vnd=clean.fee_vnd,
            received_at=now, due_at=due, original_due_at=due,
            return_method=clean.return_method, post_option=clean.post_option,
            waybill=clean.waybill, postal_charge_vnd=clean.postal_charge_vnd,
            delivery_address=clean.delivery_address, portal_code=clean.portal_code,
            vneid=clean.vneid, paid_online=clean.paid_online, ticket=clean.ticket_id,
            officer=store.officer or "", counter=store.counter, note=clean.note,
        )
        DossierDocument.insert_many([
            {"dossier": d.id, "position": i, "name": doc.name, "originals": doc.originals,
             "copies": doc.copies} for i, doc in enumerate(clean.documents)
        ]).execute()
        DossierEvent.insert(dossier=d.id, at=now, action="receive", from_status=None,
                            to_status=STATUS_RECEIVED, officer=store.officer,
                            counter=store.counter, note=clean.note).execute()
        docs = tuple((doc.name, doc.originals, doc.copies) for doc in clean.documents)
        slip = copies(receipt_slip(receipt_for(store, d, proc, docs)),
                      store.cfg.printer.receipt_copies)
        job = printjobs.enqueue(store, slip, dossier=d.id)
        audit.record(store, "receive", d.code, dossiers=[d.code])
    view = replace(dossiers.view(d, full=False), office=store.cfg.office.name,
                   documents=tuple(DocumentView(*doc) for doc in docs))
    return ReceivedDossier(view, job)


@gated(Action.DOSSIER_STEP)
def reprint(store: Store, code: str) -> int:
    """Queue the receipt again (one copy); the print is logged like every other."""
    with store.write():
        d = dossiers.by_code(code)
        job = printjobs.enqueue(store, receipt_slip(receipt_for(store, d)), dossier=d.id)
        DossierEvent.insert(dossier=d.id, at=store.now(), action="reprint_receipt",
                            officer=store.officer, counter=store.counter,
                            note=f"job {job}").execute()
        audit.record(store, "reprint_receipt", d.code, dossiers=[d.code])
        return job
