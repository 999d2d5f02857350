"""The README's digitising walk-through in the real `counter-tui` (tmux, 120x36), on SANE's
simulated scanner: an officer receives a dossier and saves it with F9, scans its two documents
(Enter, F10 each), finds it again (F5) and sees them under "Bản số hóa"; the supervisor's board
(F12) shows the day's ratio. The store and the files are checked after the app has quit."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import running
from tests.e2e.test_intake_e2e import applicant
from tests.e2e.tmux import WAIT, TmuxSession

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(shutil.which("scanimage") is None and not os.environ.get("CI"),
                                 reason="scanimage (sane-utils) is not installed")]

SIMULATED = """
[scanner]
device = "test"
options = ["--test-picture", "Grid"]
width_mm = 200
height_mm = 200
timeout_seconds = 4
"""


@pytest.fixture
def scanning_office(office: Path) -> Iterator[TmuxSession]:
    """The office with the simulated scanner configured, as the README's technician does."""
    config = office / "config.toml"
    config.write_text(config.read_text(encoding="utf-8") + SIMULATED, encoding="utf-8")
    with running(office) as session:
        yield session


def scan_one(tmux: TmuxSession, document: str) -> None:
    tmux.wait_for(f"{document} · chưa số hóa", WAIT)
    tmux.send_keys("Enter")
    tmux.wait_for("· 1 trang ·", WAIT)
    tmux.send_keys("F10")
    tmux.wait_for(f"{document} · đã số hóa 1 trang", WAIT)  # kept: the list says so


def test_receive_scan_two_documents_see_them_and_the_days_ratio(
        scanning_office: TmuxSession, office: Path) -> None:
    from counter_tui.config import load
    from counter_tui.db.models import Dossier, DossierFile, database
    from counter_tui.services.store import open_store

    tmux = scanning_office
    tmux.wait_for("Chưa gọi số nào", WAIT)
    parts = applicant("Lê Thị Hồng Nhung", "001190012345", "0912345678",
                      "Thôn 3, xã Minh Hòa", "nhung@example.vn")
    tmux.send_keys(*parts[:-1], "F9")  # F9 in place of F10: save, then scan
    tmux.wait_for("Số hóa hồ sơ", WAIT)
    scan_one(tmux, "Tờ khai đăng ký khai sinh")
    scan_one(tmux, "Giấy chứng sinh (bản chính)")
    tmux.send_keys("Escape")
    tmux.wait_for("Chưa gọi số nào", WAIT)

    tmux.send_keys("F5")
    tmux.wait_for("Tra cứu", WAIT)
    tmux.send_keys("0912345678", literal=True)
    tmux.send_keys("Enter")
    tmux.wait_for("Lê Thị Hồng Nhung", WAIT)
    tmux.send_keys("Enter")
    tmux.wait_for("Đã tiếp nhận · Lê Thị Hồng Nhung", WAIT)
    tmux.send_keys("NPage")  # below the dossier's facts
    screen = tmux.wait_for("thành phần hồ sơ", WAIT)  # the files' rows, under "Bản số hóa"
    files = screen.split("Bản số hóa", 1)[1]
    assert "Tờ khai đăng ký khai sinh" in files and "Giấy chứng sinh (bản chính)" in files
    tmux.send_keys("Escape")
    tmux.send_keys("Escape")
    tmux.wait_for("Chưa gọi số nào", WAIT)
    tmux.send_keys("F12")
    tmux.wait_for("Tỷ lệ trực tuyến", WAIT)
    tmux.send_keys("NPage")  # the digitised share is below the day's dossiers and the online share
    tmux.wait_for("100% (1/1)", WAIT)
    tmux.send_keys("C-q")
    assert tmux.wait_exit(WAIT) == 0

    cfg = load(str(office / "config.toml"), environ={})
    store = open_store(cfg, seed=False)
    try:
        with store.read():
            rows = list(DossierFile.select(DossierFile, Dossier.code).join(Dossier))
    finally:
        store.close()
        database.initialize(None)
    assert [(r.document, r.pages, r.officer) for r in rows] == [
        ("Tờ khai đăng ký khai sinh", 1, "canbo1"), ("Giấy chứng sinh (bản chính)", 1, "canbo1")]
    folder = office / "data" / "documents"
    assert all((folder / r.path).is_file() for r in rows)
