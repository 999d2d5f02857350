"""config.toml -> typed settings: the shipped file, environment overrides, and every bad value
stopping with one message that names the key and what is allowed, in Vietnamese or, when the
file asks for it, English; a file that cannot be read at all says why and what to do."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from collections.abc import Callable
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest

from counter_tui.config import Config, ConfigError, load, parse
from counter_tui.core.i18n import set_language
from tests.conftest import REPO, SHIPPED_CONFIG, clean_env, config_data


def shipped() -> dict[str, Any]:
    return tomllib.loads(SHIPPED_CONFIG.read_text(encoding="utf-8"))


def test_shipped_config_parses() -> None:
    cfg = load(str(SHIPPED_CONFIG), environ={})
    assert cfg.path == SHIPPED_CONFIG
    assert cfg.office.name == "UBND xã Minh Hòa - Bộ phận Một cửa"
    assert cfg.office.agency_code == "000.17.22.H56"
    assert [(g.letter, g.name) for g in cfg.groups] == [
        ("A", "Hộ tịch"), ("B", "Chứng thực"), ("C", "Cư trú"), ("D", "Bưu chính công ích")]
    assert cfg.group("a") is cfg.groups[0]
    assert cfg.groups[0].fields == ("Hộ tịch",)
    assert [(c.number, c.groups) for c in cfg.counters] == [
        (1, ("A", "B")), (2, ("B", "C")), (3, ("C", "D"))]
    assert cfg.counter(2) is cfg.counters[1] and cfg.counter(9) is None
    assert (cfg.terminal.counter, cfg.terminal.officer, cfg.terminal.officer_name) == (
        1, "canbo1", "Nguyễn Thị Lan")
    p = cfg.printer
    assert (p.kind, p.profile, p.paper_mm, p.text_mode, p.receipt_copies, p.ticket_qr) == (
        "file", "default", 80, "tcvn3", 1, False)
    assert (p.width_columns, p.width_dots) == (48, 576)
    assert p.target == str(REPO / "data" / "printer.out")  # relative to the config file
    assert cfg.database.url == f"sqlite:///{REPO / 'data' / 'counter.db'}"
    assert cfg.hours.sessions == ((time(7), time(11, 30)), (time(13, 30), time(17)))
    assert cfg.hours.saturday_sessions == ()
    assert cfg.holidays.official is True
    assert (cfg.ui.language, cfg.ui.refresh_seconds) == ("vi", 2.0)
    assert cfg.catalogue is None
    assert cfg.extra == {"targets": {"online_ratio": 0.5}, "satisfaction": {"levels": 5}}


def test_helpers_point_the_config_into_tmp_path(
        tmp_path: Path, make_config: Callable[..., Config],
        write_config: Callable[..., Path]) -> None:
    cfg = make_config(tmp_path, printer={"paper_mm": 58}, terminal={"counter": 3})
    assert cfg.database.url == f"sqlite:///{tmp_path / 'data' / 'counter.db'}"
    assert cfg.printer.target == str(tmp_path / "data" / "printer.out")
    assert (cfg.printer.paper_mm, cfg.printer.text_mode, cfg.terminal.counter) == (58, "tcvn3", 3)
    path = write_config(tmp_path, printer={"paper_mm": 58}, terminal={"counter": 3})
    assert load(str(path), environ={}) == cfg  # the written file says the same thing
    assert make_config(tmp_path, ui=None).ui.language == "vi"  # a removed section: defaults


def test_environment_overrides(tmp_path: Path, write_config: Callable[..., Path]) -> None:
    path = write_config(tmp_path)
    url = "postgresql://counter:secret@10.0.0.5:5432/counter"
    cfg = load(str(path), environ={
        "COUNTER_TUI_DATABASE__URL": url,
        "COUNTER_TUI_PRINTER__PAPER_MM": "58",
        "COUNTER_TUI_TERMINAL__COUNTER": "2",
        "COUNTER_TUI_PRINTER__TICKET_QR": "true",
        "COUNTER_TUI_UI__LANGUAGE": "en",
        "OTHER_PROGRAM__X": "ignored",
    })
    assert cfg.database.url == url
    assert (cfg.printer.paper_mm, cfg.printer.width_columns, cfg.printer.width_dots) == (
        58, 32, 384)
    assert cfg.terminal.counter == 2
    assert cfg.printer.ticket_qr is True
    assert cfg.ui.language == "en"


def test_config_file_from_the_environment(tmp_path: Path,
                                          write_config: Callable[..., Path]) -> None:
    path = write_config(tmp_path, name="office.toml", terminal={"counter": 3})
    assert load(None, environ={"COUNTER_TUI_CONFIG": str(path)}).terminal.counter == 3
    assert load(str(path), environ={"COUNTER_TUI_TERMINAL__COUNTER": "2"}).terminal.counter == 2


def test_environment_override_is_validated_too(tmp_path: Path,
                                               write_config: Callable[..., Path]) -> None:
    path = write_config(tmp_path)
    with pytest.raises(ConfigError) as info:
        load(str(path), environ={"COUNTER_TUI_PRINTER__PAPER_MM": "70"})
    assert info.value.key == "printer.paper_mm"


BAD = [
    pytest.param({"printer": {"paper_mm": 70}}, "printer.paper_mm", 70, ["58 | 80"],
                 id="paper-70"),
    pytest.param({"printer": {"paper_mm": 100}}, "printer.paper_mm", 100,
                 ["from 58 to 80"], id="paper-100"),
    pytest.param({"printer": {"text_mode": "foo"}}, "printer.text_mode", "foo",
                 ["tcvn3 | cp1258 | raster | ascii"], id="text-mode"),
    pytest.param({"printer": {"kind": "bluetooth"}}, "printer.kind", "bluetooth",
                 ["file | network | usb | serial | cups"], id="printer-kind"),
    pytest.param({"printer": {"ticket_qr": "yes"}}, "printer.ticket_qr", "yes",
                 ["true | false"], id="boolean"),
    pytest.param({"terminal": {"counter": 9}}, "terminal.counter", 9, ["[1, 2, 3]"],
                 id="counter-not-configured"),
    pytest.param({"counters": [{"number": 1, "groups": ["A", "X"]}]}, "counters[0].groups",
                 ["A", "X"], ["['A', 'B', 'C', 'D']"], id="unknown-group-letter"),
    pytest.param({"counters": [{"number": 1, "groups": []}]}, "counters[0].groups", [],
                 ["letters of groups"], id="counter-without-groups"),
    pytest.param({"counters": [{"number": 1, "groups": ["A"]}, {"number": 1, "groups": ["B"]}]},
                 "counters[1].number", 1, ["not used by another counter"], id="counter-twice"),
    pytest.param({"groups": [{"letter": "A", "name": "x"}, {"letter": "a", "name": "y"}]},
                 "groups[1].letter", "A", ["different for each group"], id="letter-twice"),
    pytest.param({"groups": [{"letter": "AB", "name": "x"}]}, "groups[0].letter", "AB",
                 ["one letter A-Z"], id="letter-long"),
    pytest.param({"groups": []}, "groups", [], ["at least one [[groups]]"], id="no-groups"),
    pytest.param({"hours": {"sessions": [["11:30", "07:00"]]}}, "hours.sessions",
                 ["11:30", "07:00"], ['["HH:MM", "HH:MM"]', "not overlapping"],
                 id="session-backwards"),
    pytest.param({"hours": {"sessions": [["07:00", "25:00"]]}}, "hours.sessions",
                 ["07:00", "25:00"], ['["HH:MM", "HH:MM"]'], id="session-25h"),
    pytest.param({"hours": {"sessions": [["07:00", "12:00"], ["11:00", "17:00"]]}},
                 "hours.sessions", ["11:00", "17:00"], ["not overlapping"],
                 id="sessions-overlap"),
    pytest.param({"hours": {"sessions": []}}, "hours.sessions", [], ["at least one"],
                 id="no-session"),
    pytest.param({"hours": {"saturday_sessions": "mornings"}}, "hours.saturday_sessions",
                 "mornings", ['["HH:MM", "HH:MM"]'], id="saturday-not-a-list"),
    pytest.param({"holidays": {"extra_days_off": ["2026-02-30"]}}, "holidays.extra_days_off",
                 "2026-02-30", ["YYYY-MM-DD"], id="bad-date"),
    pytest.param({"database": {"url": "mysql://x/y"}}, "database.url", "mysql://x/y",
                 ["sqlite:///PATH | postgresql://"], id="database-url"),
    pytest.param({"office": {"agency_code": "000 17"}}, "office.agency_code", "000 17",
                 ["letters and digits separated by dots", "at most 40"], id="agency-code"),
    # the dossier codes' own rule (core.codes.validate_agency), which the config once loosened
    pytest.param({"office": {"agency_code": "000..17"}}, "office.agency_code", "000..17",
                 ["e.g. 000.17.22.H56"], id="agency-empty-group"),
    pytest.param({"office": {"agency_code": "000.17."}}, "office.agency_code", "000.17.",
                 ["e.g. 000.17.22.H56"], id="agency-trailing-dot"),
    pytest.param({"office": {"agency_code": "Đ56"}}, "office.agency_code", "Đ56",
                 ["e.g. 000.17.22.H56"], id="agency-vietnamese-letter"),
    pytest.param({"office": {"name": " "}}, "office.name", " ", ["a non-empty text"],
                 id="office-name-empty"),
    pytest.param({"ui": {"language": "fr"}}, "ui.language", "fr", ["vi | en"], id="language"),
    pytest.param({"ui": {"refresh_seconds": 0}}, "ui.refresh_seconds", 0,
                 ["from 0.2 to 60"], id="refresh"),
    pytest.param({"printer": {"baudrate": "fast"}}, "printer.baudrate", "fast",
                 ["a whole number"], id="baudrate"),
    pytest.param({"terminal": "counter 1"}, "terminal", "counter 1", ["a table of settings"],
                 id="section-not-a-table"),
]


@pytest.mark.parametrize(("changes", "key", "value", "allowed"), BAD)
def test_bad_values_name_the_key_and_what_is_allowed(
        tmp_path: Path, changes: dict[str, Any], key: str, value: Any,
        allowed: list[str]) -> None:
    data = config_data(tmp_path, **changes)
    with pytest.raises(ConfigError) as info:
        parse(data, tmp_path / "config.toml")
    error = info.value
    assert error.key == key
    assert error.value == value
    vietnamese = str(error)
    assert vietnamese.startswith(f"cấu hình: {key} = {value!r} không hợp lệ; được phép: ")
    assert "\n" not in vietnamese
    set_language("en")
    message = str(error)
    assert message.startswith(f"config: {key} = {value!r} is not valid; allowed: ")
    for words in allowed:
        assert words in message
    assert "\n" not in message
    if error.allowed.startswith("config.allowed."):  # words, not just a list of choices
        assert vietnamese.split("được phép: ")[1] != message.split("allowed: ")[1]


def test_dates_and_saturdays(tmp_path: Path, make_config: Callable[..., Config]) -> None:
    cfg = make_config(tmp_path, hours={"saturday_sessions": [["07:30", "11:30"]]},
                      holidays={"extra_days_off": ["2026-12-31"],
                                "make_up_days": [date(2026, 8, 22)]})
    assert cfg.hours.saturday_sessions == ((time(7, 30), time(11, 30)),)
    assert cfg.holidays.extra_days_off == (date(2026, 12, 31),)
    assert cfg.holidays.make_up_days == (date(2026, 8, 22),)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load(str(tmp_path / "missing.toml"), environ={})
    assert info.value.key == "--config"
    broken = tmp_path / "broken.toml"
    broken.write_text("[office\nname = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load(str(broken), environ={})
    assert info.value.key == str(broken)
    assert "sai cú pháp TOML ở dòng 1, cột 8" in str(info.value)
    set_language("en")
    assert "not valid TOML at line 1, column 8" in str(info.value)


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "counter_tui", *args], capture_output=True,
                          text=True, env=clean_env(), cwd=cwd, timeout=60)


def test_cli_with_a_missing_config_exits_2_with_one_line(tmp_path: Path) -> None:
    result = _cli("--config", "missing.toml", "ticket", "issue", "A", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines == ["cấu hình: không có tệp missing.toml. Chỉ tới tệp cấu hình bằng --config "
                     "ĐƯỜNG_DẪN hoặc COUNTER_TUI_CONFIG, hoặc tạo tệp bằng «counter-tui init "
                     "--config missing.toml»"]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists()  # nothing was created


def test_cli_with_a_bad_value_exits_2_naming_the_key(
        tmp_path: Path, write_config: Callable[..., Path]) -> None:
    path = write_config(tmp_path, printer={"text_mode": "foo"})
    result = _cli("--config", str(path), "ticket", "issue", "A", cwd=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "printer.text_mode" in result.stderr and "tcvn3 | cp1258" in result.stderr
    assert "Traceback" not in result.stderr


# --- files saved by other editors, files that are not files, and the language of the errors


def test_a_file_saved_with_a_byte_order_mark_or_as_utf16_is_read(
        tmp_path: Path, write_config: Callable[..., Path]) -> None:
    text = write_config(tmp_path).read_text(encoding="utf-8")
    bom = tmp_path / "notepad.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # Notepad's "UTF-8 with BOM"
    assert load(str(bom), environ={}).office.name == "UBND xã Minh Hòa - Bộ phận Một cửa"
    unicode = tmp_path / "unicode.toml"
    unicode.write_bytes(text.encode("utf-16"))  # Notepad's "Unicode": UTF-16 with its mark
    assert load(str(unicode), environ={}).office.name == "UBND xã Minh Hòa - Bộ phận Một cửa"


def _lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines


def test_a_file_that_is_not_utf8_names_the_line_and_says_how_to_save_it(
        tmp_path: Path, write_config: Callable[..., Path]) -> None:
    text = write_config(tmp_path).read_text(encoding="utf-8")
    legacy = tmp_path / "cp1258.toml"
    legacy.write_bytes(text.encode("cp1258", errors="replace"))  # "xã" is not UTF-8 there
    [line] = _lines(_cli("--config", str(legacy), "ticket", "issue", "A", cwd=tmp_path))
    def utf8(row: str) -> bool:
        try:
            row.encode("cp1258", errors="replace").decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True

    first = next(i for i, row in enumerate(text.splitlines(), 1) if not utf8(row))
    assert "không phải UTF-8 (byte 0x" in line and f"ở dòng {first})" in line
    assert "lưu lại với bảng mã UTF-8" in line


def test_a_folder_given_as_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "office").mkdir()
    [line] = _lines(_cli("--config", "office", "ticket", "issue", "A", cwd=tmp_path))
    assert line.startswith("cấu hình: office là một thư mục, không phải tệp")
    assert "--config office/config.toml" in line


def test_errors_speak_the_language_the_file_asks_for(
        tmp_path: Path, write_config: Callable[..., Path]) -> None:
    bad_value = write_config(tmp_path, name="en.toml", ui={"language": "en"},
                             printer={"paper_mm": 70})
    [line] = _lines(_cli("--config", str(bad_value), "ticket", "issue", "A", cwd=tmp_path))
    assert line == "config: printer.paper_mm = 70 is not valid; allowed: 58 | 80"
    # a file whose TOML is broken still says what it can: its language line
    broken = tmp_path / "broken.toml"
    broken.write_text('[ui]\nlanguage = "en"\n[office\n', encoding="utf-8")
    [line] = _lines(_cli("--config", str(broken), "ticket", "issue", "A", cwd=tmp_path))
    assert line.startswith(f"config: the file {broken} is not valid TOML at line 3")
    vietnamese = write_config(tmp_path, name="vi.toml", printer={"paper_mm": 70})
    [line] = _lines(_cli("--config", str(vietnamese), "ticket", "issue", "A", cwd=tmp_path))
    assert line == "cấu hình: printer.paper_mm = 70 không hợp lệ; được phép: 58 | 80"


def test_an_environment_value_that_is_not_utf8(tmp_path: Path,
                                               write_config: Callable[..., Path]) -> None:
    path = write_config(tmp_path)
    with pytest.raises(ConfigError) as info:
        load(str(path), environ={"COUNTER_TUI_TERMINAL__OFFICER_NAME": "Nguy\udcd4n"})
    assert "COUNTER_TUI_TERMINAL__OFFICER_NAME" in str(info.value)
    assert "UTF-8" in str(info.value)


STORES_NOTHING = [
    pytest.param("sqlite:///:memory:", "sqlite:///:memory:", id="memory"),
    pytest.param("sqlite:///", "sqlite:///", id="no-file"),
    pytest.param("postgresql://counter:s3cret@127.0.0.1:99999/counter",
                 "postgresql://***@127.0.0.1:99999/counter", id="port-99999"),
    pytest.param("postgresql://counter@db:port/counter", "postgresql://***@db:port/counter",
                 id="port-not-a-number"),
]


@pytest.mark.parametrize(("url", "shown"), STORES_NOTHING)
def test_database_urls_that_cannot_work_are_config_errors(
        tmp_path: Path, url: str, shown: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse(config_data(tmp_path, database={"url": url}), tmp_path / "config.toml")
    assert info.value.key == "database.url"
    assert info.value.value == shown  # never the password
    assert "s3cret" not in str(info.value)


def test_a_postgresql_port_of_99999_exits_2_with_one_line(
        tmp_path: Path, write_config: Callable[..., Path]) -> None:
    path = write_config(tmp_path, database={
        "url": "postgresql://counter:s3cret@127.0.0.1:99999/counter"})
    [line] = _lines(_cli("--config", str(path), "ticket", "issue", "A", cwd=tmp_path))
    assert "database.url" in line and "cổng từ 1 đến 65535" in line and "s3cret" not in line


def test_agency_code_is_stored_as_dossier_codes_write_it(tmp_path: Path) -> None:
    cfg = parse(config_data(tmp_path, office={"agency_code": " 000.17.22.h56 "}),
                tmp_path / "config.toml")
    assert cfg.office.agency_code == "000.17.22.H56"
