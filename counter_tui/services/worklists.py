"""The officer's worklists: what needs doing today, each read in its order off one index (the
partial indexes of migration 0010), and counted from the indexes alone.

- due_today: open dossiers whose appointment (the apology's new date, else the due date) falls
  today, soonest first; a dossier waiting for supplements is not due (its clock is stopped);
- overdue: open dossiers past their legal due date (`core.ontime.classify` says "overdue"),
  oldest first; an apology does not take a dossier off this list;
- supplements: waiting for the citizen's supplements, by the deadline asked;
- ready: result ready, waiting to be returned, oldest first;
- returned_today: results handed over today, latest first;
- undigitised: dossiers received on paper today whose components are not all digitised yet
  (services/documents.py), oldest first: what is still to go through the scanner.

Only this office's dossiers (a store may hold a province's history).
"""

from __future__ import annotations

import heapq
import itertools
from datetime import datetime, time, timedelta
from typing import Any

from peewee import SQL, ModelSelect, fn

from counter_tui.core import statuses as st
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.lifecycle import WORKLISTS, WorkItem, Worklist
from counter_tui.core.ontime import OnTime, classify
from counter_tui.core.roles import Action
from counter_tui.db.connection import is_sqlite
from counter_tui.db.models import Dossier, DossierBacklog, Office
from counter_tui.services import audit
from counter_tui.services.authority import gated
from counter_tui.services.documents import undigitised
from counter_tui.services.store import Store

NAMES = WORKLISTS
LIMIT = 200
# open and ticking: a dossier waiting for supplements (5) has its clock stopped
TICKING = (st.SUBMITTED_ONLINE, st.RECEIVED, st.PROCESSING, st.AWAITING_PAYMENT)


def label(name: str) -> str:
    return t(f"worklist.{name}")


def _office_id(store: Store) -> int | None:
    office = Office.get_or_none(Office.code == store.cfg.office.agency_code)
    return int(office.id) if office else None


# What a line of a list shows: read alone, since turning a stored row into a model costs per
# column (every time is parsed), and a page is 200 rows.
SHOWN = (Dossier.id, Dossier.code, Dossier.applicant_name, Dossier.phone, Dossier.procedure_name,
         Dossier.status, Dossier.received_at, Dossier.due_at, Dossier.apology_due_at,
         Dossier.supplement_deadline, Dossier.resolved_at, Dossier.returned_at, Dossier.holder,
         Dossier.paused_at)


def _item(d: Dossier, now: datetime) -> WorkItem:
    klass = classify(d.status, d.due_at, d.resolved_at, now, paused_at=d.paused_at)
    return WorkItem(code=d.code, applicant_name=d.applicant_name, phone=d.phone,
                    procedure_name=d.procedure_name, status=d.status, received_at=d.received_at,
                    due_at=d.due_at, appointment_at=d.apology_due_at or d.due_at,
                    supplement_deadline=d.supplement_deadline, resolved_at=d.resolved_at,
                    returned_at=d.returned_at, holder=d.holder, ontime=klass.value,
                    ontime_label=klass.label)


# Each index's condition as it is written in migration 0010: a query carries it word for word
# (literals, not bound values) so SQLite may read the partial index.
TICKING_SQL = SQL("status IN (1, 2, 4, 6)")
IN_SUPPLEMENT_SQL = SQL("status = 5")
READY_SQL = SQL("status = 9")
PAUSED_LATE_SQL = SQL("status = 5 AND paused_at > due_at")  # paused when already overdue
TALLY_RUNNING = 5  # dossier_tally.state of an open dossier whose clock runs (1, 2, 4, 6)
TALLY_SUPPLEMENT = 6  # ... and of one waiting for supplements (5)
assert TICKING == (1, 2, 4, 6) and st.SUPPLEMENT == 5 and st.RESULT_READY == 9


def _ids(office: int | None, *conditions: Any) -> ModelSelect[Dossier]:
    """The ids of this office's dossiers meeting `conditions`: a range on one index that starts
    with the office (0010's dossier_ticking, 0005's of apologies), whatever the planner's
    statistics say."""
    return Dossier.select(Dossier.id).where(Dossier.office == office, *conditions)


def _today(now: datetime) -> tuple[datetime, datetime]:
    start = datetime.combine(now.date(), time.min)
    return start, start + timedelta(days=1)


def _query(name: str, now: datetime, office: int | None) -> ModelSelect[Dossier]:
    start, end = _today(now)
    mine = Dossier.office == office
    if name == "due_today":
        # the legal due date today, or the apology's new date today: two index ranges
        ids = (_ids(office, TICKING_SQL, Dossier.due_at >= start, Dossier.due_at < end)
               | _ids(office, Dossier.apology_due_at >= start, Dossier.apology_due_at < end,
                      Dossier.status.in_(TICKING)))
        return (Dossier.select(*SHOWN).where(Dossier.id.in_(ids))
                .order_by(fn.COALESCE(Dossier.apology_due_at, Dossier.due_at), Dossier.id))
    if name == "overdue":
        ids = (_ids(office, TICKING_SQL, Dossier.due_at < now)
               | _ids(office, PAUSED_LATE_SQL))
        return (Dossier.select(*SHOWN).where(Dossier.id.in_(ids))
                .order_by(Dossier.due_at, Dossier.id))
    if name == "supplements":  # read in order off dossier_supplement
        return (Dossier.select(*SHOWN).where(mine, IN_SUPPLEMENT_SQL)
                .order_by(Dossier.supplement_deadline, Dossier.id))
    if name == "ready":  # read in order off dossier_ready
        return (Dossier.select(*SHOWN).where(mine, READY_SQL)
                .order_by(Dossier.resolved_at, Dossier.id))
    if name == "undigitised":
        return (Dossier.select(*SHOWN).where(mine, Dossier.received_at >= start,
                                             Dossier.received_at < end, *undigitised())
                .order_by(Dossier.received_at, Dossier.id))
    if name == "returned_today":
        # returned_at is set by the hand-over only (status 10)
        return (Dossier.select(*SHOWN).where(mine, Dossier.returned_at >= start,
                                       Dossier.returned_at < end)
                .order_by(Dossier.returned_at.desc(), Dossier.id.desc()))
    raise UserError("worklist.unknown", field="list", name=name, names=", ".join(NAMES))


