"""The procedures catalogue: the shipped CSV, re-imports that touch only what changed, refused
rows with their line and reason, and search without diacritics (both engines)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import time
from pathlib import Path
from typing import Any

import pytest

from counter_tui.core.errors import UserError
from counter_tui.core.views import DocumentView
from counter_tui.db.models import Procedure, ProcedureDocument
from counter_tui.services import catalogue
from counter_tui.services.catalogue import SHIPPED


@pytest.fixture
def empty(open_test_store: Callable[..., Any]) -> Any:
    """A store whose catalogue has not been seeded."""
    return open_test_store(seed=False)


def _rows() -> list[dict[str, str]]:
    with SHIPPED.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(_rows()[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_shipped_catalogue_imports_twenty_procedures(empty: Any) -> None:
    report = catalogue.import_csv(empty, SHIPPED)
    assert (report.added, report.updated, report.unchanged, report.rejected) == (20, 0, 0, [])
    assert report.summary() == "added 20, updated 0, unchanged 0, rejected 0"

    birth = catalogue.get(empty, "HT-KS")
    assert birth is not None
    assert birth.name == "Đăng ký khai sinh"
    assert (birth.field, birth.level, birth.processing_days) == ("Hộ tịch", "toàn trình", 0)
    assert birth.same_day_cutoff == time(15, 0)
    assert birth.fee_vnd == 0
    assert birth.documents == (
        DocumentView("Tờ khai đăng ký khai sinh", 1, 0),
        DocumentView("Giấy chứng sinh (bản chính)", 1, 0),
        DocumentView("Văn bản ủy quyền (nếu nộp thay)", 1, 0),
    )
    # needed only when someone submits on the applicant's behalf: a new dossier starts
    # without it (the catalogue's own wording says so), the others with one original
    assert [(d.conditional, d.starting()) for d in birth.documents] == [
        (False, (1, 0)), (False, (1, 0)), (True, (0, 0))]

    residence = catalogue.get(empty, "ctr-tt ")  # typed loosely
    assert residence is not None
    assert (residence.name, residence.processing_days) == ("Đăng ký thường trú", 7)
    assert residence.same_day_cutoff is None
    assert (residence.fee_vnd, residence.fee_online_vnd) == (20000, 10000)
    assert [d.name for d in residence.documents] == [
        "Tờ khai thay đổi thông tin cư trú (CT01)",
        "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp",  # a comma inside, split only on |
    ]

    marital = catalogue.get(empty, "HT-XNHN")
    assert marital is not None
    assert (marital.national_code, marital.processing_days, marital.fee_vnd) == (
        "1.004873", 3, 3000)
    contract = catalogue.get(empty, "CT-HD")
    assert contract is not None
    assert contract.level == "không trực tuyến"
    assert contract.documents[1] == DocumentView(
        "Bản sao giấy tờ tùy thân của người yêu cầu", 0, 1)  # a copy, not an original
    assert catalogue.get(empty, "NO-SUCH") is None

    with empty.read():
        assert Procedure.select().count() == 20
        assert ProcedureDocument.select().count() == sum(
            len(r["documents"].split("|")) for r in _rows())


def test_importing_again_changes_nothing(empty: Any) -> None:
    catalogue.import_csv(empty, SHIPPED)
    with empty.read():
        stamps = {p.code: p.updated_at for p in Procedure.select()}
        doc_ids = sorted(d.id for d in ProcedureDocument.select())
    empty.clock.advance(days=1)
    report = catalogue.import_csv(empty, SHIPPED)
    assert (report.added, report.updated, report.unchanged, report.rejected) == (0, 0, 20, [])
    with empty.read():
        assert {p.code: p.updated_at for p in Procedure.select()} == stamps
        assert sorted(d.id for d in ProcedureDocument.select()) == doc_ids


def test_store_is_seeded_once(store: Any) -> None:
    assert catalogue.seed_if_empty(store) is None
    report = catalogue.import_csv(store, SHIPPED)
    assert report.unchanged == 20


def test_modified_file_reports_exactly_what_it_did(empty: Any, tmp_path: Path) -> None:
    catalogue.import_csv(empty, SHIPPED)
    rows = {r["local_code"]: r for r in _rows()}
    base = dict(rows["HT-KS"])
    changed = dict(rows["CTR-TT"], fee_vnd="25.000đ",
                   documents=rows["CTR-TT"]["documents"] + "|Sổ hộ khẩu cũ (nếu có)")
    new = dict(base, local_code="XD-GP", name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
               field="Xây dựng", level="3", processing_days="15", same_day_cutoff="",
               fee_vnd="75000", documents="Đơn đề nghị cấp giấy phép|Bản vẽ thiết kế")
    edited = _write(tmp_path / "province.csv", [
        rows["HT-KS"],                                                   # line 2: unchanged
        changed,                                                         # line 3: updated
        new,                                                             # line 4: added
        dict(base, local_code="BAD-NAME", name="   "),                   # line 5
        dict(base, local_code="BAD-LEVEL", level="mức 5"),               # line 6
        dict(base, local_code="BAD-DAYS", processing_days="ba ngày"),    # line 7
        dict(base, local_code="BAD-CUTOFF", same_day_cutoff="15h30"),    # line 8
        dict(base, local_code="BAD-FEE", fee_vnd="miễn phí"),            # line 9
        dict(rows["HT-KH"], name="Đăng ký kết hôn (sửa)"),               # line 10: updated
        dict(rows["HT-KH"]),                                             # line 11: repeated
    ])
    empty.clock.advance(hours=2)
    report = catalogue.import_csv(empty, edited)
    assert (report.added, report.updated, report.unchanged) == (1, 2, 1)
    assert report.rejected == [
        (5, "BAD-NAME", "thiếu name"),
        (6, "BAD-LEVEL", "mức độ 'mức 5' không hợp lệ (toàn trình | một phần | không trực tuyến)"),
        (7, "BAD-DAYS", "thời hạn 'ba ngày' phải là số ngày làm việc từ 0 đến 365"),
        (8, "BAD-CUTOFF", "giờ tiếp nhận trong ngày '15h30' phải có dạng HH:MM"),
        (9, "BAD-FEE", "lệ phí 'miễn phí' phải là số tiền (đồng)"),
        (11, "HT-KH", "mã thủ tục lặp lại trong tệp"),
    ]

    residence = catalogue.get(empty, "CTR-TT")
    assert residence is not None
    assert residence.fee_vnd == 25000
    assert residence.documents[-1] == DocumentView("Sổ hộ khẩu cũ (nếu có)", 1, 0)
    added = catalogue.get(empty, "XD-GP")
    assert added is not None
    assert (added.level, added.processing_days, added.same_day_cutoff) == ("một phần", 15, None)
    assert len(added.documents) == 2
    marriage = catalogue.get(empty, "HT-KH")
    assert marriage is not None and marriage.name == "Đăng ký kết hôn (sửa)"
    with empty.read():
        assert Procedure.select().count() == 21  # the 17 not in the file are untouched
        assert Procedure.get(Procedure.code == "CTR-TT").updated_at == empty.clock.now
        assert Procedure.get(Procedure.code == "HT-KS").updated_at < empty.clock.now
        assert not Procedure.select().where(Procedure.code.startswith("BAD")).exists()


def test_english_reasons(empty: Any, tmp_path: Path) -> None:
    from counter_tui.core.i18n import set_language

    set_language("en")
    rows = _rows()
    report = catalogue.import_csv(empty, _write(tmp_path / "x.csv", [
        dict(rows[0], processing_days="400")]))
    assert report.rejected == [
        (2, "HT-KS", "processing time '400' must be working days from 0 to 365")]


def test_unusable_files_are_user_errors(empty: Any, tmp_path: Path) -> None:
    with pytest.raises(UserError) as info:
        catalogue.import_csv(empty, tmp_path / "missing.csv")
    assert info.value.key == "csvfile.unreadable"
    assert "missing.csv" in str(info.value)

    wrong = tmp_path / "wrong.csv"
    wrong.write_text("code,ten\nHT-KS,Đăng ký khai sinh\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        catalogue.import_csv(empty, wrong)
    assert info.value.key == "catalogue.missing_columns"
    assert "local_code, name, field, level, processing_days" in str(info.value)

    unicode = tmp_path / "unicode.csv"  # Excel's "Unicode Text": read, then judged
    unicode.write_bytes("local_code\tname\nX\tĐăng ký\n".encode("utf-16"))
    with pytest.raises(UserError) as info:
        catalogue.import_csv(empty, unicode)
    assert info.value.key == "catalogue.missing_columns"
    assert info.value.params["columns"] == "field, level, processing_days"

    tcvn3 = tmp_path / "tcvn3.csv"  # "Đăng ký" in the TCVN3 table: not text it can read
    tcvn3.write_bytes(b"local_code,name\nX,\xa7\xa8ng k\xfd\n")
    with pytest.raises(UserError) as info:
        catalogue.import_csv(empty, tcvn3)
    assert info.value.key == "csvfile.encoding"
    assert info.value.params["line"] == 2
    with empty.read():
        assert Procedure.select().count() == 0


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("dang ky khai sinh", {"HT-KS", "LT-KS-TT-BHYT", "LT-KS-BHYT"}, id="no-marks"),
    pytest.param("ĐĂNG KÝ KHAI SINH", {"HT-KS", "LT-KS-TT-BHYT", "LT-KS-BHYT"}, id="upper"),
    pytest.param("khai sinh dang ky", {"HT-KS", "LT-KS-TT-BHYT", "LT-KS-BHYT"}, id="any-order"),
    pytest.param("ket hon", {"HT-KH"}, id="ket-hon"),
    pytest.param("  kết   hôn ", {"HT-KH"}, id="with-marks-and-spaces"),
    pytest.param("HT-KS", {"HT-KS"}, id="code"),
    pytest.param("ht-ks", {"HT-KS"}, id="code-lower"),
    pytest.param("thuong tru", {"CTR-TT", "LT-KS-TT-BHYT"}, id="thuong-tru"),
    pytest.param("khong co thu tuc nay", set(), id="nothing"),
])
def test_search_ignores_diacritics(store: Any, text: str, expected: set[str]) -> None:
    found = catalogue.search(store, text)
    assert {p.code for p in found} == expected
    if "HT-KS" in expected:
        assert any(p.name == "Đăng ký khai sinh" for p in found)


def test_empty_search_lists_everything_by_field(store: Any) -> None:
    found = catalogue.search(store, "")
    assert len(found) == 20
    assert [p.field for p in found] == sorted(p.field for p in found)
    assert len(catalogue.search(store, "", limit=5)) == 5
