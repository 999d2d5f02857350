"""Pictures of the main screens (pytest-textual-snapshot): a change to what an officer sees shows
up as a failed comparison with a side-by-side report.

The store is filled through the services before the app starts, at the fixed 09:00 clock, and
the print spooler is off (no notification or refresh can land in the middle of a picture).
After a deliberate change to a screen: `pytest tests/ui/test_snapshots.py --snapshot-update`,
look at the new SVGs, commit them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from counter_tui.core import queue_rules
from counter_tui.services import queue
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.counter import CounterScreen
from counter_tui.ui.screens.help import HelpScreen
from counter_tui.ui.screens.issue_ticket import IssueTicketScreen
from tests.tickets import hand_out
from tests.ui.conftest import settle, wait_until

SIZE = (120, 36)
SnapCompare = Callable[..., bool]


@pytest.fixture
def busy_app(make_app: Callable[..., CounterApp]) -> CounterApp:
    """Counter 1 at 09:14: A001 done, B002 (priority) and A002 absent, B001 being served, A003
    and B003 waiting (C001 waits for another counter)."""
    app = make_app(start_spooler=False)
    store: Any = app.store
    for group, priority in (("A", None), ("A", None), ("B", None), ("C", None),
                            ("B", queue_rules.PRIORITIES[0]), ("A", None), ("B", None)):
        hand_out(store, group, priority)
        store.clock.advance(minutes=2)
    queue.call_next(store)  # B002, the priority ticket
    queue.mark_absent(store)
    queue.call_next(store)  # A001, the oldest
    queue.start_serving(store)
    queue.call_next(store)  # A001 done, A002 called
    queue.mark_absent(store)
    queue.call_next(store)  # B001
    queue.start_serving(store)
    return app


async def counter_shown(pilot: Any) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen)
                     and app.screen.overview is not None, what="the queue on screen")
    await settle(pilot)


def test_counter_screen(busy_app: CounterApp, snap_compare: SnapCompare) -> None:
    assert snap_compare(busy_app, terminal_size=SIZE, run_before=counter_shown)


def test_issue_modal_with_a_priority_picked(busy_app: CounterApp,
                                            snap_compare: SnapCompare) -> None:
    async def open_modal(pilot: Any) -> None:
        await counter_shown(pilot)
        await pilot.press("f2", "2")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, IssueTicketScreen))
        await settle(pilot)

    assert snap_compare(busy_app, terminal_size=SIZE, run_before=open_modal)


def test_help_screen(busy_app: CounterApp, snap_compare: SnapCompare) -> None:
    async def open_help(pilot: Any) -> None:
        await counter_shown(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        await settle(pilot)

    assert snap_compare(busy_app, terminal_size=SIZE, run_before=open_help)


# --- an 80x24 terminal: every screen usable, nothing cut off ----------------------------------

SMALL = (80, 24)


def steady_cursors(app: Any) -> None:
    """A cursor that blinks would make two pictures of one screen differ."""
    from textual.widgets import Input

    for field in app.screen.query(Input).results(Input):
        field.cursor_blink = False


def test_counter_screen_80x24(busy_app: CounterApp, snap_compare: SnapCompare) -> None:
    """Xong and Vắng in the queue table, every key of the footer (a ticket is being served,
    so F6-F9 and T are on)."""
    assert snap_compare(busy_app, terminal_size=SMALL, run_before=counter_shown)


def test_help_screen_80x24(busy_app: CounterApp, snap_compare: SnapCompare) -> None:
    async def open_help(pilot: Any) -> None:
        await counter_shown(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        await settle(pilot)

    assert snap_compare(busy_app, terminal_size=SMALL, run_before=open_help)


def test_supervisor_board_80x24(busy_app: CounterApp, snap_compare: SnapCompare) -> None:
    """The board's boxes one under another, scrolled (PgDn) to the per-counter figures."""
    from counter_tui.ui.screens.supervisor import SupervisorScreen

    async def open_board(pilot: Any) -> None:
        await counter_shown(pilot)
        await pilot.press("f12")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SupervisorScreen)
                         and pilot.app.screen.board is not None)
        await settle(pilot)
        await pilot.press("pagedown", "pagedown", "pagedown")
        await settle(pilot)

    assert snap_compare(busy_app, terminal_size=SMALL, run_before=open_board)


def test_period_dialog_80x24(busy_app: CounterApp, snap_compare: SnapCompare) -> None:
    from counter_tui.ui.screens.supervisor import ExportScreen, SupervisorScreen

    async def open_dialog(pilot: Any) -> None:
        await counter_shown(pilot)
        await pilot.press("f12")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SupervisorScreen)
                         and pilot.app.screen.board is not None)
        await settle(pilot)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen))
        await settle(pilot)
        pilot.app.screen.query_one("#f-path").value = "bao-cao/bieu-II06a.xlsx"
        steady_cursors(pilot.app)
        await settle(pilot)

    assert snap_compare(busy_app, terminal_size=SMALL, run_before=open_dialog)


def test_intake_80x24(busy_app: CounterApp, snap_compare: SnapCompare) -> None:
    from counter_tui.ui.screens.intake import IntakeScreen

    async def open_intake(pilot: Any) -> None:
        await counter_shown(pilot)
        await pilot.press("f4")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, IntakeScreen))
        await pilot.press(*"dang ky khai sinh", "enter")
        screen = pilot.app.screen
        await wait_until(pilot, lambda: bool(screen.documents))
        steady_cursors(pilot.app)
        await settle(pilot)

    assert snap_compare(busy_app, terminal_size=SMALL, run_before=open_intake)
