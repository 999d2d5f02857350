"""The sign-in screen as an officer meets it: the first administrator of a new store, a card
typing the username, a PIN to change, wrong PINs, the lock (Ctrl+L and idle) and a change of
officer, and the administrator's accounts screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Input

from counter_tui.db.models import AuditLog, Officer
from counter_tui.ui.app import CounterApp
from counter_tui.ui.screens.accounts import AccountsScreen
from counter_tui.ui.screens.counter import CounterScreen
from counter_tui.ui.screens.signin import FirstAdministrator, NewPin, SignIn
from counter_tui.ui.screens.worklists import WorklistScreen
from tests.conftest import TEST_PIN, add_account
from tests.ui.conftest import burst, key_event, settle, wait_until


def actions(app: CounterApp) -> list[str]:
    with app.store.read():
        return [a.action for a in AuditLog.select().order_by(AuditLog.id)]


async def test_nothing_shows_before_a_sign_in(make_app: Callable[..., CounterApp]) -> None:
    app = make_app(sign_in=False, start_spooler=False)
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, SignIn))
        assert app.store.actor is None
        await pilot.press("f4", "f12", "f10")
        await settle(pilot)
        assert isinstance(app.screen, SignIn)  # no key gets past it
        await burst(pilot, *"canbo1", "enter", *"999999", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SignIn) and app.store.actor is None
        shown = str(app.screen.query_one("#m-form").render())
        assert "Sai mã PIN" in shown and "Còn 4 lần thử" in shown
        assert app.screen.query_one("#f-pin", Input).value == ""  # typed again, not kept
        app.store.clock.advance(seconds=2)
        await burst(pilot, *TEST_PIN, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
        assert app.store.actor.username == "canbo1"
        assert "Nguyễn Thị Lan (canbo1)" in str(app.screen.query_one("#whoami").render())
    assert actions(app)[-2:] == ["signin:failed", "signin"]


async def test_a_new_store_asks_for_its_first_administrator(
        make_app: Callable[..., CounterApp]) -> None:
    app = make_app(sign_in=False, start_spooler=False)
    with app.store.write():
        Officer.delete().execute()  # nobody can sign in: a new store
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, FirstAdministrator))
        await burst(pilot, *"admin", "enter", *"Quản trị", "enter", *"135790", "enter",
                    *"135799", "enter")
        await settle(pilot)
        assert "không khớp" in str(app.screen.query_one("#m-again").render())
        app.screen.query_one("#f-again", Input).value = ""
        await burst(pilot, *"135790", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
        assert app.store.actor.username == "admin"
    with app.store.read():
        assert Officer.get(Officer.code == "admin").roles == "administrator"


async def test_a_pin_set_by_the_administrator_is_changed_first(
        make_app: Callable[..., CounterApp]) -> None:
    app = make_app(sign_in=False, start_spooler=False)
    add_account(app.store, "binh", "Trần Văn Bình", ("officer",), must_change=True)
    async with app.run_test() as pilot:
        await sign_in_until(pilot, "binh", NewPin)
        await burst(pilot, *"864200", "enter", *"864200", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
    assert "account:pin_changed" in actions(app)
    with app.store.read():
        assert not Officer.get(Officer.code == "binh").must_change


async def sign_in_until(pilot: Any, username: str, screen: type) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, SignIn))
    await burst(pilot, *username, "enter", *TEST_PIN, "enter")
    await wait_until(pilot, lambda: isinstance(app.screen, screen))


async def test_ctrl_l_locks_and_another_officer_takes_over(
        make_app: Callable[..., CounterApp]) -> None:
    app = make_app(start_spooler=False)
    add_account(app.store, "binh", "Trần Văn Bình", ("officer",))
    async with app.run_test() as pilot:
        await pilot.press("f12")  # the supervisor's board, open when the lock comes
        await settle(pilot)
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, SignIn))
        assert app.screen.query_one("#f-username", Input).value == "canbo1"
        await pilot.press("f11", "f10")  # nothing opens over the lock
        await settle(pilot)
        assert isinstance(app.screen, SignIn)
        app.screen.query_one("#f-username", Input).value = ""
        app.screen.query_one("#f-username", Input).focus()
        await burst(pilot, *"binh", "enter", *TEST_PIN, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
        assert app.store.actor.username == "binh"
        assert "Trần Văn Bình (binh)" in str(app.screen.query_one("#whoami").render())
        await pilot.press("f12")  # an officer has no board
        await settle(pilot)
        assert isinstance(app.screen, CounterScreen)
    assert actions(app)[-2:] == ["lock", "signin:change"]
    with app.store.read():
        assert AuditLog.get(AuditLog.action == "signin:change").subject == "canbo1>binh"


async def test_the_screen_locks_when_idle_and_the_pin_unlocks_it(
        make_app: Callable[..., CounterApp]) -> None:
    app = make_app(start_spooler=False, security={"idle_lock_minutes": 5})
    async with app.run_test() as pilot:
        app.store.clock.advance(minutes=4, seconds=59)
        app.lock_if_idle()
        assert isinstance(app.screen, CounterScreen)
        app.store.clock.advance(seconds=1)
        app.lock_if_idle()
        await wait_until(pilot, lambda: isinstance(app.screen, SignIn))
        await burst(pilot, *TEST_PIN, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
        assert app.store.actor.username == "canbo1" and not app.locked
    assert actions(app)[-2:] == ["lock", "signin"]


async def test_a_key_typed_as_the_idle_lock_looks_is_not_lost_to_the_lock(
        make_app: Callable[..., CounterApp]) -> None:
    """The lock's timer runs beside the app's message queue: a key the terminal has sent but
    the app has not read yet (it is busy drawing) did not count as input, so the screen
    locked under the officer's hand and the key went to the sign-in instead of its screen."""
    app = make_app(start_spooler=False, security={"idle_lock_minutes": 5})
    async with app.run_test(size=(140, 45)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen)
                         and app.screen.overview is not None)
        await settle(pilot)
        app.store.clock.advance(minutes=6)
        key = key_event("d")  # the worklists; it waits in the app's queue, unread
        key.set_sender(app)
        app.post_message(key)
        app.lock_if_idle()  # the timer fires before the app reads it
        await wait_until(pilot, lambda: isinstance(app.screen, WorklistScreen), what="D")
        assert not app.locked
        await settle(pilot)
        app.store.clock.advance(minutes=5)
        app.lock_if_idle()  # the key was read: five minutes from it, the lock is due
        await wait_until(pilot, lambda: isinstance(app.screen, SignIn) and app.locked)
        await settle(pilot)


