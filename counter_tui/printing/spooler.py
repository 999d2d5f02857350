"""The print worker: takes queued jobs one by one, renders them for this printer and sends them.

It knows nothing of the store: the caller hands it three functions (claim the next job, mark it
sent, mark it failed), so the same worker serves the TUI, the CLI and the tests, and printing
stays below the services layer. It runs in its own thread and never raises: every failure is
reported through `failed` with a reason an officer can read.

Jobs leave in order: a transient failure (printer off, out of paper) ends the round, so the job
after it never overtakes it. A job that failed without putting anything on paper is tried
again 2, 5 and 15 s later (core.print_rules), then shown as failed: the citizen is still at
the desk. The spooler also keeps what it knows of the printer (`health`, printing.health): the
last status it read, and whether the printer is down. While a failed slip waits for its retry,
that retry is the next look at the printer; with none waiting, the status is read again after
a back-off (2, 4, 8, 15, 30 s). A printer known to be down is never hammered, yet a slip due
now (a new one, an officer's reprint) is always tried now.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from counter_tui.config import PrinterConfig
from counter_tui.core.print_rules import retry_delay
from counter_tui.printing.health import PrinterHealth
from counter_tui.printing.status import PrinterStatus
from counter_tui.printing.transports import PrinterError, Transport, open_transport

if TYPE_CHECKING:
    from counter_tui.core.layout import Slip

log = logging.getLogger(__name__)
__all__ = ["PrinterHealth", "Spooler", "deliver", "drain"]

Claim = Callable[..., "tuple[int, Slip] | None"]
Sent = Callable[[int], None]
# failed(job_id, reason, transient, maybe_printed): maybe_printed jobs are never resent by
# themselves (the slip may be on paper, whole or cut short)
Failed = Callable[[int, str, bool, bool], object]
TransportFactory = Callable[[PrinterConfig], Transport]

BACKOFF = (2.0, 4.0, 8.0, 15.0, 30.0)
STATUS_EVERY = 30.0  # seconds between status readings of a two-way printer that is up
RECOVER_EVERY = 60.0  # seconds between looks for jobs a stopped process left half-sent


def deliver(slip: Slip, printer: PrinterConfig, transport: Transport | None = None) -> None:
    """Render and send one slip; raises PrinterError. A legal form goes to the office
    printer (printing.pdf.output), not to this terminal's thermal printer."""
    from counter_tui.printing.render import render

    if any(b.__class__.__name__ == "FormPage" for b in slip.blocks):
        from counter_tui.printing.pdf.output import deliver_form, form_pages

        for page in form_pages(slip):
            deliver_form(page)
        return

    try:
        data = render(slip, printer)
    except Exception as exc:  # a slip that cannot be rendered must not stop the queue
        log.exception("render failed")
        raise PrinterError(f"render: {exc}", transient=False) from exc
    (transport or open_transport(printer)).send(data)


def drain(claim: Claim, sent: Sent, failed: Failed, printer: PrinterConfig, *,
          transport: TransportFactory | None = None, until: int | None = None) -> int:
    """Send the jobs `claim` hands out, in order; return how many were handled.

    Stops after job `until`, and at the first transient failure: the printer is down, the
    next jobs would fail too, and must not be printed before the one that failed.
    """
    handled = 0
    while (job := claim()) is not None:
        job_id, slip = job
        handled += 1
        try:
            deliver(slip, printer, transport(printer) if transport else None)
        except PrinterError as exc:
            failed(job_id, exc.reason, exc.transient, exc.maybe_printed)
            if exc.transient:
                break
            continue
        except Exception as exc:
            log.exception("print job %s", job_id)
            failed(job_id, str(exc) or type(exc).__name__, False, False)
            continue
        sent(job_id)
        if until is not None and job_id == until:
            break
    return handled


