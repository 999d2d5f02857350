"""The `counter-tui` command: the TUI by default, subcommands for kiosks, scripts and technicians.

Every subcommand goes through the same services as the TUI. Exit codes: 0 done, 1 the request
was refused (the message says why and how to fix it), 2 bad configuration, usage or setup (the
config file, an option, the store or the disk cannot be used as they are), 3 an unexpected
failure (logged). Every failure is decided here, in one place, so each subcommand gets the same
one-line message and exit code for the same cause, and no traceback reaches the terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import logging
import os
import re
import sys
from pathlib import Path
from typing import Any

from counter_tui import __version__
from counter_tui.commands import COMMANDS, Context, UsageError, registry
from counter_tui.commands.output import terminal_safe, tolerate_encoding, warn
from counter_tui.config import Config, ConfigError, NoConfig, load
from counter_tui.core.clock import set_office_timezone
from counter_tui.core.errors import UserError, os_reason
from counter_tui.core.i18n import set_language, t

EXIT_DONE, EXIT_REFUSED, EXIT_CONFIG, EXIT_UNEXPECTED = 0, 1, 2, 3
EXIT_INTERRUPTED = 130


# argparse asks gettext for its own words (the usage line, the option groups, the help option)
# as it builds each parser, and gettext looks on the disk for a catalogue at every call,
# finding none (Python ships none for argparse): 2 % of a kiosk's `ticket issue`. They are
# given as they are written instead.
argparse._ = str  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        warn(f"{self.prog}: {message}")
        raise SystemExit(EXIT_CONFIG)

    def _get_formatter(self) -> argparse.HelpFormatter:
        """argparse's formatter, given the terminal's width as it would find it itself:
        argparse makes one for every argument added (to check its shape), and each, left to
        find the width, imports shutil (bz2 and lzma with it) and asks the terminal."""
        if self.formatter_class is not argparse.HelpFormatter:  # one that finds its own
            return super()._get_formatter()
        return argparse.HelpFormatter(prog=self.prog, width=_terminal_width() - 2)


def _terminal_width() -> int:
    """shutil.get_terminal_size().columns: $COLUMNS, else the terminal's, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def build_parser(with_commands: bool = True, command: str | None = None
                 ) -> argparse.ArgumentParser:
    """The parser; with `command` (a subcommand's name), only that subcommand's parsers."""
    parser = _Parser(prog="counter-tui", description="Một cửa: queue, intake, receipts, reports.",
                     add_help=with_commands)
    parser.add_argument("--config", help="config.toml to use (or COUNTER_TUI_CONFIG)")
    parser.add_argument("--version", action="version", version=f"counter-tui {__version__}")
    parser.add_argument("--debug", action="store_true", help="log in detail (personal data "
                        "is still never logged)")
    if with_commands:
        sub = parser.add_subparsers(dest="command", parser_class=_Parser)
        for register in registry(command):
            register(sub)
    return parser


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Without a subcommand (the TUI), only the global options are parsed."""
    if argv and argv[0] in COMMANDS:  # the subcommand first (a kiosk's script): it is the one
        return build_parser(command=argv[0]).parse_args(argv)
    args, rest = build_parser(with_commands=False).parse_known_args(argv)
    if not rest:
        args.command = None
        return args
    return build_parser(command=rest[0]).parse_args(argv)


def log_file(cfg: Config) -> Path:
    return (cfg.data_dir / "counter-tui.log").resolve()


LOG_BYTES, LOG_FILES = 1024 * 1024, 5  # counter-tui.log and .1 to .5: a few weeks of a counter
# Phone numbers (10 digits, maybe spaced or dotted), CCCD (12) and CMND (9) numbers, however
# they reach a log line (a value in an exception's text): masked, for the log is read by people
# who must not see them. Dossier codes (261201-0002) and times keep their dashes and colons.
_ID_LIKE = re.compile(r"(?<![\d.])\+?\d[\d .]{7,}\d(?![\d.])")


def _mask(text: str) -> str:
    return _ID_LIKE.sub(lambda m: m.group(0) if sum(c.isdigit() for c in m.group(0)) < 9
                        else "*" * len(m.group(0)), text)


class Unidentified(logging.Formatter):
    """The message and any traceback with ID-like numbers masked (the time and process id
    the formatter adds are left alone)."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.msg, record.args
        record.msg, record.args = _mask(record.getMessage()), None
        try:
            return super().format(record)
        finally:
            record.msg, record.args = saved

    def formatException(self, ei: Any) -> str:
        return _mask(super().formatException(ei))

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        """The office's time, as on every slip and screen: a technician matching a log line to
        a ticket must not convert from the machine's zone."""
        import datetime as dt

        from counter_tui.core.clock import office_clock

        moment = office_clock().local(dt.datetime.fromtimestamp(record.created, dt.UTC))
        return f"{moment:%Y-%m-%d %H:%M:%S},{int(record.msecs):03d}"


