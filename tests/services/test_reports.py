"""The periodic report (Biểu II.06a), the day board and the register against hand-computed
figures, on both engines; and the reports' SQL against core.ontime.classify, dossier by dossier.

The fixture (April 2026, clock at 12 May 2026): two offices, two fields, every status that
matters: results early / on the due day / late (one handed over late but ready on time),
refused, withdrawn, stopped, supplements paused before and after the due date (and one paused
after the period ended), results ready after the period ended, dossiers carried over from
March (one resolved in April, one still open, one finished in March so not counted), and a
dossier from April 2025 that is still open (counted last year as new, this year as carried).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from counter_tui.core.errors import UserError
from counter_tui.core.layout import Slip
from counter_tui.core.ontime import classify
from counter_tui.core.report.arithmetic import day_bounds
from counter_tui.core.report.counting import class_at, handled
from counter_tui.core.report.model import Tally
from counter_tui.core.report.plain import day_json, period_json, render_text
from counter_tui.core.report.tables import day_tables, period_tables, register_headers
from counter_tui.core.text import fold
from counter_tui.db.models import Dossier, Office, Officer, PrintJob, Ticket
from counter_tui.printing.decode import decode
from counter_tui.printing.render import render
from counter_tui.services import queue, reports
from counter_tui.services.reports import dossier_register
from tests.tickets import hand_out

TAKER = "Lê Văn Hùng"  # who receives a hand-over (Mẫu 05)

D = dt.datetime
H56, H57 = "000.17.22.H56", "000.17.22.H57"
NAMES = {"HT-KS": "Đăng ký khai sinh", "HT-KH": "Đăng ký kết hôn", "HT-KT": "Đăng ký khai tử",
         "HT-XNHN": "Cấp Giấy xác nhận tình trạng hôn nhân",
         "HT-TL": "Cấp bản sao trích lục hộ tịch", "CT-BS": "Chứng thực bản sao từ bản chính",
         "CT-HD": "Chứng thực hợp đồng, giao dịch", "CT-SG": "Cấp bản sao từ sổ gốc",
         "CT-CK": "Chứng thực chữ ký"}
HT, CT = "Hộ tịch", "Chứng thực"


@dataclass(frozen=True)
class F:
    """One fixture dossier: what it is, and what April 2026 makes of it (hand-computed)."""

    name: str
    office: str
    field: str
    proc: str
    channel: str
    status: int
    received: dt.datetime
    due: dt.datetime | None
    resolved: dt.datetime | None = None
    returned: dt.datetime | None = None
    paused: dt.datetime | None = None
    officer: str = "canbo1"
    april: str | None = None  # "new <class>" / "carried <class>" / None (not counted)


FIXTURE = [
    F("D1", H56, HT, "HT-KS", "walk_in", 10, D(2026, 4, 2, 8), D(2026, 4, 6, 17),
      D(2026, 4, 3, 10), D(2026, 4, 4, 9), april="new early"),
    # ready on the due day, handed over two days late: resolved on time all the same
    F("D2", H56, HT, "HT-KS", "online", 10, D(2026, 4, 6, 9), D(2026, 4, 8, 17),
      D(2026, 4, 8, 15), D(2026, 4, 10, 9), april="new on_time"),
    F("D3", H56, HT, "HT-KH", "post", 10, D(2026, 4, 7, 9), D(2026, 4, 9, 17),
      D(2026, 4, 10, 9), D(2026, 4, 13, 9), april="new late"),
    F("D4", H56, HT, "HT-KT", "walk_in", 3, D(2026, 4, 8, 8), D(2026, 4, 8, 17),
      D(2026, 4, 8, 8, 30), april="new on_time"),
    # withdrawn after its due date: on time by the rule
    F("D5", H56, CT, "CT-BS", "online", 7, D(2026, 4, 9, 9), D(2026, 4, 10, 17),
      D(2026, 4, 15, 9), officer="canbo2", april="new on_time"),
    F("D6", H56, CT, "CT-HD", "walk_in", 8, D(2026, 4, 10, 9), D(2026, 4, 14, 17),
      D(2026, 4, 16, 9), officer="canbo2", april="new late"),
    F("D7", H56, CT, "CT-BS", "walk_in", 5, D(2026, 4, 20, 9), D(2026, 4, 22, 17),
      paused=D(2026, 4, 21, 10), officer="canbo2", april="new in_time"),
    F("D8", H56, CT, "CT-SG", "online", 5, D(2026, 4, 13, 9), D(2026, 4, 15, 17),
      paused=D(2026, 4, 16, 9), officer="canbo2", april="new overdue"),
    # due after the period: in time at its end, although overdue now
    F("D9", H56, CT, "CT-HD", "walk_in", 4, D(2026, 4, 27, 9), D(2026, 5, 5, 17),
      officer="canbo2", april="new in_time"),
    F("D10", H56, HT, "HT-XNHN", "walk_in", 4, D(2026, 4, 14, 9), D(2026, 4, 20, 17),
      april="new overdue"),
    # ready after the period ended: in progress at its end, and overdue by then
    F("D11", H56, HT, "HT-XNHN", "walk_in", 9, D(2026, 4, 22, 9), D(2026, 4, 29, 17),
      D(2026, 5, 4, 9), april="new overdue"),
    F("D12", H56, HT, "HT-KS", "walk_in", 10, D(2026, 4, 28, 9), D(2026, 5, 6, 17),
      D(2026, 5, 2, 9), D(2026, 5, 5, 9), april="new in_time"),
    # paused for supplements only after the period ended: it was running, and late, at the end
    F("D13", H56, CT, "CT-BS", "walk_in", 5, D(2026, 4, 24, 9), D(2026, 4, 28, 17),
      paused=D(2026, 5, 3, 9), officer="canbo2", april="new overdue"),
    F("C1", H56, HT, "HT-KS", "walk_in", 10, D(2026, 3, 25, 9), D(2026, 4, 2, 17),
      D(2026, 4, 2, 11), D(2026, 4, 3, 9), april="carried on_time"),
    F("C2", H56, HT, "HT-TL", "online", 4, D(2026, 3, 30, 9), D(2026, 4, 3, 17),
      april="carried overdue"),
    F("C3", H56, CT, "CT-BS", "walk_in", 9, D(2026, 3, 20, 9), D(2026, 3, 27, 17),
      D(2026, 3, 26, 9), officer="canbo2"),
    F("C4", H56, CT, "CT-BS", "post", 7, D(2026, 3, 28, 9), D(2026, 4, 1, 17),
      D(2026, 4, 1, 9), officer="canbo2", april="carried on_time"),
    F("C5", H56, CT, "CT-CK", "walk_in", 10, D(2026, 3, 31, 16), D(2026, 4, 3, 17),
      D(2026, 4, 6, 9), D(2026, 4, 7, 9), officer="canbo2", april="carried late"),
    F("A1", H56, HT, "HT-KS", "walk_in", 2, D(2026, 5, 5, 9), D(2026, 5, 8, 17)),
    F("O2a", H57, HT, "HT-KS", "online", 10, D(2026, 4, 3, 9), D(2026, 4, 7, 17),
      D(2026, 4, 5, 9), D(2026, 4, 6, 9), officer="", april="new early"),
    F("O2b", H57, HT, "HT-KH", "walk_in", 10, D(2026, 4, 3, 10), D(2026, 4, 7, 17),
      D(2026, 4, 9, 9), D(2026, 4, 9, 10), officer="", april="new late"),
    F("P1", H56, HT, "HT-KS", "walk_in", 10, D(2025, 4, 10, 9), D(2025, 4, 15, 17),
      D(2025, 4, 14, 9), D(2025, 4, 14, 10)),
    F("P2", H56, CT, "CT-BS", "online", 10, D(2025, 4, 11, 9), D(2025, 4, 14, 17),
      D(2025, 4, 14, 10), D(2025, 4, 15, 9), officer="canbo2"),
    F("P3", H56, CT, "CT-HD", "walk_in", 4, D(2025, 4, 20, 9), D(2025, 4, 25, 17),
      officer="canbo2", april="carried overdue"),
]

APRIL = (dt.date(2026, 4, 1), dt.date(2026, 4, 30))
_codes = itertools.count(1)


def load(store: Any, items: list[F] = FIXTURE) -> dict[str, int]:
    """Store the fixture; returns the dossier id of each name."""
    ids = {}
    with store.write():
        Office.insert(code=H57, name="UBND xã Bình An - Bộ phận Một cửa").on_conflict_ignore(
        ).execute()
        Officer.insert(code="canbo2", name="Trần Văn Bình").on_conflict_ignore().execute()
        offices = {o.code: o.id for o in Office.select()}
        for f in items:
            ids[f.name] = Dossier.insert(
                code=f"{f.office}-{f.received:%y%m%d}-{next(_codes):04d}",
                office=offices[f.office], procedure_code=f.proc, procedure_name=NAMES[f.proc],
                field=f.field, channel=f.channel, level="", status=f.status,
                applicant_name=f"Nguyễn Văn {f.name}",
                applicant_folded=fold(f"Nguyễn Văn {f.name}"),
                phone="0912345678", address="Thôn 1, xã Minh Hòa", received_at=f.received,
                due_at=f.due, original_due_at=f.due, resolved_at=f.resolved,
                returned_at=f.returned, paused_at=f.paused, officer=f.officer, counter=1,
            ).execute()
    return ids


def tally(**counts: int) -> Tally:
    return Tally(**counts)


HOTICH = tally(walk_in=6, online=2, post=1, carried=2, early=2, on_time=3, late=2, in_time=1,
               overdue=3)
CHUNGTHUC = tally(walk_in=4, online=2, post=0, carried=3, early=0, on_time=2, late=2,
                  in_time=2, overdue=3)


def rows_of(report: Any) -> dict[str, Tally]:
    return {r.label: r.tally for r in report.rows}


def test_april_by_field_every_figure(store: Any) -> None:
    load(store)
    report = reports.period(store, *APRIL, by="field")
    assert rows_of(report) == {HT: HOTICH, CT: CHUNGTHUC}
    assert [r.label for r in report.rows] == [CT, HT]  # by name, diacritics ignored
    total = report.total
    assert total == HOTICH + CHUNGTHUC
    assert (total.received, total.new, total.carried) == (20, 15, 5)
    assert (total.online, total.walk_in_post, total.walk_in, total.post) == (4, 11, 10, 1)
    assert (total.resolved, total.early, total.on_time, total.late) == (11, 2, 5, 4)
    assert (total.in_progress, total.in_time, total.overdue) == (9, 3, 6)
    assert total.online_ratio == pytest.approx(4 / 15)
    assert total.on_time_ratio == pytest.approx(7 / 11)
    assert HOTICH.received == HOTICH.resolved + HOTICH.in_progress == 11
    assert CHUNGTHUC.received == CHUNGTHUC.resolved + CHUNGTHUC.in_progress == 9
    assert report.as_of == D(2026, 5, 1)  # the period has ended: judged at its end
    # procedures offered online in the shipped catalogue: 18; with online dossiers in April:
    # HT-KS (D2, O2a), CT-BS (D5), CT-SG (D8)
    assert (report.procedures_with_online, report.procedures_offered_online) == (3, 18)
    # two offices in the store: ranked by share resolved in time
    assert [(r.rank, r.label) for r in report.ranking] == [
        (1, "UBND xã Minh Hòa - Bộ phận Một cửa"), (2, "UBND xã Bình An - Bộ phận Một cửa")]
    assert [r.tally.on_time_ratio for r in report.ranking] == [pytest.approx(6 / 9), 0.5]


def test_april_by_office_officer_and_procedure(store: Any) -> None:
    load(store)
    by_office = reports.period(store, *APRIL, by="office")
    offices = rows_of(by_office)
    minh_hoa = offices["UBND xã Minh Hòa - Bộ phận Một cửa"]
    binh_an = offices["UBND xã Bình An - Bộ phận Một cửa"]
    assert binh_an == tally(online=1, walk_in=1, early=1, late=1)
    assert minh_hoa == HOTICH + CHUNGTHUC + tally(online=-1, walk_in=-1, early=-1, late=-1)
    assert (minh_hoa.resolved, minh_hoa.on_time_ratio) == (9, pytest.approx(6 / 9))
    assert [r.label for r in by_office.ranking] == [
        "UBND xã Minh Hòa - Bộ phận Một cửa", "UBND xã Bình An - Bộ phận Một cửa"]

    by_officer = rows_of(reports.period(store, *APRIL, by="officer"))
    assert by_officer == {
        "Nguyễn Thị Lan (canbo1)": HOTICH + tally(online=-1, walk_in=-1, early=-1, late=-1),
        "Trần Văn Bình (canbo2)": CHUNGTHUC,
        "(không rõ)": binh_an,
    }

    by_procedure = rows_of(reports.period(store, *APRIL, by="procedure"))
    assert by_procedure["HT-KS - Đăng ký khai sinh"] == tally(
        walk_in=2, online=2, carried=1, early=2, on_time=2, in_time=1)
    assert by_procedure["CT-BS - Chứng thực bản sao từ bản chính"] == tally(
        online=1, walk_in=2, carried=1, on_time=2, in_time=1, overdue=1)
    assert by_procedure["HT-XNHN - Cấp Giấy xác nhận tình trạng hôn nhân"] == tally(
        walk_in=2, overdue=2)
    assert "CT-CK - Chứng thực chữ ký" in by_procedure  # carried C5 only
    assert sum(by_procedure.values(), Tally()) == HOTICH + CHUNGTHUC


def test_one_office_and_the_same_period_last_year(store: Any) -> None:
    load(store)
    report = reports.period(store, *APRIL, by="field", compare=True, office=H56)
    assert report.ranking == ()
    assert (report.previous_start, report.previous_end) == (dt.date(2025, 4, 1),
                                                            dt.date(2025, 4, 30))
    rows = {r.label: r for r in report.rows}
    assert rows[HT].previous == tally(walk_in=1, early=1)
    # P3 was new and overdue at the end of April 2025; it is still open, so carried into 2026
    assert rows[CT].previous == tally(online=1, walk_in=1, on_time=1, overdue=1)
    prev = report.previous_total
    assert prev is not None
    assert (prev.received, prev.resolved, prev.on_time_ratio) == (3, 2, 1.0)
    assert prev.online_ratio == pytest.approx(1 / 3)
    assert report.total.received == 18
    tables = period_tables(report)
    table = tables[0]
    compared = dict(zip(table.headers[-10:], table.rows[-1][-10:], strict=True))
    assert table.rows[-1][1] == "Tổng cộng"
    # this April at Minh Hòa: 18 to resolve, 3 online (D2, D5, D8), 9 resolved, 6 in time
    assert compared == {
        "Cùng kỳ năm trước: tổng nhận": 3, "So với cùng kỳ: tổng nhận": "tăng 500%",
        "Cùng kỳ: mới tiếp nhận trực tuyến": 1, "So với cùng kỳ: trực tuyến": "tăng 200%",
        "Cùng kỳ: đã giải quyết": 2, "So với cùng kỳ: đã giải quyết": "tăng 350%",
        "Cùng kỳ: giải quyết đúng hạn": 2, "So với cùng kỳ: giải quyết đúng hạn": "tăng 200%",
        "Cùng kỳ: đúng hạn (%)": 100.0, "Cùng kỳ: trực tuyến (%)": 33.3}
    by_field = {row[1]: dict(zip(table.headers, row, strict=True)) for row in table.rows}
    # no civil-status dossier came in online last April: new, not a percentage of nothing
    assert by_field[HT]["Cùng kỳ: mới tiếp nhận trực tuyến"] == 0
    assert by_field[HT]["So với cùng kỳ: trực tuyến"] == "mới"
    assert by_field[CT]["So với cùng kỳ: đã giải quyết"] == "tăng 300%"  # 4 against 1
    summary = dict(tables[1].rows)
    assert summary["Cùng kỳ năm trước"] == "01/04/2025 - 30/04/2025"
    assert summary["So với cùng kỳ: tổng số hồ sơ nhận giải quyết"] == \
        "18, tăng 500% so với cùng kỳ (3)"
    assert summary["So với cùng kỳ: tiếp nhận trực tuyến"] == "3, tăng 200% so với cùng kỳ (1)"
    assert summary["So với cùng kỳ: đã giải quyết"] == "9, tăng 350% so với cùng kỳ (2)"
    assert summary["So với cùng kỳ: giải quyết đúng hạn"] == "6, tăng 200% so với cùng kỳ (2)"
    data = period_json(report)
    assert data["previous"]["change"]["received"] == {  # type: ignore[index]
        "now": 18, "before": 3, "percent": 500.0, "text": "tăng 500%"}
    rows_json = {r["label"]: r for r in data["rows"]}  # type: ignore[attr-defined]
    assert rows_json[HT]["change"]["online"] == {"now": 1, "before": 0, "percent": None,
                                                 "text": "mới"}
    assert rows_json[CT]["change"]["resolved_in_time"]["percent"] == 100.0  # 2 against 1
    text = render_text(tables)
    assert "tăng 500%" in text and "18, tăng 500% so với cùng kỳ (3)" in text


def test_a_fall_and_nothing_last_year_on_both_engines(store: Any) -> None:
    """1-3 April: nothing a year earlier, so "new", not a percentage of nothing. 10-12 April:
    2025 had P1 and P2 (online) received, none resolved; 2026 received D6, carried D3, D5,
    C2 and P3, resolved D3, and nothing online: the online count fell by all of it."""
    load(store)
    report = reports.period(store, dt.date(2026, 4, 1), dt.date(2026, 4, 3), compare=True,
                            office=H56)
    assert report.previous_total == Tally()
    summary = dict(period_tables(report)[1].rows)
    # D1 new; C1, C2, C4, C5 and P3 open on 1 April
    assert summary["So với cùng kỳ: tổng số hồ sơ nhận giải quyết"] == \
        "6, mới (cùng kỳ không có)"
    assert summary["So với cùng kỳ: tiếp nhận trực tuyến"] == "0, bằng cùng kỳ"
    report = reports.period(store, dt.date(2026, 4, 10), dt.date(2026, 4, 12), compare=True,
                            office=H56)
    summary = dict(period_tables(report)[1].rows)
    assert summary["So với cùng kỳ: tổng số hồ sơ nhận giải quyết"] == \
        "5, tăng 150% so với cùng kỳ (2)"
    assert summary["So với cùng kỳ: tiếp nhận trực tuyến"] == "0, giảm 100% so với cùng kỳ (1)"
    assert summary["So với cùng kỳ: đã giải quyết"] == "1, mới (cùng kỳ không có)"
    total = period_tables(report)[0].rows[-1]
    assert "giảm 100%" in total and "mới" in total
    online = period_json(report)["previous"]["change"]["online"]  # type: ignore[index]
    assert (online["percent"], online["text"]) == (-100.0, "giảm 100%")


def test_a_period_still_running_is_judged_now(store: Any) -> None:
    """May 2026 with the clock on 12 May: as_of is now, so D9 (due 5 May) is overdue."""
    ids = load(store)
    report = reports.period(store, dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert report.as_of == D(2026, 5, 12, 8)
    assert ids  # D9, D10, C2, P3, D7, D8, D13 are open; D11 (ready 4 May), D12 (2 May) finished
    total = report.total
    assert total.carried == 9 and total.new == 1  # A1 received 5 May
    assert (total.early, total.on_time, total.late) == (1, 0, 1)  # D12 early, D11 late
    assert (total.in_time, total.overdue) == (1, 7)  # D7; D8, D9, D10, D13, C2, P3, A1


def _oracle(items: list[F], start: dt.date, end: dt.date, now: dt.datetime,
            by: str = "field") -> dict[str, Tally]:
    """The report computed in Python from core.report.counting.class_at (i.e. ontime.classify)."""
    lo, hi = day_bounds(start)[0], day_bounds(end)[1]
    as_of = min(hi, now)
    out: dict[str, Tally] = {}
    for f in items:
        kind = handled(f.received, f.status, f.resolved, lo, hi)
        if kind is None:
            continue
        cls = class_at(f.status, f.due, f.resolved, f.paused, end=hi, as_of=as_of)
        key = getattr(f, by)
        out[key] = out.get(key, Tally()).counted(kind, f.channel, cls.value, 1)
    return out


PERIODS = [APRIL, (dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
           (dt.date(2026, 5, 1), dt.date(2026, 5, 31)), (dt.date(2025, 4, 1), dt.date(2025, 4, 30)),
           (dt.date(2025, 6, 1), dt.date(2026, 5, 12)), (dt.date(2026, 4, 8), dt.date(2026, 4, 8)),
           (dt.date(2026, 4, 16), dt.date(2026, 4, 21))]


@pytest.mark.parametrize("span", PERIODS, ids=lambda p: f"{p[0]}..{p[1]}")
def test_the_sql_agrees_with_classify(store: Any, span: tuple[dt.date, dt.date]) -> None:
    load(store)
    report = reports.period(store, *span, by="field")
    assert rows_of(report) == {k: v for k, v in _oracle(FIXTURE, *span, store.now()).items()}


def test_the_oracle_is_classify_itself_and_matches_the_fixture_notes() -> None:
    now = D(2026, 5, 12, 8)
    far = D(2100, 1, 1)
    for f in FIXTURE:  # judged now, with no period end in the way, class_at is classify
        assert class_at(f.status, f.due, f.resolved, f.paused, end=far, as_of=now) == \
            classify(f.status, f.due, f.resolved, now, paused_at=f.paused), f.name
        lo, hi = day_bounds(APRIL[0])[0], day_bounds(APRIL[1])[1]
        kind = handled(f.received, f.status, f.resolved, lo, hi)
        got = None if kind is None else (
            f"{kind} {class_at(f.status, f.due, f.resolved, f.paused, end=hi, as_of=hi).value}")
        assert got == f.april, f.name


def test_bad_requests_are_user_errors(store: Any) -> None:
    with pytest.raises(UserError):
        reports.period(store, dt.date(2026, 5, 1), dt.date(2026, 4, 1))
    with pytest.raises(UserError):
        reports.period(store, *APRIL, by="weather")
    with pytest.raises(UserError):
        reports.period(store, *APRIL, office="000.00.00.X99")


# --- the day board ------------------------------------------------------------------------------

TODAY = D(2026, 5, 12, 8)


def test_the_day_board(store: Any) -> None:
    """12 May 2026: the fixture's open dossiers, today's dossiers and today's queue."""
    load(store)
    day = [
        F("T1", H56, HT, "HT-KS", "walk_in", 2, D(2026, 5, 12, 8, 5), D(2026, 5, 12, 17)),
        F("T2", H56, HT, "HT-KS", "online", 2, D(2026, 5, 12, 9, 10), D(2026, 5, 12, 17)),
        F("T3", H56, CT, "CT-BS", "post", 10, D(2026, 5, 12, 9, 20), D(2026, 5, 12, 17),
          D(2026, 5, 12, 10), D(2026, 5, 12, 11), officer="canbo2"),
        F("T4", H56, CT, "CT-BS", "walk_in", 3, D(2026, 5, 12, 9, 30), D(2026, 5, 12, 17),
          D(2026, 5, 12, 9, 31), officer="canbo2"),
        F("T5", H56, HT, "HT-XNHN", "walk_in", 9, D(2026, 5, 7, 9), D(2026, 5, 12, 17),
          D(2026, 5, 11, 9)),
        F("T6", H57, HT, "HT-KS", "online", 2, D(2026, 5, 12, 9), D(2026, 5, 12, 17)),
    ]
    load(store, day)
    with store.write():
        Dossier.update(level="toàn trình").where(Dossier.channel == "online").execute()
        Dossier.update(counter=2).where(Dossier.officer == "canbo2").execute()
    # the queue: four tickets in A, two in B; times in whole minutes from 08:00
    clock = store.clock
    clock.now = TODAY
    issued = [hand_out(store, g) for g in "AAABB"]
    clock.now = TODAY + dt.timedelta(minutes=10)
    queue.call_next(store, 1)  # A001 waited 10 min
    clock.now += dt.timedelta(minutes=2)
    queue.start_serving(store, 1)
    clock.now += dt.timedelta(minutes=6)
    queue.call_next(store, 1)  # A001 served 6 min; A002 waited 18 min
    clock.now += dt.timedelta(minutes=4)
    queue.mark_absent(store, 1)
    clock.now += dt.timedelta(minutes=1)
    queue.call_next(store, 2)  # B001 waited 23 min at counter 2
    clock.now += dt.timedelta(minutes=9)
    queue.finish(store, 2)  # served 9 min (from the call: no "start serving")
    clock.now = D(2026, 5, 12, 16)
    board = reports.day_board(store)
    assert board.day == dt.date(2026, 5, 12) and board.as_of == D(2026, 5, 12, 16)
    assert board.received_by_channel == (("walk_in", 2), ("post", 1), ("online", 1))
    assert dict(board.received_by_level) == {"": 3, "toàn trình": 1}
    assert board.received == 4 and board.online_ratio == 0.25
    assert board.online_target == 0.5
    # this month so far at Minh Hòa: A1 (5 May), T5 (7 May) and T1-T4; T2 online
    assert board.online_month == pytest.approx(1 / 6)
    assert board.resolved == 2 and board.returned == 1  # T3 ready and returned; T4 refused
    assert board.due == 3  # T1, T2 open and T5 ready, due today; T3 returned, T4 refused
    # overdue now: D8 (paused late), D9, D10, D13 (paused after due: 3 May > 28 Apr), C2,
    # P3, A1 (due 8 May); D7 paused in time; T1, T2 due later today
    assert board.overdue == 7
    assert board.supplements == 3  # D7, D8, D13
    groups = {g.letter: g for g in board.groups}
    assert (groups["A"].issued, groups["A"].served, groups["A"].waiting,
            groups["A"].absent) == (3, 1, 1, 1)
    assert (groups["B"].issued, groups["B"].served, groups["B"].waiting,
            groups["B"].in_service) == (2, 1, 1, 0)
    assert groups["A"].wait.count == 2 and groups["A"].wait.mean == 14 * 60
    assert groups["A"].wait.p90 == 18 * 60
    assert groups["A"].service.mean == 6 * 60
    assert groups["B"].service.mean == 9 * 60 and groups["B"].wait.mean == 23 * 60
    assert board.wait.count == 3 and board.wait.p90 == 23 * 60
    assert board.service.count == 2 and board.service.mean == 7.5 * 60
    counters = {c.number: c for c in board.counters}
    assert (counters[1].served, counters[1].absent, counters[1].dossiers_received) == (1, 1, 2)
    assert (counters[2].served, counters[2].dossiers_received) == (1, 2)
    officers = {o.code: o for o in board.officers}
    assert officers["canbo1"].served == 2 and officers["canbo1"].dossiers_received == 2
    assert officers["canbo2"].dossiers_received == 2
    assert board.tickets_per_hour[8] == 5 and sum(board.tickets_per_hour) == 5
    assert board.dossiers_per_hour[8] == 1 and board.dossiers_per_hour[9] == 3
    assert issued
    data = json.loads(json.dumps(day_json(board)))  # plain numbers on both engines
    assert data["wait"] == {"count": 3, "mean": 17 * 60, "p90": 23 * 60}
    assert data["received_by_channel"] == {"walk_in": 2, "post": 1, "online": 1}


