"""What the real `counter-tui` says when the machine, not the request, is wrong: a data folder
that is missing (an unmounted share), read-only, or on a full disk; a store locked by another
program or read-only; a PostgreSQL server that refuses or is not there; bytes that are not
UTF-8 in an argument; control characters in what is echoed; a reader that closes the pipe.
Each is one line that says what is wrong and what to do, the exit code the README gives, and
never a traceback (on the terminal or in the log) or a new, empty store.

The read-only and full-disk cases need a file system that really refuses: as root (CI) a
read-only bind mount and a small tmpfs, which root cannot write through; as another user, a
folder without write permission (and no full-disk case).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import PostgresServer, clean_env
from tests.test_cli_queue import CLI

ROOT = os.geteuid() == 0


def one_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    """The single line on stderr of a command that exited `code` with nothing on stdout."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Logging error" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """`path` (a folder or a file) refuses every write, root's too."""
    if ROOT:
        if not (_mount("--bind", str(path), str(path))
                and _mount("-o", "remount,ro,bind", str(path))):
            subprocess.run(["umount", str(path)], capture_output=True)
            pytest.skip("cannot make a read-only bind mount here")
        try:
            yield
        finally:
            subprocess.run(["umount", str(path)], check=True)
        return
    mode = path.stat().st_mode
    path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        path.chmod(mode)


@pytest.fixture
def cli(tmp_path: Path, write_config: Callable[..., Path]) -> CLI:
    return CLI(write_config(tmp_path))


# --- item 18: a missing data folder is an error, never a new store


def test_a_missing_data_folder_stops_with_a_message_and_creates_nothing(
        tmp_path: Path, write_config: Callable[..., Path]) -> None:
    share = tmp_path / "share"  # the office keeps its store on a share, not mounted today
    config = write_config(tmp_path, database={"url": f"sqlite:///{share / 'counter.db'}"})
    cli = CLI(config)
    line = one_line(cli("ticket", "issue", "A"), 2)
    assert line.startswith(f"Không có thư mục dữ liệu {share} (ổ đĩa hoặc thư mục chia sẻ "
                           "chưa được gắn?). Chưa lưu gì.")
    assert "counter-tui init" in line
    assert not share.exists()
    one_line(cli("dossier", "find", "an"), 2)  # reading is refused the same way
    assert not share.exists()

    # the first setup, on purpose: the folder (one level) and the store, then it works
    created = cli("init")
    assert created.returncode == 0, created.stderr
    assert created.stdout == f"Đã tạo cơ sở dữ liệu mới: sqlite:///{share / 'counter.db'}\n"
    issued = cli.json("ticket", "issue", "A")
    assert issued["number"] == "A001"
    again = cli("init")
    assert again.returncode == 0
    assert again.stdout.startswith("Cơ sở dữ liệu đã có, không tạo mới:")
    assert "(0 hồ sơ, 1 số thứ tự)" in again.stdout
    assert cli.json("ticket", "issue", "A")["number"] == "A002"  # the same store


def test_init_never_makes_a_whole_missing_path(tmp_path: Path,
                                               write_config: Callable[..., Path]) -> None:
    mount_point = tmp_path / "mnt" / "nas"  # an unmounted drive: its mount point is missing
    cli = CLI(write_config(tmp_path, database={
        "url": f"sqlite:///{mount_point / 'counter' / 'counter.db'}"}))
    line = one_line(cli("init"), 2)
    assert f"Không có thư mục dữ liệu {mount_point}" in line
    assert not (tmp_path / "mnt").exists()


def test_the_log_does_not_create_the_data_folder(tmp_path: Path,
                                                 write_config: Callable[..., Path]) -> None:
    config = write_config(tmp_path)
    (tmp_path / "data").rmdir()  # a fresh folder without the data folder the app ships
    cli = CLI(config)
    one_line(cli("ticket", "issue", "A"), 2)
    assert not (tmp_path / "data").exists()


def test_an_in_memory_store_is_refused(tmp_path: Path, write_config: Callable[..., Path]) -> None:
    cli = CLI(write_config(tmp_path, database={"url": "sqlite:///:memory:"}))
    line = one_line(cli("ticket", "issue", "A"), 2)
    assert line.startswith("cấu hình: database.url = 'sqlite:///:memory:' không hợp lệ")


