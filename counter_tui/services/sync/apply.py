"""Applying an office's changes on the centre: one batch, one transaction, idempotent.

Each change carries the office's sequence number of the row's newest change. The centre keeps,
per office row, the number it applied last (sync_map): a change whose number is not newer is
skipped, so a batch applied twice (the acknowledgement lost on the way back) or a stale copy
arriving after a fresh one changes nothing. A batch takes a lock per office, so two senders
of one office (a `sync now` beside `sync run`) take turns.

A row whose foreign key names an office row the centre does not have yet (on a PostgreSQL
office, its parent's transaction may still be invisible to the sender) ends the batch there:
what was applied before it is acknowledged, the rest comes again on the next pass.

Conflicts: the office owns its rows. A row changed at the centre since the office last sent it
(its hash differs from the one applied) is kept in sync_conflict, as the centre had it, before
the office's version replaces it: the rule is deterministic (the office wins) and nothing is
lost without a trace.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from peewee import PostgresqlDatabase

from counter_tui.core.records import frozen
from counter_tui.services.sync.outbox import Change
from counter_tui.services.sync.tables import AUDIT_COLUMNS, BY_TABLE, SYNCED, canon, row_hash


@frozen
class Applied:
    count: int  # changes applied (or found applied already)
    blocked: str = ""  # "table#id" of the change that waits for the row it refers to
    seqs: tuple[int, ...] = ()  # every sequence number they stand for: to acknowledge


@dataclass
class _Mapped:
    centre_id: int | None
    seq: int
    hash: str


def _columns(db: PostgresqlDatabase, cache: dict[str, set[str]], table: str) -> set[str]:
    if table not in cache:
        cursor = db.execute_sql("SELECT column_name FROM information_schema.columns "
                                "WHERE table_schema = current_schema() AND table_name = %s",
                                (table,))
        cache[table] = {r[0] for r in cursor.fetchall()}
    return cache[table]


def _load_maps(db: PostgresqlDatabase, office: str,
               keys: set[tuple[str, int]]) -> dict[tuple[str, int], _Mapped]:
    found: dict[tuple[str, int], _Mapped] = {}
    by_table: dict[str, list[int]] = {}
    for table, local in keys:
        by_table.setdefault(table, []).append(local)
    for table, ids in by_table.items():
        cursor = db.execute_sql("SELECT local_id, centre_id, seq, hash FROM sync_map WHERE "
                                "office = %s AND tbl = %s AND local_id = ANY(%s)",
                                (office, table, ids))
        for local, centre_id, seq, hashed in cursor.fetchall():
            found[(table, int(local))] = _Mapped(centre_id, int(seq), hashed)
    return found


ORDER = {spec.table: n for n, spec in enumerate(SYNCED)}


def apply(db: PostgresqlDatabase, office: str, changes: list[Change], now: dt.datetime,
          column_cache: dict[str, set[str]] | None = None) -> Applied:
    """Apply `changes` of `office` in one transaction on the centre `db`.

    Each change carries its row as it is now, so a batch may be applied table by table in the
    order of SYNCED (what a row refers to first), whatever order the changes came in: new rows
    of one table then go in with one statement per page instead of one per row, which is most
    of the time a week of catching up takes."""
    cache = column_cache if column_cache is not None else {}
    ordered = sorted(changes, key=lambda c: (ORDER.get(c.table, len(ORDER)), c.seq))
    with db.atomic():
        db.execute_sql("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"sync:{office}",))
        keys = {(c.table, c.local_id) for c in ordered}
        for c in ordered:
            spec = BY_TABLE.get(c.table)
            if spec is not None and c.row is not None:
                keys |= {(target, int(c.row[col])) for col, target in spec.refs.items()
                         if c.row.get(col) is not None}
        maps = _load_maps(db, office, keys)
        current = _current_rows(db, ordered, maps, cache)
        procedures: dict[str, int | None] = {}
        dirty: dict[tuple[str, int], _Mapped] = {}
        applied: list[Change] = []
        pending: list[tuple[Change, dict[str, Any], str]] = []  # new rows of one table
        blocked = ""

        def flush() -> None:
            if not pending:
                return
            ids = _insert_many(db, pending[0][0].table, [values for _, values, _ in pending])
            for (change, _, hashed), centre_id in zip(pending, ids, strict=True):
                key = (change.table, change.local_id)
                maps[key] = dirty[key] = _Mapped(centre_id, change.seq, hashed)
                applied.append(change)
            pending.clear()

        for change in ordered:
            if pending and pending[0][0].table != change.table:
                flush()
            key = (change.table, change.local_id)
            known = maps.get(key)
            if known is not None and known.seq >= change.seq:
                applied.append(change)
                continue
            if change.table == "audit_log":
                _put_audit(db, office, change)
                maps[key] = dirty[key] = _Mapped(None, change.seq, "")
                applied.append(change)
                continue
            if change.row is None:
                if known is not None and known.centre_id is not None:
                    db.execute_sql(f"DELETE FROM {change.table} WHERE id = %s",
                                   (known.centre_id,))
                maps[key] = dirty[key] = _Mapped(None, change.seq, "")
                applied.append(change)
                continue
            values = _values(db, office, change, maps, procedures, cache)
            if values is None:
                blocked = f"{change.table}#{change.local_id}"
                break
            hashed = row_hash(values)
            centre_id = known.centre_id if known is not None else None
            if centre_id is not None:
                before = current.get((change.table, centre_id))
                if before is not None and known is not None and known.hash and \
                        row_hash({k: before.get(k) for k in values}) != known.hash:
                    _conflict(db, office, change, before, now)
                if not _update(db, change.table, centre_id, values):
                    centre_id = None  # deleted at the centre: the office's row comes back
            if centre_id is None and BY_TABLE[change.table].natural is None:
                pending.append((change, values, hashed))
                continue
            if centre_id is None:
                centre_id = _adopt_or_insert(db, change.table, values)
            maps[key] = dirty[key] = _Mapped(centre_id, change.seq, hashed)
            applied.append(change)
        flush()
        _save_maps(db, office, dirty)
        if applied:
            db.execute_sql(
                "INSERT INTO sync_peer (office, acked_seq, rows, last_at) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (office) DO UPDATE SET acked_seq = GREATEST(sync_peer.acked_seq, "
                "EXCLUDED.acked_seq), rows = sync_peer.rows + EXCLUDED.rows, "
                "last_at = EXCLUDED.last_at",
                (office, max(c.seq for c in applied), len(applied), now))
    return Applied(len(applied), blocked, tuple(s for c in applied for s in c.seqs))


def _insert_many(db: PostgresqlDatabase, table: str, rows: list[dict[str, Any]]) -> list[int]:
    """New rows of one table, their centre ids in the order given (PostgreSQL returns an
    INSERT ... VALUES' rows in the order of its VALUES, which Django's bulk_create relies on
    too)."""
    from psycopg2.extras import execute_values

    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    cursor = db.cursor()
    out = execute_values(cursor, f"INSERT INTO {table} ({names}) VALUES %s RETURNING id",
                         [[r[c] for c in columns] for r in rows], page_size=len(rows),
                         fetch=True)
    return [int(r[0]) for r in out]


def _values(db: PostgresqlDatabase, office: str, change: Change,
            maps: dict[tuple[str, int], _Mapped], procedures: dict[str, int | None],
            cache: dict[str, set[str]]) -> dict[str, Any] | None:
    """The row as the centre stores it (its keys remapped), None when a row it refers to is
    not on the centre yet."""
    spec = BY_TABLE[change.table]
    assert change.row is not None
    known = _columns(db, cache, change.table)
    values = {k: v for k, v in change.row.items() if k in known and k != "id"}
    for column, target in spec.refs.items():
        local = values.get(column)
        if local is None:
            continue
        mapped = maps.get((target, int(local)))
        if mapped is None:
            return None
        values[column] = mapped.centre_id  # None: the row it named is gone there too
    if change.table == "ticket":
        values["origin"] = office
    if change.table == "dossier":
        code = str(values.get("procedure_code") or "")
        if code not in procedures:
            row = db.execute_sql("SELECT id FROM procedure WHERE code = %s", (code,)).fetchone()
            procedures[code] = int(row[0]) if row else None
        values["procedure_id"] = procedures[code]
    return values


def _update(db: PostgresqlDatabase, table: str, centre_id: int, values: dict[str, Any]) -> bool:
    columns = list(values)
    sets = ", ".join(f'"{c}" = %s' for c in columns)
    cursor = db.execute_sql(f"UPDATE {table} SET {sets} WHERE id = %s",
                            (*[values[c] for c in columns], centre_id))
    return bool(cursor.rowcount)


def _adopt_or_insert(db: PostgresqlDatabase, table: str, values: dict[str, Any]) -> int:
    natural = BY_TABLE[table].natural
    if natural is not None:
        row = db.execute_sql(f"SELECT id FROM {table} WHERE {natural} = %s",
                             (values[natural],)).fetchone()
        if row is not None:
            _update(db, table, int(row[0]), values)
            return int(row[0])
    columns = list(values)
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    cursor = db.execute_sql(f"INSERT INTO {table} ({names}) VALUES ({marks}) "
                            "RETURNING id", [values[c] for c in columns])
    return int(cursor.fetchone()[0])


def _put_audit(db: PostgresqlDatabase, office: str, change: Change) -> None:
    if change.row is None:  # an office's audit entries are never deleted; a deletion would
        return  # break its chain, which `sync verify` then shows on the office's side
    row = change.row
    names = ", ".join(AUDIT_COLUMNS)
    marks = ", ".join(["%s"] * (len(AUDIT_COLUMNS) + 2))
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in AUDIT_COLUMNS)
    db.execute_sql(f"INSERT INTO sync_audit (office, local_id, {names}) VALUES ({marks}) "
                   f"ON CONFLICT (office, local_id) DO UPDATE SET {updates}",
                   (office, change.local_id, *[row[c] for c in AUDIT_COLUMNS]))


def _current_rows(db: PostgresqlDatabase, changes: list[Change],
                  maps: dict[tuple[str, int], _Mapped], cache: dict[str, set[str]]
                  ) -> dict[tuple[str, int], dict[str, Any]]:
    """The centre's rows the batch is about to overwrite, to tell whether the centre changed
    them since (sync_conflict)."""
    wanted: dict[str, list[int]] = {}
    for c in changes:
        mapped = maps.get((c.table, c.local_id))
        if c.table != "audit_log" and c.row is not None and mapped is not None \
                and mapped.centre_id is not None and mapped.seq < c.seq and mapped.hash:
            wanted.setdefault(c.table, []).append(mapped.centre_id)
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for table, ids in wanted.items():
        cursor = db.execute_sql(f"SELECT * FROM {table} WHERE id = ANY(%s)",
                                (ids,))
        names = [d[0] for d in cursor.description]
        for record in cursor.fetchall():
            row = dict(zip(names, record, strict=True))
            rows[(table, int(row["id"]))] = row
    return rows


def _conflict(db: PostgresqlDatabase, office: str, change: Change, before: dict[str, Any],
              now: dt.datetime) -> None:
    db.execute_sql("INSERT INTO sync_conflict (office, tbl, local_id, at, centre_row) "
                   "VALUES (%s, %s, %s, %s, %s)",
                   (office, change.table, change.local_id, now,
                    json.dumps({k: canon(v) for k, v in before.items()}, ensure_ascii=False,
                               default=str)))


def _save_maps(db: PostgresqlDatabase, office: str, dirty: dict[tuple[str, int], _Mapped]
               ) -> None:
    if not dirty:
        return
    from psycopg2.extras import execute_values

    rows = [(office, table, local, m.centre_id, m.seq, m.hash)
            for (table, local), m in dirty.items()]
    cursor = db.cursor()
    execute_values(cursor, "INSERT INTO sync_map (office, tbl, local_id, centre_id, seq, hash) "
                   "VALUES %s ON CONFLICT (office, tbl, local_id) DO UPDATE SET "
                   "centre_id = EXCLUDED.centre_id, seq = EXCLUDED.seq, hash = EXCLUDED.hash",
                   rows, page_size=1000)
