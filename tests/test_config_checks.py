"""Configuration that refuses mistakes: unknown names, values read only later, where the config
is found, what `config show` says about each setting, and `init` writing a new one."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from counter_tui import config_keys
from counter_tui.config import ConfigError, load, parse
from counter_tui.config_locate import find_config
from counter_tui.core.i18n import set_language
from tests.conftest import clean_env, config_data, staff_key, toml_dumps


def _home(tmp_path: Path) -> dict[str, str]:
    """A user whose config and data folders are inside tmp_path."""
    home = tmp_path / "home"
    return {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share")}


def _cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "counter_tui", *args], capture_output=True,
                          text=True, env=clean_env(**env), cwd=cwd, timeout=120,
                          stdin=subprocess.DEVNULL)


# --- unknown names -----------------------------------------------------------------------------

UNKNOWN = [
    ({"printer": {"knid": "network"}}, "printer.knid: unknown key; did you mean printer.kind?",
     "printer.knid: khóa không tồn tại; có phải là printer.kind?"),
    ({"printr": {"kind": "file"}}, "[printr]: unknown section; did you mean [printer]?",
     "[printr]: mục không tồn tại; có phải là [printer]?"),
    ({"groups": [{"letter": "A", "name": "X", "feilds": []}]},
     "groups[0].feilds: unknown key; did you mean groups[0].fields?",
     "groups[0].feilds: khóa không tồn tại; có phải là groups[0].fields?"),
    ({"catalog": "x.csv"}, "catalog: unknown key; did you mean catalogue?",
     "catalog: khóa không tồn tại; có phải là catalogue?"),
    ({"office": {"zzzz": 1}}, "office.zzzz: unknown key; the keys allowed: name, agency_code",
     "office.zzzz: khóa không tồn tại; các khóa có thể dùng: name, agency_code"),
]


@pytest.mark.parametrize(("change", "english", "vietnamese"), UNKNOWN,
                         ids=["key", "section", "table-array-key", "top-level", "far"])
def test_unknown_names_are_refused_with_the_nearest_known(
        tmp_path: Path, change: dict[str, Any], english: str, vietnamese: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(toml_dumps(config_data(tmp_path, **change)), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load(str(path), environ={})
    assert vietnamese in str(info.value)
    assert str(path) in str(info.value)
    set_language("en")
    assert english in str(info.value)


def test_an_unknown_variable_is_refused_by_name(tmp_path: Path,
                                                write_config: Callable[..., Path]) -> None:
    path = write_config(tmp_path)
    with pytest.raises(ConfigError) as info:
        load(str(path), environ={"COUNTER_TUI_PRINTER__KNID": "network"})
    set_language("en")
    assert str(info.value) == (
        "config: the environment variable COUNTER_TUI_PRINTER__KNID names no setting; did you "
        "mean COUNTER_TUI_PRINTER__KIND? Rename or unset it")
    with pytest.raises(ConfigError) as info:
        load(str(path), environ={"COUNTER_TUI_NOT_A_SETTING": "x"})
    assert "COUNTER_TUI_SECTION__KEY" in str(info.value)
    assert load(str(path), environ={"OTHER_PROGRAM__X": "ignored"}).printer.kind == "file"


# Every key the table declares is read and checked by the parser: a value of the wrong type
# under that name is refused naming it (a key declared but never read would pass silently).
DECLARED = [(s, k) for s, keys in config_keys.KEYS.items() for k in keys]


@pytest.mark.parametrize(("section", "key"), DECLARED,
                         ids=[config_keys.dotted(s, k) for s, k in DECLARED])
def test_every_declared_key_is_checked(tmp_path: Path, section: str, key: str) -> None:
    data = config_data(tmp_path, targets={"online_ratio": 0.5}, satisfaction={"levels": 5})
    wrong = {"not": "a value"}
    if not section:
        data[key] = wrong
        expected = key
    elif section in config_keys.TABLE_ARRAYS:
        data[section] = [{**data[section][0], key: wrong}, *data[section][1:]]
        expected = f"{section}[0].{key}"
    else:
        data[section] = {**data.get(section, {}), key: wrong}
        expected = f"{section}.{key}"
    if (section, key) == ("printer", "target"):
        data["printer"]["kind"] = "network"
    with pytest.raises(ConfigError) as info:
        parse(data, tmp_path / "config.toml")
    assert info.value.key == expected


# --- values that used to be read only when needed ----------------------------------------------

LATER = [
    ({"satisfaction": {"levels": 7}}, "satisfaction.levels", "3 | 4 | 5"),
    ({"targets": {"online_ratio": 150}}, "targets.online_ratio", "a share from 0 to 1"),
    ({"printer": {"kind": "network", "target": "10.0.0.9:70000"}}, "printer.target",
     "'HOST' or 'HOST:PORT' with a port from 1 to 65535"),
    ({"printer": {"kind": "network", "target": ""}}, "printer.target", "'HOST' or"),
    ({"catalogue": "missing.csv"}, "catalogue", "a file that exists"),
    ({"printer": {"font": "fonts/none.ttf"}}, "printer.font", "a file that exists"),
    ({"printer": {"paper_mm": "wide"}}, "printer.paper_mm", "a whole number from 58 to 80"),
    ({"database": {"url": "postgresql://u:p@h:99999/db"}}, "database.url", "a port from 1"),
]


@pytest.mark.parametrize(("change", "key", "allowed"), LATER,
                         ids=["levels", "ratio", "port", "no-host", "catalogue", "font",
                              "bad-type", "db-port"])
def test_values_read_later_are_checked_at_start(tmp_path: Path,
                                                make_config: Callable[..., Any],
                                                change: dict[str, Any], key: str,
                                                allowed: str) -> None:
    with pytest.raises(ConfigError) as info:
        make_config(tmp_path, **change)
    assert info.value.key == key
    set_language("en")
    assert allowed in str(info.value)


def test_a_percentage_target_is_still_accepted(tmp_path: Path,
                                               make_config: Callable[..., Any]) -> None:
    assert make_config(tmp_path, targets={"online_ratio": 50}).extra["targets"] == {
        "online_ratio": 50}


# --- through the command line: message and exit code --------------------------------------------


def test_config_check_exits_0_or_2_with_the_message(tmp_path: Path,
                                                    write_config: Callable[..., Path]) -> None:
    good = write_config(tmp_path, ui={"language": "en"})
    done = _cli("config", "check", str(good), cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, f"The configuration is valid: {good}\n")
    bad = write_config(tmp_path, name="bad.toml", printer={"knid": "network"})
    refused = _cli("config", "check", str(bad), cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr == (f"cấu hình: printer.knid: khóa không tồn tại; có phải là "
                              f"printer.kind? Sửa trong {bad}\n")
    english = write_config(tmp_path, name="en.toml", ui={"language": "en"},
                           satisfaction={"levels": 9})
    refused = _cli("config", "check", str(english), cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr == ("config: satisfaction.levels = 9 is not valid; allowed: "
                              "3 | 4 | 5\n")
    variable = _cli("config", "check", str(good), cwd=tmp_path, COUNTER_TUI_UI__LANGAUGE="en")
    assert variable.returncode == 2
    assert "COUNTER_TUI_UI__LANGUAGE" in variable.stderr


def test_config_show_says_where_each_setting_came_from(
        tmp_path: Path, write_config: Callable[..., Path]) -> None:
    path = write_config(tmp_path, printer={"baudrate": None})
    shown = _cli("--config", str(path), "config", "show", "--json", cwd=tmp_path,
                 COUNTER_TUI_PRINTER__PAPER_MM="58")
    assert shown.returncode == 0, shown.stderr
    found = json.loads(shown.stdout)
    rows = {r["key"]: r for r in found["settings"]}
    assert (found["file"], found["found_by"]) == (str(path), "--config")
    assert rows["office.name"]["source"] == str(path)
    assert rows["printer.paper_mm"] == {"key": "printer.paper_mm", "value": "58",
                                        "source": "COUNTER_TUI_PRINTER__PAPER_MM"}
    assert rows["printer.baudrate"] == {"key": "printer.baudrate", "value": "9600",
                                        "source": "default"}
    assert set(rows) == {config_keys.dotted(s, k) for s, k in DECLARED}
    text = _cli("--config", str(path), "config", "show", cwd=tmp_path).stdout
    assert f"Tệp cấu hình: {path} (tìm thấy qua: --config)" in text
    # keys padded to the longest one, values after " = ", where each came from after "#"
    width = max(len(key) for key in rows)
    assert f"{'printer.baudrate':<{width}} = 9600  # mặc định" in text


# --- where the config is found -----------------------------------------------------------------


def test_the_config_is_found_in_the_documented_order(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in _home(tmp_path).items():
        monkeypatch.setenv(name, value)
    here = tmp_path / "here"
    here.mkdir()
    user = tmp_path / "home" / ".config" / "counter-tui" / "config.toml"
    assert find_config(None, {}, here).path in (None, Path("/etc/counter-tui/config.toml"))
    user.parent.mkdir(parents=True)
    user.write_text("", encoding="utf-8")
    assert find_config(None, {}, here) == find_config(None, {}, here)
    assert (find_config(None, {}, here).path, find_config(None, {}, here).how) == (user, "user")
    (here / "config.toml").write_text("", encoding="utf-8")
    assert find_config(None, {}, here).how == "folder"
    env = {"COUNTER_TUI_CONFIG": "from-env.toml"}
    assert find_config(None, env, here).path == Path("from-env.toml")
    assert find_config("given.toml", env, here).how == "--config"


def test_no_config_says_to_run_init(tmp_path: Path) -> None:
    result = _cli("ticket", "issue", "A", cwd=tmp_path, **_home(tmp_path))
    if Path("/etc/counter-tui/config.toml").exists():
        pytest.skip("this machine has a machine-wide config")
    assert result.returncode == 2
    assert result.stderr.startswith("Chưa có cấu hình: không thấy config.toml ở "
                                    f"{tmp_path / 'config.toml'}, ")
    assert "Chạy «counter-tui init»" in result.stderr
    assert "Traceback" not in result.stderr
    tui = _cli(cwd=tmp_path, **_home(tmp_path))  # not at a terminal: no question, the advice
    assert tui.returncode == 2 and "counter-tui init" in tui.stderr


def test_init_writes_a_config_once_and_the_app_runs_from_anywhere(tmp_path: Path) -> None:
    env = _home(tmp_path)
    made = _cli("init", "--defaults", "--office-name", "UBND phường Test", "--counters", "2",
                "--lang", "en", cwd=tmp_path, **env)
    assert made.returncode == 0, made.stderr
    user = tmp_path / "home" / ".config" / "counter-tui" / "config.toml"
    data = tmp_path / "home" / ".local" / "share" / "counter-tui"
    assert made.stdout.splitlines() == [
        f"Wrote the configuration: {user}",
        f"Created a new store: sqlite:///{data / 'counter.db'}"]
    text = user.read_text(encoding="utf-8")
    assert 'name = "UBND phường Test"' in text and 'language = "en"' in text
    assert "# kind: file | network | usb | serial | cups" in text  # the comments kept
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    issued = _cli("ticket", "issue", "A", cwd=elsewhere,
                  COUNTER_TUI_KEY=staff_key(user, home=env), **env)
    assert issued.returncode == 0, issued.stderr
    assert issued.stdout.startswith("Ticket A001")
    assert (data / "counter-tui.log").exists() and (data / "printer.out").exists()
    again = _cli("init", "--defaults", cwd=elsewhere, **env)
    assert again.returncode == 2
    assert again.stderr.startswith(f"Đã có tệp cấu hình {user}; chưa ghi gì. Thêm --force")
    assert user.read_text(encoding="utf-8") == text
    forced = _cli("init", "--defaults", "--force", "--office-name", "Mới", cwd=elsewhere, **env)
    assert forced.returncode == 0, forced.stderr
    assert 'name = "Mới"' in user.read_text(encoding="utf-8")
    assert "(0 hồ sơ, 1 số thứ tự)" in forced.stdout  # the store was kept


def test_init_answers_are_checked_before_anything_is_written(tmp_path: Path) -> None:
    env = _home(tmp_path)
    bad = _cli("init", "--defaults", "--agency-code", "bad code!", cwd=tmp_path, **env)
    assert bad.returncode == 2
    assert "office.agency_code" in bad.stderr
    assert not (tmp_path / "home").exists()


def test_init_asks_when_no_answer_is_given(tmp_path: Path) -> None:
    env = _home(tmp_path)
    answers = "Văn phòng Hỏi\n\n\nabc\n1\n\n\n\n\n"  # counters: a wrong answer, then 1
    result = subprocess.run([sys.executable, "-m", "counter_tui", "init"], input=answers,
                            capture_output=True, text=True, env=clean_env(**env),
                            cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Tên cơ quan [" in result.stdout
    assert "Không hợp lệ: một số từ 1 đến 99. Nhập lại." in result.stderr
    text = (tmp_path / "home" / ".config" / "counter-tui" / "config.toml").read_text("utf-8")
    assert 'name = "Văn phòng Hỏi"' in text
    assert text.count("[[counters]]") == 1
