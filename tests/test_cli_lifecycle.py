"""`counter-tui dossier status|history|worklist` as a script runs them: a child process with a
config in tmp_path, the real clock, exit codes, the slips in the printer file, and never a
traceback. A refused move exits 1 with the reason in the configured language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from counter_tui.config import load
from counter_tui.core.clock import OfficeClock
from counter_tui.printing.decode import decode
from counter_tui.services.calendar import calendar_for
from tests.test_cli_queue import CLI, refused

NAME = "Nguyễn Văn An"
CCCD = "001090012345"
UNIT = "Công chức Tư pháp - Hộ tịch"


@pytest.fixture
def cli(tmp_path: Path, write_config: Callable[..., Path]) -> CLI:
    return CLI(write_config(tmp_path))


def add(cli: CLI) -> str:
    received = cli.json("dossier", "add", "--procedure", "HT-XNHN", "--name", NAME, "--id", CCCD,
                        "--phone", "0912345678")
    return str(received["code"])


def working_day(cli: CLI, after_days: int) -> str:
    """A working day at least `after_days` from today, as dd/mm/yyyy."""
    cfg = load(str(cli.config))
    day = OfficeClock(cfg.office.timezone).today() + dt.timedelta(days=after_days)
    cal = calendar_for(cfg, day)
    if not cal.is_working_day(day):
        day = cal.next_working_day(day)
    return day.strftime("%d/%m/%Y")


def printed(tmp_path: Path) -> str:
    return " ".join(decode((tmp_path / "data" / "printer.out").read_bytes()).text)


def test_a_whole_life_on_both_engines(tmp_path: Path, write_config: Callable[..., Path],
                                      database_url: str) -> None:
    cli = CLI(write_config(tmp_path, database={"url": database_url}))
    code = add(cli)
    moved = cli.json("dossier", "status", code, "--to", "4", "--unit", UNIT,
                     "--received-by", "Lê Văn Hùng")
    assert (moved["from"], moved["to"], moved["holder"]) == (2, 4, UNIT)
    assert moved["print"]["status"] == "sent"  # the control sheet (Mẫu 05) to sign
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH" in printed(tmp_path)
    deadline = working_day(cli, 7)
    asked = cli.json("dossier", "status", code, "--to", "supplement", "--missing",
                     "Giấy chứng sinh (bản chính)", "--missing", "Tờ khai",
                     "--reason", "Thiếu bản chính", "--deadline", deadline)
    assert (asked["status"], asked["status_label"]) == (5, "Yêu cầu bổ sung")
    assert asked["paused_at"] is not None
    assert asked["print"]["status"] == "sent"
    assert asked["supplement_deadline"].startswith(
        dt.datetime.strptime(deadline, "%d/%m/%Y").date().isoformat())
    text = printed(tmp_path)
    assert "PHIẾU YÊU CẦU BỔ SUNG" in text and "Giấy chứng sinh (bản chính)" in text
    assert deadline in text

    back = cli.json("dossier", "status", code, "--to", "processing", "--document", "Tờ khai")
    assert (back["from"], back["to"], back["paused_at"]) == (5, 4, None)
    assert back["due"] >= asked["due"] and back["original_due"] == asked["original_due"]
    assert "GIẤY TIẾP NHẬN HỒ SƠ BỔ SUNG" in printed(tmp_path)

    ready = cli.json("dossier", "status", code, "--to", "ready", "--given-by", "Lê Văn Hùng")
    assert ready["ontime"] in ("early", "on_time") and ready["resolved_at"]
    assert ready["print"]["status"] == "sent"
    assert "THÔNG BÁO ĐÃ CÓ KẾT QUẢ GIẢI QUYẾT" in printed(tmp_path)
    done = cli.json("dossier", "status", code, "--to", "10", "--collected-by", NAME,
                    "--id", CCCD, "--rating", "4")
    assert (done["status"], done["rating"], done["rating_label"]) == (10, 4, "Hài lòng")
    assert done["data"]["id_masked"] == "0010******45"
    text = printed(tmp_path)
    assert "PHIẾU TRẢ KẾT QUẢ" in text and "0010******45" in text

    history = cli.json("dossier", "history", code)
    assert history["code"] == code
    assert [(e["action"], e["from_status"], e["to_status"]) for e in history["events"]] == [
        ("receive", None, 2), ("handover", 2, 4), ("request_supplements", 4, 5),
        ("supplements_received", 5, 4), ("result_ready", 4, 9), ("return_result", 9, 10)]
    assert history["events"][2]["data"]["missing"] == ["Giấy chứng sinh (bản chính)", "Tờ khai"]
    assert all(e["officer"] == "canbo1" and e["counter"] == 1 for e in history["events"])

    returned = cli.json("dossier", "worklist", "returned_today")
    assert [i["code"] for i in returned["items"]] == [code]


def test_a_refused_move_exits_1_with_the_vietnamese_reason(cli: CLI, tmp_path: Path) -> None:
    code = add(cli)
    size = (tmp_path / "data" / "printer.out").stat().st_size
    line = refused(cli("dossier", "status", code, "--to", "10", "--collected-by", NAME,
                       "--id", CCCD))
    assert line == (
        "Không chuyển được hồ sơ từ 'Đã tiếp nhận' sang 'Đã trả kết quả': chỉ trả kết quả khi "
        "hồ sơ đã có kết quả (trạng thái 9). Có thể chuyển sang: 3 Từ chối tiếp nhận, "
        "4 Đang xử lý, 5 Yêu cầu bổ sung, 7 Công dân rút hồ sơ, 8 Dừng xử lý, "
        "9 Đã có kết quả, chờ trả.")
    refused(cli("dossier", "status", code, "--to", "returned", "--json"))
    history = cli.json("dossier", "history", code)
    assert [e["action"] for e in history["events"]] == ["receive"]  # nothing stored
    assert (tmp_path / "data" / "printer.out").stat().st_size == size  # nothing printed

    cli.json("dossier", "status", code, "--to", "withdrawn", "--reason", "Công dân xin rút")
    line = refused(cli("dossier", "status", code, "--to", "4", "--unit", UNIT))
    assert line == ("Không chuyển được hồ sơ từ 'Công dân rút hồ sơ' sang 'Đang xử lý': hồ sơ "
                    "đã kết thúc, không đổi trạng thái được nữa.")


def test_the_reason_follows_the_configured_language(tmp_path: Path,
                                                    write_config: Callable[..., Path]) -> None:
    cli = CLI(write_config(tmp_path, ui={"language": "en"}))
    code = add(cli)
    line = refused(cli("dossier", "status", code, "--to", "6"))
    assert line.startswith("Cannot move the dossier from 'Received' to 'Awaiting payment': "
                           "only the processing unit asks for payment")


@pytest.mark.parametrize(("args", "expected"), [
    (("--to", "done"), "Không có trạng thái 'done'. Dùng số 1–10 hoặc: submitted, received"),
    (("--to", "supplement", "--reason", "x", "--deadline", "20/05/2030"),
     "Cần nhập giấy tờ cần bổ sung"),
    (("--to", "supplement", "--missing", "Tờ khai", "--reason", "x", "--deadline", "31/02/2030"),
     "'31/02/2030' không phải ngày hợp lệ; nhập dd/mm/yyyy (ví dụ 25/12/2026)"),
    (("--to", "4"), "Cần nhập đơn vị nhận hồ sơ"),
    (("--to", "4", "--unit", "Phòng Tư pháp"), "Cần nhập họ tên người nhận"),
    (("--unit", "Phòng Tư pháp"), "Cần nhập họ tên người nhận"),
    (("--to", "refused"), "Cần nhập lý do"),
    (("--reason", "x"), "Cần --to TRẠNG THÁI"),
    (("--new-due", "hôm nay", "--reason", "Chậm"), "'hôm nay' không hợp lệ"),
])
def test_what_is_missing_is_named(cli: CLI, args: tuple[str, ...], expected: str) -> None:
    code = add(cli)
    line = refused(cli("dossier", "status", code, *args))
    assert line.startswith(expected), line


def test_unknown_dossier(cli: CLI) -> None:
    add(cli)  # the store exists
    line = refused(cli("dossier", "history", "000.17.22.H56-200101-0009"))
    assert line.startswith("Không tìm thấy hồ sơ 000.17.22.H56-200101-0009")
    line = refused(cli("dossier", "status", "000.17.22.H56-200101-0009", "--to", "4"))
    assert line.startswith("Không tìm thấy hồ sơ")


def test_apology_and_text_output(cli: CLI, tmp_path: Path) -> None:
    code = add(cli)
    new_due = working_day(cli, 30)
    result = cli("dossier", "status", code, "--new-due", new_due, "--reason", "Cần xác minh")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{code}: Xin lỗi, hẹn lại ngày trả (Đã tiếp nhận) · "
                                    f"hẹn trả 17:00 {new_due}")
    assert result.stdout.rstrip().endswith("· in: đã in")
    text = printed(tmp_path)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI" in text and f"17:00 {new_due}" in text
    state: dict[str, Any] = cli.json("dossier", "show", code)
    assert state["apology_due_at"].startswith(
        dt.datetime.strptime(new_due, "%d/%m/%Y").date().isoformat())
    assert state["due_at"] == state["original_due_at"]  # the legal due date is kept

    history = cli("dossier", "history", code)
    lines = history.stdout.splitlines()
    assert len(lines) == 2 and "Xin lỗi, hẹn lại ngày trả" in lines[1]
    assert "Lý do: Cần xác minh" in lines[1]


def test_worklists(cli: CLI) -> None:
    first, second = add(cli), add(cli)
    cli.json("dossier", "status", second, "--to", "supplement", "--missing", "Tờ khai",
             "--reason", "Thiếu", "--deadline", working_day(cli, 3))
    waiting = cli.json("dossier", "worklist", "supplements")
    assert [i["code"] for i in waiting["items"]] == [second]
    assert waiting["items"][0]["ontime"] == "in_time"
    assert cli.json("dossier", "worklist", "ready")["items"] == []
    result = cli("dossier", "worklist", "ready")
    assert (result.returncode, result.stdout) == (0, "(không có hồ sơ nào)\n")
    assert first not in cli("dossier", "worklist", "supplements").stdout


@pytest.mark.parametrize("args", [
    pytest.param(("dossier", "status"), id="status-without-code"),
    pytest.param(("dossier", "status", "X", "--method", "drone"), id="bad-method"),
    pytest.param(("dossier", "worklist", "tomorrow"), id="unknown-worklist"),
    pytest.param(("dossier", "history"), id="history-without-code"),
])
def test_usage_errors_exit_2(cli: CLI, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "usage: counter-tui" in result.stderr


def test_dossier_add_leaves_out_documents_needed_only_in_some_cases(cli: CLI,
                                                                    tmp_path: Path) -> None:
    """Without --doc, the receipt lists the checklist but not "(nếu nộp thay)" and the like:
    a receipt never lists a document that was not handed in."""
    received = cli.json("dossier", "add", "--procedure", "HT-KS", "--name", NAME, "--id", CCCD,
                        "--phone", "0912345678")
    shown = cli.json("dossier", "show", received["code"])
    assert [(d["name"], d["originals"], d["copies"]) for d in shown["documents"]] == [
        ("Tờ khai đăng ký khai sinh", 1, 0), ("Giấy chứng sinh (bản chính)", 1, 0)]
    assert "Văn bản ủy quyền" not in printed(tmp_path)


def test_history_reads_as_words_not_machine_names(cli: CLI) -> None:
    code = add(cli)
    cli.json("dossier", "status", code, "--to", "4", "--unit", UNIT, "--received-by",
             "Lê Văn Hùng")
    cli.json("dossier", "status", code, "--to", "ready", "--given-by", "Lê Văn Hùng")
    cli.json("dossier", "status", code, "--to", "10", "--collected-by", NAME, "--id", CCCD,
             "--rating", "4")
    text = cli("dossier", "history", code).stdout
    assert "=" not in text and "ontime" not in text and "method" not in text, text
    assert f"Từ: Bộ phận Một cửa; Đến: {UNIT}; Người giao: " in text
    assert "Người nhận: Lê Văn Hùng" in text
    assert "Trả kết quả: tại Bộ phận Một cửa" in text
    assert "Đánh giá: 4 (Hài lòng)" in text and "Giấy tờ tùy thân: 0010******45" in text
    assert "Thời hạn: Trước hạn" in text
    assert CCCD not in text
    data = cli.json("dossier", "history", code)["events"][-1]["data"]
    assert (data["method"], data["ontime"]) == ("counter", "early")  # JSON keeps the names
