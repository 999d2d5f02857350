"""Where the bytes go: the printer connections.

Each transport opens, sends one job and closes, so a printer that was switched off and on, or a
cable pulled and put back, is picked up on the next job without restarting the app. Failures are
`PrinterError`s whose reason an officer can act on, marked transient when a retry may succeed
(refused, timed out, unplugged, offline, out of paper) and permanent when a person must change
something first (a wrong setting, a missing library, no permission).

| kind    | library                      | status (DLE EOT)    | what bounds the waits            |
|---------|------------------------------|---------------------|----------------------------------|
| file    | -                            | none (one-way)      | -                                |
| network | socket (TCP, port 9100)      | yes                 | connect_timeout, send_timeout    |
| serial  | pyserial (`[serial]` extra)  | yes                 | send_timeout + the line's speed  |
| usb     | pyusb + libusb (`[usb]`)     | yes (IN endpoint)   | send_timeout per USB transfer    |
| cups    | pycups (`[cups]`), else `lp` | the queue's state   | connect_timeout + send_timeout   |

The network connection is a plain socket rather than python-escpos' `Network`, whose timeout is
60 s by default and whose status calls read whatever comes back: here the connect, each send
and the final close are each bounded by the configured timeouts.

On two-way connections a job starts with a status query (DLE EOT 1, 2, 4, one round trip) on
the same connection: a printer that says it is offline, out of paper or open is not sent the
job (it would buffer it and print it later, after our retry had printed it again). A printer
that never answers is still sent its jobs (print servers and some clones do not answer), but one
that answered before and has gone silent is taken for switched off.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Protocol

from counter_tui.config import PrinterConfig
from counter_tui.core.i18n import messages, t
from counter_tui.printing import status as st
from counter_tui.printing.status import PrinterStatus

messages({
    "printer.file_error": (
        "Không ghi được vào tệp máy in {target}: {reason}",
        "Cannot write to the printer file {target}: {reason}",
    ),
    "printer.kind_unavailable": (
        "Kết nối máy in '{kind}' chưa được hỗ trợ trong bản này",
        "Printer connection '{kind}' is not available in this version",
    ),
    "printer.missing_lib": (
        "Thiếu thư viện {lib} cho máy in {kind}: cài bằng pip install 'counter-tui[{extra}]'",
        "The {lib} library for {kind} printers is missing: pip install 'counter-tui[{extra}]'",
    ),
    "printer.one_way": ("kết nối {kind} chỉ gửi một chiều", "a {kind} connection is one-way"),
    "printer.silent": (
        "Máy in không trả lời (tắt nguồn, rút cáp hoặc đang bận?)",
        "The printer does not answer (switched off, unplugged or busy?)",
    ),
    "net.bad_target": (
        "printer.target = {target!r}: cần 'HOST' hoặc 'HOST:PORT', ví dụ 192.168.1.50:9100",
        "printer.target = {target!r}: expected 'HOST' or 'HOST:PORT', e.g. 192.168.1.50:9100",
    ),
    "net.unknown_host": ("Không tìm thấy máy in mạng {host}: {reason}",
                         "Network printer {host} not found: {reason}"),
    "net.refused": (
        "Máy in {host}:{port} từ chối kết nối (tắt nguồn, sai cổng hoặc đang in cho máy khác?)",
        "Printer {host}:{port} refused the connection (off, wrong port or busy with another?)",
    ),
    "net.connect_timeout": (
        "Máy in {host}:{port} không trả lời trong {seconds:g} giây",
        "Printer {host}:{port} did not answer within {seconds:g} s",
    ),
    "net.unreachable": ("Không tới được máy in {host}:{port}: {reason}",
                        "Cannot reach printer {host}:{port}: {reason}"),
    "net.send_timeout": (
        "Máy in không nhận dữ liệu trong {seconds:g} giây (đã gửi {done}/{total} byte)",
        "The printer took no data for {seconds:g} s ({done}/{total} bytes sent)",
    ),
    "net.dropped": (
        "Máy in ngắt kết nối giữa chừng (đã gửi {done}/{total} byte); phiếu có thể in dở",
        "The printer dropped the connection mid-job ({done}/{total} bytes sent); the slip "
        "may be cut short",
    ),
    "serial.no_device": ("Không có cổng nối tiếp {device}: cắm cáp hoặc sửa printer.target",
                         "No serial port {device}: plug the cable or fix printer.target"),
    "serial.denied": (
        "Không có quyền mở {device}: thêm người dùng vào nhóm dialout",
        "No permission to open {device}: add the user to the dialout group",
    ),
    "serial.error": ("Lỗi cổng nối tiếp {device}: {reason}", "Serial port {device}: {reason}"),
    "serial.stalled": (
        "Máy in nối tiếp không nhận dữ liệu trong {seconds:g} giây (hết giấy, ngoại tuyến hoặc "
        "sai điều khiển luồng?)",
        "The serial printer took no data for {seconds:g} s (out of paper, offline or wrong "
        "flow control?)",
    ),
    "usb.no_ids": (
        "Chưa đặt printer.usb_vendor / printer.usb_product (xem lsusb, ví dụ 0x04b8 / 0x0e15)",
        "printer.usb_vendor / printer.usb_product are not set (see lsusb, e.g. 0x04b8 / 0x0e15)",
    ),
    "usb.no_backend": (
        "Thiếu thư viện hệ thống libusb: apt-get install libusb-1.0-0",
        "The libusb system library is missing: apt-get install libusb-1.0-0",
    ),
    "usb.not_found": (
        "Không thấy máy in USB {ids} (rút cáp hoặc tắt nguồn?)",
        "USB printer {ids} not found (unplugged or switched off?)",
    ),
    "usb.denied": (
        "Không có quyền dùng máy in USB {ids}: thêm luật udev (MODE=\"0666\") rồi cắm lại",
        "No permission for USB printer {ids}: add a udev rule (MODE=\"0666\") and replug",
    ),
    "usb.busy": ("Máy in USB {ids} đang bị chương trình khác giữ (usblp, CUPS?)",
                 "USB printer {ids} is held by another program (usblp, CUPS?)"),
    "usb.timeout": ("Máy in USB {ids} không nhận dữ liệu trong {seconds:g} giây",
                    "USB printer {ids} took no data for {seconds:g} s"),
    "usb.gone": ("Máy in USB {ids} đã bị rút ra", "USB printer {ids} was unplugged"),
    "usb.error": ("Lỗi máy in USB {ids}: {reason}", "USB printer {ids}: {reason}"),
    "cups.none": (
        "Không có CUPS: pip install 'counter-tui[cups]' (pycups) hoặc apt-get install "
        "cups-client (lệnh lp)",
        "No CUPS client: pip install 'counter-tui[cups]' (pycups) or apt-get install "
        "cups-client (the lp command)",
    ),
    "cups.no_queue": ("Không có hàng in CUPS '{queue}': {reason}",
                      "There is no CUPS queue '{queue}': {reason}"),
    "cups.error": ("CUPS không nhận lệnh in cho '{queue}': {reason}",
                   "CUPS did not take the job for '{queue}': {reason}"),
    "cups.timeout": ("CUPS không trả lời trong {seconds:g} giây",
                     "CUPS did not answer within {seconds:g} s"),
})

CHUNK = 4096
STATUS_TIMEOUT = 1.0  # seconds a printer gets to answer DLE EOT; real ones take milliseconds
SILENT_FOR = 300.0  # a printer that never answered is not asked again for this long
CLOSE_WAIT = 2.0  # seconds to wait for a network printer to close after the job


class PrinterError(Exception):
    def __init__(self, reason: str, *, transient: bool) -> None:
        self.reason, self.transient = reason, transient
        super().__init__(reason)


class Transport(Protocol):
    two_way: bool

    def send(self, data: bytes) -> None: ...

    def status(self) -> PrinterStatus: ...


# Per printer (kind, target), for this process: whether it ever answered a status query, and
# until when a printer that never answered is not asked again.
_answered: dict[tuple[str, str], bool] = {}
_silent_until: dict[tuple[str, str], float] = {}
_memory_lock = threading.Lock()


def forget_printers() -> None:
    """Forget which printers answer status queries (tests; a technician's fresh start)."""
    with _memory_lock:
        _answered.clear()
        _silent_until.clear()


def _missing(lib: str, kind: str, extra: str) -> PrinterError:
    return PrinterError(t("printer.missing_lib", lib=lib, kind=kind, extra=extra),
                        transient=False)


# ---------------------------------------------------------------------------------------------
# file


class FileTransport:
    """Appends each job to a file: the default printer, and the one tests read back."""

    two_way = False

    def __init__(self, target: str) -> None:
        self.path = Path(target)

    def send(self, data: bytes) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
        except OSError as exc:
            raise PrinterError(t("printer.file_error", target=self.path, reason=exc.strerror),
                               transient=False) from exc

    def status(self) -> PrinterStatus:
        return PrinterStatus(detail=t("printer.one_way", kind="file"))


# ---------------------------------------------------------------------------------------------
# two-way connections: one job = open, ask the status, send, finish, close


class _TwoWay:
    """The job and status logic shared by network, serial and USB; subclasses move bytes."""

    two_way = True
    kind = ""

    def __init__(self, printer: PrinterConfig) -> None:
        self.printer = printer
        self.key = (printer.kind, printer.target)
        self.status_timeout = min(STATUS_TIMEOUT, printer.connect_timeout)
        self.done = 0  # bytes of the current job written so far

    # what subclasses provide
    def _open(self) -> None:
        raise NotImplementedError

    def _write(self, chunk: bytes) -> None:
        raise NotImplementedError

    def _read(self, timeout: float) -> bytes:
        raise NotImplementedError

    def _finish(self, total: int) -> None:
        """After the last byte: make sure the printer took the job (or fail)."""

    def _close(self) -> None:
        raise NotImplementedError

    def _failure(self, exc: Exception, total: int) -> PrinterError:
        raise NotImplementedError

    # the shared logic
    def _query(self) -> PrinterStatus:
        return st.read_status(self._write, self._read, self.status_timeout)

    def status(self) -> PrinterStatus:
        try:
            self._open()
        except PrinterError as exc:
            return PrinterStatus(reachable=False, detail=exc.reason).stamped()
        try:
            found = self._query()
        except PrinterError as exc:
            return PrinterStatus(reachable=False, detail=exc.reason).stamped()
        except Exception as exc:
            return PrinterStatus(reachable=False,
                                 detail=self._failure(exc, 0).reason).stamped()
        finally:
            self._close()
        if found.answered:
            with _memory_lock:
                _answered[self.key] = True
                _silent_until.pop(self.key, None)
        return found

    def _precheck(self) -> None:
        with _memory_lock:
            if _silent_until.get(self.key, 0.0) > time.monotonic():
                return
        found = self._query()
        with _memory_lock:
            if found.answered:
                _answered[self.key] = True
                _silent_until.pop(self.key, None)
            elif _answered.get(self.key):
                raise PrinterError(t("printer.silent"), transient=True)
            else:
                _silent_until[self.key] = time.monotonic() + SILENT_FOR
        problem = found.problem
        if problem is not None:
            raise PrinterError(problem, transient=True)

    def send(self, data: bytes) -> None:
        self._open()
        self.done = 0
        try:
            self._precheck()
            view = memoryview(data)
            while self.done < len(data):
                chunk = bytes(view[self.done:self.done + CHUNK])
                self._write(chunk)
                self.done += len(chunk)
            self._finish(len(data))
        except PrinterError:
            raise
        except Exception as exc:
            raise self._failure(exc, len(data)) from exc
        finally:
            self._close()


_DROPPED = (errno.EPIPE, errno.ECONNRESET, errno.ECONNABORTED, errno.ENOTCONN)


def _errno(exc: BaseException) -> int | None:
    code = getattr(exc, "errno", None)
    return code if isinstance(code, int) else None


# ---------------------------------------------------------------------------------------------
# network


def parse_target(target: str, default_port: int = 9100) -> tuple[str, int]:
    """'HOST', 'HOST:PORT', '[v6]' or '[v6]:PORT' -> (host, port)."""
    raw = target.strip()
    host, port = raw, default_port
    if raw.startswith("["):
        end = raw.find("]")
        if end < 0:
            raise PrinterError(t("net.bad_target", target=target), transient=False)
        host, rest = raw[1:end], raw[end + 1:]
        if rest:
            if not rest.startswith(":"):
                raise PrinterError(t("net.bad_target", target=target), transient=False)
            port = _port(rest[1:], target)
    elif raw.count(":") == 1:
        host, text = raw.split(":")
        port = _port(text, target)
    if not host or any(ch.isspace() for ch in host):
        raise PrinterError(t("net.bad_target", target=target), transient=False)
    return host, port


def _port(text: str, target: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise PrinterError(t("net.bad_target", target=target), transient=False)
    return int(text)


class NetworkTransport(_TwoWay):
    """Raw TCP ("JetDirect", port 9100): every wait bounded by the configured timeouts."""

    kind = "network"

    def __init__(self, printer: PrinterConfig) -> None:
        super().__init__(printer)
        self.host, self.port = parse_target(printer.target)
        self.sock: socket.socket | None = None

    def _open(self) -> None:
        seconds = self.printer.connect_timeout
        where = {"host": self.host, "port": self.port}
        try:
            self.sock = socket.create_connection((self.host, self.port), timeout=seconds)
        except socket.gaierror as exc:
            raise PrinterError(t("net.unknown_host", host=self.host, reason=exc.strerror),
                               transient=False) from exc
        except ConnectionRefusedError as exc:
            raise PrinterError(t("net.refused", **where), transient=True) from exc
        except TimeoutError as exc:
            raise PrinterError(t("net.connect_timeout", seconds=seconds, **where),
                               transient=True) from exc
        except OSError as exc:
            raise PrinterError(t("net.unreachable", reason=exc.strerror or exc, **where),
                               transient=True) from exc
        self.sock.settimeout(self.printer.send_timeout)
        with contextlib.suppress(OSError):
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _write(self, chunk: bytes) -> None:
        assert self.sock is not None
        self.sock.sendall(chunk)

    def _read(self, timeout: float) -> bytes:
        assert self.sock is not None
        self.sock.settimeout(max(0.001, timeout))
        try:
            return self.sock.recv(64)
        except TimeoutError:
            return b""
        finally:
            self.sock.settimeout(self.printer.send_timeout)

    def _finish(self, total: int) -> None:
        """Half-close and wait (briefly) for the printer to close too: a printer that drops
        the connection before reading the whole job resets it, and that is seen here. One
        that keeps the connection open is taken to have the job once CLOSE_WAIT passes."""
        assert self.sock is not None
        self.sock.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + min(CLOSE_WAIT, self.printer.send_timeout)
        while (left := deadline - time.monotonic()) > 0:
            self.sock.settimeout(left)
            try:
                if not self.sock.recv(4096):
                    return
            except TimeoutError:
                return

    def _close(self) -> None:
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.close()
            self.sock = None

    def _failure(self, exc: Exception, total: int) -> PrinterError:
        if isinstance(exc, TimeoutError):
            return PrinterError(t("net.send_timeout", seconds=self.printer.send_timeout,
                                  done=self.done, total=total), transient=True)
        if isinstance(exc, ConnectionError) or _errno(exc) in _DROPPED:
            return PrinterError(t("net.dropped", done=self.done, total=total), transient=True)
        return PrinterError(t("net.unreachable", host=self.host, port=self.port,
                              reason=getattr(exc, "strerror", None) or exc), transient=True)


# ---------------------------------------------------------------------------------------------
# serial


class SerialTransport(_TwoWay):
    """A serial line through pyserial (`/dev/ttyUSB0`, `/dev/ttyS0`, or a pyserial URL).

    Writes are bounded by `send_timeout` plus the time the line needs at its speed (10 bits a
    byte: a 40 KB raster receipt takes 42 s at 9600 baud), so a printer that holds the line
    with flow control (offline, out of paper) fails the job instead of hanging the spooler.
    """

    kind = "serial"

    def __init__(self, printer: PrinterConfig) -> None:
        super().__init__(printer)
        self.port: Any = None

    def _line_seconds(self, size: int) -> float:
        return size * 10 / max(1, self.printer.baudrate)

    def _open(self) -> None:
        try:
            import serial
        except ImportError:
            raise _missing("pyserial", "serial", "serial") from None
        flow = self.printer.flow_control
        device = self.printer.target
        try:
            self.port = serial.serial_for_url(
                device, baudrate=self.printer.baudrate, bytesize=8, parity="N", stopbits=1,
                xonxoff=flow == "xonxoff", rtscts=flow == "rtscts", dsrdtr=flow == "dsrdtr",
                timeout=self.status_timeout,
                write_timeout=self.printer.send_timeout + self._line_seconds(CHUNK),
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            raise self._open_failure(exc) from exc

    def _open_failure(self, exc: Exception) -> PrinterError:
        device = self.printer.target
        code = _errno(exc)
        text = str(exc)
        if code == errno.ENOENT or "No such file" in text:
            return PrinterError(t("serial.no_device", device=device), transient=True)
        if code == errno.EACCES or "Permission denied" in text:
            return PrinterError(t("serial.denied", device=device), transient=False)
        return PrinterError(t("serial.error", device=device, reason=text), transient=True)

    def _query(self) -> PrinterStatus:
        # a line has no connection to start afresh: drop what an earlier exchange left unread
        # (a late answer, a status the printer sent by itself) so it is not read as this one
        with contextlib.suppress(Exception):
            self.port.reset_input_buffer()
        return super()._query()

    def _write(self, chunk: bytes) -> None:
        self.port.write(chunk)

    def _read(self, timeout: float) -> bytes:
        self.port.timeout = max(0.001, timeout)
        data: bytes = self.port.read(64 if self.port.in_waiting > 64 else 1)
        return data

    def _finish(self, total: int) -> None:
        """Wait until the line has carried the job out (never tcdrain: it waits forever on a
        printer that holds flow control)."""
        deadline = time.monotonic() + self.printer.send_timeout + self._line_seconds(CHUNK)
        while True:
            try:
                waiting = int(self.port.out_waiting)
            except (OSError, AttributeError):
                return
            if waiting == 0:
                return
            if time.monotonic() > deadline:
                with contextlib.suppress(Exception):
                    self.port.reset_output_buffer()  # else close() waits for the bytes too
                raise PrinterError(t("serial.stalled", seconds=self.printer.send_timeout),
                                   transient=True)
            time.sleep(0.01)

    def _close(self) -> None:
        if self.port is not None:
            with contextlib.suppress(Exception):
                self.port.close()
            self.port = None

    def _failure(self, exc: Exception, total: int) -> PrinterError:
        if type(exc).__name__ == "SerialTimeoutException":
            return PrinterError(t("serial.stalled", seconds=self.printer.send_timeout),
                                transient=True)
        return PrinterError(t("serial.error", device=self.printer.target, reason=exc),
                            transient=True)


# ---------------------------------------------------------------------------------------------
# USB


def usb_ids(printer: PrinterConfig) -> str:
    return f"{printer.usb_vendor:04x}:{printer.usb_product:04x}"


class UsbTransport(_TwoWay):
    """An ESC/POS printer on USB (printer class, bulk OUT to print, bulk IN for status).

    `device` is for tests: any object with pyusb's `write(ep, data, timeout)` and
    `read(ep, size, timeout)`; without it the device is found by vendor and product id.
    """

    kind = "usb"

    def __init__(self, printer: PrinterConfig, device: Any = None) -> None:
        super().__init__(printer)
        self.key = ("usb", usb_ids(printer))
        self.given = device
        self.dev: Any = None
        self.ids = usb_ids(printer)

    def _open(self) -> None:
        if self.given is not None:
            self.dev = self.given
            return
        if not (self.printer.usb_vendor and self.printer.usb_product):
            raise PrinterError(t("usb.no_ids"), transient=False)
        try:
            import usb.core
        except ImportError:
            raise _missing("pyusb", "USB", "usb") from None
        try:
            dev = usb.core.find(idVendor=self.printer.usb_vendor,
                                idProduct=self.printer.usb_product)
        except usb.core.NoBackendError as exc:
            raise PrinterError(t("usb.no_backend"), transient=False) from exc
        except usb.core.USBError as exc:
            raise self._failure(exc, 0) from exc
        if dev is None:
            raise PrinterError(t("usb.not_found", ids=self.ids), transient=True)
        try:
            with contextlib.suppress(NotImplementedError):  # not on every platform
                if dev.is_kernel_driver_active(0):
                    dev.detach_kernel_driver(0)  # usblp holds the printer otherwise
            with contextlib.suppress(usb.core.USBError):  # already configured: fine
                dev.set_configuration()
        except usb.core.USBError as exc:
            raise self._failure(exc, 0) from exc
        self.dev = dev

    def _ms(self, seconds: float) -> int:
        return max(1, round(seconds * 1000))

    def _write(self, chunk: bytes) -> None:
        view = memoryview(chunk)
        while view:
            written = int(self.dev.write(self.printer.usb_out_ep, bytes(view),
                                         self._ms(self.printer.send_timeout)))
            if written <= 0:
                raise TimeoutError("no data taken")
            view = view[written:]

    def _read(self, timeout: float) -> bytes:
        try:
            return bytes(self.dev.read(self.printer.usb_in_ep, 64, self._ms(timeout)))
        except Exception as exc:
            if _errno(exc) == errno.ETIMEDOUT or "timeout" in type(exc).__name__.lower():
                return b""
            raise

    def _close(self) -> None:
        if self.dev is not None and self.given is None:
            with contextlib.suppress(Exception):
                import usb.util

                usb.util.dispose_resources(self.dev)
        self.dev = None

    def _failure(self, exc: Exception, total: int) -> PrinterError:
        code = _errno(exc)
        ids = self.ids
        if code == errno.ETIMEDOUT or isinstance(exc, TimeoutError) \
                or "timeout" in type(exc).__name__.lower():
            return PrinterError(t("usb.timeout", ids=ids, seconds=self.printer.send_timeout),
                                transient=True)
        if code in (errno.EACCES, errno.EPERM):
            return PrinterError(t("usb.denied", ids=ids), transient=False)
        if code == errno.EBUSY:
            return PrinterError(t("usb.busy", ids=ids), transient=True)
        if code in (errno.ENODEV, errno.ENXIO, errno.EPIPE):
            return PrinterError(t("usb.gone", ids=ids), transient=True)
        return PrinterError(t("usb.error", ids=ids, reason=exc), transient=True)


# ---------------------------------------------------------------------------------------------
# CUPS


class CupsTransport:
    """A raw CUPS queue: pycups when installed, else the `lp -d QUEUE -o raw` command.

    CUPS takes the job into its own queue and sends it on; what it reports is the queue's
    state (stopped, and reasons such as media-empty or door-open), not a DLE EOT answer.
    """

    two_way = False

    def __init__(self, printer: PrinterConfig) -> None:
        self.printer = printer
        self.queue = printer.target

    @staticmethod
    def client() -> str:
        """'pycups', 'lp', or '' when neither is there."""
        try:
            import cups  # noqa: F401
        except ImportError:
            return "lp" if shutil.which("lp") else ""
        return "pycups"

    def _timeout(self) -> float:
        return self.printer.connect_timeout + self.printer.send_timeout

    def send(self, data: bytes) -> None:
        client = self.client()
        if client == "pycups":
            self._send_pycups(data)
        elif client == "lp":
            self._send_lp(data)
        else:
            raise PrinterError(t("cups.none"), transient=False)

    def _classify(self, reason: str) -> PrinterError:
        low = reason.lower()
        if "does not exist" in low or "not found" in low or "unknown destination" in low \
                or "no such" in low:
            return PrinterError(t("cups.no_queue", queue=self.queue, reason=reason),
                                transient=False)
        return PrinterError(t("cups.error", queue=self.queue, reason=reason), transient=True)

    def _send_lp(self, data: bytes) -> None:
        try:
            done = subprocess.run(["lp", "-d", self.queue, "-o", "raw", "-t", "counter-tui"],
                                  input=data, capture_output=True, timeout=self._timeout())
        except subprocess.TimeoutExpired as exc:
            raise PrinterError(t("cups.timeout", seconds=self._timeout()),
                               transient=True) from exc
        except OSError as exc:
            raise PrinterError(t("cups.none"), transient=False) from exc
        if done.returncode != 0:
            reason = (done.stderr or done.stdout).decode(errors="replace").strip()
            raise self._classify(reason or f"lp exit {done.returncode}")

    def _send_pycups(self, data: bytes) -> None:
        import cups

        fd, path = tempfile.mkstemp(prefix="counter-tui-", suffix=".prn")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            conn = cups.Connection()
            conn.printFile(self.queue, path, "counter-tui", {"raw": "true"})
        except cups.IPPError as exc:
            raise self._classify(str(exc.args[-1] if exc.args else exc)) from exc
        except RuntimeError as exc:  # pycups: "failed to connect to server"
            raise PrinterError(t("cups.error", queue=self.queue, reason=exc),
                               transient=True) from exc
        finally:
            with contextlib.suppress(OSError):
                os.unlink(path)

    def status(self) -> PrinterStatus:
        client = self.client()
        if client == "pycups":
            return self._status_pycups()
        if client == "lp" and shutil.which("lpstat"):
            return self._status_lpstat()
        return PrinterStatus(detail=t("cups.none") if not client
                             else t("printer.one_way", kind="cups"))

    def _status_pycups(self) -> PrinterStatus:
        import cups

        try:
            attrs = cups.Connection().getPrinterAttributes(self.queue)
        except (cups.IPPError, RuntimeError) as exc:
            return PrinterStatus(reachable=False, detail=str(exc)).stamped()
        reasons = " ".join(attrs.get("printer-state-reasons", []))
        return _cups_status(int(attrs.get("printer-state", 3)) == 5, reasons)

    def _status_lpstat(self) -> PrinterStatus:
        try:
            done = subprocess.run(["lpstat", "-p", self.queue], capture_output=True,
                                  timeout=self._timeout(), text=True)
        except (subprocess.TimeoutExpired, OSError) as exc:
            return PrinterStatus(reachable=False, detail=str(exc)).stamped()
        if done.returncode != 0:
            return PrinterStatus(reachable=False,
                                 detail=(done.stderr or done.stdout).strip()).stamped()
        return _cups_status("disabled" in done.stdout, done.stdout)


def _cups_status(stopped: bool, reasons: str) -> PrinterStatus:
    paper = (st.PAPER_OUT if "media-empty" in reasons or "media-needed" in reasons
             else st.PAPER_NEAR_END if "media-low" in reasons else None)
    cover = True if ("door-open" in reasons or "cover-open" in reasons) else None
    offline = stopped or "offline" in reasons
    return PrinterStatus(reachable=True, answered=True, online=not offline, paper=paper,
                         cover_open=cover, detail="CUPS").stamped()


# ---------------------------------------------------------------------------------------------


def open_transport(printer: PrinterConfig) -> Transport:
    if printer.kind == "file":
        return FileTransport(printer.target)
    if printer.kind == "network":
        return NetworkTransport(printer)
    if printer.kind == "serial":
        return SerialTransport(printer)
    if printer.kind == "usb":
        return UsbTransport(printer)
    if printer.kind == "cups":
        return CupsTransport(printer)
    raise PrinterError(t("printer.kind_unavailable", kind=printer.kind), transient=False)
