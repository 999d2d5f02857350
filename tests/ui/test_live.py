"""Screens follow other terminals' commits through the change feed, not a timer: with the
fallback timer set to a minute, a ticket called at another counter is on this counter's screen
and on the supervisor's board at once; while the feed cannot hear the store, the timer stands
in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from counter_tui.services import queue
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.counter import CounterScreen
from counter_tui.ui.screens.supervisor import SupervisorScreen
from tests.tickets import hand_out
from tests.ui.conftest import settle, wait_until

SIZE = (120, 36)


def waiting_codes(app: CounterApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, CounterScreen) and screen.overview is not None
    return [t.code for t in screen.overview.waiting]


async def test_the_counter_screen_follows_another_counter(
        make_app: Callable[..., CounterApp]) -> None:
    app = make_app(start_spooler=False, ui={"refresh_seconds": 60})
    store: Any = app.store
    for group in "BB":
        hand_out(store, group)  # counter 1 and counter 2 both call B
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen)
                         and app.screen.overview is not None, what="the counter screen")
        await wait_until(pilot, lambda: app.feed is not None and app.feed.live,
                         what="the feed live")
        assert waiting_codes(app) == ["B001", "B002"]
        queue.call_next(store.as_terminal(2, "canbo2"), 2)  # another counter takes B001
        await wait_until(pilot, lambda: waiting_codes(app) == ["B002"],
                         what="B001 gone from the waiting list")
        hand_out(store.as_terminal(None, None), "A")  # a kiosk's ticket
        await wait_until(pilot, lambda: waiting_codes(app) == ["A001", "B002"]
                         or waiting_codes(app) == ["B002", "A001"], what="A001 waiting")
        await settle(pilot)


async def test_the_board_follows_the_counters(make_app: Callable[..., CounterApp]) -> None:
    app = make_app(start_spooler=False, ui={"refresh_seconds": 60})
    store: Any = app.store
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen), what="start")
        await pilot.press("f12")
        screen = app.screen
        assert isinstance(screen, SupervisorScreen)
        await wait_until(pilot, lambda: screen.board is not None, what="the board")
        assert screen.board is not None and screen.board.tickets_issued == 0
        hand_out(store.as_terminal(3, "canbo3"), "C")
        await wait_until(pilot, lambda: screen.board is not None
                         and screen.board.tickets_issued == 1, what="the ticket counted")
        await settle(pilot)


async def test_without_the_feed_the_timer_stands_in(
        make_app: Callable[..., CounterApp]) -> None:
    app = make_app(start_spooler=False, ui={"refresh_seconds": 0.2})
    store: Any = app.store
    hand_out(store, "B")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen)
                         and app.screen.overview is not None, what="the counter screen")
        assert app.feed is not None
        app.feed.stop()
        app.store_live = False  # what the feed reports when it loses the store
        queue.call_next(store.as_terminal(2, "canbo2"), 2)
        await wait_until(pilot, lambda: waiting_codes(app) == [], what="the timer's reload")
        await settle(pilot)


async def test_a_kiosk_slip_that_failed_reaches_every_counter_at_once(
        make_app: Callable[..., CounterApp]) -> None:
    """The kiosk prints on its own printer, which no counter prints on; its slip fails and the
    ticket is withdrawn: every counter hears it through the feed (not the minute's timer),
    lists it with a notice, and an officer who has seen to the printer takes it off the list."""
    from dataclasses import replace

    from counter_tui.commands.office import own_identity
    from counter_tui.core.print_rules import JobState
    from counter_tui.core.roles import Role
    from counter_tui.services import kiosk, printjobs
    from counter_tui.ui.screens.print_problem import PrintProblemScreen

    app = make_app(start_spooler=False, ui={"refresh_seconds": 60})
    store: Any = app.store
    cfg = store.cfg
    kiosk_store = replace(store.as_terminal(None, None), actor=own_identity(cfg, Role.KIOSK),
                          cfg=replace(cfg, printer=replace(cfg.printer,
                                                           target=cfg.printer.target + ".kiosk")))
    notices: list[str] = []
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen)
                         and app.screen.overview is not None, what="the counter screen")
        await wait_until(pilot, lambda: app.feed is not None and app.feed.live,
                         what="the feed live")
        screen = app.screen
        assert isinstance(screen, CounterScreen) and screen.overview is not None
        real_notify = screen.notify

        def notify(message: str, **kw: Any) -> None:
            notices.append(message)
            real_notify(message, **kw)

        screen.notify = notify  # type: ignore[method-assign]
        issued = kiosk.issue(kiosk_store, "A")
        assert printjobs.claim(kiosk_store, issued.print_job) is not None
        printjobs.failed(kiosk_store, issued.print_job, "Máy in hết giấy", transient=False)
        assert kiosk.withdraw_unprinted(kiosk_store, issued) == "withdrawn"
        await wait_until(pilot, lambda: screen.overview is not None and [
            (j.label, j.state) for j in screen.overview.failed_jobs] == [
            ("A001", JobState.WITHDRAWN.value)], what="the kiosk's slip on the counter's list")
        await wait_until(pilot, lambda: any("A001" in n and "hết giấy" in n for n in notices),
                         what="the notice")
        assert screen.query_one("#problems-box").display
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, PrintProblemScreen),
                         what="the problem dialog")
        dialog = app.screen
        assert isinstance(dialog, PrintProblemScreen) and dialog.choices() == ["seen", "close"]
        await pilot.press("x")
        await wait_until(pilot, lambda: screen.overview is not None
                         and not screen.overview.failed_jobs, what="the list emptied")
        with store.read():
            from counter_tui.db.models import Ticket

            assert [t.state for t in Ticket.select()] == ["void"]  # never in the queue
        await settle(pilot)


async def test_a_new_queue_redraws_only_what_changed(
        make_app: Callable[..., CounterApp]) -> None:
    """Every commit in the office brings the counter a new queue; a table filled again is
    drawn again cell by cell, so only the tables whose rows changed are filled again."""
    from dataclasses import replace

    app = make_app(start_spooler=False, ui={"refresh_seconds": 60})
    for group in "ABA":
        hand_out(app.store, group)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen)
                         and app.screen.overview is not None, what="the counter screen")
        screen = app.screen
        assert isinstance(screen, CounterScreen) and screen.overview is not None
        filled: list[str] = []
        fill = screen._fill
        screen._fill = lambda selector, *a: (filled.append(selector),  # type: ignore[method-assign]
                                             fill(selector, *a))[1]
        ov = screen.overview
        screen.show(replace(ov, waiting=ov.waiting[1:]))
        assert filled == ["#waiting"]
        assert waiting_codes(app) == [t.code for t in ov.waiting[1:]]
        filled.clear()
        screen.relabel_data()  # a new language: everything again
        assert filled == ["#waiting", "#absent", "#problems"]
        await settle(pilot)