class QuietLog(logging.FileHandler):
    """The log file, opened when there is first something to log, never by creating its
    folder (a missing data folder must stay missing: see db.connection), and never in the
    way: a read-only folder or a full disk costs the log, not the command, and prints nothing
    ("--- Logging error ---" and a traceback on the officer's terminal). The first failure is
    kept, so the message of an unexpected error can say the log is missing, and why.

    Past LOG_BYTES the file moves to .1 (and .1 to .2 …, the last dropped). Rotation is done
    here rather than by logging.handlers, whose import (sockets, pickle) costs the counter
    screen's start-up more than the few lines below."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, encoding="utf-8", delay=True)
        self.failure: BaseException | None = None

    def _open(self) -> Any:
        """The log file, readable by its owner only, even when the app is used without the
        umask `main` sets (a log holds officers' names and what they did)."""
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)

    def _rotate_if_full(self) -> None:
        try:
            if os.stat(self.baseFilename).st_size < LOG_BYTES:
                return
        except OSError:
            return
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        for n in range(LOG_FILES - 1, 0, -1):
            with contextlib.suppress(OSError):
                os.replace(f"{self.baseFilename}.{n}", f"{self.baseFilename}.{n + 1}")
        os.replace(self.baseFilename, f"{self.baseFilename}.1")

    def emit(self, record: logging.LogRecord) -> None:
        if self.stream is None and not Path(self.baseFilename).parent.is_dir():
            if self.failure is None:
                self.failure = FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT),
                                                 str(Path(self.baseFilename).parent))
            return
        try:
            self._rotate_if_full()
            super().emit(record)  # opening the file is not covered by handleError
        except OSError:
            self.handleError(record)

    def handleError(self, record: logging.LogRecord) -> None:
        failure = sys.exc_info()[1]
        if self.failure is None:
            self.failure = failure
        # A full disk can be freed: the next record tries the file again.
        stream, self.stream = self.stream, None
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()


