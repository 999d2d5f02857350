"""Every printer connection against the simulated printer, a loopback socket, a pty or a fake
USB device; every wait bounded (loopback only, timeouts of a fraction of a second)."""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from counter_tui.config import PrinterConfig
from counter_tui.core.layout import Cut, Field, Slip, Text
from counter_tui.printing.decode import decode
from counter_tui.printing.render import render
from counter_tui.printing.simulator import Faults, NetworkPrinter, SerialPrinter, Session
from counter_tui.printing.spooler import deliver
from counter_tui.printing.transports import PrinterError, open_transport
from counter_tui.printing.transports.cups_queue import CupsTransport
from counter_tui.printing.transports.file import FileTransport
from counter_tui.printing.transports.network import NetworkTransport, parse_target
from counter_tui.printing.transports.serial_port import SerialTransport
from counter_tui.printing.transports.usb_device import UsbTransport
from tests.printing.helpers import receipt_slip
from tests.printing.simhelp import FAST, net_config, serial_config, wait_for_jobs

EVIL = "Nguyễn\x1b@\x1dV\x00 Văn\x10\x04\x01 Đạt\x1b\x74\x10\x1dV\x41\x00\x9b"


def _fails(send: Any, *args: Any) -> tuple[PrinterError, float]:
    started = time.monotonic()
    with pytest.raises(PrinterError) as info:
        send(*args)
    return info.value, time.monotonic() - started


# --- network ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("target", "expected"), [
    ("192.168.1.50", ("192.168.1.50", 9100)),
    ("printer.local:9101", ("printer.local", 9101)),
    ("[::1]:9100", ("::1", 9100)),
    ("[fe80::1]", ("fe80::1", 9100)),
    ("fe80::1", ("fe80::1", 9100)),
])
def test_network_targets(target: str, expected: tuple[str, int]) -> None:
    assert parse_target(target) == expected


@pytest.mark.parametrize("target", ["", "host:", "host:99999", "host:abc", "[::1", "a b:1"])
def test_a_bad_network_target_is_a_permanent_error_naming_the_key(target: str) -> None:
    error, _ = _fails(parse_target, target)
    assert not error.transient and "printer.target" in error.reason


def test_network_prints_and_the_simulator_keeps_bytes_text_and_png(
        net_printer: NetworkPrinter) -> None:
    config = net_config(net_printer)
    transport = open_transport(config)
    assert isinstance(transport, NetworkTransport) and transport.two_way
    status = transport.status()
    assert (status.answered, status.online, status.paper, status.ready) == (True, True, "ok", True)

    deliver(receipt_slip(), config)
    [job] = wait_for_jobs(net_printer, 1)
    assert job["outcome"] == "printed"
    folder = net_printer.folder
    data = (folder / job["file"]).read_bytes()
    assert data == render(receipt_slip(), config)  # the status queries are not in the job
    assert "Nguyễn Văn Đạt" in (folder / job["text"]).read_text(encoding="utf-8")
    assert (folder / job["png"]).read_bytes().startswith(b"\x89PNG")


def test_a_refused_connection_is_transient_and_quick() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    config = PrinterConfig(kind="network", target=f"127.0.0.1:{port}", **FAST)
    error, took = _fails(deliver, receipt_slip(), config)
    assert error.transient and "từ chối kết nối" in error.reason and took < 2
    status = open_transport(config).status()
    assert status.reachable is False and status.ready is False


