"""The supervisor's figures from a summary of the dossiers, kept by the database itself.

A six-month report read half a million dossiers one by one, and the board's month read a
month of them, to count how many fall in each (day received, field, procedure, officer,
channel, on-time class). A finished dossier's class never changes once it is resolved, and an
open one's is decided by its due day alone (except on the day the period is judged), so
those counts can be kept instead of recomputed:

* dossier_tally: how many dossiers share each (state, received_day, office_id, due_day,
  channel, field, procedure_code, officer). `state` is the final class of a finished dossier
  (0 early, 1 on time, 2 late: core.ontime.classify's rule, as services/reports/periodic.py's
  SQL writes it), 5 for an open dossier whose clock runs (statuses 1, 2, 4, 6), 6 for one
  waiting for supplements (5). `due_day` is an open running dossier's due date (9999-12-31
  without one, and for every other state); `channel` 0 walk-in (or any other), 1 post, 2
  online. Every dossier of status 1 to 10 is in exactly one row's `n`.

Kept by triggers, not by the services: rows also arrive through the history import, the
command line, a restore, and the district centre's sync applier, and every one of those paths
goes through the table, so the summary is right whichever of them wrote, in the same
transaction as the rows it counts.

* SQLite: row triggers on insert, delete and an update of any column the key is made of, each
  an upsert (SQLite has one writer at a time, so nothing waits on the summary's rows);
* PostgreSQL: statement triggers with transition tables, so an import's COPY or a sync batch
  of ten thousand rows makes one grouped upsert per key instead of ten thousand, in the keys'
  order (two writers touching the same keys take their row locks in one order, not crosswise).
  ENABLE ALWAYS: they fire under session_replication_role = replica too, which a replication
  or sync tool may set. TRUNCATE fires no row work: nothing in the application truncates
  dossier, and a restore (pg_restore) loads the summary's own rows beside the dossiers'.

The table is filled here from the existing dossiers. Indexes:

* dossier_ticking_due (due_at, open running dossiers only): the few that fall due on the day a
  period or the board is judged, which the summary cannot split by the hour;
* dossier_tally_due (state, office_id, due_day, n): the board's overdue count, summed from
  the index alone (a year's open dossiers are a few tens of thousands of counts, where the
  dossier index held one entry per dossier);
* ticket_board (day, state, then every column the board reads): the day's tickets read from
  the index alone instead of one table row each (eight thousand on a busy day).
"""
from peewee import (
    AutoField,
    CharField,
    DateField,
    IntegerField,
    Model,
    ModelIndex,
    SmallIntegerField,
    SqliteDatabase,
)

KEY = ("state", "received_day", "office_id", "due_day", "channel", "field", "procedure_code",
       "officer")
NO_DUE = "9999-12-31"


def key_sql(r, sqlite):
    """The summary key of the dossier row `r` (NEW, OLD, a table alias) as SQL expressions,
    in KEY's order; the state is NULL for a status outside 1..10 (not counted)."""
    day = (lambda c: f"substr({c}, 1, 10)") if sqlite else (lambda c: f"CAST({c} AS DATE)")
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


COLUMNS = ", ".join(KEY)
TALLY_DUE = "state, office_id, due_day, n"
TICKET_BOARD = ("day, state, group_letter, counter, officer, issued_at, called_at, serving_at, "
                "finished_at")
UPSERT = f"ON CONFLICT ({COLUMNS}) DO UPDATE SET n = dossier_tally.n + excluded.n"
UPDATED_COLUMNS = ("status", "received_at", "office_id", "due_at", "resolved_at", "channel",
                   "field", "procedure_code", "officer")


def _sqlite():
    new, old = key_sql("NEW", True), key_sql("OLD", True)
    add = (f"INSERT INTO dossier_tally ({COLUMNS}, n) VALUES ({', '.join(new)}, 1) "
           f"{UPSERT};")
    remove = ("UPDATE dossier_tally SET n = n - 1 WHERE "
              + " AND ".join(f"{c} = {e}" for c, e in zip(KEY, old)) + ";")
    changed = " OR ".join(f"({o}) IS NOT ({n})" for o, n in zip(old, new))
    return [
        f"CREATE TRIGGER dossier_tally_insert AFTER INSERT ON dossier "
        f"WHEN ({new[0]}) IS NOT NULL BEGIN {add} END",
        f"CREATE TRIGGER dossier_tally_delete AFTER DELETE ON dossier "
        f"WHEN ({old[0]}) IS NOT NULL BEGIN {remove} END",
        f"CREATE TRIGGER dossier_tally_update AFTER UPDATE OF {', '.join(UPDATED_COLUMNS)} "
        f"ON dossier WHEN {changed} BEGIN "
        f"{remove} "
        f"INSERT INTO dossier_tally ({COLUMNS}, n) SELECT {', '.join(new)}, 1 "
        f"WHERE ({new[0]}) IS NOT NULL {UPSERT}; END",
    ]


