"""`counter-tui display --web HOST:PORT`: the waiting-room display served to browsers.

Many waiting rooms have a smart TV with a browser and no PC. textual-serve (the Textual team's
own server) runs one `counter-tui display` per browser that connects and streams its screen;
the TV needs nothing installed. What it serves is fixed here, not by the browser: the command
is this configuration's display (read-only: the display role views the queue and nothing
else), with voice off (every browser would otherwise start one more voice speaking through this
machine's speakers: the room is announced by the display PC, or by a `wav:` folder). Only the
page, its scripts and fonts, and the display's own connection are reachable: textual-serve's
file downloads and its folder listing of the scripts are left out.

textual-serve (and aiohttp under it) is needed only on the machine that serves the display, so
it is the optional `web` extra, not a dependency of every counter PC.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from typing import Any

from counter_tui.config import Config
from counter_tui.core.errors import UserError

_ADDRESS = re.compile(r"^(?P<host>[A-Za-z0-9.\-]+|\[[0-9A-Fa-f:]+\]):(?P<port>\d{1,5})$")


def parse_address(text: str) -> tuple[str, int]:
    """HOST:PORT, as typed after --web; a clear message when it is not one."""
    found = _ADDRESS.match(text.strip())
    port = int(found["port"]) if found else 0
    if not found or not 1 <= port <= 65535:
        raise UserError("web.bad_address", address=text)
    return found["host"].strip("[]"), port


def display_command(cfg: Config) -> str:
    """The one command each browser's connection runs: this configuration's display."""
    args = [sys.executable, "-m", "counter_tui"]
    if cfg.path is not None:
        args += ["--config", str(cfg.path)]
    return shlex.join([*args, "display"])


def serve(cfg: Config, address: str) -> int:
    host, port = parse_address(address)
    try:
        from aiohttp import web
        from textual_serve.server import Server
    except ImportError as exc:
        raise UserError("web.not_installed") from exc

    class DisplayServer(Server):
        """textual-serve with only the page, its static files and the display's socket."""

        async def _make_app(self) -> web.Application:
            import aiohttp_jinja2
            import jinja2

            app = web.Application()
            aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
            app.add_routes([
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ])
            app.on_startup.append(self.on_startup)
            app.on_shutdown.append(self.on_shutdown)
            return app

    os.environ["COUNTER_TUI_VOICE__OUTPUT"] = "off"  # inherited by each display it starts
    server: Any = DisplayServer(display_command(cfg), host=host, port=port,
                                title=cfg.office.name or "counter-tui")
    server.serve()
    return 0
