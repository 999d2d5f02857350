"""The sync state the screens and `sync status` show: read from the office's own store, so
it shows (link down since …, changes waiting) even while the centre cannot be reached."""

from __future__ import annotations

import datetime as dt

from counter_tui.config import Config
from counter_tui.core.records import frozen
from counter_tui.core.roles import Action
from counter_tui.db.models import Office, SyncConflict, SyncOutbox, SyncState
from counter_tui.services.authority import gated
from counter_tui.services.store import Store
from counter_tui.services.sync import centre


@frozen
class SyncStatus:
    configured: bool  # [sync] url is set
    centre: str  # its URL without the password
    enabled: bool  # capture is on (the first pass turned it on)
    waiting: int  # changes not yet acknowledged by the centre
    sent_rows: int
    last_sent_at: dt.datetime | None
    last_contact_at: dt.datetime | None
    down_since: dt.datetime | None
    error: str


def status(store: Store) -> SyncStatus:
    with store.read():
        state = SyncState.get_or_none(SyncState.id == 1)
        waiting = int(SyncOutbox.select().count()) if state is not None else 0
    return _status(store.cfg.sync.url, state, waiting)


def status_of(cfg: Config) -> SyncStatus:
    """`status` for a technician's look at the store as it is (`doctor`): not migrated, nobody
    signed in; a store made before sync existed reads as one that has not synced yet."""
    from counter_tui.db import connection

    db = connection.connect(cfg.database.url)
    try:
        with db.connection_context(), db.bind_ctx([SyncState, SyncOutbox]):
            state = SyncState.get_or_none(SyncState.id == 1) \
                if SyncState._meta.table_name in db.get_tables() else None
            waiting = int(SyncOutbox.select().count()) if state is not None else 0
    finally:
        connection.close(db)
    return _status(cfg.sync.url, state, waiting)


def _status(url: str, state: SyncState | None, waiting: int) -> SyncStatus:
    if state is None:
        return SyncStatus(bool(url), centre.shown(url), False, 0, 0, None, None, None, "")
    return SyncStatus(bool(url), centre.shown(url), bool(state.enabled), waiting,
                      int(state.sent_rows), state.last_sent_at, state.last_contact_at,
                      state.down_since, str(state.error))


@frozen
class Conflict:
    """On the district's centre: an office's row the centre had changed too, overwritten by
    the office's version (the rule: the office owns its rows); the centre's is kept."""

    office: str  # the office's agency code
    office_name: str
    table: str
    local_id: int  # the row's id in the office's store
    at: dt.datetime
    centre_row: str  # the centre's version, as JSON


@gated(Action.REPORT_VIEW)
def conflicts(store: Store, limit: int = 200) -> tuple[tuple[Conflict, ...], int]:
    """The latest `limit` conflicts kept on this store (a centre's; none elsewhere), newest
    first, and how many there are in all."""
    with store.read():  # read at each board refresh: an office's store has none, one count
        total = int(SyncConflict.select().count())
        if not total:
            return (), 0
        names = {str(o.code): str(o.name) for o in Office.select(Office.code, Office.name)}
        rows = list(SyncConflict.select().order_by(SyncConflict.at.desc(), SyncConflict.id.desc())
                    .limit(limit))
    return tuple(Conflict(str(r.office), names.get(str(r.office), str(r.office)), str(r.tbl),
                          int(r.local_id), r.at, str(r.centre_row)) for r in rows), total
