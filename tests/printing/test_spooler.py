"""The spooler: jobs in order, a printer known down left alone until its back-off passes, and
the printer's health for the screens. The queue here is a list; the store-backed queue is
tested in tests/services/test_printjobs.py and tests/printing/test_print_queue_faults.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from counter_tui.config import PrinterConfig
from counter_tui.core.layout import Slip, Text
from counter_tui.printing.spooler import PrinterHealth, Spooler, drain
from counter_tui.printing.status import PrinterStatus, parse
from counter_tui.printing.transports import PrinterError

READY = parse({1: 0x12, 2: 0x12, 4: 0x12})
PAPER_OUT = parse({1: 0x1A, 2: 0x32, 4: 0x7E})


@dataclass
class Queue:
    """claim / sent / failed over a list, with the store's rules: oldest first, a job waiting
    for its retry blocks the ones behind it."""

    jobs: list[int]
    now: float = 0.0
    due: dict[int, float] = field(default_factory=dict)
    sent_ids: list[int] = field(default_factory=list)
    failures: list[tuple[int, str, bool]] = field(default_factory=list)

    def claim(self, job_id: int | None = None) -> tuple[int, Slip] | None:
        if not self.jobs:
            return None
        head = self.jobs[0] if job_id is None else job_id
        if head not in self.jobs or (job_id is None and self.due.get(head, 0) > self.now):
            return None
        self.jobs.remove(head)
        return head, Slip("t", (Text(f"job {head}"),))

    def sent(self, job_id: int) -> None:
        self.sent_ids.append(job_id)

    def failed(self, job_id: int, reason: str, transient: bool,
               maybe_printed: bool = False) -> None:
        self.failures.append((job_id, reason, transient))
        if transient and not maybe_printed:
            self.jobs.insert(0, job_id)
            self.due[job_id] = self.now + 2


class Printer:
    """A transport whose behaviour the test sets: works, fails, or reports a status."""

    two_way = True

    def __init__(self) -> None:
        self.error: PrinterError | None = None
        self.state: PrinterStatus = READY
        self.sends: list[bytes] = []
        self.queries = 0

    def __call__(self, _: PrinterConfig) -> Printer:
        return self

    def send(self, data: bytes) -> None:
        if self.error is not None:
            raise self.error
        self.sends.append(data)

    def status(self) -> PrinterStatus:
        self.queries += 1
        return self.state


@pytest.fixture
def setup() -> tuple[Queue, Printer, Spooler, list[PrinterHealth], list[float]]:
    queue, printer = Queue([1, 2, 3]), Printer()
    now = [100.0]
    seen: list[PrinterHealth] = []
    spooler = Spooler(queue.claim, queue.sent, queue.failed, PrinterConfig(),
                      transport=printer, on_health=seen.append, clock=lambda: now[0],
                      status_every=1e9)
    return queue, printer, spooler, seen, now


def test_drain_sends_in_order_and_stops_at_a_transient_failure() -> None:
    queue, printer = Queue([1, 2, 3]), Printer()
    printer.error = PrinterError("hết giấy", transient=True)
    assert drain(queue.claim, queue.sent, queue.failed, PrinterConfig(),
                 transport=printer) == 1
    assert queue.failures == [(1, "hết giấy", True)] and queue.jobs == [1, 2, 3]
    printer.error = None
    queue.now = 5
    assert drain(queue.claim, queue.sent, queue.failed, PrinterConfig(),
                 transport=printer) == 3
    assert queue.sent_ids == [1, 2, 3]


def test_a_permanent_failure_does_not_stop_the_next_jobs() -> None:
    queue, printer = Queue([1, 2]), Printer()
    printer.error = PrinterError("sai cấu hình", transient=False)
    assert drain(queue.claim, queue.sent, queue.failed, PrinterConfig(), transport=printer) == 2
    assert [f[0] for f in queue.failures] == [1, 2]


def test_a_printer_known_down_is_not_hammered(setup: Any) -> None:
    queue, printer, spooler, seen, now = setup
    printer.error = PrinterError("Máy in hết giấy", transient=True)
    assert spooler.run_once() == 1
    assert spooler.offline and seen[-1].down == "Máy in hết giấy"
    calls = len(queue.failures) + printer.queries
    for _ in range(50):  # the loop wakes many times before the back-off passes
        now[0] += 0.03
        assert spooler.run_once() == 0
    assert len(queue.failures) + printer.queries == calls

    now[0] += 2  # the first back-off (2 s) has passed: one more attempt, still failing
    queue.now = now[0]
    assert spooler.run_once() == 1
    assert spooler.health.failures == 2
    assert spooler.health.retry_at == pytest.approx(now[0] + 4)  # 2, 4, 8, 15, 30 s


def test_the_printer_coming_back_is_noticed_and_the_queue_resumes_in_order(setup: Any) -> None:
    queue, printer, spooler, seen, now = setup
    queue.now = now[0]
    printer.error = PrinterError("Máy in hết giấy", transient=True)
    spooler.run_once()
    printer.error = None
    now[0] += 2.5  # the spooler's back-off passed; the job's own retry time has not
    queue.now = now[0] - 1
    assert spooler.run_once() == 0
    assert printer.queries == 1 and not spooler.offline  # it read the status instead
    assert seen[-1].down is None and seen[-1].status.ready
    queue.now = now[0] + 1
    assert spooler.run_once() == 3
    assert queue.sent_ids == [1, 2, 3]


def test_a_status_reading_of_paper_out_takes_the_printer_down(setup: Any) -> None:
    _, printer, spooler, seen, _ = setup
    printer.state = PAPER_OUT
    spooler.probe()
    assert spooler.offline and "hết giấy" in (spooler.health.down or "")
    assert seen[-1].status.paper == "out"
    printer.state = READY
    spooler.probe()
    assert not spooler.offline


def test_send_now_tries_at_once_whatever_the_back_off(setup: Any) -> None:
    """A slip asked for now (a new ticket, a reprint) is tried now: the officer may just
    have fixed the printer the spooler still takes for down."""
    queue, printer, spooler, _, _ = setup
    printer.state = PAPER_OUT
    spooler.probe()
    assert spooler.offline
    printer.state = READY  # paper put in; the back-off has not run out
    spooler.send_now(1)
    assert queue.sent_ids == [1] and not spooler.offline


def test_send_now_sends_older_jobs_first(setup: Any) -> None:
    queue, _, spooler, _, _ = setup
    spooler.send_now(2)
    assert queue.sent_ids == [1, 2] and queue.jobs == [3]


def test_health_changes_are_reported_once(setup: Any) -> None:
    _, _, spooler, seen, _ = setup
    spooler.probe()
    spooler.probe()
    assert len(seen) == 1  # the same reading again is not news


def test_the_spooler_looks_for_interrupted_jobs_now_and_then() -> None:
    """A kiosk or the CLI killed while printing leaves a job "sending": the running app finds
    it without a restart, at most once a minute."""
    now, found = [0.0], [0]

    def recover() -> int:
        found[0] += 1
        return 1

    queue = Queue([])
    spooler = Spooler(queue.claim, queue.sent, queue.failed, PrinterConfig(),
                      transport=Printer(), clock=lambda: now[0], recover=recover)
    assert spooler.recover_once() and found == [1]
    now[0] += 59
    assert not spooler.recover_once() and found == [1]
    now[0] += 1
    assert spooler.recover_once() and found == [2]
