"""The on-time class of a dossier: one rule for the screens, the exports and the SQL reports.

The periodic report (Biểu II.06a) splits resolved dossiers into early / on time / late and open
ones into in time / overdue; the daily board and the overdue list show the same words. If the
screen and the report each decided this their own way they would disagree, so the rule lives
here, and reports that count in SQL copy it literally.

The rule (statuses are the national portal's codes), checked top to bottom:

* 3 refused, 7 withdrawn: ``on_time``, always.
* 8 stopped: ``late`` if finished_at > due_at, else ``on_time`` (also when either is missing).
* 9 result ready, 10 returned: ``late`` if finished_at > due_at; else ``early`` if
  DATE(finished_at) < DATE(due_at); else ``on_time`` (also when either is missing).
* 5 waiting for supplements: ``overdue`` if paused_at > due_at, else ``in_time`` (also when
  either is missing).
* 1, 2, 4, 6 (open): ``overdue`` if now > due_at, else ``in_time`` (also without a due date).
* Any other status is a bug: ValueError (NULL in SQL).

For 9 and 10, `finished_at` is the moment the result was ready (the resolution), not the
hand-over. "Early" compares calendar dates only: a result ready on a day before the due day is
early whatever that day was. A stopped dossier (8) is never early: stopping is not a resolution.

Status 5 is open but its clock is paused: the due date is shifted when processing resumes
(`WorkingCalendar.shift_for_pause`), so while it waits it is in time, unless the due date had
already passed when the pause began; `paused_at` (optional) is when the wait began.

The same rule as SQL (NULL comparisons fall to ELSE, which gives the rule above for missing data)::

    CASE
      WHEN status IN (3, 7) THEN 'on_time'
      WHEN status = 8 THEN CASE WHEN finished_at > due_at THEN 'late' ELSE 'on_time' END
      WHEN status IN (9, 10) THEN CASE
          WHEN finished_at > due_at THEN 'late'
          WHEN DATE(finished_at) < DATE(due_at) THEN 'early'
          ELSE 'on_time' END
      WHEN status = 5 THEN CASE WHEN paused_at > due_at THEN 'overdue' ELSE 'in_time' END
      WHEN status IN (1, 2, 4, 6) THEN CASE WHEN :now > due_at THEN 'overdue' ELSE 'in_time' END
    END
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from counter_tui.core.i18n import t

REFUSED, WITHDRAWN, STOPPED, RESULT_READY, RETURNED = 3, 7, 8, 9, 10
WAITING_SUPPLEMENTS = 5

FINISHED_STATUSES: frozenset[int] = frozenset({3, 7, 8, 9, 10})
OPEN_STATUSES: frozenset[int] = frozenset({1, 2, 4, 5, 6})


class OnTime(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"
    IN_TIME = "in_time"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        """The word an officer reads, in the chosen language."""
        return t(f"ontime.{self.value}")


def resolved_class(due_at: datetime | None, finished_at: datetime | None) -> OnTime:
    """Early / on time / late for a dossier resolved at `finished_at` (statuses 9, 10)."""
    if due_at is None or finished_at is None:
        return OnTime.ON_TIME
    if finished_at > due_at:
        return OnTime.LATE
    if finished_at.date() < due_at.date():
        return OnTime.EARLY
    return OnTime.ON_TIME


def open_class(due_at: datetime | None, now: datetime) -> OnTime:
    """In time / overdue for a dossier still being worked on."""
    if due_at is not None and now > due_at:
        return OnTime.OVERDUE
    return OnTime.IN_TIME


def classify(status_code: int, due_at: datetime | None, finished_at: datetime | None,
             now: datetime, *, paused_at: datetime | None = None) -> OnTime:
    """The on-time class of a dossier; see the module docstring for the rule."""
    if status_code in (REFUSED, WITHDRAWN):
        return OnTime.ON_TIME
    if status_code == STOPPED:
        if due_at is not None and finished_at is not None and finished_at > due_at:
            return OnTime.LATE
        return OnTime.ON_TIME
    if status_code in (RESULT_READY, RETURNED):
        return resolved_class(due_at, finished_at)
    if status_code == WAITING_SUPPLEMENTS:
        # The clock stands still while the citizen gathers documents: only a dossier that was
        # already overdue when the wait began stays overdue.
        return open_class(due_at, paused_at) if paused_at is not None else OnTime.IN_TIME
    if status_code in OPEN_STATUSES:
        return open_class(due_at, now)
    raise ValueError(f"unknown dossier status {status_code}")
