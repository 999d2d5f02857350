"""`counter-tui doctor`: the one screen a technician reads first when a counter misbehaves.

Each line is OK, WARN or FAIL with what to do; the exit code is 0 when nothing failed, 1
otherwise. It runs even when config.toml cannot be used (that is then its first FAIL), and one
broken part never hides the others: each check catches its own failure.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from counter_tui import __version__
from counter_tui.commands import Context, emit, say
from counter_tui.config import Config, ConfigError, config_path
from counter_tui.core.i18n import t

OK, WARN, FAIL = "OK", "WARN", "FAIL"
LOW_DISK, VERY_LOW_DISK = 1024**3, 100 * 1024**2
EARLIEST_SANE_YEAR = 2026  # a clock before this release's year is wrong


@dataclass
class Line:
    part: str  # message key of the label
    status: str
    detail: str


def register(sub: Any) -> None:
    doctor = sub.add_parser("doctor", help="check everything a counter needs; exit 1 if not")
    doctor.add_argument("--json", action="store_true")
    doctor.set_defaults(handler=run, config_failure=run_without_config)


def _checked(part: str, check: Callable[[], tuple[str, str]]) -> Line:
    try:
        status, detail = check()
    except Exception as exc:  # the doctor reports a broken part, it does not break on it
        detail = str(exc) if str(exc) else type(exc).__name__
        status = FAIL
    return Line(part, status, detail)


def _version() -> tuple[str, str]:
    return OK, f"counter-tui {__version__}, Python {platform.python_version()}"


def _store(cfg: Config, found: dict[str, Any]) -> tuple[str, str]:
    from counter_tui.commands.database import size_text
    from counter_tui.services.restore import inspect
    from counter_tui.services.store import describe_failure, shown_url

    url = shown_url(cfg.database.url)
    try:
        report = inspect(cfg)
    except Exception as exc:
        explained = describe_failure(exc, cfg.database.url)
        raise RuntimeError(str(explained) if explained else str(exc)) from exc
    found["report"] = report
    if report.integrity != "ok":
        return FAIL, t("doctor.store_damaged", url=url, detail=report.integrity)
    counts = ", ".join(f"{k} {v}" for k, v in report.counts.items())
    return OK, t("doctor.store_ok", engine=report.engine, url=url,
                 size=size_text(report.size), counts=counts)


def _migrations(found: dict[str, Any]) -> tuple[str, str]:
    report = found.get("report")
    if report is None:
        return FAIL, t("doctor.store_down")
    if report.pending:
        return WARN, t("doctor.migrations_pending", names=", ".join(report.pending))
    return OK, t("doctor.migrations_ok", count=len(report.applied),
                 last=report.applied[-1] if report.applied else "-")


def _printer(cfg: Config) -> tuple[str, str]:
    from counter_tui.commands.printer import _where, read_status

    status = read_status(cfg.printer)
    where = {"kind": cfg.printer.kind, "target": _where(cfg), "summary": status.summary()}
    if status.problem:
        return FAIL, t("doctor.printer_fix", **where)
    return OK, t("doctor.printer_ok", **where)


def _fonts(cfg: Config) -> tuple[str, str]:
    from counter_tui.printing.textmodes import FontMissing, find_font

    raster = cfg.printer.text_mode == "raster"
    try:
        return OK, t("doctor.font_ok", path=find_font(cfg.printer.font))
    except FontMissing:
        return (FAIL, t("doctor.font_missing")) if raster else (WARN, t("doctor.font_unused"))


def _disk(folder: Path) -> tuple[str, str]:
    from counter_tui.commands.database import size_text

    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    free = shutil.disk_usage(folder).free
    if free < LOW_DISK:
        status = FAIL if free < VERY_LOW_DISK else WARN
        return status, t("doctor.disk_low", free=size_text(free), folder=folder)
    return OK, t("doctor.disk_ok", free=size_text(free), folder=folder)


def _clock(zone: str) -> tuple[str, str]:
    from counter_tui.core.clock import OfficeClock

    now = OfficeClock(zone)()
    shown = {"zone": zone, "now": f"{now:%Y-%m-%d %H:%M}", "machine": time.tzname[0]}
    if now.year < EARLIEST_SANE_YEAR:
        return FAIL, t("doctor.clock_wrong", **shown)
    return OK, t("doctor.clock_ok", **shown)


def _backup(cfg: Config) -> tuple[str, str]:
    from counter_tui.core.clock import OfficeClock
    from counter_tui.services.backup import folder_of, last_backup

    last = last_backup(cfg)
    if last is None:
        return WARN, t("doctor.backup_none", folder=folder_of(cfg))
    hours = max(0, int((OfficeClock(cfg.office.timezone)() - last.taken).total_seconds() // 3600))
    shown = {"path": last.path, "age": t("doctor.age_hours", hours=hours)}
    return (OK, t("doctor.backup_ok", **shown)) if hours < 48 else \
        (WARN, t("doctor.backup_old", **shown))


def _open_to_others(cfg: Config) -> list[Path]:
    """The data folder, the backups' folder and what is in them that a user other than the
    owner may read or enter (a store made before the app created everything 0600/0700, or
    copied by hand)."""
    from counter_tui.services.backup import folder_of, sqlite_file

    places = {cfg.data_dir.resolve(), folder_of(cfg).resolve()}
    store = sqlite_file(cfg.database.url)
    if store is not None:
        places.add(store.resolve().parent)
    found: list[Path] = []
    for place in sorted(places):
        if not place.is_dir():
            continue
        for path in (place, *sorted(place.iterdir())):
            if (path.is_dir() or path.is_file()) and path.stat().st_mode & 0o077:
                found.append(path)
    return found


def _private(cfg: Config) -> tuple[str, str]:
    found = _open_to_others(cfg)
    if found:
        return WARN, t("doctor.private_open", count=len(found), first=found[0],
                       folder=cfg.data_dir.resolve())
    return OK, t("doctor.private_ok")


def _voice(cfg: Config) -> tuple[str, str]:
    """Whether the display can speak calls here (a WARN, not a FAIL: a counter PC need not)."""
    from counter_tui.core.i18n import language
    from counter_tui.voice.speaker import VoiceUnavailable, find_speaker

    if cfg.voice.output == "off":
        return OK, t("doctor.voice_off")
    voice = cfg.voice.voice or ("vi" if language() == "vi" else "en")
    try:
        speaker = find_speaker(cfg.voice.output, voice, cfg.voice.speed, cfg.voice.chime,
                               clips=cfg.voice.clips)
    except VoiceUnavailable as exc:
        return WARN, str(exc)
    if speaker.output.startswith("wav:") and not Path(speaker.output[4:]).is_dir():
        return WARN, t("voice.no_folder", folder=speaker.output[4:])
    return OK, t("doctor.voice_ok", voice=voice, output=speaker.output,
                 player=speaker.player or "espeak-ng")


SYNC_QUIET = 600  # seconds without a word from the centre while changes wait: is `sync run` on?


def _sync(cfg: Config) -> tuple[str, str]:
    """The link to the district's centre (a WARN at worst: the office works on without it)."""
    from counter_tui.commands.sync import when
    from counter_tui.core.clock import OfficeClock
    from counter_tui.services.sync.status import status_of

    if not cfg.sync.url:
        return OK, t("doctor.sync_off")
    s = status_of(cfg)
    if not s.enabled:
        return WARN, t("doctor.sync_not_started", centre=s.centre)
    if s.down_since is not None:
        return WARN, t("doctor.sync_down", centre=s.centre, since=when(s.down_since),
                       reason=s.error, count=s.waiting)
    now = OfficeClock(cfg.office.timezone)()
    quiet = s.last_contact_at is None or (now - s.last_contact_at).total_seconds() > SYNC_QUIET
    if s.waiting and quiet:
        return WARN, t("doctor.sync_quiet", centre=s.centre, at=when(s.last_contact_at),
                       count=s.waiting)
    return OK, t("doctor.sync_ok", centre=s.centre, at=when(s.last_sent_at), count=s.waiting)


