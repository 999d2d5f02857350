"""Finding dossiers by any word of the applicant's name, on each engine's own text index.

A name is looked up by the words an officer remembers, in any order and position ("mai",
"van an", "pham thi mai" all find "Phạm Thị Mai"), on a million dossiers without reading them
all. A B-tree can only find a name by its beginning; each engine has a word index of its own:

* SQLite: an FTS5 table over the folded name (`dossier.applicant_folded`: no diacritics, đ→d,
  lower case). It is an external-content table: it holds the words and the dossier ids, not a
  second copy of the names, and every beginning of a word up to 7 letters, so a word still
  being typed is one list of ids too. Triggers keep it in step in the same transaction as
  every insert, update and delete of a dossier, whatever writes it (intake, an import, a
  script).
* PostgreSQL: a GIN index over `to_tsvector('simple', applicant_folded)`, kept by the engine
  itself. The `simple` configuration only splits and lower-cases (no stemming, no stop words):
  right for names, and built in, so no extension (pg_trgm) and no rights beyond the schema's.
  Full-text words also give the same meaning as on SQLite: a word matches from its start, where
  trigrams would match anywhere inside a word ("an" inside "thanh").

Both are made by migration 0006 (which keeps frozen copies of these statements); the models do
not describe them, so the schema test learns of them here.

The query is the folded text's words, all required: every word but the last must be a whole
word of the name, the last may be the beginning of one (the officer may still be typing it).
"""

from __future__ import annotations

import re
from typing import Any

from peewee import SQL, Database, SqliteDatabase, fn

NAME_SEARCH = "dossier_name_search"
# FTS5 keeps its index in shadow tables beside the virtual table (external content, no sizes:
# no _content and no _docsize table)
_FTS5_SHADOWS = ("data", "idx", "config")
# the characters of an agency identifier (core.codes): stripping them from the left of a
# dossier code leaves "-YYMMDD-NNNN", the part an officer reads out or types from the receipt
AGENCY_CHARS = ".0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CODE_TAIL = "dossier_code_tail"
_WORD = re.compile(r"[^\W_]+")


def code_tail(code: Any) -> Any:
    """The indexed expression (migration 0006): the code without its agency identifier. The
    characters are a literal, not a parameter, so SQLite sees the index's own expression."""
    return fn.ltrim(code, SQL(f"'{AGENCY_CHARS}'"))


def words(folded: str) -> list[str]:
    """The words of a folded text, split as both engines' tokenizers split them."""
    return _WORD.findall(folded)


def fts5_query(terms: list[str]) -> str:
    """`"pham" AND "mai"*`: every word, the last as a prefix (FTS5 query syntax)."""
    return " AND ".join(f'"{w}"' + ("*" if i == len(terms) - 1 else "")
                        for i, w in enumerate(terms))


def tsquery(terms: list[str]) -> str:
    """`'pham' & 'mai':*`: the same query for PostgreSQL's to_tsquery."""
    return " & ".join(f"'{w}'" + (":*" if i == len(terms) - 1 else "")
                      for i, w in enumerate(terms))


def own_tables(db: Database) -> set[str]:
    """The tables the name search adds to a store beside the models' (none on PostgreSQL)."""
    if isinstance(db, SqliteDatabase):
        return {NAME_SEARCH} | {f"{NAME_SEARCH}_{s}" for s in _FTS5_SHADOWS}
    return set()


def own_indexes(db: Database) -> set[str]:
    """The indexes on `dossier` the name search adds beside the models' (none on SQLite)."""
    return set() if isinstance(db, SqliteDatabase) else {NAME_SEARCH}
