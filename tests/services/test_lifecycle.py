"""The dossier lifecycle on both engines: the whole transition matrix through the services, the
pause for supplements across weekends, holidays and make-up days, the boundaries of the on-time
classes, apologies, the hand-over of results, ratings, history, and the slips queued on the way
(rendered to ESC/POS and decoded back)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest

from counter_tui.core import statuses as st
from counter_tui.core.errors import UserError
from counter_tui.core.intake import DocumentLine, DossierDraft
from counter_tui.db.models import Dossier, DossierEvent, PrintJob
from counter_tui.printing.decode import decode
from counter_tui.printing.render import render
from counter_tui.services import dossiers, intake, lifecycle, printjobs
from counter_tui.services.lifecycle.recording import write_step
from counter_tui.services.store import Store

TAKER = "Lê Văn Hùng"  # who receives a hand-over (Mẫu 05)

UNIT = "Công chức Tư pháp - Hộ tịch"
NAME = "Nguyễn Văn An"
CCCD = "001090012345"
TUESDAY = dt.datetime(2026, 5, 12, 8, 0)


def receive(store: Store, procedure: str = "HT-XNHN", channel: str = "walk_in") -> str:
    draft = DossierDraft(channel=channel, procedure_code=procedure, applicant_name=NAME,
                         id_number=CCCD, phone="0912345678",
                         documents=[DocumentLine("Tờ khai", 1, 0)])
    return intake.receive(store, draft).dossier.code


def row(store: Store, code: str) -> Dossier:
    with store.read():
        return Dossier.get(Dossier.code == code)


def counts(store: Store, code: str) -> tuple[int, int]:
    with store.read():
        d = Dossier.get(Dossier.code == code)
        return (DossierEvent.select().where(DossierEvent.dossier == d.id).count(),
                PrintJob.select().where(PrintJob.dossier == d.id).count())


# --- the matrix ---------------------------------------------------------------------------------

EVERYTHING: dict[str, Any] = {
    "note": "ghi chú", "reason": "Lý do thử", "missing": ["Giấy chứng sinh"],
    "deadline": "19/05/2026", "unit": UNIT, "received_by": "Lê Văn Hùng",
    "given_by": "Phạm Thị Mai",
    "collected_by": NAME, "id_number": CCCD, "rating": 4, "amount": "50.000",
}


def _set_status(store: Store, code: str, status: int) -> None:
    with store.write():
        Dossier.update(status=status, portal_code="G22.99.1-260512-0001").where(
            Dossier.code == code).execute()


SETUP: dict[str, Callable[[Store, str], Any]] = {
    "1": lambda s, c: _set_status(s, c, st.SUBMITTED_ONLINE),  # only the portal makes these
    "2": lambda s, c: None,
    "3": lambda s, c: lifecycle.refuse(s, c, reason="Không thuộc thẩm quyền"),
    "4": lambda s, c: lifecycle.handover(s, c, to_unit=UNIT, received_by=TAKER),
    "5-from-4": lambda s, c: (lifecycle.handover(s, c, to_unit=UNIT, received_by=TAKER),
                              lifecycle.request_supplements(s, c, missing=["Tờ khai"],
                                                            reason="Thiếu", deadline="15/05/2026")),
    "5-from-2": lambda s, c: lifecycle.request_supplements(s, c, missing=["Tờ khai"],
                                                           reason="Thiếu", deadline="15/05/2026"),
    "6": lambda s, c: (lifecycle.handover(s, c, to_unit=UNIT, received_by=TAKER),
                       lifecycle.request_payment(s, c, amount=100000)),
    "7": lambda s, c: lifecycle.withdraw(s, c),
    "8": lambda s, c: (lifecycle.handover(s, c, to_unit=UNIT, received_by=TAKER),
                       lifecycle.stop(s, c, reason="Có tranh chấp")),
    "9": lambda s, c: (lifecycle.handover(s, c, to_unit=UNIT, received_by=TAKER),
                       lifecycle.result_ready(s, c, given_by=TAKER)),
    "10": lambda s, c: (lifecycle.handover(s, c, to_unit=UNIT, received_by=TAKER),
                        lifecycle.result_ready(s, c, given_by=TAKER),
                        lifecycle.return_result(s, c, collected_by=NAME, id_number=CCCD)),
}
# The transition table, plus one rule of the service: supplements bring a dossier back to where
# it waited before the request (5 -> 4 when the unit asked, 5 -> 2 when the counter did).
EXCEPTIONS = {("5-from-4", 2), ("5-from-2", 4)}
SLIPS = {3: "refusal", 5: "supplement_request", 9: "result_ready", 10: "result"}


def expected_allowed(start: str, dst: int) -> bool:
    src = int(start.split("-")[0])
    return st.can_move(src, dst) and (start, dst) not in EXCEPTIONS


@pytest.mark.parametrize("start", list(SETUP))
def test_the_whole_matrix(store: Store, start: str) -> None:
    """From each status, every target 1-10 through `change_status` (what the CLI calls)."""
    wrong: list[str] = []
    src = int(start.split("-")[0])
    for dst in st.ALL_STATUSES:
        code = receive(store)
        SETUP[start](store, code)
        assert row(store, code).status == src
        events, jobs = counts(store, code)
        try:
            change = lifecycle.change_status(store, code, dst, **EVERYTHING)
        except UserError as exc:
            if expected_allowed(start, dst):
                wrong.append(f"{start}->{dst} refused: {exc}")
            if (row(store, code).status, counts(store, code)) != (src, (events, jobs)):
                wrong.append(f"{start}->{dst} refused but something was stored")
            if not str(exc) or "\n" in str(exc):
                wrong.append(f"{start}->{dst}: message {exc!r}")
            continue
        if not expected_allowed(start, dst):
            wrong.append(f"{start}->{dst} allowed")
            continue
        stored = row(store, code)
        with store.read():
            last = (DossierEvent.select().where(DossierEvent.dossier == stored.id)
                    .order_by(DossierEvent.id.desc()).first())
        if (stored.status, change.from_status, change.to_status) != (dst, src, dst):
            wrong.append(f"{start}->{dst}: stored {stored.status}, change {change}")
        if (last.from_status, last.to_status, last.officer, last.counter) != (
                src, dst, "canbo1", 1) or last.note != "ghi chú":
            wrong.append(f"{start}->{dst}: event {last.from_status}->{last.to_status} "
                         f"{last.officer} {last.counter} {last.note!r}")
        supplied = src == st.SUPPLEMENT and dst in (st.RECEIVED, st.PROCESSING)
        handed = (src, dst) == (st.RECEIVED, st.PROCESSING)  # the control sheet to sign
        expected_jobs = jobs + (1 if dst in SLIPS or supplied or handed else 0)
        if counts(store, code) != (events + 1, expected_jobs):
            wrong.append(f"{start}->{dst}: events/jobs {counts(store, code)}")
    assert wrong == []


def test_concurrent_change_is_refused_not_lost(store: Store) -> None:
    code = receive(store)
    other = store.as_terminal(2, "canbo2")
    stale = row(store, code)
    lifecycle.handover(other, code, to_unit=UNIT, received_by=TAKER)
    with store.write(), pytest.raises(UserError, match="vừa được thay đổi ở máy khác"):
        write_step(store, stale, store.now(), action="stop", to=st.STOPPED, note="", data={})
    assert row(store, code).status == st.PROCESSING


def test_unknown_code_and_missing_fields(store: Store) -> None:
    with pytest.raises(UserError, match="Không tìm thấy hồ sơ"):
        lifecycle.change_status(store, "000.17.22.H56-260512-0099", 4, unit=UNIT)
    code = receive(store)
    with pytest.raises(UserError, match="đơn vị nhận hồ sơ") as caught:
        lifecycle.change_status(store, code, 4)
    assert caught.value.field == "unit"
    with pytest.raises(UserError, match="Cần nhập lý do"):
        lifecycle.change_status(store, code, "refused")
    with pytest.raises(UserError, match="giấy tờ cần bổ sung"):
        lifecycle.request_supplements(store, code, missing=[], reason="x", deadline="15/05/2026")
    assert row(store, code).status == st.RECEIVED


# --- hand-overs (Mẫu 05) -----------------------------------------------------------------------


def test_handover_steps_and_where_the_dossier_is(store: Store) -> None:
    code = receive(store)
    first = lifecycle.handover(store, code, to_unit=UNIT, received_by="Lê Văn Hùng")
    assert (first.from_status, first.to_status, first.dossier.holder) == (2, 4, UNIT)
    store.clock.advance(hours=2)
    second = lifecycle.handover(store, code, to_unit="Phòng Tư pháp huyện",
                                received_by="Phạm Thị Mai", given_by="Lê Văn Hùng")
    assert (second.from_status, second.to_status) == (None, None)  # no move
    assert second.dossier.holder == "Phòng Tư pháp huyện"
    with pytest.raises(UserError, match="Hồ sơ đang ở Phòng Tư pháp huyện"):
        lifecycle.handover(store, code, to_unit="Phòng Tư pháp huyện", received_by=TAKER)
    store.clock.advance(days=1)
    ready = lifecycle.result_ready(store, code, given_by="Phạm Thị Mai")
    assert ready.dossier.holder == ""
    steps = [(h.action, h.data) for h in lifecycle.history(store, code)]
    assert steps[1] == ("handover", {"from": "Bộ phận Một cửa", "to": UNIT,
                                     "given_by": "Nguyễn Thị Lan", "received_by": "Lê Văn Hùng"})
    assert steps[2] == ("handover", {"from": UNIT, "to": "Phòng Tư pháp huyện",
                                     "given_by": "Lê Văn Hùng", "received_by": "Phạm Thị Mai"})
    assert steps[3] == ("result_ready", {"ontime": "early", "from": "Phòng Tư pháp huyện",
                                         "to": "Bộ phận Một cửa", "given_by": "Phạm Thị Mai",
                                         "received_by": "Nguyễn Thị Lan"})
    sheet = lifecycle.print_control_sheet(store, code)
    text, _ = _printed(store, sheet.print_job)
    assert "1. Từ Công dân đến Bộ phận Một cửa" in text
    assert f"2. Từ Bộ phận Một cửa đến {UNIT}" in text
    assert f"3. Từ {UNIT} đến Phòng Tư pháp huyện" in text
    assert "4. Từ Phòng Tư pháp huyện đến Bộ phận Một cửa" in text
    assert "Kết quả: Trước hạn" in text


@pytest.mark.parametrize(("kwargs", "field"), [
    pytest.param({"received_by": ""}, "received_by", id="no-receiver"),
    pytest.param({"received_by": "   "}, "received_by", id="blank-receiver"),
    pytest.param({"received_by": "x" * 101}, "received_by", id="receiver-too-long"),
    pytest.param({"received_by": TAKER, "to_unit": ""}, "unit", id="no-unit"),
])
def test_a_handover_names_who_received_it_or_is_refused(store: Store, kwargs: dict[str, str],
                                                        field: str) -> None:
    """Mẫu 05 is signed by who gave and who received: neither may be missing, whatever the
    interface (the form checks first, the CLI has only this)."""
    code = receive(store)
    before = counts(store, code)
    with pytest.raises(UserError) as refused:
        lifecycle.handover(store, code, **{"to_unit": UNIT, **kwargs})
    assert refused.value.field == field
    assert counts(store, code) == before and row(store, code).status == 2


def test_a_handover_without_a_known_giver_is_refused(store: Store) -> None:
    code = receive(store)
    anonymous = dataclasses.replace(store, officer=None)
    with pytest.raises(UserError) as refused:
        lifecycle.handover(anonymous, code, to_unit=UNIT, received_by=TAKER)
    assert refused.value.field == "given_by"
    assert "họ tên người giao" in str(refused.value)
    assert row(store, code).status == 2


def test_a_result_a_unit_brings_back_names_who_gave_it(store: Store) -> None:
    code = receive(store)
    lifecycle.handover(store, code, to_unit=UNIT, received_by=TAKER)
    with pytest.raises(UserError) as refused:
        lifecycle.result_ready(store, code)
    assert refused.value.field == "given_by"
    assert row(store, code).status == 4
    other = receive(store)  # ready at the desk itself: no hand-back to sign
    assert lifecycle.result_ready(store, other).dossier.status == 9


def test_a_handover_prints_the_control_sheet_to_sign(store: Store) -> None:
    code = receive(store)
    done = lifecycle.handover(store, code, to_unit=UNIT, received_by=TAKER)
    text, qr = _printed(store, done.print_job)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text and qr == code
    assert f"2. Từ Bộ phận Một cửa đến {UNIT}" in text
    assert "Người giao hồ sơ (ký, ghi rõ họ tên)" in text
    assert "Người nhận hồ sơ (ký, ghi rõ họ tên)" in text
    assert text.count(TAKER) == 2  # the row, and the name under its signature


def test_result_ready_prints_a_notice_for_the_applicant(store: Store) -> None:
    code = receive(store)
    lifecycle.handover(store, code, to_unit=UNIT, received_by=TAKER)
    store.clock.advance(days=1)
    ready = lifecycle.result_ready(store, code, given_by="Phạm Thị Mai")
    assert ready.print_job is not None
    text, qr = _printed(store, ready.print_job)
    assert "THÔNG BÁO ĐÃ CÓ KẾT QUẢ GIẢI QUYẾT" in text and qr == code
    assert "Ngày hẹn trả: 17:00 15/05/2026" in text
    assert "mang theo giấy tiếp nhận hồ sơ và giấy tờ tùy thân" in text


def test_handover_only_while_at_the_desk_or_processing(store: Store) -> None:
    code = receive(store)
    lifecycle.handover(store, code, to_unit=UNIT, received_by=TAKER)
    lifecycle.result_ready(store, code, given_by=TAKER)
    with pytest.raises(UserError, match="Không thể bàn giao hồ sơ khi hồ sơ đang ở trạng thái "
                                        "'Đã có kết quả, chờ trả'"):
        lifecycle.handover(store, code, to_unit=UNIT, received_by=TAKER)


# --- the pause for supplements -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "procedure", "due", "paused", "resumed", "minutes", "new_due"), [
        # Tue 12/5 3-day procedure: due Fri 15/5 17:00. Paused Fri 15:00, back Mon 09:00:
        # Fri 15:00-17:00 + Mon 07:00-09:00 = 4 h, so Fri 17:00 + 4 h = Mon 11:00.
        pytest.param("2026-05-12 08:00", "HT-XNHN", "2026-05-15 17:00", "2026-05-15 15:00",
                     "2026-05-18 09:00", 240, "2026-05-18 11:00", id="over-a-weekend"),
        # a whole working day waited: Friday 17:00 -> Monday 17:00 (not Monday 07:00)
        pytest.param("2026-05-12 08:00", "HT-XNHN", "2026-05-15 17:00", "2026-05-14 17:00",
                     "2026-05-15 17:00", 480, "2026-05-18 17:00", id="one-full-day"),
        # Thu 23/4 5-day procedure: Fri 24, [Mon 27 Giỗ Tổ], Tue 28, Wed 29, [30/4, 1/5],
        # Mon 4, Tue 5 -> due Tue 5/5 17:00. Paused Fri 24 10:00, back Wed 29 10:00:
        # Fri 5 h + Mon 0 + Tue 8 h + Wed 3 h = 16 h = 2 days -> Thu 7/5 17:00.
        pytest.param("2026-04-23 08:00", "CTR-TH", "2026-05-05 17:00", "2026-04-24 10:00",
                     "2026-04-29 10:00", 960, "2026-05-07 17:00", id="over-hung-kings-day"),
        # paused before 30/4 and back after 1/5 with the weekend between: only Wed 29 and
        # Mon 4 count (16:00-17:00 and 07:00-08:00)
        pytest.param("2026-04-23 08:00", "CTR-TH", "2026-05-05 17:00", "2026-04-29 16:00",
                     "2026-05-04 08:00", 120, "2026-05-06 09:00", id="over-30-4-and-1-5"),
        # the lunch break does not count: 11:00-11:30 + 13:30-14:00
        pytest.param("2026-05-12 08:00", "HT-XNHN", "2026-05-15 17:00", "2026-05-13 11:00",
                     "2026-05-13 14:00", 60, "2026-05-18 08:00", id="over-lunch"),
        # asked and brought back within the same break: nothing waited, due unchanged
        pytest.param("2026-05-12 08:00", "HT-XNHN", "2026-05-15 17:00", "2026-05-13 11:40",
                     "2026-05-13 13:20", 0, "2026-05-15 17:00", id="inside-lunch"),
    ])
def test_pause_moves_the_due_date_by_working_time(
        store: Store, received: str, procedure: str, due: str, paused: str, resumed: str,
        minutes: int, new_due: str) -> None:
    store.clock.now = dt.datetime.fromisoformat(received)
    code = receive(store, procedure)
    lifecycle.handover(store, code, to_unit=UNIT, received_by=TAKER)
    assert row(store, code).due_at == dt.datetime.fromisoformat(due)
    store.clock.now = dt.datetime.fromisoformat(paused)
    asked = lifecycle.request_supplements(store, code, missing=["Giấy tờ"], reason="Thiếu",
                                          deadline=store.clock.now.date()
                                          + dt.timedelta(days=14 - store.clock.now.weekday()))
    assert asked.dossier.paused_at == store.clock.now
    assert asked.dossier.ontime == "in_time"
    store.clock.now = dt.datetime.fromisoformat(resumed)
    back = lifecycle.supplements_received(store, code, documents=["Giấy tờ"])
    assert back.data["working_minutes"] == minutes
    d = row(store, code)
    assert d.due_at == dt.datetime.fromisoformat(new_due)
    assert d.original_due_at == dt.datetime.fromisoformat(due)  # the receipt's, kept
    assert (d.status, d.paused_at, d.supplement_deadline) == (st.PROCESSING, None, None)


def test_make_up_saturday_counts_and_an_office_day_off_does_not(
        open_test_store: Callable[..., Store]) -> None:
    store = open_test_store(holidays={"extra_days_off": ["2026-05-15"],
                                      "make_up_days": ["2026-05-16"]})
    code = receive(store)  # Tue 12/5, 3 days: Wed, Thu, [Fri off], Sat (made up) -> Sat 17:00
    assert row(store, code).due_at == dt.datetime(2026, 5, 16, 17, 0)
    store.clock.now = dt.datetime(2026, 5, 14, 16, 0)
    lifecycle.request_supplements(store, code, missing=["Tờ khai"], reason="Thiếu",
                                  deadline="16/05/2026")
    store.clock.now = dt.datetime(2026, 5, 18, 8, 0)
    back = lifecycle.supplements_received(store, code)
    assert back.data["working_minutes"] == 60 + 480 + 60  # Thu 1 h, Sat 8 h, Mon 1 h
    assert back.to_status == st.RECEIVED  # asked at the counter: back to the counter
    # Sat 16/5 17:00 + 10 h: Monday's 8 h, then Tuesday 07:00 + 2 h
    assert row(store, code).due_at == dt.datetime(2026, 5, 19, 9, 0)


def test_supplement_deadline_rules(store: Store) -> None:
    code = receive(store)
    with pytest.raises(UserError, match="đã qua"):
        lifecycle.request_supplements(store, code, missing=["x"], reason="y",
                                      deadline="11/05/2026")
    with pytest.raises(UserError, match="16/05/2026 không phải ngày làm việc; chọn ngày làm "
                                        "việc, ví dụ 18/05/2026"):
        lifecycle.request_supplements(store, code, missing=["x"], reason="y",
                                      deadline="16/05/2026")
    asked = lifecycle.request_supplements(store, code, missing=["x"], reason="y",
                                          deadline="2026-05-12")
    assert asked.dossier.supplement_deadline == dt.datetime(2026, 5, 12, 17, 0)


def test_a_dossier_already_late_when_paused_stays_late(store: Store) -> None:
    code = receive(store, "HT-KS")  # same day: due 17:00 today
    lifecycle.handover(store, code, to_unit=UNIT, received_by=TAKER)
    store.clock.now = dt.datetime(2026, 5, 13, 9, 0)
    assert lifecycle.state(store, code).ontime == "overdue"
    lifecycle.request_supplements(store, code, missing=["x"], reason="y", deadline="20/05/2026")
    store.clock.now = dt.datetime(2026, 5, 19, 9, 0)
    assert lifecycle.state(store, code).ontime == "overdue"
    back = lifecycle.supplements_received(store, code)
    assert back.dossier.ontime == "overdue"


def test_apology_moves_with_a_pause_too(store: Store) -> None:
    code = receive(store)
    lifecycle.handover(store, code, to_unit=UNIT, received_by=TAKER)
    lifecycle.apologise(store, code, reason="Cần xác minh", new_due="20/05/2026")
    store.clock.now = dt.datetime(2026, 5, 13, 8, 0)
    lifecycle.request_supplements(store, code, missing=["x"], reason="y", deadline="20/05/2026")
    store.clock.now = dt.datetime(2026, 5, 14, 8, 0)  # one working day later
    back = lifecycle.supplements_received(store, code)
    assert back.dossier.due_at == dt.datetime(2026, 5, 18, 17, 0)
    assert back.dossier.apology_due_at == dt.datetime(2026, 5, 21, 17, 0)
    assert back.dossier.appointment_at == dt.datetime(2026, 5, 21, 17, 0)


# --- on-time classes ---------------------------------------------------------------------------

DUE = dt.datetime(2026, 5, 15, 17, 0)  # HT-XNHN received Tue 12/5 08:00


@pytest.mark.parametrize(("ready_at", "expected"), [
    (dt.datetime(2026, 5, 14, 16, 59), "early"),   # the day before the due day
    (dt.datetime(2026, 5, 15, 7, 0), "on_time"),   # the due day, first minute
    (DUE, "on_time"),                              # the due minute itself
    (DUE + dt.timedelta(minutes=1), "late"),       # one minute after
    (dt.datetime(2026, 5, 18, 7, 0), "late"),
])
def test_resolution_classes(store: Store, ready_at: dt.datetime, expected: str) -> None:
    code = receive(store)
    lifecycle.handover(store, code, to_unit=UNIT, received_by=TAKER)
    store.clock.now = ready_at
    assert lifecycle.result_ready(store, code, given_by=TAKER).dossier.ontime == expected
    store.clock.now = ready_at + dt.timedelta(days=10)  # returned much later: class kept
    returned = lifecycle.return_result(store, code, collected_by=NAME, id_number=CCCD)
    assert returned.dossier.ontime == expected
    assert returned.data["ontime"] == expected


@pytest.mark.parametrize(("now", "expected"), [
    (DUE - dt.timedelta(minutes=1), "in_time"),
    (DUE, "in_time"),
    (DUE + dt.timedelta(minutes=1), "overdue"),
])
def test_open_classes(store: Store, now: dt.datetime, expected: str) -> None:
    code = receive(store)
    store.clock.now = now
    assert lifecycle.state(store, code).ontime == expected
    assert dossiers.show(store, code).ontime == expected


@pytest.mark.parametrize(("action", "at", "expected"), [
    ("stop", DUE, "on_time"),
    ("stop", DUE + dt.timedelta(minutes=1), "late"),
    ("refuse", DUE + dt.timedelta(days=5), "on_time"),
    ("withdraw", DUE + dt.timedelta(days=5), "on_time"),
])
def test_finished_without_a_result(store: Store, action: str, at: dt.datetime,
                                   expected: str) -> None:
    code = receive(store)
    lifecycle.handover(store, code, to_unit=UNIT, received_by=TAKER)
    store.clock.now = at
    change = getattr(lifecycle, action)(store, code, reason="Lý do")
    assert change.dossier.ontime == expected
    assert change.dossier.resolved_at == at


def test_late_with_an_apology_is_still_late(store: Store) -> None:
    code = receive(store)
    lifecycle.handover(store, code, to_unit=UNIT, received_by=TAKER)
    store.clock.now = dt.datetime(2026, 5, 15, 10, 0)
    apology = lifecycle.apologise(store, code, reason="Cần xác minh thêm",
                                  new_due="10:00 20/05/2026")
    assert (apology.from_status, apology.to_status) == (None, None)
    assert apology.dossier.status == st.PROCESSING
    d = apology.dossier
    assert (d.due_at, d.original_due_at, d.apology_due_at) == (
        DUE, DUE, dt.datetime(2026, 5, 20, 10, 0))
    store.clock.now = dt.datetime(2026, 5, 19, 9, 0)
    assert lifecycle.result_ready(store, code, given_by=TAKER).dossier.ontime == "late"


def test_apology_rules(store: Store) -> None:
    code = receive(store)
    with pytest.raises(UserError, match="phải sau ngày hẹn hiện tại 17:00 15/05/2026"):
        lifecycle.apologise(store, code, reason="x", new_due="15/05/2026")
    with pytest.raises(UserError, match="không phải ngày làm việc"):
        lifecycle.apologise(store, code, reason="x", new_due="17/05/2026")
    with pytest.raises(UserError, match="Cần nhập lý do"):
        lifecycle.apologise(store, code, reason=" ", new_due="18/05/2026")
    first = lifecycle.apologise(store, code, reason="x", new_due="18/05/2026")
    assert first.dossier.apology_due_at == dt.datetime(2026, 5, 18, 17, 0)
    with pytest.raises(UserError, match="17:00 18/05/2026"):  # a second one must be later
        lifecycle.apologise(store, code, reason="x", new_due="11:00 18/05/2026")
    lifecycle.handover(store, code, to_unit=UNIT, received_by=TAKER)
    lifecycle.result_ready(store, code, given_by=TAKER)
    with pytest.raises(UserError, match="Không thể xin lỗi, hẹn lại ngày trả"):
        lifecycle.apologise(store, code, reason="x", new_due="25/05/2026")


# --- returning the result -----------------------------------------------------------------------


def _ready(store: Store) -> str:
    code = receive(store)
    lifecycle.handover(store, code, to_unit=UNIT, received_by=TAKER)
    lifecycle.result_ready(store, code, given_by=TAKER)
    return code


def test_return_at_the_counter_checks_the_id_and_masks_it(store: Store) -> None:
    code = _ready(store)
    with pytest.raises(UserError) as caught:
        lifecycle.return_result(store, code, collected_by=NAME, id_number="12345")
    assert caught.value.field == "id_number"
    with pytest.raises(UserError) as caught:
        lifecycle.return_result(store, code, collected_by="", id_number=CCCD)
    assert caught.value.field == "collected_by"
    done = lifecycle.return_result(store, code, collected_by="Trần Thị Bình",
                                   id_number="0011 9500 1234", rating="5")
    assert done.dossier.collected_by == "Trần Thị Bình"
    assert done.dossier.collected_id_masked == "0011******34"
    assert (done.dossier.rating, done.dossier.rating_label) == (5, "Rất hài lòng")
    assert row(store, code).collected_id == "001195001234"  # kept in full, as evidence
    event = lifecycle.history(store, code)[-1]
    assert event.data["id_masked"] == "0011******34"
    assert "001195001234" not in json.dumps(event.data)  # the event keeps it masked
    shown = dossiers.show(store, code)
    assert shown.collected_id_masked == "0011******34" and shown.returned_at == store.now()


def test_return_by_post_then_delivery_then_rating(store: Store) -> None:
    code = _ready(store)
    with pytest.raises(UserError) as caught:
        lifecycle.return_result(store, code, method="post", waybill="12")
    assert caught.value.field == "waybill"
    sent = lifecycle.return_result(store, code, method="post", waybill="el 123 456 785 vn")
    assert (sent.dossier.return_method, sent.dossier.return_waybill) == ("post",
                                                                          "EL123456785VN")
    assert sent.dossier.rating is None
    with pytest.raises(UserError, match="từ lúc gửi"):
        lifecycle.record_delivery(store, code, delivered_at="07:00 12/05/2026")
    store.clock.advance(days=1, hours=2)
    delivered = lifecycle.record_delivery(store, code, delivered_at="08:30 13/05/2026")
    assert delivered.dossier.delivered_at == dt.datetime(2026, 5, 13, 8, 30)
    rated = lifecycle.rate(store, code, 2)
    assert rated.dossier.rating_label == "Không hài lòng"
    with pytest.raises(UserError, match="đã có đánh giá"):
        lifecycle.rate(store, code, 5)


def test_delivery_only_for_post(store: Store) -> None:
    code = _ready(store)
    lifecycle.return_result(store, code, collected_by=NAME, id_number=CCCD)
    with pytest.raises(UserError, match="không trả qua bưu chính"):
        lifecycle.record_delivery(store, code)


@pytest.mark.parametrize("levels", [3, 4, 5])
def test_rating_on_the_configured_scale(open_test_store: Callable[..., Store],
                                        levels: int) -> None:
    store = open_test_store(satisfaction={"levels": levels})
    code = _ready(store)
    with pytest.raises(UserError, match=f"chọn 1 đến {levels}"):
        lifecycle.return_result(store, code, collected_by=NAME, id_number=CCCD,
                                rating=levels + 1)
    done = lifecycle.return_result(store, code, collected_by=NAME, id_number=CCCD,
                                   rating=levels)
    assert done.dossier.rating == levels
    assert done.dossier.rating_label == ("Hài lòng" if levels == 3 else "Rất hài lòng")
    assert done.data["scale"] == levels


def test_history_is_complete_and_logged(store: Store) -> None:
    code = _ready(store)
    lifecycle.return_result(store, code, collected_by=NAME, id_number=CCCD, rating=4,
                            note="Đã kiểm tra CCCD")
    entries = lifecycle.history(store, code)
    assert [(e.action, e.from_status, e.to_status) for e in entries] == [
        ("receive", None, 2), ("handover", 2, 4), ("result_ready", 4, 9),
        ("return_result", 9, 10)]
    assert [e.action_label for e in entries] == ["Tiếp nhận", "Bàn giao hồ sơ", "Có kết quả",
                                                  "Trả kết quả"]
    assert entries[-1].note == "Đã kiểm tra CCCD"
    with store.read():
        from counter_tui.db.models import AuditLog

        assert AuditLog.select().where((AuditLog.action == "history")
                                       & (AuditLog.subject == code)).count() == 1


# --- the slips, rendered and decoded back ------------------------------------------------------


def _printed(store: Store, job: int | None) -> list[str]:
    assert job is not None
    decoded = decode(render(printjobs.slip_of(store, job), store.cfg.printer))
    assert decoded.cuts == store.cfg.printer.receipt_copies
    assert decoded.unknown == []
    return [" ".join(decoded.text), *decoded.qr_payloads]


def test_supplements_received_are_ticked_from_the_request(store: Store) -> None:
    code = receive(store)
    asked = ["Giấy chứng sinh (bản chính)", "Tờ khai"]
    lifecycle.request_supplements(store, code, missing=asked, reason="Thiếu",
                                  deadline="14/05/2026")
    assert lifecycle.requested_supplements(store, code) == tuple(asked)
    store.clock.advance(days=1)
    back = lifecycle.supplements_received(store, code,
                                          documents=["Tờ khai", "Bản sao CCCD", "Tờ khai"])
    assert back.data["documents"] == ("Tờ khai", "Bản sao CCCD")
    assert back.data["outstanding"] == ("Giấy chứng sinh (bản chính)",)
    event = lifecycle.history(store, code)[-1]
    assert event.data["documents"] == ["Tờ khai", "Bản sao CCCD"]
    assert event.data["outstanding"] == ["Giấy chứng sinh (bản chính)"]
    text, _ = _printed(store, back.print_job)
    assert "1. Tờ khai" in text and "2. Bản sao CCCD" in text


def test_no_request_no_checklist(store: Store) -> None:
    assert lifecycle.requested_supplements(store, receive(store)) == ()


def test_every_slip_the_services_queue_prints_and_decodes(store: Store) -> None:
    code = receive(store)
    lifecycle.handover(store, code, to_unit=UNIT, received_by=TAKER)
    asked = lifecycle.request_supplements(store, code, missing=["Giấy chứng sinh (bản chính)"],
                                          reason="Thiếu bản chính", deadline="14/05/2026")
    text, qr = _printed(store, asked.print_job)
    assert "PHIẾU YÊU CẦU BỔ SUNG" in text and "Giấy chứng sinh (bản chính)" in text
    assert "14/05/2026" in text and "Thiếu bản chính" in text and qr == code
    store.clock.advance(days=1)
    back = lifecycle.supplements_received(store, code, documents=["Giấy chứng sinh"])
    text, qr = _printed(store, back.print_job)
    assert "GIẤY TIẾP NHẬN HỒ SƠ BỔ SUNG" in text and "17:00 18/05/2026" in text
    assert "Hẹn trả ban đầu: 17:00 15/05/2026" in text
    apology = lifecycle.apologise(store, code, reason="Cần xác minh", new_due="22/05/2026")
    text, _ = _printed(store, apology.print_job)
    assert "PHIẾU XIN LỖI" in text and "17:00 22/05/2026" in text
    assert "Hẹn trả ban đầu: 17:00 15/05/2026" in text
    lifecycle.result_ready(store, code, given_by=TAKER)
    done = lifecycle.return_result(store, code, collected_by=NAME, id_number=CCCD, rating=5)
    text, _ = _printed(store, done.print_job)
    assert "PHIẾU TRẢ KẾT QUẢ" in text and "0010******45" in text and CCCD not in text
    other = receive(store)
    refused = lifecycle.refuse(store, other, reason="Không thuộc thẩm quyền giải quyết")
    text, qr = _printed(store, refused.print_job)
    assert "PHIẾU TỪ CHỐI" in text and "Không thuộc thẩm quyền giải quyết" in text
    assert qr == other
