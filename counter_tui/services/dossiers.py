"""Reading dossiers back as views: the one place a dossier row becomes what screens show.

Screens that do not need the full ID number get it masked (Nghị định 13/2023); reading a
dossier's personal data is recorded in the audit log with the officer and counter.
"""

from __future__ import annotations

from datetime import datetime

from counter_tui.core.errors import UserError
from counter_tui.core.ontime import classify
from counter_tui.core.roles import Action
from counter_tui.core.validation import mask_id
from counter_tui.core.views import (
    DocumentView,
    DossierEventView,
    DossierFileView,
    DossierSummary,
    DossierView,
    PrintJobView,
)
from counter_tui.db.models import (
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierFile,
    Office,
    PrintJob,
)
from counter_tui.services import audit
from counter_tui.services.authority import gated
from counter_tui.services.store import Store


def summary(d: Dossier) -> DossierSummary:
    return DossierSummary(id=d.id, code=d.code, applicant_name=d.applicant_name, phone=d.phone,
                          procedure_name=d.procedure_name, channel=d.channel, status=d.status,
                          received_at=d.received_at, due_at=d.due_at)


def view(d: Dossier, *, full: bool = True, now: datetime | None = None) -> DossierView:
    documents: tuple[DocumentView, ...] = ()
    events: tuple[DossierEventView, ...] = ()
    jobs: tuple[PrintJobView, ...] = ()
    files: tuple[DossierFileView, ...] = ()
    if full:
        files = tuple(file_view(f) for f in DossierFile.select().where(
            DossierFile.dossier == d.id).order_by(DossierFile.stage, DossierFile.id))
        documents = tuple(DocumentView(x.name, x.originals, x.copies) for x in
                          DossierDocument.select().where(DossierDocument.dossier == d.id)
                          .order_by(DossierDocument.position))
        events = tuple(DossierEventView(e.at, e.action, e.from_status, e.to_status, e.officer,
                                        e.counter, e.note, e.data) for e in
                       DossierEvent.select().where(DossierEvent.dossier == d.id)
                       .order_by(DossierEvent.at, DossierEvent.id))
        jobs = tuple(PrintJobView(id=j.id, kind=j.kind, state=j.state, label=d.code,
                                  error=j.error, attempts=j.attempts, created_at=j.created_at,
                                  ticket_id=None, dossier_id=d.id) for j in
                     PrintJob.select().where(PrintJob.dossier == d.id).order_by(PrintJob.id))
    office = Office.get_by_id(d.office_id) if full else None
    klass = (classify(d.status, d.due_at, d.resolved_at, now, paused_at=d.paused_at)
             if now is not None else None)
    return DossierView(
        id=d.id, code=d.code, office=office.name if office else "",
        procedure_code=d.procedure_code, procedure_name=d.procedure_name, field=d.field,
        channel=d.channel, level=d.level, status=d.status, applicant_name=d.applicant_name,
        id_number_masked=mask_id(d.id_number) if d.id_number else "", id_kind=d.id_kind,
        phone=d.phone, address=d.address, email=d.email, representative=d.representative,
        sets=d.sets, fee_vnd=d.fee_vnd, received_at=d.received_at, due_at=d.due_at,
        original_due_at=d.original_due_at, paused_at=d.paused_at, resolved_at=d.resolved_at,
        returned_at=d.returned_at, return_method=d.return_method, post_option=d.post_option,
        waybill=d.waybill, postal_charge_vnd=d.postal_charge_vnd,
        delivery_address=d.delivery_address, portal_code=d.portal_code, vneid=d.vneid,
        paid_online=d.paid_online, ticket_id=d.ticket_id, officer=d.officer, counter=d.counter,
        rating=d.rating, note=d.note, documents=documents, events=events, print_jobs=jobs,
        apology_due_at=d.apology_due_at, supplement_deadline=d.supplement_deadline,
        holder=d.holder, collected_by=d.collected_by,
        collected_id_masked=mask_id(d.collected_id) if d.collected_id else "",
        return_waybill=d.return_waybill, delivered_at=d.delivered_at,
        ontime=klass.value if klass else "", ontime_label=klass.label if klass else "",
        files=files,
    )


def file_view(f: DossierFile) -> DossierFileView:
    return DossierFileView(id=f.id, stage=f.stage, document=f.document, pages=f.pages,
                           bytes=f.bytes, sha256=f.sha256, method=f.method, officer=f.officer,
                           at=f.at, purged=f.purged_at is not None)


def by_code(code: str) -> Dossier:
    d = Dossier.get_or_none(Dossier.code == code)
    if d is None:
        raise UserError("dossier.not_found", code=code)
    return d


def _canonical(code: str) -> str:
    from counter_tui.core.codes import parse_dossier_code

    parsed = parse_dossier_code(code)
    return str(parsed) if parsed else code.strip()


@gated(Action.DOSSIER_VIEW)
def show(store: Store, code: str) -> DossierView:
    """A dossier in full, for the officer; the look-up is logged."""
    with store.write():
        d = by_code(_canonical(code))
        audit.record(store, "view", d.code, dossiers=[d.code])
        return view(d, now=store.now())


@gated(Action.DOSSIER_SHOW_ID)
def reveal_id(store: Store, code: str) -> str:
    """The applicant's ID number in full: asked for on purpose (a key on the dossier screen,
    `dossier show --show-id`), by a role allowed to, and recorded. Every other view has it
    masked. Empty when the dossier has none (or it was anonymised)."""
    with store.write():
        d = by_code(_canonical(code))
        audit.record(store, "show_id", d.code, dossiers=[d.code])
        return str(d.id_number)
