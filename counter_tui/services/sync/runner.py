"""A sync pass (`counter-tui sync now`), and passes for ever with back-off (`sync run`).

A pass: reach the centre (within the deadline, else the link counts as down), check that it is
a migrated counter-tui store, turn capture on the first time (the office's history is then
sent too), refuse a store that went back in time (below), take what changed at the centre
(procedures, accounts; at most every PULL_SECONDS while running), then send the outbox batch by
batch until it is empty. Every batch is applied in one transaction on the centre and then
deleted here; a cut at any moment leaves either the batch applied but still here (sent again,
skipped there) or not applied (sent again): nothing lost, nothing doubled.

A store restored from a backup has given out sequence numbers the centre already acknowledged
for other rows (and reuses row ids the centre maps to rows the office lost): sending on would
overwrite the centre's copy of what the restore took away. The pass stops and says so; the
centre keeps those rows, and `sync verify` lists them.

While the link is up the outbox is looked at every `[sync] interval` (a change reaches the
centre within about that); while it is down, tries wait 1, 2, 4 ... seconds up to
`max_backoff`. The screens read what the passes record (status.py).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable

from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.records import frozen
from counter_tui.db import connection
from counter_tui.db.models import SyncState
from counter_tui.services.store import Store
from counter_tui.services.sync import apply, centre, outbox, pull

PULL_SECONDS = 60.0
log = logging.getLogger(__name__)


class SyncRefused(UserError):
    """The pass cannot go on as things are; the message says what a technician does."""


@frozen
class PassResult:
    sent: int = 0  # rows applied on the centre
    batches: int = 0
    waiting: int = 0  # changes still in the outbox
    noted: int = 0  # rows of the office's history noted when capture was turned on
    procedures: int = 0
    accounts: int = 0
    blocked: str = ""
    days: int = 0  # the district's days, when its list changed: how many it now holds


class Link:
    """The office's store and its centre, with what a pass needs to remember."""

    def __init__(self, store: Store) -> None:
        if not store.cfg.sync.url:
            raise SyncRefused("sync.not_configured")
        self.store = store
        self.cfg = store.cfg.sync
        self.office = store.cfg.office.agency_code
        self.db = centre.open_centre(self.cfg.url)
        self.columns: dict[str, set[str]] = {}
        self.pulled_at = 0.0
        self.ready = False

    def close(self) -> None:
        centre.drop(self.db)

    def _ready(self) -> int:
        if self.ready and not self.db.is_closed():
            return 0
        centre.connect(self.db, self.cfg.timeout)
        with centre.deadline(self.db, self.cfg.timeout):
            if not centre.has_sync_tables(self.db):
                raise SyncRefused("sync.centre_not_ready", url=centre.shown(self.cfg.url))
            row = self.db.execute_sql("SELECT acked_seq FROM sync_peer WHERE office = %s",
                                      (self.office,)).fetchone()
        noted = outbox.enable(self.store)
        acked = int(row[0]) if row else 0
        if acked > outbox.high_water(self.store):
            raise SyncRefused("sync.store_went_back", acked=acked,
                              mine=outbox.high_water(self.store))
        self.ready = True
        return noted

    def run_pass(self, *, pull_now: bool = True, budget: float = 600.0) -> PassResult:
        """One pass; LinkDown when the centre cannot be reached or stops answering."""
        try:
            return self._pass(pull_now, budget)
        except (centre.LinkDown, SyncRefused):
            self.ready = False
            raise
        except Exception as exc:
            self.ready = False
            if _is_link_error(exc):
                raise centre.LinkDown(centre.first_line(exc)) from exc
            raise

    def _pass(self, pull_now: bool, budget: float) -> PassResult:
        noted = self._ready()
        procedures = accounts = days = 0
        if pull_now or time.monotonic() - self.pulled_at >= PULL_SECONDS:
            with centre.deadline(self.db, self.cfg.timeout):
                rows = pull.read_centre(self.db, self.cfg.down)
            taken = pull.apply_down(self.store, *rows)
            procedures, accounts, days = taken.procedures, taken.accounts, taken.days
            self.pulled_at = time.monotonic()
        sent = batches = 0
        blocked = ""
        ends = time.monotonic() + budget
        while time.monotonic() < ends:
            changes = outbox.read_batch(self.store, self.cfg.batch)
            if not changes:
                break
            with centre.deadline(self.db, self.cfg.timeout):
                done = apply.apply(self.db, self.office, changes, self.store.now(), self.columns)
            outbox.acknowledge(self.store, list(done.seqs), self.store.now())
            sent += done.count
            batches += 1
            if done.blocked:  # the rest waits for its parent's transaction to show
                blocked = done.blocked
                break
        if not sent:
            _touch(self.store)
        return PassResult(sent, batches, outbox.waiting(self.store), noted, procedures,
                          accounts, blocked, days)


