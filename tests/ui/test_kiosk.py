"""The ticket kiosk (`counter-tui kiosk`): a ticket by one key, printed through the queue and
print services; never two on a double press; nothing issued while the printer is down, said
plainly; and it acts as the kiosk role only."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from counter_tui.commands.office import own_identity
from counter_tui.core.roles import Role
from counter_tui.db.models import Ticket
from counter_tui.printing.simulator import NetworkPrinter
from counter_tui.printing.transports import forget_printers
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.kiosk import KioskScreen
from tests.ui.conftest import burst, printer_output, settle, wait_until

SIZE = (80, 24)


def kiosk_app(make_app: Callable[..., CounterApp], **overrides: Any) -> CounterApp:
    app = make_app(sign_in=False, **overrides)
    app.store = replace(app.store, actor=own_identity(app.cfg, Role.KIOSK))
    app.mode = "kiosk"
    return app


def tickets(app: CounterApp) -> list[tuple[str, str]]:
    with app.store.read():
        return [(f"{t.series}{t.number:03}", t.state) for t in Ticket.select().order_by(Ticket.id)]


def answer(app: CounterApp) -> str:
    return str(app.screen.query_one("#ksk-answer", Static).render())


async def kiosk_shown(pilot: Pilot[Any]) -> KioskScreen:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, KioskScreen), what="kiosk")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, KioskScreen)
    return screen


async def test_one_key_one_printed_ticket(make_app: Callable[..., CounterApp]) -> None:
    app = kiosk_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await kiosk_shown(pilot)
        await pilot.press("2")  # B Chứng thực
        await wait_until(pilot, lambda: screen.issued, what="the ticket issued")
        await settle(pilot)
        assert tickets(app) == [("B001", "waiting")]  # printed: in the queue
        assert "B001" in answer(app) and "Chứng thực" in answer(app)
        assert "B001" in printer_output(app).text
        assert not screen.query_one("#ksk-buttons").display
        # a few seconds later it is back at the start, ready for the next citizen
        await wait_until(pilot, lambda: not screen.busy, timeout=15, what="back at the start")
        assert screen.query_one("#ksk-buttons").display
        await pilot.click("#ksk-1")  # a touch on A
        await wait_until(pilot, lambda: len(screen.issued) == 2, what="A by touch")
        assert [c for c, _ in tickets(app)] == ["B001", "A001"]


async def test_a_double_press_issues_one_ticket(make_app: Callable[..., CounterApp]) -> None:
    app = kiosk_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await kiosk_shown(pilot)
        await burst(pilot, "1", "1", "1", "3")  # an impatient hand, then another group
        await wait_until(pilot, lambda: screen.issued, what="the ticket issued")
        await settle(pilot)
        assert tickets(app) == [("A001", "waiting")]
        assert printer_output(app).text.count("A001") >= 1
        assert "A002" not in printer_output(app).text


async def test_a_key_with_no_group_does_nothing(make_app: Callable[..., CounterApp]) -> None:
    app = kiosk_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await kiosk_shown(pilot)
        await pilot.press("9")  # four groups: 9 is nobody's
        await settle(pilot)
        assert tickets(app) == [] and not screen.busy


@pytest.fixture
def net_printer(tmp_path: Path) -> Iterator[NetworkPrinter]:
    forget_printers()
    with NetworkPrinter(tmp_path / "sim", port=0) as sim:
        yield sim
    forget_printers()


async def test_a_printer_out_of_paper_issues_nothing_and_says_where_to_go(
        make_app: Callable[..., CounterApp], net_printer: NetworkPrinter) -> None:
    app = kiosk_app(make_app, printer={"kind": "network", "target": net_printer.target,
                                       "connect_timeout": 0.5, "send_timeout": 1.0})
    async with app.run_test(size=SIZE) as pilot:
        screen = await kiosk_shown(pilot)
        net_printer.set_faults("paper_out")
        await asyncio.to_thread(app.spooler.probe)  # type: ignore[union-attr]
        await wait_until(pilot, lambda: app.printer_offline, what="the printer known down")
        await pilot.press("1")
        await settle(pilot)
        assert tickets(app) == []  # nothing issued
        assert "hết giấy" in answer(app).lower() and "quầy hướng dẫn" in answer(app)
        assert screen.query_one("#ksk-answer").has_class("-error")


async def test_a_slip_that_fails_as_it_prints_is_withdrawn(
        make_app: Callable[..., CounterApp], net_printer: NetworkPrinter) -> None:
    """The printer went down between two looks: the ticket was stored, its slip failed; at a
    kiosk nobody would hand a late slip over, so the ticket is voided and never prints."""
    app = kiosk_app(make_app, printer={"kind": "network", "target": net_printer.target,
                                       "connect_timeout": 0.5, "send_timeout": 1.0})
    async with app.run_test(size=SIZE) as pilot:
        await kiosk_shown(pilot)
        net_printer.set_faults("offline")  # not yet known to the kiosk
        await pilot.press("1")
        await wait_until(pilot, lambda: "quầy hướng dẫn" in answer(app), timeout=15,
                         what="the refusal")
        await settle(pilot)
        assert "Chưa lấy số" in answer(app)
        assert tickets(app) == [("A001", "void")]  # never in the queue, never counted
        from counter_tui.services import printjobs

        with app.store.read():
            from counter_tui.db.models import PrintJob

            assert [j.state for j in PrintJob.select()] == [printjobs.WITHDRAWN]
        net_printer.set_faults("clear")  # the printer back: nothing comes out by itself
        await asyncio.to_thread(app.spooler.run_once)  # type: ignore[union-attr]
        assert not [j for j in net_printer.jobs() if j["outcome"] == "printed"]


async def test_the_kiosk_refuses_without_its_role(make_app: Callable[..., CounterApp]) -> None:
    app = kiosk_app(make_app)
    app.store = replace(app.store, actor=own_identity(app.cfg, Role.DISPLAY))
    async with app.run_test(size=SIZE) as pilot:
        await kiosk_shown(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert tickets(app) == []
        assert "quầy hướng dẫn" in answer(app)
        assert not app.check_action("technician", ())


async def test_a_priority_ticket_in_two_steps(make_app: Callable[..., CounterApp]) -> None:
    from counter_tui.core import queue_rules

    app = kiosk_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await kiosk_shown(pilot)
        await pilot.press("0")  # priority first
        assert screen.query_one("#ksk-priorities").display
        assert not screen.query_one("#ksk-buttons").display
        await pilot.press("2")  # the second kind
        kind = queue_rules.PRIORITIES[1]
        assert screen.priority == kind and screen.query_one("#ksk-buttons").display
        assert queue_rules.priority_label(kind) in str(
            screen.query_one("#ksk-title", Static).render())
        await pilot.press("3")  # C Cư trú
        await wait_until(pilot, lambda: screen.issued, what="the priority ticket")
        await settle(pilot)
        with app.store.read():
            stored = [(t.series, t.priority) for t in Ticket.select()]
        assert stored == [("C", kind)]
        await wait_until(pilot, lambda: not screen.busy, timeout=15, what="back at the start")
        assert screen.priority is None and screen.step == "group"
        await pilot.press("1")  # the next citizen's ticket is an ordinary one
        await wait_until(pilot, lambda: len(screen.issued) == 2, what="A001")
        with app.store.read():
            assert [t.priority for t in Ticket.select().order_by(Ticket.id)] == [kind, None]
