"""The working calendar against due dates worked out by hand on a 2026 wall calendar.

Days off below are written out by hand (Tết 2026 is 16–20 Feb, as the holidays package says; the
service test checks the package itself), so these tests need nothing but the core module.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from counter_tui.core.calendar import DEFAULT_SESSIONS, WorkingCalendar

TET_2026 = {date(2026, 2, d) for d in range(16, 21)}  # Mon 16 .. Fri 20 Feb
OFFICIAL_2026 = TET_2026 | {
    date(2026, 1, 1),  # Thu, New Year
    date(2026, 4, 27),  # Mon, Hùng Kings observed (26 Apr is a Sunday)
    date(2026, 4, 30),  # Thu
    date(2026, 5, 1),  # Fri
    date(2026, 9, 1),  # Tue
    date(2026, 9, 2),  # Wed
}
EXTRA_OFF = date(2026, 1, 2)  # Fri: a swapped day off the office lists itself
MAKE_UP = date(2026, 1, 10)  # Sat: worked in exchange

CAL = WorkingCalendar(days_off=frozenset(OFFICIAL_2026 | {EXTRA_OFF}),
                      make_up_days=frozenset({MAKE_UP}))
SAT_MORNING = ((time(7, 30), time(11, 30)),)
SAT_CAL = WorkingCalendar(saturday_sessions=SAT_MORNING,
                          days_off=frozenset(OFFICIAL_2026 | {EXTRA_OFF}),
                          make_up_days=frozenset({MAKE_UP}))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# -- days ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("cal", "day", "working"), [
    pytest.param(CAL, date(2026, 3, 2), True, id="monday"),
    pytest.param(CAL, date(2026, 3, 6), True, id="friday"),
    pytest.param(CAL, date(2026, 3, 7), False, id="saturday"),
    pytest.param(CAL, date(2026, 3, 8), False, id="sunday"),
    pytest.param(CAL, date(2026, 2, 13), True, id="friday-before-tet"),
    pytest.param(CAL, date(2026, 2, 16), False, id="tet-eve-mon-16-feb"),
    pytest.param(CAL, date(2026, 2, 17), False, id="tet-day-1-tue-17-feb"),
    pytest.param(CAL, date(2026, 2, 20), False, id="tet-day-4-fri-20-feb"),
    pytest.param(CAL, date(2026, 2, 23), True, id="monday-after-tet"),
    pytest.param(CAL, date(2026, 4, 30), False, id="30-4"),
    pytest.param(CAL, date(2026, 5, 1), False, id="1-5"),
    pytest.param(CAL, date(2026, 9, 2), False, id="2-9"),
    pytest.param(CAL, EXTRA_OFF, False, id="extra-day-off"),
    pytest.param(CAL, MAKE_UP, True, id="make-up-saturday"),
    pytest.param(CAL, date(2026, 1, 11), False, id="sunday-after-make-up"),
    pytest.param(SAT_CAL, date(2026, 3, 7), True, id="saturday-with-sessions"),
    pytest.param(SAT_CAL, date(2026, 3, 8), False, id="sunday-with-saturday-sessions"),
    pytest.param(WorkingCalendar(saturday_sessions=SAT_MORNING,
                                 days_off=frozenset({date(2026, 3, 7)})),
                 date(2026, 3, 7), False, id="saturday-with-sessions-but-day-off"),
    pytest.param(WorkingCalendar(days_off=frozenset({date(2026, 3, 2)}),
                                 make_up_days=frozenset({date(2026, 3, 2)})),
                 date(2026, 3, 2), True, id="make-up-wins-over-day-off"),
    pytest.param(WorkingCalendar(make_up_days=frozenset({date(2026, 3, 8)})),
                 date(2026, 3, 8), True, id="make-up-sunday"),
])
def test_is_working_day(cal: WorkingCalendar, day: date, working: bool) -> None:
    assert cal.is_working_day(day) is working


@pytest.mark.parametrize(("cal", "day", "sessions"), [
    pytest.param(CAL, date(2026, 3, 3), ((time(7), time(11, 30)), (time(13, 30), time(17))),
                 id="weekday-default"),
    pytest.param(CAL, date(2026, 3, 7), (), id="saturday-without-sessions"),
    pytest.param(SAT_CAL, date(2026, 3, 7), ((time(7, 30), time(11, 30)),), id="saturday"),
    pytest.param(SAT_CAL, MAKE_UP, ((time(7), time(11, 30)), (time(13, 30), time(17))),
                 id="make-up-saturday-has-weekday-sessions"),
    pytest.param(CAL, date(2026, 2, 17), (), id="tet"),
])
def test_sessions_of(cal: WorkingCalendar, day: date,
                     sessions: tuple[tuple[time, time], ...]) -> None:
    assert cal.sessions_of(day) == sessions
    assert cal.sessions_of(day) == sessions  # second call answered from the cache


@pytest.mark.parametrize(("cal", "day", "expected"), [
    pytest.param(CAL, date(2026, 3, 5), date(2026, 3, 6), id="thu-to-fri"),
    pytest.param(CAL, date(2026, 3, 6), date(2026, 3, 9), id="fri-to-mon"),
    pytest.param(CAL, date(2026, 3, 7), date(2026, 3, 9), id="sat-to-mon"),
    pytest.param(CAL, date(2026, 2, 13), date(2026, 2, 23), id="over-tet"),
    pytest.param(CAL, date(2025, 12, 31), date(2026, 1, 5), id="new-year-and-extra-day-off"),
    pytest.param(CAL, date(2026, 1, 9), MAKE_UP, id="fri-to-make-up-saturday"),
    pytest.param(CAL, MAKE_UP, date(2026, 1, 12), id="make-up-saturday-to-mon"),
    pytest.param(CAL, date(2026, 4, 29), date(2026, 5, 4), id="over-30-4-and-1-5"),
    pytest.param(SAT_CAL, date(2026, 3, 6), date(2026, 3, 7), id="fri-to-working-saturday"),
])
def test_next_working_day(cal: WorkingCalendar, day: date, expected: date) -> None:
    assert cal.next_working_day(day) == expected


# -- receipt ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("cal", "received", "expected"), [
    pytest.param(CAL, "2026-03-03 06:30", "2026-03-03 07:00", id="before-opening"),
    pytest.param(CAL, "2026-03-03 07:00", "2026-03-03 07:00", id="at-opening"),
    pytest.param(CAL, "2026-03-03 10:15", "2026-03-03 10:15", id="morning"),
    pytest.param(CAL, "2026-03-03 12:00", "2026-03-03 12:00", id="lunch-break-kept"),
    pytest.param(CAL, "2026-03-03 16:59", "2026-03-03 16:59", id="last-minute"),
    pytest.param(CAL, "2026-03-03 17:00", "2026-03-04 07:00", id="at-closing"),
    pytest.param(CAL, "2026-03-03 17:30", "2026-03-04 07:00", id="after-hours"),
    pytest.param(CAL, "2026-03-06 17:30", "2026-03-09 07:00", id="friday-after-hours"),
    pytest.param(CAL, "2026-03-07 09:00", "2026-03-09 07:00", id="saturday"),
    pytest.param(CAL, "2026-03-08 09:00", "2026-03-09 07:00", id="sunday"),
    pytest.param(CAL, "2026-02-17 10:00", "2026-02-23 07:00", id="during-tet"),
    pytest.param(CAL, "2026-01-02 09:00", "2026-01-05 07:00", id="extra-day-off"),
    pytest.param(SAT_CAL, "2026-03-07 09:00", "2026-03-07 09:00", id="saturday-session"),
    pytest.param(SAT_CAL, "2026-03-07 12:00", "2026-03-09 07:00", id="saturday-after-close"),
    pytest.param(SAT_CAL, "2026-03-06 17:30", "2026-03-07 07:30", id="fri-late-to-saturday"),
])
def test_effective_receipt(cal: WorkingCalendar, received: str, expected: str) -> None:
    assert cal.effective_receipt(at(received)) == at(expected)


# -- due dates -------------------------------------------------------------------------------

CUT = time(15, 0)


@pytest.mark.parametrize(("cal", "received", "days", "cutoff", "expected"), [
    # same day, 15:00 cut-off
    pytest.param(CAL, "2026-03-03 14:59", 0, CUT, "2026-03-03 17:00", id="same-day-14:59"),
    pytest.param(CAL, "2026-03-03 15:00", 0, CUT, "2026-03-04 17:00", id="same-day-15:00"),
    pytest.param(CAL, "2026-03-03 15:01", 0, CUT, "2026-03-04 17:00", id="same-day-15:01"),
    pytest.param(CAL, "2026-03-03 12:00", 0, CUT, "2026-03-03 17:00", id="same-day-lunch"),
    pytest.param(CAL, "2026-03-03 06:45", 0, CUT, "2026-03-03 17:00", id="same-day-early"),
    pytest.param(CAL, "2026-03-06 15:00", 0, CUT, "2026-03-09 17:00", id="same-day-fri-15:00"),
    pytest.param(CAL, "2026-03-06 17:30", 0, CUT, "2026-03-09 17:00",
                 id="same-day-fri-after-hours"),
    pytest.param(CAL, "2026-03-07 10:00", 0, CUT, "2026-03-09 17:00", id="same-day-saturday"),
    pytest.param(CAL, "2026-02-13 15:30", 0, CUT, "2026-02-23 17:00", id="same-day-before-tet"),
    pytest.param(CAL, "2026-02-12 15:30", 0, CUT, "2026-02-13 17:00", id="same-day-thu-15:30"),
    pytest.param(SAT_CAL, "2026-03-07 10:00", 0, CUT, "2026-03-07 11:30",
                 id="same-day-saturday-session"),
    # same day, no cut-off
    pytest.param(CAL, "2026-03-03 16:00", 0, None, "2026-03-03 17:00", id="no-cutoff-16:00"),
    pytest.param(CAL, "2026-03-03 17:30", 0, None, "2026-03-04 17:00", id="no-cutoff-after"),
    # working days
    pytest.param(CAL, "2026-03-02 10:00", 1, None, "2026-03-03 17:00", id="1-day-mon"),
    pytest.param(CAL, "2026-03-06 16:00", 1, None, "2026-03-09 17:00", id="1-day-fri"),
    pytest.param(CAL, "2026-03-06 17:30", 1, None, "2026-03-10 17:00",
                 id="1-day-fri-after-hours-tuesday"),
    pytest.param(CAL, "2026-03-03 16:00", 1, CUT, "2026-03-04 17:00", id="1-day-ignores-cutoff"),
    pytest.param(CAL, "2026-03-04 09:00", 3, None, "2026-03-09 17:00", id="3-days-over-weekend"),
    pytest.param(CAL, "2026-02-12 09:00", 3, None, "2026-02-24 17:00", id="3-days-over-tet"),
    pytest.param(CAL, "2026-02-18 09:00", 3, None, "2026-02-26 17:00", id="3-days-in-tet"),
    pytest.param(CAL, "2026-03-02 08:00", 15, None, "2026-03-23 17:00", id="15-days"),
    pytest.param(CAL, "2026-02-09 08:00", 15, None, "2026-03-09 17:00", id="15-days-over-tet"),
    pytest.param(CAL, "2026-04-24 10:00", 1, None, "2026-04-28 17:00", id="1-day-hung-kings"),
    pytest.param(CAL, "2026-04-29 10:00", 3, None, "2026-05-06 17:00", id="3-days-30-4-1-5"),
    pytest.param(CAL, "2025-12-31 10:00", 1, None, "2026-01-05 17:00", id="1-day-extra-day-off"),
    pytest.param(CAL, "2026-01-09 10:00", 1, None, "2026-01-10 17:00", id="1-day-make-up-sat"),
    pytest.param(CAL, "2026-01-09 10:00", 2, None, "2026-01-12 17:00", id="2-days-make-up-sat"),
    pytest.param(SAT_CAL, "2026-03-06 10:00", 1, None, "2026-03-07 11:30",
                 id="1-day-saturday-session"),
    pytest.param(SAT_CAL, "2026-03-06 10:00", 3, None, "2026-03-10 17:00",
                 id="3-days-with-saturday-session"),
])
def test_due_at(cal: WorkingCalendar, received: str, days: int, cutoff: time | None,
                expected: str) -> None:
    assert cal.due_at(at(received), days, cutoff) == at(expected)


# -- working minutes -------------------------------------------------------------------------


@pytest.mark.parametrize(("cal", "start", "minutes", "expected"), [
    pytest.param(CAL, "2026-03-03 08:00", 60, "2026-03-03 09:00", id="within-morning"),
    pytest.param(CAL, "2026-03-03 11:00", 30, "2026-03-03 11:30", id="ends-at-lunch"),
    pytest.param(CAL, "2026-03-03 11:00", 60, "2026-03-03 14:00", id="over-lunch"),
    pytest.param(CAL, "2026-03-03 12:00", 30, "2026-03-03 14:00", id="from-lunch"),
    pytest.param(CAL, "2026-03-03 06:00", 30, "2026-03-03 07:30", id="before-opening"),
    pytest.param(CAL, "2026-03-03 16:00", 60, "2026-03-03 17:00", id="ends-at-closing"),
    pytest.param(CAL, "2026-03-03 16:30", 60, "2026-03-04 07:30", id="over-night"),
    pytest.param(CAL, "2026-03-03 17:00", 60, "2026-03-04 08:00", id="from-closing"),
    pytest.param(CAL, "2026-03-06 16:00", 120, "2026-03-09 08:00", id="over-weekend"),
    pytest.param(CAL, "2026-03-07 10:00", 30, "2026-03-09 07:30", id="from-saturday"),
    pytest.param(CAL, "2026-03-03 08:00", 0, "2026-03-03 08:00", id="zero"),
    pytest.param(CAL, "2026-03-03 07:00", 480, "2026-03-03 17:00", id="one-full-day"),
    pytest.param(CAL, "2026-03-03 07:00", 481, "2026-03-04 07:01", id="one-day-and-a-minute"),
    pytest.param(CAL, "2026-03-03 07:00", 1440, "2026-03-05 17:00", id="24-hours-is-3-days"),
    pytest.param(CAL, "2026-02-12 07:00", 960, "2026-02-13 17:00", id="two-days-before-tet"),
    pytest.param(CAL, "2026-02-12 07:00", 961, "2026-02-23 07:01", id="over-tet"),
    pytest.param(CAL, "2026-03-03 08:00:30", 1, "2026-03-03 08:01:30", id="keeps-seconds"),
    pytest.param(SAT_CAL, "2026-03-06 16:00", 120, "2026-03-07 08:30", id="into-saturday"),
])
def test_add_working_minutes(cal: WorkingCalendar, start: str, minutes: int,
                             expected: str) -> None:
    assert cal.add_working_minutes(at(start), minutes) == at(expected)


@pytest.mark.parametrize(("cal", "a", "b", "minutes"), [
    pytest.param(CAL, "2026-03-03 08:00", "2026-03-03 09:00", 60, id="within-morning"),
    pytest.param(CAL, "2026-03-03 11:00", "2026-03-03 14:00", 60, id="over-lunch"),
    pytest.param(CAL, "2026-03-03 12:00", "2026-03-03 13:00", 0, id="inside-lunch"),
    pytest.param(CAL, "2026-03-03 07:00", "2026-03-03 17:00", 480, id="full-day"),
    pytest.param(CAL, "2026-03-03 06:00", "2026-03-03 18:00", 480, id="beyond-the-day"),
    pytest.param(CAL, "2026-03-06 16:00", "2026-03-09 08:00", 120, id="over-weekend"),
    pytest.param(CAL, "2026-03-02 07:00", "2026-03-09 07:00", 2400, id="one-week"),
    pytest.param(CAL, "2026-02-13 07:00", "2026-02-23 07:00", 480, id="over-tet"),
    pytest.param(CAL, "2026-03-03 09:00", "2026-03-03 08:00", 0, id="reversed"),
    pytest.param(CAL, "2026-03-03 09:00", "2026-03-03 09:00", 0, id="equal"),
    pytest.param(CAL, "2026-03-03 08:00:00", "2026-03-03 08:00:59", 0, id="rounds-down"),
    pytest.param(CAL, "2026-03-03 08:00:30", "2026-03-03 08:02:00", 1, id="90-seconds"),
    pytest.param(SAT_CAL, "2026-03-06 16:00", "2026-03-09 08:00", 360, id="with-saturday"),
])
def test_working_minutes_between(cal: WorkingCalendar, a: str, b: str, minutes: int) -> None:
    assert cal.working_minutes_between(at(a), at(b)) == minutes


@pytest.mark.parametrize(("cal", "due", "paused", "resumed", "expected"), [
    # Fri 16:00-17:00 + Mon 07:00-08:00 = 120 min, added from Wed 17:00
    pytest.param(CAL, "2026-03-11 17:00", "2026-03-06 16:00", "2026-03-09 08:00",
                 "2026-03-12 09:00", id="over-weekend"),
    # one full working day (480 min) moves Friday 17:00 to Monday 17:00
    pytest.param(CAL, "2026-03-06 17:00", "2026-03-03 07:00", "2026-03-04 07:00",
                 "2026-03-09 17:00", id="one-working-day-from-friday"),
    # Thu 14:00-17:00 (180) + Fri 13 (480) + Mon 23 07:00-10:00 (180) = 840, from Tue 24 17:00:
    # Wed 25 (480), Thu 26 07:00-11:30 (270), 13:30 + 90
    pytest.param(CAL, "2026-02-24 17:00", "2026-02-12 14:00", "2026-02-23 10:00",
                 "2026-02-26 15:00", id="over-tet"),
    # Wed 15:00-17:00 (120), 30/4, 1/5 and the weekend free, Mon 07:00-09:00 (120) = 240
    pytest.param(CAL, "2026-05-04 17:00", "2026-04-29 15:00", "2026-05-04 09:00",
                 "2026-05-05 11:00", id="over-30-4-1-5-and-weekend"),
    # a pause inside the working day, before the due date: 60 min
    pytest.param(CAL, "2026-03-05 10:00", "2026-03-03 08:00", "2026-03-03 09:00",
                 "2026-03-05 11:00", id="inside-a-session"),
    pytest.param(CAL, "2026-03-04 17:00", "2026-03-03 12:00", "2026-03-03 13:00",
                 "2026-03-04 17:00", id="lunch-break-only"),
    pytest.param(CAL, "2026-03-11 17:00", "2026-03-07 10:00", "2026-03-08 10:00",
                 "2026-03-11 17:00", id="weekend-only"),
    # Fri 16:00-17:00 (60) + Sat 07:30-11:30 (240) + Mon 07:00-08:00 (60) = 360 from Wed 17:00:
    # Thu 07:00-11:30 (270), 13:30 + 90
    pytest.param(SAT_CAL, "2026-03-11 17:00", "2026-03-06 16:00", "2026-03-09 08:00",
                 "2026-03-12 15:00", id="over-working-saturday"),
])
def test_shift_for_pause(cal: WorkingCalendar, due: str, paused: str, resumed: str,
                         expected: str) -> None:
    assert cal.shift_for_pause(at(due), at(paused), at(resumed)) == at(expected)


# -- bad input -------------------------------------------------------------------------------


def test_defaults_are_the_decree_sessions() -> None:
    assert WorkingCalendar().sessions == DEFAULT_SESSIONS == (
        (time(7), time(11, 30)), (time(13, 30), time(17)))


def test_equal_calendars_hash_alike() -> None:
    # services cache calendars by value, so two built from the same settings must be one key
    def build() -> WorkingCalendar:
        return WorkingCalendar(days_off=frozenset({date(2026, 3, 2)}),
                               make_up_days=frozenset({date(2026, 3, 7)}))

    first, second = build(), build()
    first.is_working_day(date(2026, 3, 2))  # a filled cache does not change identity
    assert first == second
    assert hash(first) == hash(second)


@pytest.mark.parametrize("sessions", [
    pytest.param((), id="empty"),
    pytest.param(((time(11), time(7)),), id="ends-before-start"),
    pytest.param(((time(7), time(11)), (time(10), time(12))), id="overlapping"),
    pytest.param(((time(13), time(17)), (time(7), time(11))), id="out-of-order"),
])
def test_bad_sessions(sessions: tuple[tuple[time, time], ...]) -> None:
    with pytest.raises(ValueError):
        WorkingCalendar(sessions=sessions)


def test_bad_numbers() -> None:
    with pytest.raises(ValueError):
        CAL.due_at(at("2026-03-03 09:00"), -1)
    with pytest.raises(ValueError):
        CAL.add_working_minutes(at("2026-03-03 09:00"), -5)
    with pytest.raises(ValueError):
        CAL.day_end(date(2026, 3, 7))


def test_no_working_day_at_all_is_an_error_not_a_hang() -> None:
    start = date(2026, 1, 1)
    cal = WorkingCalendar(days_off=frozenset(start + timedelta(days=i) for i in range(4000)))
    with pytest.raises(ValueError):
        cal.next_working_day(start)
