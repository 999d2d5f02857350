"""`counter-tui display --web`: the display served by textual-serve, in real headless Chromium.

One test, bounded in time: the server runs as its own process, Chromium opens the page, a
ticket is issued and called by a third process (the CLI), and the called number appears in the
page's terminal. The terminal draws on a canvas, so the text is read from the page's own
xterm.js buffer (captured by a script Chromium adds before the page's scripts run, through the
DevTools protocol). Also: nothing but the page, its static files and the display's socket is
served."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHIPPED_CONFIG, clean_env, staff_key

DEADLINE = 60.0  # seconds for the whole test's waits: server, browser, the number on the page

# before the page's scripts: keep the xterm.js Terminal the page makes (`this.terminal = ...`)
CAPTURE = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    window.__terminal = value;
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true,
                                             enumerable: true});
  },
});
"""
READ = """(() => { const t = window.__terminal; if (!t) return "";
  const b = t.buffer.active, rows = [];
  for (let i = 0; i < b.length; i++) { const l = b.getLine(i); if (l) rows.push(
    l.translateToString(true)); }
  return rows.join("\\n"); })()"""


def _browser() -> str | None:
    return next((p for p in (shutil.which(n) for n in (
        "chromium", "chromium-browser", "google-chrome")) if p), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(what: str, condition: Any, until: float) -> Any:
    while time.monotonic() < until:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def office(tmp_path: Path) -> Path:
    shutil.copy(SHIPPED_CONFIG, tmp_path / "config.toml")
    (tmp_path / "data").mkdir()
    return tmp_path


def _start(args: list[str], cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(args, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture
def env() -> Iterator[dict[str, str]]:
    env = clean_env()
    for name in ("TEXTUAL", "TEXTUAL_DEBUG", "TEXTUAL_DRIVER", "TEXTUAL_LOG", "NO_COLOR"):
        env.pop(name, None)
    yield env


async def _page_text(devtools: str, url: str, until: float, done: Any) -> str:
    """Open `url` in the browser at `devtools`; the terminal's text once `done(text)`."""
    import aiohttp

    async with aiohttp.ClientSession() as http:
        async with http.put(f"{devtools}/json/new?about:blank") as answer:
            target = await answer.json(content_type=None)
        async with http.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            ids = iter(range(1, 10_000))

            async def send(method: str, **params: Any) -> Any:
                n = next(ids)
                await ws.send_json({"id": n, "method": method, "params": params})
                while True:
                    message = await asyncio.wait_for(ws.receive_json(),
                                                     max(0.1, until - time.monotonic()))
                    if message.get("id") == n:
                        return message.get("result", {})

            await send("Page.enable")
            await send("Page.addScriptToEvaluateOnNewDocument", source=CAPTURE)
            await send("Page.navigate", url=url)
            text = ""
            while time.monotonic() < until:
                result = await send("Runtime.evaluate", expression=READ, returnByValue=True)
                text = str(result.get("result", {}).get("value") or "")
                if done(text):
                    return text
                await asyncio.sleep(0.3)
            return text


def test_a_number_called_elsewhere_appears_in_the_browser(office: Path,
                                                          env: dict[str, str]) -> None:
    browser = _browser()
    if browser is None:
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run does)")
    until = time.monotonic() + DEADLINE
    script = Path(sys.executable).parent / "counter-tui"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _start([str(script), "display", "--web", f"127.0.0.1:{port}"], office, env,
                    office / "server.log")
    chrome: subprocess.Popen[bytes] | None = None
    try:
        def up() -> bool:
            try:
                with urllib.request.urlopen(base + "/", timeout=2) as answer:
                    return bool(answer.status == 200)
            except OSError:
                return False

        _wait("the web display", up, until)
        # nothing else is served: no downloads, no folder listing, no other path
        for path in ("/download/x", "/static/", "/config.toml", "/data/counter.db"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(base + path, timeout=5)
            assert refused.value.code in (403, 404), path

        debug_port = _free_port()
        chrome = _start([browser, "--headless=new", "--no-sandbox", "--disable-gpu",
                         "--no-first-run", f"--user-data-dir={office / 'chrome'}",
                         f"--remote-debugging-port={debug_port}", "about:blank"],
                        office, env, office / "chrome.log")
        devtools = f"http://127.0.0.1:{debug_port}"

        def browser_up() -> bool:
            try:
                with urllib.request.urlopen(devtools + "/json/version", timeout=2) as answer:
                    return "Browser" in json.loads(answer.read())
            except OSError:
                return False

        _wait("Chromium's DevTools", browser_up, until)

        called: dict[str, str] = {}

        def on_page(text: str) -> bool:
            if not called:  # the display is up in the page: now another process calls
                if not re.search(r"\d{2}:\d{2}", text):
                    return False
                cli = [str(script)]  # an officer's command line, acting as someone
                staff = {**env, "COUNTER_TUI_KEY": staff_key(office / "config.toml")}
                subprocess.run([*cli, "ticket", "issue", "B"], cwd=office, env=staff,
                               check=True, capture_output=True, timeout=30)
                subprocess.run([*cli, "ticket", "call", "--counter", "2"], cwd=office,
                               env=staff, check=True, capture_output=True, timeout=30)
                called["code"], called["before"] = "B001", text
                return False
            return called["code"] in text

        text = asyncio.run(_page_text(devtools, base + "/", until, on_page))
        assert called, f"the display never showed in the page:\n{text}"
        assert "B001" in text, f"B001 not on the page:\n{text}"
        assert "B001" not in called.get("before", "")
    finally:
        if chrome is not None:
            _stop(chrome)
        _stop(server)


def test_a_wrong_address_is_refused_with_a_message() -> None:
    from counter_tui.commands.web_display import parse_address
    from counter_tui.core.errors import UserError
    from counter_tui.core.i18n import set_language

    set_language("vi")
    assert parse_address("0.0.0.0:8080") == ("0.0.0.0", 8080)
    assert parse_address("[::1]:8080") == ("::1", 8080)
    for bad in ("8080", "tv:", "host:99999", "a b:80"):
        with pytest.raises(UserError) as info:
            parse_address(bad)
        assert "MÁY:CỔNG" in str(info.value)
