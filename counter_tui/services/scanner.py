"""The counter's scanner: SANE's `scanimage`, run as a subprocess with a time limit.

A subprocess, not python-sane: a driver that hangs or crashes (they do, on USB) takes only
its own process down, the time limit ends it, and nothing but Debian's sane-utils needs
installing. Pages come back as PNM, are encoded here (`encode_page`: core/scanning.py says
which encoding and why) and go to services.document_files, which combines them into the PDF.

Every failure is one `ScanFailed` saying what is wrong and what to do: no scanimage, no such
device, busy, no paper in the feeder, jammed, too slow to answer.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from counter_tui.config import ScannerConfig
from counter_tui.core import scanning
from counter_tui.core.errors import UserError
from counter_tui.core.roles import Action
from counter_tui.core.scanning import Page, Scanned
from counter_tui.services import authority
from counter_tui.services.store import Store

log = logging.getLogger(__name__)


class ScanFailed(UserError):
    """The scanner could not give the pages; the message says what to do."""


def _command(cfg: ScannerConfig) -> str:
    found = shutil.which(cfg.command)
    if found is None:
        raise ScanFailed("scan.no_scanimage", command=cfg.command)
    return found


def _run(args: list[str], timeout: float, device: str,
         cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """scanimage, given up after `timeout` seconds (run in `cwd`: a feeder batch writes its
    pages there)."""
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, cwd=cwd, errors="replace")
    except subprocess.TimeoutExpired:
        raise ScanFailed("scan.timeout", device=device, seconds=int(timeout)) from None
    except OSError as exc:
        raise ScanFailed("scan.failed", device=device, reason=exc.strerror or str(exc)) from exc


def list_devices(cfg: ScannerConfig) -> list[scanning.Device]:
    """The devices SANE finds (the simulated `test` is never listed: name it in config)."""
    done = _run([_command(cfg), "-f", scanning.LIST_FORMAT], max(cfg.timeout_seconds, 30), "")
    return scanning.devices(done.stdout)


def _device(cfg: ScannerConfig, device: str | None) -> str:
    if device:
        return device
    if cfg.device:
        return cfg.device
    found = list_devices(cfg)
    if not found:
        raise ScanFailed("scan.no_device", device="-", reason="scanimage -L")
    return found[0].name


def _help(command: str, device: str, cfg: ScannerConfig) -> str:
    done = _run([command, "--device-name", device, "--help"], cfg.timeout_seconds, device)
    if done.returncode != 0:
        raise ScanFailed(scanning.failure_key(done.stderr), device=device,
                         reason=scanning.last_line(done.stderr))
    return done.stdout


def request_for(cfg: ScannerConfig, device: str | None = None, *,
                feeder: bool | None = None) -> tuple[str, scanning.ScanRequest]:
    """What to ask the device: its name, the page cut to what it scans, its feeder's name."""
    command, name = _command(cfg), _device(cfg, device)
    feeder = cfg.feeder if feeder is None else feeder
    text = _help(command, name, cfg)
    source = scanning.pick_source(scanning.sources(text), feeder=feeder, duplex=cfg.duplex)
    if source is None:
        raise ScanFailed("scan.no_feeder", device=name)
    width, height = scanning.area(text, cfg.width_mm, cfg.height_mm)
    return command, scanning.ScanRequest(
        device=name, resolution=cfg.resolution, mode=cfg.mode, width_mm=width,
        height_mm=height, source=source, batch="page-%04d.pnm" if source else "",
        max_pages=cfg.max_pages if source else 1, options=cfg.options)


def scan(cfg: ScannerConfig, device: str | None = None, *,
         feeder: bool | None = None) -> Scanned:
    """One sheet from the flatbed, or every sheet in the feeder (both sides where asked)."""
    started = time.monotonic()
    command, request = request_for(cfg, device, feeder=feeder)
    with tempfile.TemporaryDirectory(prefix="counter-scan-") as work:
        folder = Path(work)
        os.chmod(folder, 0o700)  # the pages are personal data
        single = folder / "page-0001.pnm"
        args = scanning.scan_args(command, request, str(single))
        timeout = cfg.timeout_seconds * (request.max_pages if request.batch else 1)
        done = _run(args, timeout, request.device, folder)
        files = sorted(folder.glob("page-*.pnm"))
        files = [f for f in files if f.stat().st_size > 0]
        if done.returncode != 0 or not files:
            key = scanning.failure_key(done.stderr)
            if not files and key == "scan.failed" and request.batch:
                key = "scan.no_paper"
            raise ScanFailed(key, device=request.device,
                             reason=scanning.last_line(done.stderr) or f"exit {done.returncode}")
        pages = tuple(encode_page(f.read_bytes(), request.resolution, cfg.mode, cfg.quality)
                      for f in files)
    seconds = time.monotonic() - started
    log.info("scanned %d page(s) on %s in %.2f s", len(pages), request.device, seconds)
    return Scanned(request.device, pages, seconds)


def encode_page(raw: bytes, dpi: int, mode: str, quality: int) -> Page:
    """One page as the PDF will hold it: CCITT G4 for lineart; JPEG at `quality` for grey
    and colour, or lossless PNG when that is smaller (a clean, flat page)."""
    from PIL import Image

    with Image.open(io.BytesIO(raw)) as opened:
        opened.load()
        image: Image.Image = opened
        if mode == "lineart" or image.mode == "1":
            out = io.BytesIO()
            image.convert("1").save(out, "TIFF", compression="group4", dpi=(dpi, dpi))
            return Page(out.getvalue(), "g4", image.width, image.height, dpi)
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
        jpeg = io.BytesIO()
        image.save(jpeg, "JPEG", quality=quality, optimize=True, dpi=(dpi, dpi))
        flat = io.BytesIO()
        image.save(flat, "PNG", compress_level=6, dpi=(dpi, dpi))
        if flat.tell() <= jpeg.tell():
            return Page(flat.getvalue(), "png", image.width, image.height, dpi)
        return Page(jpeg.getvalue(), "jpeg", image.width, image.height, dpi)


# --- the technician's screen ---------------------------------------------------------------


def devices(store: Store) -> list[scanning.Device]:
    """The scanners SANE finds, and the configured one (SANE never lists its `test`)."""
    authority.require(store, Action.SCANNER_MANAGE)
    cfg = store.cfg.scanner
    found = list_devices(cfg)
    if cfg.device and all(d.name != cfg.device for d in found):
        found.insert(0, scanning.Device(cfg.device, "", "", "config"))
    return found


def test_scan(store: Store, device: str | None = None) -> Scanned:
    """A test page (one sheet, never the feeder), kept nowhere: the figures say the scanner
    works, how long a page takes and how large it is kept."""
    authority.require(store, Action.SCANNER_MANAGE)
    scanned = scan(store.cfg.scanner, device, feeder=False)
    from counter_tui.services import audit

    audit.note(store, "scanner:test", scanned.device)
    return scanned