class Spooler:
    """A daemon thread draining the queue whenever it is kicked, and every `poll` seconds."""

    def __init__(self, claim: Claim, sent: Sent, failed: Failed, printer: PrinterConfig, *,
                 on_change: Callable[[], None] | None = None, poll: float = 2.0,
                 on_health: Callable[[PrinterHealth], None] | None = None,
                 transport: TransportFactory = open_transport,
                 backoff: tuple[float, ...] = BACKOFF, status_every: float = STATUS_EVERY,
                 clock: Callable[[], float] = time.monotonic,
                 recover: Callable[[], object] | None = None,
                 recover_every: float = RECOVER_EVERY) -> None:
        self._claim, self._sent, self._failed = claim, sent, failed
        self._recover, self._recover_every = recover, recover_every
        self._last_recover = -float("inf")
        self.printer, self.on_change, self.poll = printer, on_change, poll
        self.on_health = on_health
        self._factory = transport
        self._backoff, self._status_every, self._clock = backoff, status_every, clock
        self._health = PrinterHealth()
        self._streak = (0, 0)  # (job, failed attempts in a row) of the job last tried
        self._last_probe = -float("inf")
        self._two_way: bool | None = None
        self._lock = threading.RLock()  # one job or status query at a time on this printer
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="print-spooler", daemon=True)

    # --- what the screens read ----------------------------------------------------------------

    @property
    def health(self) -> PrinterHealth:
        return self._health

    @property
    def offline(self) -> bool:
        return self._health.offline

    @property
    def two_way(self) -> bool:
        if self._two_way is None:
            try:
                self._two_way = bool(self._factory(self.printer).two_way)
            except PrinterError:
                self._two_way = False
        return self._two_way

    # --- health ---------------------------------------------------------------------------------

    def _set_health(self, health: PrinterHealth) -> None:
        before, self._health = self._health, health
        if self.on_health is not None and not health.same_as(before):
            try:
                self.on_health(health)
            except Exception:
                log.exception("printer health callback")

    def _went_down(self, reason: str, status: PrinterStatus | None = None,
                   job_retry_at: float | None = None) -> None:
        h = self._health
        failures = h.failures + 1
        delay = self._backoff[min(failures, len(self._backoff)) - 1]
        self._set_health(PrinterHealth(status or h.status, reason, failures,
                                       self._clock() + delay, job_retry_at))
        log.info("printer down (%s); next reading in %ss", reason, delay)

    def _came_up(self, status: PrinterStatus | None = None) -> None:
        h = self._health
        if h.down is not None:
            log.info("printer back")
        self._set_health(PrinterHealth(status or h.status))

    def _apply_status(self, found: PrinterStatus) -> None:
        problem = found.problem
        if problem is not None:
            self._went_down(problem, found)
        elif found.reachable:
            self._came_up(found)
        else:  # a one-way connection: the reading tells nothing new
            h = self._health
            self._set_health(PrinterHealth(found, h.down, h.failures, h.retry_at,
                                           h.job_retry_at))

    def probe(self) -> PrinterStatus:
        """Read the printer's status now (blocking: call it from a worker thread)."""
        with self._lock:
            try:
                found = self._factory(self.printer).status()
            except PrinterError as exc:
                found = PrinterStatus(reachable=False, detail=exc.reason).stamped()
            self._last_probe = self._clock()
            self._apply_status(found)
            return found

    # --- sending ------------------------------------------------------------------------------

    def _job_sent(self, job_id: int) -> None:
        self._sent(job_id)
        self._streak = (job_id, 0)
        self._came_up()

    def _job_failed(self, job_id: int, reason: str, transient: bool,
                    maybe_printed: bool) -> None:
        self._failed(job_id, reason, transient, maybe_printed)
        if not transient:
            return
        # the queue tries a job that put nothing on paper again after 2, 5, 15 s (then fails
        # it); the spooler wakes for that attempt, which is also its next look at the printer
        tries = self._streak[1] + 1 if self._streak[0] == job_id else 1
        self._streak = (job_id, tries)
        delay = None if maybe_printed else retry_delay(tries)
        self._went_down(reason, job_retry_at=None if delay is None else self._clock() + delay)

    def _drain(self, claim: Claim, until: int | None = None) -> int:
        with self._lock:
            return drain(claim, self._job_sent, self._job_failed, self.printer,
                         transport=self._factory, until=until)

    def start(self) -> None:
        self._thread.start()

    def kick(self) -> None:
        self._wake.set()

    def send_now(self, job_id: int) -> None:
        """Send a job in the caller's thread (a worker that just stored it, an officer's
        reprint), so the slip leaves without waiting for the spooler thread to wake; older
        jobs of this terminal go first. Whatever back-off the printer is in, a slip asked for
        now is tried now: the officer may just have fixed the printer."""
        self._drain(lambda: self._claim(None), until=job_id)

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def run_once(self) -> int:
        """One round of the spooler's loop; returns how many jobs were handled.

        A job that is due goes whatever the printer's back-off: the queue itself spaces the
        retries of a failed job, and a job due now is a new slip or an officer's reprint.
        The back-off spaces the status readings of a printer known to be down."""
        now = self._clock()
        handled = self._drain(lambda: self._claim(None))
        if handled:
            return handled
        h = self._health
        if h.job_retry_at is not None:
            if now < h.job_retry_at:
                return 0  # the slip's own retry is the next look at the printer
            self._set_health(replace(h, job_retry_at=None))  # reprinted or voided meanwhile
        if self.offline and now < self._health.retry_at:
            return 0
        if self.offline or (self.two_way and now - self._last_probe >= self._status_every):
            found = self.probe()
            if self.offline and found.reachable is None and found.problem is None:
                self._came_up()  # one-way and nothing to send: the next job will tell
        return 0

    def recover_once(self) -> bool:
        """Let `recover` mark the jobs a stopped process left half-sent (a kiosk or the CLI
        killed while printing), at most every `recover_every` seconds; True if it found any."""
        now = self._clock()
        if self._recover is None or now - self._last_recover < self._recover_every:
            return False
        self._last_recover = now
        return bool(self._recover())

    def next_wait(self) -> float:
        """Seconds until the loop should look again: the poll, or sooner when a failed slip
        is due for its retry, or the printer for its next reading."""
        h, now = self._health, self._clock()
        due = h.job_retry_at if h.job_retry_at is not None else h.retry_at if h.offline \
            else None
        return self.poll if due is None else min(self.poll, max(0.05, due - now))

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                changed = self.recover_once()
                if (self.run_once() or changed) and self.on_change:
                    self.on_change()
            except Exception:  # the store may be briefly unreachable; try again next round
                log.exception("print spooler")
            self._wake.wait(self.next_wait())
            self._wake.clear()