def _overdue_page(now: datetime, office: int | None, size: int) -> list[Dossier]:
    """The first `size` overdue dossiers, oldest due date first: one short walk of
    dossier_ticking (office, status, due_at) per status, merged, rather than sorting every
    overdue dossier of the office to show the first page. The walks read the index alone
    (due date, id); only the page's own rows are then read whole."""
    walks = [Dossier.select(Dossier.due_at, Dossier.id)
             .where(Dossier.office == office, TICKING_SQL, Dossier.status == status,
                    Dossier.due_at < now) for status in TICKING]
    walks.append(Dossier.select(Dossier.due_at, Dossier.id)
                 .where(Dossier.office == office, PAUSED_LATE_SQL))
    pages: list[list[tuple[datetime, int]]] = [
        list(w.order_by(Dossier.due_at, Dossier.id).limit(size).tuples())  # type: ignore[arg-type]
        for w in walks]
    merged = heapq.merge(*pages)
    ids = [row[1] for row in itertools.islice(merged, size)]
    rows = {d.id: d for d in Dossier.select(*SHOWN).where(Dossier.id.in_(ids))}
    return [rows[i] for i in ids]


def _backlog(office: int | None, state: int, *conditions: Any) -> ModelSelect[Any]:
    return DossierBacklog.select(fn.SUM(DossierBacklog.n)).where(
        DossierBacklog.state == state, DossierBacklog.office_id == office, *conditions)


def _count_queries(now: datetime, office: int | None, *, sqlite: bool = False
                   ) -> dict[str, list[ModelSelect[Any]]]:
    """Each list's size as a sum of counts, each read from one index range alone: no list of
    ids is gathered, merged or sorted to be counted (IN (... UNION ...) did all three)."""
    start, end = _today(now)

    def count(*conditions: Any) -> ModelSelect[Dossier]:
        return Dossier.select(fn.COUNT(SQL("*"))).where(Dossier.office == office, *conditions)

    paused_late = count(PAUSED_LATE_SQL)
    if sqlite:
        # SQLite's planner, without statistics, counts these through the wide worklist index
        # (every dossier of the office waiting for supplements: 4.6 ms at a million) rather
        # than their own partial index (0.01 ms); PostgreSQL's picks it itself
        paused_late = paused_late.from_(SQL(
            f'"{Dossier._meta.table_name}" AS "t1" INDEXED BY dossier_paused_late'))

    due_today = (Dossier.due_at >= start) & (Dossier.due_at < end)
    return {
        "due_today": [count(TICKING_SQL, due_today),
                      # an apology's date today, the legal one another day: not counted above
                      count(Dossier.apology_due_at >= start, Dossier.apology_due_at < end,
                            Dossier.status.in_(TICKING),
                            ~(due_today & Dossier.due_at.is_null(False)))],
        # running and due before today: summed from the open dossiers by due day
        # (dossier_backlog, migration 0021), a row a day where the index held one entry per
        # dossier
        "overdue": [_backlog(office, TALLY_RUNNING, DossierBacklog.due_day < now.date()),
                    count(TICKING_SQL, Dossier.due_at >= start, Dossier.due_at < now),
                    paused_late],
        "supplements": [_backlog(office, TALLY_SUPPLEMENT)],
        "ready": [count(READY_SQL)],
        "returned_today": [count(Dossier.returned_at >= start, Dossier.returned_at < end)],
        "undigitised": [count(Dossier.received_at >= start, Dossier.received_at < end,
                              *undigitised())],
    }


@gated(Action.DOSSIER_VIEW)
def worklist(store: Store, name: str, *, limit: int = LIMIT, audited: bool = True) -> Worklist:
    """One list, at most `limit` lines (`has_more` says when there are more). Opening it
    shows applicants' names: recorded in the audit log with the codes listed, unless it is a
    screen refreshing what is already open (`audited=False`)."""
    now = store.now()
    with store.write() if audited else store.read():
        office = _office_id(store)
        if name == "overdue":
            rows = _overdue_page(now, office, limit + 1)
        else:
            rows = list(_query(name, now, office).limit(limit + 1))
        if audited:
            audit.record(store, f"worklist:{name}", dossiers=[d.code for d in rows[:limit]])
    items = [_item(d, now) for d in rows[:limit]]
    if name == "overdue":  # the SQL preselects; the one rule decides
        items = [i for i in items if i.ontime == OnTime.OVERDUE.value]
    return Worklist(name=name, items=tuple(items), has_more=len(rows) > limit)


@gated(Action.DOSSIER_VIEW)
def counts(store: Store) -> dict[str, int]:
    """How many dossiers each list holds now, for the tabs' titles."""
    now = store.now()
    with store.read():
        office = _office_id(store)
        return {name: sum(int(q.scalar() or 0) for q in queries)
                for name, queries in _count_queries(
                    now, office, sqlite=is_sqlite(store.db)).items()}
