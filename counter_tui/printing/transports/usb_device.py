"""The USB printer: an ESC/POS printer of the USB printer class through pyusb and libusb (the
`[usb]` extra), with its errors (no permission, held by usblp, unplugged) told apart."""

from __future__ import annotations

import contextlib
import errno
from typing import Any

from counter_tui.config import PrinterConfig
from counter_tui.core.i18n import t
from counter_tui.printing.transports.base import PrinterError, errno_of, missing_library
from counter_tui.printing.transports.two_way import TwoWay


def usb_ids(printer: PrinterConfig) -> str:
    return f"{printer.usb_vendor:04x}:{printer.usb_product:04x}"


class UsbTransport(TwoWay):
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
            raise missing_library("pyusb", "USB", "usb") from None
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
            if errno_of(exc) == errno.ETIMEDOUT or "timeout" in type(exc).__name__.lower():
                return b""
            raise

    def _close(self) -> None:
        if self.dev is not None and self.given is None:
            with contextlib.suppress(Exception):
                import usb.util

                usb.util.dispose_resources(self.dev)
        self.dev = None

    def _failure(self, exc: Exception, total: int) -> PrinterError:
        code = errno_of(exc)
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