def test_a_printer_that_does_not_accept_times_out_within_connect_timeout() -> None:
    """A listener whose backlog is full and which never accepts: SYNs go unanswered."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        port = server.getsockname()[1]
        fillers = []
        for _ in range(8):  # fill the accept queue; later connects hang in SYN_SENT
            c = socket.socket()
            c.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                c.connect(("127.0.0.1", port))
            fillers.append(c)
        time.sleep(0.05)
        config = PrinterConfig(kind="network", target=f"127.0.0.1:{port}",
                               connect_timeout=0.3, send_timeout=0.3)
        try:
            error, took = _fails(deliver, receipt_slip(), config)
        finally:
            for c in fillers:
                c.close()
    assert error.transient and took < 3
    assert "không trả lời trong 0.3 giây" in error.reason or "từ chối" in error.reason


def test_a_printer_that_stops_reading_fails_within_send_timeout(tmp_path: Path) -> None:
    """Accepts, never answers, never reads: the job fails after send_timeout, not 60 s."""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        config = PrinterConfig(kind="network", target=f"127.0.0.1:{server.getsockname()[1]}",
                               connect_timeout=0.2, send_timeout=0.3)
        error, took = _fails(open_transport(config).send, b"x" * 20_000_000)
    assert error.transient and "không nhận dữ liệu trong 0.3 giây" in error.reason
    assert took < 5


@pytest.mark.parametrize(("fault", "words"), [
    ("paper_out", "hết giấy"),
    ("cover_open", "Nắp máy in đang mở"),
    ("offline", "ngoại tuyến"),
    ("drop=100", "ngắt kết nối giữa chừng"),
])
def test_each_fault_fails_the_job_with_its_reason_then_prints_once_cleared(
        net_printer: NetworkPrinter, fault: str, words: str) -> None:
    config = net_config(net_printer)
    net_printer.set_faults(fault)
    error, took = _fails(deliver, receipt_slip(), config)
    assert error.transient and words in error.reason and took < 3
    assert [j["outcome"] for j in net_printer.jobs() if j["outcome"] == "printed"] == []

    net_printer.set_faults("clear")
    deliver(receipt_slip(), config)
    jobs = wait_for_jobs(net_printer, len(net_printer.jobs()) + 1)
    assert jobs[-1]["outcome"] == "printed"
    if fault.startswith("drop"):  # it may have printed: the reason says what it took
        assert jobs[0]["outcome"] == "dropped" and jobs[0]["bytes"] == error.taken
        assert error.maybe_printed and f"đã nhận {error.taken}/" in error.reason


def test_a_printer_gone_silent_is_taken_for_switched_off(net_printer: NetworkPrinter) -> None:
    config = net_config(net_printer)
    deliver(receipt_slip(), config)  # it answers: remembered
    net_printer.set_faults("slow=3")
    error, took = _fails(deliver, receipt_slip(), config)
    assert error.transient and "không trả lời" in error.reason
    assert took < 2  # the status timeout, min(1 s, connect_timeout)
    net_printer.set_faults("clear")
    deliver(receipt_slip(), config)
    assert wait_for_jobs(net_printer, 2)[-1]["outcome"] == "printed"


def test_a_printer_that_never_answers_status_still_gets_its_jobs() -> None:
    """A print server that takes jobs but ignores DLE EOT: status unknown, job sent."""
    received = bytearray()

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(4)

        def serve() -> None:
            for _ in range(2):
                conn, _ = server.accept()
                with conn:
                    while chunk := conn.recv(65536):
                        received.extend(chunk)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        config = PrinterConfig(kind="network", target=f"127.0.0.1:{server.getsockname()[1]}",
                               connect_timeout=0.3, send_timeout=1.0)
        status = open_transport(config).status()
        assert status.reachable and not status.answered and status.ready is None
        assert status.problem is None and status.paper is None
        open_transport(config).send(b"\x1b@hello\n")
        thread.join(3)
    assert received.endswith(b"\x1b@hello\n")


@pytest.mark.parametrize("size", [300, 62_000])  # a ticket, a raster receipt
def test_a_printer_that_accepts_but_never_reads_does_not_get_a_sent_job(size: int) -> None:
    """It accepts the connection and reads nothing (a hung printer, in a process that never
    heard from it before, as the CLI is): whatever the system's buffers took, the job is not
    "sent"; it may be in the printer's buffer, so it is one to check, not to resend."""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a printer's buffer
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        config = PrinterConfig(kind="network", target=f"127.0.0.1:{server.getsockname()[1]}",
                               connect_timeout=0.2, send_timeout=0.5)
        error, took = _fails(open_transport(config).send, b"\x1b@" + b"x" * size)
    assert error.maybe_printed and error.transient and took < 3
    assert "Chưa xác nhận" in error.reason or "không nhận dữ liệu" in error.reason