# --- item 19: the machine's faults, each one line and exit 2


def test_a_read_only_data_folder(cli: CLI, tmp_path: Path) -> None:
    data = tmp_path / "data"
    with read_only(data):
        line = one_line(cli("ticket", "issue", "A"), 2)
    assert line.startswith("Không ghi được vào cơ sở dữ liệu")
    assert "chỉ cho đọc" in line and "quyền ghi" in line


def test_a_read_only_store_file(cli: CLI, tmp_path: Path) -> None:
    assert cli.json("ticket", "issue", "A")["number"] == "A001"
    store = tmp_path / "data" / "counter.db"
    with read_only(store):
        line = one_line(cli("ticket", "issue", "A"), 2)
    assert line.startswith("Không ghi được vào cơ sở dữ liệu")
    assert cli.json("ticket", "issue", "A")["number"] == "A002"  # nothing half-written


def test_a_store_locked_by_another_program(cli: CLI, tmp_path: Path) -> None:
    assert cli.json("ticket", "issue", "A")["number"] == "A001"
    viewer = sqlite3.connect(tmp_path / "data" / "counter.db", isolation_level=None)
    try:
        viewer.execute("BEGIN IMMEDIATE")  # a database viewer holding the write lock
        line = one_line(cli("ticket", "issue", "A"), 2)
    finally:
        viewer.close()
    assert line.startswith("Cơ sở dữ liệu sqlite:///")
    assert "đang bị chương trình khác khóa" in line and "Chưa lưu gì" in line
    assert cli.json("ticket", "issue", "A")["number"] == "A002"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if not ROOT:
        pytest.skip("a full disk is simulated with a tmpfs, which needs root")
    disk = Path(tempfile.mkdtemp(prefix="counter-tui-full-"))
    if not _mount("-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)):
        disk.rmdir()
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=True)
        disk.rmdir()


def test_a_full_disk(small_disk: Path, write_config: Callable[..., Path]) -> None:
    office = small_disk / "office"
    office.mkdir()
    cli = CLI(write_config(office))
    assert cli.json("ticket", "issue", "A")["number"] == "A001"
    filler = small_disk / "filler"
    # the close too: it flushes again what the full disk refused, and fails the same way
    with contextlib.suppress(OSError), filler.open("wb") as fh:
        while True:
            fh.write(b"\0" * 65536)
            fh.flush()
    for _ in range(5):  # each attempt the same: one line, no "--- Logging error ---"
        done = cli("dossier", "add", "--procedure", "HT-KS", "--name", "Nguyễn Văn An",
                   "--phone", "0912345678", "--address", "x" * 200, "--note", "y" * 1000)
        if done.returncode == 0:  # what was left of the disk took it
            continue
        line = one_line(done, 2)
        assert "đã đầy" in line and "Giải phóng dung lượng" in line
        break
    else:
        pytest.fail("the disk never filled")
    filler.unlink()
    assert cli.json("ticket", "issue", "A")["number"] == "A002"


@pytest.mark.postgres
def test_unreachable_postgres_and_a_refused_user_exit_2(
        tmp_path: Path, write_config: Callable[..., Path], pg_server: PostgresServer) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    cli = CLI(write_config(tmp_path, database={
        "url": f"postgresql://counter:s3cret@127.0.0.1:{closed}/counter"}))
    line = one_line(cli("ticket", "issue", "A"), 2)
    assert line.startswith("Không kết nối được cơ sở dữ liệu (postgresql://***@127.0.0.1:")
    assert "s3cret" not in line

    url = pg_server.url("postgres").replace("//counter@", "//nobody:wrong@")
    cli = CLI(write_config(tmp_path, database={"url": url}))
    line = one_line(cli("ticket", "issue", "A"), 2)
    assert "từ chối tên đăng nhập hoặc mật khẩu" in line and "wrong" not in line


# --- item 21: arguments that are not UTF-8


