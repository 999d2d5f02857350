"""The ticket kiosk's one act: a citizen takes a number for a group.

The kiosk runs under its own account (Role.KIOSK), which may issue tickets and view the queue,
nothing else; the gate is here, so a kiosk's key used from a script is held to the same rule.
The ticket is issued as every ticket is (services.queue: numbered in its transaction, its slip
queued with it, in the queue only once the slip is out).

At a counter a slip that failed waits for the officer to reprint it; at a kiosk nobody is
there to hand it over, and the citizen has been sent to the help desk. So a slip that did not
print at once is withdrawn: its ticket is voided (on the record, with the printer's reason) and
the slip will never come out later by itself. The slip stays on every counter's list of
print problems, withdrawn, until an officer has seen it: the counters hear of it at once (the
change feed) and know the kiosk's printer needs a hand. Only a slip that may be on paper (the
printer took part of it) is left, for an officer to check.

Nobody stands at a kiosk: only a technician's PIN lets it leave its screen (`leave`).
"""

from __future__ import annotations

from counter_tui.core.roles import Action, Role
from counter_tui.core.views import IssuedTicket
from counter_tui.services import accounts, printjobs, queue
from counter_tui.services.authority import require
from counter_tui.services.store import Store


def issue(store: Store, group: str, priority: str | None = None) -> IssuedTicket:
    require(store, Action.QUEUE_ISSUE)
    return queue.issue(store, group, priority)


def withdraw_unprinted(store: Store, issued: IssuedTicket) -> str:
    """After the kiosk sent the slip: "printed", "withdrawn" (the ticket voided: nothing
    issued) or "unsure" (the slip may be on paper: left for an officer)."""
    require(store, Action.QUEUE_ISSUE)
    status = printjobs.print_status(store, issued.print_job)
    if status.printed:
        return "printed"
    if status.state not in (printjobs.QUEUED, printjobs.FAILED):
        return "unsure"
    queue.withdraw_unprinted(store, issued.ticket.id, note=status.error[:200])
    return "withdrawn"


def leave(store: Store, username: str, pin: str) -> str:
    """A technician lets the kiosk leave its screen with their own username and PIN (a citizen
    at the keypad cannot): held to sign-in's delays and lock, every refusal recorded, the
    leave recorded with who allowed it. The kiosk keeps acting as itself meanwhile."""
    return accounts.confirm(store, username, pin, Role.TECHNICIAN, "kiosk:leave").username
