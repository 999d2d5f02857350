"""The officer's worklists: what needs doing today, read straight off the (status, due_at) index.

- due_today: open dossiers whose appointment (the apology's new date, else the due date) falls
  today, soonest first; a dossier waiting for supplements is not due (its clock is stopped);
- overdue: open dossiers past their legal due date (`core.ontime.classify` says "overdue"),
  oldest first; an apology does not take a dossier off this list;
- supplements: waiting for the citizen's supplements, by the deadline asked;
- ready: result ready, waiting to be returned, oldest first;
- returned_today: results handed over today, latest first.

Only this office's dossiers (a store may hold a province's history).
"""

from __future__ import annotations

import heapq
import itertools
from datetime import datetime, time, timedelta
from typing import Any

from peewee import ModelSelect, fn

from counter_tui.core import statuses as st
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t
from counter_tui.core.lifecycle import WORKLISTS, WorkItem, Worklist
from counter_tui.core.ontime import OnTime, classify
from counter_tui.core.roles import Action
from counter_tui.db.models import Dossier, Office
from counter_tui.services.authority import gated
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


def _item(d: Dossier, now: datetime) -> WorkItem:
    klass = classify(d.status, d.due_at, d.resolved_at, now, paused_at=d.paused_at)
    return WorkItem(code=d.code, applicant_name=d.applicant_name, phone=d.phone,
                    procedure_name=d.procedure_name, status=d.status, received_at=d.received_at,
                    due_at=d.due_at, appointment_at=d.apology_due_at or d.due_at,
                    supplement_deadline=d.supplement_deadline, resolved_at=d.resolved_at,
                    returned_at=d.returned_at, holder=d.holder, ontime=klass.value,
                    ontime_label=klass.label)


def _ids(office: int | None, *conditions: Any) -> ModelSelect[Dossier]:
    """The ids of this office's dossiers meeting `conditions`: a range on one index that starts
    with the office (0004's dossier_worklist, 0005's), whatever the planner's statistics say."""
    return Dossier.select(Dossier.id).where(Dossier.office == office, *conditions)


def _query(name: str, now: datetime, office: int | None) -> ModelSelect[Dossier]:
    start = datetime.combine(now.date(), time.min)
    end = start + timedelta(days=1)
    ticking = Dossier.status.in_(TICKING)
    ids: Any
    if name == "due_today":
        # the legal due date today, or the apology's new date today: two index ranges
        ids = (_ids(office, ticking, Dossier.due_at >= start, Dossier.due_at < end)
               | _ids(office, Dossier.apology_due_at >= start, Dossier.apology_due_at < end,
                      ticking))
        order = [fn.COALESCE(Dossier.apology_due_at, Dossier.due_at), Dossier.id]
    elif name == "overdue":
        ids = (_ids(office, ticking, Dossier.due_at < now)
               | _ids(office, Dossier.status == st.SUPPLEMENT,
                      Dossier.paused_at > Dossier.due_at))
        order = [Dossier.due_at, Dossier.id]
    elif name == "supplements":
        ids = _ids(office, Dossier.status == st.SUPPLEMENT)
        order = [Dossier.supplement_deadline, Dossier.id]
    elif name == "ready":
        ids = _ids(office, Dossier.status == st.RESULT_READY)
        order = [Dossier.resolved_at, Dossier.id]
    elif name == "returned_today":
        # returned_at is set by the hand-over only (status 10)
        ids = _ids(office, Dossier.returned_at >= start, Dossier.returned_at < end)
        order = [Dossier.returned_at.desc(), Dossier.id.desc()]
    else:
        raise UserError("worklist.unknown", field="list", name=name, names=", ".join(NAMES))
    return Dossier.select().where(Dossier.id.in_(ids)).order_by(*order)


def _overdue_page(now: datetime, office: int | None, size: int) -> list[Dossier]:
    """The first `size` overdue dossiers, oldest due date first: one short walk of the
    (office, status, due_at) index per status, merged, rather than sorting every overdue
    dossier of the office to show the first page."""
    walks = [Dossier.select().where(Dossier.office == office, Dossier.status == status,
                                    Dossier.due_at < now)
             .order_by(Dossier.due_at, Dossier.id).limit(size) for status in TICKING]
    walks.append(Dossier.select().where(Dossier.office == office,
                                        Dossier.status == st.SUPPLEMENT,
                                        Dossier.paused_at > Dossier.due_at)
                 .order_by(Dossier.due_at, Dossier.id).limit(size))
    merged = heapq.merge(*(list(w) for w in walks), key=lambda d: (d.due_at, d.id))
    return list(itertools.islice(merged, size))


@gated(Action.DOSSIER_VIEW)
def worklist(store: Store, name: str, *, limit: int = LIMIT) -> Worklist:
    """One list, at most `limit` lines (`has_more` says when there are more)."""
    now = store.now()
    with store.read():
        office = _office_id(store)
        if name == "overdue":
            rows = _overdue_page(now, office, limit + 1)
        else:
            rows = list(_query(name, now, office).limit(limit + 1))
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
        return {name: _query(name, now, office).order_by().count() for name in NAMES}
