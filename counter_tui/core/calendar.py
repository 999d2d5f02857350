"""The office's working calendar: when a dossier counts as received and when its result is due.

The appointment printed on every receipt, the overdue list and the on-time columns of the reports
all depend on which days and hours the office works. This module turns that (sessions, days off,
make-up days) into the arithmetic the law describes, with the standard library only, so it is
testable without a database and the same answer is given by the counter, the CLI and the reports.
Where the days off come from (the `holidays` package, config.toml) is the services' business.

All datetimes are naive, in the office's local time.

The rules, in the order they apply:

* **Working day.** Monday to Friday with the weekday `sessions`; Saturday with
  `saturday_sessions` (so it is a working day only when those are configured); never Sunday. A
  date in `days_off` is not a working day. A date in `make_up_days` is a working day with the
  weekday `sessions`, whatever its weekday, **even when it is also in `days_off`**: the make-up
  list is the more specific, later decision (a government swap names the Saturday to work), so
  it wins.
* **Effective receipt.** Received before the day's first session: that session's start.
  During a session or a break between sessions (lunch): the time itself. At or after the end of
  the day's last session (17:00 sharp included), or on a non-working day: the start of the next
  working day.
* **Due date, N >= 1 working days.** The day of (effective) receipt is not counted: due at the
  end of the last session of the Nth working day after it. A same-day cut-off is ignored.
* **Due date, N = 0 (same day).** Effective receipt strictly before the cut-off (15:00): due at
  the end of that day's last session; at or after the cut-off: end of the next working day.
  Without a cut-off: end of that day.
* **Working minutes.** Only the time inside sessions of working days counts. Adding time that
  ends exactly at the end of a session stops there (11:30, 17:00), it does not jump to the next
  session. Differences are whole minutes, rounded down.
* **Pause for supplements.** The due date moves later by the working minutes between the pause
  and the resumption, added from the old due date. A due date at the end of a day (17:00) thus
  continues the next working morning: a pause of one full working day moves Friday 17:00 to
  Monday 17:00.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date, datetime, time, timedelta

from counter_tui.core.records import frozen

Session = tuple[time, time]

DEFAULT_SESSIONS: tuple[Session, ...] = ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))

_ONE_DAY = timedelta(days=1)
_ONE_MINUTE = timedelta(minutes=1)
# A calendar whose days off leave no working day for ten years is a configuration error, not a
# reason to loop forever.
_SEARCH_LIMIT_DAYS = 3660
_SATURDAY, _SUNDAY = 5, 6


def _check_sessions(name: str, sessions: tuple[Session, ...]) -> None:
    previous_end: time | None = None
    for start, end in sessions:
        if end <= start or (previous_end is not None and start < previous_end):
            raise ValueError(f"{name}: sessions must be in order, each ending after it starts "
                             f"and not overlapping: {sessions!r}")
        previous_end = end


@frozen
class WorkingCalendar:
    """Sessions and days off of one office; see the module docstring for the rules."""

    sessions: tuple[Session, ...] = DEFAULT_SESSIONS
    saturday_sessions: tuple[Session, ...] = ()
    days_off: frozenset[date] = frozenset()
    make_up_days: frozenset[date] = frozenset()
    # Intake asks for the same few weeks over and over; these memoise per-day answers. They are
    # not part of the calendar's identity.
    _sessions_cache: dict[date, tuple[Session, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False)
    _next_cache: dict[date, date] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not self.sessions:
            raise ValueError("sessions: a working day needs at least one session")
        _check_sessions("sessions", self.sessions)
        _check_sessions("saturday_sessions", self.saturday_sessions)
        # Callers often have sets or tuples at hand; freezing here keeps the calendar hashable.
        object.__setattr__(self, "days_off", frozenset(self.days_off))
        object.__setattr__(self, "make_up_days", frozenset(self.make_up_days))

    # -- days -------------------------------------------------------------------------------

    def sessions_of(self, d: date) -> tuple[Session, ...]:
        """The sessions worked on `d`; empty when it is not a working day."""
        cached = self._sessions_cache.get(d)
        if cached is not None:
            return cached
        if d in self.make_up_days:
            result = self.sessions
        elif d in self.days_off:
            result = ()
        else:
            weekday = d.weekday()
            if weekday == _SUNDAY:
                result = ()
            elif weekday == _SATURDAY:
                result = self.saturday_sessions
            else:
                result = self.sessions
        self._sessions_cache[d] = result
        return result

    def is_working_day(self, d: date) -> bool:
        return bool(self.sessions_of(d))

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        cached = self._next_cache.get(d)
        if cached is not None:
            return cached
        day = d
        for _ in range(_SEARCH_LIMIT_DAYS):
            day += _ONE_DAY
            if self.sessions_of(day):
                self._next_cache[d] = day
                return day
        raise ValueError(f"no working day within {_SEARCH_LIMIT_DAYS} days after {d}")

    def day_start(self, d: date) -> datetime:
        """Start of the first session of working day `d`."""
        sessions = self._working_sessions(d)
        return datetime.combine(d, sessions[0][0])

    def day_end(self, d: date) -> datetime:
        """End of the last session of working day `d`: the hour a due date falls on."""
        sessions = self._working_sessions(d)
        return datetime.combine(d, sessions[-1][1])

    def _working_sessions(self, d: date) -> tuple[Session, ...]:
        sessions = self.sessions_of(d)
        if not sessions:
            raise ValueError(f"{d} is not a working day")
        return sessions

    # -- receipt and due date ---------------------------------------------------------------

    def effective_receipt(self, received: datetime) -> datetime:
        """When a dossier received at `received` starts counting."""
        day = received.date()
        sessions = self.sessions_of(day)
        if sessions:
            first = datetime.combine(day, sessions[0][0])
            if received < first:
                return first
            if received < datetime.combine(day, sessions[-1][1]):
                return received
        return self.day_start(self.next_working_day(day))

    def due_at(self, received: datetime, processing_days: int,
               same_day_cutoff: time | None = None) -> datetime:
        """The appointment for a procedure of `processing_days` working days (0 = same day)."""
        if processing_days < 0:
            raise ValueError(f"processing_days must be 0 or more, not {processing_days}")
        effective = self.effective_receipt(received)
        day = effective.date()
        if processing_days == 0:
            if same_day_cutoff is not None and effective.time() >= same_day_cutoff:
                day = self.next_working_day(day)
            return self.day_end(day)
        for _ in range(processing_days):
            day = self.next_working_day(day)
        return self.day_end(day)

    # -- working time -----------------------------------------------------------------------

    def add_working_minutes(self, start: datetime, minutes: int) -> datetime:
        """The moment `minutes` of working time after `start` (for procedures timed in hours)."""
        if minutes < 0:
            raise ValueError(f"minutes must be 0 or more, not {minutes}")
        remaining = timedelta(minutes=minutes)
        if not remaining:
            return start
        day, cursor = start.date(), start
        while True:
            for begin_t, end_t in self.sessions_of(day):
                begin = max(datetime.combine(day, begin_t), cursor)
                end = datetime.combine(day, end_t)
                if begin >= end:
                    continue
                if remaining <= end - begin:
                    return begin + remaining
                remaining -= end - begin
            day = self.next_working_day(day)
            cursor = datetime.combine(day, time.min)

    def working_minutes_between(self, a: datetime, b: datetime) -> int:
        """Whole minutes of working time from `a` to `b`; 0 when `b` is not after `a`."""
        if b <= a:
            return 0
        total = timedelta()
        day, last = a.date(), b.date()
        while day <= last:
            for begin_t, end_t in self.sessions_of(day):
                begin = max(datetime.combine(day, begin_t), a)
                end = min(datetime.combine(day, end_t), b)
                if end > begin:
                    total += end - begin
            day += _ONE_DAY
        return total // _ONE_MINUTE

    def shift_for_pause(self, due: datetime, paused_from: datetime,
                        resumed_at: datetime) -> datetime:
        """The due date after a wait for supplements from `paused_from` to `resumed_at`."""
        return self.add_working_minutes(due, self.working_minutes_between(paused_from, resumed_at))