def test_an_argument_that_is_not_utf8_is_refused(cli: CLI, tmp_path: Path) -> None:
    tcvn3 = b"Nguy\xd4n V\xaen An"  # "Nguyễn Văn An" typed with a TCVN3 keyboard table
    done = subprocess.run(
        [sys.executable.encode(), b"-m", b"counter_tui", b"--config", bytes(cli.config),
         b"dossier", b"add", b"--procedure", b"HT-KS", b"--name", tcvn3, b"--phone",
         b"0912345678"], capture_output=True, env=clean_env(), timeout=60)
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2, err
    assert done.stdout == b"" and "Traceback" not in err
    assert err.startswith("Tham số «Nguy") and "không phải UTF-8" in err
    assert "Chưa làm gì" in err and len(err.strip().splitlines()) == 1
    found = cli("dossier", "find", "an", "--json")
    assert json.loads(found.stdout)["items"] == []  # nothing was stored


# --- item 22: control characters never reach the terminal raw

ESCAPES = ("\x1b", "\x07", "\x9b", "\x90", "\u202e")


def test_echoed_arguments_are_neutralised(cli: CLI) -> None:
    done = cli("dossier", "add", "--procedure", "HT-KS", "--name", "Nguyễn Văn An",
               "--phone", "0912345678", "--doc", "\x1b]0;pwned\x07\u202eX")
    assert done.returncode == 1
    assert "]0;pwned" in done.stderr  # said, but harmless
    assert not any(ch in done.stderr + done.stdout for ch in ESCAPES)

    done = cli("printer", "fault", "\x1b[2J\x1b[31mpaper", "\x9b2J")
    assert done.returncode == 2 and "paper" in done.stderr
    assert not any(ch in done.stderr for ch in ESCAPES)


# --- item 34: exit codes as the README says, and a closed pipe


def test_usage_errors_exit_2(cli: CLI, tmp_path: Path) -> None:
    assert one_line(cli("printer", "fault", "bogus"), 2).startswith(
        "Tên lỗi giả không đúng: unknown fault 'bogus'")
    line = one_line(cli("report", "day", "--format", "xlsx"), 2)
    assert line == "Định dạng xlsx cần --output TỆP"
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    line = one_line(cli("report", "day", "--format", "json", "--output",
                        str(tmp_path / "a-file" / "day.json")), 2)
    assert line.startswith("Không dùng được ") and "day.json" in line


def test_printer_fault_needs_a_running_simulated_printer(cli: CLI, tmp_path: Path) -> None:
    typo = tmp_path / "simulated-printr"
    line = one_line(cli("printer", "fault", "--dir", str(typo), "paper_out"), 2)
    assert line.startswith(f"Không có thư mục {typo}")
    assert not typo.exists()
    stopped = tmp_path / "stopped"  # a simulated printer ran here once
    stopped.mkdir()
    (stopped / "port").write_text("9\n", encoding="utf-8")
    line = one_line(cli("printer", "fault", "--dir", str(stopped), "paper_out"), 1)
    assert line.startswith(f"Không có máy in giả lập nào đang chạy ở {stopped}")
    assert not (stopped / "fault").exists()


def test_printer_status_of_cups_without_a_client_is_not_ok(
        tmp_path: Path, write_config: Callable[..., Path]) -> None:
    try:
        import cups  # noqa: F401
        pytest.skip("pycups is installed: this machine has a CUPS client")
    except ImportError:
        pass
    cli = CLI(write_config(tmp_path, printer={"kind": "cups", "target": "quay1"}))
    env = clean_env(PATH=str(tmp_path / "no-bin"))  # neither lp nor lpstat
    done = subprocess.run([sys.executable, "-m", "counter_tui", "--config", str(cli.config),
                           "printer", "status"], capture_output=True, text=True, env=env,
                          timeout=60)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Không có CUPS" in done.stdout


def test_a_closed_pipe_ends_quietly(cli: CLI) -> None:
    assert cli.json("ticket", "issue", "A")["number"] == "A001"
    reader, writer = os.pipe()
    os.close(reader)  # `| head` that has already gone
    try:
        done = subprocess.run(
            [sys.executable, "-m", "counter_tui", "--config", str(cli.config), "report",
             "day", "--format", "csv"], stdout=writer, stderr=subprocess.PIPE, text=True,
            env=cli.env(), timeout=60)
    finally:
        os.close(writer)
    assert done.returncode == 0
    assert done.stderr == ""
    log = cli.config.parent / "data" / "counter-tui.log"
    assert not log.exists() or "Traceback" not in log.read_text(encoding="utf-8")


# --- items 23 and 32: dossier add says each problem once; one print rule for every slip


