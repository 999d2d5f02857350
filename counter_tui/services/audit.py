"""The audit log (Nghị định 13/2023): who looked at or changed what, at which counter, when.

Every service that reads personal data or changes state records it here, inside the same
transaction as the work, so a look or a change is never done without its entry.

The log holds no personal data in clear: a search is recorded by the kind of what was typed
and a keyed hash of it (`searched`), and by the codes of the dossiers it returned, never the ID
number, phone or name itself. Entries form a chain of hashes (core/audit_chain.py). Appending
first bumps the chain's head row, which is the lock: on PostgreSQL two terminals appending at
once take turns on that row until the first commits; on SQLite the write transaction holds the
store's write lock already. So the chain has one order, the order of the commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from peewee import fn

from counter_tui.core import audit_chain
from counter_tui.core.limits import limit
from counter_tui.core.records import frozen
from counter_tui.core.roles import Action
from counter_tui.db import connection
from counter_tui.db.models import AuditHead, AuditLog, StoreSecret
from counter_tui.services import authority
from counter_tui.services.store import Store

# Kinds of search whose typed value is personal data: kept as a keyed hash.
PERSONAL_KEYS = frozenset({"id", "phone", "name"})


def who(store: Store) -> str:
    return store.actor.username if store.actor is not None else store.officer or ""


def record(store: Store, action: str, subject: str = "", *,
           dossiers: Iterable[str] = ()) -> None:
    """One entry, by the store's actor (or the terminal's officer) at its counter, chained
    to the last. Called inside the caller's write transaction."""
    if not AuditHead.update(seq=AuditHead.seq + 1).where(AuditHead.id == 1).execute():
        _new_head()
        AuditHead.update(seq=AuditHead.seq + 1).where(AuditHead.id == 1).execute()
    head = AuditHead.get_by_id(1)
    at, officer = store.now(), who(store)[:limit("audit_log.officer")]
    subject = subject[:limit("audit_log.subject")]
    codes = " ".join(dict.fromkeys(dossiers))
    own = audit_chain.entry_hash(head.hash, head.seq, at, officer, store.counter, action,
                                 subject, codes)
    AuditLog.insert(at=at, officer=officer, counter=store.counter, action=action,
                    subject=subject, seq=head.seq, prev_hash=head.hash, hash=own,
                    dossiers=codes).execute()
    AuditHead.update(hash=own).where(AuditHead.id == 1).execute()


def note(store: Store, action: str, subject: str = "") -> None:
    """One entry in a transaction of its own: for work done outside the store (a backup
    copied, a config file written)."""
    with store.write():
        record(store, action, subject)


def _new_head() -> None:
    """The head row, made again from the last entry when it is missing (a store emptied by
    hand), so the chain goes on from where it is; two terminals doing this at once agree."""
    last = AuditLog.select(AuditLog.seq, AuditLog.hash).order_by(AuditLog.seq.desc()).first()
    AuditHead.insert(id=1, seq=last.seq if last else 0,
                     hash=last.hash if last else audit_chain.GENESIS).on_conflict_ignore().execute()


def secret(store: Store) -> str:
    row = StoreSecret.get_or_none(StoreSecret.name == "audit")
    if row is None:  # a store emptied by hand: a new key (earlier hashes match no new search)
        import secrets

        StoreSecret.insert(name="audit", value=secrets.token_hex(32)).on_conflict_ignore(
        ).execute()
        row = StoreSecret.get_by_id("audit")
    return str(row.value)


def searched(store: Store, kind: str, key: str) -> str:
    """What the log keeps of a search: the key as typed for a dossier code (not personal),
    a keyed hash for an ID number, phone or name."""
    if kind not in PERSONAL_KEYS:
        return key
    return audit_chain.keyed(secret(store), kind, key)


# --- reading the log back --------------------------------------------------------------------


