"""Importing past dossiers from CSV, on both engines: good rows stored as the reports read them,
every refused row with its line and reason, an unknown office created once, and a second
import of the same file adding nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from counter_tui.core.errors import UserError
from counter_tui.services import history, reports
from db.models import AuditLog, Dossier, Office

HEADER = ("code,office,procedure_code,channel,level,applicant_name,received_at,due_at,"
          "resolved_at,returned_at,status,extra\n")
ROWS = [
    # 2: good, office by agency code, returned (10)
    "000.17.22.H56-250310-0001,000.17.22.H56,HT-KS,walk_in,,Nguyễn Văn An,"
    "2025-03-10 08:30,2025-03-10 17:00,2025-03-10 10:00,2025-03-10 11:00,10,ignored",
    # 3: good, an office not yet known (created), online, level 4, open, due as a date
    "000.17.22.H57-250311-0001,UBND xã Bình An,CT-BS,online,4,Trần Thị Bình,"
    "2025-03-11T09:00,2025-03-14,,,4,",
    # 4: good, the same new office written another way (no diacritics, lower case)
    "000.17.22.H57-250311-0002,ubnd xa binh an,CT-BS,post,,Lê Văn Cường,"
    "2025-03-11 10:00:00,2025-03-13 17:00,2025-03-12 09:00,,9,",
    "000.17.22.H56-250310-0002,000.17.22.H56,HT-KS,counter,,Phạm Văn Dũng,"
    "2025-03-10 09:00,2025-03-10 17:00,,,2,",  # 5: channel
    "000.17.22.H56-250310-0003,000.17.22.H56,HT-KS,walk_in,,Phạm Văn Dũng,"
    "2025-03-10 09:00,2025-03-10 17:00,,,11,",  # 6: status
    "000.17.22.H56-250310-0004,000.17.22.H56,HT-KS,walk_in,,Phạm Văn Dũng,"
    "2025-03-10 09:00,2025-03-10 17:00,,,9,",  # 7: finished without resolved_at
    "000.17.22.H56-250310-0005,000.17.22.H56,HT-KS,walk_in,,Phạm Văn Dũng,"
    "2025-03-10 09:00,2025-03-10 17:00,2025-03-10 10:00,,2,",  # 8: open with resolved_at
    "000.17.22.H56-250310-0006,000.17.22.H56,HT-KS,walk_in,,Phạm Văn Dũng,"
    "10/03/2025,2025-03-10 17:00,,,2,",  # 9: not ISO
    "000.17.22.H56-250310-0001,000.17.22.H56,HT-KS,walk_in,,Nguyễn Văn An,"
    "2025-03-10 08:30,2025-03-10 17:00,2025-03-10 10:00,,9,",  # 10: line 2's code again
    "000.17.22.H56-250310-0007,000.17.22.H56,HT-KS,walk_in,,Phạm Văn Dũng,"
    "2025-03-10 09:00,2025-03-10 17:00,2025-03-09 10:00,,9,",  # 11: resolved before received
    "000.17.22.H56-250310-0008,000.17.22.H56,HT-KS,walk_in,,Phạm Văn Dũng,"
    "2025-03-10 09:00,2025-03-10 17:00,2025-03-10 10:00,2025-03-10 11:00,9,",  # 12: returned, 9
    "000.17.22.H56-250310-0009,000.17.22.H56,HT-KS,walk_in,,,"
    "2025-03-10 09:00,2025-03-10 17:00,,,2,",  # 13: no applicant
    "000.17.22.H56-300310-0001,000.17.22.H56,HT-KS,walk_in,,Phạm Văn Dũng,"
    "2030-03-10 09:00,2030-03-10 17:00,,,2,",  # 14: in the future
    # 15: good, a procedure not in the catalogue
    "000.17.22.H56-250312-0001,000.17.22.H56,XX-1,walk_in,,Đỗ Thị Hà,"
    "2025-03-12 09:00,2025-03-14 17:00,2025-03-14 16:00,2025-03-15 08:00,10,",
    ",,,,,,,,,,,",  # 16: blank: skipped, not refused
    # 17: good, a time with its UTC offset
    "000.17.22.H56-250312-0002,000.17.22.H56,HT-KT,walk_in,không trực tuyến,Võ Văn Em,"
    "2025-03-12T02:00:00+00:00,2025-03-12 17:00,,,2,",
    # 18: good, level without diacritics
    "000.17.22.H56-250312-0003,000.17.22.H56,HT-KS,online,toan trinh,Bùi Thị Giang,"
    "2025-03-12 09:30,2025-03-12 17:00,2025-03-12 11:00,,7,",
    "000.17.22.H56-250312-0004,000.17.22.H56,HT-KS,online,cao,Bùi Thị Giang,"
    "2025-03-12 09:30,2025-03-12 17:00,,,2,",  # 19: level
]
GOOD = {"000.17.22.H56-250310-0001", "000.17.22.H57-250311-0001", "000.17.22.H57-250311-0002",
        "000.17.22.H56-250312-0001", "000.17.22.H56-250312-0002", "000.17.22.H56-250312-0003"}


def write(path: Path, rows: list[str] = ROWS, header: str = HEADER) -> Path:
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8-sig")
    return path


def test_good_rows_refused_rows_and_a_new_office(store: Any, tmp_path: Path) -> None:
    report = history.import_csv(store, write(tmp_path / "h.csv"))
    assert report.added == 6 and report.already == 0
    reasons = {line: reason for line, _code, reason in report.rejected}
    assert sorted(reasons) == [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 19]
    assert reasons[5] == "kênh 'counter' không hợp lệ (walk_in | post | online)"
    assert reasons[6] == "trạng thái '11' phải là số từ 1 đến 10"
    assert reasons[7] == "trạng thái 9 (đã kết thúc) cần resolved_at"
    assert reasons[8] == "trạng thái 2 còn đang giải quyết nhưng có resolved_at"
    assert reasons[9] == "received_at '10/03/2025' không phải ngày giờ ISO (2025-03-14 09:30)"
    assert reasons[10] == "mã hồ sơ lặp lại trong tệp (dòng 2)"
    assert reasons[11] == "resolved_at trước thời điểm tiếp nhận"
    assert reasons[12] == "returned_at chỉ dùng cho trạng thái 10 (đã trả kết quả)"
    assert reasons[13] == "thiếu applicant_name"
    assert reasons[14].startswith("received_at 2030-03-10 09:00:00 ở tương lai")
    assert reasons[19].startswith("mức độ 'cao' không hợp lệ")
    assert [code for line, code, _ in report.rejected if line == 5] == [
        "000.17.22.H56-250310-0002"]
    assert report.offices_created == ["UBND xã Bình An"]
    assert dict(report.unknown_procedures) == {"XX-1": 1}
    with store.read():
        stored = {d.code: d for d in Dossier.select()}
        assert set(stored) == GOOD
        binh_an = Office.get(Office.name == "UBND xã Bình An")
        assert binh_an.code == "IMP.UBND.XA.BINH.AN"
        assert {stored[c].office_id for c in GOOD if "H57" in c} == {binh_an.id}
        first = stored["000.17.22.H56-250310-0001"]
        assert (first.procedure_name, first.field, first.status) == (
            "Đăng ký khai sinh", "Hộ tịch", 10)
        assert first.applicant_folded == "nguyen van an"
        assert (first.resolved_at, first.returned_at) == (dt.datetime(2025, 3, 10, 10),
                                                          dt.datetime(2025, 3, 10, 11))
        online = stored["000.17.22.H57-250311-0001"]
        assert (online.channel, online.level, online.due_at) == (
            "online", "toàn trình", dt.datetime(2025, 3, 14, 23, 59, 59))
        assert online.procedure_id is not None and online.officer == ""
        unknown = stored["000.17.22.H56-250312-0001"]
        assert (unknown.procedure_id, unknown.procedure_name, unknown.field) == (
            None, "XX-1", "")
        utc = stored["000.17.22.H56-250312-0002"]
        assert utc.received_at == dt.datetime(2025, 3, 12, 2, tzinfo=dt.UTC).astimezone(
        ).replace(tzinfo=None)
        assert stored["000.17.22.H56-250312-0003"].level == "toàn trình"
        assert AuditLog.select().where(AuditLog.action == "import:dossiers").count() == 1


def test_importing_again_adds_nothing(store: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "h.csv")
    history.import_csv(store, path)
    again = history.import_csv(store, path)
    assert (again.added, again.already, len(again.rejected)) == (0, 6, 11)
    assert again.offices_created == []
    with store.read():
        assert Dossier.select().count() == 6
        assert Office.select().where(Office.name == "UBND xã Bình An").count() == 1


def test_imported_history_is_in_the_reports(store: Any, tmp_path: Path) -> None:
    history.import_csv(store, write(tmp_path / "h.csv"))
    report = reports.period(store, dt.date(2025, 3, 1), dt.date(2025, 3, 31), by="office")
    rows = {r.label: r.tally for r in report.rows}
    minh_hoa = rows["UBND xã Minh Hòa - Bộ phận Một cửa"]
    binh_an = rows["UBND xã Bình An"]
    # Minh Hòa: ready at 10:00 on its due day (on time), the unknown procedure (ready 14 Mar,
    # due 14 Mar), one still open (due 12 Mar: overdue), one withdrawn (on time)
    assert (minh_hoa.new, minh_hoa.walk_in, minh_hoa.online) == (4, 3, 1)
    assert (minh_hoa.on_time, minh_hoa.early, minh_hoa.overdue) == (3, 0, 1)
    # Bình An: open, due 14 Mar (overdue at the end of March); ready 12 Mar, due 13 Mar: early
    assert (binh_an.new, binh_an.online, binh_an.post) == (2, 1, 1)
    assert (binh_an.early, binh_an.overdue) == (1, 1)
    # both resolved everything in time; Bình An took a larger share online, so it ranks first
    assert [r.label for r in report.ranking] == ["UBND xã Bình An",
                                                 "UBND xã Minh Hòa - Bộ phận Một cửa"]


def test_a_file_without_the_columns_is_refused(store: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", ["x,y"], header="code,office,status\n")
    with pytest.raises(UserError) as err:
        history.import_csv(store, path)
    assert "procedure_code" in str(err.value) and "received_at" in str(err.value)
    with pytest.raises(UserError):
        history.import_csv(store, tmp_path / "missing.csv")


def test_batches_and_columns_in_another_order(store: Any, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Columns in any order; rows stored in batches (3 here) give the same result."""
    monkeypatch.setattr(history, "BATCH", 3)
    lines = [(f"{i},000.17.22.H56-250401-{i:04d},walk_in,HT-KS,,Khách {i},10,"
              f"2025-04-01 08:00,,2025-04-01 09:00,2025-04-01 10:00,000.17.22.H56")
             for i in range(1, 11)]
    header = ("n,code,channel,procedure_code,level,applicant_name,status,received_at,due_at,"
              "resolved_at,returned_at,office\n")
    report = history.import_csv(store, write(tmp_path / "o.csv", lines, header))
    assert (report.added, report.rejected) == (10, [])
    with store.read():
        assert Dossier.select().where(Dossier.status == 10).count() == 10