def _is_link_error(exc: BaseException) -> bool:
    current: BaseException | None = exc
    while current is not None:
        module = type(current).__module__
        if module.startswith("psycopg2") or type(current).__name__ in (
                "OperationalError", "InterfaceError"):
            return not isinstance(current, UserError)
        current = current.__cause__ or current.__context__
    return False


_last_touch = [0.0]


def _touch(store: Store) -> None:
    """The link is up: noted at most every 30 s (a write transaction each poll would cost the
    terminals of an SQLite office their turn for nothing)."""
    if time.monotonic() - _last_touch[0] < 30:
        state = outbox.state(store)
        if state.down_since is None and not state.error:
            return
    _last_touch[0] = time.monotonic()
    record_up(store)


def record_up(store: Store) -> None:
    """The centre answered (a pass, or `sync verify`): the link is up, whatever failed before."""
    with store.db.connection_context(), connection.write_transaction(store.db):
        SyncState.update(last_contact_at=store.now(), down_since=None, error="").where(
            SyncState.id == 1).execute()


def record_down(store: Store, reason: str) -> None:
    """The link is down (since the first failure) and why, for the screens."""
    with contextlib.suppress(Exception), store.db.connection_context(), \
            connection.write_transaction(store.db):
        state = SyncState.get_or_none(SyncState.id == 1) or SyncState(id=1)
        SyncState.update(down_since=state.down_since or store.now(), error=reason[:300]
                         ).where(SyncState.id == 1).execute()


def run_forever(store: Store, stop: threading.Event,
                on_pass: Callable[[PassResult], None] | None = None) -> None:
    """Passes until `stop` is set: every `interval` while up, backing off while down."""
    link = Link(store)
    backoff = 1.0
    waits_for = ""  # the change a pass last stopped at, said once in the log (not every poll)
    try:
        while not stop.is_set():
            try:
                result = link.run_pass(pull_now=False, budget=30.0)
            except centre.LinkDown as exc:
                log.info("sync: link down (%s); next try in %.0f s", exc, backoff)
                record_down(store, str(exc))
                stop.wait(backoff)
                backoff = min(backoff * 2, float(store.cfg.sync.max_backoff))
                continue
            except SyncRefused as exc:
                log.warning("sync: refused: %s", exc.key)
                record_down(store, str(exc))
                stop.wait(float(store.cfg.sync.max_backoff))
                continue
            except Exception as exc:  # the service stays up and says so
                # by its kind only: a database's message may quote a row (a name, a number)
                log.warning("sync: pass failed: %s %s", type(exc).__name__,
                            getattr(exc, "pgcode", "") or "")
                record_down(store, t("sync.pass_failed", kind=type(exc).__name__))
                stop.wait(backoff)
                backoff = min(backoff * 2, float(store.cfg.sync.max_backoff))
                continue
            backoff = 1.0
            if result.blocked and result.blocked != waits_for:
                # table#id only: which change waits for the row it refers to to reach the centre
                log.warning("sync: %s waits for the row it refers to", result.blocked)
            waits_for = result.blocked
            if on_pass is not None:
                on_pass(result)
            if result.waiting and not result.blocked:
                continue  # more than a pass's budget was waiting: go on at once
            stop.wait(store.cfg.sync.interval)
    finally:
        link.close()
