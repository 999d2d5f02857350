"""config.toml -> typed, validated settings.

One file describes an office: its identity, queue groups, counters, printer, store, hours and
holidays. Every key can be overridden by `COUNTER_TUI_<SECTION>__<KEY>` so a terminal (or a test)
changes one thing without its own file. A bad value stops the program with one message that
names the key, the value and what is allowed: a technician fixes it without reading code.
The message is in the file's own `ui.language` when that much can be read (Vietnamese
otherwise), and a file saved by Notepad (with a byte-order mark, or as "Unicode") is read as
it is.
"""

from __future__ import annotations

import codecs
import os
import re
import tomllib
from dataclasses import field, replace
from datetime import date, time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from counter_tui import config_keys
from counter_tui.config_locate import find_config, user_data_dir
from counter_tui.core.announce import template_problem
from counter_tui.core.clock import DEFAULT_TIMEZONE, load_zone
from counter_tui.core.codes import AGENCY_MAX, validate_agency
from counter_tui.core.errors import UserError, os_reason
from counter_tui.core.i18n import known, t
from counter_tui.core.limits import limit
from counter_tui.core.records import frozen
from counter_tui.core.retention import DEFAULT_RULES, RetentionRule
from counter_tui.core.text import clean, has_surrogates

ENV_PREFIX = "COUNTER_TUI_"


class ConfigError(Exception):
    """A setting that cannot be used; the message says which key and what is allowed.

    `allowed` is a message key (with `params`) or, for a list of choices, the text itself.
    `message` replaces the whole sentence when the file itself cannot be read. `language` is
    the file's own `ui.language`, when it could be read, for the caller to speak it."""

    def __init__(self, key: str, value: object, allowed: str, *, message: str | None = None,
                 **params: object) -> None:
        self.key, self.value, self.allowed = key, value, allowed
        self.message, self.params = message, params
        self.language: str | None = None
        super().__init__(key)

    def __str__(self) -> str:
        if self.message:
            return t(self.message, **self.params)
        # a list of choices ("58 | 80") is shown as it is; anything else is a message key
        allowed = t(self.allowed, **self.params) if known(self.allowed) else self.allowed
        return t("config.invalid", setting=self.key, value=repr(self.value), allowed=allowed)


@frozen
class OfficeConfig:
    name: str
    agency_code: str
    address: str = ""
    phone: str = ""
    timezone: str = DEFAULT_TIMEZONE  # every stored, shown and printed time is in this zone


@frozen
class GroupConfig:
    letter: str
    name: str
    fields: tuple[str, ...] = ()
    procedures: tuple[str, ...] = ()
    voice_call: str = ""  # the group's own wording of a call ({number}, {counter}); "": [voice]'s
    voice_recall: str = ""


@frozen
class CounterConfig:
    number: int
    name: str
    groups: tuple[str, ...]


@frozen
class TerminalConfig:
    counter: int
    officer: str
    officer_name: str


@frozen
class PrinterConfig:
    kind: str = "file"
    target: str = "data/printer.out"
    profile: str = "default"
    paper_mm: int = 80
    columns: int = 0
    dots: int = 0
    text_mode: str = "tcvn3"
    connect_timeout: float = 3.0
    send_timeout: float = 5.0
    baudrate: int = 9600
    flow_control: str = "none"
    usb_vendor: int = 0
    usb_product: int = 0
    usb_in_ep: int = 0x82
    usb_out_ep: int = 0x01
    receipt_copies: int = 1
    ticket_qr: bool = False
    font: str = ""

    @property
    def width_columns(self) -> int:
        if self.columns:
            return self.columns
        return 32 if self.paper_mm == 58 else 48

    @property
    def width_dots(self) -> int:
        if self.dots:
            return self.dots
        return 384 if self.paper_mm == 58 else 576


@frozen
class DatabaseConfig:
    url: str


@frozen
class HoursConfig:
    sessions: tuple[tuple[time, time], ...]
    saturday_sessions: tuple[tuple[time, time], ...] = ()


@frozen
class HolidaysConfig:
    official: bool = True
    extra_days_off: tuple[date, ...] = ()
    make_up_days: tuple[date, ...] = ()


@frozen
class UIConfig:
    language: str = "vi"
    refresh_seconds: float = 2.0


# --- [backup] ------------------------------------------------------------------------------
# Where the store's copies go and how many are kept (services/backup.py makes and prunes them).


@frozen
class BackupConfig:
    folder: str  # absolute; "" until parsed (then the config's data/backups)
    keep_daily: int = 14  # the newest copy of each of the last N days with one
    keep_monthly: int = 12  # and of each of the last M months


def _backup_config(data: dict[str, Any], base: Path, data_dir: Path) -> BackupConfig:
    b = _Reader(data.get("backup", {}), "backup")
    folder = b.text("folder", "")
    return BackupConfig(folder=_resolve_path(folder, base) if folder else str(data_dir / "backups"),
                        keep_daily=b.integer("keep_daily", 14, 1, 366),
                        keep_monthly=b.integer("keep_monthly", 12, 0, 120))


