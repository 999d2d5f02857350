"""The config file's table, read once per version of the file.

Every `counter-tui` process reads config.toml, and Python's TOML reader is pure Python: loading
it and parsing a config took about 4 % of a kiosk's `ticket issue`, which runs once for every
citizen's ticket. The table read is kept as JSON in the user's cache folder (beside python-
escpos's printer database, counter_tui.printing.escpos_safe), under the SHA-256 of the file's
text, so any change to the file, whatever its dates say, is read afresh. A table JSON cannot
hold as it is (a TOML date) is not kept; a cache that cannot be read or written is passed over
and the file read as before. The cache is the user's alone (0600): a config may hold the
store's password.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from counter_tui.config_locate import user_cache_dir


def cache_file(config: Path) -> Path:
    """Where the table of the config file at `config` is kept."""
    name = hashlib.sha256(os.path.abspath(config).encode("utf-8")).hexdigest()[:24]
    return user_cache_dir() / "config" / f"{name}.json"


def read_toml(text: str, config: Path) -> dict[str, Any]:
    """`tomllib.loads(text)`, from the cache when this text was read before. A file that is
    not TOML raises tomllib.TOMLDecodeError (a ValueError), as tomllib does."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    where = cache_file(config)
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError, AttributeError):
        kept = json.loads(where.read_text(encoding="utf-8"))
        if kept["sha256"] == digest and isinstance(kept["table"], dict):
            table: dict[str, Any] = kept["table"]
            return table
    import tomllib

    table = tomllib.loads(text)
    _keep(where, digest, table)
    return table


def _keep(where: Path, digest: str, table: dict[str, Any]) -> None:
    try:
        data = json.dumps({"sha256": digest, "table": table}, ensure_ascii=False,
                          allow_nan=False)
    except (TypeError, ValueError):  # a date, a time or an infinite number: read each time
        return
    part = where.with_name(f"{where.stem}.{os.getpid()}.part")
    try:
        where.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(data)
        os.replace(part, where)  # whole or not at all, whoever reads it meanwhile
    except OSError:
        with contextlib.suppress(OSError):
            part.unlink()
