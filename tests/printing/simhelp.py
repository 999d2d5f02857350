"""Fixtures for the connection tests: the simulated printer on loopback and on a pty.

Import the fixtures by name into a test module (`from tests.printing.simhelp import ...`).
Every wait in these tests is bounded: connect and send timeouts of a fraction of a second,
and `wait_for_jobs` with a timeout.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from counter_tui.config import PrinterConfig
from counter_tui.printing.simulator import NetworkPrinter, SerialPrinter
from counter_tui.printing.transports import forget_printers

FAST = {"connect_timeout": 0.5, "send_timeout": 1.0}


@pytest.fixture(autouse=True)
def _fresh_printer_memory() -> Iterator[None]:
    """Which printers answer status queries is remembered per process: not across tests."""
    forget_printers()
    yield
    forget_printers()


@pytest.fixture
def net_printer(tmp_path: Path) -> Iterator[NetworkPrinter]:
    with NetworkPrinter(tmp_path / "net", port=0) as sim:
        yield sim


@pytest.fixture
def serial_printer(tmp_path: Path) -> Iterator[SerialPrinter]:
    pytest.importorskip("serial", reason="pyserial is in the [test] extra")
    with SerialPrinter(tmp_path / "serial", idle=0.15) as sim:
        yield sim


def wait_for_jobs(sim: NetworkPrinter | SerialPrinter, count: int,
                  timeout: float = 10.0) -> list[dict[str, Any]]:
    """Wait until the simulator has kept `count` jobs (of any outcome); return them all."""
    deadline = time.monotonic() + timeout
    while len(jobs := sim.jobs()) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(jobs)} of {count} jobs kept")
        time.sleep(0.02)
    return jobs


def net_config(sim: NetworkPrinter, **changes: Any) -> PrinterConfig:
    return replace(PrinterConfig(kind="network", target=sim.target, **FAST), **changes)


def serial_config(sim: SerialPrinter, **changes: Any) -> PrinterConfig:
    return replace(PrinterConfig(kind="serial", target=sim.device, baudrate=115200, **FAST),
                   **changes)