def test_each_officer_returned_the_results_they_handed_over(store: Any) -> None:
    """Returned per officer is who handed the result over that day (the hand-over step's
    officer), not who received the dossier; an officer who only handed results over is
    listed too, and a hand-over of another day is not counted."""
    from counter_tui.core.intake import DocumentLine, DossierDraft
    from counter_tui.services import intake, lifecycle

    def ready() -> str:
        draft = DossierDraft(channel="walk_in", procedure_code="HT-XNHN",
                             applicant_name="Nguyễn Văn An", id_number="001090012345",
                             phone="0912345678", documents=[DocumentLine("Tờ khai", 1, 0)])
        code = intake.receive(store, draft).dossier.code
        lifecycle.handover(store, code, to_unit="Công chức Tư pháp - Hộ tịch", received_by=TAKER)
        lifecycle.result_ready(store, code, given_by=TAKER)
        return code

    def hand_over(officer: str, code: str) -> None:
        lifecycle.return_result(store.as_terminal(2, officer), code,
                                collected_by="Nguyễn Văn An", id_number="001090012345")

    with store.write():
        Officer.insert_many([{"code": "canbo2", "name": "Trần Văn Bình"},
                             {"code": "canbo3", "name": "Lê Thị Cúc"}]).on_conflict_ignore(
        ).execute()
    store.clock.now = D(2026, 5, 11, 9)
    yesterday, *today = [ready() for _ in range(5)]
    hand_over("canbo2", yesterday)
    store.clock.now = TODAY
    hand_over("canbo2", today[0])
    hand_over("canbo2", today[1])
    hand_over("canbo3", today[2])
    hand_over("canbo1", today[3])
    board = reports.day_board(store)
    assert board.returned == 4
    returned = {o.code: o.dossiers_returned for o in board.officers}
    assert returned == {"canbo1": 1, "canbo2": 2, "canbo3": 1}
    received = {o.code: o.dossiers_received for o in board.officers}
    assert received == {"canbo1": 0, "canbo2": 0, "canbo3": 0}  # all received yesterday
    officers = {row[0]: row for row in day_tables(board)[5].rows}
    assert officers["Trần Văn Bình (canbo2)"][3] == 2
    assert officers["Lê Thị Cúc (canbo3)"][3] == 1
    assert day_json(board)["officers"][1]["dossiers_returned"] == 2
    yesterday_board = reports.day_board(store, dt.date(2026, 5, 11))
    assert {o.code: o.dossiers_returned for o in yesterday_board.officers} == {
        "canbo1": 0, "canbo2": 1}


