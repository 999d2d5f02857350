"""The office's side of capture: turning it on, and reading what waits to be sent.

The triggers (migration 0013) write nothing until capture is on, so an office that never syncs
keeps no outbox. Turning it on notes every row the store already holds, in the same transaction
(the office's history goes up with its first sync), and from then on every change is noted by
the database itself. On PostgreSQL another terminal may be writing meanwhile: a row it wrote
while capture was off but committed after it was turned on would be in neither the history nor
the outbox, so turning it on and a trigger finding it off take turns on one lock (0016).

On PostgreSQL two transactions may commit in the other order than they took their sequence
numbers; reading past a number whose transaction is still open would skip it for ever once a
later one is acknowledged. So only the entries of transactions older than every one still
running are read (txid_snapshot_xmin), and nothing is acknowledged by "everything up to N": the
entries applied are deleted one by one. On SQLite one writer at a time makes numbers follow
commits already.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from counter_tui.core.records import frozen
from counter_tui.db import connection
from counter_tui.db.models import SyncOutbox, SyncState
from counter_tui.services.store import Store
from counter_tui.services.sync.tables import BY_TABLE, SYNCED

# the lock turning capture on takes, and a PostgreSQL trigger finding it off (migration 0016)
CAPTURE_LOCK = 0x73796E63  # "sync" in ASCII
CAPTURE_OFF = "counter_tui.capture_off"  # noted by the capture trigger (migration 0020)


@frozen
class Change:
    """A row to send: its newest sequence number, every number it stands for (one row changed
    three times is sent once), and the row as it is now (None: deleted)."""

    seq: int
    seqs: tuple[int, ...]
    table: str
    local_id: int
    row: Mapping[str, Any] | None


def state(store: Store) -> SyncState:
    with store.read():
        return SyncState.get_or_none(SyncState.id == 1) or SyncState(id=1)


def enable(store: Store) -> int:
    """Turn capture on (once) and note every row already stored; the number of rows noted."""
    with store.db.connection_context(), connection.write_transaction(store.db):
        if not connection.is_sqlite(store.db):
            # first, before anything is read: wait for the transactions that wrote while
            # capture was off, and make those writing from now on wait for this one (0016)
            store.db.execute_sql("SELECT pg_advisory_xact_lock(%s)".replace(
                "%s", store.db.param), (CAPTURE_LOCK,))
            # a write earlier in this same transaction may have noted capture as off for the
            # rest of it (migration 0020): from here on it is on
            store.db.execute_sql(f"SELECT set_config('{CAPTURE_OFF}', '', true)")
        # the row is made again when missing (a store emptied by hand): capture is then off
        SyncState.insert(id=1).on_conflict_ignore().execute()
        current = SyncState.get_by_id(1)
        if current.enabled:
            return 0
        noted = 0
        for spec in SYNCED:
            cursor = store.db.execute_sql(
                f"INSERT INTO sync_outbox (tbl, row_id) SELECT '{spec.table}', id "
                f"FROM {spec.table} ORDER BY id")
            noted += max(cursor.rowcount, 0)
        SyncState.update(enabled=True, office=store.cfg.office.agency_code).where(
            SyncState.id == 1).execute()
    return noted


def waiting(store: Store) -> int:
    with store.read():
        return int(SyncOutbox.select().count())


def high_water(store: Store) -> int:
    """The highest sequence number this store ever gave out (a restored backup gives less)."""
    with store.read():
        if connection.is_sqlite(store.db):
            row = store.db.execute_sql(
                "SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'").fetchone()
            return int(row[0]) if row else 0
        row = store.db.execute_sql("SELECT last_value, is_called FROM sync_outbox_seq_seq"
                                   ).fetchone()
        return int(row[0]) if row and row[1] else 0


def read_batch(store: Store, limit: int) -> list[Change]:
    """The next changes to send, in order, each row read as it is now."""
    visible = "" if connection.is_sqlite(store.db) else \
        " WHERE tx < txid_snapshot_xmin(txid_current_snapshot())"
    with store.read():
        entries = store.db.execute_sql(
            f"SELECT seq, tbl, row_id FROM sync_outbox{visible} "
            "ORDER BY seq LIMIT %s".replace("%s", store.db.param), (limit,)).fetchall()
        wanted: dict[str, set[int]] = {}
        for _seq, table, row_id in entries:
            wanted.setdefault(table, set()).add(int(row_id))
        rows: dict[tuple[str, int], dict[str, Any]] = {}
        for table, ids in wanted.items():
            spec = BY_TABLE.get(table)
            if spec is None:
                continue
            model: Any = spec.model
            pk = model._meta.primary_key
            for chunk in _chunks(sorted(ids), 500):
                for row in model.select().where(pk.in_(chunk)).dicts():
                    values = {f.column_name: row[f.name] for f in model._meta.sorted_fields}
                    for column in spec.blank:
                        values[column] = ""
                    rows[(table, int(values["id"]))] = values
    order: list[tuple[str, int]] = []
    seqs: dict[tuple[str, int], list[int]] = {}
    for seq, table, row_id in entries:
        key = (str(table), int(row_id))
        if key not in seqs:
            order.append(key)
            seqs[key] = []
        seqs[key].append(int(seq))
    # one row changed several times goes once, where it first changed (what refers to it comes
    # after), carrying its newest number
    return [Change(max(seqs[key]), tuple(seqs[key]), key[0], key[1], rows.get(key))
            for key in order]


def acknowledge(store: Store, seqs: list[int], at: Any) -> None:
    """The centre applied these: forget them, and note what was sent and when."""
    with store.db.connection_context(), connection.write_transaction(store.db):
        for chunk in _chunks(seqs, 500):
            SyncOutbox.delete().where(SyncOutbox.seq.in_(chunk)).execute()
        if seqs:
            store.db.execute_sql(
                "UPDATE sync_state SET acked_seq = CASE WHEN acked_seq > %s THEN acked_seq "
                "ELSE %s END, sent_rows = sent_rows + %s, last_sent_at = %s, "
                "last_contact_at = %s, down_since = NULL, error = '' WHERE id = 1"
                .replace("%s", store.db.param), (max(seqs), max(seqs), len(seqs), at, at))


def _chunks(items: list[int], size: int) -> list[list[int]]:
    return [items[i:i + size] for i in range(0, len(items), size)]
