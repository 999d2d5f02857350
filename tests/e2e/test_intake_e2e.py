"""The whole visit in the real `counter-tui` (tmux, 120x36), typed at an officer's real speeds.

- At a person's pace (50-100 ms a key, no pause after Tab): a ticket (F2), the call (F3), the
  dossier received for it (F4) with its receipt in the printer file, then the receipt's code
  typed as a barcode scanner types it (F5) brings the dossier back.
- As one burst (everything handed to the terminal at once, as a scanner or a macro sends it):
  F4, the procedure, Enter, every field with Tab between them, F10.

Each checks every field stored, not only what the screen shows."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from counter_tui.config import load
from tests.conftest import sign_in_as
from tests.e2e.tmux import WAIT, TmuxSession, wait_printed

pytestmark = pytest.mark.e2e

KEY_NAMES = {"Tab", "Enter", "BTab", "F2", "F3", "F4", "F5", "F10"}


def applicant(name: str, cccd: str, phone: str, address: str, email: str) -> list[str]:
    """The intake typed from the counter screen: F4, the procedure without diacritics, Enter
    (the name has the focus next), each field with Tab, F10."""
    return ["F4", "dang ky khai sinh", "Enter", name, "Tab", cccd, "Tab", phone, "Tab", address,
            "Tab", email, "F10"]


def keys_of(parts: list[str]) -> Iterator[tuple[str, bool]]:
    """(key, literal) one key at a time: key names as they are, text character by character."""
    for part in parts:
        if part in KEY_NAMES:
            yield part, False
        else:
            yield from ((ch, True) for ch in part)


def type_at_a_persons_pace(tmux: TmuxSession, parts: list[str], seed: int = 7) -> None:
    pace = random.Random(seed)
    for key, literal in keys_of(parts):
        tmux.send_keys(key, literal=literal)
        time.sleep(pace.uniform(0.05, 0.10))


def stored_dossier(office: Path, phone: str) -> dict[str, Any]:
    """The dossier of `phone` as the office's store holds it (read after the app has quit)."""
    from counter_tui.db.models import Dossier, DossierDocument, database
    from counter_tui.services import lookup
    from counter_tui.services.store import open_store

    cfg = load(str(office / "config.toml"), environ={})
    store = sign_in_as(open_store(cfg, seed=False), "canbo1")
    try:
        [found] = lookup.find(store, phone).items
        with store.read():
            d = Dossier.get(Dossier.code == found.code)
            documents = [doc.name for doc in DossierDocument.select()
                         .where(DossierDocument.dossier == d.id).order_by(DossierDocument.position)]
            return {"code": d.code, "procedure": d.procedure_code, "channel": d.channel,
                    "name": d.applicant_name, "id_number": d.id_number, "phone": d.phone,
                    "address": d.address, "email": d.email, "ticket": d.ticket_id,
                    "documents": documents}
    finally:
        store.close()
        database.initialize(None)


def test_a_visit_typed_at_a_persons_pace(counter_tui: TmuxSession, office: Path) -> None:
    tmux = counter_tui
    tmux.wait_for("Chưa gọi số nào", WAIT)
    tmux.send_keys("F2")
    tmux.wait_for("Cấp số thứ tự", WAIT)
    tmux.send_keys("a", literal=True)
    tmux.wait_for("Đang in số A001", WAIT)
    tmux.send_keys("F3")
    tmux.wait_for("Mời số A001", WAIT)

    type_at_a_persons_pace(tmux, applicant("Trần Thị Bình", "079301001234", "0987654321",
                                           "Số 5 ngõ 2, phường Hòa Bình", "binh@example.vn"))
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
    d = stored_dossier(office, "0987654321")
    assert {k: d[k] for k in ("code", "procedure", "channel", "name", "id_number", "phone",
                              "address", "email", "ticket")} == {
        "code": code, "procedure": "HT-KS", "channel": "walk_in", "name": "Trần Thị Bình",
        "id_number": "079301001234", "phone": "0987654321",
        "address": "Số 5 ngõ 2, phường Hòa Bình", "email": "binh@example.vn", "ticket": 1}


def test_a_whole_intake_as_one_burst(counter_tui: TmuxSession, office: Path) -> None:
    tmux = counter_tui
    tmux.wait_for("Chưa gọi số nào", WAIT)
    parts = applicant("Lê Thị Hồng Nhung", "001190012345", "0912345678",
                      "Thôn 3, xã Minh Hòa", "nhung@example.vn")
    tmux.send_keys(*parts)  # one send-keys: the terminal gets every key at once
    tmux.wait_for("Đã tiếp nhận hồ sơ", WAIT)
    tmux.send_keys("C-q")
    assert tmux.wait_exit(WAIT) == 0
    d = stored_dossier(office, "0912345678")
    assert {k: d[k] for k in ("procedure", "channel", "name", "id_number", "phone", "address",
                              "email", "ticket")} == {
        "procedure": "HT-KS", "channel": "walk_in", "name": "Lê Thị Hồng Nhung",
        "id_number": "001190012345", "phone": "0912345678", "address": "Thôn 3, xã Minh Hòa",
        "email": "nhung@example.vn", "ticket": None}
    assert d["documents"][:2] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh (bản chính)"]
