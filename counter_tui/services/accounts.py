"""Accounts and sign-in: who may act, with which roles, at which counters.

A PIN is checked against its scrypt hash (core.pins). Each wrong PIN is audited and makes the
next try wait longer (1, 2, 4 ... seconds, refused without checking before then); after
`[security] max_failures` in a row the account is locked for `lock_minutes`, and the lock is
audited too. The failures are stored in their own transaction before the refusal is raised, so
a refusal is never rolled back with the attempt it refuses. Times come from the store's clock:
tests move it instead of sleeping.

Managing accounts needs the administrator's role, except the very first administrator of a
store where nobody can sign in yet (`counter-tui init`, or the sign-in screen of an empty
store). Kiosks and scripts act through service accounts, which have a key instead of a PIN;
a command line's `login` gets a session token that lasts `[security] session_hours`. Keys and
tokens are kept only as their SHA-256 (core.pins).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

import peewee

from counter_tui.core.account_views import AccountView, SignedIn
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.limits import limit
from counter_tui.core.pins import hash_pin, new_secret, pin_matches, retry_delay, secret_digest
from counter_tui.core.roles import Action, Actor, Role
from counter_tui.core.text import clean
from counter_tui.db.models import AccountSession, Officer
from counter_tui.services.authority import require
from counter_tui.services.store import Store

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from types import ModuleType


def _audit() -> ModuleType:
    """The audit log's service, loaded when an account's act is written: every command
    resolves who it acts as here, and a kiosk's key writes nothing to the log."""
    from counter_tui.services import audit

    return audit


class SignInRefused(UserError):
    """A sign-in that did not pass: wrong PIN, too soon after one, locked, disabled."""


STAFF = (Role.OFFICER, Role.SUPERVISOR, Role.TECHNICIAN, Role.ADMINISTRATOR)


