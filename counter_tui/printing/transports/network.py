"""The network printer: raw TCP ("JetDirect", port 9100) on a plain socket.

Not python-escpos' `Network`, whose timeout is 60 s by default and whose status calls read
whatever comes back: here the connect, each send and the final close are each bounded by the
configured timeouts.
"""

from __future__ import annotations

import contextlib
import errno
import socket
import struct
import time

from counter_tui.config import PrinterConfig
from counter_tui.core.errors import os_reason
from counter_tui.core.i18n import t
from counter_tui.printing import status as st
from counter_tui.printing.transports.base import PrinterError, errno_of
from counter_tui.printing.transports.two_way import TwoWay

# struct tcp_info (Linux 4.1 and later): tcpi_bytes_acked, the bytes the peer acknowledged
# (the SYN and FIN count one each), is the u64 at this offset
_TCP_INFO_BYTES_ACKED = 120

_DROPPED = (errno.EPIPE, errno.ECONNRESET, errno.ECONNABORTED, errno.ENOTCONN)
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


class NetworkTransport(TwoWay):
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
            raise PrinterError(t("net.unknown_host", host=self.host, reason=os_reason(exc)),
                               transient=False) from exc
        except ConnectionRefusedError as exc:
            raise PrinterError(t("net.refused", **where), transient=True) from exc
        except TimeoutError as exc:
            raise PrinterError(t("net.connect_timeout", seconds=seconds, **where),
                               transient=True) from exc
        except OSError as exc:
            raise PrinterError(t("net.unreachable", reason=os_reason(exc), **where),
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

    def _confirm(self, total: int, asked: bool) -> None:
        """Ask the status after the job (a printer that answered before it), half-close, and
        wait up to send_timeout for the answer or for the printer to close its side: it can
        see the end of the stream only once it has read every byte. A printer that does
        neither has not confirmed the job; one that resets the connection dropped it."""
        assert self.sock is not None
        deadline = time.monotonic() + self.printer.send_timeout
        if asked:
            self._put(st.query_bytes())
        self.sock.shutdown(socket.SHUT_WR)
        got = bytearray()
        while (left := deadline - time.monotonic()) > 0:
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(64)
            except TimeoutError:
                break
            if not chunk:
                return  # it read to the end of the job and closed
            got += chunk
            if asked and len(got) >= len(st.QUERIES):
                self._check_after(st.parse(dict(zip(st.QUERIES, got, strict=False))))
                return
        taken = self._taken()
        if taken is not None and taken < self.done:
            raise PrinterError(t("net.send_timeout", seconds=self.printer.send_timeout),
                               transient=True)
        raise PrinterError(t("printer.unconfirmed", seconds=self.printer.send_timeout),
                           transient=True)

    def _taken(self) -> int | None:
        """What the printer's network side acknowledged of the job (a printer that drops
        the connection keeps no more than that): not what we wrote, which the operating
        system buffers. None where the system does not say (not Linux)."""
        if self.sock is None:
            return None
        try:
            info = self.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
        except (OSError, AttributeError):
            return None
        if len(info) < _TCP_INFO_BYTES_ACKED + 8:
            return None
        acked = struct.unpack_from("Q", info, _TCP_INFO_BYTES_ACKED)[0] - 1 - self.before
        return max(0, min(self.done, acked))

    def _close(self) -> None:
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.close()
            self.sock = None

    def _failure(self, exc: Exception, total: int) -> PrinterError:
        if isinstance(exc, TimeoutError):
            return PrinterError(t("net.send_timeout", seconds=self.printer.send_timeout),
                                transient=True)
        if isinstance(exc, ConnectionError) or errno_of(exc) in _DROPPED:
            return PrinterError(t("net.dropped"), transient=True)
        return PrinterError(t("net.unreachable", host=self.host, port=self.port,
                              reason=os_reason(exc)), transient=True)