def test_the_day_summary_is_queued_for_the_printer(store: Any) -> None:
    load(store, FIXTURE[:3])
    printed = reports.print_day_summary(store)
    with store.read():
        job = PrintJob.get_by_id(printed.print_job)
    slip = Slip.from_json(job.slip)
    text = "\n".join(decode(render(slip, store.cfg.printer)).text)
    assert job.state == "queued" and slip.kind == "day_summary"
    assert "TỔNG HỢP NGÀY 12/05/2026" in text
    assert "Quá hạn (đang giải quyết): 0" in text
    assert "A Hộ tịch: đã cấp 0, xong 0, chờ 0, vắng 0" in text


def test_the_day_summary_says_minutes_once_a_line(store: Any) -> None:
    """The times' unit is said once, beside the figures, not in the label as well."""
    hand_out(store, "A")
    store.clock.now = TODAY + dt.timedelta(minutes=10)
    queue.call_next(store, 1)
    store.clock.now += dt.timedelta(minutes=6)
    queue.finish(store, 1)
    printed = reports.print_day_summary(store)
    with store.read():
        slip = Slip.from_json(PrintJob.get_by_id(printed.print_job).slip)
    text = "\n".join(decode(render(slip, store.cfg.printer)).text)
    assert text.count("phút") == 2, text  # the wait and the service time
    assert "Chờ TB / P90: 10 / 10 phút" in text
    assert "Phục vụ TB / P90: 6 / 6 phút" in text


