"""The documents folder in the backups: one copy of it beside the store's copies.

A document's file is never changed once written (pages added make a new file under a new name,
core.scanning.file_name), so one mirror serves every store copy: each backup copies the files
the mirror does not hold yet and leaves the rest, and a store copy restored from any day finds
the files its rows name. Files leave the mirror only with the dossier's personal data (the
privacy purge removes them here too). Folders 0700, files 0600; no path is logged.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from counter_tui.config import Config
from counter_tui.services import document_files

log = logging.getLogger(__name__)

MIRROR = "documents"


def mirror_of(cfg: Config, backups: Path | None = None) -> Path:
    return (backups if backups is not None else Path(cfg.backup.folder)) / MIRROR


def copy_documents(cfg: Config, backups: Path | None = None) -> int:
    """Copy the documents the mirror lacks (or holds a different size of); returns how many."""
    source = Path(cfg.documents_folder)
    if not source.is_dir():
        return 0
    target = mirror_of(cfg, backups)
    copied = 0
    for path in source.rglob("*.pdf"):
        if path.name.startswith(document_files.PART_PREFIX):
            continue
        relative = path.relative_to(source)
        copy = target / relative
        try:
            if copy.is_file() and copy.stat().st_size == path.stat().st_size:
                continue
            document_files.private_folder(copy.parent)
            part = copy.with_name(f"{document_files.PART_PREFIX}{copy.name}")
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out, path.open("rb") as src:
                shutil.copyfileobj(src, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(part, copy)
            copied += 1
        except FileNotFoundError:
            continue  # removed (a purge, a new version) while the backup ran
        except OSError as exc:
            raise document_files.failure(exc, copy.parent) from exc
    if copied:
        log.info("backup copied %d document file(s)", copied)
    return copied
