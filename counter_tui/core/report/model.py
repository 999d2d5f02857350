"""The supervisor's figures as plain values: a period's rows (Biểu II.06a) with their totals and
the offices' ranking, and the day board. What the services fill in and every output reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field, fields
from datetime import date, datetime

from counter_tui.core.i18n import t
from counter_tui.core.records import frozen
from counter_tui.core.report.arithmetic import Durations, ratio

CHANNELS = ("walk_in", "post", "online")
DIMENSIONS = ("field", "procedure", "officer", "office")


# --- the periodic report (Biểu II.06a) ----------------------------------------------------------


@frozen
class Tally:
    """One row of Biểu II.06a."""

    carried: int = 0
    online: int = 0
    walk_in: int = 0
    post: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    in_time: int = 0
    overdue: int = 0

    @property
    def new(self) -> int:
        return self.online + self.walk_in + self.post

    @property
    def walk_in_post(self) -> int:
        return self.walk_in + self.post

    @property
    def received(self) -> int:
        """The row's total to resolve: carried over plus newly received."""
        return self.carried + self.new

    @property
    def resolved(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def resolved_in_time(self) -> int:
        """Resolved early or on the due day: what the on-time ratio counts."""
        return self.early + self.on_time

    @property
    def in_progress(self) -> int:
        return self.in_time + self.overdue

    @property
    def online_ratio(self) -> float | None:
        return ratio(self.online, self.new)

    @property
    def walk_in_ratio(self) -> float | None:
        return ratio(self.walk_in, self.new)

    @property
    def post_ratio(self) -> float | None:
        return ratio(self.post, self.new)

    @property
    def on_time_ratio(self) -> float | None:
        """Resolved early or on time, of all resolved."""
        return ratio(self.resolved_in_time, self.resolved)

    def __add__(self, other: Tally) -> Tally:
        return Tally(**{f.name: getattr(self, f.name) + getattr(other, f.name)
                        for f in fields(self)})

    def counted(self, population: str, channel: str, cls: str, n: int) -> Tally:
        """This tally with `n` more dossiers of one kind (population new|carried)."""
        changes: dict[str, int] = {cls: getattr(self, cls) + n}
        if population == "carried":
            changes["carried"] = self.carried + n
        else:
            key = channel if channel in CHANNELS else "walk_in"
            changes[key] = getattr(self, key) + n
        return Tally(**{**{f.name: getattr(self, f.name) for f in fields(self)}, **changes})


def total(tallies: Iterable[Tally]) -> Tally:
    out = Tally()
    for tally in tallies:
        out = out + tally
    return out


@frozen
class PeriodRow:
    key: str
    label: str
    tally: Tally
    previous: Tally | None = None


@frozen
class OfficeRank:
    rank: int
    key: str
    label: str
    tally: Tally


@frozen
class PeriodReport:
    start: date
    end: date  # inclusive
    by: str
    as_of: datetime
    rows: tuple[PeriodRow, ...]
    total: Tally
    previous_total: Tally | None = None
    previous_start: date | None = None
    previous_end: date | None = None
    procedures_offered_online: int = 0
    procedures_with_online: int = 0
    ranking: tuple[OfficeRank, ...] = ()

    @property
    def procedures_online_ratio(self) -> float | None:
        return ratio(self.procedures_with_online, self.procedures_offered_online)


def rank_offices(rows: Iterable[PeriodRow]) -> tuple[OfficeRank, ...]:
    """Offices best first: share resolved in time, then online share, then volume. Offices
    with nothing resolved come last."""
    def key(row: PeriodRow) -> tuple[float, float, int, str]:
        on_time, online = row.tally.on_time_ratio, row.tally.online_ratio
        return (-(on_time if on_time is not None else -1.0),
                -(online if online is not None else -1.0), -row.tally.received, row.label)

    ordered = sorted(rows, key=key)
    return tuple(OfficeRank(i, r.key, r.label, r.tally) for i, r in enumerate(ordered, start=1))


# --- the day board -----------------------------------------------------------------------------


@frozen
class GroupDay:
    letter: str
    name: str
    issued: int = 0
    served: int = 0
    waiting: int = 0
    in_service: int = 0
    absent: int = 0
    wait: Durations = field(default_factory=Durations)
    service: Durations = field(default_factory=Durations)


@frozen
class CounterDay:
    number: int
    name: str
    served: int = 0
    absent: int = 0
    dossiers_received: int = 0
    wait: Durations = field(default_factory=Durations)
    service: Durations = field(default_factory=Durations)


@frozen
class OfficerDay:
    code: str
    name: str
    served: int = 0
    dossiers_received: int = 0
    dossiers_returned: int = 0
    service: Durations = field(default_factory=Durations)


@frozen
class DayBoard:
    """Everything the supervisor screen shows for one day (domain.md §9)."""

    day: date
    as_of: datetime
    office: str
    received_by_channel: tuple[tuple[str, int], ...]
    received_by_level: tuple[tuple[str, int], ...]
    resolved: int
    returned: int
    due: int
    overdue: int
    supplements: int
    online_target: float | None
    online_month: float | None
    groups: tuple[GroupDay, ...]
    counters: tuple[CounterDay, ...]
    officers: tuple[OfficerDay, ...]
    wait: Durations
    service: Durations
    tickets_per_hour: tuple[int, ...]  # 24 slots, hour 0 .. 23
    dossiers_per_hour: tuple[int, ...]

    @property
    def received(self) -> int:
        return sum(n for _, n in self.received_by_channel)

    @property
    def online(self) -> int:
        return dict(self.received_by_channel).get("online", 0)

    @property
    def online_ratio(self) -> float | None:
        return ratio(self.online, self.received)

    @property
    def tickets_issued(self) -> int:
        return sum(g.issued for g in self.groups)

    def hours(self, first: int = 7, last: int = 17) -> range:
        """The hours worth showing: the working day, widened to any hour with arrivals."""
        busy = [h for h in range(24) if self.tickets_per_hour[h] or self.dossiers_per_hour[h]]
        return range(min([first, *busy]), max([last, *busy]) + 1)


def channel_label(channel: str) -> str:
    return t(f"report.channel.{channel}") if channel in CHANNELS else channel


def level_label(level: str) -> str:
    return level or t("report.level.none")
