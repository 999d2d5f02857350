"""A PostgreSQL office's capture, turned on without losing the rows written meanwhile.

The first sync pass notes every row the store holds and turns capture on, in one transaction
(services/sync/outbox.py). With 0013's trigger, a terminal's transaction that wrote a row while
capture was still off, and committed after that pass, was seen by neither side: its trigger had
found capture off, and the pass's reading of the history could not see a row not yet committed.
That row never reached the centre (an audit entry missing there, or a ticket whose events then
waited for it for ever).

Now a trigger that finds capture off takes a shared lock (a transaction-level advisory lock,
number CAPTURE_LOCK) and looks again. Turning capture on takes the same lock exclusively first:
it waits for every transaction that wrote while capture was off to commit (their rows are then
in the history it notes), and a transaction writing meanwhile waits for it to commit and then
finds capture on (its rows are noted by its trigger). Once capture is on, a write takes no lock.
On SQLite the store's write lock already puts the two one after the other.
"""
from peewee import SqliteDatabase

CAPTURE_LOCK = 0x73796E63  # "sync" in ASCII; services/sync/outbox.py takes the same number

PG_CAPTURE = """
CREATE OR REPLACE FUNCTION sync_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM sync_state WHERE id = 1 AND enabled) THEN
        -- off, or being turned on right now: wait for that to commit, keep it from starting
        -- until this transaction ends, and look again (a new statement, a new snapshot)
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

PG_CAPTURE_0013 = """
CREATE OR REPLACE FUNCTION sync_capture() RETURNS trigger LANGUAGE plpgsql AS $$
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


def up(migrator, db):
    if not isinstance(db, SqliteDatabase):
        db.execute_sql(PG_CAPTURE)


def down(migrator, db):
    if not isinstance(db, SqliteDatabase):
        db.execute_sql(PG_CAPTURE_0013)
