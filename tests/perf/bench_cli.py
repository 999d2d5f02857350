"""`counter-tui ticket issue A --json` as a whole process, as a kiosk script runs it: issued,
printed to the printer file, the JSON written. Beside it, in the same rounds (one of each in
turn, so a load that comes and goes hits all three alike): the interpreter's own start and a
python-escpos Dummy text ticket as a whole process. Then where its imports go (`-X importtime`,
the largest top-level imports of one run).

Also the same command as a `pip install .` runs it: the test venv installs the checkout in
editable mode, whose import hook (a .pth file) every interpreter start of that venv runs, 20
or more milliseconds a kiosk's installation never pays. `python -S` with the checkout and the
venv's packages on PYTHONPATH finds the same modules by the plain path search, without the
hook, and its floor is `python -S -c pass` the same way.

Target: <= 150 ms on a quiet machine.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig

from tests.perf import floors
from tests.perf.common import (
    COUNTER_TUI,
    ROOT,
    installed_env,
    office_dir,
    summary,
    with_officer,
)

TICKET = ["ticket", "issue", "A", "--json"]


def _imports(folder: object, env: dict[str, str]) -> None:
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "counter_tui", *TICKET],
                         capture_output=True, text=True, cwd=folder, check=True, env=env)
    rows = []
    for line in run.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m and len(m.group(3)) <= 2:  # imported by the program or its first callees
            rows.append((int(m.group(2)), m.group(4)))
    print("   largest imports of one run (cumulative ms, -X importtime):", flush=True)
    for us, name in sorted(rows, reverse=True)[:12]:
        print(f"      {us / 1000:7.1f}  {name}", flush=True)


def main(quick: bool = False) -> None:
    if not COUNTER_TUI.exists():
        raise SystemExit("counter-tui is not installed in this environment")
    folder = office_dir()
    env = installed_env(floors.escpos_env())
    # a kiosk's script acts as a service account (its key), on a store made at the first start
    kiosk = installed_env({"COUNTER_TUI_KEY": with_officer(folder)})
    cli = [str(COUNTER_TUI), *TICKET]
    floors.whole_process(cli, cwd=folder, env=kiosk)  # not measured: the day's first backup
    runs = 7 if quick else 25
    ticket, bare, escpos, plain, plain_bare = [], [], [], [], []
    # as installed: the plain path search, without the editable install's hook
    paths = os.pathsep.join([str(ROOT), sysconfig.get_paths()["purelib"]])
    as_installed = {**kiosk, "PYTHONPATH": paths}
    plain_cli = [sys.executable, "-S", "-m", "counter_tui", *TICKET]
    print(floors.load(), flush=True)
    for _ in range(runs):
        ticket.append(floors.whole_process(cli, cwd=folder, env=kiosk, label="ticket"))
        bare.append(floors.interpreter())
        escpos.append(floors.escpos_ticket(env))
        plain.append(floors.whole_process(plain_cli, cwd=folder, env=as_installed))
        plain_bare.append(floors.whole_process([sys.executable, "-S", "-c", "pass"],
                                               env=as_installed))
    summary("python -c pass (whole process)", bare)
    summary("escpos Dummy text ticket (whole process)", escpos,
            floor=("python -c pass", bare))
    summary("counter-tui ticket issue A --json", ticket, target="<= 150 ms",
            floor=("python -c pass", bare))
    summary("  the same, against the escpos ticket", ticket,
            floor=("escpos Dummy text ticket", escpos))
    cpu = floors.CPU
    summary("  CPU time: counter-tui ticket issue A --json", cpu["ticket"],
            floor=("python -c pass, CPU", cpu["python -c pass"]))
    summary("  CPU time: against the escpos ticket", cpu["ticket"],
            floor=("escpos Dummy text ticket, CPU", cpu["escpos ticket"]))
    summary("as installed (pip install .): python -S -c pass", plain_bare)
    summary("as installed: counter-tui ticket issue A --json", plain, target="<= 150 ms",
            floor=("python -S -c pass", plain_bare))
    print(floors.load(), flush=True)
    _imports(folder, kiosk)


if __name__ == "__main__":
    main("--quick" in sys.argv)
