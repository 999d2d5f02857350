"""Which tables sync up, how their rows are told apart across stores, and their rows as data.

Every store numbers its rows from 1, so an office's ids mean nothing on the centre: the centre
gives each row its own id and keeps which office row it is (sync_map, migration 0013). A foreign
key is sent as the office's id and remapped there. Rows that have an identity of their own
across stores are adopted rather than doubled when the centre already holds them: an office by
its agency identifier, a dossier by its code (which carries that identifier). A dossier's
procedure is found on the centre by its code (the catalogue comes down from the centre; its ids
differ too). The audit log goes to the centre's sync_audit, keyed by office and the office's own
id, so each office's chain of hashes is verified there as the office keeps it.

Order matters only through foreign keys: a row is sent after the rows it refers to, which is
the order of SYNCED (and of commits: a row can only refer to one already committed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import field
from typing import Any

from peewee import Model

from counter_tui.core.records import frozen
from counter_tui.db.models import (
    AuditLog,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierFile,
    Office,
    PrintJob,
    Ticket,
    TicketEvent,
)


@frozen
class Synced:
    table: str
    model: type[Model]
    refs: Mapping[str, str] = field(default_factory=dict)  # column -> the table it refers to
    natural: str | None = None  # a column naming the row in every store
    day: str | None = None  # the column `verify` groups the rows by
    blank: tuple[str, ...] = ()  # columns not sent (a slip's bytes: printer data, not a record)
    local: tuple[str, ...] = ()  # columns each store sets for itself, never compared

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.column_name for f in self.model._meta.sorted_fields)


SYNCED: tuple[Synced, ...] = (
    Synced("office", Office, natural="code"),
    Synced("ticket", Ticket, day="day", local=("origin",)),
    Synced("dossier", Dossier, refs={"office_id": "office", "ticket_id": "ticket"},
           natural="code", day="received_at", local=("procedure_id",)),
    Synced("dossier_document", DossierDocument, refs={"dossier_id": "dossier"}),
    Synced("dossier_event", DossierEvent, refs={"dossier_id": "dossier"}, day="at"),
    # the record of a digitised document, not its PDF: that stays in the office's folder
    Synced("dossier_file", DossierFile, refs={"dossier_id": "dossier"}, day="at"),
    Synced("ticket_event", TicketEvent, refs={"ticket_id": "ticket"}, day="at"),
    Synced("print_job", PrintJob, refs={"ticket_id": "ticket", "dossier_id": "dossier"},
           day="created_at", blank=("slip",)),
    Synced("audit_log", AuditLog, day="at"),
)
BY_TABLE = {s.table: s for s in SYNCED}
AUDIT_COLUMNS = ("seq", "at", "officer", "counter", "action", "subject", "dossiers",
                 "prev_hash", "hash")


def canon(value: Any) -> Any:
    """A value as both engines' drivers agree on it (SQLite may hand back text for a time)."""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] in " T":
        try:
            return dt.datetime.fromisoformat(value).isoformat(sep=" ")
        except ValueError:
            return value
    if isinstance(value, bool):
        return int(value)
    return value


def row_hash(row: Mapping[str, Any]) -> str:
    body = json.dumps({k: canon(v) for k, v in row.items()}, sort_keys=True,
                      ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def day_of(value: Any) -> str:
    """The day a row counts on, as text ("" for a table without one)."""
    if value is None:
        return ""
    text = str(canon(value))
    return text[:10]
