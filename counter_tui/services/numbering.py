"""Numbers that must never repeat: ticket series and dossier codes, per scope and per day.

The number is taken by one upsert on the (scope, day) row inside the caller's transaction. On
SQLite the write transaction already holds the database lock; on PostgreSQL the upsert locks
that one row until commit. Either way a second terminal waits and gets the next number, and a
transaction that rolls back gives its number back rather than leaving a hole.
"""

from __future__ import annotations

from datetime import date

from counter_tui.db.models import Sequence


def next_number(scope: str, day: date) -> int:
    query = (
        Sequence.insert(scope=scope, day=day, value=1)
        .on_conflict(conflict_target=[Sequence.scope, Sequence.day],
                     update={Sequence.value: Sequence.value + 1})
        .returning(Sequence.value)
    )
    return int(next(iter(query.tuples().execute()))[0])