def _setup_logging(cfg: Config, debug: bool = False) -> QuietLog:
    handler = QuietLog(log_file(cfg))
    handler.setFormatter(Unidentified("%(asctime)s %(process)d %(levelname)s %(name)s: "
                                      "%(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    # peewee's debug lines are every query with its values: names, ID numbers, phones
    logging.getLogger("peewee").setLevel(logging.INFO)
    return handler


def run_tui(cfg: Config, log_path: Path) -> int:
    from counter_tui.launch import resume
    from counter_tui.ui.ahead import full_collections_in_pauses
    from counter_tui.ui.app import CounterApp, open_terminal_store

    app = CounterApp(cfg, open_store=lambda: open_terminal_store(cfg), log_path=log_path)
    resume()  # loaded: keys are answered without the larger collection passes of loading
    full_collections_in_pauses()
    app.run()
    if app.start_failure is not None:  # told as if it had failed before the first frame
        raise app.start_failure
    return 0


def _undecodable(argv: list[str]) -> str | None:
    """The first argument that arrived as bytes that are not UTF-8 (Python keeps them as lone
    surrogates), shown with '?' for those bytes."""
    for arg in argv:
        if any("\udc80" <= ch <= "\udcff" for ch in arg):
            return "".join("?" if "\udc80" <= ch <= "\udcff" else ch for ch in arg)
    return None


def _user() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):
        return str(os.geteuid())


def _file_problem(exc: OSError) -> UserError | None:
    """A file named on the command line (an --output, an import) that cannot be used."""
    if exc.filename is None:
        return None
    path = exc.filename
    keys = {errno.ENOENT: "cli.file_missing", errno.EACCES: "cli.file_denied",
            errno.EPERM: "cli.file_denied", errno.EROFS: "cli.file_read_only",
            errno.ENOSPC: "cli.file_disk_full", errno.EDQUOT: "cli.file_disk_full",
            errno.EISDIR: "cli.file_is_folder"}
    key = keys.get(exc.errno or 0, "cli.file_failed")
    return UsageError(key, path=path, user=_user(), reason=os_reason(exc))


def _explain(exc: BaseException, cfg: Config) -> UserError | None:
    """A failure a person can put right, said for people; None for a bug."""
    from counter_tui.services.store import describe_failure

    store_problem = describe_failure(exc, cfg.database.url)
    if store_problem is not None:
        return store_problem
    if isinstance(exc, OSError):
        return _file_problem(exc)
    return None


def _quiet_stdout() -> None:
    """The reader of our output went away (`| head`): what is left to write goes nowhere, and
    Python's own flush at exit does not complain about it."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _exit_code(exc: UserError) -> int:
    from counter_tui.services.accounts import SignInRefused
    from counter_tui.services.authority import NotAllowed
    from counter_tui.services.store import StoreUnavailable

    # Not signed in, or not allowed: like a setup that is wrong, not a refused request.
    return EXIT_CONFIG if isinstance(exc, UsageError | StoreUnavailable | NotAllowed
                                     | SignInRefused) else EXIT_REFUSED


# Everything the app creates (the store and its WAL, the log, backups, exports, the config
# `init` writes, the file printer's output) holds personal data or the store's password: for
# the user running the app alone, whatever umask the shell or the service manager gave it.
PRIVATE_UMASK = 0o077


def main(argv: list[str] | None = None) -> int:
    os.umask(PRIVATE_UMASK)
    tolerate_encoding(sys.stdout, sys.stderr)
    try:
        return _main(sys.argv[1:] if argv is None else argv)
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_DONE


def _offer_init(argv: list[str]) -> int | None:
    """No config anywhere, the TUI asked for at a terminal: set the office up, then start."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None
    sys.stdout.write(t("cli.offer_init"))
    sys.stdout.flush()
    if sys.stdin.readline().strip().lower() not in ("c", "có", "y", "yes"):
        return None
    done = _main(["init"])
    return done if done != EXIT_DONE else _main(argv)


def _main(argv: list[str]) -> int:
    args = parse_args(argv)
    prepare = getattr(args, "prepare", None)
    if prepare is not None:  # init: writes the config that is read next
        try:
            prepare(args)
        except UserError as exc:
            warn(str(exc))
            return _exit_code(exc)
    try:
        cfg = load(args.config)
    except NoConfig as exc:
        set_language("vi")
        warn(str(exc))
        if args.command is None:
            offered = _offer_init(argv)
            if offered is not None:
                return offered
        return EXIT_CONFIG
    except ConfigError as exc:
        set_language(exc.language or "vi")
        if getattr(args, "config_failure", None) is not None:  # `doctor` reports it with the rest
            return int(args.config_failure(args, exc))
        warn(str(exc))
        return EXIT_CONFIG
    set_language(cfg.ui.language)
    set_office_timezone(cfg.office.timezone)
    bad = _undecodable(argv)
    if bad is not None:
        warn(t("cli.argument_not_utf8", value=bad))
        return EXIT_CONFIG
    log = _setup_logging(cfg, args.debug)
    what = _what(args)
    logging.getLogger(__name__).info("start %s (counter-tui %s, counter %s)", what, __version__,
                                     cfg.terminal.counter)
    code = EXIT_UNEXPECTED
    try:
        code = _run(args, cfg, log, Context(cfg))
        return code
    finally:
        logging.getLogger(__name__).info("stop %s: exit %s", what, code)


def _what(args: argparse.Namespace) -> str:
    """The command, by name only (its arguments may be a citizen's name or number)."""
    if args.command is None:
        return "tui"
    action = next((str(v) for k, v in vars(args).items() if k in ("action", "kind")
                   and isinstance(v, str)), "")
    return f"{args.command} {action}".strip()


def _run(args: argparse.Namespace, cfg: Config, log: QuietLog, ctx: Context) -> int:
    if cfg.database.url.startswith("sqlite:") and args.command != "sync":
        from counter_tui import db

        # the TUI and every subcommand but sync (which reaches the centre's PostgreSQL): no
        # psycopg2 for SQLite
        db.without_server_drivers()
    try:
        if args.command is None:
            return run_tui(cfg, Path(log.baseFilename))
        return int(args.handler(args, ctx) or 0)
    except UserError as exc:
        warn(str(exc))
        logging.getLogger(__name__).info("refused: %s", exc.key)
        return _exit_code(exc)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        raise
    except Exception as exc:
        explained = _explain(exc, cfg)
        if explained is not None:
            logging.getLogger(__name__).warning("counter-tui %s: %s", args.command,
                                                explained.key)
            warn(str(explained))
            return _exit_code(explained)
        logging.getLogger(__name__).exception("counter-tui %s", args.command)
        if log.failure is not None:
            warn(t("cli.unexpected_unlogged", error=terminal_safe(type(exc).__name__),
                   log=log.baseFilename, reason=log.failure))
        else:
            warn(t("error.unexpected", log=log.baseFilename))
        return EXIT_UNEXPECTED
    finally:
        try:
            ctx.close()
        except Exception:  # closing a store that failed must not hide why it failed
            logging.getLogger(__name__).warning("closing the store failed", exc_info=True)
