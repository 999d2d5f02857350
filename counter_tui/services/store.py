"""The store a service works on: the database, the office's configuration, this terminal's
identity (counter and officer, carried by every event) and a clock tests can set.

The clock is the office's (core.clock): `store.now()` is the office's wall-clock time whatever
zone the machine is set to, and that naive office time is what every service stores.

`open_store` is the one way in: it connects, applies pending migrations, brings the queue groups
and counters in line with config.toml, and loads the shipped catalogue into an empty store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from peewee import Database, PeeweeException

from counter_tui.config import Config
from counter_tui.core.clock import OfficeClock
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import messages
from db import connection
from db.models import Counter, Office, Officer, ServiceGroup

messages({
    "store.unavailable": (
        "Không kết nối được cơ sở dữ liệu ({url}): {reason}. Kiểm tra database.url trong "
        "config.toml và máy chủ cơ sở dữ liệu.",
        "Cannot reach the database ({url}): {reason}. Check database.url in config.toml and "
        "the database server.",
    ),
})


@dataclass
class Store:
    cfg: Config
    db: Database
    clock: Callable[[], dt.datetime] = field(default_factory=OfficeClock)
    counter: int | None = None
    officer: str | None = None

    def now(self) -> dt.datetime:
        return self.clock().replace(microsecond=0)

    def as_terminal(self, counter: int | None, officer: str | None) -> Store:
        """The same store seen from another terminal (the CLI's --counter, tests)."""
        return replace(self, counter=counter, officer=officer)

    @contextmanager
    def write(self) -> Iterator[Any]:
        """One transaction that writes: everything in it is stored, or nothing."""
        with self.db.connection_context(), connection.write_transaction(self.db) as txn:
            yield txn

    def close(self) -> None:
        connection.close(self.db)

    @contextmanager
    def read(self) -> Iterator[None]:
        with self.db.connection_context():
            yield


def _safe_url(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def open_store(cfg: Config, *, clock: Callable[[], dt.datetime] | None = None,
               seed: bool = True) -> Store:
    """Connect, migrate and sync the configured office, groups and counters."""
    try:
        db = connection.connect(cfg.database.url)
        connection.migrate(db)
        store = Store(cfg=cfg, db=db, clock=clock or OfficeClock(cfg.office.timezone),
                      counter=cfg.terminal.counter, officer=cfg.terminal.officer)
        _sync_config(store)
    except (PeeweeException, connection.StoreError, OSError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UserError("store.unavailable", url=_safe_url(cfg.database.url),
                        reason=reason) from exc
    if seed:
        from counter_tui.services import catalogue

        catalogue.seed_if_empty(store)
    return store


def _in_step(store: Store) -> bool:
    """Whether the store already describes the configured office (the usual start: no write)."""
    cfg = store.cfg
    with store.read():
        office = Office.get_or_none(Office.code == cfg.office.agency_code)
        officer = Officer.get_or_none(Officer.code == cfg.terminal.officer)
        groups = {(g.letter, g.name) for g in ServiceGroup.select().where(ServiceGroup.active)}
        counters = {(c.number, c.name, c.groups) for c in Counter.select().where(Counter.active)}
    return (office is not None and (office.name, office.address) == (cfg.office.name,
                                                                       cfg.office.address)
            and officer is not None and officer.name == cfg.terminal.officer_name
            and groups == {(g.letter, g.name) for g in cfg.groups}
            and counters == {(c.number, c.name, ",".join(c.groups)) for c in cfg.counters})


def _sync_config(store: Store) -> None:
    cfg = store.cfg
    if _in_step(store):
        return
    with store.write():
        Office.insert(code=cfg.office.agency_code, name=cfg.office.name,
                      address=cfg.office.address).on_conflict(
            conflict_target=[Office.code],
            update={Office.name: cfg.office.name, Office.address: cfg.office.address},
        ).execute()
        Officer.insert(code=cfg.terminal.officer, name=cfg.terminal.officer_name).on_conflict(
            conflict_target=[Officer.code], update={Officer.name: cfg.terminal.officer_name},
        ).execute()
        letters = [g.letter for g in cfg.groups]
        for g in cfg.groups:
            ServiceGroup.insert(letter=g.letter, name=g.name, active=True).on_conflict(
                conflict_target=[ServiceGroup.letter],
                update={ServiceGroup.name: g.name, ServiceGroup.active: True},
            ).execute()
        ServiceGroup.update(active=False).where(ServiceGroup.letter.not_in(letters)).execute()
        numbers = [c.number for c in cfg.counters]
        for c in cfg.counters:
            groups = ",".join(c.groups)
            Counter.insert(number=c.number, name=c.name, groups=groups, active=True).on_conflict(
                conflict_target=[Counter.number],
                update={Counter.name: c.name, Counter.groups: groups, Counter.active: True},
            ).execute()
        Counter.update(active=False).where(Counter.number.not_in(numbers)).execute()
