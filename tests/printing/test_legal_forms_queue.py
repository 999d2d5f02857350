"""The forms through the print queue: [forms] chooses the thermal slip, the form or both per
slip kind; a form goes to a CUPS queue as a normal job (a stand-in `lp` on PATH records what
it was given) or into a folder; a refused form fails visibly, never holds the slips behind it
back, and prints when reprinted; the command line writes and previews forms."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from counter_tui.core.intake import DocumentLine, DossierDraft
from counter_tui.db.models import PrintJob
from counter_tui.printing.spooler import drain
from counter_tui.services import intake, printjobs
from counter_tui.services.printjobs import FAILED, QUEUED, SENT
from counter_tui.services.store import Store
from tests.conftest import clean_env, staff_key

NAME = "Hoàng Thị Phượng Loan"
LP = """#!/bin/sh
# a stand-in for CUPS' lp: records its arguments and the job, or refuses like a stopped queue
dir="$(dirname "$0")"
n=$(ls "$dir"/job-*.pdf 2>/dev/null | wc -l)
if [ -e "$dir/refuse" ]; then
  echo "lp: Error - The printer or class does not exist." >&2
  exit 1
fi
echo "$@" > "$dir/args-$n"
cat > "$dir/job-$n.pdf"
echo "request id is office-$n (1 file(s))"
"""


@pytest.fixture
def fake_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    lp = folder / "lp"
    lp.write_text(LP, encoding="utf-8")
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return folder


def receive(store: Store) -> tuple[str, int]:
    draft = DossierDraft(channel="walk_in", procedure_code="HT-KS", applicant_name=NAME,
                         id_number="001090012345", phone="0912345678",
                         address="Xóm Đồng, xã Ngọc Thiện, huyện Tân Yên, tỉnh Bắc Giang",
                         documents=[DocumentLine("Tờ khai đăng ký khai sinh", 1, 0)])
    received = intake.receive(store, draft)
    return received.dossier.code, received.print_job


def send_all(store: Store) -> int:
    return drain(partial(printjobs.claim, store), partial(printjobs.sent, store),
                 lambda job_id, reason, transient, maybe_printed: printjobs.failed(
                     store, job_id, reason, transient=transient, maybe_printed=maybe_printed),
                 store.cfg.printer)


def jobs(store: Store) -> list[tuple[str, str, str]]:
    with store.read():
        return [(j.kind, j.state, j.error) for j in PrintJob.select().order_by(PrintJob.id)]


def test_both_sends_the_slip_then_mau01_as_a_normal_cups_job(
        open_test_store: Callable[..., Store], fake_lp: Path) -> None:
    store = open_test_store(forms={"receipt": "both", "output": "cups", "target": "office"})
    code, job = receive(store)
    assert [k for k, _, _ in jobs(store)] == ["receipt", "form01"]  # the citizen's slip first
    assert printjobs.print_status(store, job).kind == "biên nhận hồ sơ"
    assert send_all(store) == 2
    assert [s for _, s, _ in jobs(store)] == [SENT, SENT]
    args = (fake_lp / "args-0").read_text().split()
    assert args[:2] == ["-d", "office"] and "raw" not in " ".join(args)
    assert "media=A4" in args
    pdf = (fake_lp / "job-0.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-")
    import io

    from pypdf import PdfReader
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert code in text.replace("\n", "") and "Hoàng Thị Phượng Loan" in text


def test_a_refused_form_fails_visibly_and_prints_when_reprinted(
        open_test_store: Callable[..., Store], fake_lp: Path) -> None:
    store = open_test_store(forms={"receipt": "a5", "output": "cups", "target": "office"})
    (fake_lp / "refuse").touch()
    code, job = receive(store)
    assert [k for k, _, _ in jobs(store)] == ["form01"]  # the form only: its job is returned
    receive(store)
    send_all(store)
    states = jobs(store)
    assert [s for _, s, _ in states] == [FAILED, FAILED]  # no retry: the next was not held
    assert "office" in states[0][2] and "does not exist" in states[0][2]
    shown = printjobs.problems(store)
    assert {p.kind for p in shown} == {"form01"} and {p.label for p in shown} >= {code}
    (fake_lp / "refuse").unlink()
    printjobs.retry(store, job)
    assert printjobs.status(store, job)[0] == QUEUED
    send_all(store)
    assert printjobs.status(store, job)[0] == SENT
    assert "media=A5" in (fake_lp / "args-0").read_text()


def test_a4_only_to_a_folder_and_the_reprint_from_the_dossier(
        open_test_store: Callable[..., Store], tmp_path: Path) -> None:
    from counter_tui.core.legal_forms import Form
    from counter_tui.services import legal_forms

    folder = tmp_path / "forms"
    store = open_test_store(forms={"receipt": "a4", "output": "folder", "target": str(folder)})
    code, _ = receive(store)
    send_all(store)
    again = legal_forms.print_form(store, code, Form.RECEIPT)
    send_all(store)
    assert printjobs.status(store, again)[0] == SENT
    saved = sorted(folder.glob("*.pdf"))
    assert len(saved) == 2 and all(p.read_bytes().startswith(b"%PDF-") for p in saved)
    assert not list(folder.glob("*.part"))  # written whole or not at all
    assert [k for k, _, _ in jobs(store)] == ["form01", "form01"]


def test_thermal_by_default_prints_no_form(open_test_store: Callable[..., Store]) -> None:
    store = open_test_store()
    receive(store)
    assert [k for k, _, _ in jobs(store)] == ["receipt"]


def _cli(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "counter_tui", "--config", str(config),
                             *args], capture_output=True, text=True,
                            env=clean_env(COUNTER_TUI_KEY=staff_key(config)),
                            cwd=config.parent, timeout=120)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


@pytest.mark.skipif(not all(map(__import__("shutil").which, ("pdftoppm", "pdftotext"))),
                    reason="poppler-utils (pdftoppm, pdftotext) is not installed")
def test_the_command_line_writes_mau01_and_mau06_and_previews_them(
        tmp_path: Path, write_config: Callable[..., Path]) -> None:
    config = write_config(tmp_path)
    added = _cli(config, "dossier", "add", "--procedure", "HT-KS", "--name", NAME,
                 "--id", "001090012345", "--phone", "0912345678", "--json")
    assert added.returncode == 0, added.stderr
    import json

    code = json.loads(added.stdout)["code"]
    out = tmp_path / "f01.pdf"
    done = _cli(config, "dossier", "form", code, "--form", "01", "--output", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF-") and "Mẫu 01" in done.stdout
    shown = _cli(config, "printer", "preview", str(out), "--png", str(tmp_path / "f01.png"))
    assert shown.returncode == 0, shown.stderr
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in shown.stdout and NAME in shown.stdout
    assert (tmp_path / "f01.png").read_bytes().startswith(b"\x89PNG")

    register = tmp_path / "so.pdf"
    done = _cli(config, "report", "register-form", "--from", "2020-01-01", "--to",
                "2030-12-31", "--output", str(register))
    assert done.returncode == 0, done.stderr
    shown = _cli(config, "printer", "preview", str(register))
    assert "SỔ THEO DÕI HỒ SƠ" in shown.stdout
    from pypdf import PdfReader

    page = PdfReader(register).pages[0]
    assert code in "".join(page.extract_text().split()) and page.mediabox.width > 800

    refused = _cli(config, "dossier", "form", code, "--form", "03", "--output", str(out))
    assert refused.returncode == 1 and code in refused.stderr  # nothing refused: said so
    unknown = _cli(config, "dossier", "form", code, "--form", "09", "--output", str(out))
    assert unknown.returncode != 0 and "09" in unknown.stderr
    nowhere = _cli(config, "dossier", "form", code)
    assert nowhere.returncode == 2 and "--output" in nowhere.stderr
