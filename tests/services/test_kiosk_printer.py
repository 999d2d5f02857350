"""A kiosk's printer down or back, as the counters read it from the store: written only when
it is news, kept with the time it went down, and only by an account that may issue."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from counter_tui.core.errors import UserError
from counter_tui.core.roles import Actor, Role
from counter_tui.services import kiosk_printer, queue
from tests.conftest import Clock


def as_role(store: Any, role: Role) -> Any:
    return replace(store.as_terminal(None, None),
                   actor=Actor(f"{role.value}1", role.value, frozenset({role}), service=True))


def test_down_then_back(store: Any, clock: Clock) -> None:
    kiosk = as_role(store, Role.KIOSK)
    assert not kiosk_printer.report(kiosk, None)  # nothing known, nothing to say
    assert kiosk_printer.report(kiosk, "Máy in hết giấy: thay cuộn giấy")
    went_down = store.now()
    clock.advance(minutes=3)
    assert not kiosk_printer.report(kiosk, "Máy in hết giấy: thay cuộn giấy")  # no news
    assert kiosk_printer.report(kiosk, "Nắp máy in đang mở")  # another reason: news
    [down] = queue.overview(store, 1).kiosk_printers_down
    assert down.reason == "Nắp máy in đang mở" and down.since == went_down
    assert kiosk_printer.report(kiosk, None)
    assert queue.overview(store, 1).kiosk_printers_down == ()


def test_only_an_account_that_issues_reports(store: Any) -> None:
    with pytest.raises(UserError):
        kiosk_printer.report(as_role(store, Role.DISPLAY), "Máy in hết giấy")
    assert kiosk_printer.down(store) == ()
