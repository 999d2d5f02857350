"""`counter-tui calendar off|work|clear|list` at an office that does not sync: its days are
in the store, appointments count them at once, and bad input is told in one line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.test_cli_queue import CLI, refused


def test_a_day_off_moves_appointments_and_clearing_it_brings_them_back(
        tmp_path: Path, write_config: Callable[..., Path]) -> None:
    cli = CLI(write_config(tmp_path))

    def due() -> str:
        return str(cli.json("calendar", "due", "--procedure", "HT-XNHN",
                            "--received", "2026-12-23 08:00")["due"])

    before = due()
    assert cli("calendar", "off", "2026-12-24", "--note", "Lễ\x1b[2J hội").returncode == 0
    assert cli.json("calendar", "list") == [
        {"day": "2026-12-24", "working": False, "note": "Lễ [2J hội"}]  # the escape byte gone
    assert due() > before
    assert cli("calendar", "work", "2026-12-26").returncode == 0  # a Saturday worked
    listed = cli("calendar", "list", "--year", "2026").stdout
    assert "24/12/2026  nghỉ" in listed and "26/12/2026  làm việc" in listed
    assert "\x1b" not in listed
    assert "không có trong danh sách" in cli("calendar", "clear", "2026-12-25").stdout
    cli("calendar", "clear", "2026-12-24")
    cli("calendar", "clear", "2026-12-26")
    assert due() == before
    assert "YYYY-MM-DD" in refused(cli("calendar", "off", "24/12/2026"))
    assert "tối đa 200 ký tự" in refused(cli("calendar", "off", "2026-12-24",
                                              "--note", "x" * 201))
    assert cli.json("calendar", "list") == []


def test_anyone_reads_the_days_a_supervisor_sets_them(tmp_path: Path,
                                                      write_config: Callable[..., Path]) -> None:
    config = write_config(tmp_path)
    CLI(config)("calendar", "off", "2026-12-24")
    nobody = CLI(config, key="")
    assert nobody.json("calendar", "list")[0]["day"] == "2026-12-24"
    refused_set = nobody("calendar", "off", "2026-12-25")
    assert refused_set.returncode == 2 and "đăng nhập" in refused_set.stderr