# --- end of [backup] --------------------------------------------------------------------------


# --- [privacy] -----------------------------------------------------------------------------
# How long applicants' personal data is kept after a dossier is returned (core/retention.py):
# a list of [day from which the rule applies, months], like every dated legal rule.


@frozen
class PrivacyConfig:
    retention: tuple[RetentionRule, ...] = DEFAULT_RULES


def _privacy_config(data: dict[str, Any]) -> PrivacyConfig:
    r = _Reader(data.get("privacy", {}), "privacy")
    raw = r.data.get("retention")
    if raw is None:
        return PrivacyConfig()
    allowed = "config.allowed.retention"
    if not isinstance(raw, list) or not raw:
        raise ConfigError(r.key("retention"), raw, allowed)
    rules = []
    for pair in raw:
        try:
            since, months = pair
            day = since if isinstance(since, date) else date.fromisoformat(str(since))
            if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 1200:
                raise ValueError(months)
        except (TypeError, ValueError):
            raise ConfigError(r.key("retention"), pair, allowed) from None
        rules.append(RetentionRule(day, months))
    if len({rule.since for rule in rules}) != len(rules):
        raise ConfigError(r.key("retention"), raw, allowed)
    return PrivacyConfig(tuple(sorted(rules, key=lambda rule: rule.since)))


# --- end of [privacy] -------------------------------------------------------------------------


# --- [forms] -------------------------------------------------------------------------------
# The legal forms (Mẫu 01-06) on A4/A5 beside the thermal slips (printing/pdf, services/
# legal_forms.py): per slip kind, whether the thermal slip, the form, or both print, and where
# the form goes (a CUPS queue, or a folder of PDF files).

# slip kind -> its key in [forms]
FORM_SLIP_KINDS = {"receipt": "receipt", "supplement_request": "supplement",
                   "refusal": "refusal", "apology": "apology", "control": "control"}
FORM_MODES = ("thermal", "a4", "a5", "both")


@frozen
class FormsConfig:
    paper: str = "A4"  # for "both" and for forms printed on request
    output: str = "folder"  # folder | cups
    target: str = ""  # the folder (absolute; default: forms/ in the data folder) or CUPS queue
    templates: str = ""  # the office's own templates, read before the shipped ones
    authority: str = ""  # the heading's first line: the body the office belongs to
    place: str = ""  # the place name of the date line
    # per slip kind (FORM_SLIP_KINDS): one of FORM_MODES
    receipt: str = "thermal"
    supplement: str = "thermal"
    refusal: str = "thermal"
    apology: str = "thermal"
    control: str = "thermal"

    def mode(self, kind: str) -> str:
        key = FORM_SLIP_KINDS.get(kind)
        return str(getattr(self, key)) if key else "thermal"


def _forms_config(data: dict[str, Any], base: Path, data_dir: Path) -> FormsConfig:
    f = _Reader(data.get("forms", {}), "forms")
    output = f.choice("output", "folder", ("folder", "cups"))
    target = f.text("target", "")
    if output == "folder":
        target = _resolve_path(target, base) if target else str(data_dir / "forms")
    elif not target:
        raise ConfigError("forms.target", target, "config.allowed.text_required")
    templates = _resolve_path(f.text("templates", ""), base)
    if templates and not Path(templates).is_dir():
        raise ConfigError("forms.templates", templates, "config.allowed.folder")
    return FormsConfig(
        paper=f.choice("paper", "a4", ("a4", "a5")).upper(), output=output, target=target,
        templates=templates, authority=f.text("authority", ""), place=f.text("place", ""),
        **{key: f.choice(key, "thermal", FORM_MODES) for key in FORM_SLIP_KINDS.values()})


# --- end of [forms] ---------------------------------------------------------------------------
# --- [scanner] and [documents] ------------------------------------------------------------
# The counter's scanner, driven through SANE's `scanimage` (services/scanner.py), and the
# folder the dossiers' scanned documents are kept in (services/document_files.py).

SCAN_MODES = ("gray", "color", "lineart")


@frozen
class ScannerConfig:
    device: str = ""  # a SANE device name ("test", "airscan:e0:..."); "": the first one found
    resolution: int = 200  # dots per inch
    mode: str = "gray"  # gray | color | lineart
    feeder: bool = False  # take the pages from the document feeder until it is empty
    duplex: bool = False  # both sides of each sheet (a feeder that can)
    width_mm: int = 210  # the page (A4), cut to what the device can scan
    height_mm: int = 297
    quality: int = 60  # JPEG quality of a grey or colour page (core/scanning.py says why)
    timeout_seconds: float = 60.0  # per page: a scanner that stops answering is given up
    max_pages: int = 50  # a feeder batch stops here, whatever is still in the tray
    options: tuple[str, ...] = ()  # the device's own scanimage options, as typed
    command: str = "scanimage"


