"""The supervisor's figures as plain values, and the arithmetic on them (no store, no I/O).

Definitions (the same in the day board, the periodic report, the exports and the tests):

* **Received in a period** [start, end): `received_at` in the period, whatever the status now,
  refused (3) and withdrawn (7) included. Split by channel: online; walk-in; post.
* **Finished**: statuses 3 refused, 7 withdrawn, 8 stopped, 9 result ready and 10 returned.
  The moment is `resolved_at`: when the result was ready (9, kept by the hand-over 10), or
  when the dossier was refused, withdrawn or stopped (services.lifecycle sets it on each of
  these moves; migration 0004 filled it in for older rows). A finished dossier whose moment is
  unknown counts as finished when it was received.
* **Resolved in the period** ("đã giải quyết"): finished, with `resolved_at` before the end of
  the period, among the dossiers the period handles (below). Early / on time / late is
  `ontime.classify()`; refused and withdrawn are on time, stopped is on time or late.
* **Carried over** ("kỳ trước chuyển qua"): received before the start and not finished before
  it.
* **In progress at the end** ("đang giải quyết"): handled and not finished before the end;
  in time / overdue judged at `as_of` = the end of the period, or now if the period has not
  ended. A dossier waiting for supplements (5) since before `as_of` keeps the class its pause
  gives it (classify's rule); one paused later was running at `as_of`.
* So for every row: received total = carried + new = resolved + in progress.

The day board (one office, one day, judged now or at the day's end):

* received: `received_at` that day, by channel and by level; finished: `resolved_at` that day
  (any of 3, 7, 8, 9); returned: `returned_at` that day;
* due: appointments that day still to hand over (statuses 1, 2, 4, 5, 6 and 9);
* overdue: open dossiers classify() calls overdue (1, 2, 4, 6 past their due time; 5 paused
  after its due time); waiting for supplements: status 5;
* tickets of the day per group (issued = all but void), counter and officer; wait = called -
  issued; service = finished - serving (or - called when serving was never pressed), for
  tickets done; online share of the day and of the month so far against [targets].

`class_at()` is that rule for one dossier, written with `ontime.classify()`; the SQL in
services.reports copies it, and the tests check the two agree dossier by dossier.

Percentiles are nearest-rank: the 90th percentile is the smallest time that at least 90% of
the times do not exceed. Durations are seconds; ratios are fractions (None when nothing was
counted), shown as percentages.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta

from counter_tui.core.i18n import known, messages, t
from counter_tui.core.layout import Block, Cut, Feed, Field, Rule, Slip, Text
from counter_tui.core.ontime import (
    FINISHED_STATUSES,
    WAITING_SUPPLEMENTS,
    OnTime,
    classify,
)

PROCESSING = 4
CHANNELS = ("walk_in", "post", "online")
DIMENSIONS = ("field", "procedure", "officer", "office")
Cell = str | int | float | None

messages({
    "report.channel.walk_in": ("Trực tiếp", "Walk-in"),
    "report.channel.post": ("Bưu chính", "Post"),
    "report.channel.online": ("Trực tuyến", "Online"),
    "report.level.none": ("Không trực tuyến", "Not online"),
    "report.unknown": ("(không rõ)", "(unknown)"),
    "report.total": ("Tổng cộng", "Total"),
    "report.by.field": ("Lĩnh vực", "Field"),
    "report.by.procedure": ("Thủ tục", "Procedure"),
    "report.by.officer": ("Cán bộ", "Officer"),
    "report.by.office": ("Cơ quan", "Office"),
    # Biểu II.06a
    "report.period.title": (
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC (Biểu II.06a) từ {start} đến {end}",
        "Dossiers received and resolved (form II.06a) from {start} to {end}",
    ),
    "report.col.stt": ("STT", "No."),
    "report.col.received": ("Tổng số hồ sơ nhận giải quyết", "Total to resolve"),
    "report.col.online": ("Mới tiếp nhận trực tuyến", "New online"),
    "report.col.walk_in_post": ("Mới tiếp nhận trực tiếp hoặc bưu chính",
                                "New walk-in or post"),
    "report.col.walk_in": ("Trong đó trực tiếp", "Of which walk-in"),
    "report.col.post": ("Trong đó bưu chính", "Of which post"),
    "report.col.carried": ("Kỳ trước chuyển qua", "Carried over"),
    "report.col.resolved": ("Đã giải quyết", "Resolved"),
    "report.col.early": ("Trước hạn", "Early"),
    "report.col.on_time": ("Đúng hạn", "On time"),
    "report.col.late": ("Quá hạn", "Late"),
    "report.col.in_progress": ("Đang giải quyết", "In progress"),
    "report.col.in_time": ("Chưa đến hạn", "In time"),
    "report.col.overdue": ("Quá hạn (đang giải quyết)", "Overdue (in progress)"),
    "report.col.online_ratio": ("Tỷ lệ trực tuyến (%)", "Online ratio (%)"),
    "report.col.walk_in_ratio": ("Tỷ lệ trực tiếp (%)", "Walk-in ratio (%)"),
    "report.col.post_ratio": ("Tỷ lệ bưu chính (%)", "Post ratio (%)"),
    "report.col.on_time_ratio": ("Tỷ lệ giải quyết đúng hạn (%)", "Resolved in time (%)"),
    "report.col.prev_received": ("Cùng kỳ năm trước: tổng nhận", "Same period last year: total"),
    "report.col.prev_resolved": ("Cùng kỳ: đã giải quyết", "Last year: resolved"),
    "report.col.prev_on_time_ratio": ("Cùng kỳ: đúng hạn (%)", "Last year: in time (%)"),
    "report.col.prev_online_ratio": ("Cùng kỳ: trực tuyến (%)", "Last year: online (%)"),
    "report.col.change_received": ("Tăng/giảm tổng nhận (%)", "Change in total (%)"),
    "report.ranking.title": ("Xếp hạng cơ quan", "Ranking of offices"),
    "report.col.rank": ("Hạng", "Rank"),
    "report.summary.title": ("Chỉ số chung", "Key figures"),
    "report.col.item": ("Chỉ tiêu", "Item"),
    "report.col.value": ("Giá trị", "Value"),
    "report.item.period": ("Kỳ báo cáo", "Period"),
    "report.item.as_of": ("Số liệu tính đến", "Figures as of"),
    "report.item.previous": ("Cùng kỳ năm trước", "Same period last year"),
    "report.item.procedures_online": (
        "Tỷ lệ TTHC trực tuyến có phát sinh hồ sơ trực tuyến (%)",
        "Online procedures that had online dossiers (%)",
    ),
    "report.item.procedures_counts": ("Số TTHC có hồ sơ trực tuyến / số TTHC trực tuyến",
                                      "Procedures with online dossiers / offered online"),
    # day board
    "report.day.title": ("Tình hình ngày {day}", "The day {day}"),
    "report.day.dossiers": ("Hồ sơ", "Dossiers"),
    "report.day.channels": ("Tiếp nhận theo kênh", "Received by channel"),
    "report.day.levels": ("Tiếp nhận theo mức độ", "Received by level"),
    "report.day.groups": ("Số thứ tự theo nhóm", "Tickets by group"),
    "report.day.counters": ("Theo quầy", "By counter"),
    "report.day.officers": ("Theo cán bộ", "By officer"),
    "report.day.hours": ("Theo giờ", "By hour"),
    "report.item.received": ("Tiếp nhận", "Received"),
    "report.item.resolved": ("Có kết quả / kết thúc", "Finished"),
    "report.item.returned": ("Đã trả kết quả", "Returned"),
    "report.item.due": ("Đến hẹn trả (chưa trả)", "Due (not yet returned)"),
    "report.item.overdue": ("Quá hạn (đang giải quyết)", "Overdue (in progress)"),
    "report.item.supplements": ("Chờ bổ sung", "Waiting for supplements"),
    "report.item.online_ratio": ("Tỷ lệ trực tuyến trong ngày (%)", "Online ratio today (%)"),
    "report.item.online_month": ("Tỷ lệ trực tuyến từ đầu tháng (%)",
                                 "Online ratio this month (%)"),
    "report.item.online_target": ("Chỉ tiêu trực tuyến (%)", "Online target (%)"),
    "report.item.wait": ("Thời gian chờ TB / P90 (phút)", "Wait mean / p90 (min)"),
    "report.item.service": ("Thời gian phục vụ TB / P90 (phút)", "Service mean / p90 (min)"),
    "report.col.channel": ("Kênh", "Channel"),
    "report.col.level": ("Mức độ", "Level"),
    "report.col.count": ("Số lượng", "Count"),
    "report.col.group": ("Nhóm", "Group"),
    "report.col.issued": ("Đã cấp", "Issued"),
    "report.col.served": ("Đã phục vụ", "Served"),
    "report.col.waiting": ("Đang chờ", "Waiting"),
    "report.col.in_service": ("Đang gọi/phục vụ", "Called/serving"),
    "report.col.absent": ("Vắng mặt", "Absent"),
    "report.col.wait_mean": ("Chờ TB (phút)", "Wait mean (min)"),
    "report.col.wait_p90": ("Chờ P90 (phút)", "Wait p90 (min)"),
    "report.col.service_mean": ("Phục vụ TB (phút)", "Service mean (min)"),
    "report.col.service_p90": ("Phục vụ P90 (phút)", "Service p90 (min)"),
    "report.col.counter": ("Quầy", "Counter"),
    "report.col.officer": ("Cán bộ", "Officer"),
    "report.col.dossiers_received": ("Hồ sơ tiếp nhận", "Dossiers received"),
    "report.col.dossiers_returned": ("Hồ sơ đã trả", "Dossiers returned"),
    "report.col.hour": ("Giờ", "Hour"),
    "report.col.tickets": ("Số thứ tự cấp", "Tickets issued"),
    # register (Mẫu 06)
    "report.register.title": ("SỔ THEO DÕI HỒ SƠ (Mẫu 06) từ {start} đến {end}",
                              "Dossier register (form 06) from {start} to {end}"),
    "report.reg.code": ("Mã hồ sơ", "Dossier code"),
    "report.reg.procedure": ("Tên TTHC", "Procedure"),
    "report.reg.applicant": ("Tên cá nhân, tổ chức", "Applicant"),
    "report.reg.address": ("Địa chỉ", "Address"),
    "report.reg.phone": ("Số điện thoại", "Phone"),
    "report.reg.office": ("Cơ quan chủ trì giải quyết", "Agency"),
    "report.reg.channel": ("Hình thức nộp", "Submitted"),
    "report.reg.received": ("Ngày, giờ nhận", "Received"),
    "report.reg.due": ("Ngày, giờ hẹn trả", "Due"),
    "report.reg.resolved": ("Ngày có kết quả / kết thúc", "Finished"),
    "report.reg.returned": ("Ngày, giờ trả kết quả", "Returned"),
    "report.reg.return_method": ("Hình thức trả", "Returned by"),
    "report.reg.status": ("Trạng thái", "Status"),
    "report.reg.on_time": ("Đúng hạn/Quá hạn", "In time"),
    "report.reg.signed": ("Ký nhận", "Signed for"),
    "report.reg.note": ("Ghi chú", "Note"),
    "report.return.counter": ("Tại quầy", "At the counter"),
    "report.return.post": ("Bưu chính", "By post"),
    "report.return.online": ("Trực tuyến", "Online"),
    # the printed day summary
    "report.slip.title": ("TỔNG HỢP NGÀY {day}", "DAY SUMMARY {day}"),
    "report.slip.printed": ("In lúc", "Printed"),
    "report.slip.dossiers": ("HỒ SƠ", "DOSSIERS"),
    "report.slip.tickets": ("SỐ THỨ TỰ", "TICKETS"),
    "report.slip.group_line": ("đã cấp {issued}, xong {served}, chờ {waiting}, vắng {absent}",
                               "issued {issued}, served {served}, waiting {waiting}, "
                               "absent {absent}"),
    "report.slip.minutes": ("{mean} / {p90} phút", "{mean} / {p90} min"),
    "report.slip.counter_line": ("phục vụ {served}, hồ sơ {dossiers}",
                                 "served {served}, dossiers {dossiers}"),
})


# --- arithmetic ------------------------------------------------------------------------------


def ratio(part: float, whole: float) -> float | None:
    """part / whole, or None when there is nothing to divide (no dossier, no ticket)."""
    return part / whole if whole else None


def change(now: float, before: float) -> float | None:
    """Relative change from `before` to `now` (0.25 = up a quarter); None without a base."""
    return (now - before) / before if before else None


def percent(value: float | None, digits: int = 1) -> float | None:
    """A fraction as a rounded percentage, for tables and files."""
    return None if value is None else round(value * 100, digits)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..1): the smallest value that at least q of the values
    do not exceed. None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return float(ordered[rank - 1])


@dataclass(frozen=True)
class Durations:
    """Count, mean and 90th percentile of a set of durations, in seconds."""

    count: int = 0
    mean: float | None = None
    p90: float | None = None

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Durations:
        if not seconds:
            return cls()
        return cls(len(seconds), sum(seconds) / len(seconds), percentile(seconds, 0.9))


def minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def same_day_last_year(day: date) -> date:
    """The same calendar day a year earlier; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


