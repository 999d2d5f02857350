"""Where the bytes go: the printer connections, one module each, and `open_transport`, which
picks the one the configuration names.

Each transport opens, sends one job and closes, so a printer that was switched off and on, or a
cable pulled and put back, is picked up on the next job without restarting the app. Failures are
`PrinterError`s whose reason an officer can act on, marked transient when a retry may succeed
(refused, timed out, unplugged, offline, out of paper) and permanent when a person must change
something first (a wrong setting, a missing library, no permission).

| kind    | module        | library                      | status (DLE EOT)  | waits bounded by   |
|---------|---------------|------------------------------|-------------------|--------------------|
| file    | `file`        | -                            | none (one-way)    | -                  |
| network | `network`     | socket (TCP, port 9100)      | yes               | connect, send      |
| serial  | `serial_port` | pyserial (`[serial]` extra)  | yes               | send + line speed  |
| usb     | `usb_device`  | pyusb + libusb (`[usb]`)     | yes (IN endpoint) | send, per transfer |
| cups    | `cups_queue`  | pycups (`[cups]`), else `lp` | the queue's state | connect + send     |

(connect and send: the printer's `connect_timeout` and `send_timeout`)

The two-way connections share their job and status logic (`two_way`); what every connection
shares is in `base`. The connection modules are not named after the libraries they import
(`serial`, `usb`, `cups`), so that a reader never wonders which one `import serial` means.
"""

from __future__ import annotations

from counter_tui.config import PrinterConfig
from counter_tui.core.i18n import t
from counter_tui.printing.transports.base import PrinterError, Transport
from counter_tui.printing.transports.two_way import forget_printers

__all__ = ["PrinterError", "Transport", "forget_printers", "open_transport"]


def open_transport(printer: PrinterConfig) -> Transport:
    """The configured printer's connection; only its own module is imported (a kiosk's
    whole-process ticket to a file or network printer loads no CUPS, serial or USB code)."""
    if printer.kind == "file":
        from counter_tui.printing.transports.file import FileTransport

        return FileTransport(printer.target)
    if printer.kind == "network":
        from counter_tui.printing.transports.network import NetworkTransport

        return NetworkTransport(printer)
    if printer.kind == "serial":
        from counter_tui.printing.transports.serial_port import SerialTransport

        return SerialTransport(printer)
    if printer.kind == "usb":
        from counter_tui.printing.transports.usb_device import UsbTransport

        return UsbTransport(printer)
    if printer.kind == "cups":
        from counter_tui.printing.transports.cups_queue import CupsTransport

        return CupsTransport(printer)
    raise PrinterError(t("printer.kind_unavailable", kind=printer.kind), transient=False)
