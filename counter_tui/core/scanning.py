"""What the counter's scanner is asked and what its answers mean, without running it.

The scanner is driven through SANE's `scanimage` (services/scanner.py runs it): this module
builds its command line from the office's `[scanner]` settings, reads the devices it lists and
the page sources a device offers (flatbed, feeder, duplex feeder: each device names them its own
way), and turns what it writes on failure into one message key saying what to do.

It also names a dossier's document files, and says why pages are encoded the way they are
(services/scanner.py: encode_page). A grey A4 page at 200 dpi is 3.9 MB raw; scanned from
paper, even lossless Flate (PNG) keeps it at 1-3 MB, since the paper's grain is noise to every
encoder; an office keeping years of dossiers needs at most 150 KB a page. So:

* a grey page on light paper first has its paper whitened (levels stretched so the paper's
  median, less a margin, is white: what a document scanner's "background removal" does), then
  is kept as the smaller of JPEG at `[scanner] quality` (60) and 16 grey levels as a 4-bit PNG.
  Text wins with the PNG (sharp edges, white runs free: a dense A4 text page is about 130 KB,
  where JPEG needs about 230 KB for the same page); a photo or a stamp wins with JPEG;
* a colour page: the smaller of JPEG and PNG;
* a lineart page (1 bit): CCITT Group 4, lossless, about 30-60 KB.

The PDF embeds each page as it is (img2pdf: JPEG as DCT, PNG and G4 as their own streams):
combining the pages re-encodes nothing.
"""

from __future__ import annotations

import re
import unicodedata

from counter_tui.core.records import frozen

STAGES = ("received", "result")  # a component the citizen handed in, the result handed back
RESULT_DOCUMENT = "Kết quả"  # the document name of a result scanned without another name

# scanimage's own words for a mode
_MODES = {"gray": "Gray", "color": "Color", "lineart": "Lineart"}


@frozen
class Device:
    name: str  # what `--device` takes
    vendor: str
    model: str
    kind: str


@frozen
class Page:
    """A scanned page as the PDF will hold it (img2pdf embeds it as it is)."""

    data: bytes  # JPEG, PNG or TIFF (CCITT G4)
    kind: str  # jpeg | png | g4
    width: int  # pixels
    height: int
    dpi: int


@frozen
class Scanned:
    device: str
    pages: tuple[Page, ...]
    seconds: float

    @property
    def bytes(self) -> int:
        return sum(len(p.data) for p in self.pages)


@frozen
class ScanRequest:
    device: str
    resolution: int
    mode: str  # gray | color | lineart
    width_mm: int
    height_mm: int
    source: str = ""  # the device's own name of its feeder ("" = its default, the flatbed)
    batch: str = ""  # a file pattern with %d: scan until the feeder is empty
    max_pages: int = 1
    options: tuple[str, ...] = ()


def scan_args(command: str, request: ScanRequest, output: str) -> list[str]:
    """scanimage's arguments: PNM pages (encoded here, not by the device's driver), into
    `output` (one file) or, for a feeder batch, the files of `request.batch`."""
    args = [command, "--device-name", request.device, "--format=pnm",
            "--resolution", str(request.resolution), "--mode", _MODES[request.mode],
            "-x", str(request.width_mm), "-y", str(request.height_mm)]
    if request.source:
        args += ["--source", request.source]
    args += list(request.options)
    if request.batch:
        args += [f"--batch={request.batch}", f"--batch-count={request.max_pages}"]
    else:
        args += ["--output-file", output]
    return args


_LISTED = re.compile(r"^(?P<name>[^|]+)\|(?P<vendor>[^|]*)\|(?P<model>[^|]*)\|(?P<kind>.*)$")
LIST_FORMAT = "%d|%v|%m|%t%n"  # `scanimage -f`: one device a line, read by `devices`


def devices(listing: str) -> list[Device]:
    """The devices `scanimage -f LIST_FORMAT` printed."""
    found = []
    for line in listing.splitlines():
        match = _LISTED.match(line.strip())
        if match:
            found.append(Device(*(match.group(k).strip()
                                  for k in ("name", "vendor", "model", "kind"))))
    return found


_SOURCE = re.compile(r"^\s*--source\s+(?P<choices>[^\[]+?)\s*(\[(?P<now>[^\]]*)\])?\s*$", re.M)
_GEOMETRY = re.compile(r"^\s*-(?P<axis>[xy])\s+(?P<lo>[\d.]+)\.\.(?P<hi>[\d.]+)mm", re.M)


def sources(help_text: str) -> list[str]:
    """The page sources the device offers (`scanimage -d DEV --help`): Flatbed, ADF, ..."""
    match = _SOURCE.search(help_text)
    return [s.strip() for s in match.group("choices").split("|")] if match else []


def pick_source(offered: list[str], *, feeder: bool, duplex: bool) -> str | None:
    """The device's name of the source asked for: "" for its default (no feeder asked), None
    when it has none such (a flatbed asked to feed)."""
    if not feeder and not duplex:
        return ""
    def is_feeder(name: str) -> bool:
        low = name.lower()
        return "adf" in low or "feeder" in low or "duplex" in low

    feeders = [s for s in offered if is_feeder(s)]
    if duplex:
        both = [s for s in feeders if "duplex" in s.lower()]
        return both[0] if both else None
    simplex = [s for s in feeders if "duplex" not in s.lower()]
    return simplex[0] if simplex else (feeders[0] if feeders else None)


def area(help_text: str, width_mm: int, height_mm: int) -> tuple[int, int]:
    """The page asked for, cut to the largest the device scans (its -x and -y ranges)."""
    limits = {m.group("axis"): float(m.group("hi")) for m in _GEOMETRY.finditer(help_text)}
    return (min(width_mm, int(limits.get("x", width_mm))),
            min(height_mm, int(limits.get("y", height_mm))))


# scanimage's words on failure -> the message that says what to do
_FAILURES = (
    ("device busy", "scan.busy"),
    ("out of documents", "scan.no_paper"),
    ("no documents", "scan.no_paper"),
    ("document feeder jammed", "scan.jammed"),
    ("jammed", "scan.jammed"),
    ("cover", "scan.cover_open"),
    ("access to resource has been denied", "scan.denied"),
    ("invalid argument", "scan.no_device"),
    ("no scanners were identified", "scan.no_device"),
    ("no such device", "scan.no_device"),
    ("error during device i/o", "scan.io_error"),
)


def failure_key(stderr: str) -> str:
    """The message key for what scanimage wrote before it gave up."""
    low = stderr.lower()
    for sign, key in _FAILURES:
        if sign in low:
            return key
    return "scan.failed"


def last_line(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def slug(name: str, *, length: int = 40) -> str:
    """A document's name as a file name: ASCII, lower case, words joined by '-'
    ("Tờ khai đăng ký khai sinh" -> "to-khai-dang-ky-khai-sinh")."""
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    words = re.findall(r"[a-z0-9]+", text)
    return "-".join(words)[:length].strip("-") or "tai-lieu"


def file_name(stage: str, document: str, digest: str) -> str:
    """A document's file in its dossier's folder: stage, document and the start of its hash,
    so a new version never takes the name of one a backup still holds."""
    return f"{stage}-{slug(document)}-{digest[:12]}.pdf"


def folder_parts(code: str, month: str) -> tuple[str, str]:
    """A dossier's folder under the documents folder: its month of receipt (YYYY-MM), so no
    folder holds a year of dossiers, then its code."""
    return month, re.sub(r"[^A-Za-z0-9.\-]", "_", code)
