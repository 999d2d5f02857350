"""The technician's commands end to end: the real `counter-tui printer serve` on a free
loopback port, tickets printed to it by the real CLI over the network, faults set from the CLI,
the test page, status, the queue and the preview. Every child process is bounded in time."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import clean_env, staff_key

CLI = [sys.executable, "-m", "counter_tui"]


class Office:
    def __init__(self, config: Path, sim_dir: Path, port: int) -> None:
        self.config, self.sim_dir, self.port = config, sim_dir, port

    def run(self, *args: str, network: bool = True, check: int | None = 0) -> Any:
        env = clean_env(COUNTER_TUI_KEY=staff_key(self.config))  # the counter's officer
        if network:
            env.update(COUNTER_TUI_PRINTER__KIND="network",
                       COUNTER_TUI_PRINTER__TARGET=f"127.0.0.1:{self.port}",
                       COUNTER_TUI_PRINTER__CONNECT_TIMEOUT="1.0",
                       COUNTER_TUI_PRINTER__SEND_TIMEOUT="2.0")
        done = subprocess.run([*CLI, "--config", str(self.config), *args], env=env,
                              capture_output=True, text=True, timeout=60)
        if check is not None:
            assert done.returncode == check, (done.stdout, done.stderr)
        return done

    def printed(self, count: int, timeout: float = 15) -> list[dict[str, Any]]:
        log = self.sim_dir / "jobs.jsonl"
        deadline = time.monotonic() + timeout
        while True:
            jobs = [json.loads(line) for line in log.read_text("utf-8").splitlines()] \
                if log.exists() else []
            printed = sorted((j for j in jobs if j["outcome"] == "printed"),
                             key=lambda j: j["number"])
            if len(printed) >= count:
                return printed
            assert time.monotonic() < deadline, f"{count} printed jobs expected: {jobs}"
            time.sleep(0.05)

    def text(self, job: dict[str, Any]) -> str:
        return (self.sim_dir / job["text"]).read_text(encoding="utf-8")


@pytest.fixture
def office(tmp_path: Path, write_config: Callable[..., Path]) -> Iterator[Office]:
    config = write_config(tmp_path)
    sim_dir = tmp_path / "sim"
    server = subprocess.Popen(
        [*CLI, "--config", str(config), "printer", "serve", "--port", "0", "--dir",
         str(sim_dir)], env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    try:
        deadline = time.monotonic() + 30
        port_file = sim_dir / "port"
        while not (port_file.exists() and port_file.read_text().strip()):
            assert server.poll() is None, server.communicate()
            assert time.monotonic() < deadline, "the simulated printer did not start"
            time.sleep(0.05)
        yield Office(config, sim_dir, int(port_file.read_text()))
    finally:
        server.terminate()
        try:
            server.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate(timeout=10)
    assert server.returncode == 0


def test_a_ticket_printed_by_the_cli_reaches_the_simulated_printer(office: Office) -> None:
    done = office.run("ticket", "issue", "A", "--json")
    assert json.loads(done.stdout)["print"]["status"] == "sent"
    [job] = office.printed(1)
    text = office.text(job)
    assert "A001" in text and "SỐ THỨ TỰ" in text and "Hộ tịch" in text
    assert (office.sim_dir / job["png"]).stat().st_size > 1000

    done = office.run("printer", "preview", str(office.sim_dir / job["file"]), "--png",
                      str(office.sim_dir / "again.png"), network=False)
    assert "A001" in done.stdout and (office.sim_dir / "again.png").exists()


def test_faults_status_test_page_and_retry_from_the_cli(office: Office) -> None:
    status = office.run("printer", "status", "--json")
    assert json.loads(status.stdout)["ready"] is True

    office.run("printer", "fault", "--dir", str(office.sim_dir), "paper_out", network=False)
    status = office.run("printer", "status", check=1)
    assert "hết giấy" in status.stdout
    failed = office.run("printer", "test", check=1)
    assert "hết giấy" in failed.stderr
    kiosk = office.run("ticket", "issue", "B", "--json", check=1)
    job = json.loads(kiosk.stdout)["print"]
    assert job["status"] == "failed" and "hết giấy" in job["error"]

    listed = json.loads(office.run("printer", "jobs", "--failed", "--json").stdout)
    assert [(j["id"], j["label"], j["state"]) for j in listed] == [(job["job"], "B001",
                                                                     "failed")]
    office.run("printer", "fault", "--dir", str(office.sim_dir), "clear", network=False)
    retried = office.run("printer", "jobs", "--retry", str(job["job"]))
    assert "Lệnh in" in retried.stdout and "đã in" in retried.stdout
    office.run("printer", "test", "--mode", "cp1258")
    first, second = office.printed(2)
    assert "B001" in office.text(first)
    page = office.text(second)
    assert "cp1258" in page and "Ư Ừ Ứ Ử Ữ Ự" in page and "ư ừ ứ ử ữ ự" in page
    assert "80 mm, 48 cột, 576 điểm" in page and "[QR counter-tui test cp1258 80mm]" in page
    assert office.run("printer", "jobs", "--failed").stdout.strip() == "Không có lệnh in nào"


def test_a_ticket_killed_while_printing_is_listed_and_can_be_reprinted(
        office: Office, tmp_path: Path) -> None:
    """kill -9 of `ticket issue` while its slip is being sent: the job is not left "sending"
    for ever; the next `printer jobs` lists it as one to check, and --retry reprints it."""
    import signal
    import sqlite3

    office.run("printer", "fault", "--dir", str(office.sim_dir), "slow=20", network=False)
    env = clean_env(COUNTER_TUI_KEY=staff_key(office.config), COUNTER_TUI_PRINTER__KIND="network",
                    COUNTER_TUI_PRINTER__TARGET=f"127.0.0.1:{office.port}",
                    COUNTER_TUI_PRINTER__CONNECT_TIMEOUT="1.0",
                    COUNTER_TUI_PRINTER__SEND_TIMEOUT="20.0")
    kiosk = subprocess.Popen([*CLI, "--config", str(office.config), "ticket", "issue", "A"],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    store = tmp_path / "data" / "counter.db"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert kiosk.poll() is None and time.monotonic() < deadline, "never sending"
            if store.exists():
                with sqlite3.connect(store) as db, \
                        contextlib.suppress(sqlite3.OperationalError):  # not migrated yet
                    if db.execute("SELECT state FROM print_job").fetchall() == [("sending",)]:
                        break
            time.sleep(0.05)
        kiosk.send_signal(signal.SIGKILL)
    finally:
        kiosk.kill()
        kiosk.wait(10)
    office.run("printer", "fault", "--dir", str(office.sim_dir), "clear", network=False)

    [listed] = json.loads(office.run("printer", "jobs", "--failed", "--json").stdout)
    assert (listed["label"], listed["state"]) == ("A001", "unsure")
    assert "gián đoạn" in listed["error"]
    retried = office.run("printer", "jobs", "--retry", str(listed["id"]), "--json")
    assert json.loads(retried.stdout)["state"] == "sent"
    assert any("A001" in office.text(job) for job in office.printed(1))
    assert office.run("printer", "jobs", "--failed").stdout.strip() == "Không có lệnh in nào"


def test_a_ticket_to_a_hung_printer_is_unconfirmed_not_sent(office: Office) -> None:
    """The printer accepts the connection and never reads: `ticket issue` says the slip is
    unconfirmed (exit 1), and the ticket is one to check, not a ticket handed out."""
    office.run("printer", "fault", "--dir", str(office.sim_dir), "stall", network=False)
    done = office.run("ticket", "issue", "A", "--json", check=1)
    job = json.loads(done.stdout)["print"]
    assert job["status"] == "unsure" and "Chưa xác nhận" in job["error"]
    [listed] = json.loads(office.run("printer", "jobs", "--failed", "--json").stdout)
    assert (listed["id"], listed["state"]) == (job["job"], "unsure")


def test_people_read_slip_kinds_and_states_in_words_in_aligned_columns(office: Office) -> None:
    """No internal name (ticket, receipt, sent, failed) reaches an officer."""
    issued = office.run("ticket", "issue", "A")
    assert "in: đã in" in issued.stdout and "sent" not in issued.stdout
    office.run("printer", "fault", "--dir", str(office.sim_dir), "paper_out", network=False)
    failed = office.run("ticket", "issue", "B", check=1)
    assert "in: CHƯA IN ĐƯỢC (lỗi in: " in failed.stdout and "failed" not in failed.stdout
    office.run("dossier", "add", "--procedure", "HT-KS", "--name", "Nguyễn Văn An",
               "--phone", "0912345678", check=None)

    lines = office.run("printer", "jobs").stdout.splitlines()
    assert len(lines) == 4  # the headings and three jobs
    assert lines[0].split()[:4] == ["Mã", "Lúc", "tạo", "Phiếu"]
    for raw in ("ticket", "receipt", "sent", "failed", "queued"):
        assert all(raw not in line.split() for line in lines), (raw, lines)
    assert "biên nhận hồ sơ" in lines[1] and "số thứ tự" in lines[3]
    assert "lỗi in" in lines[1] and "lỗi in" in lines[2] and "đã in" in lines[3]
    state_at = lines[0].index("Trạng thái")
    assert {line.index(state) for line, state in zip(
        lines[1:], ("lỗi in", "lỗi in", "đã in"), strict=True)} == {state_at}


def test_serve_refuses_a_non_loopback_address(office: Office) -> None:
    done = office.run("printer", "serve", "--host", "0.0.0.0", "--port", "0", network=False,
                      check=1)
    assert "127.0.0.1" in done.stderr
