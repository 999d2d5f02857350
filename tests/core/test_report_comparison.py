"""The change from the same period last year, worded as the province's reports word it
("tăng 40% so với cùng kỳ"): rises, falls, no change, nothing last year, and rounding."""

from __future__ import annotations

import pytest

from counter_tui.core.i18n import set_language
from counter_tui.core.report.comparison import COMPARED, Change, changes
from counter_tui.core.report.model import Tally


@pytest.mark.parametrize(("before", "now", "percent", "vi", "en"), [
    pytest.param(10, 14, 40.0, "tăng 40%", "up 40%", id="up"),
    pytest.param(25, 22, -12.0, "giảm 12%", "down 12%", id="down"),
    pytest.param(8, 9, 12.5, "tăng 12,5%", "up 12.5%", id="decimal-mark"),
    pytest.param(3, 1, -66.7, "giảm 66,7%", "down 66.7%", id="rounded"),
    pytest.param(5, 0, -100.0, "giảm 100%", "down 100%", id="down-to-nothing"),
    pytest.param(3, 18, 500.0, "tăng 500%", "up 500%", id="several-fold"),
    pytest.param(3001, 3002, 0.0, "tăng dưới 0,1%", "up under 0.1%", id="tiny-rise"),
    pytest.param(3002, 3001, -0.0, "giảm dưới 0,1%", "down under 0.1%", id="tiny-fall"),
    pytest.param(7, 7, 0.0, "bằng cùng kỳ", "same as last year", id="same"),
    pytest.param(0, 0, None, "bằng cùng kỳ", "same as last year", id="nothing-either-year"),
    pytest.param(0, 5, None, "mới", "new", id="nothing-last-year"),
])
def test_the_change_in_words(before: int, now: int, percent: float | None, vi: str,
                             en: str) -> None:
    change = Change("received", now, before)
    assert change.percent == percent
    assert change.text() == vi
    set_language("en")
    try:
        assert change.text() == en
    finally:
        set_language("vi")


@pytest.mark.parametrize(("before", "now", "vi", "en"), [
    pytest.param(10, 14, "14, tăng 40% so với cùng kỳ (10)",
                 "14, up 40% on the same period last year (10)", id="up"),
    pytest.param(25, 22, "22, giảm 12% so với cùng kỳ (25)",
                 "22, down 12% on the same period last year (25)", id="down"),
    pytest.param(0, 5, "5, mới (cùng kỳ không có)",
                 "5, new (none in the same period last year)", id="new"),
    pytest.param(4, 4, "4, bằng cùng kỳ", "4, the same as last year", id="same"),
    pytest.param(7610, 76574, "76.574, tăng 906,2% so với cùng kỳ (7.610)",
                 "76,574, up 906.2% on the same period last year (7,610)", id="thousands"),
])
def test_the_change_as_a_line_of_the_summary(before: int, now: int, vi: str, en: str) -> None:
    change = Change("received", now, before)
    assert change.sentence() == vi
    set_language("en")
    try:
        assert change.sentence() == en
    finally:
        set_language("vi")


def test_the_four_figures_compared() -> None:
    """Received (the period's total), online, resolved and resolved in time (early or on
    the due day), in that order."""
    now = Tally(carried=2, online=6, walk_in=4, early=3, on_time=4, late=1, in_time=2,
                overdue=2)
    before = Tally(online=4, walk_in=6, early=1, on_time=3, late=4, in_time=2)
    got = changes(now, before)
    assert COMPARED == ("received", "online", "resolved", "resolved_in_time")
    assert [(c.figure, c.now, c.before) for c in got] == [
        ("received", 12, 10), ("online", 6, 4), ("resolved", 8, 8),
        ("resolved_in_time", 7, 4)]
    assert [c.text() for c in got] == ["tăng 20%", "tăng 50%", "bằng cùng kỳ", "tăng 75%"]
    assert now.resolved_in_time == 7
