"""Worklists and their counts, each one range of an index in the order the list is shown
(services/worklists.py), on a store of a province's year.

0004's dossier_worklist (office_id, status, due_at, paused_at) finds the open dossiers, but its
trailing paused_at breaks the order "due date, then id" the overdue list is shown in, so every
overdue dossier of the office was sorted to show the first page; "ready" and "supplements" were
sorted whole the same way. Partial indexes, on the open statuses only (a finished dossier,
nine in ten of a year's store, is in none of them):

* dossier_ticking (office_id, status, due_at) for the dossiers whose clock runs (1, 2, 4, 6):
  overdue and due today, walked per status in due-date order, and counted from the index;
* dossier_supplement (office_id, supplement_deadline) for those waiting for supplements (5);
* dossier_ready (office_id, resolved_at) for results waiting to be returned (9);
* dossier_paused_late (office_id, due_at) for those waiting for supplements asked for after
  their due date, which stay overdue: few, and otherwise found among all of status 5.

The queries repeat each index's condition word for word (statuses as literals, not bound
values): SQLite uses a partial index only for a query whose WHERE contains its condition.
"""

from peewee import SqliteDatabase

# Each ends with the id, the lists' last sort key: SQLite's indexes end with the row id anyway,
# PostgreSQL's do not, and without it sorted every matching row to break ties.
INDEXES = {
    "dossier_ticking": "(office_id, status, due_at, id) WHERE status IN (1, 2, 4, 6)",
    "dossier_supplement": "(office_id, supplement_deadline, id) WHERE status = 5",
    "dossier_ready": "(office_id, resolved_at, id) WHERE status = 9",
    "dossier_paused_late": "(office_id, due_at, id) WHERE status = 5 AND paused_at > due_at",
}


def up(migrator, db):
    for name, definition in INDEXES.items():
        db.execute_sql(f"CREATE INDEX {name} ON dossier {definition}")
    if not isinstance(db, SqliteDatabase):  # SQLite picks a partial index by its condition
        db.execute_sql("ANALYZE dossier")


def down(migrator, db):
    for name in INDEXES:
        db.execute_sql(f"DROP INDEX IF EXISTS {name}")
