"""Numbers that must never repeat: ticket series and dossier codes, per scope and per day.

The number is taken by one upsert on the (scope, day) row inside the caller's transaction. On
SQLite the write transaction already holds the database lock; on PostgreSQL the upsert locks
that one row until commit. Either way a second terminal waits and gets the next number, and a
transaction that rolls back gives its number back rather than leaving a hole.
"""

from __future__ import annotations

from datetime import date

from counter_tui.db.models import Sequence

# Written once, not by peewee's builder at each call: a ticket takes its number on the way
# from its key to its slip (services.statements says why that matters).
_NEXT = ('INSERT INTO "sequence" ("scope", "day", "value") VALUES ({p}, {p}, 1) '
         'ON CONFLICT ("scope", "day") DO UPDATE SET "value" = "sequence"."value" + 1 '
         'RETURNING "value"')


def next_number(scope: str, day: date) -> int:
    db = Sequence._meta.database
    text = _NEXT.format(p=db.param)
    return int(db.execute_sql(text, (scope, Sequence.day.db_value(day))).fetchone()[0])
