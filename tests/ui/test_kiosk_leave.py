"""The kiosk cannot leave its screen without a technician's PIN: every key that would leave
(Ctrl+Q, Ctrl+C, Ctrl+\\, the palette's Ctrl+P) asks for one; a wrong PIN, an officer's PIN,
Esc or nobody typing keep the kiosk, each refusal on the record; a technician's PIN ends it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from counter_tui.core.roles import Role
from counter_tui.db.models import AuditLog, Officer
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.kiosk import KioskScreen
from counter_tui.ui.screens.kiosk_leave import IDLE_SECONDS, LeaveKiosk
from tests.conftest import TEST_PIN, Clock, add_account
from tests.ui.conftest import burst, settle, wait_until
from tests.ui.test_kiosk import SIZE, kiosk_app, kiosk_shown, tickets


@pytest.fixture
def app(make_app: Callable[..., CounterApp]) -> CounterApp:
    app = kiosk_app(make_app)
    add_account(app.store, "kt", "Trần Kỹ Thuật", (Role.TECHNICIAN.value,))
    add_account(app.store, "lan", "Nguyễn Thị Lan", (Role.OFFICER.value,))
    return app


def audited(app: CounterApp) -> list[tuple[str, str]]:
    with app.store.read():
        return [(a.action, a.subject) for a in AuditLog.select().order_by(AuditLog.seq)
                if a.action.startswith(("kiosk", "signin:"))]


def said(dialog: LeaveKiosk) -> str:
    return " ".join(str(m.render()) for m in dialog.query(".field-msg").results(Static))


async def asked(pilot: Pilot[Any]) -> LeaveKiosk:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, LeaveKiosk),
                     what="the technician's PIN asked")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, LeaveKiosk)
    return dialog


async def type_pin(pilot: Pilot[Any], username: str, pin: str) -> None:
    await burst(pilot, *username, "enter", *pin, "enter")
    await settle(pilot)


@pytest.mark.parametrize("key", ["ctrl+q", "ctrl+c", "ctrl+backslash", "ctrl+p"])
async def test_every_way_out_asks_and_esc_stays(app: CounterApp, key: str) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await kiosk_shown(pilot)
        await pilot.press(key)
        await asked(pilot)
        await pilot.press(key)  # again, inside the dialog: still the one dialog, still open
        await settle(pilot)
        assert sum(isinstance(s, LeaveKiosk) for s in app.screen_stack) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, KioskScreen) and app.is_running
        await pilot.press("1")  # and it still issues tickets
        await wait_until(pilot, lambda: tickets(app), what="a ticket after the dialog")


async def test_a_wrong_pin_stays_and_is_recorded(app: CounterApp, clock: Clock) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await kiosk_shown(pilot)
        await pilot.press("ctrl+q")
        dialog = await asked(pilot)
        await type_pin(pilot, "kt", "000000")
        assert app.screen is dialog and app.is_running  # refused: the dialog says why
        assert "Sai mã PIN" in said(dialog) and dialog.form.value("pin") == ""
        with app.store.read():
            assert Officer.get(Officer.code == "kt").failed_attempts == 1  # the delay begins
        clock.advance(seconds=5)  # past the delay the wrong PIN earned
        await type_pin(pilot, "", "999999")  # the username is still there; another wrong PIN
        assert app.is_running and isinstance(app.screen, LeaveKiosk)
        assert audited(app) == [("signin:failed", "kt"), ("signin:failed", "kt")]


async def test_an_officer_cannot_let_the_kiosk_go(app: CounterApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await kiosk_shown(pilot)
        await pilot.press("ctrl+c")
        await asked(pilot)
        await type_pin(pilot, "lan", TEST_PIN)
        assert app.is_running and isinstance(app.screen, LeaveKiosk)
        assert audited(app) == [("kiosk:leave:refused", "lan")]
        assert "kỹ thuật viên" in said(app.screen)  # type: ignore[arg-type]
        assert app.store.actor is not None and app.store.actor.roles == {Role.KIOSK}


async def test_nobody_typing_closes_the_dialog(app: CounterApp, clock: Clock) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await kiosk_shown(pilot)
        await pilot.press("ctrl+q")
        await asked(pilot)
        clock.advance(seconds=IDLE_SECONDS + 1)
        await wait_until(pilot, lambda: isinstance(app.screen, KioskScreen), timeout=5,
                         what="back at the kiosk")
        assert app.is_running


async def test_help_and_the_palette_show_no_way_out(app: CounterApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await kiosk_shown(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert app.screen is screen  # no list of keys for a citizen (it names the way out)
        assert not app.check_action("technician", ()) and not app.check_action("lock", ())


async def test_a_technician_pin_closes_the_kiosk(app: CounterApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await kiosk_shown(pilot)
        await pilot.press("ctrl+q")
        await asked(pilot)
        await burst(pilot, "k", "t", "enter", *TEST_PIN, "enter")
        await wait_until(pilot, lambda: not app.is_running, timeout=10, what="the kiosk closed")
    assert audited(app) == [("kiosk:leave", "kt")]
    assert app.store.actor is not None and app.store.actor.roles == {Role.KIOSK}


async def test_the_administrator_closes_the_kiosk_of_an_office_with_no_technician_yet(
        app: CounterApp) -> None:
    add_account(app.store, "admin", "Quản trị", (Role.ADMINISTRATOR.value,))
    async with app.run_test(size=SIZE) as pilot:
        await kiosk_shown(pilot)
        await pilot.press("ctrl+q")
        await asked(pilot)
        await burst(pilot, *"admin", "enter", *TEST_PIN, "enter")
        await wait_until(pilot, lambda: not app.is_running, timeout=10, what="the kiosk closed")
    assert audited(app) == [("kiosk:leave", "admin")]
