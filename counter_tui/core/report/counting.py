"""Which dossiers a period counts (new, carried over) and the on-time class each had at the end
of the period: the rules of the package docstring for one dossier, written with
`ontime.classify()`. The SQL in services.reports.periodic copies them, and the tests check that
the two agree dossier by dossier.
"""

from __future__ import annotations

from datetime import datetime

from counter_tui.core.ontime import FINISHED_STATUSES, WAITING_SUPPLEMENTS, OnTime, classify

PROCESSING = 4


def finished_before(status: int, finished_at: datetime | None, moment: datetime) -> bool:
    """Whether the dossier had left processing before `moment` (unknown moment: it had)."""
    return status in FINISHED_STATUSES and (finished_at is None or finished_at < moment)


def class_at(status: int, due_at: datetime | None, finished_at: datetime | None,
             paused_at: datetime | None, *, end: datetime, as_of: datetime) -> OnTime:
    """The class a dossier had at the end of a period: resolved (early / on time / late) if it
    finished before `end`, otherwise in progress (in time / overdue) judged at `as_of`."""
    if finished_before(status, finished_at, end):
        return classify(status, due_at, finished_at, as_of)
    if status == WAITING_SUPPLEMENTS and (paused_at is None or paused_at < as_of):
        return classify(status, due_at, None, as_of, paused_at=paused_at)
    return classify(PROCESSING, due_at, None, as_of)


def handled(received_at: datetime, status: int, finished_at: datetime | None,
            start: datetime, end: datetime) -> str | None:
    """'new' (received in the period), 'carried' (open at its start) or None (not counted)."""
    if start <= received_at < end:
        return "new"
    if received_at < start and not finished_before(status, finished_at, start):
        return "carried"
    return None
