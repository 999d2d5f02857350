"""The retention rule: dated, the rule of the day a dossier was returned, and a cut-off that
never reaches into a dossier's period."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest

from counter_tui.config import ConfigError
from counter_tui.core.retention import (
    DEFAULT_RULES,
    RetentionRule,
    add_months,
    held_until,
    purgeable,
)

RULES = (RetentionRule(date(2023, 7, 1), 60), RetentionRule(date(2026, 1, 1), 24))


@pytest.mark.parametrize("day,months,expected", [
    (date(2026, 3, 31), -1, date(2026, 2, 28)),
    (date(2024, 3, 31), -1, date(2024, 2, 29)),
    (date(2026, 1, 15), -13, date(2024, 12, 15)),
    (date(2026, 11, 30), 3, date(2027, 2, 28)),
])
def test_months_move_to_the_months_last_day(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_a_dossier_keeps_the_rule_it_was_returned_under() -> None:
    assert held_until(RULES, date(2025, 12, 31)) == date(2030, 12, 31)
    assert held_until(RULES, date(2026, 1, 1)) == date(2028, 1, 1)
    assert held_until(RULES, date(2020, 5, 1)) == date(2025, 5, 1)  # before every rule: the first


def test_the_cut_off_stops_at_each_rules_period() -> None:
    # on 1 March 2028: under 60 months, returned on or before 1 March 2023; under 24 months
    # (returned from 2026), on or before 1 March 2026
    ranges = purgeable(RULES, date(2028, 3, 1), date(2028, 3, 1))
    assert ranges == [(None, datetime(2023, 3, 2)),
                      (datetime(2026, 1, 1), datetime(2026, 3, 2))]
    # a cut-off earlier than both periods is the cut-off
    assert purgeable(RULES, date(2020, 1, 1), date(2028, 3, 1)) == [(None, datetime(2020, 1, 1))]


def test_the_period_is_configuration(make_config: Callable[..., Any], tmp_path: Any) -> None:
    assert make_config(tmp_path).privacy.retention == DEFAULT_RULES
    cfg = make_config(tmp_path, privacy={"retention": [["2026-01-01", 24], ["2023-07-01", 60]]})
    assert cfg.privacy.retention == RULES
    for bad in ([], [["2026-01-01"]], [["2026-13-01", 24]], [["2026-01-01", 0]],
                [["2026-01-01", 24], ["2026-01-01", 12]], "60"):
        with pytest.raises(ConfigError) as refused:
            make_config(tmp_path, privacy={"retention": bad})
        assert "privacy.retention" in str(refused.value)
