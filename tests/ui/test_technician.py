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
from counter_tui.ui.screens.technician import TechnicianScreen
from tests.printing.helpers import ticket_slip
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
        assert screen.check_action("test_page", ()) is None
        assert screen.check_action("retry", ()) is None
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


async def test_the_counter_greys_out_issuing_while_the_printer_is_down(
        tech_app: CounterApp, net_printer: NetworkPrinter) -> None:
    app = tech_app
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, CounterScreen), "the counter screen")
        await until(pilot, lambda: app.spooler is not None, "the print spooler (after the frame)")
        counter = app.screen
        assert counter.check_action("issue", ()) is True
        net_printer.set_faults("cover_open")
        await asyncio.to_thread(app.spooler.probe)  # type: ignore[union-attr]
        await until(pilot, lambda: app.printer_offline, "the printer to be known down")
        assert counter.check_action("issue", ()) is None  # shown, greyed out
        net_printer.set_faults("clear")
        await asyncio.to_thread(app.spooler.probe)  # type: ignore[union-attr]
        await until(pilot, lambda: counter.check_action("issue", ()) is True, "F2 back")


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