# --- exports read back ----------------------------------------------------------------------------


def _csv_tables(path: Path) -> list[list[list[str]]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    tables, current = [], []
    for row in rows:
        if not row:
            tables.append(current)
            current = []
        else:
            current.append(row)
    tables.append(current)
    return tables


def _cells(values: tuple[Any, ...]) -> list[str]:
    return ["" if v is None else str(v) for v in values]


def _xlsx_row(values: Any) -> list[Any]:
    """A row as openpyxl gives it back: empty cells None, trailing empty cells dropped."""
    row = [None if v == "" else v for v in values]
    while row and row[-1] is None:
        row.pop()
    return row


def test_period_export_csv_and_xlsx_read_back(store: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    load(store)
    report = reports.period(store, *APRIL, by="field", compare=True)
    tables = period_tables(report)
    done = reports.export_period(store, str(tmp_path / "bc.csv"), *APRIL, compare=True)
    assert done.format == "csv" and done.rows == sum(len(t.rows) for t in tables)
    read = _csv_tables(tmp_path / "bc.csv")
    assert len(read) == len(tables)
    for got, table in zip(read, tables, strict=True):
        assert got[0] == [table.title]
        assert got[1] == list(table.headers)
        assert got[2:] == [_cells(r) for r in table.rows]
    assert read[0][1][2] == "Tổng số hồ sơ nhận giải quyết"
    assert read[0][2][1] == CT and read[0][2][2] == "9"

    reports.export_period(store, str(tmp_path / "bc.xlsx"), *APRIL, compare=True)
    book = load_workbook(tmp_path / "bc.xlsx", read_only=True)
    assert book.sheetnames == ["II.06a", "Chỉ số chung", "Xếp hạng cơ quan"]
    for sheet, table in zip(book.worksheets, tables, strict=True):
        values = [_xlsx_row(r) for r in sheet.iter_rows(values_only=True)]
        assert values[0] == [table.title]
        assert values[1] == list(table.headers)
        assert values[2:] == [_xlsx_row(row) for row in table.rows]
    book.close()


def test_a_day_export_names_its_office(store: Any, tmp_path: Path) -> None:
    """A district centre exports any office's day: the file says whose day it is."""
    load(store)
    reports.export_day(store, str(tmp_path / "own.csv"))
    reports.export_day(store, str(tmp_path / "all.csv"), office=reports.ALL_OFFICES)
    own, every = (_csv_tables(tmp_path / name)[0][0][0] for name in ("own.csv", "all.csv"))
    assert own.startswith("Tình hình ngày ") and own.endswith(store.cfg.office.name)
    assert every.endswith(", Tất cả văn phòng")


def _fits(sheet: Any, header_row: int = 2) -> None:
    """Every used column is wide enough for its longest value and for the longest word of its
    heading, which wraps in a row tall enough for it; the rows above the data are frozen."""
    from openpyxl.utils import get_column_letter

    rows = list(sheet.iter_rows(min_row=header_row, values_only=True))
    for i in range(sheet.max_column):
        letter = get_column_letter(i + 1)
        width = sheet.column_dimensions[letter].width
        data = [v for row in rows[1:] for v in row[i:i + 1] if v is not None]
        longest = max((16 if isinstance(v, dt.datetime) else len(str(v)) for v in data),
                      default=0)
        heading = str(rows[0][i] or "")
        words = max((len(w) for w in heading.split()), default=0)
        assert width >= max(longest, words) + 1, (sheet.title, letter, heading, width)
        assert width <= 62, (sheet.title, letter, width)
    head = sheet.cell(row=header_row, column=1)
    assert head.font.bold and head.alignment.wrap_text
    assert sheet.row_dimensions[header_row].height >= 15


def test_xlsx_sheets_in_the_language_fitted_with_the_headings_frozen(
        store: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from counter_tui.core.i18n import set_language

    load(store)
    reports.export_period(store, str(tmp_path / "bc.xlsx"), *APRIL, compare=True)
    reports.export_day(store, str(tmp_path / "ngay.xlsx"))
    reports.export_register(store, str(tmp_path / "so.xlsx"), *APRIL)
    book = load_workbook(tmp_path / "bc.xlsx")
    assert book.sheetnames == ["II.06a", "Chỉ số chung", "Xếp hạng cơ quan"]
    # the row's number and name stay in view when scrolling right through Biểu II.06a
    assert [s.freeze_panes for s in book.worksheets] == ["C3", "A3", "A3"]
    for sheet in book.worksheets:
        _fits(sheet)
    # 'Tổng số hồ sơ nhận giải quyết' over a column of small numbers wraps, not 30 wide
    assert book["II.06a"].column_dimensions["C"].width < 20
    day = load_workbook(tmp_path / "ngay.xlsx")
    assert day.sheetnames == ["Tổng hợp ngày", "Theo kênh", "Theo mức độ",
                              "Số thứ tự theo nhóm", "Theo quầy", "Theo cán bộ", "Theo giờ"]
    for sheet in day.worksheets:
        assert sheet.freeze_panes == "A3"
        _fits(sheet)
    register = load_workbook(tmp_path / "so.xlsx")
    assert register.sheetnames == ["Mẫu 06"]
    assert register.worksheets[0].freeze_panes == "C3"  # STT and the dossier code
    _fits(register.worksheets[0])
    set_language("en")
    try:
        reports.export_period(store, str(tmp_path / "en.xlsx"), *APRIL)
        reports.export_register(store, str(tmp_path / "en-reg.xlsx"), *APRIL)
        assert load_workbook(tmp_path / "en.xlsx", read_only=True).sheetnames == [
            "II.06a", "Key figures", "Office ranking"]
        assert load_workbook(tmp_path / "en-reg.xlsx", read_only=True).sheetnames == [
            "Form 06"]
    finally:
        set_language("vi")


def test_day_export_read_back(store: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    load(store)
    board = reports.day_board(store)
    tables = day_tables(board)
    reports.export_day(store, str(tmp_path / "ngay.csv"))
    read = _csv_tables(tmp_path / "ngay.csv")
    assert [t[0][0] for t in read] == [t.title for t in tables]
    assert read[0][2:] == [_cells(r) for r in tables[0].rows]
    reports.export_day(store, str(tmp_path / "ngay.xlsx"))
    book = load_workbook(tmp_path / "ngay.xlsx", read_only=True)
    assert book.sheetnames == [t.name for t in tables]
    first = [_xlsx_row(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert first[2:] == [_xlsx_row(r) for r in tables[0].rows]
    book.close()


def test_register_export_read_back(store: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from counter_tui.services.reports.dossier_register import REGISTER_CHUNK

    load(store)
    lines = list(reports.register(store, *APRIL))
    april = sorted((f for f in FIXTURE if APRIL[0] <= f.received.date() <= APRIL[1]),
                   key=lambda f: f.received)
    assert [line[3] for line in lines] == [f"Nguyễn Văn {f.name}" for f in april]
    first = dict(zip(register_headers(), lines[0], strict=True))
    assert first["STT"] == 1 and first["Tên TTHC"] == "Đăng ký khai sinh"
    assert first["Ngày, giờ nhận"] == D(2026, 4, 2, 8)
    assert first["Ngày, giờ trả kết quả"] == D(2026, 4, 4, 9)
    assert first["Hình thức trả"] == "Tại quầy" and first["Trạng thái"] == "Đã trả kết quả"
    assert first["Đúng hạn/Quá hạn"] == "Trước hạn"
    done = reports.export_register(store, str(tmp_path / "so.csv"), *APRIL)
    assert done.rows == len(lines) == 15
    read = _csv_tables(tmp_path / "so.csv")[0]
    assert read[1] == list(register_headers())
    assert read[2][8] == "02/04/2026 08:00" and read[2][3] == "Nguyễn Văn D1"
    reports.export_register(store, str(tmp_path / "so.xlsx"), *APRIL)
    book = load_workbook(tmp_path / "so.xlsx", read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[2][8] == D(2026, 4, 2, 8) and len(rows) == 2 + 15
    book.close()
    assert REGISTER_CHUNK >= 100  # paged: see test_register_pages


def test_register_pages(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read in pages of 4: the same lines, in the same order, none twice."""
    load(store)
    monkeypatch.setattr(dossier_register, "REGISTER_CHUNK", 4)
    paged = [line[1] for line in reports.register(store, dt.date(2025, 1, 1),
                                                   dt.date(2026, 12, 31))]
    assert len(paged) == len(FIXTURE) == len(set(paged))
    assert Counter(paged) == Counter(line[1] for line in reports.register(
        store, dt.date(2025, 1, 1), dt.date(2026, 12, 31)))


def test_register_is_audited_and_tickets_untouched(store: Any) -> None:
    from counter_tui.db.models import AuditLog

    load(store)
    reports.register(store, *APRIL)
    with store.read():
        assert AuditLog.select().where(AuditLog.action == "export:register").count() == 1
        assert Ticket.select().count() == 0
