"""What the officer reads: keys, help and the command palette in their language, found without
diacritics, and a switch of language that every open screen follows at once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, OptionList

from counter_tui.core.i18n import language, set_language
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.counter import CounterScreen
from counter_tui.ui.screens.help import HelpScreen
from counter_tui.ui.screens.worklists import WorklistScreen
from counter_tui.ui.widgets.keybar import KeyBar
from tests.ui.conftest import settle, wait_until

SIZE = (120, 36)
MakeApp = Callable[..., CounterApp]


@pytest.fixture(autouse=True)
def _vietnamese_again() -> Iterator[None]:
    """The language is the process's: every test here starts and ends in Vietnamese."""
    set_language("vi")
    yield
    set_language("vi")


def keybar(app: CounterApp) -> str:
    return str(app.screen.query_one(KeyBar).render())


def headers(app: CounterApp, table: str) -> list[str]:
    return [str(c.label) for c in app.screen.query_one(f"#{table}", DataTable).columns.values()]


async def counter_ready(pilot: Any) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen)
                     and app.screen.overview is not None, what="the counter screen")
    await settle(pilot)


def offered(app: CounterApp) -> list[tuple[str, str]]:
    """(title, help) of what the open palette lists."""
    options = app.screen.query_one(OptionList)
    out = []
    for i in range(options.option_count):
        prompt = options.get_option_at_index(i).prompt
        lines = str(getattr(prompt, "plain", prompt)).split("\n")
        out.append((lines[0].strip(), " ".join(lines[1:]).strip()))
    return out


async def test_palette_in_vietnamese_found_without_diacritics(make_app: MakeApp) -> None:
    app = make_app(start_spooler=False)
    async with app.run_test(size=SIZE) as pilot:
        await counter_ready(pilot)
        commands = list(app.get_system_commands(app.screen))
        titles = [c.title for c in commands]
        assert {"Cấp số", "Tiếp nhận hồ sơ", "Tra cứu hồ sơ", "Máy in (kỹ thuật)", "Thoát",
                "Trợ giúp"} <= set(titles)
        assert all(c.help and c.help != c.title for c in commands)  # never the title again
        issue = next(c for c in commands if c.title == "Cấp số")
        assert "F2" in issue.help
        assert not {"Quit", "Keys", "Theme", "Screenshot"} & set(titles)  # Textual's English

        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        assert "gõ không dấu" in app.screen.query_one(Input).placeholder
        await pilot.press(*"ho so")
        found = await wait_until(pilot, lambda: [t for t, _ in offered(app) if "hồ sơ" in t],
                                 what="'hồ sơ' found by 'ho so'")
        assert {"Tiếp nhận hồ sơ", "Tra cứu hồ sơ"} <= set(found)
        await pilot.press("escape")


async def test_f1_lists_every_key_with_the_apps_own(make_app: MakeApp) -> None:
    app = make_app(start_spooler=False)
    async with app.run_test(size=SIZE) as pilot:
        await counter_ready(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        table = app.screen.query_one(DataTable)
        rows = {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[1])
                for i in range(table.row_count)}
        assert rows["F11 / Ctrl+T"] == "Máy in (kỹ thuật)"
        assert rows["Ctrl+Q"] == "Thoát" and rows["Ctrl+P"] == "Bảng lệnh"
        assert rows["F1"] == "Trợ giúp" and rows["F2"] == "Cấp số"


async def test_switching_language_relabels_every_open_screen(make_app: MakeApp) -> None:
    app = make_app(start_spooler=False)
    async with app.run_test(size=SIZE) as pilot:
        await counter_ready(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, WorklistScreen)
                         and app.screen.result is not None, what="the worklists")
        await settle(pilot)
        assert "Đến hạn hôm nay" in keybar(app) and "worklist." not in keybar(app)
        switch = next(c for c in app.get_system_commands(app.screen)
                      if c.title.startswith("Chuyển sang tiếng Anh"))
        switch.callback()
        await settle(pilot)
        assert language() == "en"
        assert "Due today" in keybar(app) and "Back" in keybar(app)
        assert "Code" in headers(app, "wl-table")
        await pilot.press("escape")  # the counter screen below was relabelled too
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
        await settle(pilot)
        assert "Issue ticket" in keybar(app) and "Call next" in keybar(app)
        assert headers(app, "groups")[:2] == ["Group", "Waiting"]
        assert "Today's queue" in str(app.screen.query_one("#queue-box").query_one(
            "Static").render())
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        table = app.screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()] == ["Key", "Action"]
        assert any(str(table.get_row_at(i)[1]) == "Printer (technician)"
                   for i in range(table.row_count))
        await pilot.press("escape")
        back = next(c for c in app.get_system_commands(app.screen)
                    if c.title.startswith("Chuyển sang tiếng Việt"))
        back.callback()
        await settle(pilot)
        assert language() == "vi" and "Cấp số" in keybar(app)


async def test_the_key_bar_lays_the_screen_out_only_when_its_keys_change(
        make_app: MakeApp) -> None:
    """The bindings are announced again at every focus move and dialog; the same keys must
    not lay the screen out again (it delayed the new-ticket dialog's letter)."""
    app = make_app(start_spooler=False)
    async with app.run_test(size=SIZE) as pilot:
        await counter_ready(pilot)
        bar = app.screen.query_one(KeyBar)
        before = bar._layout_updates
        bar.refresh_keys()
        bar.refresh_keys()
        assert bar._layout_updates == before
        set_language("en")
        bar.refresh_keys()
        assert bar._layout_updates == before + 1
        assert "Issue ticket" in keybar(app)
