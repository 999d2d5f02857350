"""What may happen to a queue ticket, in what order, and who is called first.

The queue service stores tickets and events; this module is the one place that says whether an
action is allowed in a ticket's current state, so every counter, the CLI and the tests refuse the
same things with the same message.

    PRINTING --printed--> WAITING --call--> CALLED --serve--> SERVING --done--> DONE
    CALLED --recall--> CALLED               (the announcement is repeated)
    CALLED --done--> DONE                   (served without pressing "start")
    CALLED, SERVING --absent--> ABSENT      (no-show, or left before the end)
    ABSENT --requeue--> WAITING             (came back)
    WAITING, CALLED, SERVING --transfer--> WAITING   (in another group or for one counter)
    PRINTING, WAITING, CALLED, SERVING, ABSENT --void--> VOID   (the slip never reached them)

Choices, and why:

- A transfer is not a state. The ticket keeps its printed number and its time of issue, moves
  to the other group (or is pinned to one counter) and waits again. The citizen holds a paper
  slip: a new number would need a new slip and an announcement of a number nobody holds, and
  keeping the time of issue means they do not queue twice for one visit. The event log records
  where it went, which is all a report needs.
- CALLED --done--> DONE is allowed: officers often serve the citizen who walks up without
  pressing "start serving", and "call next" closes the current ticket. The service time is then
  counted from the call.
- A requeued ticket keeps its time of issue too, so a citizen who was outside when called is
  taken at their original place, the usual "gọi lại số bỏ qua" practice.
- Issuing creates a ticket in PRINTING: its number is taken, its slip is not out yet. It joins
  the queue (WAITING) when the printer has taken its slip, or when an officer says a doubtful
  slip did come out. A ticket whose slip failed stays in PRINTING until it is reprinted or
  voided, so it is never called, never counted ahead of anyone and never counted as issued
  (HANDED_OUT is what every count reads): a failed print is never silently counted as handed
  out (domain.md, section 8). Issuing is an action for the event log, never a transition.
- DONE and VOID are final: a citizen who needs more is given a new number.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol

from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t


class State(StrEnum):
    PRINTING = "printing"
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    ABSENT = "absent"
    VOID = "void"

    @property
    def label(self) -> str:
        return t(f"queue_rules.state.{self.value}")


class Action(StrEnum):
    ISSUE = "issue"
    PRINTED = "printed"
    CALL = "call"
    RECALL = "recall"
    SERVE = "serve"
    DONE = "done"
    ABSENT = "absent"
    REQUEUE = "requeue"
    TRANSFER = "transfer"
    VOID = "void"

    @property
    def label(self) -> str:
        return t(f"queue_rules.action.{self.value}")


class Priority(StrEnum):
    """Who is called before the others (domain §8). All kinds rank equally: among priority
    tickets the oldest goes first; the kind is kept for the slip and for reports."""

    ELDERLY = "elderly"
    DISABLED = "disabled"
    PREGNANT = "pregnant"
    SMALL_CHILDREN = "small_children"
    MERIT = "merit"

    @property
    def label(self) -> str:
        return t(f"queue_rules.priority.{self.value}")


PRIORITIES: tuple[str, ...] = tuple(p.value for p in Priority)
INITIAL_STATE = State.PRINTING
FINAL_STATES = frozenset({State.DONE, State.VOID})
# the tickets a citizen holds: what the board, the reports and the printed summary count
HANDED_OUT: tuple[str, ...] = tuple(s.value for s in State
                                    if s not in (State.PRINTING, State.VOID))

TRANSITIONS: Mapping[tuple[State, Action], State] = MappingProxyType({
    (State.PRINTING, Action.PRINTED): State.WAITING,
    (State.PRINTING, Action.VOID): State.VOID,
    (State.WAITING, Action.CALL): State.CALLED,
    (State.WAITING, Action.TRANSFER): State.WAITING,
    (State.WAITING, Action.VOID): State.VOID,
    (State.CALLED, Action.RECALL): State.CALLED,
    (State.CALLED, Action.SERVE): State.SERVING,
    (State.CALLED, Action.DONE): State.DONE,
    (State.CALLED, Action.ABSENT): State.ABSENT,
    (State.CALLED, Action.TRANSFER): State.WAITING,
    (State.CALLED, Action.VOID): State.VOID,
    (State.SERVING, Action.DONE): State.DONE,
    (State.SERVING, Action.ABSENT): State.ABSENT,
    (State.SERVING, Action.TRANSFER): State.WAITING,
    (State.SERVING, Action.VOID): State.VOID,
    (State.ABSENT, Action.REQUEUE): State.WAITING,
    (State.ABSENT, Action.VOID): State.VOID,
})


class _Label:
    """A message parameter translated when the message is shown, not when it is raised, so a
    UserError raised before a language switch still reads in the language on screen."""

    def __init__(self, *keys: str) -> None:
        self.keys = keys

    def __str__(self) -> str:
        return ", ".join(t(key) for key in self.keys)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


class _Hint:
    def __init__(self, state: State) -> None:
        self.state = state

    def __str__(self) -> str:
        if self.state in FINAL_STATES:
            return t("queue_rules.hint.final")
        actions = _Label(*(f"queue_rules.action.{a.value}" for a in allowed_actions(self.state)))
        return t("queue_rules.hint.allowed", actions=actions)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def priority_label(kind: str) -> str:
    """The printed and spoken name of a priority kind; an unknown kind (kept from an older
    configuration) is shown as stored rather than breaking the screen."""
    try:
        return Priority(kind).label
    except ValueError:
        return kind


def allowed_actions(state: State | str) -> tuple[Action, ...]:
    """The actions possible from `state`, in the order of `Action` (for menus and hints)."""
    state = State(state)
    return tuple(a for a in Action if (state, a) in TRANSITIONS)


def check_transition(state: State | str, action: Action | str, *,
                     ticket: str | None = None) -> State:
    """The state after `action`, or UserError saying why not and what is possible instead,
    e.g. "Số A015 đang ở trạng thái 'đã xong', không thể gọi lại. …".

    A state or action that is not one of the enums is a programming error (ValueError).
    """
    state, action = State(state), Action(action)
    after = TRANSITIONS.get((state, action))
    if after is not None:
        return after
    key = "queue_rules.refused" if ticket else "queue_rules.refused_unnamed"
    raise UserError(key, ticket=ticket, state=_Label(f"queue_rules.state.{state.value}"),
                    action=_Label(f"queue_rules.action.{action.value}"), hint=_Hint(state))


class Queued(Protocol):
    """What ordering needs of a ticket: a Ticket row or a view of one will do."""

    @property
    def priority(self) -> str | None: ...

    @property
    def issued_at(self) -> datetime: ...

    @property
    def id(self) -> int: ...


def next_ticket_order(ticket: Queued) -> tuple[int, datetime, int]:
    """Sort key for "call next": priority tickets first, then the earliest issued, then the
    lowest id (two tickets issued in the same second are still called in issue order).

        waiting.sort(key=next_ticket_order)
    """
    return (0 if ticket.priority else 1, ticket.issued_at, ticket.id)
