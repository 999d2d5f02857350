"""Many dossiers added in one transaction (a history import's batch), with what the database
keeps beside each dossier filled once for the whole batch instead of row by row.

On SQLite three row triggers fire for every dossier inserted: the name search's (FTS5, migration
0006), the reports' summary's (dossier_tally, migration 0011) and sync's capture (0013, which
asks the sync state at every row). Fired ten thousand times in a batch, they cost three times
the inserts themselves; the same work done as one statement over the batch's new rows costs a
tenth of that. So, inside the batch's own transaction, those triggers stand aside, the rows
go in, each structure is filled from the new rows (their ids follow the largest before the
batch: the transaction holds the store's write lock), and the triggers are created again from
their own stored text. Nobody else ever sees them missing:
SQLite's schema changes are part of the transaction, and a failure rolls all of it back.

PostgreSQL needs none of this: its name search is an index the engine keeps, the summary's
triggers are statement triggers that already work a batch at a time, and sync's capture
trigger, when capture is off, decides so once per transaction (migration 0020).

`tally_key` is the summary's key as migration 0011 computes it (that migration keeps a frozen
copy; tests/services/test_report_tally.py checks the two agree and that an import leaves the
summary exactly as the dossiers make it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

TALLY_KEY = ("state", "received_day", "office_id", "due_day", "channel", "field",
             "procedure_code", "officer")
NO_DUE = "9999-12-31"


def tally_key(r: str, sqlite: bool) -> list[str]:
    """The summary key of the dossier row `r` (NEW, OLD, a table alias) as SQL expressions,
    in TALLY_KEY's order; the state is NULL for a status outside 1..10 (not counted)."""

    def day(c: str) -> str:
        return f"substr({c}, 1, 10)" if sqlite else f"CAST({c} AS DATE)"

    none = f"'{NO_DUE}'" if sqlite else f"DATE '{NO_DUE}'"
    state = (f"CASE WHEN {r}.status IN (9, 10) THEN CASE "
             f"WHEN {r}.resolved_at > {r}.due_at THEN 2 "
             f"WHEN {day(f'{r}.resolved_at')} < {day(f'{r}.due_at')} THEN 0 ELSE 1 END "
             f"WHEN {r}.status = 8 THEN CASE WHEN {r}.resolved_at > {r}.due_at THEN 2 ELSE 1 END "
             f"WHEN {r}.status IN (3, 7) THEN 1 "
             f"WHEN {r}.status IN (1, 2, 4, 6) THEN 5 "
             f"WHEN {r}.status = 5 THEN 6 END")
    due = (f"CASE WHEN {r}.status IN (1, 2, 4, 6) AND {r}.due_at IS NOT NULL "
           f"THEN {day(f'{r}.due_at')} ELSE {none} END")
    channel = f"CASE {r}.channel WHEN 'post' THEN 1 WHEN 'online' THEN 2 ELSE 0 END"
    return [state, day(f"{r}.received_at"), f"{r}.office_id", due, channel, f"{r}.field",
            f"{r}.procedure_code", f"{r}.officer"]


def _tally_fill() -> str:
    columns = ", ".join(TALLY_KEY)
    keyed = ", ".join(f"{e} AS {c}" for c, e in zip(TALLY_KEY, tally_key("d", True),
                                                      strict=True))
    return (f"INSERT INTO dossier_tally ({columns}, n) SELECT {columns}, COUNT(*) FROM "
            f"(SELECT {keyed} FROM dossier d WHERE d.id > ?) AS keyed "
            f"WHERE state IS NOT NULL GROUP BY {columns} "
            f"ON CONFLICT ({columns}) DO UPDATE SET n = dossier_tally.n + excluded.n")


# Each SQLite insert trigger that may stand aside, and the statement that does its work for
# every dossier whose id is above the one bound value.
SQLITE_FILLS = {
    "dossier_name_search_insert": "INSERT INTO dossier_name_search (rowid, applicant_folded) "
                                  "SELECT id, applicant_folded FROM dossier WHERE id > ?",
    "dossier_tally_insert": _tally_fill(),
    # sync's capture (migration 0013): the new dossiers in the outbox in id order, as the row
    # trigger would have put them, if this store syncs
    "sync_dossier_insert": "INSERT INTO sync_outbox (tbl, row_id) SELECT 'dossier', id FROM "
                           "dossier WHERE id > ? AND (SELECT enabled FROM sync_state "
                           "WHERE id = 1) ORDER BY id",
}


def sqlite_batch(cursor: Any, insert: Callable[[], int]) -> int:
    """Run `insert` (it adds dossiers through `cursor`, inside the caller's write transaction,
    and returns how many) with the insert triggers of SQLITE_FILLS standing aside; returns
    what `insert` returned."""
    marks = ", ".join("?" * len(SQLITE_FILLS))
    standing = cursor.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'dossier' "
        f"AND name IN ({marks})", list(SQLITE_FILLS)).fetchall()
    for name, _sql in standing:
        cursor.execute(f'DROP TRIGGER "{name}"')
    last = cursor.execute("SELECT COALESCE(MAX(id), 0) FROM dossier").fetchone()[0]
    added = insert()
    for name, sql in standing:
        cursor.execute(SQLITE_FILLS[name], (last,))
        cursor.execute(sql)
    return added


# A batch handed from the thread that checks the rows to the one that stores them. Binding
# rows to a statement is the interpreter's work: done by the writer, row after row, it takes
# the interpreter's lock turn about with the checking thread; read from JSON text by SQLite
# itself instead, every column of every row costs a parse of that row's text (half the
# writer's time for a dossier's 19 values). So the checking thread binds the rows into an
# in-memory database of one table, handed over as its image (`Connection.serialize`), and
# the writer attaches that image and inserts from it in one statement, with the
# interpreter's lock released the whole time.
STAGE = "import_stage"


class Staged:
    """A batch of rows as the image of an SQLite database holding one table, `rows`, with
    columns c0, c1, ... in the rows' order."""

    __slots__ = ("count", "image")

    def __init__(self, image: bytes, count: int) -> None:
        self.image, self.count = image, count

    def __len__(self) -> int:
        return self.count


def sqlite_stage(rows: list[tuple[Any, ...]], width: int) -> Staged:
    """`rows` (tuples of `width` values) as a Staged batch."""
    stage = sqlite3.connect(":memory:")
    try:
        stage.execute(f"CREATE TABLE rows ({stage_columns(width)})")
        stage.executemany(f"INSERT INTO rows VALUES ({', '.join('?' * width)})", rows)
        stage.commit()
        return Staged(stage.serialize(), len(rows))
    finally:
        stage.close()


def stage_columns(width: int) -> str:
    return ", ".join(f"c{i}" for i in range(width))


@contextmanager
def sqlite_staged(connection: sqlite3.Connection, staged: Staged) -> Iterator[str]:
    """The staged rows attached to `connection` (outside any transaction: SQLite attaches
    only there) as the table named by the value yielded; detached again at the end."""
    connection.execute(f"ATTACH ':memory:' AS {STAGE}")
    try:
        connection.deserialize(staged.image, name=STAGE)
        yield f"{STAGE}.rows"
    finally:
        connection.execute(f"DETACH {STAGE}")
