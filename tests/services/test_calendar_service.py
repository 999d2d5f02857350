"""The calendar built from config.toml and the holidays package, as an office would run it."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import pytest

from counter_tui.config import Config, parse
from counter_tui.services.calendar import calendar_for, official_days, official_days_off


def make_config(**holidays: Any) -> Config:
    return parse({
        "office": {"name": "UBND phường Thử", "agency_code": "000.00.00.H00"},
        "groups": [{"letter": "A", "name": "Hộ tịch"}],
        "counters": [{"number": 1, "groups": ["A"]}],
        "holidays": holidays,
    })


CFG = make_config(extra_days_off=["2026-12-31"], make_up_days=["2026-09-01"])
PACKAGE_ONLY = make_config()


def test_package_knows_tet_2026() -> None:
    days = official_days_off((2026,))
    assert {date(2026, 2, d) for d in range(16, 21)} <= days
    assert date(2026, 2, 13) not in days
    assert date(2026, 2, 23) not in days


@pytest.mark.parametrize(("day", "working"), [
    pytest.param(date(2026, 2, 17), False, id="tet-2026"),
    pytest.param(date(2026, 4, 27), False, id="hung-kings-observed-2026"),
    pytest.param(date(2026, 4, 28), True, id="ordinary-tuesday"),
    pytest.param(date(2026, 4, 30), False, id="30-4"),
    pytest.param(date(2026, 5, 1), False, id="1-5"),
    pytest.param(date(2026, 9, 2), False, id="2-9"),
    pytest.param(date(2026, 8, 31), False, id="swapped-day-off-from-package"),
    pytest.param(date(2026, 8, 22), True, id="make-up-saturday-from-package"),
    pytest.param(date(2026, 9, 1), True, id="make-up-wins-over-official"),
    pytest.param(date(2026, 12, 31), False, id="extra-day-off-from-config"),
    pytest.param(date(2025, 9, 2), False, id="year-before"),
    pytest.param(date(2027, 2, 8), False, id="tet-2027-next-year"),
])
def test_calendar_from_config(day: date, working: bool) -> None:
    assert calendar_for(CFG, date(2026, 5, 1)).is_working_day(day) is working


@pytest.mark.parametrize(("received", "days", "expected"), [
    pytest.param("2026-04-29 10:00", 1, "2026-05-04 17:00", id="over-30-4-and-1-5"),
    pytest.param("2026-02-13 10:00", 1, "2026-02-23 17:00", id="over-tet"),
    pytest.param("2026-08-21 10:00", 1, "2026-08-22 17:00", id="to-make-up-saturday"),
    pytest.param("2026-08-21 10:00", 2, "2026-08-24 17:00", id="past-make-up-saturday"),
    pytest.param("2026-12-30 10:00", 1, "2027-01-04 17:00", id="extra-day-off-and-new-year"),
])
def test_due_dates(received: str, days: int, expected: str) -> None:
    at = datetime.fromisoformat(received)
    assert calendar_for(CFG, at.date()).due_at(at, days) == datetime.fromisoformat(expected)


def test_official_false_uses_only_config_days() -> None:
    cal = calendar_for(make_config(official=False, extra_days_off=["2026-04-28"]),
                       date(2026, 5, 1))
    assert cal.is_working_day(date(2026, 4, 30))
    assert not cal.is_working_day(date(2026, 4, 28))


def test_saturday_sessions_from_config() -> None:
    cfg = parse({
        "office": {"name": "UBND phường Thử", "agency_code": "000.00.00.H00"},
        "groups": [{"letter": "A", "name": "Hộ tịch"}],
        "counters": [{"number": 1, "groups": ["A"]}],
        "hours": {"saturday_sessions": [["07:30", "11:30"]]},
    })
    cal = calendar_for(cfg, date(2026, 3, 6))
    assert cal.due_at(datetime(2026, 3, 6, 10, 0), 1) == datetime(2026, 3, 7, 11, 30)


def test_repeated_calls_share_one_calendar() -> None:
    first = calendar_for(CFG, date(2026, 3, 2))
    assert calendar_for(CFG, date(2026, 11, 30)) is first
    # a config read again with the same settings is the same calendar
    again = make_config(extra_days_off=["2026-12-31"], make_up_days=["2026-09-01"])
    assert calendar_for(again, date(2026, 6, 1)) is first
    # changed settings never get the old calendar
    assert calendar_for(make_config(), date(2026, 3, 2)) is not first


def test_another_year_loads_its_holidays() -> None:
    cal = calendar_for(CFG, date(2030, 6, 1))
    assert not cal.is_working_day(date(2030, 9, 2))  # Monday
    assert not cal.is_working_day(date(2030, 4, 30))  # Tuesday


# The government's swaps for public servants, as announced (Vietnam's government office and the
# labour ministry): a weekday given off, a Saturday worked in exchange. The package lists both.
SWAPS = [
    (date(2019, 1, 5), date(2018, 12, 31)),  # across New Year
    (date(2019, 5, 4), date(2019, 4, 29)),
    (date(2024, 5, 4), date(2024, 4, 29)),
    (date(2025, 4, 26), date(2025, 5, 2)),
    (date(2026, 8, 22), date(2026, 8, 31)),
]


@pytest.mark.parametrize(("worked", "off"), SWAPS, ids=[str(w) for w, _ in SWAPS])
def test_each_swap_works_the_saturday_and_rests_the_weekday(worked: date, off: date) -> None:
    assert worked.weekday() == 5
    official = official_days((worked.year - 1, worked.year, worked.year + 1))
    assert worked in official.workdays and off in official.days_off
    cal = calendar_for(PACKAGE_ONLY, worked)
    assert cal.is_working_day(worked)
    assert not cal.is_working_day(off)
    assert cal.day_start(worked) == datetime.combine(worked, time(7, 0))
    assert not cal.is_working_day(date.fromordinal(worked.toordinal() + 1))  # the Sunday


@pytest.mark.parametrize(("received", "days", "expected"), [
    # 25/4/2025 (Fri) + 1 working day: the Saturday worked, not Monday 28/4
    pytest.param("2025-04-25 10:00", 1, "2025-04-26 17:00", id="to-the-worked-saturday-2025"),
    pytest.param("2025-04-25 10:00", 2, "2025-04-28 17:00", id="past-the-worked-saturday-2025"),
    # same-day procedure received on the worked Saturday morning: due that afternoon
    pytest.param("2025-04-26 09:30", 0, "2025-04-26 17:00", id="same-day-on-worked-saturday"),
    pytest.param("2025-04-26 15:30", 0, "2025-04-28 17:00", id="same-day-after-cutoff-saturday"),
    # 29/4/2025 (Tue): 30/4, 1/5 holidays, 2/5 the swapped day off, then the weekend
    pytest.param("2025-04-29 10:00", 1, "2025-05-05 17:00", id="over-30-4-1-5-and-swap-2025"),
    pytest.param("2024-05-03 16:00", 1, "2024-05-04 17:00", id="saturday-4-5-2024-counts"),
    pytest.param("2024-05-03 17:30", 1, "2024-05-06 17:00", id="after-hours-to-worked-saturday"),
    pytest.param("2026-08-21 10:00", 1, "2026-08-22 17:00", id="to-the-worked-saturday-2026"),
    pytest.param("2026-08-28 10:00", 1, "2026-09-03 17:00", id="over-31-8-1-9-2-9-2026"),
    pytest.param("2018-12-28 10:00", 2, "2019-01-03 17:00", id="over-the-new-year-swap"),
    pytest.param("2019-01-04 10:00", 1, "2019-01-05 17:00", id="to-5-1-2019"),
])
def test_due_dates_around_swaps(received: str, days: int, expected: str) -> None:
    at = datetime.fromisoformat(received)
    due = calendar_for(PACKAGE_ONLY, at.date()).due_at(
        at, days, time(15, 0) if days == 0 else None)
    assert due == datetime.fromisoformat(expected)


@pytest.mark.parametrize(("cfg", "day", "working"), [
    # an office that does not apply a swap lists its Saturday as a day off: the office wins
    pytest.param(make_config(extra_days_off=["2025-04-26"]), date(2025, 4, 26), False,
                 id="office-day-off-beats-package-workday"),
    pytest.param(make_config(extra_days_off=["2025-04-26"]), date(2025, 5, 2), False,
                 id="its-weekday-off-stays"),
    pytest.param(make_config(extra_days_off=["2025-04-26"], make_up_days=["2025-04-26"]),
                 date(2025, 4, 26), True, id="both-office-lists-worked"),
    # a swap announced after the package's release: the office lists both halves
    pytest.param(make_config(extra_days_off=["2026-12-31"], make_up_days=["2026-12-26"]),
                 date(2026, 12, 26), True, id="office-make-up-saturday"),
    pytest.param(make_config(official=False), date(2025, 4, 26), False,
                 id="official-false-drops-package-workdays"),
    pytest.param(make_config(official=False), date(2025, 5, 2), True,
                 id="official-false-drops-package-days-off"),
])
def test_office_lists_win_over_the_package(cfg: Config, day: date, working: bool) -> None:
    assert calendar_for(cfg, day).is_working_day(day) is working


def test_the_districts_days_sit_between_the_package_and_the_office() -> None:
    """The district's days (from the store) win over the package; the office's config wins
    over both; a day listed off and worked is worked."""
    from counter_tui.services.calendar import DistrictDays

    district = DistrictDays(days_off=frozenset({date(2026, 12, 24), date(2026, 8, 22)}),
                            workdays=frozenset({date(2026, 12, 26), date(2026, 12, 31)}))
    cal = calendar_for(CFG, date(2026, 12, 1), district)
    assert not cal.is_working_day(date(2026, 12, 24))  # a Thursday the district gives off
    assert cal.is_working_day(date(2026, 12, 26))  # a Saturday the district works
    assert not cal.is_working_day(date(2026, 12, 31))  # the office's own day off wins
    assert not cal.is_working_day(date(2026, 8, 22))  # off beats the package's swapped Saturday
    assert calendar_for(PACKAGE_ONLY, date(2026, 8, 1)).is_working_day(date(2026, 8, 22))
    office = make_config(make_up_days=["2026-12-24"])
    assert calendar_for(office, date(2026, 12, 1), district).is_working_day(date(2026, 12, 24))
    assert calendar_for(CFG, date(2026, 12, 1)).is_working_day(date(2026, 12, 24))
