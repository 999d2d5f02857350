"""config.toml's table is read once per version of the file: from the user's cache after that,
afresh whenever the file's text changes, and never wrongly when the cache cannot be used."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from counter_tui import config
from counter_tui.config_cache import cache_file, read_toml
from tests.conftest import SHIPPED_CONFIG, clean_env


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def shipped(tmp_path: Path, text: str | None = None) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text or SHIPPED_CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_the_second_read_comes_from_the_cache_without_the_toml_reader(
        tmp_path: Path, cache: Path) -> None:
    path = shipped(tmp_path)
    first = config.load(str(path), environ={})
    kept = cache_file(path)
    assert kept.is_relative_to(cache) and stat.S_IMODE(kept.stat().st_mode) == 0o600
    probe = ("import sys; from counter_tui import config\n"
             f"cfg = config.load({str(path)!r}, environ={{}})\n"
             "print(cfg.office.name, 'tomllib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env=clean_env(XDG_CACHE_HOME=str(cache)), timeout=60, check=True)
    assert out.stdout.split()[-1] == "False"
    assert out.stdout.rsplit(" ", 1)[0] == first.office.name


def test_a_changed_file_is_read_afresh_whatever_its_dates(tmp_path: Path, cache: Path) -> None:
    path = shipped(tmp_path)
    before = path.stat()
    config.load(str(path), environ={})
    text = path.read_text(encoding="utf-8")
    name = config.load(str(path), environ={}).office.name
    path.write_text(text.replace(name, name[:-1] + "X", 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same date
    assert config.load(str(path), environ={}).office.name == name[:-1] + "X"


def test_a_broken_or_unwritable_cache_is_passed_over(tmp_path: Path, cache: Path) -> None:
    path = shipped(tmp_path)
    expected = config.load(str(path), environ={}).office.name
    cache_file(path).write_text("{not json", encoding="utf-8")
    assert config.load(str(path), environ={}).office.name == expected
    assert json.loads(cache_file(path).read_text(encoding="utf-8"))["table"]  # written anew

def test_no_cache_folder_to_be_had_reads_the_file(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = shipped(tmp_path)
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    assert config.load(str(path), environ={}).office.name
    assert not list(tmp_path.glob("**/*.json")) and not list(tmp_path.glob("**/*.part"))


def test_a_table_json_cannot_hold_is_read_each_time(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "dated.toml"
    table = read_toml("since = 2026-05-12\n", path)
    assert table == {"since": dt.date(2026, 5, 12)}
    assert not cache_file(path).exists()
    assert read_toml("since = 2026-05-12\n", path) == table


def test_a_file_that_is_not_toml_is_still_refused_with_its_line(
        tmp_path: Path, cache: Path) -> None:
    path = shipped(tmp_path, "[office\nname = 1\n")
    with pytest.raises(config.ConfigError) as exc:
        config.load(str(path), environ={})
    assert "1" in str(exc.value)
    assert not cache_file(path).exists()
