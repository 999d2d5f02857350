"""The `counter-tui` command: the TUI by default, subcommands for kiosks, scripts and technicians.

Every subcommand goes through the same services as the TUI. Exit codes: 0 done, 1 the request
was refused (the message says why and how to fix it), 2 bad configuration or usage, 3 an
unexpected failure (logged). No traceback reaches the terminal.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from counter_tui import __version__
from counter_tui.commands import Context, registry
from counter_tui.config import Config, ConfigError, load
from counter_tui.core.clock import set_office_timezone
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import set_language, t

EXIT_REFUSED, EXIT_CONFIG, EXIT_UNEXPECTED = 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: {message}\n")
        raise SystemExit(EXIT_CONFIG)


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    parser = _Parser(prog="counter-tui", description="Một cửa: queue, intake, receipts, reports.",
                     add_help=with_commands)
    parser.add_argument("--config", help="config.toml to use (or COUNTER_TUI_CONFIG)")
    parser.add_argument("--version", action="version", version=f"counter-tui {__version__}")
    if with_commands:
        sub = parser.add_subparsers(dest="command", parser_class=_Parser)
        for register in registry():
            register(sub)
    return parser


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Without a subcommand (the TUI), only the global options are parsed."""
    args, rest = build_parser(with_commands=False).parse_known_args(argv)
    if not rest:
        args.command = None
        return args
    return build_parser().parse_args(argv)


def log_file(cfg: Config) -> Path:
    base = cfg.path.parent if cfg.path else Path.cwd()
    return (base / "data" / "counter-tui.log").resolve()


def _setup_logging(cfg: Config) -> Path:
    path = log_file(cfg)
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    return path


def run_tui(cfg: Config, log_path: Path) -> int:
    if cfg.database.url.startswith("sqlite:"):
        import db

        db.without_server_drivers()
    from counter_tui.ui.app import CounterApp, open_terminal_store

    CounterApp(cfg, store=open_terminal_store(cfg), log_path=log_path).run()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        cfg = load(args.config)
    except ConfigError as exc:
        sys.stderr.write(f"{exc}\n")
        return EXIT_CONFIG
    set_language(cfg.ui.language)
    set_office_timezone(cfg.office.timezone)
    log_path = _setup_logging(cfg)
    ctx = Context(cfg)
    try:
        if args.command is None:
            return run_tui(cfg, log_path)
        return int(args.handler(args, ctx) or 0)
    except UserError as exc:
        sys.stderr.write(f"{exc}\n")
        return EXIT_REFUSED
    except KeyboardInterrupt:
        return 130
    except Exception:
        logging.getLogger(__name__).exception("counter-tui %s", args.command)
        sys.stderr.write(t("error.unexpected", log=log_path) + "\n")
        return EXIT_UNEXPECTED
    finally:
        ctx.close()
