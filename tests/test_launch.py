"""The process started by `counter-tui` loads with the garbage collector held back, and the TUI
goes back to Python's own pace before it runs; code that imports counter_tui is left alone."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from collections.abc import Iterator

import pytest

from counter_tui import cli, launch
from tests.conftest import clean_env


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    saved = gc.get_threshold()
    yield saved
    gc.set_threshold(*saved)
    launch._before = None


def test_a_command_runs_with_fewer_collections_and_the_tui_resumes_the_usual_pace(
        monkeypatch: pytest.MonkeyPatch, thresholds: tuple[int, int, int]) -> None:
    seen: list[tuple[int, int, int]] = []

    def command() -> int:
        seen.append(gc.get_threshold())
        launch.resume()
        seen.append(gc.get_threshold())
        return 7

    monkeypatch.setattr(cli, "main", command)
    assert launch.main() == 7
    assert seen == [(launch.LOADING, *thresholds[1:]), thresholds]


def test_importing_the_program_changes_nothing(thresholds: tuple[int, int, int]) -> None:
    launch.resume()  # not started through launch: nothing to give back
    assert gc.get_threshold() == thresholds


def test_python_m_starts_through_launch() -> None:
    probe = ("import gc, runpy, sys; sys.argv = ['counter-tui', '--version']\n"
             "try:\n    runpy.run_module('counter_tui', run_name='__main__')\n"
             "except SystemExit:\n    print(gc.get_threshold()[0])")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env=clean_env(), timeout=60, check=True).stdout.split()
    assert out[-1] == str(launch.LOADING)


DEFERRED_PROBE = """
import json, os, sys, threading
from counter_tui import launch
loaded = [n for n in launch.DEFERRED if n in sys.modules]  # by the interpreter's start
launch.defer()
import socket, uuid, calendar
kinds = {n: type(sys.modules[n]).__name__ for n in launch.DEFERRED if n not in loaded}
barrier, seen = threading.Barrier(8), []
def first_use():
    barrier.wait()
    seen.append(len(uuid.uuid4().hex))
threads = [threading.Thread(target=first_use) for _ in range(8)]
for th in threads: th.start()
for th in threads: th.join()
import peewee  # with PostgreSQL's driver, which uses uuid and socket at its import
from socket import AF_INET
try:
    socket.no_such_name
    missing = ""
except AttributeError as exc:
    missing = str(exc)
print(json.dumps({"kinds": kinds, "seen": seen, "missing": missing,
                  "host": socket.gethostname() == os.uname().nodename,
                  "same": socket.AF_INET is AF_INET is sys.modules["socket"].AF_INET}))
"""


def test_deferred_modules_load_at_first_use_once_whichever_thread_comes_first() -> None:
    out = json.loads(subprocess.run(
        [sys.executable, "-c", DEFERRED_PROBE], capture_output=True, text=True,
        env=clean_env(), timeout=60, check=True).stdout)
    assert {"socket", "uuid", "calendar"} <= set(out["kinds"])
    assert set(out["kinds"].values()) == {"_Deferred"}
    assert out["seen"] == [32] * 8  # each thread's first use found the module whole
    assert out["missing"] == "module 'socket' has no attribute 'no_such_name'"
    assert out["host"] and out["same"]
