"""Pictures of the waiting-room display at 80x24 and at a TV's 200x50: three counters, one
free, the last calls, the waiting counts, the notices line. The clock is the tests' fixed
09:00, and the newest call's highlight is off, so the pictures do not move."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from counter_tui.services import queue
from counter_tui.ui.app import CounterApp
from tests.tickets import hand_out
from tests.ui.test_display import display_app, shown, staff

SnapCompare = Callable[..., bool]


@pytest.fixture
def office_app(make_app: Callable[..., CounterApp]) -> CounterApp:
    app = display_app(make_app, display={"notices": "Giờ làm việc: 7:00–11:30, 13:30–17:00",
                                         "highlight_seconds": 0})
    store: Any = staff(app)
    for group in "AABBCCD":
        hand_out(store, group)
        store.clock.advance(minutes=1)
    queue.call_next(store, 1)  # A001
    store.clock.advance(minutes=1)
    queue.call_next(store.as_terminal(3, "canbo3"), 3)  # C001
    store.clock.advance(minutes=1)
    queue.call_next(store, 1)  # A002
    return app


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_display(office_app: CounterApp, snap_compare: SnapCompare,
                 size: tuple[int, int]) -> None:
    assert snap_compare(office_app, terminal_size=size, run_before=shown)