def test_dossier_add_says_each_problem_once_under_its_option(cli: CLI) -> None:
    done = cli("dossier", "add", "--procedure", "HT-KS", "--name", "x", "--phone", "12")
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert lines[0] == "Hồ sơ chưa lưu, còn 2 chỗ cần sửa:"
    assert lines[1].startswith("  --name: Họ tên quá ngắn.")
    assert lines[2].startswith("  --phone: Số điện thoại không đúng (có 2 chữ số)")
    assert len(lines) == 3


def test_a_receipt_that_did_not_print_exits_1_like_a_ticket(
        tmp_path: Path, write_config: Callable[..., Path]) -> None:
    blocked = tmp_path / "printer-is-a-folder"
    blocked.mkdir()
    cli = CLI(write_config(tmp_path, printer={"target": str(blocked)}))
    ticket = cli("ticket", "issue", "A")
    dossier = cli("dossier", "add", "--procedure", "HT-KS", "--name", "Nguyễn Văn An",
                  "--phone", "0912345678")
    for done in (ticket, dossier):
        assert done.returncode == 1, (done.stdout, done.stderr)
        assert "in: CHƯA IN ĐƯỢC (lỗi in: " in done.stdout
        assert "in lại: counter-tui printer jobs --retry " in done.stdout
    assert dossier.stdout.startswith("Đã tiếp nhận 000.17.22.H56-")  # stored all the same
    code = dossier.stdout.split()[3].rstrip(";")
    assert cli.json("dossier", "show", code)["applicant_name"] == "Nguyễn Văn An"


def test_an_unknown_ticket_is_named_not_a_crash(cli: CLI) -> None:
    done = cli("dossier", "add", "--procedure", "HT-KS", "--name", "Nguyễn Văn An",
               "--phone", "0912345678", "--ticket", "9999")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "Hồ sơ chưa lưu, còn 1 chỗ cần sửa:",
        "  --ticket: Không có số thứ tự mã 9999: bỏ trống, hoặc chọn số thứ tự đang phục vụ"]


def test_printer_jobs_columns_line_up(cli: CLI) -> None:
    cli("ticket", "issue", "A")
    cli("dossier", "add", "--procedure", "HT-KS", "--name", "Nguyễn Văn An",
        "--phone", "0912345678")
    lines = cli("printer", "jobs").stdout.splitlines()
    assert lines[0].split() == ["Mã", "Lúc", "tạo", "Phiếu", "Loại", "Trạng", "thái", "Lần",
                                "Lỗi"]
    starts = [[line.index(word) for word in ("biên nhận", "đã in")] for line in lines[1:2]]
    ticket_starts = [[line.index(word) for word in ("số thứ tự", "đã in")]
                     for line in lines[2:3]]
    assert starts == ticket_starts  # the kind and the state start at one column
    assert lines[0].index("Loại") == starts[0][0]


def test_import_rejections_cannot_drive_the_terminal(cli: CLI, tmp_path: Path) -> None:
    crafted = tmp_path / "crafted.csv"
    crafted.write_text(
        "code,office,procedure_code,channel,level,applicant_name,received_at,due_at,"
        "resolved_at,returned_at,status\n"
        "X-1\x1b]0;owned\x07,000.17.22.H56,HT-KS,\x1b[2J\x9b3J,,An,2025-03-02 08:30,,,,2\n"
        "X-2,000.17.22.H56,HT-KS,walk_in,\u202emot phan,An,2025-03-02 08:30,,,,2\n",
        encoding="utf-8")
    done = cli("dossier", "import", str(crafted))
    assert done.returncode == 0, done.stderr
    assert not any(ch in done.stdout + done.stderr for ch in ESCAPES)
    assert "dòng 2 [X-1 ]0;owned]" in done.stdout  # still says which row and why
    assert "[2J3J" in done.stdout
    data = json.loads(cli("dossier", "import", str(crafted), "--json").stdout)
    assert data["rejected"][0]["reason"].startswith("kênh '\x1b[2J\x9b3J'")  # JSON: exact
    raw = cli("dossier", "import", str(crafted), "--json").stdout
    assert not any(ch in raw for ch in ESCAPES)  # ... and escaped on the way


