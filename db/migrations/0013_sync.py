"""Offices that sync to the district's store (issue 15): the outbox, filled by the database
itself, and the centre's tables that receive it.

An office (SQLite or PostgreSQL):

- sync_outbox: one entry (table, row id) per row inserted, updated or deleted in a synced table,
  written by a trigger in the same transaction as the change, so no code path (services,
  imports, a restore's replay, features still to come) can forget it. `seq` only grows (SQLite
  AUTOINCREMENT: never reused, even once every entry was acknowledged and deleted; PostgreSQL a
  bigserial). `tx` is the writing transaction's id on PostgreSQL, where two transactions can
  commit in the other order than they took their numbers: the sender reads only the entries
  of transactions older than every one still running. An entry says which row changed, not
  what it holds: the sender reads the row as it is when it sends (services/sync/push.py);
- sync_state: one row: whether capture is on (the triggers write nothing until `sync` is first
  run, so an office that never syncs keeps no outbox), what the centre acknowledged last, and
  what the screens show (last sent, link down since, the last error);
- sync_pulled: what came down from the centre last (procedures, accounts), by key and hash, so a
  row the office changed since is overwritten only when the centre changes it again.

The centre (the district's PostgreSQL, a counter-tui store like any other):

- sync_map: which row of the centre is office O's row `local_id` of a table, and the sequence
  number of the last change applied to it: applying a change again, or an older one after a
  newer, changes nothing. Every office numbers its rows from 1, so the centre gives them its
  own ids and remaps foreign keys through this table (dossier codes and office codes, unique by
  construction, are adopted when the centre already holds them);
- sync_peer: per office, the last sequence applied and when;
- sync_audit: each office's audit log as it keeps it (its own chain of hashes, per office), so
  the centre can verify each office's chain; the centre's own audit_log stays its own chain;
- sync_conflict: a row of an office changed at the centre too, kept before the office's version
  replaced it (the office owns its rows; README, "Conflicts").

ticket.origin: the office a ticket came from on the centre ("" in an office's own store):
ticket numbers restart every day in every office, so the centre's unique key is the office, day,
series and number.

The triggers are this migration's: a migration that adds a synced table adds its triggers.
"""
from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    CompositeKey,
    DateTimeField,
    IntegerField,
    Model,
    SqliteDatabase,
    TextField,
)

SYNCED = ("office", "ticket", "dossier", "dossier_document", "dossier_event", "ticket_event",
          "print_job", "audit_log")

PG_CAPTURE = """
CREATE FUNCTION sync_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM sync_state WHERE id = 1 AND enabled) THEN
        IF TG_OP = 'DELETE' THEN
            INSERT INTO sync_outbox (tbl, row_id) VALUES (TG_TABLE_NAME, OLD.id);
        ELSE
            INSERT INTO sync_outbox (tbl, row_id) VALUES (TG_TABLE_NAME, NEW.id);
        END IF;
    END IF;
    RETURN NULL;
END
$$
"""


