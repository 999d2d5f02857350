"""python-escpos, imported and called with its known traps contained.

python-escpos 3.1 is the project's ESC/POS command builder, but importing and calling it has side
effects a terminal app cannot afford:

- at import, `escpos.capabilities` calls `logging.basicConfig()`, which adds a handler to the root
  logger that writes to stderr over the TUI;
- at import, it pickles its printer database into `ESCPOS_CAPABILITIES_PICKLE_DIR`, else into a
  fresh temp directory; and it calls `mkdtemp()` on every import even when the variable is set
  (`environ.get(NAME, mkdtemp())` evaluates its default first): one leaked directory per run;
- `image()`, `barcode()` and `qr()` `print()` to stdout (e.g. "The media.width.pixel field of the
  printer profile is not set"), which would corrupt the Textual screen.

So escpos is imported here only, lazily (the app must start in well under a second, and escpos
pulls in PIL, qrcode, python-barcode and YAML), with the pickle kept in a stable per-user cache
directory, written atomically (two processes starting at once never read half a pickle), its
`mkdtemp()` answered with that directory instead of a new one, and the root handler removed.
`quiet()` swallows what escpos prints. This module itself imports only the standard library.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

PICKLE_ENV = "ESCPOS_CAPABILITIES_PICKLE_DIR"
CAPABILITIES_ENV = "ESCPOS_CAPABILITIES_FILE"

# One lock for importing escpos and for swapping sys.stdout/sys.stderr: the spooler may render in
# a worker thread while another renders a preview, and two interleaved redirections would restore
# the streams in the wrong order.
_lock = threading.RLock()
_loaded: Escpos | None = None


class UnknownProfile(ValueError):
    """The configured printer profile is not in python-escpos' printer database."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        super().__init__(
            f"printer profile {name!r} is unknown; known profiles: {', '.join(sorted(known))}"
        )


class Escpos:
    """The few escpos names the printing layer uses, bound after the lazy import."""

    def __init__(self, printer: Any, constants: Any, capabilities: Any) -> None:
        self.Dummy = printer.Dummy
        self.constants = constants
        self.get_profile = capabilities.get_profile


def cache_dir() -> Path:
    """Where escpos keeps its pickled printer database between runs."""
    from counter_tui.config_locate import user_cache_dir

    return user_cache_dir() / "escpos"


def capabilities_path() -> Path:
    """escpos' printer database (JSON), found without importing escpos."""
    import importlib.util

    override = os.environ.get(CAPABILITIES_ENV)
    if override:
        return Path(override)
    spec = importlib.util.find_spec("escpos")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("python-escpos is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "capabilities.json"


@cache
def capabilities() -> dict[str, Any]:
    """The printer database as plain data: profiles (features, code pages) and encodings.

    It is JSON, so the standard library reads it in milliseconds; escpos itself parses it with
    YAML (a superset), which gives the same data (checked by a test).
    """
    import json

    with capabilities_path().open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def profile_data(name: str) -> dict[str, Any]:
    profiles: dict[str, Any] = capabilities()["profiles"]
    if name not in profiles:
        raise UnknownProfile(name, list(profiles))
    data: dict[str, Any] = profiles[name]
    return data


def _writable_dir(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(path, os.W_OK)


def _pickle_dir() -> Path:
    import tempfile

    preferred = cache_dir()
    if _writable_dir(preferred):
        return preferred
    # A read-only home (kiosk accounts): still one stable directory per user, never a new one.
    uid = os.getuid() if hasattr(os, "getuid") else 0
    fallback = Path(tempfile.gettempdir()) / f"counter-tui-{uid}" / "escpos"
    fallback.mkdir(parents=True, exist_ok=True)
    return fallback


def _ensure_pickle(directory: Path) -> None:
    """Write escpos' pickle ourselves, atomically, so its import never parses YAML or races."""
    import pickle
    import platform
    import tempfile

    source = capabilities_path()
    target = directory / f"{platform.python_version()}.capabilities.pickle"
    try:
        if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            return
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(capabilities(), f, protocol=2)
        os.replace(tmp, target)
    except OSError as exc:  # escpos then builds the pickle itself: slower, still correct
        log.debug("could not prepare the escpos capabilities pickle: %s", exc)


@contextlib.contextmanager
def quiet() -> Iterator[io.StringIO]:
    """Send whatever escpos prints to a sink instead of the terminal; yields the sink.

    Wrap every escpos call that may print: `image()`, `barcode()`, `qr()` and the import.
    """
    sink = io.StringIO()
    with _lock, contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        yield sink
    if sink.getvalue():
        log.debug("python-escpos printed: %s", sink.getvalue().strip())


def load() -> Escpos:
    """Import escpos (once, thread-safe) with its import-time side effects undone."""
    global _loaded
    import tempfile

    with _lock:
        if _loaded is not None:
            return _loaded
        saved_env = os.environ.get(PICKLE_ENV)
        directory = Path(saved_env) if saved_env else _pickle_dir()
        _ensure_pickle(directory)
        os.environ[PICKLE_ENV] = str(directory)
        root_handlers = list(logging.root.handlers)
        real_mkdtemp = tempfile.mkdtemp

        def mkdtemp(*args: Any, **kwargs: Any) -> Any:
            # Only escpos.capabilities' import-time call gets the stable directory.
            if sys._getframe(1).f_globals.get("__name__") == "escpos.capabilities":
                return str(directory)
            return real_mkdtemp(*args, **kwargs)

        tempfile.mkdtemp = mkdtemp
        try:
            with quiet():
                import escpos.capabilities
                import escpos.constants
                import escpos.printer
        finally:
            tempfile.mkdtemp = real_mkdtemp
            for handler in list(logging.root.handlers):
                if handler not in root_handlers:
                    logging.root.removeHandler(handler)
            if saved_env is None:
                os.environ.pop(PICKLE_ENV, None)
            else:
                os.environ[PICKLE_ENV] = saved_env
        _loaded = Escpos(escpos.printer, escpos.constants, escpos.capabilities)
        return _loaded


def dummy(profile: str) -> Any:
    """A fresh `escpos.printer.Dummy` for one job: no state survives from an earlier job."""
    profile_data(profile)  # a clear error naming the known profiles, not a KeyError
    return load().Dummy(profile=profile)