def test_import_says_what_its_open_dossiers_will_do(cli: CLI, tmp_path: Path) -> None:
    history = tmp_path / "open.csv"
    history.write_text(
        "code,office,procedure_code,channel,level,applicant_name,received_at,due_at,"
        "resolved_at,returned_at,status\n"
        "000.17.22.H56-250401-0001,000.17.22.H56,HT-KS,walk_in,,An,2025-04-01 08:00,"
        "2025-04-03 17:00,,,4\n", encoding="utf-8")
    out = cli("dossier", "import", str(history)).stdout.splitlines()
    assert out[1].startswith("Trong số hồ sơ đã thêm có 1 hồ sơ chưa giải quyết xong")
    assert "1 hồ sơ của cơ quan này đã quá hạn" in out[1]
    board = cli("report", "day", "--format", "json")
    assert json.loads(board.stdout)["overdue"] == 1


# --- the log: never in the way, and missing it is said


def test_a_log_on_a_full_disk_stays_quiet_and_remembers_why(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import errno
    import io
    import logging

    from counter_tui.cli import QuietLog

    class FullDisk(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    handler = QuietLog(tmp_path / "counter-tui.log")
    handler.stream = FullDisk()
    logger = logging.getLogger("counter_tui.test.full_disk")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        for _ in range(5):
            logger.warning("a slip failed")
    finally:
        logger.removeHandler(handler)
    assert capsys.readouterr().err == ""  # no "--- Logging error ---"
    assert isinstance(handler.failure, OSError) and handler.failure.errno == errno.ENOSPC

    missing = QuietLog(tmp_path / "gone" / "counter-tui.log")
    missing.emit(logging.makeLogRecord({"msg": "x"}))
    assert not (tmp_path / "gone").exists()  # the log never makes the data folder
    assert isinstance(missing.failure, FileNotFoundError)


def test_an_unexpected_error_says_when_its_log_could_not_be_written(
        tmp_path: Path, write_config: Callable[..., Path], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    from counter_tui import cli as cli_module
    from counter_tui.services import queue

    (tmp_path / "store").mkdir()
    config = write_config(tmp_path, database={"url": f"sqlite:///{tmp_path / 'store' / 'c.db'}"})
    (tmp_path / "data").rmdir()
    (tmp_path / "data").write_text("", encoding="utf-8")  # where the log should go: a file

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(queue, "issue", broken)
    handlers = logging.getLogger().handlers[:]
    try:
        code = cli_module.main(["--config", str(config), "ticket", "issue", "A"])
    finally:
        logging.getLogger().handlers[:] = handlers
    err = capsys.readouterr().err
    assert code == 3
    assert err.startswith("Đã xảy ra lỗi không mong muốn (RuntimeError); dữ liệu đã lưu vẫn an "
                          "toàn. Không ghi được nhật ký ")
    assert len(err.strip().splitlines()) == 1


def test_init_on_postgresql_without_its_driver_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The driver is checked before config.toml is written: once it is installed, the same
    `init` runs as given, instead of being refused for the file it left behind."""
    import argparse
    import importlib.util

    from counter_tui.commands import setup
    from counter_tui.services.store import StoreUnavailable

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "psycopg2" else real(name, *a))
    monkeypatch.setenv("COUNTER_TUI_DATABASE__URL", "postgresql://counter@127.0.0.1:1/district")
    target = tmp_path / "centre" / "config.toml"
    args = argparse.Namespace(config=str(target), language=None, force=False, defaults=True,
                              office_name="UBND huyện", agency_code="000.00.22.H56", data="data")
    with pytest.raises(StoreUnavailable) as refused:
        setup.prepare(args)
    assert "pip install '.[postgres]'" in str(refused.value)
    assert not target.exists()


def test_init_says_it_created_a_store_in_an_empty_postgresql_database(
        tmp_path: Path, write_config: Callable[..., Path], pg_server: PostgresServer) -> None:
    """The technician made the database empty: init creates the store in it (and says so),
    and a second init finds it."""
    from tests.test_cli_queue import CLI

    url = pg_server.create_database(pg_server.new_name("empty"))
    cli = CLI(write_config(tmp_path, database={"url": url}))
    first = json.loads(cli("init", "--json").stdout)
    again = json.loads(cli("init", "--json").stdout)
    assert first["created"] is True and again["created"] is False
