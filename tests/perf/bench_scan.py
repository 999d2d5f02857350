"""Digitising: seconds per page from the scanner to the stored PDF (scan, encode, combine,
write with fsync, hash, commit), and bytes per page kept.

- SANE's simulated scanner (`scanimage -d test`, its grid picture), grey 200 dpi, at the
  largest page it gives (200 x 200 mm), one sheet from the flatbed and a 10-sheet feeder batch;
  floor: `scanimage` alone producing the same page (SANE's own cost, same run);
- a grey A4 page at 200 dpi that looks like paper (text on a grainy background: a scanner's
  noise, which a flat test picture has none of), encoded as a page is kept, against the
  target of 150 KB a page; floor: the same page as lossless PNG.

    .venv/bin/python -m tests.perf.bench_scan [--quick]
"""

from __future__ import annotations

import dataclasses
import io
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.perf.common import load_config, office_dir, summary
from tests.perf.floors import load

PAGE_MM = 200  # the test device's largest page
DPI = 200


def paper_page() -> bytes:
    """A grey A4 page at 200 dpi as a scanner gives it: lines of text on paper with grain."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = 1654, 2339
    rng = random.Random(17)
    noise = bytes(max(0, min(255, int(rng.gauss(232, 7)))) for _ in range(width * height))
    page = Image.frombytes("L", (width, height), noise)
    draw = ImageDraw.Draw(page)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 30)
    except OSError:
        font = ImageFont.load_default()
    line = "Cộng hòa xã hội chủ nghĩa Việt Nam - Độc lập - Tự do - Hạnh phúc 0123456789"
    for y in range(160, height - 160, 52):
        draw.text((140, y), line[: 30 + (y // 52) % 40], fill=rng.randint(20, 60), font=font)
    out = io.BytesIO()
    page.save(out, "PPM")
    return out.getvalue()


def main(quick: bool = False) -> None:
    from counter_tui.core.intake import DocumentLine, DossierDraft
    from counter_tui.core.roles import Actor, Role
    from counter_tui.db.models import DossierFile
    from counter_tui.services import documents, intake
    from counter_tui.services.scanner import encode_page
    from counter_tui.services.store import open_store

    print(load(), flush=True)
    folder = office_dir()
    cfg = load_config(folder)
    scanner = dataclasses.replace(cfg.scanner, device="test", resolution=DPI, mode="gray",
                                  width_mm=PAGE_MM, height_mm=PAGE_MM,
                                  options=("--test-picture", "Grid"))
    cfg = dataclasses.replace(cfg, scanner=scanner)
    store = open_store(cfg)
    store.sign_in(Actor("bench", "Bench", frozenset({Role.OFFICER})))
    runs = 5 if quick else 20
    documents_of = [f"Giấy tờ {i}" for i in range(runs + 1)]
    code = intake.receive(store, DossierDraft(
        procedure_code="HT-XNHN", applicant_name="Nguyễn Văn Đạt", phone="0912345678",
        documents=[DocumentLine(name, 1, 0) for name in documents_of])).dossier.code

    sane = [f"{cfg.scanner.command}", "-d", "test", "--format=pnm", "--mode", "Gray",
            "--resolution", str(DPI), "-x", str(PAGE_MM), "-y", str(PAGE_MM),
            "--test-picture", "Grid"]
    floor = []
    with tempfile.TemporaryDirectory() as work:
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([*sane, "-o", str(Path(work) / "p.pnm")], check=True,
                           capture_output=True)
            floor.append(time.perf_counter() - started)

    documents.scan(store, code, documents_of[0])  # warm: imports
    samples, sizes = [], []
    for name in documents_of[1:]:
        started = time.perf_counter()
        view, _ = documents.scan(store, code, name)
        samples.append((time.perf_counter() - started) / view.pages)
        sizes.append(view.bytes / view.pages)
    summary(f"scan -> stored PDF, 1 sheet grey {DPI} dpi", samples, unit="s/page",
            floor=("scanimage alone, same page", floor))
    summary("  bytes per page (test grid)", sizes, unit="B")

    store.cfg = dataclasses.replace(cfg, scanner=dataclasses.replace(scanner, feeder=True,
                                                                      max_pages=10))
    batch = []
    for i in range(2 if quick else 5):
        started = time.perf_counter()
        view, _ = documents.scan(store, code, f"Tập {i}")
        batch.append((time.perf_counter() - started) / view.pages)
    summary("scan -> stored PDF, 10-sheet feeder batch", batch, unit="s/page",
            floor=("scanimage alone, same page", floor))

    raw = paper_page()
    encoded, timings = [], []
    for _ in range(3 if quick else 10):
        started = time.perf_counter()
        page = encode_page(raw, DPI, "gray", cfg.scanner.quality)
        timings.append((time.perf_counter() - started) * 1000)
        encoded.append(len(page.data))
    from PIL import Image

    lossless = io.BytesIO()
    Image.open(io.BytesIO(raw)).save(lossless, "PNG", compress_level=6)
    summary(f"A4 paper page, grey {DPI} dpi, kept as {page.kind.upper()}",
            [n / 1024 for n in encoded], unit="KB", target="<= 150 KB",
            floor=("the same page as lossless PNG", [lossless.tell() / 1024]))
    summary("  encoding time", timings)
    stored = []
    for i in range(3 if quick else 10):
        started = time.perf_counter()
        documents.keep_pages(store, code, f"Trang giấy {i}",
                             [encode_page(raw, DPI, "gray", cfg.scanner.quality)])
        stored.append(time.perf_counter() - started)
    summary("A4 paper page: encode -> stored PDF", stored, unit="s/page",
            floor=("scanimage alone, 200x200 mm page", floor))
    with store.read():
        kept = list(DossierFile.select(DossierFile.pages, DossierFile.bytes))
    pages = sum(f.pages for f in kept)
    print(f"{'stored: documents, pages, bytes per page':<44} {len(kept)} documents, {pages} "
          f"pages, {sum(f.bytes for f in kept) / max(1, pages):.0f} B/page", flush=True)
    store.close()


if __name__ == "__main__":
    main("--quick" in sys.argv)
