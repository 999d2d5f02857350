"""The print worker: takes queued jobs one by one, renders them for this printer and sends them.

It knows nothing of the store: the caller hands it three functions (claim the next job, mark it
sent, mark it failed), so the same worker serves the TUI, the CLI and the tests, and printing
stays below the services layer. It runs in its own thread and never raises: every failure is
reported through `failed` with a reason an officer can read.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from counter_tui.config import PrinterConfig
from counter_tui.core.layout import Slip
from counter_tui.printing.transports import PrinterError, Transport, open_transport

log = logging.getLogger(__name__)

Claim = Callable[..., tuple[int, Slip] | None]
Sent = Callable[[int], None]
Failed = Callable[[int, str, bool], object]


def deliver(slip: Slip, printer: PrinterConfig, transport: Transport | None = None) -> None:
    """Render and send one slip; raises PrinterError."""
    from counter_tui.printing.render import render

    try:
        data = render(slip, printer)
    except Exception as exc:  # a slip that cannot be rendered must not stop the queue
        log.exception("render failed")
        raise PrinterError(f"render: {exc}", transient=False) from exc
    (transport or open_transport(printer)).send(data)


def drain(claim: Claim, sent: Sent, failed: Failed, printer: PrinterConfig) -> int:
    """Send every job `claim` hands out; return how many were handled."""
    handled = 0
    while (job := claim()) is not None:
        job_id, slip = job
        handled += 1
        try:
            deliver(slip, printer)
        except PrinterError as exc:
            failed(job_id, exc.reason, exc.transient)
            continue
        except Exception as exc:
            log.exception("print job %s", job_id)
            failed(job_id, str(exc) or type(exc).__name__, False)
            continue
        sent(job_id)
    return handled


class Spooler:
    """A daemon thread draining the queue whenever it is kicked, and every `poll` seconds."""

    def __init__(self, claim: Claim, sent: Sent, failed: Failed, printer: PrinterConfig, *,
                 on_change: Callable[[], None] | None = None, poll: float = 2.0) -> None:
        self._claim, self._sent, self._failed = claim, sent, failed
        self.printer, self.on_change, self.poll = printer, on_change, poll
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="print-spooler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def kick(self) -> None:
        self._wake.set()

    def send_now(self, job_id: int) -> None:
        """Send one job in the caller's thread (a worker that just stored it): the slip leaves
        without waiting for the spooler thread to wake. A job the spooler took first is left
        to it."""
        drain(lambda: self._claim(job_id), self._sent, self._failed, self.printer)

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if drain(lambda: self._claim(None), self._sent, self._failed,
                         self.printer) and self.on_change:
                    self.on_change()
            except Exception:  # the store may be briefly unreachable; try again next round
                log.exception("print spooler")
            self._wake.wait(self.poll)
            self._wake.clear()