async def test_an_administrator_adds_an_account_on_f10(
        make_app: Callable[..., CounterApp]) -> None:
    app = make_app(start_spooler=False)
    async with app.run_test() as pilot:
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, AccountsScreen)
                         and app.screen.rows)
        await pilot.press("n")
        await settle(pilot)
        await burst(pilot, *"binh", "tab", *"Trần Văn Bình", "tab", "space", "tab",
                    *"2", "tab", "tab", *"112233")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, AccountsScreen)
                         and len(app.screen.rows) == 2)
    with app.store.read():
        binh = Officer.get(Officer.code == "binh")
        assert (binh.name, binh.roles, binh.counters, binh.must_change) == (
            "Trần Văn Bình", "officer", "2", True)


async def test_on_24_rows_the_first_field_shows_its_label(
        make_app: Callable[..., CounterApp]) -> None:
    """Focusing the first field scrolled its label out of a short dialog: a newcomer saw an
    empty box with nothing to say it wants the username."""
    app = make_app(sign_in=False, start_spooler=False)
    with app.store.write():
        Officer.delete().execute()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, FirstAdministrator))
        await settle(pilot)
        form = app.screen.query_one("#form-fields")
        label = form.query(".field-label").first()
        assert form.scroll_y == 0
        assert form.region.contains_region(label.region), (form.region, label.region)
        assert app.screen.focused is form.query(Input).first()


async def test_the_sign_in_is_drawn_before_the_store_opens_and_keys_wait_for_it(
        make_app: Callable[..., CounterApp]) -> None:
    """`counter-tui` draws the sign-in first and opens the store after that frame: a card's
    burst typed at once waits for the store, then signs in; a new store's first
    administrator is asked for once the store says nobody can sign in yet."""
    import threading

    from tests.ui.conftest import SignedInApp

    store = make_app(sign_in=False, start_spooler=False).store
    asked = threading.Event()

    def open_store() -> Any:
        asked.set()
        return store

    app = SignedInApp(store.cfg, open_store=open_store, start_spooler=False)
    app.username = None
    async with app.run_test() as pilot:
        assert isinstance(app.screen, SignIn)
        await burst(pilot, *"canbo1", "enter", *TEST_PIN, "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
        assert asked.is_set() and app.store.actor is not None
        assert app.store.actor.username == "canbo1"

    with store.write():
        Officer.delete().execute()
    app = SignedInApp(store.cfg, open_store=lambda: store, start_spooler=False)
    app.username = None
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, FirstAdministrator))
        assert [type(s) for s in app.screen_stack].count(SignIn) == 0


async def test_a_store_that_cannot_be_opened_ends_the_app_to_be_told_as_before(
        make_app: Callable[..., CounterApp]) -> None:
    """The store fails after the sign-in is drawn: the app ends with exit code 2 and the
    failure for cli to say, as when it failed before the first frame."""
    from counter_tui.services.store import StoreUnavailable
    from tests.ui.conftest import SignedInApp

    cfg = make_app(sign_in=False, start_spooler=False).store.cfg
    failure = StoreUnavailable("store.locked")

    def open_store() -> Any:
        raise failure

    app = SignedInApp(cfg, open_store=open_store, start_spooler=False)
    app.username = None
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: not app.is_running)
    assert app.start_failure is failure and app.return_code == 2


async def test_a_card_typed_while_the_app_starts_signs_in(
        make_app: Callable[..., CounterApp]) -> None:
    """Keys typed before the app has the terminal come through its line discipline, each
    Enter turned into a newline (Ctrl+J); a scanner may end a code with LF, or CR LF. Each
    such ending is one Enter: the card signs in, the PIN does not run on into the username."""
    app = make_app(sign_in=False, start_spooler=False)
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, SignIn))
        await burst(pilot, *"canbo1", "ctrl+j", *TEST_PIN, "enter", "ctrl+j")
        await wait_until(pilot, lambda: isinstance(app.screen, CounterScreen))
        assert app.store.actor is not None and app.store.actor.username == "canbo1"
        await settle(pilot)
        assert isinstance(app.screen, CounterScreen)  # the LF after the last Enter: nothing
