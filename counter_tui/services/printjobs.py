"""The print queue as rows: a slip is committed with the record it belongs to, then sent.

A job is claimed by flipping queued -> sending in one conditional update, so two spoolers never
send the same slip. A job left `sending` by a process that died is not sent again blindly: it is
marked failed ("interrupted") so the officer decides whether to reprint. Failures keep their
reason; transient ones are retried with backoff, up to a limit.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from counter_tui.core.codes import format_ticket
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import messages, t
from counter_tui.core.views import PrintJobView
from counter_tui.db.models import Dossier, PrintJob, Ticket
from counter_tui.services.store import Store

if TYPE_CHECKING:  # slips are read back only when a job is sent: not at start-up
    from counter_tui.core.layout import Slip

QUEUED, SENDING, SENT, FAILED, VOID = "queued", "sending", "sent", "failed", "void"
MAX_AUTO_RETRIES = 3
BACKOFF_SECONDS = (2, 5, 15)

messages({
    "print.interrupted": (
        "Bị gián đoạn khi đang in (ứng dụng đã tắt); kiểm tra phiếu và in lại nếu cần",
        "Interrupted while printing (the app stopped); check the slip and reprint if needed",
    ),
    "print.state.queued": ("chờ in", "queued"),
    "print.state.sending": ("đang in", "sending"),
    "print.state.sent": ("đã in", "sent"),
    "print.state.failed": ("lỗi", "failed"),
    "print.state.void": ("đã hủy", "void"),
    "print.state.retried": ("chờ in lại", "retried"),
    "print.no_job": ("Không có lệnh in số {job}", "There is no print job {job}"),
    "print.not_failed": (
        "Lệnh in {job} đang ở trạng thái '{state}', chỉ in lại được lệnh bị lỗi",
        "Print job {job} is '{state}'; only failed jobs can be retried",
    ),
})


def enqueue(store: Store, slip: Slip, *, ticket: int | None = None,
            dossier: int | None = None) -> int:
    """Add a job inside the caller's transaction (the record and its slip commit together)."""
    return int(PrintJob.insert(
        kind=slip.kind, slip=slip.to_json(), ticket=ticket, dossier=dossier, state=QUEUED,
        created_at=store.now(), counter=store.counter, officer=store.officer,
    ).execute())


def _mine(store: Store) -> Any:
    return ((PrintJob.counter == store.counter) if store.counter is not None
            else PrintJob.counter.is_null())


def claim(store: Store, job_id: int | None = None) -> tuple[int, Slip] | None:
    """Take the oldest queued job of this terminal (or the one asked for) to send it.

    Jobs leave in order: while the oldest waits for its retry time, none is handed out, so a
    slip never overtakes one that failed before it."""
    now = store.now()
    with store.write():
        query = PrintJob.select(PrintJob.id, PrintJob.slip, PrintJob.next_try_at).where(
            PrintJob.state == QUEUED)
        if job_id is not None:
            query = query.where(PrintJob.id == job_id)
        else:
            query = query.where(_mine(store))
        row = query.order_by(PrintJob.id).first()
        if row is None:
            return None
        if job_id is None and row.next_try_at is not None and row.next_try_at > now:
            return None  # the oldest job waits for its retry; the next ones wait behind it
        taken = PrintJob.update(state=SENDING, attempts=PrintJob.attempts + 1).where(
            (PrintJob.id == row.id) & (PrintJob.state == QUEUED)).execute()
        if not taken:
            return None
        from counter_tui.core.layout import Slip

        return row.id, Slip.from_json(row.slip)


def sent(store: Store, job_id: int) -> None:
    with store.write():
        PrintJob.update(state=SENT, sent_at=store.now(), error="").where(
            PrintJob.id == job_id).execute()


def failed(store: Store, job_id: int, reason: str, *, transient: bool) -> str:
    """Record a failure; a transient one goes back in the queue until retries run out."""
    with store.write():
        job = PrintJob.get_by_id(job_id)
        if job.state != SENDING:  # voided or recovered meanwhile: that decision stands
            return str(job.state)
        retry = transient and job.attempts <= MAX_AUTO_RETRIES
        delay = BACKOFF_SECONDS[min(max(job.attempts, 1), len(BACKOFF_SECONDS)) - 1]
        state = QUEUED if retry else FAILED
        PrintJob.update(
            state=state, error=reason[:500],
            next_try_at=store.now() + dt.timedelta(seconds=delay) if retry else None,
        ).where((PrintJob.id == job_id) & (PrintJob.state == SENDING)).execute()
        return state


