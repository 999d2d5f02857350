"""How long an applicant's personal data is kept after the dossier is closed, as a dated rule.

Nghị định 13/2023/NĐ-CP (in force from 1 July 2023) lets personal data be kept only as long as
its purpose needs. At the counter the purpose ends some time after the result is handed back:
the office still answers questions and complaints about it, and the dossier's own file is
archived by the unit that decided it, not by this application. How long is the office's (or the
province's) decision, so it is configuration (`[privacy] retention`), written like every other
legal rule here: each rule says from which day it applies, and a dossier is held to the rule in
force on the day it was returned. A new decision adds a rule; dossiers returned before it keep
the period they were returned under.

`purgeable` turns the rules and the cut-off a technician asks for into the ranges of return
times whose personal data may go now: the cut-off never reaches into a dossier's retention.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from counter_tui.core.records import frozen


@frozen
class RetentionRule:
    since: date  # returned on or after this day
    months: int  # kept this many months after the return


# The shipped rule: five years after the return, from Nghị định 13/2023's entry into force. An
# office confirms or replaces it in config.toml.
DEFAULT_RULES: tuple[RetentionRule, ...] = (RetentionRule(date(2023, 7, 1), 60),)


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` months, back when negative (the 31st becomes the month's last
    day)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, _days_in(year, month + 1)))


def _days_in(year: int, month: int) -> int:
    """(calendar.monthrange's answer, without calendar's import of locale: config loads this
    module for every command)"""
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (following - date(year, month, 1)).days


def rule_on(rules: Sequence[RetentionRule], returned: date) -> RetentionRule:
    """The rule in force on `returned` (the earliest rule also covers the days before it)."""
    ordered = sorted(rules, key=lambda r: r.since)
    current = ordered[0]
    for rule in ordered:
        if rule.since <= returned:
            current = rule
    return current


def held_until(rules: Sequence[RetentionRule], returned: date) -> date:
    """The last day a dossier returned on `returned` keeps its personal data."""
    return add_months(returned, rule_on(rules, returned).months)


def purgeable(rules: Sequence[RetentionRule], before: date,
              today: date) -> list[tuple[datetime | None, datetime]]:
    """The ranges [start, end) of return times whose dossiers may be anonymised now, when
    asked for those returned before `before`: under each rule, those returned before the
    cut-off and whose period has ended by `today` (returned on or before the day its months
    ago). `None` as a start: since the beginning."""
    ordered = sorted(rules, key=lambda r: r.since)
    ranges: list[tuple[datetime | None, datetime]] = []
    for i, rule in enumerate(ordered):
        start = None if i == 0 else datetime.combine(rule.since, time())
        upper = min(before, add_months(today, -rule.months) + timedelta(days=1))
        if i + 1 < len(ordered):
            upper = min(upper, ordered[i + 1].since)
        end = datetime.combine(upper, time())
        if start is None or start < end:
            ranges.append((start, end))
    return ranges
