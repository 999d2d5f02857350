"""`counter-tui dossier scan|attach|file|verify-files` and the day report's digitisation
figures, through the real command line, scanning from SANE's simulated scanner.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.test_cli_queue import CLI, refused

pytestmark = pytest.mark.skipif(shutil.which("scanimage") is None and not os.environ.get("CI"),
                                reason="scanimage (sane-utils) is not installed")

FORM, JUDGEMENT = "Tờ khai", "Bản án ly hôn"


@pytest.fixture
def cli(tmp_path: Path, write_config: Callable[..., Path]) -> CLI:
    return CLI(write_config(tmp_path, scanner={
        "device": "test", "resolution": 100, "width_mm": 100, "height_mm": 140,
        "options": ["--test-picture", "Grid"], "timeout_seconds": 5}))


def day_figures(cli: CLI) -> dict[str, Any]:
    done = cli("report", "day", "--format", "json")
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout)["digitised"]["total"])


def test_scan_attach_verify_and_the_days_ratio(cli: CLI, tmp_path: Path) -> None:
    code = cli.json("dossier", "add", "--procedure", "HT-XNHN", "--name", "Nguyễn Văn An",
                    "--phone", "0912345678", "--doc", f"{FORM}:1:0",
                    "--doc", f"{JUDGEMENT}:0:1")["code"]
    several = cli("dossier", "scan", code)  # which document: a usage error, exit 2
    assert several.returncode == 2 and several.stdout == ""
    assert "--document" in several.stderr and JUDGEMENT in several.stderr

    scanned = cli.json("dossier", "scan", code, "--document", FORM)
    assert scanned["pages"] == 1 and len(scanned["sha256"]) == 64 and scanned["seconds"] > 0
    day = day_figures(cli)
    assert (day["received"], day["digitised"], day["ratio"]) == (1, 0, 0.0)

    out = tmp_path / "to-khai.pdf"
    written = cli("dossier", "file", code, "--document", FORM, "--output", str(out))
    assert written.returncode == 0, written.stderr
    attached = cli.json("dossier", "attach", code, str(out), str(out), "--document", JUDGEMENT)
    assert attached["pages"] == 2
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+1$", info.stdout, re.M)
    day = day_figures(cli)
    assert (day["received"], day["digitised"], day["ratio"]) == (1, 1, 1.0)
    text = cli("report", "day").stdout
    assert "Số hóa hồ sơ, kết quả" in text

    verified = cli("dossier", "verify-files")
    assert verified.returncode == 0 and "Đã kiểm tra 2 tệp: 0 tệp lỗi" in verified.stdout
    folder = tmp_path / "data" / "documents"
    first = sorted(folder.rglob("received-to-khai-*.pdf"))[0]
    first.unlink()
    failed = cli("dossier", "verify-files")
    assert failed.returncode == 1 and "THIẾU TỆP" in failed.stdout and code in failed.stdout


def test_a_scanner_that_is_not_there_is_one_message(cli: CLI) -> None:
    code = cli.json("dossier", "add", "--procedure", "HT-XNHN", "--name", "Nguyễn Văn An",
                    "--phone", "0912345678", "--doc", f"{FORM}:1:0")["code"]
    line = refused(cli("dossier", "scan", code, "--device", "test:absent"))
    assert line.startswith("Không tìm thấy máy quét test:absent")
