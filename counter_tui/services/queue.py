"""The queue desk: issue, call, serve, finish, mark absent, put back, transfer and void tickets.

Every action is one transaction that changes the ticket, stores an event with time, counter and
officer, and (for issuing) queues the ticket's slip, so wait and service times can be reported
and a crash never leaves a ticket half-issued. Taking the next ticket is a conditional update
(`state = 'waiting'`), so two counters calling at the same moment never get the same person.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from peewee import Case, fn

from counter_tui.core import queue_rules
from counter_tui.core.codes import format_ticket
from counter_tui.core.errors import UserError
from counter_tui.core.queue_rules import Action, State
from counter_tui.core.queue_views import (
    CounterView,
    GroupQueue,
    IssuedTicket,
    QueueOverview,
    TicketView,
)
from counter_tui.core.roles import Action as Allowed
from counter_tui.db.models import Ticket, TicketEvent
from counter_tui.services import kiosk_printer, printjobs, statements
from counter_tui.services.authority import gated
from counter_tui.services.numbering import next_number
from counter_tui.services.store import Store

ACTIVE = (State.CALLED.value, State.SERVING.value)


def _counter(store: Store, number: int | None) -> CounterView:
    counter = store.cfg.counter(number or 0)
    if counter is None:
        raise UserError("queue.unknown_counter", counter=number,
                        counters=", ".join(str(c.number) for c in store.cfg.counters))
    return CounterView(counter.number, counter.name, counter.groups)


def _group_name(store: Store, letter: str) -> str:
    group = store.cfg.group(letter)
    return group.name if group else letter


def _view(store: Store, t: Ticket, ahead: int | None = None) -> TicketView:
    return TicketView(
        id=t.id, code=format_ticket(t.series, t.number), group=t.group,
        group_name=_group_name(store, t.group), state=t.state, priority=t.priority,
        issued_at=t.issued_at, counter=t.counter, called_at=t.called_at,
        serving_at=t.serving_at, finished_at=t.finished_at, recalls=t.recalls,
        ahead=t.ahead_at_issue if ahead is None else ahead,
    )


def _event(store: Store, ticket_id: int, action: Action, before: str | None, after: str,
           note: str = "") -> None:
    statements.insert(store.db, TicketEvent, {
        "ticket": ticket_id, "at": store.now(), "action": action.value, "from_state": before,
        "to_state": after, "counter": store.counter, "officer": store.officer, "note": note})


def own_tickets(store: Store) -> Any:
    """This store's own tickets. On the district's centre the offices' tickets sit in the same
    table, their origin their office (services.sync): they are figures for the reports, not
    this counter's queue, whose numbers and counters they share."""
    return Ticket.origin.in_(("", store.cfg.office.agency_code))


def _waiting_for(store: Store, counter: CounterView | None, groups: tuple[str, ...],
                 day: date) -> Any:
    """Today's waiting tickets a counter may call, in call order: priority, then oldest."""
    where = (Ticket.day == day) & (Ticket.state == State.WAITING.value) & own_tickets(store)
    if counter is None:
        where &= Ticket.group.in_(groups)
    else:
        where &= ((Ticket.group.in_(groups) & Ticket.target_counter.is_null())
                  | (Ticket.target_counter == counter.number))
    priority_last = Case(None, [(Ticket.priority.is_null(), 1)], 0)
    return Ticket.select().where(where).order_by(priority_last, Ticket.issued_at, Ticket.id)


@gated(Allowed.QUEUE_ISSUE)
def issue(store: Store, group: str, priority: str | None = None) -> IssuedTicket:
    """A new ticket for `group`, stored with its slip in the print queue. It waits in the
    queue, is called and is counted only once the slip is out (queue_rules, PRINTING)."""
    letter = group.strip().upper()
    cfg_group = store.cfg.group(letter) if len(letter) == 1 else None
    if cfg_group is None:
        raise UserError("queue.unknown_group", field="group", group=group,
                        groups=", ".join(f"{g.letter} ({g.name})" for g in store.cfg.groups))
    if priority is not None and priority not in queue_rules.PRIORITIES:
        raise UserError("queue.unknown_priority", field="priority", kind=priority,
                        kinds=", ".join(queue_rules.PRIORITIES))
    from counter_tui.core.slips import ticket_slip  # the layout code loads on first issue

    now = store.now()
    serving = [c.name for c in store.cfg.counters if letter in c.groups]
    db = store.db
    with store.write():
        number = next_number(f"ticket:{letter}", now.date())
        ahead = db.execute_sql(*statements.sql(db, ("ahead", letter, now.date(), bool(priority),
                                                    store.cfg.office.agency_code),
                                               lambda: _ahead(store, letter, now.date(),
                                                              priority))).fetchone()[0]
        # not in the queue until its slip is out (printjobs.sent moves it to WAITING)
        state = queue_rules.INITIAL_STATE.value
        ticket_id = statements.insert_id(db, Ticket, {
            "day": now.date(), "series": letter, "number": number, "group": letter,
            "priority": priority, "state": state, "issued_at": now,
            "issued_by": store.counter, "ahead_at_issue": ahead})
        _event(store, ticket_id, Action.ISSUE, None, state)
        code = format_ticket(letter, number)
        slip = ticket_slip(
            office=store.cfg.office.name, group_name=cfg_group.name, code=code,
            counters=serving, ahead=ahead, issued_at=now,
            priority_label=queue_rules.priority_label(priority) if priority else None,
            qr_payload=code if store.cfg.printer.ticket_qr else None,
        )
        job = printjobs.enqueue(store, slip, ticket=ticket_id)
    view = TicketView(id=ticket_id, code=code, group=letter, group_name=cfg_group.name,
                      state=state, priority=priority, issued_at=now, ahead=ahead)
    return IssuedTicket(view, job)


