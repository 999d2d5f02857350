"""The print queue as rows: a slip is committed with the record it belongs to, then sent.

A job is claimed by flipping queued -> sending in one conditional update, so two spoolers never
send the same slip; the claim records which process took it (host:pid) and when. A job left
`sending` by a process that died is never sent again blindly: at start-up (and from time to
time while the app runs) every such job of this terminal's printer, whoever queued it, becomes
"unsure" (it may have printed), and an officer decides: reprint it, say it came out, or void
the ticket. Failures keep their reason; the rules of what becomes of a job are core.print_rules.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Any

from counter_tui.config import PrinterConfig
from counter_tui.core import print_rules
from counter_tui.core.codes import format_ticket
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.print_rules import NEEDS_OFFICER, REPRINTABLE, JobState
from counter_tui.core.queue_rules import Action, State
from counter_tui.core.queue_views import PrintJobView, PrintStatus
from counter_tui.core.roles import Action as Allowed
from counter_tui.db.models import Dossier, PrintJob, Ticket, TicketEvent
from counter_tui.services import statements
from counter_tui.services.authority import gated
from counter_tui.services.store import Store

if TYPE_CHECKING:  # slips are read back only when a job is sent: not at start-up
    from counter_tui.core.layout import Slip

QUEUED, SENDING, SENT, UNSURE, FAILED, VOID = (s.value for s in (
    JobState.QUEUED, JobState.SENDING, JobState.SENT, JobState.UNSURE, JobState.FAILED,
    JobState.VOID))
WITHDRAWN = JobState.WITHDRAWN.value
MAX_AUTO_RETRIES = print_rules.MAX_AUTO_RETRIES
BACKOFF_SECONDS = print_rules.RETRY_AFTER
# a job another machine has been sending for this long is taken for interrupted: longer than
# the slowest job takes (a raster receipt at 9600 baud: about a minute)
STALE_AFTER = dt.timedelta(minutes=10)


def printer_of(printer: PrinterConfig) -> str:
    """The printer a job is for, as stored: every terminal configured for the same printer
    writes the same text, whatever way its target is spelled."""
    target = printer.target.strip()
    if printer.kind == "usb":
        target = f"{printer.usb_vendor:04x}:{printer.usb_product:04x}"
    elif printer.kind == "network":
        bracketed = target.startswith("[")
        if (bracketed and "]:" not in target) or (not bracketed and target.count(":") != 1):
            target = f"{target}:9100"  # the port a network printer has when none is given
        target = target.lower()
    return f"{printer.kind}:{target}"[:200]


def enqueue(store: Store, slip: Slip, *, ticket: int | None = None,
            dossier: int | None = None) -> int:
    """Add a job inside the caller's transaction (the record and its slip commit together).

    A slip that has a legal form (a receipt: Mẫu 01, ...) brings its form too when the office
    prints forms ([forms] in config); with the form only, the form's job is the one returned."""
    if dossier is None:  # no form without a dossier (a ticket): nothing of the forms to load
        return enqueue_raw(store, slip, ticket=ticket, dossier=dossier)
    from counter_tui.services import legal_forms

    if legal_forms.thermal_too(store, slip.kind, dossier):
        job = enqueue_raw(store, slip, ticket=ticket, dossier=dossier)
        # the form after the slip: the citizen's thermal copy never waits for the office printer
        legal_forms.beside(store, slip.kind, dossier)
        return job
    form_job = legal_forms.beside(store, slip.kind, dossier)
    return form_job if form_job is not None else enqueue_raw(store, slip, ticket=ticket,
                                                             dossier=dossier)


def enqueue_raw(store: Store, slip: Slip, *, ticket: int | None = None,
                dossier: int | None = None) -> int:
    """Add exactly this job, inside the caller's transaction."""
    return statements.insert_id(store.db, PrintJob, {
        "kind": slip.kind, "slip": slip.to_json(), "ticket": ticket, "dossier": dossier,
        "state": QUEUED, "created_at": store.now(), "counter": store.counter,
        "officer": store.officer, "printer": printer_of(store.cfg.printer)})


