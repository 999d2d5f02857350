"""The serial printer: a serial line through pyserial (the `[serial]` extra), whose writes are
bounded by the line's speed as well as the configured timeouts."""

from __future__ import annotations

import contextlib
import errno
import time
from typing import Any

from counter_tui.config import PrinterConfig
from counter_tui.core.i18n import t
from counter_tui.printing.status import PrinterStatus
from counter_tui.printing.transports.base import PrinterError, errno_of, missing_library
from counter_tui.printing.transports.two_way import CHUNK, TwoWay


class SerialTransport(TwoWay):
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
            raise missing_library("pyserial", "serial", "serial") from None
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
        code = errno_of(exc)
        text = str(exc)
        if code == errno.ENOENT or "No such file" in text:
            return PrinterError(t("serial.no_device", device=device), transient=True)
        if code == errno.EACCES or "Permission denied" in text:
            return PrinterError(t("serial.denied", device=device), transient=False)
        return PrinterError(t("serial.error", device=device, reason=text), transient=True)

    def _query(self, timeout: float | None = None) -> PrinterStatus:
        # a line has no connection to start afresh: drop what an earlier exchange left unread
        # (a late answer, a status the printer sent by itself) so it is not read as this one
        with contextlib.suppress(Exception):
            self.port.reset_input_buffer()
        return super()._query(timeout)

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
                error = self._cut_short(PrinterError(
                    t("serial.stalled", seconds=self.printer.send_timeout), transient=True),
                    total)
                with contextlib.suppress(Exception):
                    self.port.reset_output_buffer()  # else close() waits for the bytes too
                raise error  # what it took is counted before the buffer is dropped
            time.sleep(0.01)

    def _taken(self) -> int | None:
        """What left the line: written, less what the system still holds to send."""
        try:
            return max(0, self.done - int(self.port.out_waiting))
        except Exception:
            return None

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