# --- the on-time class at a moment ------------------------------------------------------------


def finished_before(status: int, finished_at: datetime | None, moment: datetime) -> bool:
    """Whether the dossier had left processing before `moment` (unknown moment: it had)."""
    return status in FINISHED_STATUSES and (finished_at is None or finished_at < moment)


def class_at(status: int, due_at: datetime | None, finished_at: datetime | None,
             paused_at: datetime | None, *, end: datetime, as_of: datetime) -> OnTime:
    """The class a dossier had at the end of a period: resolved (early / on time / late) if it
    finished before `end`, otherwise in progress (in time / overdue) judged at `as_of`."""
    if finished_before(status, finished_at, end):
        return classify(status, due_at, finished_at, as_of)
    if status == WAITING_SUPPLEMENTS and (paused_at is None or paused_at < as_of):
        return classify(status, due_at, None, as_of, paused_at=paused_at)
    return classify(PROCESSING, due_at, None, as_of)


def handled(received_at: datetime, status: int, finished_at: datetime | None,
            start: datetime, end: datetime) -> str | None:
    """'new' (received in the period), 'carried' (open at its start) or None (not counted)."""
    if start <= received_at < end:
        return "new"
    if received_at < start and not finished_before(status, finished_at, start):
        return "carried"
    return None


