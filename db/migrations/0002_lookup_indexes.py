"""Dossier lookups by name, phone and ID number, newest first, from the index alone.

The single-column indexes of 0001 could find a name but not give its newest dossiers without a
sort; these pair each key with the receipt time descending. PostgreSQL indexes the folded name
with the "C" collation so a prefix search is a byte-wise range there too, as on SQLite.
"""
from peewee import SqliteDatabase


def up(migrator, db):
    collate = "" if isinstance(db, SqliteDatabase) else ' COLLATE "C"'
    for old in ("dossier_applicant_folded", "dossier_phone", "dossier_id_number"):
        db.execute_sql(f"DROP INDEX IF EXISTS {old}")
    db.execute_sql("CREATE INDEX dossier_name_lookup ON dossier "
                   f"(applicant_folded{collate}, received_at DESC)")
    db.execute_sql("CREATE INDEX dossier_phone_lookup ON dossier (phone, received_at DESC)")
    db.execute_sql("CREATE INDEX dossier_id_lookup ON dossier (id_number, received_at DESC)")
