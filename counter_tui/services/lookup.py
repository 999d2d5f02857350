"""Finding a dossier: by code (what a barcode scanner types) or part of one, phone, ID number
or any words of the name.

Each kind of query reads one index, in the order results are shown, so a page costs about the
same on a million dossiers as on a hundred:

* a whole code is unique;
* part of a code, the day and number after the agency ("261201-0002", or "261201-2" as it is
  read out), is indexed without its agency (db/search.py: `code_tail`), so it finds that
  dossier in every office of the store; a longer part ("H56-261201-0002") narrows that down;
* phone and ID number are indexed with the receipt time descending (newest first);
* a name is matched word by word, in any order and position, diacritics ignored ("mai",
  "van an", "nguyen van a" find "Nguyễn Văn An" and "Phạm Văn An" ...), through each engine's
  own text index (db/search.py), newest dossier first (the order they were stored in: the
  receipt order for everything taken at the counter). SQLite's FTS5 index keeps each word's
  dossiers in that order; PostgreSQL's GIN index does not, so there a page is looked for
  among the newest dossiers first (see RECENT).

A text that could be both part of a code and a phone number typed with a dash
("091201-5678") is tried as a code first, then as a phone.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from peewee import SQL, ModelSelect, NodeList, SqliteDatabase, fn

from counter_tui.core.codes import looks_like_dossier_code, parse_dossier_code
from counter_tui.core.roles import Action
from counter_tui.core.text import clean, digits, fold
from counter_tui.core.views import FindResult
from counter_tui.db import search
from counter_tui.db.models import ID_NUMBER_GIVEN, PHONE_GIVEN, Dossier
from counter_tui.services import audit, dossiers
from counter_tui.services.authority import gated
from counter_tui.services.store import Store

PAGE_SIZE = 20
_PHONEISH = re.compile(r"^\+?[\d\s.\-()]{8,}$")
# The part of a code after the agency: -YYMMDD-N, the number with or without its zeros; before
# it, optionally the end of the agency identifier ("H56-", "22.H56-", "-").
_CODE_PART = re.compile(r"(?:(?P<agency>[A-Z0-9.]*)-)?(?P<day>[0-9]{6})-(?P<seq>[0-9]{1,6})")
_SPACES = re.compile(r"\s+")


def code_part(text: str) -> str | None:
    """The end of a dossier code in `text`, as stored ("H56-261201-0002", "-261201-0002"), or
    None. The date must exist and the number be 1 or more: `format_dossier_code` makes no other."""
    match = _CODE_PART.fullmatch(_SPACES.sub("", clean(text)).upper())
    if match is None:
        return None
    raw_day, seq = match["day"], int(match["seq"])
    try:
        date(2000 + int(raw_day[:2]), int(raw_day[2:4]), int(raw_day[4:]))
    except ValueError:
        return None
    if seq < 1:
        return None
    return f"{match['agency'] or ''}-{raw_day}-{seq:04d}"


def classify(text: str) -> tuple[str, str]:
    """What a typed text is taken for, and the normalised key: code, code_part (its end), id,
    phone or name."""
    typed = clean(text)
    if looks_like_dossier_code(typed):
        parsed = parse_dossier_code(typed)
        return "code", str(parsed) if parsed else typed
    part = code_part(typed)
    if part is not None:
        return "code_part", part
    if _PHONEISH.match(typed):
        return _phone_or_id(typed)
    return "name", fold(typed)


def _phone_or_id(typed: str) -> tuple[str, str]:
    number = digits(typed)
    if typed.startswith("+"):
        return "phone", "0" + number.removeprefix("84").removeprefix("0")
    return ("id" if len(number) in (9, 12) else "phone"), number


_COLUMNS = (Dossier.id, Dossier.code, Dossier.applicant_name, Dossier.phone,
            Dossier.procedure_name, Dossier.channel, Dossier.status, Dossier.received_at,
            Dossier.due_at)


def _query(store: Store, kind: str, key: str, offset: int, limit: int) -> ModelSelect[Dossier]:
    query = Dossier.select(*_COLUMNS)
    if kind == "code":
        query = query.where(Dossier.code == key)
    elif kind == "code_part":
        day, seq = key.rsplit("-", 2)[1:]
        query = query.where(search.code_tail(Dossier.code) == f"-{day}-{seq}")
        if not key.startswith("-"):  # the end of the agency was typed too
            query = query.where(Dossier.code.endswith(key))
    elif kind == "phone":  # the index holds the dossiers with one: its condition, word for word
        query = query.where(Dossier.phone == key, SQL(PHONE_GIVEN))
    elif kind == "id":
        query = query.where(Dossier.id_number == key, SQL(ID_NUMBER_GIVEN))
    else:
        return _by_name(store, query, search.words(key), offset, limit)
    return query.order_by(Dossier.received_at.desc()).offset(offset).limit(limit)


def _by_name(store: Store, query: ModelSelect[Dossier], terms: list[str], offset: int,
             limit: int) -> ModelSelect[Dossier]:
    if isinstance(store.db, SqliteDatabase):
        # the page is taken inside the FTS5 index, which walks its ids newest first and stops
        ids = SQL(f"(SELECT rowid FROM {search.NAME_SEARCH} WHERE {search.NAME_SEARCH} "
                  "MATCH ? ORDER BY rowid DESC LIMIT ? OFFSET ?)",
                  [search.fts5_query(terms), limit, offset])
        return query.where(Dossier.id.in_(ids)).order_by(Dossier.id.desc())
    return query.where(_words_match(terms)).order_by(Dossier.id.desc()).offset(offset).limit(
        limit)


def _words_match(terms: list[str]) -> Any:
    """PostgreSQL: the GIN index's own expression, matched against the words."""
    words = fn.to_tsvector(SQL("'simple'"), Dossier.applicant_folded)
    return NodeList((words, SQL("@@"), fn.to_tsquery(SQL("'simple'"), search.tsquery(terms))))