class _Answering:
    """A loopback printer that answers the status queries before a job, takes the job, then
    does what `after` says: "silent" (keeps the line, answers nothing), "paper_out" (answers
    that the paper ran out), or "close" (closes its side, answering nothing)."""

    def __init__(self, after: str) -> None:
        self.after, self.got = after, bytearray()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.server.getsockname()[1]}"

    def _serve(self) -> None:
        conn, _ = self.server.accept()
        with conn:
            conn.settimeout(3)
            session = Session(lambda: Faults.parse(""))
            conn.sendall(session.feed(conn.recv(9)))  # the status before the job
            while not self.got.endswith(b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"):
                chunk = conn.recv(65536)
                if not chunk:
                    return
                self.got += chunk
            if self.after == "paper_out":
                conn.sendall(bytes(Faults(paper_out=True).answer(n) for n in (1, 2, 4)))
            if self.after != "close":
                time.sleep(2)

    def close(self) -> None:
        self.thread.join(5)
        self.server.close()


@pytest.mark.parametrize(("after", "words"), [
    ("silent", "Chưa xác nhận: máy in không trả lời sau khi nhận phiếu"),
    ("paper_out", "Máy in dừng khi đang in phiếu: Máy in hết giấy"),
])
def test_a_printer_that_answered_before_the_job_is_asked_after_it(after: str,
                                                                  words: str) -> None:
    printer = _Answering(after)
    try:
        config = PrinterConfig(kind="network", target=printer.target, connect_timeout=0.5,
                               send_timeout=0.5)
        error, _ = _fails(open_transport(config).send, b"\x1b@ticket\n")
    finally:
        printer.close()
    assert printer.got.startswith(b"\x1b@ticket\n")  # asked after every byte of the job
    assert words in error.reason and error.maybe_printed
    assert "máy in đã nhận 9/9 byte" in error.reason


def test_a_printer_that_closes_after_reading_the_job_confirms_it() -> None:
    printer = _Answering("close")
    try:
        config = PrinterConfig(kind="network", target=printer.target, **FAST)
        open_transport(config).send(b"\x1b@ticket\n")  # no answer, but it read to the end
    finally:
        printer.close()


def test_the_simulated_printer_hung_with_stall_leaves_the_job_unconfirmed(
        net_printer: NetworkPrinter) -> None:
    config = net_config(net_printer, send_timeout=0.5)
    net_printer.set_faults("stall")
    error, _ = _fails(deliver, receipt_slip(), config)
    assert error.maybe_printed and "Chưa xác nhận" in error.reason
    net_printer.set_faults("clear")  # the hung printer comes back and prints what it had
    assert [j["outcome"] for j in wait_for_jobs(net_printer, 1)] == ["printed"]
    assert open_transport(config).status().answered  # the spooler's next reading: it answers
    deliver(receipt_slip(), config)
    net_printer.set_faults("stall")  # and silence is then a printer switched off or hung
    error, _ = _fails(deliver, receipt_slip(), config)
    assert "không trả lời" in error.reason and not error.maybe_printed  # nothing was sent


def test_control_bytes_in_user_text_never_reach_the_printer(
        net_printer: NetworkPrinter) -> None:
    config = net_config(net_printer)
    slip = Slip("receipt", (Text(EVIL), Field(EVIL, EVIL), Cut()))
    deliver(slip, config)
    [job] = wait_for_jobs(net_printer, 1)
    data = (net_printer.folder / job["file"]).read_bytes()
    assert data.count(b"\x1b@") == 1 and data.startswith(b"\x1b@")  # only the job's own reset
    assert b"\x10" not in data  # no DLE: no real-time command hidden in a name
    assert b"\x1dV\x41" not in data and b"\x00 V" not in data
    decoded = decode(data)
    assert decoded.text[0] == "Nguyễn@V Văn ĐạttVA"  # control bytes gone, printable kept
    assert decoded.cuts == 1 and decoded.unknown == []


# --- serial (a pseudo-terminal) --------------------------------------------------------------


def test_serial_prints_over_a_pty_and_reads_the_status(serial_printer: SerialPrinter) -> None:
    config = serial_config(serial_printer)
    transport = open_transport(config)
    assert isinstance(transport, SerialTransport)
    assert transport.status().ready is True
    deliver(receipt_slip(), config)
    [job] = wait_for_jobs(serial_printer, 1, timeout=5)
    assert job["outcome"] == "printed"
    data = (serial_printer.folder / job["file"]).read_bytes()
    assert data == render(receipt_slip(), config)
    assert "Nguyễn Văn Đạt" in (serial_printer.folder / job["text"]).read_text("utf-8")


@pytest.mark.parametrize("flow", ["xonxoff", "rtscts", "dsrdtr"])
def test_serial_flow_control_settings_open_the_line(serial_printer: SerialPrinter,
                                                    flow: str) -> None:
    config = serial_config(serial_printer, flow_control=flow, baudrate=9600)
    assert open_transport(config).status().answered


def test_serial_paper_out_fails_then_prints(serial_printer: SerialPrinter) -> None:
    config = serial_config(serial_printer)
    serial_printer.set_faults("paper_out")
    error, _ = _fails(deliver, receipt_slip(), config)
    assert error.transient and "hết giấy" in error.reason
    serial_printer.set_faults("clear")
    deliver(receipt_slip(), config)
    assert wait_for_jobs(serial_printer, 1, timeout=5)[-1]["outcome"] == "printed"


def test_serial_line_nobody_reads_fails_within_its_bound() -> None:
    pytest.importorskip("serial")
    import tty

    master, slave = os.openpty()
    tty.setraw(slave)
    try:
        config = PrinterConfig(kind="serial", target=os.ttyname(slave), baudrate=115200,
                               connect_timeout=0.2, send_timeout=0.3)
        error, took = _fails(open_transport(config).send, b"x" * 2_000_000)
    finally:
        os.close(master)
        os.close(slave)
    assert error.transient and "không nhận dữ liệu" in error.reason and took < 5


def test_a_missing_serial_device_is_named() -> None:
    pytest.importorskip("serial")
    config = PrinterConfig(kind="serial", target="/dev/ttyNOSUCH9", **FAST)
    error, _ = _fails(deliver, receipt_slip(), config)
    assert "Không có cổng nối tiếp /dev/ttyNOSUCH9" in error.reason


@pytest.fixture
def without(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Make a module unimportable, as on a machine where it is not installed."""
    def hide(*names: str) -> None:
        for name in names:
            monkeypatch.setitem(sys.modules, name, None)
    return hide


def test_missing_pyserial_names_the_extra(without: Any) -> None:
    without("serial")
    config = PrinterConfig(kind="serial", target="/dev/ttyUSB0")
    error, _ = _fails(deliver, receipt_slip(), config)
    assert not error.transient and "pip install 'counter-tui[serial]'" in error.reason
    assert "pyserial" in error.reason
    assert open_transport(config).status().reachable is False


# --- USB: the error paths without the library or device, the logic with a fake device -------


def test_missing_pyusb_names_the_extra(without: Any) -> None:
    without("usb", "usb.core", "usb.util")
    config = PrinterConfig(kind="usb", usb_vendor=0x04B8, usb_product=0x0E15)
    error, _ = _fails(deliver, receipt_slip(), config)
    assert not error.transient and "pip install 'counter-tui[usb]'" in error.reason


def test_usb_without_ids_names_the_keys() -> None:
    error, _ = _fails(deliver, receipt_slip(), PrinterConfig(kind="usb"))
    assert not error.transient and "printer.usb_vendor" in error.reason


def test_usb_without_libusb_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import usb.core

    def no_backend(**_: object) -> None:  # what pyusb does on a machine without libusb
        raise usb.core.NoBackendError("No backend available")

    monkeypatch.setattr(usb.core, "find", no_backend)
    config = PrinterConfig(kind="usb", usb_vendor=0x04B8, usb_product=0x0E15)
    error, _ = _fails(deliver, receipt_slip(), config)
    assert not error.transient and "libusb" in error.reason


class FakeUsbPrinter:
    """pyusb's device interface over the simulator's protocol: bulk OUT in, status IN out."""

    def __init__(self, faults: str = "", fail: int | None = None, accept: int = 64) -> None:
        from counter_tui.printing.simulator import Faults

        self.faults = Faults.parse(faults)
        self.session = Session(lambda: self.faults)
        self.pending = bytearray()
        self.fail, self.accept = fail, accept
        self.writes: list[tuple[int, int]] = []

    def write(self, ep: int, data: bytes, timeout: int) -> int:
        if self.fail is not None:
            raise OSError(self.fail, os.strerror(self.fail))
        taken = bytes(data[:self.accept])  # a USB transfer may take less than offered
        self.writes.append((ep, len(taken)))
        self.pending += self.session.feed(taken)
        return len(taken)

    def read(self, ep: int, size: int, timeout: int) -> bytes:
        if not self.pending:
            raise OSError(errno.ETIMEDOUT, "Operation timed out")
        out, self.pending = bytes(self.pending[:size]), self.pending[size:]
        return out


USB = PrinterConfig(kind="usb", usb_vendor=0x0416, usb_product=0x5011, usb_out_ep=0x03,
                    usb_in_ep=0x81, connect_timeout=0.2, send_timeout=0.2)


def test_usb_sends_in_transfers_to_the_out_endpoint_and_reads_status_from_in() -> None:
    device = FakeUsbPrinter()
    transport = UsbTransport(USB, device=device)
    assert transport.status().ready is True
    data = render(receipt_slip(), USB)
    deliver(receipt_slip(), USB, UsbTransport(USB, device=device))
    assert bytes(device.session.job) == data
    assert {ep for ep, _ in device.writes} == {0x03}
    assert len(device.writes) > len(data) // 64  # short transfers were continued


@pytest.mark.parametrize(("code", "transient", "words"), [
    (errno.ETIMEDOUT, True, "không nhận dữ liệu"),
    (errno.EACCES, False, "udev"),
    (errno.ENODEV, True, "rút ra"),
    (errno.EBUSY, True, "usblp"),
])
def test_usb_errors_are_classified(code: int, transient: bool, words: str) -> None:
    error, _ = _fails(UsbTransport(USB, device=FakeUsbPrinter(fail=code)).send, b"\x1b@x")
    assert error.transient is transient and words in error.reason
    assert "0416:5011" in error.reason


def test_usb_paper_out_is_not_sent() -> None:
    device = FakeUsbPrinter("paper_out")
    error, _ = _fails(UsbTransport(USB, device=device).send, b"\x1b@x")
    assert error.transient and "hết giấy" in error.reason and not device.session.job


# --- CUPS: the lp command (pycups absent) ---------------------------------------------------


@pytest.fixture
def fake_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, without: Any) -> Path:
    """`lp` and `lpstat` scripts first on PATH; pycups hidden."""
    without("cups")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "lp").write_text(
        "#!/bin/sh\n"
        'echo "$@" > "$LP_LOG.args"\n'
        'if [ "$2" = "missing" ]; then echo "lp: The printer or class does not exist." >&2;'
        " exit 1; fi\n"
        'cat > "$LP_LOG"\necho "request id is $2-7 (1 file(s))"\n')
    (bin_dir / "lpstat").write_text(
        "#!/bin/sh\n"
        'if [ "$2" = "stopped" ]; then echo "printer stopped disabled since now -"; '
        'echo "  media-empty-error"; else echo "printer $2 is idle.  enabled since now"; fi\n')
    for name in ("lp", "lpstat"):
        (bin_dir / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("LP_LOG", str(tmp_path / "lp.out"))
    return tmp_path / "lp.out"


def test_cups_without_pycups_sends_raw_with_lp(fake_lp: Path) -> None:
    config = PrinterConfig(kind="cups", target="thermal", **FAST)
    assert CupsTransport.client() == "lp"
    deliver(receipt_slip(), config)
    assert fake_lp.read_bytes() == render(receipt_slip(), config)
    assert fake_lp.with_suffix(".out.args").read_text().split()[:4] == [
        "-d", "thermal", "-o", "raw"]
    assert open_transport(config).status().ready is True


def test_cups_unknown_queue_is_permanent_and_stopped_queue_shows(fake_lp: Path) -> None:
    error, _ = _fails(deliver, receipt_slip(), PrinterConfig(kind="cups", target="missing"))
    assert not error.transient and "missing" in error.reason
    status = open_transport(PrinterConfig(kind="cups", target="stopped")).status()
    assert (status.online, status.paper, status.ready) == (False, "out", False)


def test_cups_with_neither_client_says_what_to_install(without: Any,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    without("cups")
    monkeypatch.setenv("PATH", str(tmp_path))
    error, _ = _fails(deliver, receipt_slip(), PrinterConfig(kind="cups", target="thermal"))
    assert not error.transient
    assert "counter-tui[cups]" in error.reason and "cups-client" in error.reason


# --- file -------------------------------------------------------------------------------------


def test_file_is_one_way_with_unknown_status(tmp_path: Path) -> None:
    transport = open_transport(PrinterConfig(target=str(tmp_path / "p.out")))
    assert isinstance(transport, FileTransport) and not transport.two_way
    status = transport.status()
    assert status.reachable is None and status.ready is None and status.problem is None


def test_network_never_waits_python_escpos_60_seconds() -> None:
    """The transport is a bounded socket, not escpos' Network (timeout=60 by default)."""
    transport = NetworkTransport(replace(PrinterConfig(kind="network", target="127.0.0.1")))
    assert not hasattr(transport, "device")
    assert transport.status_timeout <= 1.0



# --- CUPS: pycups (a stand-in module with pycups' interface) --------------------------------


class FakeCups:
    """The part of pycups the transport uses: Connection.printFile / getPrinterAttributes."""

    class IPPError(Exception):
        pass

    printed: list[tuple[str, bytes, dict[str, str]]] = []
    attributes: dict[str, Any] = {"printer-state": 3, "printer-state-reasons": ["none"]}

    class Connection:
        def printFile(self, queue: str, path: str, title: str,
                      options: dict[str, str]) -> int:
            if queue == "missing":
                raise FakeCups.IPPError(1030, "The printer or class does not exist.")
            FakeCups.printed.append((queue, Path(path).read_bytes(), options))
            return 7

        def getPrinterAttributes(self, queue: str) -> dict[str, Any]:
            return FakeCups.attributes


def test_cups_with_pycups_sends_a_raw_job_and_reads_the_queue_state(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cups", FakeCups)
    monkeypatch.setattr(FakeCups, "printed", [])
    config = PrinterConfig(kind="cups", target="thermal")
    assert CupsTransport.client() == "pycups"
    deliver(receipt_slip(), config)
    [(queue, data, options)] = FakeCups.printed
    assert (queue, data, options) == ("thermal", render(receipt_slip(), config), {"raw": "true"})
    assert open_transport(config).status().ready is True
    monkeypatch.setattr(FakeCups, "attributes", {
        "printer-state": 5, "printer-state-reasons": ["media-empty-error", "door-open-report"]})
    status = open_transport(config).status()
    assert (status.online, status.paper, status.cover_open) == (False, "out", True)
    error, _ = _fails(deliver, receipt_slip(), PrinterConfig(kind="cups", target="missing"))
    assert not error.transient and "does not exist" in error.reason


def test_a_folder_where_the_printer_file_should_be_is_said_in_the_language(
        tmp_path: Path) -> None:
    from counter_tui.core.i18n import set_language

    folder = tmp_path / "printer.out"
    folder.mkdir()
    with pytest.raises(PrinterError) as exc:
        FileTransport(str(folder)).send(b"x")
    assert not exc.value.transient
    assert "đó là một thư mục, không phải tệp" in str(exc.value)
    assert "Is a directory" not in str(exc.value)
    set_language("en")
    with pytest.raises(PrinterError) as exc:
        FileTransport(str(folder)).send(b"x")
    assert "it is a folder, not a file" in str(exc.value)
