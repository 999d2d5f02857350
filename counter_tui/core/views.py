"""The plain dataclasses services hand to the UI, the CLI and the tests.

Screens never see a database row: they get these frozen values, so a screen cannot change the
store behind a service's back, and the same values serialise straight to the CLI's JSON.
"""

from __future__ import annotations

import re
from datetime import datetime, time

from counter_tui.core.account_views import AccountView, SignedIn
from counter_tui.core.jsonable import jsonable
from counter_tui.core.queue_views import (
    CounterView,
    GroupQueue,
    IssuedTicket,
    PrintJobView,
    PrintStatus,
    QueueOverview,
    TicketView,
)
from counter_tui.core.records import frozen
from counter_tui.core.text import fold

# A checklist entry that applies only in some cases says so in its own name, as the
# procedures' published lists do: "Văn bản ủy quyền (nếu nộp thay)", "(trường hợp ...)",
# "(đối với ...)"; an English catalogue's "(if ...)". Matched without diacritics.
_CONDITION = re.compile(r"\((?:neu|truong hop|doi voi|if|when|where)\b")


def is_conditional(name: str) -> bool:
    """Whether a document of a procedure's checklist is needed only in some cases."""
    return bool(_CONDITION.search(fold(name)))


@frozen
class DossierFileView:
    """A digitised document of a dossier: its PDF's pages, size and hash, who made it, when;
    `purged`: the file was removed with the dossier's personal data."""

    id: int
    stage: str  # received | result
    document: str
    pages: int
    bytes: int
    sha256: str
    method: str  # scan | attach
    officer: str
    at: datetime
    purged: bool = False


@frozen
class DigitiseProgress:
    """What is to be digitised of a dossier and what is: its checklist, in order, and its
    files (services/documents.py)."""

    code: str
    status: int
    checklist: tuple[str, ...]
    files: tuple[DossierFileView, ...]

    def file_of(self, document: str, stage: str = "received") -> DossierFileView | None:
        return next((f for f in self.files if f.document == document and f.stage == stage
                     and not f.purged), None)

    def next_to_scan(self) -> str | None:
        """The first document of the checklist with no file yet."""
        return next((name for name in self.checklist if self.file_of(name) is None), None)


@frozen
class DocumentView:
    """A document of a checklist: on a procedure, the counts it takes when it is brought (a
    conditional one starts unticked, see `starting`); on a dossier, what was received."""

    name: str
    originals: int
    copies: int

    @property
    def conditional(self) -> bool:
        return is_conditional(self.name)

    def starting(self) -> tuple[int, int]:
        """(originals, copies) a new dossier's checklist starts with: none for a document
        needed only in some cases (the officer ticks it when that case applies), so a
        receipt never lists a document that was not handed in."""
        if self.conditional:
            return 0, 0
        return self.originals or (0 if self.copies else 1), self.copies


@frozen
class ProcedureView:
    """A procedure of the catalogue, with its checklist of documents."""

    id: int
    code: str
    national_code: str
    name: str
    field: str
    level: str
    processing_days: int
    same_day_cutoff: time | None
    fee_vnd: int
    fee_online_vnd: int
    fee_note: str
    documents: tuple[DocumentView, ...] = ()


@frozen
class DossierEventView:
    at: datetime
    action: str
    from_status: int | None
    to_status: int | None
    officer: str | None
    counter: int | None
    note: str
    data: str = ""


@frozen
class DossierSummary:
    """One line of a lookup result."""

    id: int
    code: str
    applicant_name: str
    phone: str
    procedure_name: str
    channel: str
    status: int
    received_at: datetime
    due_at: datetime | None


@frozen
class DossierView:
    id: int
    code: str
    office: str
    procedure_code: str
    procedure_name: str
    field: str
    channel: str
    level: str
    status: int
    applicant_name: str
    id_number_masked: str
    id_kind: str
    phone: str
    address: str
    email: str
    representative: str
    sets: int
    fee_vnd: int
    received_at: datetime
    due_at: datetime | None
    original_due_at: datetime | None
    paused_at: datetime | None
    resolved_at: datetime | None
    returned_at: datetime | None
    return_method: str
    post_option: int | None
    waybill: str
    postal_charge_vnd: int
    delivery_address: str
    portal_code: str
    vneid: bool
    paid_online: bool
    ticket_id: int | None
    officer: str
    counter: int | None
    rating: int | None
    note: str
    documents: tuple[DocumentView, ...] = ()
    events: tuple[DossierEventView, ...] = ()
    print_jobs: tuple[PrintJobView, ...] = ()
    # the lifecycle (services/lifecycle/): the apology's new appointment beside due_at, the
    # unit holding the dossier ("" = the one-stop desk), who took the result (ID masked), and
    # the on-time class by core.ontime.classify ("" when read without a clock)
    apology_due_at: datetime | None = None
    supplement_deadline: datetime | None = None
    holder: str = ""
    collected_by: str = ""
    collected_id_masked: str = ""
    return_waybill: str = ""
    delivered_at: datetime | None = None
    ontime: str = ""
    ontime_label: str = ""
    files: tuple[DossierFileView, ...] = ()  # the digitised documents (services/documents.py)


@frozen
class ReceivedDossier:
    dossier: DossierView
    print_job: int


@frozen
class FindResult:
    """A page of lookup results; `kind` says what the text was taken for."""

    kind: str
    query: str
    items: tuple[DossierSummary, ...]
    page: int
    has_more: bool


@frozen
class CallView:
    """One call (or recall) of a ticket to a counter, as the waiting room is told of it."""

    event_id: int  # increasing: a display announces the calls newer than the last it saw
    code: str
    counter: int
    counter_name: str
    at: datetime
    recall: bool = False


@frozen
class CounterNow:
    number: int
    name: str
    code: str | None  # the ticket called or served there now, None when free


@frozen
class DisplayBoard:
    """What the waiting-room display shows: no names, no personal data, only numbers."""

    office: str
    as_of: datetime
    counters: tuple[CounterNow, ...]
    calls: tuple[CallView, ...]  # newest first
    waiting: tuple[tuple[str, str, int], ...]  # (letter, group name, tickets waiting)


# the queue's and the accounts' values live in their own modules (see there); every view
# is still importable from here
__all__ = [
    "AccountView", "CallView", "CounterNow", "CounterView", "DisplayBoard", "DocumentView",
    "DossierEventView", "DossierSummary", "DossierView", "FindResult", "GroupQueue",
    "IssuedTicket", "PrintJobView", "PrintStatus", "ProcedureView", "QueueOverview",
    "ReceivedDossier", "SignedIn", "TicketView", "is_conditional", "jsonable",
]
