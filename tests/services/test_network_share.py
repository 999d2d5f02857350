"""SQLite on a network share is refused with a message that says what to do instead: its
locks do not hold across NFS or SMB, and two counters writing through one corrupt the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from counter_tui.db import connection
from counter_tui.services.store import StoreUnavailable, open_store
from tests.conftest import _make_config

MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
30 22 0:27 / /mnt/office rw,relatime shared:9 - cifs //server/office rw,vers=3.0
31 22 0:28 / /srv/nfs\\040share rw,relatime shared:10 - nfs4 server:/export rw
32 30 8:2 / /mnt/office/local rw,relatime shared:11 - ext4 /dev/sdb1 rw
33 22 0:29 / /home/user/remote rw - fuse.sshfs user@host:/ rw
"""


@pytest.mark.parametrize(("folder", "fstype", "network"), [
    ("/var/lib/counter-tui", "ext4", None),
    ("/mnt/office", "cifs", "cifs"),
    ("/mnt/office/data", "cifs", "cifs"),
    ("/mnt/office/local/data", "ext4", None),  # a local disk mounted inside the share
    ("/srv/nfs share/data", "nfs4", "nfs4"),  # a mount point with a space
    ("/home/user/remote/x", "fuse.sshfs", "fuse.sshfs"),
    ("/mnt/officer", "ext4", None),  # a name that only starts like the share's
])
def test_the_filesystem_of_a_folder(folder: str, fstype: str, network: str | None) -> None:
    assert connection.filesystem_type(Path(folder), MOUNTINFO) == fstype
    assert connection.on_network_share(Path(folder), MOUNTINFO) == network


def test_this_machines_own_folders_are_local(tmp_path: Path) -> None:
    assert connection.filesystem_type(tmp_path) is not None  # read from /proc/self/mountinfo
    assert connection.on_network_share(tmp_path) is None


def test_a_store_on_a_share_is_refused_with_what_to_do(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    cfg: Any = _make_config(tmp_path)
    monkeypatch.setattr(connection, "filesystem_type", lambda folder, mountinfo=None: "cifs")
    with pytest.raises(StoreUnavailable) as refused:
        open_store(cfg)
    message = str(refused.value)
    assert "ổ mạng (cifs)" in message and "PostgreSQL" in message
    assert str(tmp_path / "data") in message
    assert not (tmp_path / "data" / "counter.db").exists()  # nothing created there