def _mine(store: Store) -> Any:
    return ((PrintJob.counter == store.counter) if store.counter is not None
            else PrintJob.counter.is_null())


def claim(store: Store, job_id: int | None = None) -> tuple[int, Slip] | None:
    """Take the oldest queued job of this terminal (or the one asked for) to send it.

    Jobs leave in order: while the oldest waits for its retry time, none is handed out, so a
    slip never overtakes one that failed before it."""
    now = store.now()
    db = store.db
    with store.write():
        if job_id is not None:
            found = list(_queued().where(PrintJob.id == job_id).tuples())
        else:
            found = statements.rows(db, ("next job", store.counter), lambda: _queued().where(
                _mine(store)).order_by(PrintJob.id).limit(1))
        if not found:
            return None
        found_id, slip, next_try_at = found[0]
        if job_id is None and next_try_at is not None and next_try_at > now:
            return None  # the oldest job waits for its retry; the next ones wait behind it
        taken = db.execute_sql(_CLAIM.format(p=db.param), (
            SENDING, _PROCESS, PrintJob.claimed_at.db_value(now), found_id, QUEUED)).rowcount
        if not taken:
            return None
        from counter_tui.core.layout import Slip

        return found_id, Slip.from_json(slip)


def _queued() -> Any:
    return PrintJob.select(PrintJob.id, PrintJob.slip, PrintJob.next_try_at).where(
        PrintJob.state == QUEUED)


# written once (statements' writes): taken only if still queued (another process may have)
_CLAIM = ('UPDATE "print_job" SET "state" = {p}, "attempts" = "attempts" + 1, '
          '"claimed_by" = {p}, "claimed_at" = {p} WHERE "id" = {p} AND "state" = {p}')


def sent(store: Store, job_id: int) -> None:
    """The printer took the slip: a ticket's holder now waits in the queue."""
    db = store.db
    with store.write():
        # one statement: the slip is marked sent and says whose ticket it is
        for (ticket,) in db.execute_sql(_SENT.format(p=db.param), (
                SENT, PrintJob.sent_at.db_value(store.now()), job_id)).fetchall():
            if ticket is not None:
                _slip_out(store, ticket)


def _slip_out(store: Store, ticket_id: int) -> None:
    """Inside the caller's transaction: a ticket whose slip is out joins the queue (a voided
    ticket, or one already in it from an earlier copy, stays as it is)."""
    before, after = State.PRINTING.value, State.WAITING.value
    db = store.db
    if db.execute_sql(_JOINS.format(p=db.param), (after, ticket_id, before)).rowcount:
        statements.insert(db, TicketEvent, {
            "ticket": ticket_id, "at": store.now(), "action": Action.PRINTED.value,
            "from_state": before, "to_state": after, "counter": store.counter,
            "officer": store.officer})


_SENT = ('UPDATE "print_job" SET "state" = {p}, "sent_at" = {p}, "error" = \'\' '
         'WHERE "id" = {p} RETURNING "ticket_id"')
_JOINS = 'UPDATE "ticket" SET "state" = {p} WHERE "id" = {p} AND "state" = {p}'


def failed(store: Store, job_id: int, reason: str, *, transient: bool,
           maybe_printed: bool = False) -> str:
    """Record a failure. One that may have put the slip on paper waits for an officer
    (unsure); a transient one that put nothing on paper goes back in the queue until its
    automatic retries run out; the state it is left in is returned."""
    with store.write():
        job = PrintJob.get_by_id(job_id)
        if job.state != SENDING:  # voided or recovered meanwhile: that decision stands
            return str(job.state)
        retry = transient and not maybe_printed and job.attempts <= MAX_AUTO_RETRIES
        delay = BACKOFF_SECONDS[min(max(job.attempts, 1), len(BACKOFF_SECONDS)) - 1]
        state = QUEUED if retry else UNSURE if maybe_printed else FAILED
        PrintJob.update(
            state=state, error=reason[:500],
            next_try_at=store.now() + dt.timedelta(seconds=delay) if retry else None,
        ).where((PrintJob.id == job_id) & (PrintJob.state == SENDING)).execute()
        return state