def _scanner_config(data: dict[str, Any]) -> ScannerConfig:
    s = _Reader(data.get("scanner", {}), "scanner")
    return ScannerConfig(
        device=s.text("device", ""), resolution=s.integer("resolution", 200, 50, 1200),
        mode=s.choice("mode", "gray", SCAN_MODES), feeder=s.boolean("feeder", False),
        duplex=s.boolean("duplex", False), width_mm=s.integer("width_mm", 210, 20, 500),
        height_mm=s.integer("height_mm", 297, 20, 1000),
        quality=s.integer("quality", 60, 20, 95),
        timeout_seconds=s.number("timeout_seconds", 60.0, 1, 600),
        max_pages=s.integer("max_pages", 50, 1, 500), options=s.texts("options"),
        command=s.text("command", "scanimage") or "scanimage")


def _documents_folder(data: dict[str, Any], base: Path, data_dir: Path, url: str) -> str:
    """[documents] folder, else documents/ beside an SQLite store, else in the data folder."""
    d = _Reader(data.get("documents", {}), "documents")
    folder = d.text("folder", "")
    if folder:
        return _resolve_path(folder, base)
    if url.startswith("sqlite:///"):
        return str(Path(url[len("sqlite:///"):].split("?")[0]).parent / "documents")
    return str(data_dir / "documents")


# --- end of [scanner] and [documents] ----------------------------------------------------------
# --- [display] and [voice] -----------------------------------------------------------------
# The waiting-room display (`counter-tui display`) and how it announces calls (voice/).

VOICE_OUTPUTS = ("audio", "off")  # or "wav:FOLDER"


@frozen
class DisplayConfig:
    notices: str = ""  # one line along the bottom of the display (opening hours, a closure)
    calls: int = 6  # the last calls listed
    highlight_seconds: float = 8.0  # how long the newest call stays highlighted


@frozen
class VoiceConfig:
    output: str = "audio"  # "audio" (the machine's speakers), "wav:FOLDER" (absolute), "off"
    voice: str = ""  # an espeak-ng voice (vi, vi-vn-x-central, vi-vn-x-south, en); "": by language
    speed: int = 140  # words per minute
    chime: bool = True
    repeat: int = 1  # times each call is spoken
    max_age_seconds: float = 60.0  # a call not spoken by then is dropped, not spoken late
    numbers: str = "digits"  # "digits" ("A không một lăm") or "number" ("A mười lăm")
    call: str = ""  # the wording of a call, {number} and {counter}; "": the catalogue's
    recall: str = ""
    clips: str = ""  # a folder of the office's recorded WAV clips (absolute); "": espeak-ng only

    @property
    def southern(self) -> bool:
        """Southern number words ("lẻ", "ngàn") go with the Southern voice."""
        return self.voice.lower() == "vi-vn-x-south"

    def template(self, group: GroupConfig | None, recall: bool) -> str:
        """The wording for a call of `group`: the group's own, else [voice]'s, else ""."""
        own = (group.voice_recall if recall else group.voice_call) if group else ""
        return own or (self.recall if recall else self.call)


def _template(r: _Reader, name: str) -> str:
    text = r.text(name, "").strip()
    if text and template_problem(text):
        raise ConfigError(r.key(name), text, "{number} {counter}")
    return text


def _display_voice(data: dict[str, Any], base: Path) -> tuple[DisplayConfig, VoiceConfig]:
    d = _Reader(data.get("display", {}), "display")
    display = DisplayConfig(d.text("notices", ""), d.integer("calls", 6, 1, 20),
                            d.number("highlight_seconds", 8.0, 0, 120))
    v = _Reader(data.get("voice", {}), "voice")
    output = v.text("output", "audio").strip()
    if output.lower().startswith("wav:") and output[4:].strip():
        output = "wav:" + _resolve_path(output[4:].strip(), base)
    elif output.lower() in VOICE_OUTPUTS:
        output = output.lower()
    else:
        raise ConfigError("voice.output", output, "audio | off | wav:FOLDER")
    voice = v.text("voice", "").strip()
    if voice and not re.fullmatch(r"[A-Za-z0-9_+-]{1,40}", voice):
        raise ConfigError("voice.voice", voice, "vi | vi-vn-x-central | vi-vn-x-south | en")
    clips = v.text("clips", "").strip()
    return display, VoiceConfig(output=output, voice=voice,
                                speed=v.integer("speed", 140, 80, 400),
                                chime=v.boolean("chime", True),
                                repeat=v.integer("repeat", 1, 1, 3),
                                max_age_seconds=v.number("max_age_seconds", 60.0, 1, 3600),
                                numbers=v.choice("numbers", "digits", ("digits", "number")),
                                call=_template(v, "call"), recall=_template(v, "recall"),
                                clips=_resolve_path(clips, base) if clips else "")