# --- the periodic report (Biểu II.06a) ----------------------------------------------------------


@dataclass(frozen=True)
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
        return ratio(self.early + self.on_time, self.resolved)

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


@dataclass(frozen=True)
class PeriodRow:
    key: str
    label: str
    tally: Tally
    previous: Tally | None = None


@dataclass(frozen=True)
class OfficeRank:
    rank: int
    key: str
    label: str
    tally: Tally


@dataclass(frozen=True)
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


# --- the day board ------------------------------------------------------------------------------


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class CounterDay:
    number: int
    name: str
    served: int = 0
    absent: int = 0
    dossiers_received: int = 0
    wait: Durations = field(default_factory=Durations)
    service: Durations = field(default_factory=Durations)


@dataclass(frozen=True)
class OfficerDay:
    code: str
    name: str
    served: int = 0
    dossiers_received: int = 0
    dossiers_returned: int = 0
    service: Durations = field(default_factory=Durations)


@dataclass(frozen=True)
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


# --- tables: what the exports write and the CLI prints -----------------------------------------


@dataclass(frozen=True)
class Table:
    """A titled table: headings and rows of plain cells (ratios already in percent)."""

    name: str  # short, for an XLSX sheet
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def _tally_cells(tally: Tally) -> tuple[Cell, ...]:
    return (tally.received, tally.online, tally.walk_in_post, tally.walk_in, tally.post,
            tally.carried, tally.resolved, tally.early, tally.on_time, tally.late,
            tally.in_progress, tally.in_time, tally.overdue, percent(tally.online_ratio),
            percent(tally.walk_in_ratio), percent(tally.post_ratio),
            percent(tally.on_time_ratio))


