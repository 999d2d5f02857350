"""The real `counter-tui` command in a child process, with a config in tmp_path: what a kiosk
script or a technician sees, exit codes included, and never a traceback."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from counter_tui.core.clock import office_now
from tests.conftest import clean_env, staff_key

GROUPS = "A (Hộ tịch), B (Chứng thực), C (Cư trú), D (Bưu chính công ích)"


class CLI:
    """`cli("ticket", "issue", "A")` runs `python -m counter_tui --config <tmp config> ...`."""

    def __init__(self, config: Path, key: str | None = None) -> None:
        self.config = config
        # Commands act as someone: a staff service account's key (tests/conftest.py), made
        # once the store can be opened; "" runs them as nobody.
        self.nobody = key == ""
        self.key = key or ""
        self.log = config.parent / "data" / "counter-tui.log"

    def env(self, command: str = "", **extra: str) -> dict[str, str]:
        if command == "init":  # the setting up needs nobody, and must find no store yet
            return clean_env(**extra)
        if not self.key and not self.nobody:
            self.key = staff_key(self.config)
        return clean_env(**({"COUNTER_TUI_KEY": self.key} if self.key else {}), **extra)

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "counter_tui", "--config", str(self.config), *args],
            capture_output=True, text=True, env=self.env(args[0] if args else ""),
            cwd=self.config.parent, timeout=120)
        assert "Traceback" not in result.stderr, result.stderr
        assert "Traceback" not in result.stdout, result.stdout
        if self.log.exists():
            assert "Traceback" not in self.log.read_text(encoding="utf-8")
        return result

    def json(self, *args: str) -> Any:
        result = self(*args, "--json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture
def cli(tmp_path: Path, write_config: Callable[..., Path]) -> CLI:
    return CLI(write_config(tmp_path))


def refused(result: subprocess.CompletedProcess[str]) -> str:
    """A refusal: exit 1, nothing on stdout, one line on stderr; that line."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_issue_then_call_on_both_engines(tmp_path: Path, write_config: Callable[..., Path],
                                         database_url: str) -> None:
    cli = CLI(write_config(tmp_path, database={"url": database_url}))
    before = office_now().replace(second=0, microsecond=0)
    first = cli.json("ticket", "issue", "A")
    assert first["number"] == "A001"
    assert (first["group"], first["group_name"], first["ahead"], first["priority"]) == (
        "A", "Hộ tịch", 0, None)
    issued_at = dt.datetime.fromisoformat(first["issued_at"])
    assert before <= issued_at <= office_now()
    assert first["print"]["status"] == "sent" and first["print"]["error"] == ""
    assert isinstance(first["print"]["job"], int)
    printed = (tmp_path / "data" / "printer.out").read_bytes()
    assert printed.startswith(b"\x1b@")

    second = cli.json("ticket", "issue", "a", "--priority")
    assert (second["number"], second["priority"], second["ahead"]) == ("A002", "elderly", 0)
    assert (tmp_path / "data" / "printer.out").stat().st_size > len(printed)

    called = cli.json("ticket", "call", "--counter", "1")
    assert (called["number"], called["group"], called["counter"], called["priority"]) == (
        "A002", "A", 1, "elderly")
    called = cli.json("ticket", "call", "--counter", "1")
    assert called["number"] == "A001"
    assert cli.json("ticket", "call", "--counter", "1") == {"number": None, "counter": 1}


def test_text_output(cli: CLI) -> None:
    result = cli("ticket", "issue", "B")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Số B001 (Chứng thực), 0 người chờ trước, in: đã in\n"
    result = cli("ticket", "call", "--counter", "2")
    assert result.stdout == "Mời số B001 đến quầy 2\n"
    result = cli("ticket", "call", "--counter", "2")
    assert (result.returncode, result.stdout) == (0, "Không còn ai chờ\n")


