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

from datetime import datetime, time, timedelta

from peewee import ModelSelect, fn

from counter_tui.core import statuses as st
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import messages, t
from counter_tui.core.lifecycle import WORKLISTS, WorkItem, Worklist
from counter_tui.core.ontime import OnTime, classify
from counter_tui.services.store import Store
from db.models import Dossier, Office

NAMES = WORKLISTS
LIMIT = 200
# open and ticking: a dossier waiting for supplements (5) has its clock stopped
TICKING = (st.SUBMITTED_ONLINE, st.RECEIVED, st.PROCESSING, st.AWAITING_PAYMENT)

messages({
    "worklist.due_today": ("Đến hạn hôm nay", "Due today"),
    "worklist.overdue": ("Quá hạn", "Overdue"),
    "worklist.supplements": ("Chờ bổ sung", "Waiting for supplements"),
    "worklist.ready": ("Chờ trả kết quả", "Ready to return"),
    "worklist.returned_today": ("Đã trả hôm nay", "Returned today"),
    "worklist.unknown": ("Không có danh sách '{name}'; chọn: {names}",
                         "There is no list '{name}'; choose: {names}"),
})


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


def _query(name: str, now: datetime) -> ModelSelect[Dossier]:
    start = datetime.combine(now.date(), time.min)
    end = start + timedelta(days=1)
    q = Dossier.select()
    if name == "due_today":
        appointment = fn.COALESCE(Dossier.apology_due_at, Dossier.due_at)
        return (q.where(Dossier.status.in_(TICKING)
                        & (((Dossier.due_at >= start) & (Dossier.due_at < end))
                           | ((Dossier.apology_due_at >= start) & (Dossier.apology_due_at < end))))
                .order_by(appointment, Dossier.id))
    if name == "overdue":
        return (q.where((Dossier.status.in_(TICKING) & (Dossier.due_at < now))
                        | ((Dossier.status == st.SUPPLEMENT)
                           & (Dossier.paused_at > Dossier.due_at)))
                .order_by(Dossier.due_at, Dossier.id))
    if name == "supplements":
        return (q.where(Dossier.status == st.SUPPLEMENT)
                .order_by(Dossier.supplement_deadline, Dossier.id))
    if name == "ready":
        return (q.where(Dossier.status == st.RESULT_READY)
                .order_by(Dossier.resolved_at, Dossier.id))
    if name == "returned_today":
        return (q.where((Dossier.status == st.RETURNED) & (Dossier.returned_at >= start)
                        & (Dossier.returned_at < end))
                .order_by(Dossier.returned_at.desc(), Dossier.id.desc()))
    raise UserError("worklist.unknown", field="list", name=name, names=", ".join(NAMES))


def worklist(store: Store, name: str, *, limit: int = LIMIT) -> Worklist:
    """One list, at most `limit` lines (`has_more` says when there are more)."""
    now = store.now()
    with store.read():
        query = _query(name, now)
        office = _office_id(store)
        rows = list(query.where(Dossier.office == office).limit(limit + 1))
    items = [_item(d, now) for d in rows[:limit]]
    if name == "overdue":  # the SQL preselects; the one rule decides
        items = [i for i in items if i.ontime == OnTime.OVERDUE.value]
    return Worklist(name=name, items=tuple(items), has_more=len(rows) > limit)


def counts(store: Store) -> dict[str, int]:
    """How many dossiers each list holds now, for the tabs' titles."""
    now = store.now()
    with store.read():
        office = _office_id(store)
        return {name: _query(name, now).where(Dossier.office == office).order_by().count()
                for name in NAMES}
