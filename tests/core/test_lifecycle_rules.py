"""The checks every lifecycle form, the CLI and the services share: dates as officers type them,
the documents asked for, free text, and the satisfaction scale of config.toml."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from counter_tui.core.errors import UserError
from counter_tui.core.lifecycle import (
    MISSING_MAX,
    check_rating,
    missing_documents,
    parse_day,
    parse_moment,
    rating_label,
    required_text,
    satisfaction_levels,
    scale_text,
)


@pytest.mark.parametrize(("text", "day"), [
    ("25/12/2026", date(2026, 12, 25)),
    ("5/1/2027", date(2027, 1, 5)),
    ("05-01-2027", date(2027, 1, 5)),
    ("05.01.2027", date(2027, 1, 5)),
    ("2027-01-05", date(2027, 1, 5)),
    (" 29/02/2028 ", date(2028, 2, 29)),
])
def test_parse_day(text: str, day: date) -> None:
    assert parse_day(text, field="deadline", what="deadline") == day


@pytest.mark.parametrize("text", ["31/02/2026", "12/2026", "tomorrow", "2026/12/25", "1/13/2026"])
def test_parse_day_refuses(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_day(text, field="deadline", what="deadline")
    assert caught.value.field == "deadline"
    assert "dd/mm/yyyy" in str(caught.value)


def test_parse_day_required() -> None:
    with pytest.raises(UserError, match="Cần nhập hạn bổ sung"):
        parse_day("  ", field="deadline", what="deadline")


@pytest.mark.parametrize(("text", "moment"), [
    ("09:30 25/12/2026", datetime(2026, 12, 25, 9, 30)),
    ("25/12/2026 9:30", datetime(2026, 12, 25, 9, 30)),
    ("2026-12-25T09:30", datetime(2026, 12, 25, 9, 30)),
    ("2026-12-25 14h05", datetime(2026, 12, 25, 14, 5)),
    ("25/12/2026", datetime(2026, 12, 25, 17, 0)),
])
def test_parse_moment(text: str, moment: datetime) -> None:
    assert parse_moment(text, field="delivered_at", what="delivered") == moment


@pytest.mark.parametrize("text", ["25:00 25/12/2026", "09:30", "09:30 25/12/2026 x",
                                  "hôm qua"])
def test_parse_moment_refuses(text: str) -> None:
    with pytest.raises(UserError) as caught:
        parse_moment(text, field="delivered_at", what="delivered", default_time=time(8, 0))
    assert caught.value.field == "delivered_at"


def test_missing_documents_cleans_and_keeps_order() -> None:
    assert missing_documents(["  Giấy chứng sinh ", "", "Tờ khai\nCCCD của mẹ",
                              "Giấy chứng sinh"]) == ("Giấy chứng sinh", "Tờ khai",
                                                      "CCCD của mẹ")
    with pytest.raises(UserError, match="giấy tờ cần bổ sung") as caught:
        missing_documents(["", "  "])
    assert caught.value.field == "missing"
    with pytest.raises(UserError, match=str(MISSING_MAX)):
        missing_documents([f"Giấy {i}" for i in range(MISSING_MAX + 1)])


def test_required_text() -> None:
    assert required_text(" Thiếu\x1b chữ ký ", field="reason", what="reason") == "Thiếu chữ ký"
    with pytest.raises(UserError, match="Cần nhập lý do"):
        required_text("", field="reason", what="reason")
    assert required_text("", field="reason", what="reason", required=False) == ""
    with pytest.raises(UserError, match="tối đa 500"):
        required_text("x" * 501, field="reason", what="reason")


@pytest.mark.parametrize(("extra", "levels"), [
    ({}, 5), ({"satisfaction": {"levels": 3}}, 3), ({"satisfaction": {"levels": 4}}, 4),
    ({"satisfaction": {"levels": 5}}, 5), ({"satisfaction": {}}, 5),
])
def test_satisfaction_levels(extra: dict[str, object], levels: int) -> None:
    assert satisfaction_levels(extra) == levels


@pytest.mark.parametrize("value", [2, 6, "5", True, None])
def test_satisfaction_levels_refuses(value: object) -> None:
    with pytest.raises(UserError, match=r"\[satisfaction\] levels"):
        satisfaction_levels({"satisfaction": {"levels": value}})


def test_the_scales_best_first() -> None:
    assert scale_text(5) == ("5 Rất hài lòng · 4 Hài lòng · 3 Bình thường · 2 Không hài lòng · "
                             "1 Rất không hài lòng")
    assert scale_text(4) == "4 Rất hài lòng · 3 Hài lòng · 2 Bình thường · 1 Không hài lòng"
    assert scale_text(3) == "3 Hài lòng · 2 Bình thường · 1 Không hài lòng"
    assert rating_label(None, 5) == "" and rating_label(6, 5) == ""


@pytest.mark.parametrize("levels", [3, 4, 5])
def test_check_rating_bounds(levels: int) -> None:
    assert check_rating(None, levels) is None
    assert check_rating(" ", levels) is None
    assert check_rating(1, levels) == 1
    assert check_rating(str(levels), levels) == levels
    for bad in (0, levels + 1, "x", "2.5", True):
        with pytest.raises(UserError) as caught:
            check_rating(bad, levels)  # type: ignore[arg-type]
        assert caught.value.field == "rating"
        assert f"1 đến {levels}" in str(caught.value)


def test_event_data_in_words() -> None:
    from counter_tui.core.event_text import details_line, event_details

    assert event_details({"ontime": "late", "method": "post", "waybill": "EB123",
                          "rating": 3, "scale": 3, "id_kind": "cccd"}) == [
        ("Thời hạn", "Quá hạn"), ("Trả kết quả", "qua bưu chính"), ("Mã vận đơn", "EB123"),
        ("Đánh giá", "3 (Hài lòng)")]
    assert details_line({"deadline": "2026-05-14T17:00", "missing": ["A", "B"],
                         "working_minutes": 125, "resume_status": 4, "amount": 50000,
                         "later_key": "x"}) == (
        "Hạn bổ sung: 17:00 14/05/2026; Giấy tờ cần bổ sung: A; B; "
        "Thời gian chờ: 2:05 giờ làm việc; Trở lại trạng thái: Đang xử lý; "
        "Số tiền: 50.000đ; later_key: x")
