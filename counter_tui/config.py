"""config.toml -> typed, validated settings.

One file describes an office: its identity, queue groups, counters, printer, store, hours and
holidays. Every key can be overridden by `COUNTER_TUI_<SECTION>__<KEY>` so a terminal (or a test)
changes one thing without its own file. A bad value stops the program with one message that
names the key, the value and what is allowed: a technician fixes it without reading code.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any

from counter_tui.core.clock import DEFAULT_TIMEZONE, load_zone
from counter_tui.core.text import clean

DEFAULT_CONFIG = Path("config.toml")
ENV_PREFIX = "COUNTER_TUI_"


class ConfigError(Exception):
    """A setting that cannot be used; the message says which key and what is allowed."""

    def __init__(self, key: str, value: object, allowed: str) -> None:
        self.key, self.value, self.allowed = key, value, allowed
        super().__init__(f"config: {key} = {value!r} is not valid; allowed: {allowed}")


@dataclass(frozen=True)
class OfficeConfig:
    name: str
    agency_code: str
    address: str = ""
    phone: str = ""
    timezone: str = DEFAULT_TIMEZONE  # every stored, shown and printed time is in this zone


@dataclass(frozen=True)
class GroupConfig:
    letter: str
    name: str
    fields: tuple[str, ...] = ()
    procedures: tuple[str, ...] = ()


@dataclass(frozen=True)
class CounterConfig:
    number: int
    name: str
    groups: tuple[str, ...]


@dataclass(frozen=True)
class TerminalConfig:
    counter: int
    officer: str
    officer_name: str


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class DatabaseConfig:
    url: str


@dataclass(frozen=True)
class HoursConfig:
    sessions: tuple[tuple[time, time], ...]
    saturday_sessions: tuple[tuple[time, time], ...] = ()


@dataclass(frozen=True)
class HolidaysConfig:
    official: bool = True
    extra_days_off: tuple[date, ...] = ()
    make_up_days: tuple[date, ...] = ()


@dataclass(frozen=True)
class UIConfig:
    language: str = "vi"
    refresh_seconds: float = 2.0


@dataclass(frozen=True)
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

    def group(self, letter: str) -> GroupConfig | None:
        return next((g for g in self.groups if g.letter == letter.upper()), None)

    def counter(self, number: int) -> CounterConfig | None:
        return next((c for c in self.counters if c.number == number), None)


PRINTER_KINDS = ("file", "network", "usb", "serial", "cups")
TEXT_MODES = ("tcvn3", "cp1258", "raster", "ascii")
LANGUAGES = ("vi", "en")
_LETTER = re.compile(r"^[A-Z]$")
_AGENCY = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.]{0,39}$")


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
        section, key = name[len(ENV_PREFIX) :].lower().split("__", 1)
        target = data.setdefault(section, {})
        if not isinstance(target, dict):
            raise ConfigError(section, target, "a table of settings")
        target[key] = _env_value(raw)


class _Reader:
    """Typed access to one TOML table; every error names the full key."""

    def __init__(self, data: Any, prefix: str) -> None:
        if not isinstance(data, dict):
            raise ConfigError(prefix, data, "a table of settings")
        self.data, self.prefix = data, prefix

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def text(self, name: str, default: str | None = None, *, required: bool = False) -> str:
        value = self.data.get(name, default)
        if value is None or (required and not str(value).strip()):
            raise ConfigError(self.key(name), value, "a non-empty text")
        if not isinstance(value, str):
            raise ConfigError(self.key(name), value, "a text in quotes")
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
            raise ConfigError(self.key(name), value, f"a whole number from {lo} to {hi}")
        return value

    def number(self, name: str, default: float, lo: float, hi: float) -> float:
        value = self.data.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            raise ConfigError(self.key(name), value, f"a number from {lo} to {hi}")
        return float(value)

    def boolean(self, name: str, default: bool) -> bool:
        value = self.data.get(name, default)
        if not isinstance(value, bool):
            raise ConfigError(self.key(name), value, "true | false")
        return value

    def texts(self, name: str) -> tuple[str, ...]:
        value = self.data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(self.key(name), value, 'a list of texts, e.g. ["A", "B"]')
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
                raise ConfigError(
                    self.key(name), v, "a list of dates YYYY-MM-DD, e.g. [2026-04-27]"
                ) from None
        return tuple(out)

    def sessions(self, name: str, default: list[list[str]]) -> tuple[tuple[time, time], ...]:
        value = self.data.get(name, default)
        allowed = 'a list of ["HH:MM", "HH:MM"] pairs, e.g. [["07:00", "11:30"]]'
        if not isinstance(value, list):
            raise ConfigError(self.key(name), value, allowed)
        out: list[tuple[time, time]] = []
        for pair in value:
            try:
                start, end = (time.fromisoformat(str(p)) for p in pair)
            except (TypeError, ValueError):
                raise ConfigError(self.key(name), pair, allowed) from None
            if end <= start or (out and start < out[-1][1]):
                raise ConfigError(self.key(name), pair, allowed + ", in order, not overlapping")
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

    o = _Reader(data.get("office", {}), "office")
    agency = o.text("agency_code", required=True)
    if not _AGENCY.match(agency):
        raise ConfigError("office.agency_code", agency,
                          "letters, digits and dots, e.g. 000.17.22.H56")
    timezone = o.text("timezone", DEFAULT_TIMEZONE, required=True)
    try:
        load_zone(timezone)
    except ValueError:
        raise ConfigError("office.timezone", timezone,
                          f"a time zone name, e.g. {DEFAULT_TIMEZONE}") from None
    office = OfficeConfig(
        name=o.text("name", required=True), agency_code=agency,
        address=o.text("address", ""), phone=o.text("phone", ""), timezone=timezone,
    )

    raw_groups = data.get("groups", [])
    if not isinstance(raw_groups, list) or not raw_groups:
        raise ConfigError("groups", raw_groups, "at least one [[groups]] table")
    groups: list[GroupConfig] = []
    for i, g in enumerate(raw_groups):
        r = _Reader(g, f"groups[{i}]")
        letter = r.text("letter", required=True).upper()
        if not _LETTER.match(letter) or any(x.letter == letter for x in groups):
            raise ConfigError(r.key("letter"), letter, "one letter A-Z, different for each group")
        groups.append(GroupConfig(letter, r.text("name", required=True), r.texts("fields"),
                                  r.texts("procedures")))

    letters = {g.letter for g in groups}
    raw_counters = data.get("counters", [])
    if not isinstance(raw_counters, list) or not raw_counters:
        raise ConfigError("counters", raw_counters, "at least one [[counters]] table")
    counters: list[CounterConfig] = []
    for i, c in enumerate(raw_counters):
        r = _Reader(c, f"counters[{i}]")
        number = r.integer("number", 0, 1, 999)
        if any(x.number == number for x in counters):
            raise ConfigError(r.key("number"), number, "a number not used by another counter")
        served = tuple(s.upper() for s in r.texts("groups"))
        unknown = [s for s in served if s not in letters]
        if not served or unknown:
            raise ConfigError(r.key("groups"), list(served),
                              f"letters of groups: {sorted(letters)}")
        counters.append(CounterConfig(number, r.text("name", f"Quầy {number}"), served))

    t = _Reader(data.get("terminal", {}), "terminal")
    counter_no = t.integer("counter", counters[0].number, 1, 999)
    if counter_no not in {c.number for c in counters}:
        raise ConfigError("terminal.counter", counter_no,
                          f"a counter number from [[counters]]: {[c.number for c in counters]}")
    terminal = TerminalConfig(counter_no, t.text("officer", "canbo1", required=True),
                              t.text("officer_name", "Cán bộ tiếp nhận", required=True))

    p = _Reader(data.get("printer", {}), "printer")
    paper = p.integer("paper_mm", 80, 58, 80)
    if paper not in (58, 80):
        raise ConfigError("printer.paper_mm", paper, "58 | 80")
    kind = p.choice("kind", "file", PRINTER_KINDS)
    target = p.text("target", "data/printer.out")
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
        font=_resolve_path(p.text("font", ""), base),
    )

    d = _Reader(data.get("database", {}), "database")
    url = d.text("url", "sqlite:///data/counter.db")
    if not re.match(r"^(sqlite:///|postgres(ql)?://)", url):
        raise ConfigError("database.url", url, "sqlite:///PATH | postgresql://user:pass@host/db")
    database = DatabaseConfig(_resolve_url(url, base))

    h = _Reader(data.get("hours", {}), "hours")
    hours = HoursConfig(h.sessions("sessions", [["07:00", "11:30"], ["13:30", "17:00"]]),
                        h.sessions("saturday_sessions", []))
    if not hours.sessions:
        raise ConfigError("hours.sessions", [], "at least one working session")

    hol = _Reader(data.get("holidays", {}), "holidays")
    holidays = HolidaysConfig(hol.boolean("official", True), hol.dates("extra_days_off"),
                              hol.dates("make_up_days"))

    u = _Reader(data.get("ui", {}), "ui")
    ui = UIConfig(u.choice("language", "vi", LANGUAGES), u.number("refresh_seconds", 2.0, 0.2, 60))

    catalogue = root.text("catalogue", "")
    return Config(
        path=path, office=office, terminal=terminal, groups=tuple(groups),
        counters=tuple(counters), printer=printer, database=database, hours=hours,
        holidays=holidays, ui=ui,
        catalogue=Path(_resolve_path(catalogue, base)) if catalogue else None,
        extra={k: v for k, v in data.items() if k in ("targets", "receipt", "satisfaction")},
    )


def config_path(explicit: str | None = None, environ: dict[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    return Path(explicit or env.get("COUNTER_TUI_CONFIG") or DEFAULT_CONFIG)


def load(explicit: str | None = None, environ: dict[str, str] | None = None) -> Config:
    """Read the config file (and the environment's overrides); raise ConfigError if unusable."""
    env = dict(os.environ if environ is None else environ)
    path = config_path(explicit, env)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("--config", str(path), "the path of an existing config.toml") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), str(exc), "valid TOML") from None
    _apply_env(data, env)
    return parse(data, path)
