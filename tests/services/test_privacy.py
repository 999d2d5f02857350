"""`privacy.purge` on both engines: dossiers closed before the day and past their retention lose
every personal field (and leave the word index); every figure of the period report and the day
board is the same before and after; the rest stay as they were; the purge is recorded."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from counter_tui.core.errors import UserError
from counter_tui.core.intake import DocumentLine, DossierDraft
from counter_tui.core.roles import Actor, Role
from counter_tui.core.views import jsonable
from counter_tui.db.models import AuditLog, Dossier, DossierEvent, PrintJob
from counter_tui.services import audit, intake, lifecycle, lookup, privacy, reports
from counter_tui.services.authority import NotAllowed

MARCH = dt.datetime(2026, 3, 3, 8, 0)  # a Tuesday
ADMIN = Actor("quantri", "Quản trị", frozenset({Role.ADMINISTRATOR}))
OFFICER = Actor("canbo1", "Cán bộ", frozenset({Role.OFFICER}))
PEOPLE = [("Nguyễn Văn An", "001090012345", "0912345678", "HT-KS"),
          ("Trần Thị Bích", "079190000123", "0987654321", "HT-KH"),
          ("Lê Văn Cường", "", "0901234567", "HT-KT"),
          ("Phạm Thị Dung", "031185000456", "0955555555", "HT-KS"),
          ("Hoàng Văn Em", "", "0933333333", "HT-KH"),
          ("Đỗ Thị Phương", "", "0944444444", "HT-KS")]


@pytest.fixture
def march(open_test_store: Callable[..., Any], clock: Any) -> tuple[Any, list[str]]:
    """Six dossiers received in March: three returned (names and IDs of who collected them),
    one refused, two still open; then the clock at 12 May."""
    clock.now = MARCH
    store = open_test_store(privacy={"retention": [["2023-07-01", 1]]})
    codes = []
    for i, (name, id_number, phone, procedure) in enumerate(PEOPLE):
        store = store.as_terminal(1 + i % 2, f"canbo{1 + i % 2}")
        draft = DossierDraft(procedure_code=procedure, applicant_name=name, id_number=id_number,
                             phone=phone, address=f"{i} Lê Lợi, Huế", email="",
                             representative="Ông Tư" if i == 1 else "",
                             representative_id="001080000999" if i == 1 else "",
                             note=f"gọi {phone} khi có kết quả",
                             documents=[DocumentLine("Tờ khai", 1, 0)])
        codes.append(intake.receive(store, draft).dossier.code)
        clock.advance(minutes=20)
    for i, code in enumerate(codes[:3]):
        clock.now = MARCH + dt.timedelta(days=1, hours=i)
        lifecycle.handover(store, code, to_unit="Công chức Tư pháp - Hộ tịch",
                           received_by="Lê Văn Hùng", given_by="Trần Thị Lan",
                           note="chuyển gấp")
        clock.now = MARCH + dt.timedelta(days=2 + i, hours=1)
        lifecycle.result_ready(store, code, given_by="Lê Văn Hùng", received_by="Trần Thị Lan")
        clock.advance(hours=2)
        lifecycle.return_result(store, code, collected_by="Người Nhận Hộ",
                                id_number="001070000888", rating=5, note="đã trả")
    clock.now = MARCH + dt.timedelta(days=3)
    lifecycle.refuse(store, codes[3], reason="Bà Dung không đủ điều kiện")
    lifecycle.handover(store, codes[4], to_unit="Công chức Tư pháp - Hộ tịch",
                       received_by="Lê Văn Hùng", given_by="Trần Thị Lan")
    clock.now = dt.datetime(2026, 5, 12, 9, 0)
    return store, codes


def figures(store: Any) -> str:
    """Every figure the supervisor sees for March and its days, as one comparable text."""
    store = replace(store, actor=Actor("giamsat", "Giám sát", frozenset({Role.SUPERVISOR})))
    shown: list[Any] = []
    for by in ("field", "procedure", "officer", "office"):
        shown.append(reports.period(store, dt.date(2026, 3, 1), dt.date(2026, 3, 31), by=by))
    for day in range(2, 8):
        board = reports.day_board(store, dt.date(2026, 3, day))
        shown.append(board)
    return json.dumps(jsonable(shown), ensure_ascii=False, sort_keys=True, default=str)


def personal(store: Any, code: str) -> dict[str, Any]:
    with store.read():
        d = Dossier.get(Dossier.code == code)
        return {f: getattr(d, f) for f in privacy.PERSONAL_FIELDS}


def test_purge_keeps_every_report_figure(march: tuple[Any, list[str]]) -> None:
    store, _ = march
    before = figures(store)
    total = reports.period(store, dt.date(2026, 3, 1), dt.date(2026, 3, 31)).total
    resolved = total.early + total.on_time + total.late
    assert (total.walk_in, resolved, total.in_time + total.overdue) == (6, 4, 2)  # a busy month
    store.actor = ADMIN
    report = privacy.purge(store, dt.date(2026, 4, 1))
    assert (report.anonymised, report.kept) == (4, 0)
    assert figures(store) == before


def test_purge_removes_every_personal_field_of_closed_dossiers(
        march: tuple[Any, list[str]]) -> None:
    store, codes = march
    store.actor = ADMIN
    privacy.purge(store, dt.date(2026, 4, 1))
    for code in codes[:4]:  # returned and refused
        left = personal(store, code)
        assert left.pop("applicant_name") == privacy.ANONYMOUS
        assert not any(left.values()), left
        with store.read():
            d = Dossier.get(Dossier.code == code)
            assert d.anonymised_at == store.now()
            events = list(DossierEvent.select().where(DossierEvent.dossier == d.id))
            jobs = list(PrintJob.select().where(PrintJob.dossier == d.id))
        assert events and all(e.note == "" for e in events)
        text = " ".join(e.data for e in events) + " ".join(j.slip for j in jobs)
        for secret in ("Người Nhận", "001070000888", "Dung", "0912345678", "Nguyễn"):
            assert secret not in text
        assert all(json.loads(j.slip)["blocks"] == [] for j in jobs)
        # the code still finds it; the name no longer does
        store.actor = OFFICER
        assert [s.code for s in lookup.find(store, code).items] == [code]
    for code in codes[4:]:  # still open: untouched
        assert personal(store, code)["applicant_name"] in {p[0] for p in PEOPLE}
    assert [s.code for s in lookup.find(store, "van an").items] == []
    assert [s.code for s in lookup.find(store, "hoang van em").items] == [codes[4]]
    assert lookup.find(store, "0912345678").items == ()


def test_purge_is_recorded_with_the_codes(march: tuple[Any, list[str]]) -> None:
    store, codes = march
    store.actor = ADMIN
    privacy.purge(store, dt.date(2026, 4, 1))
    with store.read():
        entries = list(AuditLog.select().where(AuditLog.action == "privacy:purge")
                       .order_by(AuditLog.id))
    assert [e.officer for e in entries] == ["quantri", "quantri"]
    assert sorted(entries[0].dossiers.split()) == sorted(codes[:4])
    assert entries[1].subject == "before 2026-04-01: 4 anonymised, 0 kept"
    assert audit.verify(store).intact
    again = privacy.purge(store, dt.date(2026, 4, 1))
    assert (again.anonymised, again.kept) == (0, 0)


def test_retention_keeps_what_is_not_yet_due(march: tuple[Any, list[str]],
                                             open_test_store: Callable[..., Any]) -> None:
    """Under the shipped rule (60 months) nothing of March may go yet; under one month,
    a cut-off reaching into the last month stops at it."""
    store, codes = march
    shipped = open_test_store()  # the same store, the shipped retention
    shipped.clock.now = store.now()
    shipped.actor = ADMIN
    assert (privacy.purge(shipped, dt.date(2026, 4, 1)).anonymised,
            privacy.purge(shipped, dt.date(2026, 4, 1)).kept) == (0, 4)
    store = open_test_store(privacy={"retention": [["2023-07-01", 1]]})
    store.actor = ADMIN
    # on 6 April, one month on: closed on 5 and 6 March (two returned, one refused) may go,
    # the one returned on 7 March stays a day longer
    store.clock.now = dt.datetime(2026, 4, 6, 9, 0)
    done = privacy.purge(store, dt.date(2026, 4, 6))
    assert (done.anonymised, done.kept) == (3, 1)
    assert personal(store, codes[2])["applicant_name"] == PEOPLE[2][0]


def test_purge_is_the_administrators_and_never_of_the_future(
        march: tuple[Any, list[str]]) -> None:
    store, _ = march
    for roles in ({Role.SUPERVISOR}, {Role.TECHNICIAN}, {Role.OFFICER}):
        store.actor = Actor("x", "X", frozenset(roles))
        with pytest.raises(NotAllowed):
            privacy.purge(store, dt.date(2026, 4, 1))
    store.actor = ADMIN
    with pytest.raises(UserError) as refused:
        privacy.purge(store, dt.date(2026, 5, 13))
    assert refused.value.key == "privacy.before_future"
