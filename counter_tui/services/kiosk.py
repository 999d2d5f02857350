"""The ticket kiosk's one act: a citizen takes a number for a group.

The kiosk runs under its own account (Role.KIOSK), which may issue tickets and view the queue,
nothing else; the gate is here, so a kiosk's key used from a script is held to the same rule.
The ticket is issued as every ticket is (services.queue: numbered in its transaction, its slip
queued with it, in the queue only once the slip is out).
"""

from __future__ import annotations

from counter_tui.core.roles import Action
from counter_tui.core.views import IssuedTicket
from counter_tui.services import queue
from counter_tui.services.authority import require
from counter_tui.services.store import Store


def issue(store: Store, group: str) -> IssuedTicket:
    require(store, Action.QUEUE_ISSUE)
    return queue.issue(store, group)
