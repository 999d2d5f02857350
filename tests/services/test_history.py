"""Importing past dossiers from CSV, on both engines: good rows stored as the reports read them,
every refused row with its line and reason, an unknown office created once, and a second
import of the same file adding nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from counter_tui.core.errors import UserError
from counter_tui.db.models import AuditLog, Dossier, DossierTally, Office
from counter_tui.services import history, reports

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


# --- files as offices have them (item 28), open dossiers said (item 29)


def _stored(store: Any) -> dict[str, str]:
    with store.read():
        return {d.code: d.applicant_name for d in Dossier.select()}


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """`text` as Windows writes it in code page 1258: a letter with its hat or horn is one
    byte (ê, ơ, ư ...), its tone mark the byte after it."""
    import unicodedata

    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def test_excel_unicode_text_and_windows_1258_read_like_utf8(store: Any, tmp_path: Path) -> None:
    text = HEADER + "\n".join(ROWS) + "\n"
    unicode_text = tmp_path / "unicode.txt"  # Excel's "Unicode Text": UTF-16, tabs
    rows = [[c for c in line.split(",")] for line in text.splitlines()]
    unicode_text.write_bytes("\r\n".join("\t".join(r) for r in rows).encode("utf-16"))
    report = history.import_csv(store, unicode_text)
    assert (report.added, len(report.rejected), report.encoding) == (6, 11, "utf-16")
    names = _stored(store)
    assert names["000.17.22.H56-250310-0001"] == "Nguyễn Văn An"

    legacy = tmp_path / "cp1258.csv"  # a Vietnamese Windows' own code page: marks apart
    legacy.write_bytes(windows_1258(text.replace("H56-", "H58-")))
    report = history.import_csv(store, legacy)
    assert (report.added, report.encoding) == (4, "cp1258")  # H57 rows are stored already
    assert _stored(store)["000.17.22.H58-250310-0001"] == "Nguyễn Văn An"  # NFC, as typed


def test_a_bad_byte_anywhere_stores_nothing_and_names_its_line(
        store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history, "BATCH", 3)  # the bad byte is batches after the first
    lines = [f"000.17.22.H56-250401-{i:04d},000.17.22.H56,HT-KS,walk_in,,Khách {i},"
             f"2025-04-01 08:00,,2025-04-01 09:00,2025-04-01 10:00,10" for i in range(1, 21)]
    body = (HEADER.replace(",extra", "") + "\n".join(lines) + "\n").encode("utf-8")
    bad = body.replace(b"Kh\xc3\xa1ch 17", b"Kh\xa7ch 17")  # TCVN3's byte for a letter
    path = tmp_path / "mixed.csv"
    path.write_bytes(bad)
    with pytest.raises(UserError) as info:
        history.import_csv(store, path)
    assert info.value.key == "csvfile.encoding"
    assert info.value.params["line"] == 18 and info.value.params["byte"] == "A7"
    assert "CSV UTF-8" in str(info.value) and "Chưa lưu gì" in str(info.value)
    assert _stored(store) == {}


def test_a_field_over_the_csv_limit_is_one_refused_row(store: Any, tmp_path: Path) -> None:
    import csv

    huge = "x" * (csv.field_size_limit() + 1)
    rows = [*ROWS[:3], f"000.17.22.H56-250401-0001,000.17.22.H56,HT-KS,walk_in,,{huge},"
            "2025-04-01 08:00,,2025-04-01 09:00,2025-04-01 10:00,10,", ROWS[-2]]
    report = history.import_csv(store, write(tmp_path / "huge.csv", rows))
    assert report.added == 4
    [(line, code, reason)] = report.rejected
    assert line == 5 and code == ""
    assert reason == f"có ô dài hơn {csv.field_size_limit():,} ký tự (thiếu dấu ngoặc kép đóng?)"


def test_an_import_stopped_part_way_says_which_lines_are_stored(
        store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from peewee import OperationalError

    from counter_tui.services.store import StoreUnavailable

    monkeypatch.setattr(history, "BATCH", 3)
    lines = [f"000.17.22.H56-250401-{i:04d},000.17.22.H56,HT-KS,walk_in,,Khách {i},"
             f"2025-04-01 08:00,,2025-04-01 09:00,2025-04-01 10:00,10,x" for i in range(1, 11)]
    path = write(tmp_path / "ten.csv", lines)
    real_write = history._write

    def full_on_the_third(store_: Any, values: Any) -> int:  # lines 8-10: codes 7 to 9
        third = (not isinstance(values, list) and _staged_codes(values)[0].endswith("-0007")
                 ) or (isinstance(values, list) and values[0].startswith(
                     "000.17.22.H56-250401-0007"))
        if third:
            raise OperationalError("database or disk is full")
        return real_write(store_, values)

    monkeypatch.setattr(history, "_write", full_on_the_third)
    with pytest.raises(StoreUnavailable) as info:
        history.import_csv(store, path)
    message = str(info.value)
    assert message.startswith("Nhập chưa xong (")
    if store.db.database.endswith(".db"):  # SQLite's words for it, said for people
        assert "Ổ đĩa chứa cơ sở dữ liệu" in message and "đã đầy" in message
    # SQLite stores one batch after another: the lines before the failure. PostgreSQL stores
    # two at once, so the batch after it (line 11) may be stored too: the message says so.
    stored = len(_stored(store))
    said = {6: "Đã lưu xong các dòng 2–7 (6 hồ sơ); các dòng khác chưa lưu.",
            7: "Đã lưu xong các dòng 2–7, 11 (7 hồ sơ); các dòng khác chưa lưu."}
    assert stored in ((6,) if store.db.database.endswith(".db") else (6, 7))
    assert said[stored] in message
    assert "Chạy lại đúng lệnh này với cùng tệp" in message

    monkeypatch.setattr(history, "_write", real_write)  # the disk has room again
    again = history.import_csv(store, path)
    assert (again.added, again.already) == (10 - stored, stored)
    assert len(_stored(store)) == 10


def _staged_codes(staged: Any) -> list[str]:
    """The codes of a batch staged for SQLite (db/bulk.py), in its order."""
    import sqlite3

    con = sqlite3.connect(":memory:")
    try:
        con.deserialize(staged.image)
        return [row[0] for row in con.execute("SELECT c0 FROM rows ORDER BY rowid")]
    finally:
        con.close()


def test_open_dossiers_are_counted_and_said(store: Any, tmp_path: Path) -> None:
    now = store.now()  # the test clock: Tuesday 12 May 2026
    rows = [
        # this office: open and past due (overdue today), open and still in time, finished
        "000.17.22.H56-250401-0001,000.17.22.H56,HT-KS,walk_in,,Khách 1,2025-04-01 08:00,"
        "2025-04-03 17:00,,,4,",
        f"000.17.22.H56-260511-0001,000.17.22.H56,HT-KS,walk_in,,Khách 2,2026-05-11 08:00,"
        f"{(now + dt.timedelta(days=3)):%Y-%m-%d %H:%M},,,2,",
        "000.17.22.H56-250401-0002,000.17.22.H56,HT-KS,walk_in,,Khách 3,2025-04-01 08:00,"
        "2025-04-03 17:00,2025-04-02 10:00,,9,",
        # waiting for supplements: its clock stopped (in time, core.ontime)
        "000.17.22.H56-250401-0003,000.17.22.H56,HT-KS,walk_in,,Khách 4,2025-04-01 08:00,"
        "2025-04-03 17:00,,,5,",
        # another office's open dossier: only its own reports
        "000.17.22.H57-250401-0001,UBND xã Bình An,HT-KS,walk_in,,Khách 5,2025-04-01 08:00,"
        "2025-04-03 17:00,,,4,",
    ]
    report = history.import_csv(store, write(tmp_path / "open.csv", rows))
    assert report.added == 5
    assert (report.open_total, report.open_overdue, report.open_in_time,
            report.open_elsewhere) == (4, 1, 2, 1)
    said = report.open_summary()
    assert said.startswith("Trong số hồ sơ đã thêm có 4 hồ sơ chưa giải quyết xong")
    assert "1 hồ sơ của cơ quan này đã quá hạn" in said and "2 còn trong hạn" in said
    assert "1 của cơ quan khác" in said
    # and it is what the day board will show
    board = reports.day_board(store, now.date())
    assert board.overdue == 1
    assert history.import_csv(store, write(tmp_path / "open.csv", rows)).open_summary() == ""


def test_an_office_that_syncs_notes_every_imported_dossier_once(store: Any,
                                                                tmp_path: Path) -> None:
    """The batch's capture for the district's centre is done once per batch (db/bulk.py):
    each new dossier in the outbox once, in the order stored, and none while sync is off."""
    from counter_tui.db.models import SyncOutbox, SyncState

    history.import_csv(store, write(tmp_path / "off.csv", ROWS[:1]))
    with store.read():
        assert SyncOutbox.select().count() == 0
    with store.write():
        SyncState.insert(id=1, enabled=True).on_conflict(
            conflict_target=[SyncState.id], update={SyncState.enabled: True}).execute()
    history.import_csv(store, write(tmp_path / "h.csv"))
    with store.read():
        noted = [o.row_id for o in SyncOutbox.select().where(SyncOutbox.tbl == "dossier")
                 .order_by(SyncOutbox.seq)]
        stored = [d.id for d in Dossier.select().order_by(Dossier.id)][1:]
    assert noted == stored and len(noted) == len(set(noted)) > 0


def test_a_code_stored_meanwhile_by_another_terminal_is_skipped_not_doubled(
        store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Between a batch's check and its write another terminal stores one of its codes: the
    database skips it (the staged batch's insert on SQLite, COPY's on PostgreSQL), the
    others go in, and the report counts it as already there."""
    lines = [f"000.17.22.H56-250401-{i:04d},000.17.22.H56,HT-KS,walk_in,,Khách {i},"
             f"2025-04-01 08:00,,2025-04-01 09:00,2025-04-01 10:00,10,x" for i in range(1, 4)]
    path = write(tmp_path / "three.csv", lines)
    real_write = history._write

    def another_terminal_first(store_: Any, values: Any) -> int:
        with store_.write():
            office = Office.get(Office.code == store_.cfg.office.agency_code)
            Dossier.insert(code="000.17.22.H56-250401-0002", office=office, procedure_code="X",
                           procedure_name="x", field="", channel="walk_in",
                           applicant_name="Người khác", applicant_folded="nguoi khac",
                           received_at=store_.now(), officer="canbo2").execute()
        return real_write(store_, values)

    monkeypatch.setattr(history, "_write", another_terminal_first)
    report = history.import_csv(store, path)
    assert (report.added, report.already) == (2, 1)
    stored = _stored(store)
    assert stored["000.17.22.H56-250401-0002"] == "Người khác"
    assert {"000.17.22.H56-250401-0001", "000.17.22.H56-250401-0003"} <= set(stored)
    with store.read():  # the reports' summary counts each stored dossier once
        assert sum(t.n for t in DossierTally.select()) == Dossier.select().count() == 3