def _scanner(cfg: Config) -> tuple[str, str]:
    """The document scanner (a WARN at worst: a counter may take no scans)."""
    from counter_tui.services.scanner import ScanFailed, list_devices

    device = cfg.scanner.device
    if shutil.which(cfg.scanner.command) is None:
        return WARN, t("scan.no_scanimage", command=cfg.scanner.command)
    if device == "test":
        return OK, t("doctor.scanner_test")
    try:
        found = list_devices(cfg.scanner)
    except ScanFailed as exc:
        return WARN, str(exc)
    if device:
        if any(d.name == device for d in found):
            return OK, t("doctor.scanner_ok", device=device)
        return WARN, t("doctor.scanner_missing", device=device,
                       found=", ".join(d.name for d in found) or "-")
    if not found:
        return WARN, t("scan.none_found")
    return OK, t("doctor.scanner_first", device=found[0].name,
                 model=f"{found[0].vendor} {found[0].model}".strip())


def _store_folder(cfg: Config) -> Path:
    from counter_tui.services.backup import sqlite_file

    return (sqlite_file(cfg.database.url) or Path(cfg.backup.folder) / "x").parent


def checks(cfg: Config) -> list[Line]:
    found: dict[str, Any] = {}
    where = cfg.path.resolve() if cfg.path else "-"
    return [
        _checked("doctor.version", _version),
        Line("doctor.config", OK, t("doctor.config_ok", path=where)),
        _checked("doctor.store", lambda: _store(cfg, found)),
        _checked("doctor.migrations", lambda: _migrations(found)),
        _checked("doctor.printer", lambda: _printer(cfg)),
        _checked("doctor.fonts", lambda: _fonts(cfg)),
        _checked("doctor.disk", lambda: _disk(_store_folder(cfg))),
        _checked("doctor.clock", lambda: _clock(cfg.office.timezone)),
        _checked("doctor.backup", lambda: _backup(cfg)),
        _checked("doctor.private", lambda: _private(cfg)),
        _checked("doctor.voice", lambda: _voice(cfg)),
        _checked("doctor.sync", lambda: _sync(cfg)),
        _checked("doctor.scanner", lambda: _scanner(cfg)),
    ]


