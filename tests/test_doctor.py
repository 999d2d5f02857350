"""`counter-tui doctor` on a healthy counter and on each part broken in turn, and the log a
visit leaves: a start and a stop line, and none of the applicant's name, ID number or phone."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, clean_env, staff_key

sqlite_only = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


def run(config: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "counter_tui", "--config", str(config), *args],
                          capture_output=True, text=True, env=clean_env(**env),
                          cwd=config.parent, timeout=120)
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    return done


def doctor(config: Path, **env: str) -> tuple[int, dict[str, Any]]:
    done = run(config, "doctor", "--json", **env)
    report = json.loads(done.stdout)
    return done.returncode, {c["part"]: c for c in report["checks"]}


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens once it is closed


@pytest.fixture
def office(tmp_path: Path, write_config: Callable[..., Path], database_url: str) -> Path:
    config = write_config(tmp_path, database={"url": database_url})
    assert run(config, "init").returncode == 0
    done = run(config, "db", "backup", COUNTER_TUI_KEY=staff_key(config))  # a technician's act
    assert done.returncode == 0, done.stderr
    (tmp_path / "data").chmod(0o700)  # made by the test, not by `init`
    return config


@sqlite_only
def test_a_store_others_can_read_is_a_warning(office: Path) -> None:
    store = office.parent / "data" / "counter.db"
    store.chmod(0o644)
    code, checks = doctor(office)
    assert code == 0 and checks["private"]["status"] == "WARN"
    assert str(store) in checks["private"]["detail"]


@sqlite_only
def test_a_healthy_counter(office: Path) -> None:
    code, checks = doctor(office, COUNTER_TUI_SCANNER__DEVICE="test")
    assert code == 0, checks
    assert list(checks) == ["version", "config", "store", "migrations", "printer", "fonts",
                            "disk", "clock", "backup", "private", "voice", "sync", "scanner"]
    installed = {"voice": shutil.which("espeak-ng"), "scanner": shutil.which("scanimage")}
    assert all(c["status"] == "OK" for p, c in checks.items() if installed.get(p, True)), checks
    assert "[sync] url" in checks["sync"]["detail"]  # not syncing, and why
    newest = max(p.stem for p in (REPO / "db" / "migrations").glob("0*.py"))
    assert newest in checks["migrations"]["detail"]
    screen = run(office, "doctor", COUNTER_TUI_UI__LANGUAGE="en",
                 COUNTER_TUI_SCANNER__DEVICE="test")
    ending = "All is well." if all(installed.values()) else "WARN: see what each line says."
    assert screen.returncode == 0 and screen.stdout.rstrip().endswith(ending)
    assert screen.stdout.splitlines()[0].startswith("OK    Version")


@sqlite_only
def test_a_missing_store(office: Path, tmp_path: Path) -> None:
    code, checks = doctor(office, COUNTER_TUI_DATABASE__URL=f"sqlite:///{tmp_path}/gone/c.db")
    assert code == 1
    assert checks["store"]["status"] == "FAIL"
    assert "counter-tui init" in checks["store"]["detail"]  # what to do
    assert checks["migrations"]["status"] == "FAIL"
    assert checks["printer"]["status"] == "OK"  # one broken part hides no other


@sqlite_only
def test_an_unreachable_printer(office: Path) -> None:
    code, checks = doctor(office, COUNTER_TUI_PRINTER__KIND="network",
                          COUNTER_TUI_PRINTER__TARGET=f"127.0.0.1:{closed_port()}",
                          COUNTER_TUI_PRINTER__CONNECT_TIMEOUT="0.5")
    assert code == 1
    assert checks["printer"]["status"] == "FAIL"
    assert "counter-tui printer test" in checks["printer"]["detail"]
    assert checks["store"]["status"] == "OK"


@sqlite_only
def test_a_bad_config(office: Path) -> None:
    code, checks = doctor(office, COUNTER_TUI_PRINTER__PAPER_MM="70")
    assert code == 1
    assert checks["config"]["status"] == "FAIL"
    assert "printer.paper_mm" in checks["config"]["detail"]
    assert checks["version"]["status"] == "OK" and checks["clock"]["status"] == "OK"
    assert checks["store"]["status"] == "WARN"  # not checked, said so


@sqlite_only
def test_no_backup_yet_is_a_warning(tmp_path: Path, write_config: Callable[..., Path],
                                    database_url: str) -> None:
    config = write_config(tmp_path, database={"url": database_url})
    assert run(config, "init").returncode == 0
    code, checks = doctor(config)
    assert code == 0
    assert checks["backup"]["status"] == "WARN"
    assert "counter-tui db backup" in checks["backup"]["detail"]


@sqlite_only
def test_a_visit_leaves_no_personal_data_in_the_log(office: Path) -> None:
    name, card, phone = "Trần Thị Bích Ngọc", "079301004567", "0912 345 678"
    key = staff_key(office)  # the commands act as the counter's officer

    def cmd(*args: str) -> subprocess.CompletedProcess[str]:
        return run(office, "--debug", *args, COUNTER_TUI_KEY=key)
    assert cmd("ticket", "issue", "A").returncode == 0
    assert cmd("ticket", "call", "--counter", "1").returncode == 0
    done = cmd("dossier", "add", "--procedure", "HT-KS", "--name", name,
               "--id", card, "--phone", phone)
    assert done.returncode == 0, done.stderr
    refused = cmd("dossier", "add", "--procedure", "HT-KS", "--name", name,
                  "--id", card, "--phone", "0" * 25)
    assert refused.returncode == 1
    log = (office.parent / "data" / "counter-tui.log").read_text(encoding="utf-8")
    assert "start dossier add" in log and "stop dossier add: exit 0" in log
    assert "stop dossier add: exit 1" in log
    assert "backup counter-" in log  # the day's first start copied the store
    for secret in (name, "Ngọc", card, phone, phone.replace(" ", ""), "0" * 25):
        assert secret not in log, secret


def test_id_like_numbers_are_masked_in_log_lines_and_tracebacks() -> None:
    import logging

    from counter_tui.cli import Unidentified

    formatter = Unidentified("%(asctime)s %(process)d %(message)s")
    try:
        raise ValueError("CCCD 079301004567 / phone 0912.345.678 refused")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1,
                                   "dossier %s for %s at 2026-05-12 08:00:15", (
                                       "000.17.22.H56-260512-0002", "+84 912 345 678"),
                                   sys.exc_info())
    text = formatter.format(record)
    for secret in ("079301004567", "0912.345.678", "912 345 678"):
        assert secret not in text
    assert "000.17.22.H56-260512-0002" in text and "2026-05-12 08:00:15" in text
    assert "Traceback" in text and record.getMessage().startswith("dossier 000.17")


def test_the_log_rotates_and_keeps_a_few_files(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import logging

    from counter_tui import cli

    monkeypatch.setattr(cli, "LOG_BYTES", 2000)
    handler = cli.QuietLog(tmp_path / "counter-tui.log")
    for n in range(400):
        handler.emit(logging.LogRecord("x", logging.INFO, __file__, 1, "line %d " + "x" * 90,
                                       (n,), None))
    handler.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["counter-tui.log", *(f"counter-tui.log.{n}" for n in range(1, 6))]
    assert all(p.stat().st_size < 2100 for p in tmp_path.iterdir())
    assert "line 399" in (tmp_path / "counter-tui.log").read_text()
    assert handler.failure is None


@sqlite_only
def test_the_link_to_the_centre(office: Path) -> None:
    """Sync is a WARN at worst (the office works on without the centre), and says what to do:
    never started, then down since when and why, with the changes that wait."""
    import sqlite3

    centre = f"postgresql://counter@127.0.0.1:{closed_port()}/district"
    code, checks = doctor(office, COUNTER_TUI_SYNC__URL=centre)
    assert code == 0 and checks["sync"]["status"] == "WARN"
    assert "counter-tui sync now" in checks["sync"]["detail"]
    store = sqlite3.connect(office.parent / "data" / "counter.db")
    with store:
        store.execute("INSERT OR REPLACE INTO sync_state (id, enabled, office, acked_seq, "
                      "sent_rows, down_since, error) VALUES (1, 1, '', 0, 0, "
                      "'2026-12-01 08:00:00', 'connection refused')")
    store.close()
    code, checks = doctor(office, COUNTER_TUI_SYNC__URL=centre)
    assert code == 0 and checks["sync"]["status"] == "WARN"
    detail = checks["sync"]["detail"]
    assert "01/12/2026 08:00" in detail and "connection refused" in detail
    assert "counter@127.0.0.1" in detail and "password" not in detail


@sqlite_only
def test_a_scanner_not_installed_is_a_warning_that_says_what_to_install(office: Path) -> None:
    code, checks = doctor(office, COUNTER_TUI_SCANNER__COMMAND="no-such-scanimage")
    assert code == 0 and checks["scanner"]["status"] == "WARN"
    assert "sane-utils" in checks["scanner"]["detail"]
    said = run(office, "doctor", COUNTER_TUI_SCANNER__COMMAND="no-such-scanimage").stdout
    assert said.rstrip().endswith("mục CẢNH BÁO: xem hướng dẫn ở từng dòng.")