def _tables(db):
    class SyncState(Model):
        id = IntegerField(primary_key=True)
        enabled = BooleanField(default=False)
        office = CharField(max_length=40, default="")
        acked_seq = BigIntegerField(default=0)
        sent_rows = BigIntegerField(default=0)
        last_sent_at = DateTimeField(null=True)
        last_contact_at = DateTimeField(null=True)
        down_since = DateTimeField(null=True)
        error = CharField(max_length=300, default="")

        class Meta:
            database = db
            table_name = "sync_state"

    class SyncPulled(Model):
        tbl = CharField(max_length=30)
        key = CharField(max_length=60)
        hash = CharField(max_length=64)

        class Meta:
            database = db
            table_name = "sync_pulled"
            primary_key = CompositeKey("tbl", "key")

    class SyncMap(Model):
        office = CharField(max_length=40)
        tbl = CharField(max_length=30)
        local_id = BigIntegerField()
        centre_id = BigIntegerField(null=True)
        seq = BigIntegerField()
        hash = CharField(max_length=64, default="")

        class Meta:
            database = db
            table_name = "sync_map"
            primary_key = CompositeKey("office", "tbl", "local_id")
            indexes = ((("office", "tbl", "centre_id"), False),)

    class SyncPeer(Model):
        office = CharField(max_length=40, primary_key=True)
        acked_seq = BigIntegerField(default=0)
        rows = BigIntegerField(default=0)
        last_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "sync_peer"

    class SyncAudit(Model):
        office = CharField(max_length=40)
        local_id = BigIntegerField()
        seq = IntegerField()
        at = DateTimeField()
        officer = CharField(max_length=40)
        counter = IntegerField(null=True)
        action = CharField(max_length=30)
        subject = CharField(max_length=200)
        dossiers = TextField(default="")
        prev_hash = CharField(max_length=64)
        hash = CharField(max_length=64)

        class Meta:
            database = db
            table_name = "sync_audit"
            primary_key = CompositeKey("office", "local_id")
            indexes = ((("office", "seq"), False),)

    class SyncConflict(Model):
        office = CharField(max_length=40)
        tbl = CharField(max_length=30)
        local_id = BigIntegerField()
        at = DateTimeField()
        centre_row = TextField()

        class Meta:
            database = db
            table_name = "sync_conflict"

    return [SyncState, SyncPulled, SyncMap, SyncPeer, SyncAudit, SyncConflict]


def up(migrator, db):
    sqlite = isinstance(db, SqliteDatabase)
    if sqlite:
        db.execute_sql("CREATE TABLE sync_outbox (seq INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,"
                       " tbl VARCHAR(30) NOT NULL, row_id INTEGER NOT NULL,"
                       " tx INTEGER NOT NULL DEFAULT 0)")
    else:
        db.execute_sql("CREATE TABLE sync_outbox (seq BIGSERIAL NOT NULL PRIMARY KEY,"
                       " tbl VARCHAR(30) NOT NULL, row_id BIGINT NOT NULL,"
                       " tx BIGINT NOT NULL DEFAULT txid_current())")
    tables = _tables(db)
    db.create_tables(tables)
    db.execute_sql("INSERT INTO sync_state (id, enabled, office, acked_seq, sent_rows, error) "
                   "VALUES (1, %s, '', 0, 0, '')".replace("%s", "0" if sqlite else "false"))
    migrator.migrate(
        migrator.add_column("ticket", "origin", CharField(max_length=40, default="")),
        migrator.drop_index("ticket", "ticket_day_series_number"),
        migrator.add_index("ticket", ("origin", "day", "series", "number"), True),
    )
    if sqlite:
        for table in SYNCED:
            for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
                db.execute_sql(
                    f"CREATE TRIGGER sync_{table}_{event.lower()} AFTER {event} ON {table} "
                    "WHEN (SELECT enabled FROM sync_state WHERE id = 1) BEGIN "
                    f"INSERT INTO sync_outbox (tbl, row_id) VALUES ('{table}', {row}.id); END")
    else:
        db.execute_sql(PG_CAPTURE)
        for table in SYNCED:
            db.execute_sql(f"CREATE TRIGGER sync_capture AFTER INSERT OR UPDATE OR DELETE ON "
                           f"{table} FOR EACH ROW EXECUTE FUNCTION sync_capture()")


def down(migrator, db):
    sqlite = isinstance(db, SqliteDatabase)
    for table in SYNCED:
        if sqlite:
            for event in ("insert", "update", "delete"):
                db.execute_sql(f"DROP TRIGGER IF EXISTS sync_{table}_{event}")
        else:
            db.execute_sql(f"DROP TRIGGER IF EXISTS sync_capture ON {table}")
    if not sqlite:
        db.execute_sql("DROP FUNCTION IF EXISTS sync_capture()")
    migrator.migrate(
        migrator.drop_index("ticket", "ticket_origin_day_series_number"),
        migrator.drop_column("ticket", "origin"),
        migrator.add_index("ticket", ("day", "series", "number"), True),
    )
    db.drop_tables(_tables(db))
    db.execute_sql("DROP TABLE sync_outbox")
