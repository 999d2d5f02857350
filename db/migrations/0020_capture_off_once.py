"""A PostgreSQL transaction that finds sync capture off decides it once, not at every row.

0016's capture trigger asks sync_state at every row it fires for, and when capture is off
takes the shared capture lock and asks again: three statements a row. A history import's
batch of 10,000 dossiers paid 130 ms for them on the server, about a ninth of the batch.

Once a transaction has taken that lock and still found capture off, capture stays off until
the transaction ends: turning it on takes the same lock exclusively, so it waits for this
transaction (0016). The trigger now notes that finding in a setting local to the transaction
(`set_config(..., true)`), which ends with it and is undone with a savepoint rolled back, and
returns at once on the transaction's next rows. Turning capture on clears the note
(services/sync/outbox.py), for the one case the lock does not cover: the same transaction
wrote with capture off and then turns it on.

SQLite: nothing to change (its insert triggers stand aside for an import's batch and the
batch is captured in one statement: db/bulk.py).
"""
from peewee import SqliteDatabase

CAPTURE_LOCK = 0x73796E63  # "sync" in ASCII; services/sync/outbox.py takes the same number
CAPTURE_OFF = "counter_tui.capture_off"  # services/sync/outbox.py clears the same setting

PG_CAPTURE = """
CREATE OR REPLACE FUNCTION sync_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('%(off)s', true) = 'on' THEN
        -- this transaction found capture off and holds the lock that keeps it off
        RETURN NULL;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM sync_state WHERE id = 1 AND enabled) THEN
        -- off, or being turned on right now: wait for that to commit, keep it from starting
        -- until this transaction ends, and look again (a new statement, a new snapshot)
        PERFORM pg_advisory_xact_lock_shared(%(lock)d);
        IF NOT EXISTS (SELECT 1 FROM sync_state WHERE id = 1 AND enabled) THEN
            PERFORM set_config('%(off)s', 'on', true);
            RETURN NULL;
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        INSERT INTO sync_outbox (tbl, row_id) VALUES (TG_TABLE_NAME, OLD.id);
    ELSE
        INSERT INTO sync_outbox (tbl, row_id) VALUES (TG_TABLE_NAME, NEW.id);
    END IF;
    RETURN NULL;
END
$$
""" % {"off": CAPTURE_OFF, "lock": CAPTURE_LOCK}

# 0016's function, restored by down()
PG_CAPTURE_0016 = """
CREATE OR REPLACE FUNCTION sync_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM sync_state WHERE id = 1 AND enabled) THEN
        PERFORM pg_advisory_xact_lock_shared(%d);
        IF NOT EXISTS (SELECT 1 FROM sync_state WHERE id = 1 AND enabled) THEN
            RETURN NULL;
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        INSERT INTO sync_outbox (tbl, row_id) VALUES (TG_TABLE_NAME, OLD.id);
    ELSE
        INSERT INTO sync_outbox (tbl, row_id) VALUES (TG_TABLE_NAME, NEW.id);
    END IF;
    RETURN NULL;
END
$$
""" % CAPTURE_LOCK


def up(migrator, db):
    if not isinstance(db, SqliteDatabase):
        db.execute_sql(PG_CAPTURE)


def down(migrator, db):
    if not isinstance(db, SqliteDatabase):
        db.execute_sql(PG_CAPTURE_0016)
