"""Accounts and sign-in on both engines: PINs hashed, wrong PINs slowed then locked (by the
store's clock, no sleeps), every failure and lock audited, accounts managed by administrators
only, the command line's sessions and service keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from counter_tui.core.errors import UserError
from counter_tui.core.pins import hash_pin, pin_matches
from counter_tui.db.models import AccountSession, AuditLog, Officer
from counter_tui.services import accounts
from counter_tui.services.accounts import SignInRefused
from counter_tui.services.authority import NotAllowed
from tests.conftest import TEST_PIN, add_account


def audit_actions(subject: str) -> list[str]:
    return [a.action for a in AuditLog.select().where(AuditLog.subject == subject)
            .order_by(AuditLog.id)]


def test_a_pin_is_stored_only_as_its_hash() -> None:
    stored = hash_pin("135790", 2)
    assert "135790" not in stored and stored.startswith("scrypt$2$")
    assert pin_matches("135790", stored) and not pin_matches("135791", stored)
    assert hash_pin("135790", 2) != stored  # salted
    assert not pin_matches("135790", "") and not pin_matches("x", "scrypt$bad")


def test_create_sign_in_and_change_the_first_pin(store: Any) -> None:
    accounts.create(store, "Lan.NT", "Nguyễn Thị Lan", ["officer"], pin="112233",
                    counters=[1, 2])
    with store.read():
        row = Officer.get(Officer.code == "lan.nt")
        assert "112233" not in row.pin_hash and row.must_change
    signed = accounts.sign_in(store, "lan.nt", "112233", counter=1)
    assert (signed.username, signed.must_change, signed.counters) == ("lan.nt", True, (1, 2))
    assert store.actor.username == "lan.nt" and store.officer == "lan.nt"
    with pytest.raises(UserError) as short:
        accounts.change_pin(store, "lan.nt", "112233", "12")
    assert short.value.key == "account.pin_too_short"
    accounts.change_pin(store, "lan.nt", "112233", "998877")
    assert not accounts.sign_in(store, "lan.nt", "998877").must_change
    with pytest.raises(SignInRefused, match="Sai"):
        accounts.sign_in(store, "lan.nt", "112233")


def test_an_account_signs_in_only_at_its_counters(store: Any) -> None:
    add_account(store, "binh", "Trần Văn Bình", ("officer",), counters=(2,))
    with pytest.raises(SignInRefused) as refused:
        accounts.sign_in(store, "binh", TEST_PIN, counter=1)
    assert refused.value.key == "auth.not_this_counter"
    assert accounts.sign_in(store, "binh", TEST_PIN, counter=2).username == "binh"


def test_wrong_pins_wait_longer_each_time_then_lock_all_by_the_clock(store: Any) -> None:
    add_account(store, "binh", "Trần Văn Bình", ("officer",))
    clock, security = store.clock, store.cfg.security
    assert (security.max_failures, security.lock_minutes) == (5, 15)
    waits = []
    for attempt in range(1, 5):
        with pytest.raises(SignInRefused) as wrong:
            accounts.sign_in(store, "binh", "000000")
        assert wrong.value.key == "auth.wrong_pin"
        assert wrong.value.params["left"] == 5 - attempt
        waits.append(wrong.value.params["seconds"])
        # too soon: refused without the PIN even being looked at (the right one included)
        with pytest.raises(SignInRefused) as early:
            accounts.sign_in(store, "binh", TEST_PIN)
        assert early.value.key == "auth.wait"
        clock.advance(seconds=wrong.value.params["seconds"])
    assert waits == [1, 2, 4, 8]
    with pytest.raises(SignInRefused) as locked:
        accounts.sign_in(store, "binh", "000000")
    assert locked.value.key == "auth.now_locked"
    clock.advance(minutes=14)
    with pytest.raises(SignInRefused) as still:
        accounts.sign_in(store, "binh", TEST_PIN)  # the right PIN does not open a lock
    assert still.value.key == "auth.locked"
    clock.advance(minutes=1, seconds=1)
    assert accounts.sign_in(store, "binh", TEST_PIN).username == "binh"
    with store.read():
        assert audit_actions("binh") == ["signin:failed"] * 5 + [
            "signin:locked", "signin:locked_try", "signin"]
        assert Officer.get(Officer.code == "binh").failed_attempts == 0


def test_an_unknown_name_is_refused_like_a_wrong_pin_and_audited(store: Any) -> None:
    with pytest.raises(SignInRefused) as refused:
        accounts.sign_in(store, "nobody", "123456")
    assert refused.value.key == "auth.wrong_pin_or_name"
    with store.read():
        assert audit_actions("nobody") == ["signin:failed"]


def test_only_an_administrator_manages_accounts(store: Any) -> None:
    add_account(store, "binh", "Trần Văn Bình", ("officer", "supervisor"))
    accounts.sign_in(store, "binh", TEST_PIN)
    for call in (lambda: accounts.create(store, "x", "X", ["officer"], pin="123456"),
                 lambda: accounts.accounts(store), lambda: accounts.disable(store, "canbo1"),
                 lambda: accounts.reset_pin(store, "canbo1", "123456"),
                 lambda: accounts.set_roles(store, "canbo1", ["officer"])):
        with pytest.raises(NotAllowed) as refused:
            call()
        assert refused.value.key == "auth.not_allowed"


def test_disable_reset_and_roles_are_audited(store: Any) -> None:
    accounts.create(store, "binh", "Trần Văn Bình", ["officer"], pin="123456")
    view = accounts.set_roles(store, "binh", ["officer", "supervisor"], [3])
    assert (view.roles, view.counters) == (("officer", "supervisor"), (3,))
    accounts.disable(store, "binh")
    with pytest.raises(SignInRefused):
        accounts.sign_in(store, "binh", "123456")
    accounts.reset_pin(store, "binh", "654321")  # active again, to change at first sign-in
    assert accounts.sign_in(store, "binh", "654321").must_change
    with store.read():
        subjects = [(a.action, a.subject.split()[0]) for a in AuditLog.select()
                    .where(AuditLog.action.startswith("account:")).order_by(AuditLog.id)]
    assert subjects == [("account:create", "binh"), ("account:roles", "binh"),
                        ("account:disable", "binh"), ("account:reset_pin", "binh")]


def test_the_last_administrator_stays(store: Any) -> None:
    with pytest.raises(UserError) as refused:
        accounts.set_roles(store, "canbo1", ["officer"])
    assert refused.value.key == "account.last_administrator"
    with pytest.raises(UserError) as yourself:
        accounts.disable(store, "canbo1")
    assert yourself.value.key == "account.not_yourself"


def test_the_first_administrator_only_once(open_test_store: Callable[..., Any]) -> None:
    store = open_test_store(signed_in=False)
    assert accounts.needs_first_administrator(store)
    accounts.create_first_administrator(store, "admin", "Quản trị", "123456")
    assert not accounts.needs_first_administrator(store)
    with pytest.raises(UserError) as again:
        accounts.create_first_administrator(store, "admin2", "Quản trị 2", "123456")
    assert again.value.key == "account.first_exists"
    assert accounts.sign_in(store, "admin", "123456").roles == ("administrator",)


def test_sessions_and_service_keys(store: Any) -> None:
    token = accounts.start_session(store, "canbo1", TEST_PIN)
    with store.read():
        assert AccountSession.select().count() == 1
        assert AccountSession.get().token_hash != token  # only its digest is kept
    assert accounts.actor_for_token(store, token).username == "canbo1"
    store.clock.advance(hours=store.cfg.security.session_hours)
    assert accounts.actor_for_token(store, token) is None  # expired
    key = accounts.create(store, "kiosk1", "Ki-ốt sảnh", ["kiosk"], service=True)
    assert key and accounts.actor_for_key(store, key).username == "kiosk1"
    with pytest.raises(SignInRefused) as bad:
        accounts.actor_for_key(store, "not-a-key")
    assert bad.value.key == "auth.bad_key"
    new_key = accounts.reset_pin(store, "kiosk1", "")
    assert new_key and new_key != key
    with pytest.raises(SignInRefused):
        accounts.actor_for_key(store, key)
    with pytest.raises(SignInRefused):  # a service account has no PIN to sign in with
        accounts.sign_in(store, "kiosk1", "")
