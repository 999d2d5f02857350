"""DLE EOT status bytes: read as Epson documents them, and never a false "paper OK"."""

from __future__ import annotations

import pytest

from counter_tui.printing import escpos_safe
from counter_tui.printing import status as st
from counter_tui.printing.status import PrinterStatus, parse, read_status

# (answers to n=1, 2, 4) -> (online, paper, cover open, error, ready)
CASES = [
    ((0x12, 0x12, 0x12), (True, "ok", False, False, True)),
    ((0x16, 0x12, 0x12), (True, "ok", False, False, True)),  # drawer pin high: still fine
    ((0x1A, 0x12, 0x12), (False, "ok", False, False, False)),  # offline, no cause given
    ((0x1A, 0x16, 0x12), (False, "ok", True, False, False)),  # cover open
    ((0x1A, 0x32, 0x7E), (False, "out", False, False, False)),  # paper end stop
    ((0x12, 0x12, 0x1E), (True, "near_end", False, False, True)),  # near end: still prints
    ((0x12, 0x12, 0x72), (True, "out", False, False, False)),  # end sensor only
    ((0x1A, 0x52, 0x12), (False, "ok", False, True, False)),  # error (jam, cutter, heat)
]


@pytest.mark.parametrize(("answers", "expected"), CASES)
def test_status_bytes_as_epson_documents_them(answers: tuple[int, int, int],
                                              expected: tuple[object, ...]) -> None:
    found = parse(dict(zip((1, 2, 4), answers, strict=True)))
    assert (found.online, found.paper, found.cover_open, found.error, found.ready) == expected
    assert found.answered and found.reachable
    assert (found.problem is None) == bool(expected[-1])


def test_what_the_simulated_printer_answers_is_what_a_real_one_would() -> None:
    assert [st.answer(n) for n in (1, 2, 3, 4)] == [0x12] * 4
    assert st.answer(1, offline=True) == 0x1A
    assert (st.answer(1, paper_out=True), st.answer(2, paper_out=True),
            st.answer(4, paper_out=True)) == (0x1A, 0x32, 0x7E)
    assert (st.answer(1, cover_open=True), st.answer(2, cover_open=True)) == (0x1A, 0x16)
    assert st.answer(4, near_end=True) == 0x1E
    assert all(st.is_status_byte(st.answer(n, paper_out=True, cover_open=True))
               for n in (1, 2, 3, 4))


def _reader(replies: list[bytes]) -> tuple[list[bytes], object]:
    sent: list[bytes] = []

    def read(timeout: float) -> bytes:
        return replies.pop(0) if replies else b""

    return sent, read


def test_no_answer_is_unknown_never_paper_ok() -> None:
    sent, read = _reader([])
    found = read_status(sent.append, read, timeout=0.05)  # type: ignore[arg-type]
    assert sent == [b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"]
    assert (found.answered, found.online, found.paper, found.ready, found.problem) == (
        False, None, None, None, None)
    assert "Chưa rõ" in found.summary()


def test_a_partial_answer_leaves_the_rest_unknown() -> None:
    _, read = _reader([b"\x12"])
    found = read_status(lambda _: None, read, timeout=0.05)  # type: ignore[arg-type]
    assert (found.online, found.paper, found.cover_open) == (True, None, None)
    assert "giấy: chưa rõ" in found.summary()


@pytest.mark.parametrize("noise", [b"\x00\x00\x00", b"HP JetDirect\r\n", b"\xff\x12\x12"])
def test_bytes_that_are_not_status_answers_are_not_read_as_one(noise: bytes) -> None:
    _, read = _reader([noise])
    found = read_status(lambda _: None, read, timeout=0.05)  # type: ignore[arg-type]
    assert not found.answered and found.paper is None


def test_answers_split_across_reads_are_joined() -> None:
    _, read = _reader([b"\x12", b"\x12\x1e"])
    found = read_status(lambda _: None, read, timeout=0.5)  # type: ignore[arg-type]
    assert (found.online, found.paper) == (True, "near_end")


def test_python_escpos_says_paper_ok_to_a_silent_printer_we_do_not() -> None:
    """The trap design.md names: escpos' paper_status() is 2 ("adequate") with no answer."""
    printer = escpos_safe.load().Dummy()
    printer._read = lambda: b""
    assert printer.paper_status() == 2  # python-escpos 3.1
    _, read = _reader([])
    assert read_status(printer._raw, read, timeout=0.01).paper is None  # type: ignore[arg-type]


def test_unreachable_status_names_the_reason() -> None:
    found = PrinterStatus(reachable=False, detail="từ chối kết nối")
    assert found.ready is False
    assert found.problem is not None and "từ chối kết nối" in found.problem