def _ahead(store: Store, letter: str, day: date, priority: str | None) -> Any:
    """The tickets of the group waiting before a new one (with a priority: the priority
    tickets only, which it joins behind)."""
    query = Ticket.select(fn.COUNT(Ticket.id)).where(
        (Ticket.day == day) & (Ticket.group == letter) & (Ticket.state == State.WAITING.value)
        & own_tickets(store))
    return query.where(Ticket.priority.is_null(False)) if priority else query


def _current_query(store: Store, day: date, counter: int) -> Any:
    return (Ticket.select()
            .where((Ticket.day == day) & (Ticket.counter == counter) & Ticket.state.in_(ACTIVE)
                   & own_tickets(store))
            .order_by(Ticket.called_at.desc()).limit(1))


def _current(store: Store, counter: int) -> Ticket | None:
    return _current_query(store, store.now().date(), counter).first()


def _move(store: Store, ticket: Ticket, action: Action, note: str = "",
          **changes: Any) -> Ticket:
    before = ticket.state
    after = queue_rules.check_transition(State(before), action, ticket=format_ticket(
        ticket.series, ticket.number)).value
    Ticket.update(state=after, **changes).where(Ticket.id == ticket.id).execute()
    _event(store, ticket.id, action, before, after, note)
    return Ticket.get_by_id(ticket.id)


@gated(Allowed.QUEUE_SERVE)
def call_next(store: Store, counter: int | None = None) -> TicketView | None:
    """Finish what this counter was serving and call the next waiting ticket, if any."""
    cv = _counter(store, counter or store.counter)
    store = store.as_terminal(cv.number, store.officer)
    now = store.now()
    with store.write():
        current = _current(store, cv.number)
        if current is not None:
            _move(store, current, Action.DONE, finished_at=now)
        while True:
            candidate = _waiting_for(store, cv, cv.groups, now.date()).first()
            if candidate is None:
                return None
            taken = Ticket.update(
                state=State.CALLED.value, counter=cv.number, officer=store.officer,
                called_at=now, target_counter=None,
            ).where((Ticket.id == candidate.id)
                    & (Ticket.state == State.WAITING.value)).execute()
            if taken:
                _event(store, candidate.id, Action.CALL, State.WAITING.value, State.CALLED.value)
                return _view(store, Ticket.get_by_id(candidate.id))


def _act_on_current(store: Store, counter: int | None, action: Action, **changes: Any
                    ) -> TicketView:
    cv = _counter(store, counter or store.counter)
    store = store.as_terminal(cv.number, store.officer)
    with store.write():
        current = _current(store, cv.number)
        if current is None:
            raise UserError("queue.no_current", counter=cv.number)
        return _view(store, _move(store, current, action, **changes))


@gated(Allowed.QUEUE_SERVE)
def recall(store: Store, counter: int | None = None) -> TicketView:
    return _act_on_current(store, counter, Action.RECALL, recalls=Ticket.recalls + 1)


@gated(Allowed.QUEUE_SERVE)
def start_serving(store: Store, counter: int | None = None) -> TicketView:
    return _act_on_current(store, counter, Action.SERVE, serving_at=store.now())


@gated(Allowed.QUEUE_SERVE)
def finish(store: Store, counter: int | None = None) -> TicketView:
    return _act_on_current(store, counter, Action.DONE, finished_at=store.now())


@gated(Allowed.QUEUE_SERVE)
def mark_absent(store: Store, counter: int | None = None) -> TicketView:
    return _act_on_current(store, counter, Action.ABSENT, finished_at=store.now())


def _ticket(store: Store, ticket_id: int) -> Ticket:
    """One of this store's own tickets (on the centre, an office's is not; its office's)."""
    ticket = Ticket.get_or_none((Ticket.id == ticket_id) & own_tickets(store))
    if ticket is None:
        raise UserError("queue.no_ticket", ticket=ticket_id)
    return ticket


@gated(Allowed.QUEUE_SERVE)
def requeue(store: Store, ticket_id: int) -> TicketView:
    """An absent citizen came back: the ticket waits again, in its original place."""
    with store.write():
        return _view(store, _move(store, _ticket(store, ticket_id), Action.REQUEUE, counter=None,
                                  called_at=None, finished_at=None))


