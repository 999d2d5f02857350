"""Every section and key config.toml may hold, so a misspelt one is an error, not a default.

A typo such as `knid = "network"` used to be read as "no kind given": the terminal printed
into a file and nobody knew why. The parser in config.py reads these keys (a test holds the
two in step); here they are listed once, with what each is for (`counter-tui config show`),
and the nearest known name is found for a name that is not one of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# section ("" = the top of the file) -> key -> what it is for
KEYS: dict[str, dict[str, str]] = {
    "": {
        "catalogue": "procedures catalogue loaded on first start (CSV); empty: the shipped one",
        "data": "data folder (store, log, file printer); empty: the user data folder",
    },
    "office": {
        "name": "office name printed on tickets and receipts",
        "agency_code": "agency identifier used in dossier codes",
        "address": "address printed on receipts",
        "phone": "phone printed on receipts",
        "timezone": "the office's time zone",
    },
    "terminal": {
        "counter": "the counter this terminal is",
        "officer": "code of the officer working it",
        "officer_name": "name of the officer working it",
    },
    "groups": {
        "letter": "series letter of the group's tickets",
        "name": "group name",
        "fields": "catalogue fields the group takes",
        "procedures": "procedure codes the group takes",
        "voice_call": "the group's wording of a call ({number} {counter}); empty: [voice]'s",
        "voice_recall": "the group's wording of a second call; empty: [voice]'s",
    },
    "counters": {
        "number": "counter number",
        "name": "counter name",
        "groups": "letters of the groups it calls",
    },
    "printer": {
        "kind": "file | network | usb | serial | cups",
        "target": "file, HOST[:PORT], device or CUPS queue",
        "profile": "python-escpos capability profile",
        "paper_mm": "58 or 80",
        "columns": "characters per line; 0: from the paper",
        "dots": "dots per line; 0: from the paper",
        "text_mode": "tcvn3 | cp1258 | raster | ascii",
        "connect_timeout": "seconds to wait for a network printer",
        "send_timeout": "seconds to wait for a job to be taken",
        "baudrate": "serial speed",
        "flow_control": "none | xonxoff | rtscts | dsrdtr",
        "usb_vendor": "USB vendor id",
        "usb_product": "USB product id",
        "usb_in_ep": "USB in endpoint",
        "usb_out_ep": "USB out endpoint",
        "receipt_copies": "receipts per dossier (1 or 2)",
        "ticket_qr": "QR code on queue tickets",
        "font": "TTF font for raster mode",
    },
    "database": {"url": "sqlite:///PATH or postgresql://user:pass@host:port/db"},
    "hours": {
        "sessions": "working sessions of a working day",
        "saturday_sessions": "Saturday sessions",
    },
    "holidays": {
        "official": "Vietnam's official holidays and swaps",
        "extra_days_off": "the office's own days off",
        "make_up_days": "make-up working days",
    },
    "ui": {
        "language": "vi | en",
        "refresh_seconds": "how often screens refresh",
    },
    "targets": {"online_ratio": "share of dossiers submitted online to aim for (0 to 1)"},
    "satisfaction": {"levels": "rating scale at hand-over: 3, 4 or 5"},
    "forms": {
        "paper": "paper of the legal forms (Mẫu 01-06): A4 | A5",
        "output": "where the forms go: folder (PDF files) | cups (an office printer's queue)",
        "target": "the forms' folder (empty: forms/ in the data folder) or CUPS queue name",
        "templates": "folder of the office's own form templates (mau01.txt ...); empty: shipped",
        "authority": "first line of the forms' heading: the body the office belongs to",
        "place": "place name of the forms' date line",
        "receipt": "the receipt (Mẫu 01): thermal | a4 | a5 | both",
        "supplement": "request for supplements (Mẫu 02): thermal | a4 | a5 | both",
        "refusal": "refusal (Mẫu 03): thermal | a4 | a5 | both",
        "apology": "apology, new appointment (Mẫu 04): thermal | a4 | a5 | both",
        "control": "control sheet (Mẫu 05): thermal | a4 | a5 | both",
    },
    "display": {
        "notices": "a line of notices along the bottom of the waiting-room display",
        "calls": "how many of the last calls the display lists",
        "highlight_seconds": "how long the newest call stays highlighted",
    },
    "voice": {
        "output": "audio | off | wav:FOLDER (one WAV file per announcement)",
        "voice": "espeak-ng voice: vi, vi-vn-x-central, vi-vn-x-south, en; empty: by language",
        "speed": "words per minute",
        "chime": "a chime before each announcement",
        "repeat": "times each call is spoken (1 to 3)",
        "max_age_seconds": "a call not yet spoken after this long is dropped",
        "numbers": "digits (A không một lăm) | number (A mười lăm)",
        "call": "wording of a call, with {number} and {counter}; empty: the built-in one",
        "recall": "wording of a second call; empty: the built-in one",
        "clips": "folder of recorded WAV clips spoken instead of espeak-ng; empty: none",
    },
    "scanner": {
        "device": "SANE device (scanimage -L; \"test\" is the simulated one); empty: the first",
        "resolution": "dots per inch (200 for documents)",
        "mode": "gray | color | lineart",
        "feeder": "take pages from the document feeder until it is empty",
        "duplex": "both sides of each sheet (a feeder that can)",
        "width_mm": "page width scanned, cut to the device's",
        "height_mm": "page height scanned, cut to the device's",
        "quality": "JPEG quality of grey and colour pages (20 to 95)",
        "timeout_seconds": "seconds a page may take before the scanner is given up",
        "max_pages": "most pages one feeder batch takes",
        "options": "the device's own scanimage options, e.g. [\"--brightness\", \"10\"]",
        "command": "the scanimage program",
    },
    "documents": {
        "folder": "where scanned documents are kept; empty: documents/ beside the store",
    },
    "backup": {
        "folder": "where the store's copies go; empty: backups/ in the data folder",
        "keep_daily": "newest copy of each of the last N days to keep",
        "keep_monthly": "newest copy of each of the last N months to keep",
    },
    "security": {
        "idle_lock_minutes": "minutes without a key before the screen locks; 0: never",
        "pin_min_length": "fewest characters a PIN may have",
        "pin_cost": "scrypt cost of a PIN's hash (a power of two)",
        "max_failures": "wrong PINs in a row before the account is locked",
        "lock_minutes": "how long a locked account waits",
        "session_hours": "how long a command line's login lasts",
    },
    "roles": {
        "officer": "actions the office adds to officers (e.g. dossier.override)",
        "supervisor": "actions the office adds to supervisors",
        "technician": "actions the office adds to technicians",
        "administrator": "actions the office adds to administrators",
        "display": "actions the office adds to the waiting-room display",
        "kiosk": "actions the office adds to the ticket kiosk",
    },
    "sync": {
        "url": "the district centre's PostgreSQL URL; empty: this office does not sync",
        "interval": "seconds between looks for changes to send while the link is up",
        "max_backoff": "longest wait in seconds between tries while the link is down",
        "batch": "changes applied on the centre in one transaction",
        "down": "what comes down from the centre: procedures, accounts",
        "timeout": "seconds without an answer before the link is taken for cut",
    },
    "privacy": {
        "retention": "[[\"YYYY-MM-DD\", months], ...]: months personal data is kept after "
                     "the return, by the rule in force on the day of the return",
    },
}
TABLE_ARRAYS = ("groups", "counters")  # [[groups]], [[counters]]: many tables, no env override
ENV_PREFIX = "COUNTER_TUI_"
OWN_VARIABLES = ("COUNTER_TUI_CONFIG", "COUNTER_TUI_KEY")  # KEY: a service account's key


def dotted(section: str, key: str) -> str:
    return f"{section}.{key}" if section else key


def env_name(section: str, key: str) -> str:
    return f"{ENV_PREFIX}{section.upper()}__{key.upper()}"


def env_names() -> list[str]:
    return [*OWN_VARIABLES, *(env_name(s, k) for s, keys in KEYS.items()
                              if s and s not in TABLE_ARRAYS for k in keys)]


def nearest(name: str, known: list[str]) -> str | None:
    import difflib  # only when a name is wrong: a start with a good config does not pay for it

    found = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return found[0] if found else None


def unknown_in_file(data: Mapping[str, Any]) -> tuple[str, str, str | None] | None:
    """The first section or key the file holds that is not one: (kind, name, nearest)."""
    sections = [s for s in KEYS if s]
    for name, value in data.items():
        if name in KEYS[""]:
            continue
        if name not in KEYS:
            kind = "section" if isinstance(value, dict | list) else "key"
            known = sections if kind == "section" else [*KEYS[""], *sections]
            return kind, name, nearest(name, known)
        tables = value if isinstance(value, list) else [value]
        for i, table in enumerate(tables):
            if not isinstance(table, dict):
                continue  # the parser says what a section must be
            for key in table:
                if key not in KEYS[name]:
                    where = f"{name}[{i}]" if isinstance(value, list) else name
                    hint = nearest(key, list(KEYS[name]))
                    return "key", f"{where}.{key}", f"{where}.{hint}" if hint else None
    return None


def unknown_in_environment(environ: Mapping[str, str]) -> tuple[str, str | None] | None:
    """The first COUNTER_TUI_ variable that names no setting: (name, nearest)."""
    known = env_names()
    tails = [k[len(ENV_PREFIX):] for k in known]  # the shared prefix would make all look near
    for name in sorted(environ):
        if name.startswith(ENV_PREFIX) and name not in known:
            tail = nearest(name[len(ENV_PREFIX):], tails)
            return name, ENV_PREFIX + tail if tail else None
    return None
