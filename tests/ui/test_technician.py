"""The technician screen (F11 / Ctrl+T) on a network printer that is the simulated one: the
status read from it, the test page printed, what prints greyed out while the printer is down,
a failed job listed with its reason and reprinted, the last job decoded."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from counter_tui.printing.simulator import NetworkPrinter
from counter_tui.printing.transports import forget_printers
from counter_tui.services import printjobs
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.counter import CounterScreen
from counter_tui.ui.screens.issue_ticket import IssueTicketScreen
from counter_tui.ui.screens.print_problem import PrintProblemScreen
from counter_tui.ui.screens.technician import TechnicianScreen
from tests.printing.helpers import APPLICANT, receipt_slip, ticket_slip
from tests.ui.conftest import SignedInApp

SIZE = (150, 45)


@pytest.fixture
def engine() -> str:
    return "sqlite"


@pytest.fixture
def net_printer(tmp_path: Path) -> Iterator[NetworkPrinter]:
    forget_printers()
    with NetworkPrinter(tmp_path / "sim", port=0) as sim:
        yield sim
    forget_printers()


@pytest.fixture
def tech_app(open_test_store: Callable[..., Any], net_printer: NetworkPrinter) -> CounterApp:
    store = open_test_store(printer={"kind": "network", "target": net_printer.target,
                                     "connect_timeout": 0.5, "send_timeout": 1.0})
    app = SignedInApp(store.cfg, store=store)
    app.animation_level = "none"
    return app


async def until(pilot: Pilot[Any], check: Callable[[], Any], what: str,
                timeout: float = 8.0) -> Any:
    deadline = time.monotonic() + timeout
    while not (value := check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.05)
    return value


def printed(sim: NetworkPrinter) -> list[str]:
    return [(sim.folder / j["text"]).read_text("utf-8")
            for j in sorted(sim.jobs(), key=lambda j: j["number"]) if j["outcome"] == "printed"]


def shown(app: CounterApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_technician_screen(tech_app: CounterApp, net_printer: NetworkPrinter) -> None:
    app = tech_app
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CounterScreen), "the counter screen")
        await pilot.press("f11")
        assert isinstance(app.screen, TechnicianScreen)
        screen = app.screen
        config = shown(app, "#tech-config")
        assert f"network {net_printer.target}" in config and "tcvn3" in config
        assert "80 mm" in config
        await until(pilot, lambda: "Sẵn sàng" in shown(app, "#tech-status"), "the status")
        assert "còn giấy" in shown(app, "#tech-status")

        await pilot.press("t")  # the test page, through the queue
        await until(pilot, lambda: printed(net_printer), "the test page to print")
        assert "TRANG IN THỬ" in printed(net_printer)[0]
        await until(pilot, lambda: "TRANG IN THỬ" in screen.decoded_text, "the decoded job")
        assert "Ư Ừ Ứ Ử Ữ Ự" in screen.decoded_text

        # the printer runs out of paper: what prints is greyed out, here and on the counter
        net_printer.set_faults("paper_out")
        await asyncio.to_thread(app.spooler.probe)  # type: ignore[union-attr]
        await until(pilot, lambda: app.printer_offline, "the printer to be known down")
        # what prints stays at hand: the technician fixes the printer and tries at once
        assert screen.check_action("test_page", ()) is True
        assert screen.check_action("retry", ()) is True
        assert screen.check_action("status_now", ()) is True
        await until(pilot, lambda: "hết giấy" in shown(app, "#tech-status"), "the reason")

        # a slip that failed is listed with its reason, and reprinted once the paper is back
        job = printjobs.submit(app.store, ticket_slip())  # type: ignore[arg-type]
        assert printjobs.claim(app.store, job)  # type: ignore[arg-type]
        printjobs.failed(app.store, job, "Máy in hết giấy: thay cuộn giấy",  # type: ignore
                         transient=False)
        await pilot.press("f")  # failed jobs only
        table = screen.query_one("#tech-jobs", DataTable)
        await until(pilot, lambda: table.row_count == 1, "the failed job")
        assert table.get_row_at(0)[3] == "lỗi in" and "hết giấy" in table.get_row_at(0)[6]

        net_printer.set_faults("clear")
        await asyncio.to_thread(app.spooler.probe)  # type: ignore[union-attr]
        await until(pilot, lambda: not app.printer_offline, "the printer to be back")
        assert screen.check_action("retry", ()) is True
        table.focus()
        await pilot.press("r")
        await until(pilot, lambda: len(printed(net_printer)) == 2, "the reprint")
        assert "A015" in printed(net_printer)[1]
        await until(pilot, lambda: printjobs.status(app.store, job)[0] == "sent",  # type: ignore
                    "the job to be marked sent")

        await pilot.press("v")
        await until(pilot, lambda: ".png" in shown(app, "#tech-png"), "the PNG path")

        await pilot.press("ctrl+t")
        assert isinstance(app.screen, CounterScreen)


async def test_f2_with_the_printer_down_reads_it_again_and_says_why_at_once(
        tech_app: CounterApp, net_printer: NetworkPrinter) -> None:
    app = tech_app
    seen: list[tuple[str, str]] = []
    show = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        seen.append((kwargs.get("severity", "information"), str(message)))
        show(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CounterScreen), "the counter screen")
        await until(pilot, lambda: app.spooler is not None, "the print spooler (after the frame)")
        counter = app.screen
        net_printer.set_faults("cover_open")
        await asyncio.to_thread(app.spooler.probe)  # type: ignore[union-attr]
        await until(pilot, lambda: app.printer_offline, "the printer to be known down")
        assert counter.check_action("issue", ()) is True  # F2 is never a silent no-op

        await pilot.press("f2")
        refusal = await until(pilot, lambda: next(
            (text for sev, text in seen if sev == "error" and "Chưa cấp số" in text), None),
            "the refusal")
        assert "nắp" in refusal and "F11" in refusal
        assert isinstance(app.screen, CounterScreen)  # no dialog, and no ticket
        assert printjobs.recent(app.store) == []  # type: ignore[arg-type]

        # the cover is shut: F2 reads the printer again and the dialog opens at once
        net_printer.set_faults("clear")
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, IssueTicketScreen), "the dialog")
        await pilot.press("a")
        await until(pilot, lambda: printed(net_printer), "the ticket")
        assert "A001" in printed(net_printer)[0]


async def test_a_reprint_from_the_technician_screen_goes_now_whatever_the_back_off(
        tech_app: CounterApp, net_printer: NetworkPrinter) -> None:
    app = tech_app
    store: Any = app.store
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.spooler is not None, "the print spooler")
        net_printer.set_faults("paper_out")
        for _ in range(4):  # down for a while: the next look at it is 15 s away
            await asyncio.to_thread(app.spooler.probe)  # type: ignore[union-attr]
        await until(pilot, lambda: app.printer_offline, "the printer to be known down")
        # a receipt that failed, and a ticket cut off mid-job (it may be on paper)
        receipt = printjobs.submit(store, receipt_slip())
        assert printjobs.claim(store, receipt)
        printjobs.failed(store, receipt, "Máy in hết giấy: thay cuộn giấy", transient=False)
        ticket = printjobs.submit(store, ticket_slip())
        assert printjobs.claim(store, ticket)
        printjobs.failed(store, ticket, "Mất kết nối khi đang gửi", transient=True,
                         maybe_printed=True)

        await pilot.press("f11")
        screen = app.screen
        assert isinstance(screen, TechnicianScreen)
        table = screen.query_one("#tech-jobs", DataTable)
        await until(pilot, lambda: table.row_count == 2, "the jobs")
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(2)]
        assert [row[2:4] for row in rows] == [["số thứ tự", "cần kiểm tra"],
                                              ["biên nhận hồ sơ", "lỗi in"]]
        assert not {"ticket", "receipt", "unsure", "failed"} & {c for row in rows for c in row}

        net_printer.set_faults("clear")  # paper in; the app does not know yet
        assert app.printer_offline
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("r")
        await until(pilot, lambda: printed(net_printer), "the reprint", timeout=5)
        assert APPLICANT in printed(net_printer)[0]
        await until(pilot, lambda: printjobs.status(store, receipt)[0] == "sent", "sent")

        # the ticket that may have printed: Enter offers "it came out", and it is not resent
        table.move_cursor(row=0)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, PrintProblemScreen), "the dialog")
        await pilot.press("d")
        await until(pilot, lambda: printjobs.status(store, ticket)[0] == "sent", "came out")
        await pilot.pause(0.3)
        assert len(printed(net_printer)) == 1


async def test_the_technician_screen_is_in_the_command_palette(tech_app: CounterApp) -> None:
    app = tech_app
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CounterScreen), "the counter screen")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Máy in (kỹ thuật)" in titles


async def test_the_printer_down_notice_says_what_to_do_and_claims_no_waiting_slip(
        tech_app: CounterApp, net_printer: NetworkPrinter) -> None:
    """Out of paper at start, nothing queued: the notice says what is wrong and what to do,
    and does not say that slips wait in the queue."""
    app = tech_app
    seen: list[str] = []
    show = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        seen.append(str(message))
        show(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    net_printer.set_faults("paper_out")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.spooler is not None, "the print spooler")
        await asyncio.to_thread(app.spooler.probe)  # type: ignore[union-attr]
        notice = await until(pilot, lambda: next((n for n in seen if "hết giấy" in n), None),
                             "the printer notice")
    assert "Kiểm tra máy in" in notice and "F11" in notice
    assert "phiếu" not in notice.lower()
