"""The values the queue's services hand out: tickets, the queue's overview, print jobs.

Apart from the other views (core.views, which re-exports these) because a kiosk's
`ticket issue` is one whole process, and building the dossier views' classes there cost it
more than issuing the ticket.
"""

from __future__ import annotations

from dataclasses import field
from datetime import datetime

from counter_tui.core.records import frozen


@frozen
class TicketView:
    id: int
    code: str
    group: str
    group_name: str
    state: str
    priority: str | None
    issued_at: datetime
    counter: int | None = None
    called_at: datetime | None = None
    serving_at: datetime | None = None
    finished_at: datetime | None = None
    recalls: int = 0
    ahead: int = 0


@frozen
class PrintStatus:
    """What became of a slip: queued, sent, failed or unsure (with the reason) or void."""

    job_id: int
    state: str
    error: str = ""
    label: str = ""  # the state as an officer reads it ("lỗi in", "cần kiểm tra")
    kind: str = ""  # what the slip is ("biên nhận hồ sơ")

    @property
    def printed(self) -> bool:
        return self.state == "sent"


@frozen
class IssuedTicket:
    ticket: TicketView
    print_job: int


@frozen
class GroupQueue:
    letter: str
    name: str
    waiting: int
    called: int
    serving: int
    done: int
    absent: int


@frozen
class KioskPrinterView:
    """A ticket kiosk's printer that cannot print: why, and since when."""

    printer: str
    reason: str
    since: datetime | None


@frozen
class PrintJobView:
    id: int
    kind: str
    state: str
    label: str
    error: str
    attempts: int
    created_at: datetime
    ticket_id: int | None = None
    dossier_id: int | None = None
    counter: int | None = None  # the counter that queued it; None: the CLI or a kiosk


@frozen
class CounterView:
    number: int
    name: str
    groups: tuple[str, ...]


@frozen
class QueueOverview:
    """Everything the counter screen shows about the queue, read in one go."""

    counter: CounterView
    groups: tuple[GroupQueue, ...]
    current: TicketView | None
    waiting: tuple[TicketView, ...]
    absent: tuple[TicketView, ...]
    failed_jobs: tuple[PrintJobView, ...] = field(default=())
    kiosk_printers_down: tuple[KioskPrinterView, ...] = field(default=())