@gated(Allowed.QUEUE_SERVE)
def transfer(store: Store, *, to_group: str | None = None, to_counter: int | None = None,
             counter: int | None = None) -> TicketView:
    """Send the current ticket to another group's queue or to one counter; it keeps its number
    and its place (time of issue), so the citizen does not start waiting again."""
    cv = _counter(store, counter or store.counter)
    store = store.as_terminal(cv.number, store.officer)
    group = store.cfg.group(to_group) if to_group else None
    if to_group and group is None:
        raise UserError("queue.unknown_group", field="group", group=to_group,
                        groups=", ".join(g.letter for g in store.cfg.groups))
    target = _counter(store, to_counter) if to_counter else None
    with store.write():
        current = _current(store, cv.number)
        if current is None:
            raise UserError("queue.no_current", counter=cv.number)
        code = format_ticket(current.series, current.number)
        if (group is None or group.letter == current.group) and (
                target is None or target.number == cv.number):
            raise UserError("queue.transfer_target", ticket=code)
        note = f"-> {group.letter if group else ''}{f' #{target.number}' if target else ''}"
        ticket = _move(store, current, Action.TRANSFER, note=note.strip(),
                       group=group.letter if group else current.group,
                       target_counter=target.number if target else None,
                       counter=None, called_at=None, serving_at=None)
        return _view(store, ticket)


@gated(Allowed.QUEUE_VOID)
def void(store: Store, ticket_id: int, note: str = "") -> TicketView:
    """A ticket whose slip never reached the citizen: it leaves the queue (or never joins
    it), on the record, and its unsent slips are never printed."""
    with store.write():
        return _void(store, _ticket(store, ticket_id), note)


@gated(Allowed.QUEUE_ISSUE)
def withdraw_unprinted(store: Store, ticket_id: int, note: str = "") -> TicketView:
    """Whoever may issue (a kiosk) may take back a ticket whose slip never came out: it was
    never handed to anyone. A ticket past PRINTING needs an officer's void. The slip stays
    on every counter's list, withdrawn, until an officer has seen it (the kiosk's printer
    needs a hand)."""
    with store.write():
        ticket = _ticket(store, ticket_id)
        if ticket.state != State.PRINTING.value:
            raise UserError("queue.not_printing",
                            ticket=format_ticket(ticket.series, ticket.number))
        return _void(store, ticket, note, withdrawn=True)


def _void(store: Store, ticket: Ticket, note: str, *, withdrawn: bool = False) -> TicketView:
    ticket = _move(store, ticket, Action.VOID, note=note, finished_at=store.now())
    printjobs.void_for_ticket(ticket.id, withdrawn=withdrawn)
    return _view(store, ticket)


@gated(Allowed.QUEUE_VIEW)
def overview(store: Store, counter: int | None = None, limit: int = 15) -> QueueOverview:
    """What the counter screen shows: tallies per group, the current ticket, who waits next."""
    cv = _counter(store, counter or store.counter)
    today = store.now().date()
    db, n, groups_of = store.db, cv.number, cv.groups
    own = store.cfg.office.agency_code  # the statements read this store's own tickets
    # read after every commit in the office, by every terminal: the statements are built once
    # (services.statements); each key names everything its statement is built from
    with store.read():
        counts: dict[tuple[str, str], int] = {(g, s): c for g, s, c in statements.rows(
            db, ("queue.counts", today, own), lambda: Ticket.select(
                Ticket.group, Ticket.state, fn.COUNT(Ticket.id)).where(
                (Ticket.day == today) & own_tickets(store))
            .group_by(Ticket.group, Ticket.state))}
        groups = tuple(
            GroupQueue(g.letter, g.name, *(counts.get((g.letter, s.value), 0) for s in (
                State.WAITING, State.CALLED, State.SERVING, State.DONE, State.ABSENT)))
            for g in store.cfg.groups)
        current = statements.models(Ticket, db, ("queue.current", today, n, own),
                                    lambda: _current_query(store, today, n))
        waiting = statements.models(
            Ticket, db, ("queue.waiting", today, n, groups_of, limit, own),
            lambda: _waiting_for(store, cv, groups_of, today).limit(limit))
        absent = statements.models(
            Ticket, db, ("queue.absent", today, groups_of, limit, own),
            lambda: Ticket.select().where((Ticket.day == today)
                                          & (Ticket.state == State.ABSENT.value)
                                          & Ticket.group.in_(groups_of) & own_tickets(store))
            .order_by(Ticket.finished_at.desc()).limit(limit))
        return QueueOverview(
            counter=cv, groups=groups,
            current=_view(store, current[0]) if current else None,
            waiting=tuple(_view(store, t, ahead=i) for i, t in enumerate(waiting)),
            absent=tuple(_view(store, t) for t in absent),
            failed_jobs=tuple(printjobs.problems(store, limit=5)),
            kiosk_printers_down=kiosk_printer.down(store),
        )


def get(store: Store, ticket_id: int) -> TicketView:
    with store.read():
        return _view(store, _ticket(store, ticket_id))