# --- end of [display] and [voice] ------------------------------------------------------------


# --- [sync] ----------------------------------------------------------------------------------
# The district's central store this office syncs to (services/sync): its URL, how often, and
# what comes down from it. The office's identity there is its agency identifier ([office]).

SYNC_DOWN = ("procedures", "accounts", "holidays")


@frozen
class SyncConfig:
    url: str = ""  # the centre's PostgreSQL; "": this office does not sync
    interval: float = 0.5  # seconds between looks at the outbox while the link is up
    max_backoff: int = 60  # longest wait, in seconds, between tries while the link is down
    batch: int = 500  # changes applied on the centre in one transaction
    down: tuple[str, ...] = SYNC_DOWN  # what the centre's copy replaces here when it changes
    timeout: float = 30.0  # a centre that answers nothing for this long is taken for cut


def _sync_config(data: dict[str, Any]) -> SyncConfig:
    r = _Reader(data.get("sync", {}), "sync")
    url = r.text("url", "")
    if url and not url.startswith(("postgresql://", "postgres://")):
        raise ConfigError("sync.url", url, "config.allowed.sync_url")
    down = r.texts("down") if "down" in r.data else SYNC_DOWN
    for item in down:
        if item not in SYNC_DOWN:
            raise ConfigError("sync.down", item, " | ".join(SYNC_DOWN))
    return SyncConfig(url=url, interval=r.number("interval", 0.5, 0.05, 3600),
                      max_backoff=r.integer("max_backoff", 60, 1, 3600),
                      batch=r.integer("batch", 500, 1, 10000), down=down,
                      timeout=r.number("timeout", 30.0, 1, 600))


# --- end of [sync] -----------------------------------------------------------------------------


# --- [security] and [roles] ---------------------------------------------------------------------
# Sign-in (services/accounts.py) and who may do what (core/roles.py).


@frozen
class SecurityConfig:
    idle_lock_minutes: int = 5  # the TUI locks after this long without a key; 0: never
    pin_min_length: int = 6
    # scrypt's cost (N, a power of two): 2^14 takes 16 MiB and ~50 ms a try. Only tests lower
    # it, to sign in hundreds of times quickly; a hash keeps the cost it was made with.
    pin_cost: int = 2 ** 14
    max_failures: int = 5  # wrong PINs in a row before the account is locked
    lock_minutes: int = 15
    session_hours: int = 10  # a command line's `login` lasts a working day


def _security_config(data: dict[str, Any]) -> SecurityConfig:
    s = _Reader(data.get("security", {}), "security")
    cost = s.integer("pin_cost", 2 ** 14, 2, 2 ** 20)
    if cost & (cost - 1):
        raise ConfigError("security.pin_cost", cost, "config.allowed.power_of_two")
    return SecurityConfig(idle_lock_minutes=s.integer("idle_lock_minutes", 5, 0, 240),
                          pin_min_length=s.integer("pin_min_length", 6, 4, 64),
                          pin_cost=cost,
                          max_failures=s.integer("max_failures", 5, 1, 100),
                          lock_minutes=s.integer("lock_minutes", 15, 1, 24 * 60),
                          session_hours=s.integer("session_hours", 10, 1, 24 * 7))


