"""The operating system's usual reasons are said in the interface's language; the rest as the
system says them."""

from __future__ import annotations

import errno
import socket

from counter_tui.core.errors import os_reason
from counter_tui.core.i18n import set_language


def test_usual_reasons_in_vietnamese_and_english() -> None:
    full = OSError(errno.ENOSPC, "No space left on device")
    unplugged = OSError(errno.ENODEV, "No such device")
    assert os_reason(full) == "ổ đĩa đã đầy"
    assert os_reason(unplugged) == "không thấy thiết bị (đã rút cáp hoặc tắt?)"
    assert os_reason(ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")) == \
        "máy bên kia từ chối kết nối"
    set_language("en")
    assert os_reason(full) == "the disk is full"
    assert os_reason(PermissionError(errno.EACCES, "Permission denied")) == "permission denied"


def test_other_reasons_as_the_system_gives_them() -> None:
    assert os_reason(OSError(errno.ELOOP, "Too many levels of symbolic links")) == \
        "Too many levels of symbolic links"
    assert os_reason(socket.gaierror(-2, "Name or service not known")) == \
        "Name or service not known"
    assert os_reason(ValueError("bad")) == "bad"
