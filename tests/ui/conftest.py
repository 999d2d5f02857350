"""Fixtures for the Textual tests: a counter app on its own temporary store and printer file.

Built on the suite's fixtures (tests/conftest.py): `make_config` (the repository's config.toml
pointed into `tmp_path`), `clock` and `open_test_store`. Here:

    engine      SQLite only: the screens are the same on both engines, the services tests
                cover PostgreSQL.
    clock       fixed at Tuesday 12 May 2026, 09:00 (a working morning).
    make_app(**config_overrides, start_spooler=True, sign_in=True) -> CounterApp
                opens the store (a temporary SQLite FILE, seeded, migrated) with that clock
                and builds the app on it; `app.store` and `app.cfg` are what it uses. The app
                starts at its sign-in screen, as at a counter; `run_test()` (and `run()`, which
                the snapshots use) sign in there first, as canbo1 with every staff role
                (tests/conftest.py: `sign_in_as`), by typing the username and PIN, unless
                `sign_in=False`, `sign_in="name"` signs in as another account.
    await sign_in(pilot, username="canbo1", pin=TEST_PIN)
                type a username and PIN on the sign-in screen, as a card reader does (one
                burst), and wait for the counter screen.
    app         make_app() with the shipped config.
    printer_output(app) -> Decoded
                what the printer file holds so far, decoded from ESC/POS.
    await wait_until(pilot, condition, timeout=5, what="")
                let the app run until `condition()` is truthy; fail after `timeout` seconds.
    await settle(pilot)
                until no service call is pending or running and the screen shows its result.
    await burst(pilot, *keys)
                every key at once, as a barcode scanner or a macro sends them: nothing waits
                for the app between two keys (Pilot.press waits after each one).

Things that make a test flaky are switched off: no animations, no user config (the suite's
conftest drops COUNTER_TUI_* variables, NO_COLOR is dropped here), a clock that does not move,
a fixed terminal size in every test. No screen pictured by the snapshots holds an Input, so no
cursor blinks in them. Service calls run in thread workers and the spooler in its own thread:
tests wait for what they expect (`wait_until`, `settle`), bounded, never for a fixed time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
import io
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot

from counter_tui.printing.decode import Decoded, decode
from counter_tui.ui.app import CounterApp
from tests.conftest import TEST_PIN, Clock

NINE_AM = dt.datetime(2026, 5, 12, 9, 0)  # a Tuesday


@pytest.fixture
def engine() -> str:
    return "sqlite"


@pytest.fixture
def clock() -> Clock:
    return Clock(NINE_AM)


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's NO_COLOR (read when an App is built) must not turn the pictures grey."""
    monkeypatch.delenv("NO_COLOR", raising=False)


class SignedInApp(CounterApp):
    """The app as a test drives it: signed in on its own sign-in screen before the test's
    first key (see the module doc)."""

    username: str | None = "canbo1"
    CSS_PATH = str(Path(inspect.getfile(CounterApp)).parent / "app.tcss")  # not beside this file

    @asynccontextmanager
    async def run_test(self, *args: Any, **kwargs: Any) -> AsyncIterator[Pilot[None]]:
        async with super().run_test(*args, **kwargs) as pilot:
            if self.username:
                await sign_in(pilot, self.username)
            yield pilot

    def run(self, *args: Any, auto_pilot: Any = None, **kwargs: Any) -> Any:
        if auto_pilot is None or not self.username:
            return super().run(*args, auto_pilot=auto_pilot, **kwargs)
        username = self.username

        async def signed_in_first(pilot: Pilot[None]) -> None:
            await sign_in(pilot, username)
            await auto_pilot(pilot)

        return super().run(*args, auto_pilot=signed_in_first, **kwargs)


async def sign_in(pilot: Pilot[Any], username: str = "canbo1", pin: str = TEST_PIN) -> None:
    from counter_tui.ui.screens.counter import CounterScreen
    from counter_tui.ui.screens.signin import SignIn

    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, SignIn), what="the sign-in")
    await burst(pilot, *username, "enter", *pin, "enter")
    await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen),
                     what="the counter after signing in")


@pytest.fixture
def make_app(open_test_store: Callable[..., Any], _plain_terminal: None
             ) -> Callable[..., CounterApp]:
    def factory(*, start_spooler: bool = True, sign_in: bool | str = True,
                **overrides: Any) -> CounterApp:
        store = open_test_store(**overrides)
        app = SignedInApp(store.cfg, store=store, start_spooler=start_spooler)
        if sign_in is False:
            app.username = None
        elif isinstance(sign_in, str):
            app.username = sign_in
        app.animation_level = "none"  # read from TEXTUAL_ANIMATIONS at import: set it here
        return app

    return factory


@pytest.fixture
def app(make_app: Callable[..., CounterApp]) -> CounterApp:
    return make_app()


def printer_output(app: CounterApp) -> Decoded:
    path = Path(app.cfg.printer.target)
    data = path.read_bytes() if path.exists() else b""
    return decode(data, profile=app.cfg.printer.profile)


async def wait_until(pilot: Pilot[Any], condition: Callable[[], Any], *, timeout: float = 5.0,
                     what: str = "") -> Any:
    """Let the app run until `condition()` is truthy (workers finish, the spooler prints)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or condition}")
        await pilot.pause(0.02)


async def settle(pilot: Pilot[Any], *, timeout: float = 5.0) -> None:
    """Wait until no key is waiting to be handled, no service call is pending or running and
    the screen has caught up with the results (a call's result may start another call: a
    refresh after an action)."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 2:  # twice in a row: nothing started by the last callback either
        await pilot.pause(0.01)  # lets every widget handle its pending messages
        keys = getattr(app, "keys", None)
        quiet = quiet + 1 if all(w.is_finished for w in app.workers) and (
            keys is None or keys.idle) else 0
        if time.monotonic() > deadline:
            running = [w.name for w in app.workers if not w.is_finished]
            raise AssertionError(f"service calls still running after {timeout}s: {running}")


def key_event(key: str) -> events.Key:
    """The event a terminal produces for `key` (a key name such as "tab" or "f4", or one
    character), as Pilot.press builds it."""
    import unicodedata

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def burst(pilot: Pilot[Any], *keys: str, timeout: float = 30.0) -> None:
    """Every key handed to the app at once, in order, as the terminal's reader does with what
    a scanner or a macro types (Pilot.press waits for the app after each key); then wait
    (bounded: a burst of a whole form on a busy test machine takes a while) until the app has
    taken every key in."""
    app = pilot.app
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app.post_message(event)
    # plain sleeps: Pilot.pause would put a message in every widget's queue on each poll
    deadline = time.monotonic() + timeout
    await asyncio.sleep(0.05)
    while not app.keys.idle:
        if time.monotonic() > deadline:
            raise AssertionError(f"keys still waiting after {timeout}s")
        await asyncio.sleep(0.05)


def typed(text: str) -> tuple[str, ...]:
    """The keys that type `text`."""
    return tuple(text)



def screen_text(app: CounterApp) -> list[str]:
    """The screen as a person reads it: its lines of plain text."""
    console = Console(width=app.size.width, file=io.StringIO(), record=True)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text().splitlines()