def _roles(names: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for name in names:
        name = clean(name).lower()
        if not name:
            continue
        try:
            role = Role(name)
        except ValueError:
            raise UserError("account.unknown_role", field="roles", role=name,
                            roles=", ".join(r.value for r in Role)) from None
        if role.value not in out:
            out.append(role.value)
    if not out:
        raise UserError("account.no_role", field="roles", roles=", ".join(r.value for r in Role))
    return tuple(out)


def _counters(numbers: Iterable[int]) -> tuple[int, ...]:
    return tuple(sorted(set(numbers)))


def _username(raw: str) -> str:
    name = clean(raw).strip().lower()
    if not name or len(name) > limit("officer.code") or any(c.isspace() for c in name):
        raise UserError("account.bad_username", field="username", most=limit("officer.code"))
    return name


def _check_pin(store: Store, pin: str) -> str:
    if len(pin) < store.cfg.security.pin_min_length:
        raise UserError("account.pin_too_short", field="pin",
                        least=store.cfg.security.pin_min_length)
    return pin


def _view(o: Officer) -> AccountView:
    return AccountView(o.code, o.name, tuple(r for r in o.roles.split(",") if r),
                       tuple(int(c) for c in o.counters.split(",") if c), o.active, o.service,
                       o.must_change, o.locked_until)


def actor_of(o: Officer | AccountView) -> Actor:
    view = o if isinstance(o, AccountView) else _view(o)
    return Actor(view.username, view.full_name, frozenset(Role(r) for r in view.roles),
                 frozenset(view.counters), view.service)


def _get(username: str) -> Officer:
    account = Officer.get_or_none(Officer.code == clean(username).strip().lower())
    if account is None:
        raise UserError("account.unknown", username=username)
    return account


# --- the first administrator ---------------------------------------------------------------


def needs_first_administrator(store: Store) -> bool:
    """Nobody can sign in to this store yet (a new store, or one from before accounts)."""
    with store.read():
        return not Officer.select().where(Officer.active & (Officer.pin_hash != "")).exists()


def create_first_administrator(store: Store, username: str, full_name: str, pin: str) -> None:
    name, pin = _username(username), _check_pin(store, pin)
    full = clean(full_name).strip() or name
    digest = hash_pin(pin, store.cfg.security.pin_cost)  # slow: before the transaction
    with store.write():
        if Officer.select().where(Officer.active & (Officer.pin_hash != "")).exists():
            raise UserError("account.first_exists")
        _upsert(name, full, (Role.ADMINISTRATOR.value,), (), digest, must_change=False)
        _audit().record(store, "account:first_admin", name)


def _upsert(name: str, full: str, roles: tuple[str, ...], counters: tuple[int, ...],
            pin_hash: str, *, must_change: bool, service: bool = False,
            key_hash: str = "") -> None:
    values = {Officer.name: full[:limit("officer.name")], Officer.roles: ",".join(roles),
              Officer.role: roles[0][:20], Officer.counters: ",".join(map(str, counters)),
              Officer.active: True, Officer.pin_hash: pin_hash, Officer.must_change: must_change,
              Officer.failed_attempts: 0, Officer.retry_at: None, Officer.locked_until: None,
              Officer.service: service, Officer.key_hash: key_hash}
    Officer.insert({Officer.code: name, **values}).on_conflict(
        conflict_target=[Officer.code], update=values).execute()


# --- managing accounts (administrators) ----------------------------------------------------


def create(store: Store, username: str, full_name: str, roles: Iterable[str], *,
           pin: str = "", counters: Iterable[int] = (), service: bool = False) -> str | None:
    """A new account. A person's gets `pin` (changed at first sign-in); a service account gets
    a key, returned once and never stored in clear."""
    require(store, Action.ACCOUNT_MANAGE)
    name, full, held = _username(username), clean(full_name).strip(), _roles(roles)
    key = new_secret() if service else None
    digest = "" if service else hash_pin(_check_pin(store, pin), store.cfg.security.pin_cost)
    with store.write():
        if Officer.select().where(Officer.code == name).exists():
            raise UserError("account.exists", field="username", username=name)
        _upsert(name, full or name, held, _counters(counters), digest, must_change=not service,
                service=service, key_hash=secret_digest(key) if key else "")
        _audit().record(store, "account:create", f"{name} {','.join(held)}")
    return key


def account(store: Store, username: str) -> AccountView:
    require(store, Action.ACCOUNT_MANAGE)
    with store.read():
        return _view(_get(username))


def accounts(store: Store) -> list[AccountView]:
    require(store, Action.ACCOUNT_MANAGE)
    with store.read():
        return [_view(o) for o in Officer.select().order_by(Officer.code)]


def disable(store: Store, username: str) -> None:
    require(store, Action.ACCOUNT_MANAGE)
    with store.write():
        account = _get(username)
        if store.actor is not None and account.code == store.actor.username:
            raise UserError("account.not_yourself")
        _keep_an_administrator(account.code, account.active and
                               Role.ADMINISTRATOR.value in account.roles.split(","))
        Officer.update(active=False).where(Officer.id == account.id).execute()
        AccountSession.delete().where(AccountSession.username == account.code).execute()
        _audit().record(store, "account:disable", account.code)


def _keep_an_administrator(username: str, losing: bool) -> None:
    if not losing:
        return
    others = Officer.select().where(Officer.active & (Officer.code != username)
                                    & Officer.roles.contains(Role.ADMINISTRATOR.value))
    if not others.exists():
        raise UserError("account.last_administrator")


def reset_pin(store: Store, username: str, pin: str) -> str | None:
    """A new PIN for a person (to change at the next sign-in; the lock lifted), or a new key
    for a service account (returned once)."""
    require(store, Action.ACCOUNT_MANAGE)
    with store.read():
        account = _get(username)
    key = new_secret() if account.service else None
    digest = "" if key else hash_pin(_check_pin(store, pin), store.cfg.security.pin_cost)
    with store.write():
        Officer.update(pin_hash=digest, key_hash=secret_digest(key) if key else "",
                       must_change=not account.service, failed_attempts=0, retry_at=None,
                       locked_until=None, active=True).where(Officer.id == account.id).execute()
        AccountSession.delete().where(AccountSession.username == account.code).execute()
        _audit().record(store, "account:reset_pin", account.code)
    return key


def set_roles(store: Store, username: str, roles: Iterable[str] | None = None,
              counters: Iterable[int] | None = None) -> AccountView:
    require(store, Action.ACCOUNT_MANAGE)
    with store.write():
        account = _get(username)
        changes: dict[str, object] = {}
        if roles is not None:
            held = _roles(roles)
            was_admin = Role.ADMINISTRATOR.value in account.roles.split(",")
            _keep_an_administrator(account.code, account.active and was_admin
                                   and Role.ADMINISTRATOR.value not in held)
            changes.update(roles=",".join(held), role=held[0][:20])
        if counters is not None:
            changes["counters"] = ",".join(map(str, _counters(counters)))
        if changes:
            Officer.update(**changes).where(Officer.id == account.id).execute()
            _audit().record(store, "account:roles",
                         f"{account.code} {changes.get('roles', account.roles)}"
                         f" @{changes.get('counters', account.counters) or '*'}")
        return _view(Officer.get_by_id(account.id))


# --- signing in ----------------------------------------------------------------------------


def _refuse(store: Store, refusal: SignInRefused, action: str, username: str) -> None:
    """Audit the refusal in its own transaction (kept), then raise it."""
    with store.write():
        _audit().record(store, action, username)
    raise refusal


def _checked(store: Store, name: str, pin: str) -> Officer:
    """The account `name` if `pin` is its PIN; otherwise refused, the refusal audited and the
    next try delayed (or the account locked)."""
    now = store.now()
    with store.read():
        account = Officer.get_or_none(Officer.code == name)
    if account is None or not account.active or account.service or not account.pin_hash:
        pin_matches(pin, hash_pin("-", 2))  # the same kind of work for a name that is not one
        _refuse(store, SignInRefused("auth.wrong_pin_or_name"), "signin:failed", name[:40])
    assert account is not None
    if account.locked_until is not None and now < account.locked_until:
        _refuse(store, SignInRefused("auth.locked", until=f"{account.locked_until:%H:%M}"),
                "signin:locked_try", name)
    if account.retry_at is not None and now < account.retry_at:
        wait = int((account.retry_at - now).total_seconds()) + 1
        raise SignInRefused("auth.wait", seconds=wait)
    if not pin_matches(pin, account.pin_hash):
        _failed(store, account, now)
    return account


def sign_in(store: Store, username: str, pin: str, *, counter: int | None = None,
            replacing: str | None = None) -> SignedIn:
    """Check the PIN; on success the store acts as that account (store.actor). `counter`: the
    terminal's, which the account must be allowed to sit at; `replacing`: the officer signed
    in at this terminal before (a change of officer, audited)."""
    name = clean(username).strip().lower()
    account = _checked(store, name, pin)
    actor = actor_of(account)
    if not actor.sits_at(counter):
        _refuse(store, SignInRefused("auth.not_this_counter", counter=counter,
                                     counters=", ".join(map(str, sorted(actor.counters)))),
                "signin:wrong_counter", name)
    store.sign_in(actor)
    with store.write():
        Officer.update(failed_attempts=0, retry_at=None, locked_until=None).where(
            Officer.id == account.id).execute()
        if replacing and replacing != name:
            _audit().record(store, "signin:change", f"{replacing}>{name}")
        else:
            _audit().record(store, "signin", name)
    return SignedIn(actor.username, actor.full_name, tuple(sorted(r.value for r in actor.roles)),
                    tuple(sorted(actor.counters)), bool(account.must_change))


def _failed(store: Store, account: Officer, now: dt.datetime) -> None:
    security = store.cfg.security
    failures = (account.failed_attempts or 0) + 1
    locked = failures >= security.max_failures
    with store.write():
        if locked:
            Officer.update(failed_attempts=0, retry_at=None,
                           locked_until=now + dt.timedelta(minutes=security.lock_minutes)
                           ).where(Officer.id == account.id).execute()
            _audit().record(store, "signin:failed", account.code)
            _audit().record(store, "signin:locked", account.code)
        else:
            Officer.update(failed_attempts=failures, retry_at=now + retry_delay(failures)
                           ).where(Officer.id == account.id).execute()
            _audit().record(store, "signin:failed", account.code)
    if locked:
        until = now + dt.timedelta(minutes=security.lock_minutes)
        raise SignInRefused("auth.now_locked", minutes=security.lock_minutes,
                            until=f"{until:%H:%M}")
    raise SignInRefused("auth.wrong_pin", left=security.max_failures - failures,
                        seconds=int(retry_delay(failures).total_seconds()))


def confirm(store: Store, username: str, pin: str, role: Role, action: str) -> Actor:
    """Someone present proves, with their own PIN, that they hold `role` for one act (a
    technician letting a kiosk leave its screen), without the store acting as them from then
    on. The PIN is held to sign-in's rules (delays, the lock, each failure audited); an
    account without the role is refused and recorded as `<action>:refused`; the act itself
    is recorded as `action`, naming who confirmed it."""
    name = clean(username).strip().lower()
    account = _checked(store, name, pin)
    actor = actor_of(account)
    # the administrator stands in for any role: a new office has only the administrator
    # init made, who must not be shut out of what a technician may do before there is one
    if role not in actor.roles and Role.ADMINISTRATOR not in actor.roles:
        _refuse(store, SignInRefused("auth.role_needed", role=t(f"role.{role.value}")),
                f"{action}:refused", name)
    with store.write():
        Officer.update(failed_attempts=0, retry_at=None, locked_until=None).where(
            Officer.id == account.id).execute()
        _audit().record(store, action, name)
    return actor


def change_pin(store: Store, username: str, old_pin: str, new_pin: str) -> None:
    """The account's own PIN, given the one it has (the first sign-in's change included)."""
    _check_pin(store, new_pin)
    if new_pin == old_pin:
        raise UserError("account.pin_same", field="pin")
    sign_in(store, username, old_pin)
    digest = hash_pin(new_pin, store.cfg.security.pin_cost)
    with store.write():
        Officer.update(pin_hash=digest, must_change=False).where(
            Officer.code == clean(username).strip().lower()).execute()
        _audit().record(store, "account:pin_changed", clean(username).strip().lower())


def sign_out(store: Store) -> None:
    if store.actor is not None:
        with store.write():
            _audit().record(store, "signout", store.actor.username)
    store.sign_in(None)


def lock_screen(store: Store) -> None:
    """The terminal locked (idle or Ctrl+L): audited; the officer stays who is recorded."""
    if store.actor is not None:
        with store.write():
            _audit().record(store, "lock", store.actor.username)


# --- the command line: session tokens and service keys -------------------------------------


def start_session(store: Store, username: str, pin: str) -> str:
    """`counter-tui login`: a token for this account until `[security] session_hours`."""
    signed = sign_in(store, username, pin)
    if signed.must_change:
        raise UserError("auth.change_pin_first")
    token = new_secret()
    now = store.now()
    with store.write():
        AccountSession.delete().where(AccountSession.expires_at < now).execute()
        AccountSession.insert(token_hash=secret_digest(token), username=signed.username,
                              created_at=now, expires_at=now + dt.timedelta(
                                  hours=store.cfg.security.session_hours)).execute()
    return token


def end_session(store: Store, token: str) -> None:
    with store.write():
        AccountSession.delete().where(AccountSession.token_hash == secret_digest(token)).execute()
        if store.actor is not None:
            _audit().record(store, "signout", store.actor.username)


def actor_for_token(store: Store, token: str) -> Actor | None:
    """The account a session token signs in, None when it is unknown, expired or disabled."""
    with store.read():
        session = AccountSession.get_or_none(AccountSession.token_hash == secret_digest(token))
        if session is None or session.expires_at <= store.now():
            return None
        account = Officer.get_or_none((Officer.code == session.username) & Officer.active)
    return actor_of(account) if account is not None else None


def actor_for_key(store: Store, key: str) -> Actor:
    """The service account a key (COUNTER_TUI_KEY) belongs to; refused when none."""
    with store.read():
        account = Officer.get_or_none((Officer.key_hash == secret_digest(key.strip()))
                                      & Officer.service & Officer.active)
    if account is None:
        try:
            with store.write():
                _audit().record(store, "signin:bad_key", "")
        except peewee.DatabaseError:  # the display's read-only PostgreSQL role: still refused
            log.warning("a service key was refused; the store is read-only to this account")
        raise SignInRefused("auth.bad_key")
    return actor_of(account)
