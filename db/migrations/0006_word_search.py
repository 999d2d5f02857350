"""Lookups by any word of the name, and by the end of a dossier code (issue 10, items 5 and 6).

The name index of 0002 found a name only by its beginning ("pham thi" but not "mai"). This
adds each engine's own word index over the folded name (see db/search.py for why these):

* SQLite: an external-content FTS5 table `dossier_name_search` over dossier.applicant_folded,
  filled from the existing rows ('rebuild'), and three triggers that keep it in step in the
  transaction of every insert, delete and change of a name. Only the words and ids are kept
  (detail=none: no positions, no sizes). Every prefix of up to 7 letters (the longest
  Vietnamese syllable, "nghiêng") is indexed too: a word still being typed is then one list
  read newest-first and cut after a page, where FTS5 would otherwise merge the lists of every
  word it begins ("nguyen*" over 400,000 dossiers: 240 ms without, under 1 ms with; the index
  grows from 9 to 14 MB a million names);
* PostgreSQL: a GIN index `dossier_name_search` on to_tsvector('simple', applicant_folded),
  built from the existing rows, then ANALYZE (after both new indexes), so the planner knows at
  once how common each word is and that a code's end is nearly unique.

The prefix index of 0002 (dossier_name_lookup) goes: nothing reads it now, and every intake
paid for keeping it.

`dossier_code_tail` indexes the code without its agency identifier ("-261201-0002"), so the
part of a code an officer reads out finds its dossiers in every office of the store. The
expression is the same on both engines (ltrim with the agency's characters).
"""
from peewee import SqliteDatabase

AGENCY_CHARS = ".0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

SQLITE = [
    "CREATE VIRTUAL TABLE dossier_name_search USING fts5(applicant_folded, "
    "content='dossier', content_rowid='id', tokenize='unicode61', "
    "prefix='1 2 3 4 5 6 7', detail='none', columnsize=0)",
    "CREATE TRIGGER dossier_name_search_insert AFTER INSERT ON dossier BEGIN "
    "INSERT INTO dossier_name_search (rowid, applicant_folded) "
    "VALUES (new.id, new.applicant_folded); END",
    "CREATE TRIGGER dossier_name_search_delete AFTER DELETE ON dossier BEGIN "
    "INSERT INTO dossier_name_search (dossier_name_search, rowid, applicant_folded) "
    "VALUES ('delete', old.id, old.applicant_folded); END",
    "CREATE TRIGGER dossier_name_search_update AFTER UPDATE OF applicant_folded ON dossier "
    "BEGIN "
    "INSERT INTO dossier_name_search (dossier_name_search, rowid, applicant_folded) "
    "VALUES ('delete', old.id, old.applicant_folded); "
    "INSERT INTO dossier_name_search (rowid, applicant_folded) "
    "VALUES (new.id, new.applicant_folded); END",
    "INSERT INTO dossier_name_search (dossier_name_search) VALUES ('rebuild')",
]

POSTGRES = [
    "CREATE INDEX dossier_name_search ON dossier "
    "USING gin (to_tsvector('simple', applicant_folded))",
    "ANALYZE dossier",
]


def up(migrator, db):
    db.execute_sql("DROP INDEX IF EXISTS dossier_name_lookup")
    # before PostgreSQL's ANALYZE: without statistics on its expression the planner guesses
    # thousands of rows per code and reads the whole table newest-first instead
    db.execute_sql(f"CREATE INDEX dossier_code_tail ON dossier (ltrim(code, '{AGENCY_CHARS}'))")
    for statement in SQLITE if isinstance(db, SqliteDatabase) else POSTGRES:
        db.execute_sql(statement)