def _job(job_id: int) -> PrintJob:
    job = PrintJob.get_or_none(PrintJob.id == job_id)
    if job is None:
        raise UserError("print.no_job", job=job_id)
    return job


@gated(Allowed.PRINTER_USE)
def retry(store: Store, job_id: int) -> None:
    """The officer reprints a failed slip, one that may have printed, or one waiting for its
    automatic retry: it goes back in the queue, due now, on this terminal's printer."""
    with store.write():
        job = _job(job_id)
        state = UNSURE if job.state == SENDING and _abandoned(store, job) else job.state
        if state not in REPRINTABLE:
            raise UserError("print.not_failed", job=job_id,
                            state=print_rules.state_label(job.state))
        # attempts start again: a reprint gets its own automatic retries if the printer is
        # still warming up; the old reason stays until it prints (shown as "retrying")
        PrintJob.update(state=QUEUED, next_try_at=None, counter=store.counter, attempts=0,
                        printer=printer_of(store.cfg.printer)).where(
            (PrintJob.id == job_id) & (PrintJob.state == job.state)).execute()
        # slips of this terminal queued before it and waiting out their retry are due now
        # too: jobs leave in order, so one of them would otherwise hold the reprint back
        PrintJob.update(next_try_at=None).where(
            (PrintJob.state == QUEUED) & _mine(store) & (PrintJob.id < job_id)
            & PrintJob.next_try_at.is_null(False)).execute()


@gated(Allowed.PRINTER_USE)
def mark_printed(store: Store, job_id: int) -> None:
    """The officer saw the slip of a doubtful job come out whole: it counts as printed (a
    ticket joins the queue), and is not printed again."""
    with store.write():
        job = _job(job_id)
        if job.state != UNSURE and not (job.state == SENDING and _abandoned(store, job)):
            raise UserError("print.not_unsure", job=job_id,
                            state=print_rules.state_label(job.state))
        PrintJob.update(state=SENT, sent_at=store.now()).where(
            (PrintJob.id == job_id) & (PrintJob.state == job.state)).execute()
        if job.ticket_id is not None:
            _slip_out(store, job.ticket_id)


def _host() -> str:
    """This machine's name, as gethostname() gives it; from uname where there is one, so
    that printing a ticket does not load the socket module for it."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


_PROCESS = f"{_host()}:{os.getpid()}"[:80]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True


def _abandoned(store: Store, job: PrintJob) -> bool:
    """Whether a `sending` job's process is gone: on this machine its pid tells; another
    machine's is taken for gone once it has been sending longer than any job takes."""
    host, _, pid = (job.claimed_by or "").rpartition(":")
    if not job.claimed_by or not pid.isdigit():
        return True  # claimed before claims were recorded: no process of today holds it
    if host == _PROCESS.rpartition(":")[0]:
        return int(pid) != os.getpid() and not _alive(int(pid))
    return job.claimed_at is None or job.claimed_at < store.now() - STALE_AFTER


def recover_interrupted(store: Store) -> int:
    """Every job of this terminal and of its printer left `sending` by a process that is
    gone becomes "unsure": it may be on paper, so it is never sent again by itself."""
    where = (PrintJob.state == SENDING) & _here(store)
    with store.read():
        found = list(PrintJob.select(PrintJob.id, PrintJob.claimed_by,
                                     PrintJob.claimed_at).where(where))
    gone = [job.id for job in found if _abandoned(store, job)]
    if not gone:
        return 0
    with store.write():
        return int(PrintJob.update(state=UNSURE, error=t("print.interrupted")).where(
            (PrintJob.state == SENDING) & PrintJob.id.in_(gone)).execute())


