"""What comes down from the centre: the district's procedure catalogue, its accounts and its
days off and working days (services.calendar_days).

The rule for a row both sides can change: a change made at the centre reaches the office and
replaces the office's copy; a change the office made stays until the centre changes that row
again. The office keeps, per row, the hash of the centre's version it took last (sync_pulled),
so an unchanged centre row is never written again over the office's own change. Some fields
are always the office's own:

- a procedure's `active`, once the procedure is here: the office says which procedures it
  takes; procedures the office added itself (codes the centre does not have) stay as they are;
- an account's counters, and its sign-in state (wrong PINs, locks); its PIN (or a service's key)
  comes down only with a new account, which is asked to change it at the first sign-in; after
  that a PIN changed at the office stays the office's. Name, roles and whether the account may
  sign in come from the centre when the centre changes them (someone who left the district is
  disabled everywhere).

Accounts only the office has are never touched. The district's days are the centre's list
as a whole: when it changes, the office's copy becomes it (the office's own days are in its
config.toml, and win over the district's there).
"""

from __future__ import annotations

from typing import Any

from peewee import PostgresqlDatabase

from counter_tui.core.records import frozen
from counter_tui.db.models import CalendarDay, Officer, Procedure, ProcedureDocument, SyncPulled
from counter_tui.services import audit
from counter_tui.services.store import Store
from counter_tui.services.sync.tables import row_hash

PROCEDURE_COLUMNS = ("code", "national_code", "name", "name_folded", "field", "level",
                     "processing_days", "same_day_cutoff", "fee_vnd", "fee_online_vnd",
                     "fee_note", "active")
OFFICER_COLUMNS = ("code", "name", "role", "roles", "active", "service", "pin_hash", "key_hash")


@frozen
class Pulled:
    procedures: int = 0
    accounts: int = 0
    days: int = 0  # the district's days, when its list changed: how many it now holds


def _rows(db: PostgresqlDatabase, sql: str) -> list[dict[str, Any]]:
    cursor = db.execute_sql(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def read_centre(db: PostgresqlDatabase, down: tuple[str, ...]
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]] | None]:
    """The centre's catalogue (each procedure with its documents), accounts and days (None:
    not taken from the centre)."""
    procedures: list[dict[str, Any]] = []
    if "procedures" in down:
        procedures = _rows(db, f"SELECT id, {', '.join(PROCEDURE_COLUMNS)} FROM procedure "
                               "ORDER BY code")
        documents: dict[int, list[tuple[Any, ...]]] = {}
        for d in _rows(db, "SELECT procedure_id, position, name, originals, copies FROM "
                           "procedure_document ORDER BY procedure_id, position"):
            documents.setdefault(d["procedure_id"], []).append(
                (d["position"], d["name"], d["originals"], d["copies"]))
        for p in procedures:
            p["documents"] = documents.get(p.pop("id"), [])
    accounts: list[dict[str, Any]] = []
    if "accounts" in down:
        accounts = _rows(db, f"SELECT {', '.join(OFFICER_COLUMNS)} FROM officer ORDER BY code")
    days = _rows(db, "SELECT day, working, note FROM calendar_day ORDER BY day") \
        if "holidays" in down else None
    return procedures, accounts, days


def apply_down(store: Store, procedures: list[dict[str, Any]],
               accounts: list[dict[str, Any]], days: list[dict[str, Any]] | None = None
               ) -> Pulled:
    """Take what changed at the centre since it was last taken, in one transaction."""
    with store.read():
        taken = {(p.tbl, p.key): p.hash for p in SyncPulled.select()}
    changed_procedures = [p for p in procedures
                          if taken.get(("procedure", p["code"])) != row_hash(p)]
    changed_accounts = [a for a in accounts if taken.get(("officer", a["code"])) != row_hash(a)]
    days_hash = row_hash({"days": days}) if days is not None else ""
    new_days = days if days is not None and taken.get(("calendar_day", "*")) != days_hash \
        else None  # the district's list, when it changed
    if not changed_procedures and not changed_accounts and new_days is None:
        return Pulled()
    with store.write():
        if new_days is not None:
            CalendarDay.delete().execute()
            for d in new_days:
                CalendarDay.insert(day=d["day"], working=d["working"], note=d["note"]).execute()
            _taken("calendar_day", "*", days_hash)
        for p in changed_procedures:
            _take_procedure(p)
            _taken("procedure", p["code"], row_hash(p))
        for a in changed_accounts:
            _take_account(a)
            _taken("officer", a["code"], row_hash(a))
        audit.record(store, "sync:down", f"procedures {len(changed_procedures)}, "
                                         f"accounts {len(changed_accounts)}, "
                                         f"days {len(new_days or ())}")
    return Pulled(len(changed_procedures), len(changed_accounts), len(new_days or ()))


def _taken(table: str, key: str, hashed: str) -> None:
    SyncPulled.insert(tbl=table, key=key, hash=hashed).on_conflict(
        conflict_target=[SyncPulled.tbl, SyncPulled.key],
        update={SyncPulled.hash: hashed}).execute()


def _take_procedure(p: dict[str, Any]) -> None:
    values = {k: p[k] for k in PROCEDURE_COLUMNS if k != "code"}
    here = Procedure.get_or_none(Procedure.code == p["code"])
    if here is None:
        procedure_id = Procedure.insert(code=p["code"], **values).execute()
    else:
        values.pop("active")  # the office says which procedures it takes
        Procedure.update(**values).where(Procedure.id == here.id).execute()
        procedure_id = here.id
    ProcedureDocument.delete().where(ProcedureDocument.procedure == procedure_id).execute()
    for position, name, originals, copies in p["documents"]:
        ProcedureDocument.insert(procedure=procedure_id, position=position, name=name,
                                 originals=originals, copies=copies).execute()


def _take_account(a: dict[str, Any]) -> None:
    here = Officer.get_or_none(Officer.code == a["code"])
    if here is None:
        Officer.insert(**{k: a[k] for k in OFFICER_COLUMNS}, counters="",
                       must_change=not a["service"]).execute()
        return
    Officer.update(name=a["name"], role=a["role"], roles=a["roles"], active=a["active"],
                   service=a["service"]).where(Officer.id == here.id).execute()
