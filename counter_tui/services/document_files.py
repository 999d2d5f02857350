"""The documents folder: a dossier's digitised documents as PDF files, written so that a file
with a name is always whole.

A PDF is written under a temporary name in its final folder, flushed to the disk (fsync), then
renamed (atomic on one file system) and the folder flushed too; only then does
services.documents commit its row. So a crash leaves at most a file without a row (which
`verify-files` lists as unrecorded), never a row without its file or a half file counted.
Folders are 0700 and files 0600 whatever the umask: they are personal data. Paths are never
logged.

Pages are combined without re-encoding: scanned pages (JPEG, PNG, CCITT G4) by img2pdf, which
embeds them as they are, and attached PDFs page by page with pikepdf.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from counter_tui.core.errors import UserError, os_reason
from counter_tui.core.records import frozen

PART_PREFIX = ".part-"


class DocumentsUnavailable(UserError):
    """The documents folder cannot be written or read; the message says what to do."""


@frozen
class Written:
    path: Path
    sha256: str
    pages: int
    bytes: int


def private_folder(folder: Path) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
    except OSError as exc:
        raise failure(exc, folder) from exc


def failure(exc: OSError, folder: Path) -> DocumentsUnavailable:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DocumentsUnavailable("documents.disk_full", folder=folder)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return DocumentsUnavailable("documents.read_only", folder=folder)
    return DocumentsUnavailable("documents.io_error", folder=folder,
                                reason=os_reason(exc))


def pdf_of_images(images: Sequence[bytes]) -> bytes:
    """Scanned pages (JPEG, PNG, TIFF G4) as one PDF, each embedded as it is."""
    import img2pdf

    return bytes(img2pdf.convert(list(images)))


def combined(parts: Iterable[bytes]) -> bytes:
    """Several PDFs as one, their pages in order, copied as they are."""
    import pikepdf

    out = pikepdf.Pdf.new()
    sources = []
    for data in parts:
        source = pikepdf.Pdf.open(io.BytesIO(data))
        sources.append(source)
        out.pages.extend(source.pages)
    buffer = io.BytesIO()
    out.save(buffer)
    for source in sources:
        source.close()
    return buffer.getvalue()


def page_count(data: bytes) -> int:
    import pikepdf

    try:
        with pikepdf.Pdf.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages)
    except pikepdf.PdfError:
        return 0


def as_pdf(data: bytes, name: str) -> bytes:
    """An attached file as PDF: a PDF as it is, an image (JPEG, PNG, TIFF) embedded whole."""
    if data[:5] == b"%PDF-":
        if page_count(data) == 0:
            raise UserError("documents.not_readable", file=name)
        return data
    try:
        return pdf_of_images([data])
    except Exception as exc:  # img2pdf raises its own and Pillow's errors for what it cannot read
        raise UserError("documents.not_readable", file=name) from exc


def write_atomic(folder: Path, name: str, data: bytes) -> Written:
    """`data` as folder/name, whole or not at all."""
    private_folder(folder)
    final = folder / name
    part = folder / f"{PART_PREFIX}{os.getpid()}-{name}"
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(part, final)
        _sync_folder(folder)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise failure(exc, folder) from exc
    return Written(final, hashlib.sha256(data).hexdigest(), page_count(data), len(data))


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def remove(path: Path) -> None:
    # a file left behind is listed by verify-files as unrecorded; the row is what counts
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
    parent = path.parent
    with contextlib.suppress(OSError):
        if parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
