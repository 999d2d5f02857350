"""`counter-tui config show | check FILE`: what the app would run with, and whether a file is
fit to run with, without starting anything.

`show` lists every setting with its effective value and where it came from: the file (its
path), an environment variable (its name), or the default. `check` reads a file exactly as the
app would at start (the environment's overrides included) and exits 0 when it is usable, 2
with the same message as a start would give when it is not.
"""

from __future__ import annotations

import argparse
from dataclasses import is_dataclass
from typing import Any

from counter_tui import config_keys
from counter_tui.commands import Context, emit, say
from counter_tui.config_locate import find_config
from counter_tui.core.i18n import t


def register(sub: Any) -> None:
    config = sub.add_parser("config", help="show the effective settings, or check a file")
    actions = config.add_subparsers(dest="action", required=True)
    show = actions.add_parser("show", help="every setting, its value and where it came from")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=show_settings)
    check = actions.add_parser("check", help="validate a config file without starting")
    check.add_argument("file")
    check.set_defaults(handler=checked, prepare=_check_that_file)


def _check_that_file(args: argparse.Namespace) -> None:
    args.config = args.file  # read as the start would read it; a ConfigError exits 2


def checked(args: argparse.Namespace, ctx: Context) -> int:
    say(t("cli.config.valid", path=ctx.cfg.path))
    return 0


def _value(cfg: Any, section: str, key: str) -> Any:
    if not section:
        value = getattr(cfg, {"data": "data_dir"}.get(key, key))
        return str(value) if value is not None else ""
    if section in config_keys.TABLE_ARRAYS:
        return [getattr(item, key) for item in getattr(cfg, section)]
    holder = getattr(cfg, section, None)
    if is_dataclass(holder):
        return getattr(holder, key)
    return (cfg.extra.get(section) or {}).get(key)


def _shown(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "-"
    return str(value).replace("+00:00", "")


def show_settings(args: argparse.Namespace, ctx: Context) -> int:
    cfg = ctx.cfg
    found = find_config(args.config)
    rows = []
    for section, keys in config_keys.KEYS.items():
        for key in keys:
            name = config_keys.dotted(section, key)
            rows.append({"key": name, "value": _shown(_value(cfg, section, key)),
                         "source": cfg.origins.get(name, "default")})
    if args.json:
        emit({"file": str(cfg.path), "found_by": found.how, "data": str(cfg.data_dir),
              "settings": rows}, True, "")
        return 0
    default = t("cli.config.default")
    width = max(len(r["key"]) for r in rows)
    lines = [t("cli.config.file", path=cfg.path, how=found.how),
             t("cli.config.data", path=cfg.data_dir), ""]
    lines += [f"{r['key']:<{width}} = {r['value']}  # "
              f"{default if r['source'] == 'default' else r['source']}" for r in rows]
    say("\n".join(lines))
    return 0