def retry(store: Store, job_id: int) -> None:
    with store.write():
        job = PrintJob.get_or_none(PrintJob.id == job_id)
        if job is None:
            raise UserError("print.no_job", job=job_id)
        if job.state != FAILED:
            raise UserError("print.not_failed", job=job_id, state=job.state)
        # attempts start again: a reprint gets its own automatic retries if the printer is
        # still warming up; the old reason stays until it prints (shown as "retried")
        PrintJob.update(state=QUEUED, next_try_at=None, counter=store.counter, attempts=0).where(
            PrintJob.id == job_id).execute()


def recover_interrupted(store: Store) -> int:
    """At start: jobs this terminal left half-sent become failed, never silently resent."""
    mine = (PrintJob.state == SENDING) & (PrintJob.counter == store.counter)
    with store.read():
        if not PrintJob.select().where(mine).exists():
            return 0
    with store.write():
        return int(PrintJob.update(state=FAILED, error=t("print.interrupted")).where(
            (PrintJob.state == SENDING) & (PrintJob.counter == store.counter)).execute())


def status(store: Store, job_id: int) -> tuple[str, str]:
    with store.read():
        job = PrintJob.get_by_id(job_id)
        return job.state, job.error


def _label(job: PrintJob) -> str:
    if job.ticket_id:
        ticket = Ticket.get_or_none(Ticket.id == job.ticket_id)
        if ticket:  # the number printed on the slip, not the group it was transferred to
            return format_ticket(ticket.series, ticket.number)
    if job.dossier_id:
        dossier = Dossier.get_or_none(Dossier.id == job.dossier_id)
        if dossier:
            return str(dossier.code)
    return f"#{job.id}"


def _view(job: PrintJob) -> PrintJobView:
    return PrintJobView(id=job.id, kind=job.kind, state=job.state, label=_label(job),
                        error=job.error, attempts=job.attempts, created_at=job.created_at,
                        ticket_id=job.ticket_id, dossier_id=job.dossier_id)


def problems(store: Store, limit: int = 20) -> list[PrintJobView]:
    """Failed jobs of this terminal, newest first: what the officer must see and act on."""
    with store.read():
        query = PrintJob.select().where(
            (PrintJob.state == FAILED) & (PrintJob.counter == store.counter))
        return [_view(j) for j in query.order_by(PrintJob.id.desc()).limit(limit)]


def recent(store: Store, limit: int = 50, *, failed_only: bool = False,
           mine: bool = False) -> list[PrintJobView]:
    """Jobs newest first: every terminal's, or this terminal's (`mine`); only failed ones."""
    with store.read():
        query = PrintJob.select()
        if failed_only:
            query = query.where(PrintJob.state == FAILED)
        if mine:
            query = query.where(_mine(store))
        return [_view(j) for j in query.order_by(PrintJob.id.desc()).limit(limit)]


def submit(store: Store, slip: Slip) -> int:
    """Queue a slip that belongs to no record (the printer test page), in its own transaction."""
    with store.write():
        return enqueue(store, slip)


def state_label(job: PrintJobView) -> str:
    """The state as an officer reads it; a queued job that already failed is 'retried'."""
    if job.state == QUEUED and job.error:
        return t("print.state.retried")
    return t(f"print.state.{job.state}")


def slip_of(store: Store, job_id: int) -> Slip:
    with store.read():
        from counter_tui.core.layout import Slip

        return Slip.from_json(PrintJob.get_by_id(job_id).slip)


def void_for_ticket(ticket_id: int) -> None:
    """Inside the caller's transaction: a voided ticket's unsent slips are never printed."""
    PrintJob.update(state=VOID).where(
        (PrintJob.ticket == ticket_id) & PrintJob.state.in_((QUEUED, FAILED))).execute()
