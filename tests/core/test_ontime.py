"""The on-time class, row by row of the rule the screens and the SQL reports share."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from counter_tui.core.i18n import language, set_language
from counter_tui.core.ontime import FINISHED_STATUSES, OPEN_STATUSES, OnTime, classify

DUE = datetime(2026, 3, 10, 17, 0)  # Tuesday 17:00
NOW = datetime(2026, 3, 9, 10, 0)  # the day before
LATER = datetime(2026, 3, 20, 10, 0)  # well after the due date


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(("status", "due", "finished", "now", "expected"), [
    # refused and withdrawn: always on time
    pytest.param(3, DUE, at("2026-03-20 09:00"), LATER, OnTime.ON_TIME, id="refused-late-date"),
    pytest.param(3, None, None, LATER, OnTime.ON_TIME, id="refused-no-dates"),
    pytest.param(7, DUE, at("2026-03-02 09:00"), LATER, OnTime.ON_TIME, id="withdrawn-early"),
    pytest.param(7, DUE, at("2026-03-11 09:00"), LATER, OnTime.ON_TIME, id="withdrawn-late"),
    # stopped: on time or late, never early
    pytest.param(8, DUE, at("2026-03-02 09:00"), LATER, OnTime.ON_TIME, id="stopped-before-due"),
    pytest.param(8, DUE, at("2026-03-10 17:00"), LATER, OnTime.ON_TIME, id="stopped-at-due"),
    pytest.param(8, DUE, at("2026-03-10 17:01"), LATER, OnTime.LATE, id="stopped-after-due"),
    pytest.param(8, None, at("2026-03-10 17:01"), LATER, OnTime.ON_TIME, id="stopped-no-due"),
    pytest.param(8, DUE, None, LATER, OnTime.ON_TIME, id="stopped-no-finish"),
    # result ready (9) and returned (10): by the time the result was ready
    pytest.param(9, DUE, at("2026-03-09 16:00"), LATER, OnTime.EARLY, id="ready-day-before"),
    pytest.param(9, DUE, at("2026-03-07 09:00"), LATER, OnTime.EARLY, id="ready-on-saturday"),
    pytest.param(9, DUE, at("2026-03-10 07:30"), LATER, OnTime.ON_TIME, id="ready-due-morning"),
    pytest.param(9, DUE, at("2026-03-10 17:00"), LATER, OnTime.ON_TIME, id="ready-at-due"),
    pytest.param(9, DUE, at("2026-03-10 17:01"), LATER, OnTime.LATE, id="ready-17:01"),
    pytest.param(9, DUE, at("2026-03-11 08:00"), LATER, OnTime.LATE, id="ready-next-day"),
    pytest.param(9, None, at("2026-03-11 08:00"), LATER, OnTime.ON_TIME, id="ready-no-due"),
    pytest.param(9, DUE, None, LATER, OnTime.ON_TIME, id="ready-no-finish"),
    pytest.param(10, DUE, at("2026-03-05 10:00"), LATER, OnTime.EARLY, id="returned-early"),
    pytest.param(10, DUE, at("2026-03-10 09:00"), LATER, OnTime.ON_TIME, id="returned-on-day"),
    pytest.param(10, DUE, at("2026-03-12 09:00"), NOW, OnTime.LATE, id="returned-late"),
    pytest.param(10, at("2026-03-07 11:30"), at("2026-03-07 11:31"), LATER, OnTime.LATE,
                 id="returned-saturday-due-a-minute-late"),
    # open: overdue once now is past the due time
    pytest.param(1, DUE, None, NOW, OnTime.IN_TIME, id="new-before-due"),
    pytest.param(1, None, None, LATER, OnTime.IN_TIME, id="new-without-due"),
    pytest.param(2, DUE, None, at("2026-03-10 17:00"), OnTime.IN_TIME, id="accepted-at-due"),
    pytest.param(2, DUE, None, at("2026-03-10 17:01"), OnTime.OVERDUE, id="accepted-past-due"),
    pytest.param(4, DUE, None, NOW, OnTime.IN_TIME, id="processing-in-time"),
    pytest.param(4, DUE, None, LATER, OnTime.OVERDUE, id="processing-overdue"),
    pytest.param(6, DUE, None, LATER, OnTime.OVERDUE, id="awaiting-payment-overdue"),
    pytest.param(6, DUE, None, NOW, OnTime.IN_TIME, id="awaiting-payment-in-time"),
    # waiting for supplements: the clock is paused
    pytest.param(5, DUE, None, LATER, OnTime.IN_TIME, id="supplements-paused"),
    pytest.param(5, None, None, LATER, OnTime.IN_TIME, id="supplements-without-due"),
])
def test_classify(status: int, due: datetime | None, finished: datetime | None, now: datetime,
                  expected: OnTime) -> None:
    assert classify(status, due, finished, now) is expected


@pytest.mark.parametrize(("paused_at", "expected"), [
    pytest.param(at("2026-03-09 10:00"), OnTime.IN_TIME, id="paused-before-due"),
    pytest.param(at("2026-03-10 17:00"), OnTime.IN_TIME, id="paused-at-due"),
    pytest.param(at("2026-03-11 08:00"), OnTime.OVERDUE, id="paused-after-due"),
])
def test_supplements_overdue_only_if_already_late_when_paused(paused_at: datetime,
                                                              expected: OnTime) -> None:
    assert classify(5, DUE, None, LATER, paused_at=paused_at) is expected


@pytest.mark.parametrize("status", [0, 11, -1])
def test_unknown_status(status: int) -> None:
    with pytest.raises(ValueError):
        classify(status, DUE, None, NOW)


def test_status_sets_cover_the_portal_codes() -> None:
    assert frozenset({3, 7, 8, 9, 10}) == FINISHED_STATUSES
    assert frozenset({1, 2, 4, 5, 6}) == OPEN_STATUSES


def test_values_are_the_strings_reports_store() -> None:
    assert [c.value for c in OnTime] == ["early", "on_time", "late", "in_time", "overdue"]
    assert OnTime("overdue") is OnTime.OVERDUE
    assert OnTime.EARLY == "early"


@pytest.fixture
def restore_language() -> Iterator[None]:
    before = language()
    yield
    set_language(before)


@pytest.mark.parametrize(("lang", "value", "label"), [
    pytest.param("vi", OnTime.EARLY, "Trước hạn", id="vi-early"),
    pytest.param("vi", OnTime.ON_TIME, "Đúng hạn", id="vi-on-time"),
    pytest.param("vi", OnTime.LATE, "Quá hạn", id="vi-late"),
    pytest.param("vi", OnTime.IN_TIME, "Trong hạn", id="vi-in-time"),
    pytest.param("vi", OnTime.OVERDUE, "Quá hạn", id="vi-overdue"),
    pytest.param("en", OnTime.IN_TIME, "In time", id="en-in-time"),
])
def test_labels(restore_language: None, lang: str, value: OnTime, label: str) -> None:
    set_language(lang)
    assert value.label == label