def print_status(store: Store, job_id: int) -> PrintStatus:
    """What became of a slip, for the screen that queued it: a saved dossier whose receipt
    did not print says so, with the reason, at once."""
    with store.read():
        job = _job(job_id)
        return PrintStatus(job_id=job.id, state=job.state, error=job.error,
                           label=print_rules.state_label(job.state, retrying=bool(job.error)),
                           kind=print_rules.kind_label(job.kind))


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
                        ticket_id=job.ticket_id, dossier_id=job.dossier_id, counter=job.counter)


def _here(store: Store) -> Any:
    """The jobs this terminal answers for: its own, and every job of the printer it prints on
    (a kiosk's ticket, a slip the CLI or another terminal queued for it)."""
    return _mine(store) | (PrintJob.printer == printer_of(store.cfg.printer))


def problems(store: Store, limit: int = 20) -> list[PrintJobView]:
    """Failed slips of this terminal and of its printer, newest first: what the officers at
    that printer must see and act on (reprint or void), wherever the slip was queued; and
    today's slips a kiosk withdrew, on every counter, until an officer has seen them (a kiosk
    has nobody of its own, and its printer may be any of the office's)."""
    start = dt.datetime.combine(store.now().date(), dt.time())
    printer = printer_of(store.cfg.printer)
    with store.read():  # read with the counter's queue after every commit: built once
        jobs = statements.models(
            PrintJob, store.db, ("printjobs.problems", start, store.counter, printer, limit),
            lambda: PrintJob.select().where(
                (PrintJob.state.in_(NEEDS_OFFICER) & _here(store))
                | ((PrintJob.state == WITHDRAWN) & (PrintJob.created_at >= start)))
            .order_by(PrintJob.id.desc()).limit(limit))
        return [_view(j) for j in jobs]


def recent(store: Store, limit: int = 50, *, failed_only: bool = False,
           mine: bool = False) -> list[PrintJobView]:
    """Jobs newest first: every terminal's, or this terminal's (`mine`); with `failed_only`,
    those an officer must act on (failed, or unsure whether they printed)."""
    with store.read():
        query = PrintJob.select()
        if failed_only:
            query = query.where(PrintJob.state.in_(NEEDS_OFFICER))
        if mine:
            query = query.where(_mine(store))
        return [_view(j) for j in query.order_by(PrintJob.id.desc()).limit(limit)]


def submit(store: Store, slip: Slip) -> int:
    """Queue a slip that belongs to no record (the printer test page), in its own transaction."""
    with store.write():
        return enqueue(store, slip)


def state_label(job: PrintJobView) -> str:
    """The state as an officer reads it; a queued job that already failed is 'retrying'."""
    return print_rules.state_label(job.state, retrying=bool(job.error))


def kind_label(job: PrintJobView) -> str:
    """What the slip is ("biên nhận hồ sơ"), never its internal name ("receipt")."""
    return print_rules.kind_label(job.kind)


def slip_of(store: Store, job_id: int) -> Slip:
    with store.read():
        from counter_tui.core.layout import Slip

        return Slip.from_json(PrintJob.get_by_id(job_id).slip)


def void_for_ticket(ticket_id: int, *, withdrawn: bool = False) -> None:
    """Inside the caller's transaction: a voided ticket's unsent slips are never printed
    (`withdrawn`: by a kiosk, kept in view of the counters until seen)."""
    PrintJob.update(state=WITHDRAWN if withdrawn else VOID).where(
        (PrintJob.ticket == ticket_id) & PrintJob.state.in_((QUEUED, *NEEDS_OFFICER))).execute()


@gated(Allowed.PRINTER_USE)
def seen(store: Store, job_id: int) -> None:
    """An officer has seen a kiosk's withdrawn slip: it leaves every counter's list."""
    with store.write():
        PrintJob.update(state=VOID).where(
            (PrintJob.id == job_id) & (PrintJob.state == WITHDRAWN)).execute()
