"""python-escpos imported and called without its side effects."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from counter_tui.printing import escpos_safe

PROBE = """
import json, logging, os, sys, tempfile
before = list(logging.root.handlers)
from counter_tui.printing import escpos_safe
esc = escpos_safe.load()
p = escpos_safe.dummy("default")
with escpos_safe.quiet() as sink:
    from PIL import Image
    p.image(Image.new("1", (8, 8)))  # prints a warning: the default profile has no width
json.dump({
    "handlers_added": len(logging.root.handlers) - len(before),
    "env_left": os.environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR"),
    "sink": sink.getvalue(),
    "pickles": sorted(os.listdir(escpos_safe.cache_dir())),
}, sys.stdout)
"""


def _probe(tmp_path: Path) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESCPOS_")}
    env.update(XDG_CACHE_HOME=str(tmp_path / "cache"), TMPDIR=str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir(exist_ok=True)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True
    )
    assert result.stderr == ""
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_import_leaves_no_trace(tmp_path: Path) -> None:
    first = _probe(tmp_path)
    second = _probe(tmp_path)
    assert first["handlers_added"] == 0  # escpos' logging.basicConfig() handler was removed
    assert first["env_left"] is None
    assert "media.width.pixel" in str(first["sink"])  # what escpos printed went to the sink
    assert first["pickles"] == second["pickles"]
    assert len(first["pickles"]) == 1  # type: ignore[arg-type]
    assert str(first["pickles"][0]).endswith(".capabilities.pickle")  # type: ignore[index]
    assert os.listdir(tmp_path / "tmp") == []  # no mkdtemp() directory per import


def test_quiet_swallows_both_streams(capsys: pytest.CaptureFixture[str]) -> None:
    with escpos_safe.quiet() as sink:
        print("to stdout")
        print("to stderr", file=sys.stderr)
    assert capsys.readouterr() == ("", "")
    assert sink.getvalue() == "to stdout\nto stderr\n"


def test_capabilities_read_as_json_equal_escpos_yaml_reading() -> None:
    import yaml

    with escpos_safe.capabilities_path().open(encoding="utf-8") as f:
        assert yaml.safe_load(f) == escpos_safe.capabilities()


def test_unknown_profile_names_the_known_ones() -> None:
    with pytest.raises(escpos_safe.UnknownProfile, match="TM-T88V"):
        escpos_safe.dummy("TM-T99")
    assert "default" in escpos_safe.capabilities()["profiles"]


def test_each_dummy_is_fresh() -> None:
    first = escpos_safe.dummy("default")
    first.text("x")
    assert escpos_safe.dummy("default").output == b""


def test_pickle_matches_the_database(tmp_path: Path) -> None:
    _probe(tmp_path)
    directory = tmp_path / "cache" / "counter-tui" / "escpos"
    (pickle_file,) = directory.iterdir()
    import pickle

    with pickle_file.open("rb") as f:
        assert pickle.load(f) == json.loads(escpos_safe.capabilities_path().read_text())
