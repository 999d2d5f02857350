"""The display survives its store going away: a PostgreSQL server of the test's own is stopped
under a running display ("mất kết nối" shown, the last numbers kept), started again, and the
display carries on by itself, showing a call made after the restart."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from counter_tui.commands.office import own_identity
from counter_tui.core.roles import Role
from counter_tui.services import queue
from counter_tui.services.store import open_store
from counter_tui.ui.app import CounterApp
from tests.conftest import (
    Clock,
    PostgresServer,
    _make_config,
    _unbind_models,
    sign_in_as,
    start_server,
)
from tests.tickets import hand_out
from tests.ui.conftest import settle, wait_until
from tests.ui.test_display import digits, shown

pytestmark = pytest.mark.postgres


@pytest.fixture
def own_server() -> Any:
    server = start_server("counter-tui-pg-restart-")
    yield server
    server.stop()


def _pg_ctl(server: PostgresServer, action: str) -> None:
    options = (f"-c fsync=off -c synchronous_commit=off -k {server.root} -h {server.host} "
               f"-p {server.port}")
    if action == "stop":
        server.run("pg_ctl", "-D", str(server.data), "-m", "fast", "-w", "stop")
    else:
        server.run("pg_ctl", "-D", str(server.data), "-l", str(server.root / "server.log"),
                   "-o", options, "-w", "-t", "60", "start")


def _call(store: Any, counter: int) -> Any:
    """Call once the store answers again: the first tries may meet connections the restart
    closed (each is dropped from the pool as it fails)."""
    last: Exception | None = None
    for _ in range(40):
        try:
            return queue.call_next(store, counter)
        except Exception as exc:  # a connection from before the restart
            last = exc
    raise AssertionError(f"the store did not come back: {last}")


async def test_the_display_recovers_after_the_store_restarts(
        own_server: PostgresServer, tmp_path: Path, clock: Clock) -> None:
    url = own_server.create_database("office")
    cfg: Any = _make_config(tmp_path, database={"url": url}, voice={"output": "off"})
    store = sign_in_as(open_store(cfg, clock=clock), "canbo1")
    try:
        for _ in range(3):
            hand_out(store, "A")
        queue.call_next(store, 1)  # A001
        app = CounterApp(cfg, store=replace(store, actor=own_identity(cfg, Role.DISPLAY)),
                         start_spooler=False, mode="display")
        app.animation_level = "none"
        async with app.run_test(size=(80, 24)) as pilot:
            await shown(pilot)
            assert digits(app, 1) == "A001"
            lost = app.screen.query_one("#dsp-lost")
            assert not lost.display

            _pg_ctl(own_server, "stop")
            await wait_until(pilot, lambda: lost.display, timeout=20, what="mất kết nối")
            assert digits(app, 1) == "A001"  # the last numbers stay on screen

            _pg_ctl(own_server, "start")
            await wait_until(pilot, lambda: not lost.display, timeout=30,
                             what="the display back by itself")
            _call(store, 1)  # A002, made after the restart
            await wait_until(pilot, lambda: digits(app, 1) == "A002", timeout=20,
                             what="a call after the restart shown")
            await settle(pilot)
    finally:
        store.close()
        _unbind_models()