def test_unknown_group_names_the_groups(cli: CLI) -> None:
    line = refused(cli("ticket", "issue", "Z"))
    assert line == f"Không có nhóm dịch vụ 'Z'. Các nhóm: {GROUPS}"
    line = refused(cli("ticket", "issue", "Z", "--json"))
    assert "Các nhóm: A (Hộ tịch)" in line


def test_unknown_priority(cli: CLI) -> None:
    line = refused(cli("ticket", "issue", "A", "--priority", "vip"))
    assert "'vip'" in line and "elderly" in line


def test_unknown_counter(cli: CLI) -> None:
    line = refused(cli("ticket", "call", "--counter", "99"))
    assert line == "Không có quầy số 99. Các quầy: 1, 2, 3"


def test_messages_follow_the_configured_language(tmp_path: Path,
                                                 write_config: Callable[..., Path]) -> None:
    cli = CLI(write_config(tmp_path, ui={"language": "en"}))
    assert refused(cli("ticket", "call", "--counter", "99")) == (
        "There is no counter 99. Counters: 1, 2, 3")


def test_a_printer_that_cannot_be_written_is_reported(
        tmp_path: Path, write_config: Callable[..., Path]) -> None:
    blocked = tmp_path / "printer-is-a-directory"
    blocked.mkdir()
    cli = CLI(write_config(tmp_path, printer={"target": str(blocked)}))
    result = cli("ticket", "issue", "A", "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["number"] == "A001"  # the ticket is on the record
    assert data["print"]["status"] == "failed"
    assert "Không ghi được vào tệp máy in" in data["print"]["error"]


def test_catalogue_import_reports_rows(cli: CLI, tmp_path: Path) -> None:
    csv_file = tmp_path / "province.csv"
    csv_file.write_text(
        "local_code,name,field,level,processing_days,same_day_cutoff,fee_vnd\n"
        "XD-GP,Cấp giấy phép xây dựng,Xây dựng,một phần,15,,75000\n"
        "XD-X,Sai mức độ,Xây dựng,mức 9,15,,0\n", encoding="utf-8")
    result = cli("catalogue", "import", str(csv_file))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "thêm 1, cập nhật 0, không đổi 0, từ chối 1",
        "  dòng 3 [XD-X]: mức độ 'mức 9' không hợp lệ (toàn trình | một phần | không trực tuyến)",
    ]
    report = cli.json("catalogue", "import", str(csv_file))
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 0, 1)
    assert report["rejected"] == [{"line": 3, "code": "XD-X", "reason":
                                   "mức độ 'mức 9' không hợp lệ (toàn trình | một phần | "
                                   "không trực tuyến)"}]


def test_catalogue_import_of_a_bad_file(cli: CLI, tmp_path: Path) -> None:
    missing = cli("catalogue", "import", str(tmp_path / "missing.csv"))
    assert missing.returncode == 2  # a file named on the command line: usage, README
    assert missing.stderr.startswith("Không có tệp hoặc thư mục ") and "missing.csv" in \
        missing.stderr

    wrong = tmp_path / "wrong.csv"
    wrong.write_text("ma,ten\nHT-KS,Đăng ký khai sinh\n", encoding="utf-8")
    line = refused(cli("catalogue", "import", str(wrong)))
    assert line.startswith("Tệp thiếu cột: local_code, name, field, level, processing_days.")

    binary = tmp_path / "export.xlsx"
    binary.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xff\xfe")
    line = refused(cli("catalogue", "import", str(binary)))
    assert line.startswith(f"Tệp {binary} không phải văn bản UTF-8: dòng 1 có byte 0xFF")
    assert "CSV UTF-8" in line


@pytest.mark.parametrize("args", [
    pytest.param(("ticket", "issue"), id="issue-without-group"),
    pytest.param(("ticket", "call"), id="call-without-counter"),
    pytest.param(("ticket", "call", "--counter", "một"), id="counter-not-a-number"),
    pytest.param(("ticket", "frobnicate"), id="unknown-action"),
    pytest.param(("catalogue",), id="catalogue-without-action"),
])
def test_usage_errors_exit_2(cli: CLI, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "usage: counter-tui" in result.stderr
