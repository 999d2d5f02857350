"""Text slips written without python-escpos are the bytes python-escpos writes for them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from counter_tui.core.layout import QR, Cut, Feed, Field, Rule, Slip, Text
from counter_tui.core.slips import ticket_slip as office_ticket
from counter_tui.printing.escpos_bytes import ByteCommands, needs_escpos
from counter_tui.printing.render import render
from tests.printing.helpers import (
    BYTE_MODES,
    alphabet_slip,
    printer,
    receipt_slip,
    ticket_slip,
)


def _office_ticket(priority: str | None = None, qr: str | None = None) -> Slip:
    import datetime as dt

    return office_ticket(office="UBND xã Minh Hòa", group_name="Hộ tịch", code="A001",
                         counters=["Quầy 1", "Quầy 2"], ahead=3,
                         issued_at=dt.datetime(2026, 12, 1, 8, 15), priority_label=priority,
                         qr_payload=qr)


def _every_block() -> Slip:
    return Slip("test", (
        Text("Trái", align="left"), Text("Giữa", align="center", bold=True),
        Text("Phải", align="right", scale=2), Text("Lớn", scale=8), Text("NHỎ", scale=0),
        Text("chỗ lạ", align="justify"), Field("Nhãn", "giá trị", bold=True), Field("", "x"),
        Rule("="), Rule("★"), Feed(0), Feed(3), Feed(400), QR("", module=3), Cut(),
        Text(EVIL_TEXT), Cut(),
    ))


# control bytes a name could carry: cleaned away before either writer sees them
EVIL_TEXT = "Nguyễn\x1b@\x1dV\x00 Văn\x10\x04\x01 Đạt\x1b\x74\x10\x1dV\x41\x00\x9b"

SLIPS = {"office ticket": _office_ticket(), "priority ticket": _office_ticket("người cao tuổi"),
         "ticket with QR": _office_ticket(qr="261201-0002"), "test ticket": ticket_slip(),
         "receipt": receipt_slip(), "alphabet": alphabet_slip(), "every block": _every_block()}


@pytest.mark.parametrize("mode", BYTE_MODES)
@pytest.mark.parametrize("name", list(SLIPS))
@pytest.mark.parametrize("profile", ["default", "TM-T88V", "NT-5890K"])
@pytest.mark.parametrize("paper", [58, 80])
def test_same_bytes_as_python_escpos(mode: str, name: str, profile: str, paper: int) -> None:
    """Every text mode, on a profile with a cutter and native QR and one with neither (whose
    QR goes as an image through python-escpos all the same)."""
    cfg = printer(mode, profile=profile, paper_mm=paper)
    slip = SLIPS[name]
    ours = render(slip, cfg)
    theirs = render(slip, cfg, via_escpos=True)
    assert ours == theirs
    assert ours.startswith(b"\x1b@")


def test_commands_match_escpos_call_by_call() -> None:
    """Each command alone, beside python-escpos' Dummy given the same call."""
    from counter_tui.printing import escpos_safe

    calls = [("hw", ("INIT",), {}), ("set", (), {"align": "center"}),
             ("set", (), {"align": "right"}), ("set", (), {"align": "left"}),
             ("set", (), {"bold": True}), ("set", (), {"bold": False}),
             ("print_and_feed", (0,), {}), ("print_and_feed", (255,), {}),
             ("cut", (), {}), ("qr", ("261201-0002 Nguyễn",), {"ec": 1, "size": 16,
                                                               "native": True})]
    calls += [("set", (), {"custom_size": True, "width": w, "height": h})
              for w in range(1, 9) for h in range(1, 9)]
    for profile in ("default", "NT-5890K"):
        for name, args, kwargs in calls:
            ours = ByteCommands(escpos_safe.profile_data(profile))
            theirs = escpos_safe.dummy(profile)
            getattr(ours, name)(*args, **kwargs)
            with escpos_safe.quiet():
                getattr(theirs, name)(*args, **kwargs)
            assert ours.output == theirs.output, (profile, name, args, kwargs)


def test_bad_values_refused() -> None:
    commands = ByteCommands({})
    for call in (lambda: commands.set(custom_size=True, width=9, height=1),
                 lambda: commands.print_and_feed(256), lambda: commands.qr("x", size=0),
                 lambda: commands.qr("x", native=False)):
        with pytest.raises(ValueError):
            call()
    assert commands.output == b""


def test_which_slips_need_python_escpos() -> None:
    assert needs_escpos("raster", False, True)
    assert needs_escpos("tcvn3", True, False)
    assert not needs_escpos("tcvn3", True, True)
    assert not needs_escpos("ascii", False, False)


def test_a_text_ticket_does_not_import_python_escpos() -> None:
    """What the kiosk's whole process gains: a ticket in a text mode is built and the escpos
    package never imported; a raster one imports it."""
    code = (
        "import sys\n"
        "from counter_tui.config import PrinterConfig\n"
        "from counter_tui.printing.render import render\n"
        "from tests.printing.test_escpos_bytes import _office_ticket\n"
        "assert render(_office_ticket(), PrinterConfig(text_mode=sys.argv[1]))\n"
        "print('escpos' in sys.modules, 'PIL' in sys.modules)\n"
    )
    for mode, expected in (("tcvn3", "False False"), ("ascii", "False False"),
                           ("raster", "True True")):
        out = subprocess.run([sys.executable, "-c", code, mode], capture_output=True,
                             text=True, check=True).stdout.strip()
        assert out == expected, mode