TALLY_COLUMNS = ("received", "online", "walk_in_post", "walk_in", "post", "carried", "resolved",
                 "early", "on_time", "late", "in_progress", "in_time", "overdue",
                 "online_ratio", "walk_in_ratio", "post_ratio", "on_time_ratio")
PREVIOUS_COLUMNS = ("prev_received", "prev_resolved", "prev_on_time_ratio",
                    "prev_online_ratio", "change_received")


def _previous_cells(now: Tally, before: Tally | None) -> tuple[Cell, ...]:
    before = before or Tally()
    growth = change(now.received, before.received)
    return (before.received, before.resolved, percent(before.on_time_ratio),
            percent(before.online_ratio), percent(growth))


def _day(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def period_tables(report: PeriodReport) -> list[Table]:
    compare = report.previous_total is not None
    headers = (t("report.col.stt"), t(f"report.by.{report.by}"),
               *(t(f"report.col.{c}") for c in TALLY_COLUMNS))
    if compare:
        headers += tuple(t(f"report.col.{c}") for c in PREVIOUS_COLUMNS)
    rows: list[tuple[Cell, ...]] = []
    for i, row in enumerate(report.rows, start=1):
        cells: tuple[Cell, ...] = (i, row.label, *_tally_cells(row.tally))
        if compare:
            cells += _previous_cells(row.tally, row.previous)
        rows.append(cells)
    last: tuple[Cell, ...] = ("", t("report.total"), *_tally_cells(report.total))
    if compare:
        last += _previous_cells(report.total, report.previous_total)
    rows.append(last)
    title = t("report.period.title", start=_day(report.start), end=_day(report.end))
    tables = [Table("II.06a", title, headers, tuple(rows))]
    summary: list[tuple[Cell, ...]] = [
        (t("report.item.period"), f"{_day(report.start)} - {_day(report.end)}"),
        (t("report.item.as_of"), report.as_of.strftime("%H:%M %d/%m/%Y")),
        (t("report.col.received"), report.total.received),
        (t("report.col.resolved"), report.total.resolved),
        (t("report.col.on_time_ratio"), percent(report.total.on_time_ratio)),
        (t("report.col.online_ratio"), percent(report.total.online_ratio)),
        (t("report.item.procedures_online"), percent(report.procedures_online_ratio)),
        (t("report.item.procedures_counts"),
         f"{report.procedures_with_online}/{report.procedures_offered_online}"),
    ]
    if compare and report.previous_start and report.previous_end:
        summary.append((t("report.item.previous"),
                        f"{_day(report.previous_start)} - {_day(report.previous_end)}"))
    tables.append(Table("summary", t("report.summary.title"),
                        (t("report.col.item"), t("report.col.value")), tuple(summary)))
    if report.ranking:
        tables.append(Table("ranking", t("report.ranking.title"), (
            t("report.col.rank"), t("report.by.office"), t("report.col.received"),
            t("report.col.resolved"), t("report.col.on_time_ratio"),
            t("report.col.online_ratio")), tuple(
            (r.rank, r.label, r.tally.received, r.tally.resolved,
             percent(r.tally.on_time_ratio), percent(r.tally.online_ratio))
            for r in report.ranking)))
    return tables


def _dur(d: Durations) -> tuple[Cell, Cell]:
    return minutes(d.mean), minutes(d.p90)


def day_tables(board: DayBoard) -> list[Table]:
    def pair(d: Durations) -> str:
        mean, p90 = _dur(d)
        return f"{'-' if mean is None else mean} / {'-' if p90 is None else p90}"

    items: list[tuple[Cell, ...]] = [
        (t("report.item.received"), board.received),
        (t("report.item.resolved"), board.resolved),
        (t("report.item.returned"), board.returned),
        (t("report.item.due"), board.due),
        (t("report.item.overdue"), board.overdue),
        (t("report.item.supplements"), board.supplements),
        (t("report.item.online_ratio"), percent(board.online_ratio)),
        (t("report.item.online_month"), percent(board.online_month)),
        (t("report.item.online_target"), percent(board.online_target)),
        (t("report.col.issued"), board.tickets_issued),
        (t("report.item.wait"), pair(board.wait)),
        (t("report.item.service"), pair(board.service)),
    ]
    count = t("report.col.count")
    return [
        Table("day", t("report.day.title", day=_day(board.day)),
              (t("report.col.item"), t("report.col.value")), tuple(items)),
        Table("channels", t("report.day.channels"), (t("report.col.channel"), count),
              tuple((channel_label(c), n) for c, n in board.received_by_channel)),
        Table("levels", t("report.day.levels"), (t("report.col.level"), count),
              tuple((level_label(lv), n) for lv, n in board.received_by_level)),
        Table("groups", t("report.day.groups"), (
            t("report.col.group"), t("report.col.issued"), t("report.col.served"),
            t("report.col.waiting"), t("report.col.in_service"), t("report.col.absent"),
            t("report.col.wait_mean"), t("report.col.wait_p90"), t("report.col.service_mean"),
            t("report.col.service_p90")), tuple(
            (f"{g.letter} {g.name}", g.issued, g.served, g.waiting, g.in_service, g.absent,
             *_dur(g.wait), *_dur(g.service)) for g in board.groups)),
        Table("counters", t("report.day.counters"), (
            t("report.col.counter"), t("report.col.served"), t("report.col.absent"),
            t("report.col.dossiers_received"), t("report.col.wait_mean"),
            t("report.col.service_mean"), t("report.col.service_p90")), tuple(
            (c.name, c.served, c.absent, c.dossiers_received, minutes(c.wait.mean),
             *_dur(c.service)) for c in board.counters)),
        Table("officers", t("report.day.officers"), (
            t("report.col.officer"), t("report.col.served"), t("report.col.dossiers_received"),
            t("report.col.dossiers_returned"), t("report.col.service_mean"),
            t("report.col.service_p90")), tuple(
            (f"{o.name} ({o.code})" if o.name != o.code else o.code, o.served,
             o.dossiers_received, o.dossiers_returned, *_dur(o.service))
            for o in board.officers)),
        Table("hours", t("report.day.hours"), (
            t("report.col.hour"), t("report.col.tickets"), t("report.col.dossiers_received")),
            tuple((f"{h:02d}:00", board.tickets_per_hour[h], board.dossiers_per_hour[h])
                  for h in board.hours())),
    ]


REGISTER_COLUMNS = ("stt", "code", "procedure", "applicant", "address", "phone", "office",
                    "channel", "received", "due", "resolved", "returned", "return_method",
                    "status", "on_time", "signed", "note")


def register_headers() -> tuple[str, ...]:
    return tuple(t("report.col.stt") if c == "stt" else t(f"report.reg.{c}")
                 for c in REGISTER_COLUMNS)


def stamp(moment: datetime | None) -> str:
    return moment.strftime("%H:%M %d/%m/%Y") if moment else ""


def return_method_label(method: str) -> str:
    key = f"report.return.{method}"
    return t(key) if known(key) else method


# --- the day summary on the thermal printer ----------------------------------------------------


def day_summary_slip(board: DayBoard, *, office: str, printed_at: datetime) -> Slip:
    """A short day summary for a 58/80 mm printer: the board's figures, one per line."""
    def mins(d: Durations) -> str:
        mean, p90 = _dur(d)
        return t("report.slip.minutes", mean="-" if mean is None else mean,
                 p90="-" if p90 is None else p90)

    blocks: list[Block] = [
        Text(office, align="center", bold=True),
        Text(t("report.slip.title", day=_day(board.day)), align="center", bold=True),
        Field(t("report.slip.printed"), printed_at.strftime("%H:%M %d/%m/%Y")),
        Rule(),
        Text(t("report.slip.dossiers"), bold=True),
        Field(t("report.item.received"), str(board.received)),
    ]
    blocks += [Field(f"  {channel_label(c)}", str(n)) for c, n in board.received_by_channel]
    online = percent(board.online_ratio)
    target = percent(board.online_target)
    blocks += [
        Field(t("report.item.online_ratio"),
              f"{'-' if online is None else online}"
              + (f" / {target}" if target is not None else "")),
        Field(t("report.item.resolved"), str(board.resolved)),
        Field(t("report.item.returned"), str(board.returned)),
        Field(t("report.item.due"), str(board.due)),
        Field(t("report.item.overdue"), str(board.overdue)),
        Field(t("report.item.supplements"), str(board.supplements)),
        Rule(),
        Text(t("report.slip.tickets"), bold=True),
    ]
    for g in board.groups:
        blocks.append(Field(f"{g.letter} {g.name}", t(
            "report.slip.group_line", issued=g.issued, served=g.served, waiting=g.waiting,
            absent=g.absent)))
    blocks += [Field(t("report.item.wait"), mins(board.wait)),
               Field(t("report.item.service"), mins(board.service))]
    if board.counters:
        blocks.append(Rule())
        blocks += [Field(c.name, t("report.slip.counter_line", served=c.served,
                                   dossiers=c.dossiers_received)) for c in board.counters]
    blocks += [Feed(), Cut()]
    return Slip(kind="day_summary", blocks=tuple(blocks))


def parse_day(text: str) -> date | None:
    """A day typed as YYYY-MM-DD or dd/mm/yyyy (d/m/yyyy too); None if it is neither."""
    value = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, datetime.min.time())
    return start, start + timedelta(days=1)


