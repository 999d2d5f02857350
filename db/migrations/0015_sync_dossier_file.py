"""A dossier's digitised documents (migration 0012) go up to the district with its other rows.

The district reports the share of dossiers digitised (Thông tư 01/2023/TT-VPCP) for every
office, so the centre needs each office's dossier_file rows: which documents, how many pages,
their SHA-256, who scanned them and when, and when they were purged. The PDFs themselves stay
in the office's documents folder (personal data kept where it was received; the centre holds
the record and the hash that proves which file it was). 0013 captures the tables it knew of;
this adds the same capture triggers to the table that came after it.
"""
from peewee import SqliteDatabase

TABLE = "dossier_file"


def up(migrator, db):
    # an office already syncing sends the documents it digitised before this migration too
    db.execute_sql(f"INSERT INTO sync_outbox (tbl, row_id) SELECT '{TABLE}', id FROM {TABLE} "
                   "WHERE (SELECT enabled FROM sync_state WHERE id = 1) ORDER BY id")
    if isinstance(db, SqliteDatabase):
        for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            db.execute_sql(
                f"CREATE TRIGGER sync_{TABLE}_{event.lower()} AFTER {event} ON {TABLE} "
                "WHEN (SELECT enabled FROM sync_state WHERE id = 1) BEGIN "
                f"INSERT INTO sync_outbox (tbl, row_id) VALUES ('{TABLE}', {row}.id); END")
    else:
        db.execute_sql(f"CREATE TRIGGER sync_capture AFTER INSERT OR UPDATE OR DELETE ON "
                       f"{TABLE} FOR EACH ROW EXECUTE FUNCTION sync_capture()")


def down(migrator, db):
    if isinstance(db, SqliteDatabase):
        for event in ("insert", "update", "delete"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS sync_{TABLE}_{event}")
    else:
        db.execute_sql(f"DROP TRIGGER IF EXISTS sync_capture ON {TABLE}")
