"""`counter-tui sync verify`: does the centre hold exactly this office's rows, once each?

Both sides are read and each row reduced to a hash of its values as the office has them (the
centre's ids turned back into the office's through sync_map; the columns each store sets for
itself left out). Rows are grouped per table and day; a day whose count or checksum differs is
named, with the office's row ids that are missing at the centre, held there but no longer
here, or different. Rows of this office on the centre that came from nowhere in its outbox
(a ticket with its origin, a dossier with its office) count as "extra", so a row held twice
shows. Each office's audit chain is also verified as the centre holds it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import field
from typing import Any

from peewee import PostgresqlDatabase

from counter_tui.core import audit_chain
from counter_tui.core.records import frozen
from counter_tui.services.store import Store
from counter_tui.services.sync.tables import SYNCED, Synced, day_of, row_hash

SHOWN_IDS = 10  # ids named per difference; the count says how many more


@frozen
class DayDifference:
    table: str
    day: str
    office_count: int
    centre_count: int
    missing: tuple[int, ...]  # here, not at the centre
    extra: tuple[int, ...]  # at the centre, not here (0: a row that came from nowhere)
    different: tuple[int, ...]


@frozen
class TableSummary:
    table: str
    office_count: int
    centre_count: int
    days: int


@frozen
class VerifyReport:
    office: str
    tables: tuple[TableSummary, ...]
    differences: tuple[DayDifference, ...]
    audit_intact: bool
    audit_entries: int
    conflicts: int
    waiting: int  # changes still in the outbox: a difference they explain is expected
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def clean(self) -> bool:
        return not self.differences and self.audit_intact


def _office_rows(spec: Synced) -> Iterator[tuple[int, str, str]]:
    model: Any = spec.model
    skip = {*spec.local, *spec.blank}
    last = 0
    while True:
        rows = list(model.select().where(model._meta.primary_key > last)
                    .order_by(model._meta.primary_key).limit(5000).dicts())
        for r in rows:
            values = {f.column_name: r[f.name] for f in model._meta.sorted_fields
                      if f.column_name not in skip}
            yield int(values["id"]), day_of(values.get(spec.day)) if spec.day else "", \
                row_hash(values)
        if len(rows) < 5000:
            return
        last = int(rows[-1]["id"])


def _reverse(db: PostgresqlDatabase, office: str, table: str) -> dict[int, int]:
    cursor = db.execute_sql("SELECT centre_id, local_id FROM sync_map WHERE office = %s AND "
                            "tbl = %s AND centre_id IS NOT NULL", (office, table))
    return {int(c): int(local) for c, local in cursor.fetchall()}


def _centre_rows(db: PostgresqlDatabase, office: str, spec: Synced,
                 reverse: dict[str, dict[int, int]]) -> Iterator[tuple[int, str, str]]:
    skip = {*spec.local, *spec.blank}
    mine = reverse[spec.table]
    columns = [c for c in spec.columns if c not in skip]
    names = ", ".join(f't."{c}"' for c in columns)
    cursor = db.execute_sql(f"SELECT {names} FROM {spec.table} t "
                            "JOIN sync_map m ON m.centre_id = t.id AND m.office = %s "
                            "AND m.tbl = %s", (office, spec.table))
    for record in cursor.fetchall():
        values = dict(zip(columns, record, strict=True))
        values["id"] = mine[int(values["id"])]
        for column, target in spec.refs.items():
            if values.get(column) is not None:
                values[column] = reverse[target].get(int(values[column]), -1)
        yield int(values["id"]), day_of(values.get(spec.day)) if spec.day else "", \
            row_hash(values)


def _extras(db: PostgresqlDatabase, office: str, spec: Synced) -> list[tuple[str, int]]:
    """Rows of this office on the centre that no change of the office made (day, centre id)."""
    if spec.table == "ticket":
        where = "t.origin = %s"
    elif spec.table == "dossier":
        where = "t.office_id = (SELECT id FROM office WHERE code = %s)"
    else:
        return []
    day = spec.day or "id"
    cursor = db.execute_sql(
        f"SELECT t.{day}, t.id FROM {spec.table} t WHERE {where} AND NOT EXISTS "
        "(SELECT 1 FROM sync_map m WHERE m.office = %s AND m.tbl = %s AND m.centre_id = t.id)",
        (office, office, spec.table))
    return [(day_of(d), int(i)) for d, i in cursor.fetchall()]


def _digest(hashes: list[str]) -> str:
    return hashlib.sha256("".join(sorted(hashes)).encode()).hexdigest()


def _compare(spec: Synced, here: dict[int, tuple[str, str]], there: dict[int, tuple[str, str]],
             extras: list[tuple[str, int]]) -> list[DayDifference]:
    days: dict[str, tuple[list[str], list[str]]] = {}
    for day, hashed in here.values():
        days.setdefault(day, ([], []))[0].append(hashed)
    for day, hashed in there.values():
        days.setdefault(day, ([], []))[1].append(hashed)
    out = []
    extra_days: dict[str, int] = {}
    for day, _centre_id in extras:
        extra_days[day] = extra_days.get(day, 0) + 1
        days.setdefault(day, ([], []))
    for day, (mine, theirs) in sorted(days.items()):
        if _digest(mine) == _digest(theirs) and len(mine) == len(theirs) \
                and not extra_days.get(day):
            continue
        ids_here = {i for i, (d, _) in here.items() if d == day}
        ids_there = {i for i, (d, _) in there.items() if d == day}
        missing = sorted(ids_here - ids_there)
        extra = sorted(ids_there - ids_here) + [0] * extra_days.get(day, 0)
        different = sorted(i for i in ids_here & ids_there if here[i][1] != there[i][1])
        out.append(DayDifference(spec.table, day, len(mine), len(theirs) + extra_days.get(day, 0),
                                 tuple(missing), tuple(extra), tuple(different)))
    return out


def _audit(db: PostgresqlDatabase, office: str) -> tuple[bool, int]:
    cursor = db.execute_sql("SELECT local_id, seq, at, officer, counter, action, subject, "
                            "dossiers, prev_hash, hash FROM sync_audit WHERE office = %s "
                            "ORDER BY local_id", (office,))
    entries = (audit_chain.ChainEntry(*r) for r in cursor.fetchall())
    verdict = audit_chain.verify(entries, None, None)
    return verdict.intact, verdict.count


def verify(store: Store, db: PostgresqlDatabase) -> VerifyReport:
    """Compare this office's store with what the centre holds of it (the caller holds the
    centre's connection and its deadline)."""
    from counter_tui.services.sync import outbox

    office = store.cfg.office.agency_code
    reverse = {s.table: _reverse(db, office, s.table) for s in SYNCED if s.table != "audit_log"}
    tables, differences = [], []
    for spec in SYNCED:
        if spec.table == "audit_log":
            continue
        with store.read():
            here = {i: (d, h) for i, d, h in _office_rows(spec)}
        there = {i: (d, h) for i, d, h in _centre_rows(db, office, spec, reverse)}
        extras = _extras(db, office, spec)
        tables.append(TableSummary(spec.table, len(here), len(there) + len(extras),
                                   len({d for d, _ in here.values()})))
        differences += _compare(spec, here, there, extras)
    audit_spec = next(s for s in SYNCED if s.table == "audit_log")
    with store.read():
        here_audit = {i: (d, h) for i, d, h in _office_rows(audit_spec)}
    cursor = db.execute_sql("SELECT local_id, seq, at, officer, counter, action, subject, "
                            "dossiers, prev_hash, hash FROM sync_audit WHERE office = %s",
                            (office,))
    names = [d[0] for d in cursor.description]
    there_audit: dict[int, tuple[str, str]] = {}
    for record in cursor.fetchall():
        row: dict[str, Any] = dict(zip(names, record, strict=True))
        local = int(row.pop("local_id"))
        row["id"] = local
        there_audit[local] = (day_of(row["at"]), row_hash(row))
    tables.append(TableSummary("audit_log", len(here_audit), len(there_audit),
                               len({d for d, _ in here_audit.values()})))
    differences += _compare(audit_spec, here_audit, there_audit, [])
    intact, entries = _audit(db, office)
    conflicts = int(db.execute_sql("SELECT count(*) FROM sync_conflict WHERE office = %s",
                                   (office,)).fetchone()[0])
    return VerifyReport(office, tuple(tables), tuple(differences), intact, entries, conflicts,
                        outbox.waiting(store))
