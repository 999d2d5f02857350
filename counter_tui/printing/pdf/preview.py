"""A form checked without paper: its first page as text and as a PNG, by poppler's pdftotext
and pdftoppm (poppler-utils), the same tools a desktop PDF viewer on the counter PC uses.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from counter_tui.core.errors import UserError

TIMEOUT = 30.0


def is_pdf(data: bytes) -> bool:
    return data[:5] == b"%PDF-"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise UserError("legal_form.no_poppler", tool=name)
    return path


def _run(args: list[str]) -> bytes:
    try:
        done = subprocess.run(args, capture_output=True, timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UserError("legal_form.preview_failed", reason=str(exc)) from exc
    if done.returncode != 0:
        raise UserError("legal_form.preview_failed",
                        reason=done.stderr.decode(errors="replace").strip()[:300])
    return done.stdout


def first_page_text(pdf: Path) -> str:
    """The first page's text, laid out as on paper."""
    return _run([_tool("pdftotext"), "-layout", "-f", "1", "-l", "1", "-enc", "UTF-8",
                 str(pdf), "-"]).decode("utf-8", errors="replace").rstrip()


def first_page_png(pdf: Path, png: Path, *, dpi: int = 100) -> Path:
    """The first page as a PNG at `png`."""
    tool = _tool("pdftoppm")
    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(tmp) / "page"
        _run([tool, "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf),
              str(stem)])
        shutil.move(str(stem.with_suffix(".png")), png)
    return png


def preview_pdf_bytes(data: bytes, png: Path) -> str:
    """Text of the first page of a PDF held in memory; its PNG is written to `png`."""
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "form.pdf"
        pdf.write_bytes(data)
        first_page_png(pdf, png)
        return first_page_text(pdf)


def pdf_bytes_text(data: bytes) -> str:
    """Text of the first page of a PDF held in memory."""
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "form.pdf"
        pdf.write_bytes(data)
        return first_page_text(pdf)
