"""What the waiting-room display reads: the number at each counter, the last calls, who waits.

The display runs under its own account (Role.DISPLAY), which may only view the queue; the
board holds ticket numbers and counters, never a name. One read, a handful of small queries on
today's tickets, made when the change feed says a terminal committed.
"""

from __future__ import annotations

from peewee import fn

from counter_tui.core.codes import format_ticket
from counter_tui.core.queue_rules import Action as QueueAction
from counter_tui.core.queue_rules import State
from counter_tui.core.roles import Action
from counter_tui.core.views import CallView, CounterNow, DisplayBoard
from counter_tui.db.models import Ticket, TicketEvent
from counter_tui.services import statements
from counter_tui.services.authority import require
from counter_tui.services.queue import own_tickets
from counter_tui.services.store import Store

ACTIVE = (State.CALLED.value, State.SERVING.value)


def board(store: Store, calls: int = 6) -> DisplayBoard:
    require(store, Action.QUEUE_VIEW)
    now = store.now()
    today = now.date()
    names = {c.number: c.name for c in store.cfg.counters}
    db = store.db
    own = store.cfg.office.agency_code  # this store's own tickets (queue.own_tickets)
    # read after every commit in the office: the statements are built once
    # (services.statements); each key names everything its statement is built from
    with store.read():
        serving: dict[int, str] = {}
        rows = statements.rows(db, ("display.serving", today, own), lambda: Ticket.select(
            Ticket.counter, Ticket.series, Ticket.number).where(
            (Ticket.day == today) & Ticket.state.in_(ACTIVE) & own_tickets(store))
            .order_by(Ticket.called_at))
        for counter, series, number in rows:
            serving[counter] = format_ticket(series, number)  # the latest call wins
        events = statements.rows(db, ("display.calls", today, calls, own), lambda: (
            TicketEvent.select(TicketEvent.id, TicketEvent.counter, TicketEvent.at,
                               TicketEvent.action, Ticket.series, Ticket.number)
            .join(Ticket).where(
                (Ticket.day == today) & TicketEvent.counter.is_null(False) & own_tickets(store)
                & TicketEvent.action.in_((QueueAction.CALL.value, QueueAction.RECALL.value)))
            .order_by(TicketEvent.id.desc()).limit(calls)))
        recent = tuple(
            CallView(event_id=eid, code=format_ticket(series, number), counter=counter,
                     counter_name=names.get(counter, str(counter)), at=at,
                     recall=action == QueueAction.RECALL.value)
            for eid, counter, at, action, series, number in events)
        waiting = dict(statements.rows(db, ("display.waiting", today, own), lambda: Ticket.select(
            Ticket.group, fn.COUNT(Ticket.id)).where(
            (Ticket.day == today) & (Ticket.state == State.WAITING.value) & own_tickets(store))
            .group_by(Ticket.group)))
    return DisplayBoard(
        office=store.cfg.office.name, as_of=now,
        counters=tuple(CounterNow(c.number, c.name, serving.get(c.number))
                       for c in store.cfg.counters),
        calls=recent,
        waiting=tuple((g.letter, g.name, waiting.get(g.letter, 0)) for g in store.cfg.groups))