def _grouped(sources):
    """One upsert of the summed changes of `sources` ((alias, table, sign) ...), in key
    order, skipping keys whose changes cancel out."""
    parts = " UNION ALL ".join(
        f"SELECT {', '.join(f'{e} AS {c}' for c, e in zip(KEY, key_sql(alias, False)))}, "
        f"{sign} AS d FROM {table} {alias}" for alias, table, sign in sources)
    return (f"INSERT INTO dossier_tally ({COLUMNS}, n) SELECT {COLUMNS}, SUM(d) FROM ({parts}) "
            f"AS changes WHERE state IS NOT NULL GROUP BY {COLUMNS} HAVING SUM(d) <> 0 "
            f"ORDER BY {COLUMNS} {UPSERT}")


def _postgres():
    bodies = {
        "insert": _grouped([("r", "new_rows", 1)]),
        "delete": _grouped([("r", "old_rows", -1)]),
        "update": _grouped([("r", "new_rows", 1), ("o", "old_rows", -1)]),
    }
    tables = {"insert": "NEW TABLE AS new_rows", "delete": "OLD TABLE AS old_rows",
              "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}
    out = []
    for op, body in bodies.items():
        out += [
            f"CREATE FUNCTION dossier_tally_{op}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {body}; RETURN NULL; END $$",
            f"CREATE TRIGGER dossier_tally_{op} AFTER {op.upper()} ON dossier "
            f"REFERENCING {tables[op]} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION dossier_tally_{op}()",
            f"ALTER TABLE dossier ENABLE ALWAYS TRIGGER dossier_tally_{op}",
        ]
    return out


def up(migrator, db):
    class DossierTally(Model):
        id = AutoField()
        state = SmallIntegerField()
        received_day = DateField()
        office_id = IntegerField()
        due_day = DateField()
        channel = SmallIntegerField()
        field = CharField(max_length=100)
        procedure_code = CharField(max_length=40)
        officer = CharField(max_length=40)
        n = IntegerField(default=0)

        class Meta:
            database = db
            table_name = "dossier_tally"

    DossierTally.add_index(ModelIndex(DossierTally, KEY, name="dossier_tally_key", unique=True))
    db.create_tables([DossierTally])
    sqlite = isinstance(db, SqliteDatabase)
    keys = key_sql("d", sqlite)
    db.execute_sql(
        f"INSERT INTO dossier_tally ({COLUMNS}, n) SELECT {COLUMNS}, COUNT(*) FROM "
        f"(SELECT {', '.join(f'{e} AS {c}' for c, e in zip(KEY, keys))} FROM dossier d) "
        f"AS keyed WHERE state IS NOT NULL GROUP BY {COLUMNS}")
    for statement in _sqlite() if sqlite else _postgres():
        db.execute_sql(statement)
    db.execute_sql("CREATE INDEX dossier_ticking_due ON dossier (due_at) "
                   "WHERE status IN (1, 2, 4, 6)")
    db.execute_sql(f"CREATE INDEX dossier_tally_due ON dossier_tally ({TALLY_DUE})")
    db.execute_sql(f"CREATE INDEX ticket_board ON ticket ({TICKET_BOARD})")
    if not sqlite:
        db.execute_sql("ANALYZE dossier_tally")


def down(migrator, db):
    sqlite = isinstance(db, SqliteDatabase)
    for op in ("insert", "delete", "update"):
        db.execute_sql(f"DROP TRIGGER IF EXISTS dossier_tally_{op}"
                       + ("" if sqlite else " ON dossier"))
        if not sqlite:
            db.execute_sql(f"DROP FUNCTION IF EXISTS dossier_tally_{op}()")
    for index in ("dossier_ticking_due", "ticket_board"):
        db.execute_sql(f"DROP INDEX IF EXISTS {index}")
    db.execute_sql("DROP TABLE IF EXISTS dossier_tally")
