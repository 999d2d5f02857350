"""`counter-tui init`: the first setup of an office: its config file, then its store.

Without a config, a few questions (Vietnamese, or English with --lang en; each answer is also
an option, and --defaults asks nothing, for scripted installs) fill the shipped template, which
is written to the user config folder or --config PATH. An existing config is kept unless
--force. Then the store: everywhere else a missing data folder stops the program (an
unmounted drive must not become a new, empty store whose numbering starts again); here,
asked for on purpose, the folder and the store are made. Run on an existing store it creates
nothing and says what is there.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from counter_tui.commands import Context, UsageError, emit, say, warn
from counter_tui.config import LANGUAGES, PRINTER_KINDS, ConfigError
from counter_tui.config_locate import ENV_CONFIG, user_config_file
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import set_language, t

YES = ("c", "có", "y", "yes")


def register(sub: Any) -> None:
    init = sub.add_parser("init", help="first setup: write config.toml, create the store")
    init.add_argument("--json", action="store_true")
    init.add_argument("--defaults", action="store_true",
                      help="ask nothing: the options given, defaults for the rest")
    init.add_argument("--force", action="store_true", help="overwrite an existing config")
    init.add_argument("--office-name", dest="office_name")
    init.add_argument("--agency-code", dest="agency_code")
    init.add_argument("--address")
    init.add_argument("--counters", type=int)
    init.add_argument("--printer-kind", dest="printer_kind", choices=PRINTER_KINDS)
    init.add_argument("--printer-target", dest="printer_target")
    init.add_argument("--lang", dest="language", choices=LANGUAGES)
    init.add_argument("--timezone")
    init.add_argument("--data", help="data folder (default: the user data folder)")
    init.add_argument("--database-url", dest="database_url")
    init.add_argument("--test-page", dest="test_page", action="store_true",
                      help="print a test page on the printer chosen")
    init.add_argument("--admin", help="username of the first administrator")
    init.add_argument("--admin-name", dest="admin_name", default="",
                      help="full name of the first administrator")
    init.add_argument("--admin-pin", dest="admin_pin",
                      help="the first administrator's PIN (else read from the standard input)")
    init.set_defaults(handler=initialise, prepare=prepare)


ASKED = ("office_name", "agency_code", "address", "counters", "printer_kind", "printer_target",
         "language", "timezone")


def _given(args: argparse.Namespace) -> dict[str, Any]:
    from counter_tui.config_writer import Answers

    return {f.name: getattr(args, f.name) for f in fields(Answers)
            if getattr(args, f.name, None) is not None}


def _driver_there(url: str) -> None:
    """A PostgreSQL store needs its driver: said before the config is written, so the same
    command, run again once the driver is installed, is not refused for the file it left."""
    import importlib.util

    if url.startswith(("postgresql://", "postgres://")) \
            and importlib.util.find_spec("psycopg2") is None:
        from counter_tui.services.store import StoreUnavailable

        raise StoreUnavailable("store.driver")


def prepare(args: argparse.Namespace) -> None:
    """Before the config is read: write it, if there is none (or --force). Sets args.config to
    the file written, so what follows (the store) uses it."""
    from counter_tui.config_writer import Answers, write

    set_language(args.language or "vi")
    path = Path(args.config) if args.config else _default_target()
    given = _given(args)
    if path.exists() and not args.force:
        if given or args.defaults:
            raise UsageError("cli.init.would_overwrite", path=path)
        if sys.stdin.isatty():  # a person who may have expected questions; scripts get none
            say(t("cli.init.kept", path=path))
        args.config = str(path)
        return
    answers = replace(Answers(), **given)
    if not args.defaults:
        answers = _ask(answers, given)
    _driver_there(os.environ.get("COUNTER_TUI_DATABASE__URL") or answers.database_url)
    try:
        cfg = write(answers, path)
    except ConfigError as exc:
        raise UsageError("cli.init.bad_config", reason=str(exc)) from None
    say(t("cli.init.wrote", path=path))
    args.config_written = path.name
    # The data folder of a new config is chosen here, on purpose: made whole (the user data
    # folder's parents may not exist yet). A store named elsewhere keeps the one-level rule.
    cfg.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    args.config = str(path)


def _default_target() -> Path:
    import os

    return Path(os.environ[ENV_CONFIG]) if os.environ.get(ENV_CONFIG) else user_config_file()


def _ask(answers: Any, given: dict[str, Any]) -> Any:
    say(t("cli.init.intro"))
    for name in ASKED:
        if name in given:
            continue
        current = getattr(answers, name)
        check: Callable[[str], Any] = _counters if name == "counters" else str
        while True:
            raw = _line(f"{t(f'cli.init.ask.{name}')} [{current}]: ")
            if raw is None or not raw.strip():
                break
            try:
                answers = replace(answers, **{name: check(raw.strip())})
                break
            except ValueError as exc:
                warn(t("cli.init.bad_answer", reason=exc))
        if name == "language":
            set_language(answers.language if answers.language in LANGUAGES else "vi")
    return answers


def _counters(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= 99:
        raise ValueError(t("cli.init.bad_counters"))
    return int(raw)


def _line(prompt: str) -> str | None:
    """One answer; None at the end of the input (answers piped in, or none at all)."""
    try:
        sys.stdout.write(prompt)
        sys.stdout.flush()
        line = sys.stdin.readline()
    except (OSError, ValueError):
        return None
    return line if line else None


def _wants_test_page(args: argparse.Namespace) -> bool:
    if args.test_page or args.defaults or not sys.stdin.isatty():
        return bool(args.test_page)
    answer = _line(t("cli.init.ask.test_page") + " ")
    return answer is not None and answer.strip().lower() in YES


def initialise(args: argparse.Namespace, ctx: Context) -> int:
    from counter_tui.db.models import Dossier, Ticket
    from counter_tui.services import audit
    from counter_tui.services.store import create_store, shown_url

    store, new = create_store(ctx.cfg)
    ctx.adopt(store)
    if getattr(args, "config_written", None):
        audit.note(store, "config:write", args.config_written)
    with store.read():
        dossiers, tickets = Dossier.select().count(), Ticket.select().count()
    url = shown_url(ctx.cfg.database.url)
    text = (t("cli.init.created", url=url) if new
            else t("cli.init.existing", url=url, dossiers=dossiers, tickets=tickets))
    admin = _first_administrator(args, store)
    if admin:
        text += "\n" + t("cli.init.admin_created", username=admin)
    emit({"url": url, "created": new, "dossiers": dossiers, "tickets": tickets,
          "administrator": admin}, args.json, text)
    if _wants_test_page(args):
        from counter_tui.commands.printer import print_test

        return print_test(argparse.Namespace(mode=None, paper=None), ctx)
    return 0


def _first_administrator(args: argparse.Namespace, store: Any) -> str | None:
    """The store's first administrator, who creates the office's accounts: from --admin (and
    --admin-pin, or a PIN read from the standard input), or asked at a terminal. None when the
    store has one already, or when a script gave none (the TUI's first start asks)."""
    from counter_tui.commands.session import read_secret
    from counter_tui.services import accounts

    if not accounts.needs_first_administrator(store):
        if args.admin:
            warn(t("cli.init.admin_exists"))
        return None
    username, name, pin = args.admin, args.admin_name, args.admin_pin
    if not username:
        if args.defaults or not sys.stdin.isatty():
            warn(t("cli.init.no_admin"))
            return None
        say(t("cli.init.admin_intro"))
        username = (_line(t("cli.init.ask.admin") + " ") or "").strip()
        name = (_line(t("cli.init.ask.admin_name") + " ") or "").strip()
        if not username:
            warn(t("cli.init.no_admin"))
            return None
    if pin is None:
        pin = read_secret(t("cli.officer.pin"))
        if sys.stdin.isatty() and read_secret(t("cli.init.ask.pin_again")) != pin:
            raise UsageError("account.pins_differ")
    try:
        accounts.create_first_administrator(store, username, name or username, pin)
    except UserError as exc:
        error = UsageError(exc.key)
        error.params = exc.params
        raise error from None
    return str(username).strip().lower()