# --- plain text and JSON (the CLI) ----------------------------------------------------------------


def _text(value: Cell | datetime | date) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def render_text(tables: Iterable[Table], *, heading_width: int = 12) -> str:
    """The tables as aligned plain text for a terminal; long headings wrap over lines."""
    out: list[str] = []
    for table in tables:
        cells = [[_text(c) for c in row] for row in table.rows]
        widths = []
        for i, head in enumerate(table.headers):
            data = max((len(r[i]) for r in cells if i < len(r)), default=0)
            longest_word = max((len(w) for w in head.split()), default=0)
            widths.append(max(data, longest_word, min(len(head), heading_width)))
        wrapped = [_wrap(h, w) for h, w in zip(table.headers, widths, strict=True)]
        depth = max((len(w) for w in wrapped), default=1)
        out.append(table.title)
        for line in range(depth):
            out.append("  ".join((w[line] if line < len(w) else "").ljust(widths[i])
                                 for i, w in enumerate(wrapped)).rstrip())
        out.append("  ".join("-" * w for w in widths))
        for row in cells:
            out.append("  ".join(
                (c.rjust(widths[i]) if isinstance(table.rows[0][i], int | float)
                 and not isinstance(table.rows[0][i], bool) else c.ljust(widths[i]))
                for i, c in enumerate(row)).rstrip())
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def tally_dict(tally: Tally) -> dict[str, int | float | None]:
    """Every figure of a row, counted and derived, by its English name."""
    out: dict[str, int | float | None] = {f.name: getattr(tally, f.name) for f in fields(tally)}
    for name in ("new", "walk_in_post", "received", "resolved", "in_progress", "online_ratio",
                 "walk_in_ratio", "post_ratio", "on_time_ratio"):
        out[name] = getattr(tally, name)
    return out


