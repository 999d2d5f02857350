"""The font the forms are set in: DejaVu Serif, cut down to the letters Vietnamese needs.

DejaVu (fonts-dejavu-core) has every Vietnamese letter, precomposed and combining, and a
licence that lets it be shipped. The whole face is 700 KB and fpdf2 reads all of it for each
document; the subset shipped here (Latin, Vietnamese, the punctuation forms use: about 36 KB a
style) reads in a few milliseconds, and fpdf2 still embeds only the glyphs a page uses.
`python -m counter_tui.printing.pdf.fonts SRC_DIR` builds the subset again from DejaVu.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

HERE = Path(__file__).parent / "fonts"
FAMILY = "DejaVuSerif"
STYLES = {"": "DejaVuSerif-vi.ttf", "B": "DejaVuSerif-Bold-vi.ttf"}
SOURCES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf"}
SYSTEM_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu",
               "/usr/local/share/fonts")
# Basic Latin, Latin-1, Latin Extended-A (Đ đ Ĩ ĩ Ũ ũ), Ơ ơ Ư ư, the combining marks, the
# Vietnamese block (Ạ-ỹ), dashes and quotes, the đồng sign, №
RANGES = ((0x20, 0x7E), (0xA0, 0x17F), (0x1A0, 0x1B0), (0x300, 0x323), (0x1EA0, 0x1EF9),
          (0x2010, 0x2026), (0x20AB, 0x20AC), (0x2116, 0x2116))


def codepoints() -> list[int]:
    return [c for lo, hi in RANGES for c in range(lo, hi + 1)]


def font_files() -> dict[str, Path]:
    """style -> the font file: the shipped subset, else DejaVu Serif from the system."""
    shipped = {style: HERE / name for style, name in STYLES.items()}
    if all(p.is_file() for p in shipped.values()):
        return shipped
    for folder in SYSTEM_DIRS:
        found = {style: Path(folder) / name for style, name in SOURCES.items()}
        if all(p.is_file() for p in found.values()):
            return found
    raise FileNotFoundError("DejaVu Serif")


def build_subset(source: Path, target: Path) -> int:
    """Write the Vietnamese subset of `source` to `target`; returns its size in bytes."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source))
    options = subset.Options()
    options.layout_features = []  # fpdf2 sets text glyph by glyph: no shaping tables needed
    options.hinting = False
    options.name_IDs = ["*"]  # keep the copyright and licence names
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints())
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    target.write_bytes(out.getvalue())
    return len(out.getvalue())


def main(argv: list[str]) -> int:
    source_dir = Path(argv[0]) if argv else Path(SYSTEM_DIRS[0])
    for style, name in SOURCES.items():
        size = build_subset(source_dir / name, HERE / STYLES[style])
        print(f"{STYLES[style]}: {size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
