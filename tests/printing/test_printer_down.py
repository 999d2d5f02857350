"""The printer unreachable or down when slips are asked for (issue 10, item 13): the slip is
tried at once and then 2, 5 and 15 s later, as the README says, before it is shown as failed;
the notice says what is wrong, whether a slip waits, and what the officer can do; a screen can
read what became of the slip it queued (a saved dossier whose receipt did not print)."""

from __future__ import annotations

from functools import partial
from typing import Any

from counter_tui.config import PrinterConfig
from counter_tui.core.intake import DocumentLine, DossierDraft
from counter_tui.printing.health import PrinterHealth
from counter_tui.printing.spooler import Spooler
from counter_tui.printing.status import PrinterStatus
from counter_tui.printing.transports import PrinterError
from counter_tui.services import intake, printjobs, queue
from counter_tui.services.printjobs import FAILED, QUEUED

REFUSED = "Máy in 192.168.1.50:9100 từ chối kết nối (tắt nguồn, sai cổng?)"


class Unreachable:
    """A network printer that refuses every connection; it records when it was tried."""

    two_way = True

    def __init__(self, clock: list[float]) -> None:
        self.clock, self.tried = clock, []  # type: list[float]

    def __call__(self, _: PrinterConfig) -> Unreachable:
        return self

    def send(self, data: bytes) -> None:
        self.tried.append(self.clock[0])
        raise PrinterError(REFUSED, transient=True)

    def status(self) -> PrinterStatus:
        return PrinterStatus(reachable=False, detail=REFUSED).stamped()


def spooler_for(store: Any, printer: Unreachable, clock: list[float]) -> Spooler:
    return Spooler(partial(printjobs.claim, store), partial(printjobs.sent, store),
                   lambda job_id, reason, transient, maybe: printjobs.failed(
                       store, job_id, reason, transient=transient, maybe_printed=maybe),
                   store.cfg.printer, transport=printer, clock=lambda: clock[0])


def test_a_slip_is_retried_at_2_5_and_15_s_then_shown_failed(store: Any) -> None:
    """Unreachable since the app started (its back-off long at 30 s): a ticket's slip is
    tried at once, again 2, 5 and 15 s after each failure, and is failed ("Lỗi in") 22 s
    after it was asked for, not minutes later."""
    clock = [0.0]
    printer = Unreachable(clock)
    spooler = spooler_for(store, printer, clock)
    for _ in range(6):  # the printer has been read as down, again and again
        spooler.probe()
        clock[0] += 30
        store.clock.advance(seconds=30)
    issued = queue.issue(store, "A")
    start, failed_at = clock[0], None
    while clock[0] - start < 120 and failed_at is None:
        spooler.run_once()
        if printjobs.status(store, issued.print_job)[0] == FAILED:
            failed_at = clock[0] - start
        elif printer.tried and spooler.health.job_retry_at is not None:
            # the loop wakes for the retry, not a poll or a back-off later
            assert clock[0] + spooler.next_wait() <= spooler.health.job_retry_at + 1e-9
        clock[0] += 0.5
        store.clock.advance(seconds=0.5)
    assert [t - start for t in printer.tried] == [0, 2, 7, 22]
    assert failed_at == 22
    assert [p.label for p in printjobs.problems(store)] == ["A001"]


def test_the_notice_says_what_is_wrong_what_waits_and_what_to_do(store: Any) -> None:
    clock = [100.0]
    spooler = spooler_for(store, Unreachable(clock), clock)
    spooler.probe()  # unreachable at start, nothing queued
    notice = spooler.health.notice(clock[0])
    assert notice.startswith(f"Không kết nối được máy in: {REFUSED.rstrip('.')}.")
    assert "Kiểm tra máy in" in notice and "sau 2 giây" in notice and "F11" in notice
    assert "phiếu" not in notice.lower()  # no slip is claimed to wait: none does

    queue.issue(store, "A")
    spooler.run_once()  # the ticket's slip fails: it waits for its retry
    assert "Phiếu vừa gửi sẽ tự in lại sau 2 giây" in spooler.health.notice(clock[0])
    assert "Chưa cấp số" in spooler.health.cannot_issue()
    assert REFUSED.rstrip(".") in spooler.health.cannot_issue()
    assert PrinterHealth().notice() == ""


def test_a_saved_dossier_can_say_its_receipt_did_not_print(store: Any) -> None:
    received = intake.receive(store, DossierDraft(
        procedure_code="HT-KS", applicant_name="Nguyễn Văn An", phone="0912345678",
        documents=[DocumentLine("Tờ khai đăng ký khai sinh", 1, 0)]))
    job = received.print_job
    assert printjobs.print_status(store, job).state == QUEUED
    printjobs.claim(store, job)
    printjobs.failed(store, job, REFUSED, transient=False)
    status = printjobs.print_status(store, job)
    assert (status.state, status.label, status.kind) == (FAILED, "lỗi in", "biên nhận hồ sơ")
    assert status.error == REFUSED and not status.printed
