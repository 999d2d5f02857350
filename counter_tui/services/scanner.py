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
from typing import Any

from counter_tui.config import ScannerConfig
from counter_tui.core import scanning
from counter_tui.core.errors import UserError, os_reason
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
        raise ScanFailed("scan.failed", device=device, reason=os_reason(exc)) from exc


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
        raise ScanFailed("scan.none_found")
    return found[0].name


_OPTIONS: dict[tuple[str, str], str] = {}  # (scanimage, device) -> its options, read once


def _help(command: str, device: str, cfg: ScannerConfig) -> str:
    """The device's options (`--all-options`, not `--help`: that one also lists every device
    SANE can find, seconds of asking the network)."""
    known = _OPTIONS.get((command, device))
    if known is not None:
        return known
    done = _run([command, "--device-name", device, "--all-options"], cfg.timeout_seconds,
                device)
    if done.returncode != 0:
        raise ScanFailed(scanning.failure_key(done.stderr), device=device,
                         reason=scanning.last_line(done.stderr))
    _OPTIONS[(command, device)] = done.stdout
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
        try:
            done = _run(args, timeout, request.device, folder)
        except ScanFailed as exc:
            # A sheet on the glass that got no answer is asked for once more: drivers (and
            # SANE's own test device, on a loaded machine) now and then hang at the start of
            # a scan and answer the next. Never a feeder: its sheets may have gone through.
            if exc.key != "scan.timeout" or request.batch or any(folder.iterdir()):
                raise
            log.warning("the scanner did not answer within %.0f s; asking once more", timeout)
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
    """One page as the PDF will hold it (core/scanning.py says why): CCITT G4 for lineart;
    for grey, the paper whitened, then the smaller of JPEG at `quality` and 16-level PNG;
    for colour, the smaller of JPEG and PNG."""
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
        candidates = [("jpeg", _jpeg(image, quality, dpi))]
        if image.mode == "L":
            image = _whitened(image)
            candidates = [("jpeg", _jpeg(image, quality, dpi)), ("png", _levels16(image, dpi))]
        else:
            flat = io.BytesIO()
            image.save(flat, "PNG", compress_level=6, dpi=(dpi, dpi))
            candidates.append(("png", flat.getvalue()))
        kind, data = min(candidates, key=lambda c: len(c[1]))
        return Page(data, kind, image.width, image.height, dpi)


def _jpeg(image: Any, quality: int, dpi: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, dpi=(dpi, dpi))
    return out.getvalue()


def _whitened(image: Any) -> Any:
    """A grey page on light paper with the paper made white: levels stretched so the paper's
    grain (the median, most of a document is paper, less a margin) reaches 255. Grain is
    noise every encoder pays for; a page that is not mostly light paper is left as it is."""
    histogram, half, seen = image.histogram(), image.width * image.height / 2, 0
    paper = 255
    for value, count in enumerate(histogram):
        seen += count
        if seen >= half:
            paper = value
            break
    if paper < PAPER_AT_LEAST:
        return image
    white = paper - PAPER_MARGIN
    return image.point([min(255, round(v * 255 / white)) for v in range(256)])


PAPER_AT_LEAST, PAPER_MARGIN = 180, 35
_GREYS16: Any = None


def _levels16(image: Any, dpi: int) -> bytes:
    """16 grey levels as a 4-bit PNG: text keeps its sharp edges, white runs cost nothing."""
    from PIL import Image

    global _GREYS16
    if _GREYS16 is None:
        _GREYS16 = Image.new("P", (1, 1))
        _GREYS16.putpalette([c for v in range(16) for c in (v * 17,) * 3])
    quantised = image.point(lambda v: (v // 17) * 17).quantize(
        palette=_GREYS16, dither=Image.Dither.NONE)
    out = io.BytesIO()
    # zlib level 6: 5 % larger than optimize's level 9 at an eighth of the time (0.35 s a page)
    quantised.save(out, "PNG", bits=4, compress_level=6, dpi=(dpi, dpi))
    return out.getvalue()


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