@frozen
class AuditEntry:
    seq: int
    at: dt.datetime
    officer: str
    counter: int | None
    action: str
    subject: str
    dossiers: tuple[str, ...]


def _chain(batch: int = 5000) -> Iterator[audit_chain.ChainEntry]:
    """Every entry in stored order, a batch at a time (a year's log does not fit in memory
    as objects, and one query over it holds a server cursor too long)."""
    last = 0
    while True:
        rows = list(AuditLog.select().where(AuditLog.id > last).order_by(AuditLog.id)
                    .limit(batch))
        for r in rows:
            yield audit_chain.ChainEntry(r.id, r.seq, r.at, r.officer, r.counter, r.action,
                                         r.subject, r.dossiers, r.prev_hash, r.hash)
        if len(rows) < batch:
            return
        last = rows[-1].id


def verify(store: Store) -> audit_chain.Verdict:
    """The whole chain checked as it was at one moment: a terminal appending meanwhile is
    neither waited for nor mistaken for an edit. The check itself is then recorded."""
    authority.require(store, Action.AUDIT_VIEW)
    with store.db.connection_context(), store.db.atomic():
        if not connection.is_sqlite(store.db):  # SQLite's WAL reader has its snapshot anyway
            store.db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        head = AuditHead.get_or_none(AuditHead.id == 1)
        verdict = audit_chain.verify(_chain(), head.seq if head else None,
                                     head.hash if head else None)
    with store.write():
        broken = verdict.first_break
        record(store, "audit:verify",
               "ok" if broken is None else f"broken at {broken.seq}: {broken.reason}")
    return verdict


def entries(store: Store, *, officer: str | None = None, dossier: str | None = None,
            start: dt.date | None = None, end: dt.date | None = None,
            searched_for: tuple[str, str] | None = None,
            limit_rows: int = 1000) -> list[AuditEntry]:
    """Entries for a supervisor: by officer, by dossier (viewed, changed, or returned by a
    search), between two days (inclusive), or the searches for a given value (kind, value):
    "who searched for this ID number?". Newest first. Looking is itself recorded."""
    authority.require(store, Action.AUDIT_VIEW)
    with store.write():
        query = AuditLog.select()
        if officer:
            query = query.where(AuditLog.officer == officer)
        if dossier:
            query = query.where((AuditLog.subject == dossier) | (AuditLog.dossiers == dossier)
                                | AuditLog.dossiers.startswith(f"{dossier} ")
                                | AuditLog.dossiers.endswith(f" {dossier}")
                                | AuditLog.dossiers.contains(f" {dossier} "))
        if start:
            query = query.where(AuditLog.at >= dt.datetime.combine(start, dt.time()))
        if end:
            query = query.where(AuditLog.at < dt.datetime.combine(end + dt.timedelta(days=1),
                                                                  dt.time()))
        if searched_for:
            kind, value = searched_for
            query = query.where((AuditLog.action == f"find:{kind}")
                                & (AuditLog.subject == searched(store, kind, value)))
        rows = [AuditEntry(r.seq, r.at, r.officer, r.counter, r.action, r.subject,
                           tuple(r.dossiers.split()))
                for r in query.order_by(AuditLog.seq.desc()).limit(limit_rows)]
        record(store, "audit:show", _filters(officer, dossier, start, end, searched_for),
               dossiers=[dossier] if dossier else ())
    return rows


def _filters(officer: str | None, dossier: str | None, start: dt.date | None,
             end: dt.date | None, searched_for: tuple[str, str] | None) -> str:
    parts = [f"officer={officer}" if officer else "", f"dossier={dossier}" if dossier else "",
             f"from={start}" if start else "", f"to={end}" if end else "",
             f"searched={searched_for[0]}" if searched_for else ""]
    return " ".join(p for p in parts if p)


def count(store: Store) -> int:
    with store.read():
        return int(AuditLog.select(fn.COUNT(AuditLog.id)).scalar() or 0)
