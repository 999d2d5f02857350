"""The whole visit in the real `counter-tui` (tmux, 120x36): a ticket (F2), the call (F3), the
dossier received for it (F4) with its receipt in the printer file, then the receipt's code
typed as a barcode scanner types it (F5) brings the dossier back."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from counter_tui.config import load
from tests.e2e.tmux import WAIT, TmuxSession, wait_printed

pytestmark = pytest.mark.e2e


def test_ticket_call_intake_receipt_and_scan(counter_tui: TmuxSession, office: Path) -> None:
    tmux = counter_tui
    tmux.wait_for("Chưa gọi số nào", WAIT)
    tmux.send_keys("F2")
    tmux.wait_for("Cấp số thứ tự", WAIT)
    tmux.send_keys("a", literal=True)
    tmux.wait_for("Đã cấp số A001", WAIT)
    tmux.send_keys("F3")
    tmux.wait_for("Mời số A001", WAIT)

    tmux.send_keys("F4")
    tmux.wait_for("Tên hoặc mã thủ tục", WAIT)
    tmux.wait_for("A001", WAIT)  # the form knows the ticket it serves
    tmux.send_keys("dang ky khai sinh", literal=True)
    tmux.wait_for("[HT-KS]", WAIT)
    tmux.send_keys("Enter")
    tmux.wait_for("Hẹn trả nếu nhận lúc này", WAIT)
    for key, text in (("Tab", "Trần Thị Bình"), ("Tab", "079301001234"),
                      ("Tab", "0987654321")):
        tmux.send_keys(key)
        time.sleep(0.3)  # a person's pause: Textual moves the focus a moment after the Tab
        tmux.send_keys(text, literal=True)
        tmux.wait_for(text, WAIT)
    tmux.send_keys("F10")
    tmux.wait_for("Đã tiếp nhận hồ sơ", WAIT)

    cfg = load(str(office / "config.toml"), environ={})
    lines = wait_printed(Path(cfg.printer.target), "HẸN TRẢ KẾT QUẢ", cfg.printer.profile)
    code = next(line.split(": ", 1)[1] for line in lines if line.startswith("Mã hồ sơ: "))
    assert code.startswith("000.17.22.H56-") and code.endswith("-0001"), lines
    assert "Người nộp: Trần Thị Bình" in lines
    assert "Số CCCD/CMND: 0793******34" in lines
    assert any(line.startswith("1. Tờ khai đăng ký khai sinh") for line in lines)  # checklist

    tmux.send_keys("F5")
    tmux.wait_for("Tra cứu", WAIT)
    tmux.send_keys(code.lower(), literal=True)  # a scanner types the QR's text, then Enter
    tmux.send_keys("Enter")
    screen = tmux.wait_for(f"{code} · Đã tiếp nhận · Trần Thị Bình", WAIT)
    assert "0793******34" in screen and "Đăng ký khai sinh [HT-KS]" in screen

    tmux.send_keys("C-q")
    assert tmux.wait_exit(WAIT) == 0