def period_json(report: PeriodReport) -> dict[str, object]:
    def row(r: PeriodRow) -> dict[str, object]:
        item: dict[str, object] = {"key": r.key, "label": r.label, **tally_dict(r.tally)}
        if r.previous is not None:
            item["previous"] = tally_dict(r.previous)
        return item

    return {
        "start": report.start.isoformat(), "end": report.end.isoformat(), "by": report.by,
        "as_of": report.as_of.isoformat(timespec="minutes"),
        "rows": [row(r) for r in report.rows], "total": tally_dict(report.total),
        "previous": None if report.previous_total is None else {
            "start": report.previous_start.isoformat() if report.previous_start else None,
            "end": report.previous_end.isoformat() if report.previous_end else None,
            "total": tally_dict(report.previous_total)},
        "procedures_offered_online": report.procedures_offered_online,
        "procedures_with_online": report.procedures_with_online,
        "procedures_online_ratio": report.procedures_online_ratio,
        "ranking": [{"rank": r.rank, "key": r.key, "label": r.label, **tally_dict(r.tally)}
                    for r in report.ranking],
    }


def day_json(board: DayBoard) -> dict[str, object]:
    from counter_tui.core.views import jsonable

    data: dict[str, object] = jsonable(board)
    data["received_by_channel"] = dict(board.received_by_channel)
    data["received_by_level"] = dict(board.received_by_level)
    data.update(received=board.received, online=board.online, online_ratio=board.online_ratio,
                tickets_issued=board.tickets_issued)
    return data
