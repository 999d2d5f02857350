"""An 80x24 terminal (the size many counter PCs' consoles open at): every screen usable, nothing
an officer needs cut off or out of reach (the pictures are in test_snapshots.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from textual.widget import Widget
from textual.widgets import DataTable

from counter_tui.services import queue
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.counter import CounterScreen
from counter_tui.ui.screens.supervisor import ExportScreen, SupervisorScreen
from counter_tui.ui.widgets.keybar import KeyBar
from tests.tickets import hand_out
from tests.ui.conftest import settle, wait_until

SMALL = (80, 24)
MakeApp = Callable[..., CounterApp]


def on_screen(widget: Widget) -> bool:
    """The whole widget is inside the terminal and inside every container around it."""
    region = widget.region
    if not widget.screen.region.contains_region(region):
        return False
    return all(parent.region.contains_region(region) for parent in widget.ancestors
               if isinstance(parent, Widget) and parent.region)


def fits(table: DataTable[Any]) -> bool:
    """Every column of the table is in view without scrolling sideways."""
    return table.virtual_size.width <= table.scrollable_content_region.width


async def counter_ready(pilot: Any) -> CounterScreen:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen)
                     and app.screen.overview is not None)
    await settle(pilot)
    return app.screen


async def test_the_counter_screen_shows_every_column_and_every_key(make_app: MakeApp) -> None:
    app = make_app(start_spooler=False)
    hand_out(app.store, "D")  # "Bưu chính công ích": the longest group name
    hand_out(app.store, "A")
    queue.call_next(app.store)
    async with app.run_test(size=SMALL) as pilot:
        screen = await counter_ready(pilot)
        groups = screen.query_one("#groups", DataTable)
        assert fits(groups), "the queue table needs scrolling sideways"
        assert [str(c.label) for c in groups.columns.values()][-2:] == ["Xong", "Vắng"]
        bar = screen.query_one(KeyBar)
        console = Console(width=bar.size.width, record=True)
        lines = console.render_lines(bar.render(), console.options.update_width(bar.size.width))
        assert len(lines) <= bar.size.height, "the key bar is cut"
        shown = str(bar.render())
        for label in ("Cấp số", "Gọi số tiếp", "Gọi lại", "Xong", "Vắng mặt", "Chuyển",
                      "Giám sát (lãnh đạo)", "Máy in (kỹ thuật)", "Thoát"):
            assert label in shown


async def test_the_supervisor_board_scrolls_to_every_panel(make_app: MakeApp) -> None:
    app = make_app(start_spooler=False)
    async with app.run_test(size=SMALL) as pilot:
        await counter_ready(pilot)
        await pilot.press("f12")
        await wait_until(pilot, lambda: isinstance(app.screen, SupervisorScreen)
                         and app.screen.board is not None)
        await settle(pilot)
        board = app.screen
        officers = board.query_one("#sup-officers", DataTable)
        assert not on_screen(officers)  # below the fold at first
        for table in board.query(DataTable).results(DataTable):
            assert fits(table), f"#{table.id} needs scrolling sideways"
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown")
        await settle(pilot)
        assert on_screen(officers)


async def test_the_period_dialog_fits(make_app: MakeApp) -> None:
    app = make_app(start_spooler=False)
    async with app.run_test(size=SMALL) as pilot:
        await counter_ready(pilot)
        await pilot.press("f12")
        await wait_until(pilot, lambda: isinstance(app.screen, SupervisorScreen)
                         and app.screen.board is not None)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        await settle(pilot)
        dialog = app.screen
        for name in ("from", "to", "by", "compare", "format", "path"):
            assert on_screen(dialog.query_one(f"#f-{name}")), name
        assert on_screen(dialog.query_one(".hint"))
