"""Fixtures for the printing tests (the shared slips and helpers live in helpers.py)."""

from __future__ import annotations

import pytest

from counter_tui.printing.textmodes import FontMissing, find_font


@pytest.fixture
def raster_font() -> None:
    """Raster mode needs DejaVu Sans; skip locally without it, fail under CI."""
    import os

    try:
        find_font()
        find_font(bold=True)
    except FontMissing as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"raster tests need the font under CI: {exc}")
        pytest.skip(str(exc))


# The simulated printer on loopback and on a pty (tests/printing/simhelp.py).
from tests.printing.simhelp import _fresh_printer_memory, net_printer, serial_printer  # noqa: E402, F401
