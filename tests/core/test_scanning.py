"""What the scanner is asked and what its answers mean: the device list, the sources a device
names its own way, the page cut to the device, scanimage's words on failure, file names."""

from __future__ import annotations

import pytest

from counter_tui.core import scanning

HELP = """
  Scan Mode:
    --mode Gray|Color [Gray]
    --resolution 1..1200dpi (in steps of 1) [50]
    --source Flatbed|Automatic Document Feeder [Flatbed]
  Geometry:
    -l 0..200mm (in steps of 1) [0]
    -x 0..215.9mm (in steps of 1) [80]
    -y 0..297mm (in steps of 1) [100]
"""


def test_devices_are_read_from_the_list_format() -> None:
    listing = ("airscan:e0:Canon MF260|Canon|MF260 (eSCL)|eSCL network scanner\n"
               "genesys:libusb:001:004|Canon|LiDE 300|flatbed scanner\n")
    assert scanning.devices(listing) == [
        scanning.Device("airscan:e0:Canon MF260", "Canon", "MF260 (eSCL)", "eSCL network scanner"),
        scanning.Device("genesys:libusb:001:004", "Canon", "LiDE 300", "flatbed scanner")]
    assert scanning.devices("") == []


@pytest.mark.parametrize(("offered", "feeder", "duplex", "picked"), [
    (["Flatbed", "Automatic Document Feeder"], False, False, ""),
    (["Flatbed", "Automatic Document Feeder"], True, False, "Automatic Document Feeder"),
    (["Flatbed", "ADF Front", "ADF Duplex"], True, False, "ADF Front"),
    (["Flatbed", "ADF Front", "ADF Duplex"], True, True, "ADF Duplex"),
    (["Flatbed", "Automatic Document Feeder"], True, True, None),
    (["Flatbed"], True, False, None),
    ([], True, False, None),
])
def test_the_source_asked_for_by_the_devices_own_name(
        offered: list[str], feeder: bool, duplex: bool, picked: str | None) -> None:
    assert scanning.pick_source(offered, feeder=feeder, duplex=duplex) == picked


def test_sources_and_page_come_from_the_devices_options() -> None:
    assert scanning.sources(HELP) == ["Flatbed", "Automatic Document Feeder"]
    assert scanning.area(HELP, 210, 297) == (210, 297)
    assert scanning.area(HELP.replace("215.9", "200"), 210, 297) == (200, 297)


@pytest.mark.parametrize(("stderr", "key"), [
    ("scanimage: open of device test:x failed: Invalid argument", "scan.no_device"),
    ("scanimage: sane_read: Device busy", "scan.busy"),
    ("scanimage: sane_start: Document feeder out of documents", "scan.no_paper"),
    ("scanimage: sane_read: Document feeder jammed", "scan.jammed"),
    ("scanimage: sane_start: Scanner cover is open", "scan.cover_open"),
    ("scanimage: open of device x failed: Access to resource has been denied",
     "scan.denied"),
    ("something else entirely", "scan.failed"),
])
def test_scanimages_words_become_a_message_key(stderr: str, key: str) -> None:
    assert scanning.failure_key(stderr) == key


def test_file_names_are_ascii_and_carry_the_hash() -> None:
    assert scanning.slug("Tờ khai đăng ký khai sinh") == "to-khai-dang-ky-khai-sinh"
    assert scanning.slug("Đơn (bản chính)") == "don-ban-chinh"
    assert scanning.slug("!!!") == "tai-lieu"
    assert scanning.file_name("result", "Kết quả", "ab" * 32) == "result-ket-qua-abababababab.pdf"
    assert scanning.folder_parts("000.17.22.H56-261201-0001", "2026-12") == (
        "2026-12", "000.17.22.H56-261201-0001")


def test_the_scan_command() -> None:
    request = scanning.ScanRequest("test", 200, "gray", 200, 200, source="ADF", batch="p%d.pnm",
                                   max_pages=10, options=("--test-picture", "Grid"))
    assert scanning.scan_args("scanimage", request, "out.pnm") == [
        "scanimage", "--device-name", "test", "--format=pnm", "--resolution", "200",
        "--mode", "Gray", "-x", "200", "-y", "200", "--source", "ADF",
        "--test-picture", "Grid", "--batch=p%d.pnm", "--batch-count=10"]
