"""The waiting-room display (`counter-tui display`): what it shows, that it follows other
terminals' commits (the change feed, no timer), that it announces new calls once and in order
(a real espeak-ng writing WAV files), that it acts as the display role only, and that it
survives the store going away."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Digits, Static

from counter_tui.commands.office import own_identity
from counter_tui.core.roles import Role
from counter_tui.services import queue
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.display import CounterPanel, DisplayScreen
from tests.conftest import sign_in_as
from tests.tickets import hand_out
from tests.ui.conftest import settle, wait_until

SMALL, LARGE = (80, 24), (200, 50)


def display_app(make_app: Callable[..., CounterApp], **overrides: Any) -> CounterApp:
    overrides.setdefault("voice", {"output": "off"})
    app = make_app(start_spooler=False, sign_in=False, **overrides)
    app.store = replace(app.store, actor=own_identity(app.cfg, Role.DISPLAY))
    app.mode = "display"
    return app


def staff(app: CounterApp) -> Any:
    """The same store as a member of staff, to call tickets the display then shows."""
    return sign_in_as(replace(app.store, actor=None), "canbo1")


def digits(app: CounterApp, counter: int) -> str:
    panel = app.screen.query_one(f"#dsp-counter-{counter}", CounterPanel)
    return str(panel.query_one(Digits).value)


def text(app: CounterApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def shown(pilot: Any) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, DisplayScreen)
                     and app.screen.board is not None, what="the board on screen")
    await settle(pilot)


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_the_display_follows_the_counters(make_app: Callable[..., CounterApp],
                                                size: tuple[int, int]) -> None:
    app = display_app(make_app, display={"notices": "Nghỉ trưa 11:30–13:30"})
    store: Any = staff(app)
    hand_out(store, "A")
    hand_out(store, "B")
    hand_out(store, "C")
    queue.call_next(store, 1)  # A001 at counter 1
    async with app.run_test(size=size) as pilot:
        await shown(pilot)
        assert digits(app, 1) == "A001"
        assert digits(app, 2) == "----"  # free
        assert "A001" in text(app, "#dsp-call-0") and "Quầy 1" in text(app, "#dsp-call-0")
        assert "B Chứng thực: 1" in text(app, "#dsp-waiting")
        assert "Nghỉ trưa" in text(app, "#dsp-notices")
        assert "12/05/2026" in text(app, "#dsp-clock")  # the office's date (the test clock)
        # another terminal calls: the display shows it without any key or timer
        reads = app.feed.changes if app.feed else 0
        queue.call_next(store.as_terminal(2, "canbo2"), 2)  # B001 at counter 2
        await wait_until(pilot, lambda: digits(app, 2) == "B001", what="B001 at counter 2")
        assert app.feed is not None and app.feed.changes > reads
        assert "B001" in text(app, "#dsp-call-0") and "A001" in text(app, "#dsp-call-1")
        assert app.screen.query_one("#dsp-call-0").has_class("-latest")
        assert not app.screen.query_one("#dsp-call-1").has_class("-latest")
        await wait_until(pilot, lambda: "B Chứng thực: 0" in text(app, "#dsp-waiting"),
                         what="B's waiting count")
        assert app.screen.region.width == size[0]  # laid out in the terminal it has


async def test_the_display_acts_as_the_display_role_only(
        make_app: Callable[..., CounterApp]) -> None:
    app = display_app(make_app)
    app.store = replace(app.store, actor=None)  # nobody: the board is refused, said on screen
    async with app.run_test(size=SMALL) as pilot:
        await wait_until(pilot, lambda: app.screen.query_one("#dsp-lost").display,
                         what="the refusal shown")
        assert "đăng nhập" in text(app, "#dsp-lost").lower()
        assert not app.check_action("technician", ())  # never leaves its screen
        assert not app.check_action("command_palette", ())


def _espeak() -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")


async def test_each_new_call_is_spoken_once_in_order(make_app: Callable[..., CounterApp],
                                                     tmp_path: Path) -> None:
    _espeak()
    sounds = tmp_path / "sounds"
    sounds.mkdir()
    app = display_app(make_app, voice={"output": f"wav:{sounds}", "chime": False})
    store: Any = staff(app)
    for group in "AAB":
        hand_out(store, group)
    queue.call_next(store, 1)  # A001: called before the display started, not spoken
    async with app.run_test(size=SMALL) as pilot:
        await shown(pilot)
        store.clock.advance(seconds=5)
        queue.call_next(store, 1)  # A002
        store.clock.advance(seconds=5)
        queue.call_next(store.as_terminal(2, "canbo2"), 2)  # B001
        store.clock.advance(seconds=5)
        queue.recall(store, 1)  # A002 again
        await wait_until(pilot, lambda: len(list(sounds.glob("*.wav"))) == 3, timeout=30,
                         what="three announcements")
        screen = app.screen
        assert isinstance(screen, DisplayScreen) and screen._announcer is not None
        assert screen._announcer.wait_idle(30)
        names = sorted(p.name for p in sounds.glob("*.wav"))
        assert [n.split("-", 2)[2] for n in names] == ["A002.wav", "B001.wav", "A002.wav"]
        assert [a.text for a in screen._announcer.spoken] == [
            "Mời khách hàng số A không không hai đến quầy số một.",
            "Mời khách hàng số B không không một đến quầy số hai.",
            "Mời lại khách hàng số A không không hai đến quầy số một."]


async def test_without_espeak_the_display_says_so_once_and_keeps_showing(
        make_app: Callable[..., CounterApp], monkeypatch: pytest.MonkeyPatch) -> None:
    import counter_tui.voice.speaker as speaker

    monkeypatch.setattr(speaker.shutil, "which", lambda name: None)
    app = display_app(make_app, voice={"output": "audio"})
    notices: list[str] = []
    original = app.notify

    def notify(message: str, **kw: Any) -> None:
        notices.append(message)
        original(message, **kw)

    app.notify = notify  # type: ignore[method-assign]
    store: Any = staff(app)
    hand_out(store, "A")
    async with app.run_test(size=SMALL) as pilot:
        await shown(pilot)
        queue.call_next(store, 1)
        await wait_until(pilot, lambda: digits(app, 1) == "A001", what="A001 shown")
        queue.call_next(store, 1)
        await settle(pilot)
        spoken = [n for n in notices if "espeak-ng" in n]
        assert len(spoken) == 1 and "Không đọc số" in spoken[0]