# PostgreSQL's GIN index gives its matches in no order, so a page of the newest is a sort of
# all of them: cheap for a rare name, not for "nguyen" (four dossiers in ten), whose newest are
# found sooner by reading the newest dossiers. The planner chooses between the two by an
# estimate that takes the words as independent: for a name no one has ("nguyen le", two
# surnames) it expects thousands of matches and reads the whole table newest first, 10 s on a
# million dossiers. So the choice is made by looking: the newest RECENT dossiers first; when
# they hold the page, that is the answer; when not, the name is rare (fewer than one dossier in
# RECENT / page), its matches are few, and the GIN index is read. RECENT is about
# sqrt(page x dossiers) for a province's year, where the two ways cost the same.
RECENT = 4000


def _recent_matches(terms: list[str], count: int) -> ModelSelect[Dossier]:
    """PostgreSQL: the ids of the first `count` matches among the newest RECENT dossiers."""
    recent = (Dossier.select(Dossier.id, Dossier.applicant_folded)
              .order_by(Dossier.id.desc()).limit(RECENT).alias("recent"))
    return (Dossier.select(recent.c.id).from_(recent)
            .where(NodeList((fn.to_tsvector(SQL("'simple'"), recent.c.applicant_folded),
                             SQL("@@"), fn.to_tsquery(SQL("'simple'"), search.tsquery(terms)))))
            .order_by(recent.c.id.desc()).limit(count))


def only_the_gin_index(store: Store) -> None:
    """For the rest of this transaction, PostgreSQL reads a name's matches off the GIN index
    (bitmap scans only), whatever it guesses of their number."""
    store.db.execute_sql("SET LOCAL enable_indexscan = off")
    store.db.execute_sql("SET LOCAL enable_seqscan = off")


def _by_name_postgres(store: Store, terms: list[str], offset: int,
                      limit: int) -> list[Dossier]:
    ids = [row.id for row in _recent_matches(terms, offset + limit)]
    if len(ids) == offset + limit:
        return list(Dossier.select(*_COLUMNS).where(Dossier.id.in_(ids[offset:]))
                    .order_by(Dossier.id.desc()))
    only_the_gin_index(store)  # a rare name
    return list(_by_name(store, Dossier.select(*_COLUMNS), terms, offset, limit))


@gated(Action.DOSSIER_FIND)
def find(store: Store, text: str, *, page: int = 0, page_size: int = PAGE_SIZE) -> FindResult:
    kind, key = classify(text)
    if not key or (kind == "name" and not search.words(key)):
        return FindResult(kind, key, (), page, False)
    offset, limit = page * page_size, page_size + 1
    with store.write():
        if kind == "name" and not isinstance(store.db, SqliteDatabase):
            rows = _by_name_postgres(store, search.words(key), offset, limit)
        else:
            rows = list(_query(store, kind, key, offset, limit))
        if not rows and kind == "code":
            # "H56-261201-0002" is shaped like a whole code but may be the end of one
            rows = list(_query(store, "code_part", key, offset, limit))
        elif not rows and kind == "code_part" and _PHONEISH.match(clean(text)):
            # "091201-5678" is a day and a number, and also a phone typed with a dash; when
            # neither finds anything, the officer is told about the code
            phone_kind, phone = _phone_or_id(clean(text))
            rows = list(_query(store, phone_kind, phone, offset, limit))
            if rows:
                kind, key = phone_kind, phone
        # what was typed stays out of the log: its kind, a keyed hash, what it found
        audit.record(store, f"find:{kind}", audit.searched(store, kind, key),
                     dossiers=[d.code for d in rows[:page_size]])
    items = tuple(dossiers.summary(d) for d in rows[:page_size])
    # the screens know a code by one name, whole or in part
    return FindResult("code" if kind == "code_part" else kind, key, items, page,
                      len(rows) > page_size)