def _roles_config(data: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """An office's additions to the role matrix: `officer = ["dossier.override"]`."""
    from counter_tui.core.roles import Action

    r = _Reader(data.get("roles", {}), "roles")
    additions = {name: r.texts(name) for name in r.data}
    for name, actions in additions.items():
        for action in actions:
            if action not in {a.value for a in Action}:
                raise ConfigError(f"roles.{name}", action, "config.allowed.action",
                                  actions=", ".join(a.value for a in Action))
    return additions


# --- end of [security] and [roles] -----------------------------------------------------------


@frozen
class Config:
    path: Path | None
    office: OfficeConfig
    terminal: TerminalConfig
    groups: tuple[GroupConfig, ...]
    counters: tuple[CounterConfig, ...]
    printer: PrinterConfig
    database: DatabaseConfig
    hours: HoursConfig
    holidays: HolidaysConfig
    ui: UIConfig
    catalogue: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    data_dir: Path = Path("data")  # store, log and file printer, unless the config names others
    # "section.key" -> where its value came from: the file's path or an environment variable;
    # a key in neither has its default (`counter-tui config show`)
    origins: dict[str, str] = field(default_factory=dict, compare=False)
    backup: BackupConfig = field(default_factory=lambda: BackupConfig(""))
    privacy: PrivacyConfig = field(default_factory=PrivacyConfig)
    forms: FormsConfig = field(default_factory=FormsConfig)
    display: DisplayConfig = field(default_factory=DisplayConfig)
    voice: VoiceConfig = field(default_factory=VoiceConfig)
    security: SecurityConfig = field(default_factory=SecurityConfig)
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sync: SyncConfig = field(default_factory=SyncConfig)
    scanner: ScannerConfig = field(default_factory=ScannerConfig)
    documents_folder: str = ""  # absolute once parsed: where scanned documents are kept

    def group(self, letter: str) -> GroupConfig | None:
        return next((g for g in self.groups if g.letter == letter.upper()), None)

    def counter(self, number: int) -> CounterConfig | None:
        return next((c for c in self.counters if c.number == number), None)


PRINTER_KINDS = ("file", "network", "usb", "serial", "cups")
TEXT_MODES = ("tcvn3", "cp1258", "raster", "ascii")
LANGUAGES = ("vi", "en")
_LETTER = re.compile(r"^[A-Z]$")


def _env_value(raw: str) -> Any:
    """An environment value read as a TOML value when it is one (80, true, [1, 2]), else text."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _apply_env(data: dict[str, Any], environ: dict[str, str]) -> None:
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name[len(ENV_PREFIX) :]:
            continue
        if has_surrogates(raw):  # bytes that were not UTF-8 (os.environ keeps them so)
            raise ConfigError(name, "", "", message="config.env_not_utf8", name=name)
        section, key = name[len(ENV_PREFIX) :].lower().split("__", 1)
        target = data.setdefault(section, {})
        if not isinstance(target, dict):
            raise ConfigError(section, target, "config.allowed.table")
        target[key] = _env_value(raw)


class _Reader:
    """Typed access to one TOML table; every error names the full key."""

    def __init__(self, data: Any, prefix: str) -> None:
        if not isinstance(data, dict):
            raise ConfigError(prefix, data, "config.allowed.table")
        self.data, self.prefix = data, prefix

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def text(self, name: str, default: str | None = None, *, required: bool = False) -> str:
        value = self.data.get(name, default)
        if value is None or (required and not str(value).strip()):
            raise ConfigError(self.key(name), value, "config.allowed.text_required")
        if not isinstance(value, str):
            raise ConfigError(self.key(name), value, "config.allowed.text")
        return clean(value)

    def choice(self, name: str, default: str, allowed: tuple[str, ...]) -> str:
        value = self.text(name, default).lower()
        if value not in allowed:
            raise ConfigError(self.key(name), value, " | ".join(allowed))
        return value

    def integer(self, name: str, default: int, lo: int, hi: int) -> int:
        value = self.data.get(name, default)
        if isinstance(value, str) and re.fullmatch(r"0x[0-9a-fA-F]+|\d+", value.strip()):
            value = int(value.strip(), 0)
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise ConfigError(self.key(name), value, "config.allowed.integer", lo=lo, hi=hi)
        return value

    def number(self, name: str, default: float, lo: float, hi: float) -> float:
        value = self.data.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            raise ConfigError(self.key(name), value, "config.allowed.number", lo=lo, hi=hi)
        return float(value)

    def boolean(self, name: str, default: bool) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            raise ConfigError(self.key(name), value, "true | false")
        return value

    def texts(self, name: str) -> tuple[str, ...]:
        value = self.data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(self.key(name), value, "config.allowed.texts")
        return tuple(clean(v) for v in value)

    def dates(self, name: str) -> tuple[date, ...]:
        out = []
        for v in self.data.get(name, []) if isinstance(self.data.get(name, []), list) else [None]:
            if isinstance(v, date):
                out.append(v)
                continue
            try:
                out.append(date.fromisoformat(str(v)))
            except ValueError:
                raise ConfigError(self.key(name), v, "config.allowed.dates") from None
        return tuple(out)

    def sessions(self, name: str, default: list[list[str]]) -> tuple[tuple[time, time], ...]:
        value = self.data.get(name, default)
        allowed = "config.allowed.sessions"
        if not isinstance(value, list):
            raise ConfigError(self.key(name), value, allowed)
        out: list[tuple[time, time]] = []
        for pair in value:
            try:
                start, end = (time.fromisoformat(str(p)) for p in pair)
            except (TypeError, ValueError):
                raise ConfigError(self.key(name), pair, allowed) from None
            if end <= start or (out and start < out[-1][1]):
                raise ConfigError(self.key(name), pair, "config.allowed.sessions_order")
            out.append((start, end))
        return tuple(out)


def _resolve_url(url: str, base: Path) -> str:
    """SQLite paths in the URL are relative to the config file, like every other path in it."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        rel = url[len("sqlite:///") :]
        if rel and rel != ":memory:":
            return "sqlite:///" + str((base / rel).resolve())
    return url


def _resolve_path(value: str, base: Path) -> str:
    return str((base / value).resolve()) if value and not Path(value).is_absolute() else value


def parse(data: dict[str, Any], path: Path | None = None) -> Config:
    base = path.parent.resolve() if path else Path.cwd()
    root = _Reader(data, "")
    data_text = root.text("data", "")
    data_dir = Path(_resolve_path(data_text, base)) if data_text else user_data_dir()

    o = _Reader(data.get("office", {}), "office")
    raw_agency = o.text("agency_code", required=True)
    try:  # the one rule dossier codes are made by (core.codes), not a looser copy of it
        agency = validate_agency(raw_agency, field="office.agency_code")
    except UserError:
        raise ConfigError("office.agency_code", raw_agency, "config.allowed.agency",
                          max=AGENCY_MAX) from None
    timezone = o.text("timezone", DEFAULT_TIMEZONE, required=True)
    try:
        load_zone(timezone)
    except ValueError:
        raise ConfigError("office.timezone", timezone, "config.allowed.timezone",
                          example=DEFAULT_TIMEZONE) from None
    office = OfficeConfig(
        name=o.text("name", required=True), agency_code=agency,
        address=o.text("address", ""), phone=o.text("phone", ""), timezone=timezone,
    )

    raw_groups = data.get("groups", [])
    if not isinstance(raw_groups, list) or not raw_groups:
        raise ConfigError("groups", raw_groups, "config.allowed.groups")
    groups: list[GroupConfig] = []
    for i, g in enumerate(raw_groups):
        r = _Reader(g, f"groups[{i}]")
        letter = r.text("letter", required=True).upper()
        if not _LETTER.match(letter) or any(x.letter == letter for x in groups):
            raise ConfigError(r.key("letter"), letter, "config.allowed.letter")
        groups.append(GroupConfig(letter, r.text("name", required=True), r.texts("fields"),
                                  r.texts("procedures"), _template(r, "voice_call"),
                                  _template(r, "voice_recall")))

    letters = {g.letter for g in groups}
    raw_counters = data.get("counters", [])
    if not isinstance(raw_counters, list) or not raw_counters:
        raise ConfigError("counters", raw_counters, "config.allowed.counters")
    counters: list[CounterConfig] = []
    for i, c in enumerate(raw_counters):
        r = _Reader(c, f"counters[{i}]")
        number = r.integer("number", 0, 1, 999)
        if any(x.number == number for x in counters):
            raise ConfigError(r.key("number"), number, "config.allowed.counter_unique")
        served = tuple(s.upper() for s in r.texts("groups"))
        unknown = [s for s in served if s not in letters]
        if not served or unknown:
            raise ConfigError(r.key("groups"), list(served), "config.allowed.counter_groups",
                              letters=sorted(letters))
        counters.append(CounterConfig(number, r.text("name", f"Quầy {number}"), served))

    term = _Reader(data.get("terminal", {}), "terminal")
    counter_no = term.integer("counter", counters[0].number, 1, 999)
    if counter_no not in {c.number for c in counters}:
        raise ConfigError("terminal.counter", counter_no, "config.allowed.terminal_counter",
                          numbers=[c.number for c in counters])
    terminal = TerminalConfig(counter_no, term.text("officer", "canbo1", required=True),
                              term.text("officer_name", "Cán bộ tiếp nhận", required=True))

    p = _Reader(data.get("printer", {}), "printer")
    paper = p.integer("paper_mm", 80, 58, 80)
    if paper not in (58, 80):
        raise ConfigError("printer.paper_mm", paper, "58 | 80")
    kind = p.choice("kind", "file", PRINTER_KINDS)
    target = p.text("target", "") or (str(data_dir / "printer.out") if kind == "file" else "")
    if kind == "network":
        _check_host_port(target)
    printer = PrinterConfig(
        kind=kind,
        target=_resolve_path(target, base) if kind == "file" else target,
        profile=p.text("profile", "default"),
        paper_mm=paper,
        columns=p.integer("columns", 0, 0, 64),
        dots=p.integer("dots", 0, 0, 832),
        text_mode=p.choice("text_mode", "tcvn3", TEXT_MODES),
        connect_timeout=p.number("connect_timeout", 3.0, 0.1, 60),
        send_timeout=p.number("send_timeout", 5.0, 0.1, 120),
        baudrate=p.integer("baudrate", 9600, 1200, 921600),
        flow_control=p.choice("flow_control", "none", ("none", "xonxoff", "rtscts", "dsrdtr")),
        usb_vendor=p.integer("usb_vendor", 0, 0, 0xFFFF),
        usb_product=p.integer("usb_product", 0, 0, 0xFFFF),
        usb_in_ep=p.integer("usb_in_ep", 0x82, 0, 0xFF),
        usb_out_ep=p.integer("usb_out_ep", 0x01, 0, 0xFF),
        receipt_copies=p.integer("receipt_copies", 1, 1, 2),
        ticket_qr=p.boolean("ticket_qr", False),
        font=_existing(p, "font", base),
    )

    d = _Reader(data.get("database", {}), "database")
    url = d.text("url", "") or "sqlite:///" + str(data_dir / "counter.db")
    database = DatabaseConfig(_resolve_url(_database_url(url), base))

    h = _Reader(data.get("hours", {}), "hours")
    hours = HoursConfig(h.sessions("sessions", [["07:00", "11:30"], ["13:30", "17:00"]]),
                        h.sessions("saturday_sessions", []))
    if not hours.sessions:
        raise ConfigError("hours.sessions", [], "config.allowed.session_needed")

    hol = _Reader(data.get("holidays", {}), "holidays")
    holidays = HolidaysConfig(hol.boolean("official", True), hol.dates("extra_days_off"),
                              hol.dates("make_up_days"))

    u = _Reader(data.get("ui", {}), "ui")
    ui = UIConfig(u.choice("language", "vi", LANGUAGES), u.number("refresh_seconds", 2.0, 0.2, 60))

    catalogue = _existing(root, "catalogue", base)
    extra = {k: v for k, v in data.items() if k in ("targets", "satisfaction")}
    _check_later_values(extra)
    cfg = Config(
        path=path, office=office, terminal=terminal, groups=tuple(groups),
        counters=tuple(counters), printer=printer, database=database, hours=hours,
        holidays=holidays, ui=ui,
        catalogue=Path(catalogue) if catalogue else None, extra=extra, data_dir=data_dir,
        backup=_backup_config(data, base, data_dir),
        security=_security_config(data), roles=_roles_config(data),
        privacy=_privacy_config(data),
        forms=_forms_config(data, base, data_dir),
        sync=_sync_config(data),
    )
    display, voice = _display_voice(data, base)
    cfg = replace(cfg, display=display, voice=voice, scanner=_scanner_config(data),
                  documents_folder=_documents_folder(data, base, data_dir, database.url))
    _check_stored_lengths(cfg)
    return cfg


def _existing(reader: _Reader, name: str, base: Path) -> str:
    """A path the config names that must be there when it is used: checked now, not then."""
    value = _resolve_path(reader.text(name, ""), base)
    if value and not Path(value).is_file():
        raise ConfigError(reader.key(name), value, "config.allowed.existing_file", path=value)
    return value


def _check_host_port(target: str) -> None:
    host, port = target.strip(), "9100"
    if host.startswith("["):  # [IPv6]:PORT
        host, _, rest = host[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ("9100" if not rest else "x")
    elif host.count(":") == 1:
        host, port = host.split(":")
    if (not host or any(ch.isspace() for ch in host) or not port.isdigit()
            or not 0 < int(port) < 65536):
        raise ConfigError("printer.target", target, "config.allowed.host_port")


def _check_later_values(extra: dict[str, Any]) -> None:
    """The sections the screens and reports read when they need them, checked at start too."""
    t_ = _Reader(extra.get("targets", {}), "targets")
    ratio = t_.data.get("online_ratio")
    if ratio is not None and ratio != "":
        share = ratio / 100 if isinstance(ratio, int | float) and 1 < ratio <= 100 else ratio
        if isinstance(ratio, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
            raise ConfigError("targets.online_ratio", ratio, "config.allowed.ratio")
    s = _Reader(extra.get("satisfaction", {}), "satisfaction")
    levels = s.data.get("levels", 5)
    if isinstance(levels, bool) or levels not in (3, 4, 5):
        raise ConfigError("satisfaction.levels", levels, "3 | 4 | 5")


def _database_url(url: str) -> str:
    """The URL, if it names a store that keeps its data and can be reached as written."""
    def refused(allowed: str) -> ConfigError:
        shown = re.sub(r"://[^@/]*@", "://***@", url)  # never echo a password
        return ConfigError("database.url", shown, allowed)

    if not url.startswith(("sqlite:///", "postgres://", "postgresql://")):
        raise refused("config.allowed.database")
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
        if not path or path == ":memory:" or path.startswith("file::memory:"):
            raise refused("config.allowed.persistent")
        return url
    try:
        port = urlparse(url).port
    except ValueError:  # urllib: "Port out of range 0-65535", or not a number
        port = 0
    if port == 0:
        raise refused("config.allowed.port")
    return url


def _check_stored_lengths(cfg: Config) -> None:
    """Texts of the config that the store keeps fit their columns (core.limits), so a name
    one character too long is this message, not a store error on PostgreSQL only."""
    stored: list[tuple[str, str, str]] = [
        ("office.name", cfg.office.name, "office.name"),
        ("office.address", cfg.office.address, "office.address"),
        ("terminal.officer", cfg.terminal.officer, "officer.code"),
        ("terminal.officer_name", cfg.terminal.officer_name, "officer.name"),
    ]
    stored += [(f"groups[{i}].name", g.name, "service_group.name")
               for i, g in enumerate(cfg.groups)]
    stored += [(f"counters[{i}].name", c.name, "counter.name")
               for i, c in enumerate(cfg.counters)]
    for key, value, column in stored:
        if len(value) > limit(column):
            raise ConfigError(key, value, "config.allowed.max_length", max=limit(column),
                              length=len(value))


class NoConfig(Exception):
    """No config file named and none in any of the usual places: the office is not set up."""

    def __init__(self, places: list[Path]) -> None:
        self.places = places
        super().__init__()

    def __str__(self) -> str:
        return t("config.none", places=", ".join(str(p) for p in self.places))


def config_path(explicit: str | None = None, environ: dict[str, str] | None = None) -> Path:
    found = find_config(explicit, environ)
    if found.path is None:
        from counter_tui.config_locate import candidates

        raise NoConfig([p for _, p in candidates()])
    return found.path


def _check_names(data: dict[str, Any], path: Path, environ: dict[str, str]) -> None:
    problem = config_keys.unknown_in_file(data)
    if problem is not None:
        kind, name, near = problem
        known = (list(config_keys.KEYS) if kind == "section"
                 else list(config_keys.KEYS.get(name.split("[")[0].split(".")[0], {}))
                 or list(config_keys.KEYS))
        key = f"config.unknown_{kind}" + ("" if near else "_far")
        raise ConfigError(name, "", "", message=key, name=name, nearest=near, where=path,
                          known=", ".join(k for k in known if k))
    bad = config_keys.unknown_in_environment(environ)
    if bad is not None:
        name, near = bad
        key = "config.unknown_variable" + ("" if near else "_far")
        raise ConfigError(name, "", "", message=key, name=name, nearest=near)


def _origins(data: dict[str, Any], path: Path, environ: dict[str, str]) -> dict[str, str]:
    found = {config_keys.dotted(s, k): str(path)
             for s, keys in config_keys.KEYS.items() for k in keys
             if (data.get(k, "") != "" if not s
                 else isinstance(data.get(s), dict) and data[s].get(k, "") != "")
             or (s in config_keys.TABLE_ARRAYS and s in data)}
    for s, keys in config_keys.KEYS.items():
        for k in keys:
            if s and config_keys.env_name(s, k) in environ:
                found[config_keys.dotted(s, k)] = config_keys.env_name(s, k)
    return found


def _user() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):
        return str(os.geteuid())


def _read_text(path: Path) -> str:
    """The file's text: UTF-8, with or without the byte-order mark Notepad writes, or UTF-16
    with its mark (Notepad's "Unicode")."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("--config", str(path), "", message="config.missing",
                          path=path) from None
    except IsADirectoryError:
        raise ConfigError("--config", str(path), "", message="config.folder",
                          path=path) from None
    except OSError as exc:
        raise ConfigError("--config", str(path), "", message="config.unreadable", path=path,
                          reason=os_reason(exc), user=_user()) from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raw = raw.decode("utf-16", errors="replace").encode("utf-8")
    raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(str(path), "", "", message="config.not_utf8", path=path,
                          byte=f"{raw[exc.start]:02X}",
                          line=raw[: exc.start].count(b"\n") + 1) from None


# read from a file that is wrong: compiled only then (by re, when first used)
_LANGUAGE_LINE = r"(?m)^\s*language\s*=\s*[\"']?(vi|en)[\"']?\s*(#.*)?$"
_TOML_WHERE = r"\s*\(at line (\d+), column (\d+)\)$"


def _language(data: dict[str, Any] | None, text: str, env: dict[str, str]) -> str | None:
    """The language the file asks for, as far as it can be read, for its own errors."""
    ui = data.get("ui") if data is not None else None
    wanted = ui.get("language") if isinstance(ui, dict) else None
    if wanted is None and data is None:
        found = re.search(_LANGUAGE_LINE, text)
        wanted = found.group(1) if found else None
    wanted = env.get(f"{ENV_PREFIX}UI__LANGUAGE", wanted)
    wanted = str(wanted).strip().strip("\"'").lower() if wanted is not None else None
    return wanted if wanted in LANGUAGES else None


def load(explicit: str | None = None, environ: dict[str, str] | None = None) -> Config:
    """Read the config file (and the environment's overrides); raise ConfigError if unusable."""
    env = dict(os.environ if environ is None else environ)
    path = config_path(explicit, env)
    text, data = "", None
    try:
        text = _read_text(path)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            where = re.search(_TOML_WHERE, str(exc))
            raise ConfigError(str(path), str(exc), "", message="config.toml", path=path,
                              line=where.group(1) if where else "?",
                              column=where.group(2) if where else "?",
                              detail=re.sub(_TOML_WHERE, "", str(exc))) from None
        _check_names(data, path, env)
        origins = _origins(data, path, env)
        _apply_env(data, env)
        cfg = parse(data, path)
        cfg.origins.update(origins)
        return cfg
    except ConfigError as exc:
        exc.language = _language(data, text, env)
        raise
