"""The calendar built from config.toml and the holidays package, as an office would run it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from counter_tui.config import Config, parse
from counter_tui.services.calendar import calendar_for, official_days_off


def make_config(**holidays: Any) -> Config:
    return parse({
        "office": {"name": "UBND phường Thử", "agency_code": "000.00.00.H00"},
        "groups": [{"letter": "A", "name": "Hộ tịch"}],
        "counters": [{"number": 1, "groups": ["A"]}],
        "holidays": holidays,
    })


CFG = make_config(extra_days_off=["2026-12-31"], make_up_days=["2026-08-22", "2026-09-01"])


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
    pytest.param(date(2026, 8, 22), True, id="make-up-saturday-from-config"),
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
    again = make_config(extra_days_off=["2026-12-31"], make_up_days=["2026-08-22", "2026-09-01"])
    assert calendar_for(again, date(2026, 6, 1)) is first
    # changed settings never get the old calendar
    assert calendar_for(make_config(), date(2026, 3, 2)) is not first


def test_another_year_loads_its_holidays() -> None:
    cal = calendar_for(CFG, date(2030, 6, 1))
    assert not cal.is_working_day(date(2030, 9, 2))  # Monday
    assert not cal.is_working_day(date(2030, 4, 30))  # Tuesday
