"""The real `counter-tui report …` and `counter-tui dossier import` in a child process: history
loaded from CSV, then the day board, the period report and the register in every format."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import clean_env, staff_key

HISTORY = "\n".join([
    "code,office,procedure_code,channel,level,applicant_name,received_at,due_at,resolved_at,"
    "returned_at,status",
    "000.17.22.H56-260302-0001,000.17.22.H56,HT-KS,walk_in,,Nguyễn Văn An,2026-03-02 08:30,"
    "2026-03-04 17:00,2026-03-03 10:00,2026-03-04 09:00,10",
    "000.17.22.H56-260302-0002,000.17.22.H56,CT-BS,online,một phần,Trần Thị Bình,"
    "2026-03-02 09:00,2026-03-02 17:00,2026-03-03 09:00,,9",
    "000.17.22.H56-260303-0001,000.17.22.H56,HT-KS,post,,Lê Văn Cường,2026-03-03 09:00,"
    "2026-03-05 17:00,,,4",
    "000.17.22.H56-260303-0002,000.17.22.H56,HT-KS,bicycle,,Phạm Văn Dũng,2026-03-03 09:00,"
    "2026-03-05 17:00,,,4",
    "000.17.22.H56-250303-0001,000.17.22.H56,HT-KS,walk_in,,Võ Thị Em,2025-03-03 09:00,"
    "2025-03-05 17:00,2025-03-04 09:00,2025-03-04 10:00,10",
]) + "\n"


class CLI:
    def __init__(self, config: Path, key: str | None = None) -> None:
        self.config = config
        # Commands act as someone: a staff service account's key (tests/conftest.py), made
        # once the store can be opened; "" runs them as nobody.
        self.nobody = key == ""
        self.key = key or ""

    def env(self, command: str = "", **extra: str) -> dict[str, str]:
        if command == "init":  # the setting up needs nobody, and must find no store yet
            return clean_env(**extra)
        if not self.key and not self.nobody:
            self.key = staff_key(self.config)
        return clean_env(**({"COUNTER_TUI_KEY": self.key} if self.key else {}), **extra)

    def __call__(self, *args: str, env: dict[str, str] | None = None
                 ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "counter_tui", "--config", str(self.config), *args],
            capture_output=True, text=True, env=self.env(args[0] if args else "", **(env or {})),
            cwd=self.config.parent, timeout=120)
        assert "Traceback" not in result.stderr + result.stdout, result.stderr
        return result

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert result.returncode == 0, (result.stdout, result.stderr)
        return result.stdout


@pytest.fixture
def cli(tmp_path: Path, write_config: Callable[..., Path]) -> CLI:
    cli = CLI(write_config(tmp_path))
    (tmp_path / "history.csv").write_text(HISTORY, encoding="utf-8")
    return cli


def test_import_then_every_report(cli: CLI, tmp_path: Path) -> None:
    out = cli.ok("dossier", "import", str(tmp_path / "history.csv"), "--rejected",
                 str(tmp_path / "rejected.csv"))
    assert out.splitlines()[0].startswith("Đã thêm 4 hồ sơ, 0 hồ sơ đã có (bỏ qua), 1 dòng")
    assert "dòng 5 [000.17.22.H56-260303-0002]: kênh 'bicycle' không hợp lệ" in out
    with open(tmp_path / "rejected.csv", encoding="utf-8-sig") as fh:
        assert list(csv.reader(fh))[1][:2] == ["5", "000.17.22.H56-260303-0002"]
    again = json.loads(cli.ok("dossier", "import", str(tmp_path / "history.csv"), "--json"))
    assert (again["added"], again["already"], len(again["rejected"])) == (0, 4, 1)

    data = json.loads(cli.ok("report", "period", "--from", "2026-03-01", "--to", "31/03/2026",
                             "--compare", "--format", "json"))
    total = data["total"]
    assert (total["received"], total["online"], total["walk_in"], total["post"]) == (3, 1, 1, 1)
    # ready early; ready the day after its same-day due date (late); one still processing
    assert (total["early"], total["late"], total["overdue"]) == (1, 1, 1)
    assert data["previous"]["total"]["received"] == 1
    change = data["previous"]["change"]
    assert change["received"] == {"now": 3, "before": 1, "percent": 200.0, "text": "tăng 200%"}
    assert (change["online"]["percent"], change["online"]["text"]) == (None, "mới")

    compared = cli.ok("report", "period", "--from", "2026-03-01", "--to", "2026-03-31",
                      "--compare")
    assert "3, tăng 200% so với cùng kỳ (1)" in compared
    assert "1, mới (cùng kỳ không có)" in compared  # online: none in March 2025
    rows = list(csv.reader(cli.ok("report", "period", "--from", "2026-03-01", "--to",
                                  "2026-03-31", "--compare", "--format", "csv").splitlines()))
    total = dict(zip(rows[1], rows[4], strict=True))
    assert total["So với cùng kỳ: tổng nhận"] == "tăng 200%"
    assert total["So với cùng kỳ: trực tuyến"] == "mới"
    english = cli("report", "period", "--from", "2026-03-01", "--to", "2026-03-31",
                  "--compare", env={"COUNTER_TUI_UI__LANGUAGE": "en"})
    assert "3, up 200% on the same period last year (1)" in english.stdout
    assert [r["label"] for r in data["rows"]] == ["Chứng thực", "Hộ tịch"]

    table = cli.ok("report", "period", "--from", "2026-03-01", "--to", "2026-03-31")
    assert table.splitlines()[0].startswith("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC")
    assert "Tổng cộng" in table

    printed = cli.ok("report", "period", "--from", "2026-03-01", "--to", "2026-03-31",
                     "--by", "procedure", "--format", "csv")
    rows = list(csv.reader(printed.splitlines()))
    assert rows[1][:3] == ["STT", "Thủ tục", "Tổng số hồ sơ nhận giải quyết"]
    assert rows[2][1] == "CT-BS - Chứng thực bản sao từ bản chính"

    xlsx = tmp_path / "bc.xlsx"
    assert "Đã ghi" in cli.ok("report", "period", "--from", "2026-03-01", "--to",
                              "2026-03-31", "--format", "xlsx", "--output", str(xlsx))
    from openpyxl import load_workbook

    book = load_workbook(xlsx, read_only=True)
    assert next(book["II.06a"].iter_rows(min_row=3, max_row=3, values_only=True))[1] == \
        "Chứng thực"
    book.close()

    register = tmp_path / "so.csv"
    out = cli.ok("report", "register", "--from", "2026-03-01", "--to", "2026-03-31",
                 "--output", str(register))
    assert out.strip() == f"Đã ghi 3 dòng vào {register}"
    with open(register, encoding="utf-8-sig") as fh:
        lines = list(csv.reader(fh))
    assert [line[1] for line in lines[2:]] == ["000.17.22.H56-260302-0001",
                                              "000.17.22.H56-260302-0002",
                                              "000.17.22.H56-260303-0001"]


def test_day_report_formats_and_the_printed_summary(cli: CLI, tmp_path: Path) -> None:
    cli.ok("ticket", "issue", "A")
    day: dict[str, Any] = json.loads(cli.ok("report", "day", "--format", "json"))
    assert day["tickets_issued"] == 1 and day["received"] == 0
    assert day["groups"][0]["letter"] == "A" and day["groups"][0]["waiting"] == 1
    every: dict[str, Any] = json.loads(cli.ok("report", "day", "--office", "*", "--format",
                                              "json"))
    assert every["tickets_issued"] == 1 and every["office"] == "Tất cả văn phòng"
    out = cli.ok("report", "day", "--print")
    assert "Tình hình ngày" in out
    assert out.strip().splitlines()[-1].endswith("in đã in")
    assert (tmp_path / "data" / "printer.out").stat().st_size > 0
    assert "Đã ghi" in cli.ok("report", "day", "--format", "xlsx", "--output",
                              str(tmp_path / "ngay.xlsx"))


def test_bad_requests_are_refused_cleanly(cli: CLI) -> None:
    result = cli("report", "period", "--from", "2026-03-31", "--to", "2026-03-01")
    assert result.returncode == 1
    assert "sau ngày kết thúc" in result.stderr
    result = cli("report", "period", "--from", "31-03-2026", "--to", "2026-03-01")
    assert result.returncode == 2
    result = cli("report", "day", "--format", "xlsx")  # usage: exit 2, as the README says
    assert result.returncode == 2 and "--output" in result.stderr
    result = cli("report", "period", "--from", "2026-03-01", "--to", "2026-03-31",
                 "--format", "xlsx")
    assert result.returncode == 2 and "--output" in result.stderr
    result = cli("dossier", "import", "no-such-file.csv")
    assert result.returncode == 2 and "no-such-file.csv" in result.stderr