def show(lines: list[Line], as_json: bool) -> int:
    failed = sum(1 for line in lines if line.status == FAIL)
    if as_json:
        emit({"healthy": not failed, "checks": [
            {"part": line.part.removeprefix("doctor."), "status": line.status,
             "detail": line.detail} for line in lines]}, True, "")
        return 1 if failed else 0
    width = max(len(t(line.part)) for line in lines)
    for line in lines:
        say(f"{line.status:<4}  {t(line.part):<{width}}  {line.detail}")
    warned = sum(1 for line in lines if line.status == WARN)
    say(t("doctor.unhealthy", count=failed) if failed
        else t("doctor.healthy_warned", count=warned) if warned else t("doctor.healthy"))
    return 1 if failed else 0


def run(args: argparse.Namespace, ctx: Context) -> int:
    return show(checks(ctx.cfg), args.json)


def run_without_config(args: argparse.Namespace, error: ConfigError) -> int:
    """config.toml cannot be used: say so on its line, and check what needs no config."""
    from counter_tui.core.clock import DEFAULT_TIMEZONE

    skipped = t("doctor.skipped")
    lines = [_checked("doctor.version", _version),
             Line("doctor.config", FAIL, str(error)),
             *(Line(part, WARN, skipped) for part in ("doctor.store", "doctor.migrations",
                                                      "doctor.printer")),
             _checked("doctor.fonts", lambda: (OK, str(_font_or_none()))),
             _checked("doctor.disk", lambda: _disk(config_path(args.config).resolve().parent)),
             _checked("doctor.clock", lambda: _clock(DEFAULT_TIMEZONE)),
             Line("doctor.backup", WARN, skipped), Line("doctor.private", WARN, skipped)]
    return show(lines, args.json)


def _font_or_none() -> Path:
    from counter_tui.printing.textmodes import find_font

    return find_font()

