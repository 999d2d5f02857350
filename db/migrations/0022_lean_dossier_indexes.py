"""Fewer index entries for every dossier written (issue 14: a history import of 100,000
dossiers spent two thirds of its storing time in the dossier table's nineteen indexes).

Every index is one more entry written for each dossier stored, by the counter's intake and by a
history import alike. The query plans of the whole test suite, read on a store of a million
dossiers, show which of them a query reads; the others go, and those that only ever find
dossiers with a value in a column skip the dossiers without one:

* dropped, no query reads them: `dossier_office_id` (every index led by the office serves
  what it did, the foreign key's check among them), `dossier_procedure_id` (procedures are
  retired, never deleted: no foreign key check ever looks), `dossier_status_due_at` (the open
  dossiers by due time are 0011's dossier_ticking_due), `dossier_returned_at` (the hand-overs
  of a day are counted per office, on `dossier_office_id_returned_at`);
* partial, the dossiers with a value only: the ticket a dossier came from (postal, online and
  imported dossiers have none; the foreign key's `SET NULL` looks up `ticket_id = ?`, which
  the partial index answers), phone and ID number (lookups carry `<> ''` word for word), an
  apology's new date;
* `dossier_worklist` holds the dossiers its count reads (open, and ready to hand over), by
  office and due time: the day's count of those due is one range of it, where it held every
  dossier ever finished and the count sought each status (and on PostgreSQL, which drops a
  condition the partial index already implies, read every open dossier of the office: 67 ms
  of the board at ten million dossiers);
* the summary's `dossier_tally_due` (0011) goes: the board's overdue count it served is read
  from dossier_backlog since 0021, and its last column, the count, moved within the index at
  every dossier the summary counted;
* on PostgreSQL, 0021's row trigger on the summary runs only for the open dossiers' rows it
  acts on (a WHEN of each operation's own), where its function was called for every row of
  the summary written, finished dossiers' too. SQLite's triggers have had their WHEN since
  0021.

A finished dossier with no ticket, phone, ID number or apology (a history import's, mostly) now
has 6 index entries where it had 15, and no entry in dossier_tally_due.
"""

from peewee import SqliteDatabase

DROPPED = ("dossier_office_id", "dossier_procedure_id", "dossier_status_due_at",
           "dossier_returned_at")
# name: (columns, the condition of the entries kept)
REMADE = {
    "dossier_ticket_id": ("ticket_id", "ticket_id IS NOT NULL"),
    "dossier_phone_lookup": ("phone, received_at DESC", "phone <> ''"),
    "dossier_id_lookup": ("id_number, received_at DESC", "id_number <> ''"),
    "dossier_office_id_apology_due_at": ("office_id, apology_due_at",
                                         "apology_due_at IS NOT NULL"),
    "dossier_worklist": ("office_id, due_at", "status IN (1, 2, 4, 5, 6, 9)"),
}
WORKLIST_BEFORE = "office_id, status, due_at, paused_at"
RESTORED = {
    "dossier_office_id": "office_id",
    "dossier_procedure_id": "procedure_id",
    "dossier_status_due_at": "status, due_at",
    "dossier_returned_at": "returned_at",
}
TALLY_DUE = "state, office_id, due_day, n"
OPEN_STATES = "(5, 6)"  # as 0021's
BACKLOG_WHEN = {
    "insert": ("INSERT", f"NEW.state IN {OPEN_STATES}"),
    "update": ("UPDATE OF n", f"NEW.state IN {OPEN_STATES} AND NEW.n <> OLD.n"),
    "delete": ("DELETE", f"OLD.state IN {OPEN_STATES}"),
}


def _backlog_trigger(db, name, event, when=""):
    db.execute_sql(f"CREATE TRIGGER {name} AFTER {event} ON dossier_tally FOR EACH ROW "
                   f"{when}EXECUTE FUNCTION dossier_backlog_change()")
    db.execute_sql(f"ALTER TABLE dossier_tally ENABLE ALWAYS TRIGGER {name}")


def up(migrator, db):
    for name in DROPPED:
        db.execute_sql(f"DROP INDEX IF EXISTS {name}")
    db.execute_sql("DROP INDEX IF EXISTS dossier_tally_due")
    for name, (columns, where) in REMADE.items():
        db.execute_sql(f"DROP INDEX IF EXISTS {name}")
        db.execute_sql(f"CREATE INDEX {name} ON dossier ({columns}) WHERE {where}")
    if not isinstance(db, SqliteDatabase):
        db.execute_sql("DROP TRIGGER IF EXISTS dossier_backlog_change ON dossier_tally")
        for op, (event, when) in BACKLOG_WHEN.items():
            _backlog_trigger(db, f"dossier_backlog_{op}", event, f"WHEN ({when}) ")


def down(migrator, db):
    if not isinstance(db, SqliteDatabase):
        for op in BACKLOG_WHEN:
            db.execute_sql(f"DROP TRIGGER IF EXISTS dossier_backlog_{op} ON dossier_tally")
        _backlog_trigger(db, "dossier_backlog_change", "INSERT OR UPDATE OF n OR DELETE")
    for name, (columns, _where) in REMADE.items():
        db.execute_sql(f"DROP INDEX IF EXISTS {name}")
        columns = WORKLIST_BEFORE if name == "dossier_worklist" else columns
        db.execute_sql(f"CREATE INDEX {name} ON dossier ({columns})")
    for name, columns in RESTORED.items():
        db.execute_sql(f"CREATE INDEX IF NOT EXISTS {name} ON dossier ({columns})")
    db.execute_sql(f"CREATE INDEX IF NOT EXISTS dossier_tally_due ON dossier_tally ({TALLY_DUE})")
