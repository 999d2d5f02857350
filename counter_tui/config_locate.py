"""Where the config file and the data folder are, so the installed app runs from any folder.

The config file is the first of, in this order: `--config PATH`, `COUNTER_TUI_CONFIG`,
`./config.toml` (the folder the command runs in), the user's config folder
(`~/.config/counter-tui/config.toml` on Linux), the machine's (`/etc/counter-tui/config.toml`).
The first two name a file that must exist; the others are looked for. The data folder (store,
log, file printer) is the config's `data` key, else the platform's user data folder
(`~/.local/share/counter-tui` on Linux). platformdirs is imported only when a user folder is
asked for: textual loads it anyway for the counter screen, and a subcommand run with
`--config` does not pay for it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from counter_tui.core.records import frozen

APP = "counter-tui"
FILE_NAME = "config.toml"
ENV_CONFIG = "COUNTER_TUI_CONFIG"
SYSTEM_CONFIG = Path("/etc/counter-tui/config.toml")


def user_config_file() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP, appauthor=False) / FILE_NAME


def user_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False)


def user_cache_dir() -> Path:
    """The user's cache folder for the app (what it has read of the config, python-escpos's
    printer database): `$XDG_CACHE_HOME/counter-tui`, else `~/.cache/counter-tui`. Read
    without platformdirs, since every command reaches it before anything else loads that."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / APP


@frozen
class Found:
    """The config file to read and why it is that one (for `config show`)."""

    path: Path | None  # None: no config anywhere
    how: str  # "--config", "COUNTER_TUI_CONFIG", "folder", "user", "system"


def candidates(cwd: Path | None = None) -> list[tuple[str, Path]]:
    """The places looked in when no file is named, in order."""
    return [("folder", (cwd or Path.cwd()) / FILE_NAME), ("user", user_config_file()),
            ("system", SYSTEM_CONFIG)]


def find_config(explicit: str | None = None, environ: Mapping[str, str] | None = None,
                cwd: Path | None = None) -> Found:
    env = os.environ if environ is None else environ
    if explicit:
        return Found(Path(explicit), "--config")
    if env.get(ENV_CONFIG):
        return Found(Path(env[ENV_CONFIG]), ENV_CONFIG)
    here = (cwd or Path.cwd()) / FILE_NAME
    if here.is_file():  # an office's own folder: no user folder to work out (platformdirs)
        return Found(here, "folder")
    for how, path in candidates(cwd)[1:]:
        if path.is_file():
            return Found(path, how)
    return Found(None, "")
