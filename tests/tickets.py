"""Issuing a ticket as the counter does it, in tests: the ticket is stored with its slip, the
printer takes the slip, and only then does the ticket wait in the queue (queue_rules, PRINTING).
Tests about the queue itself start from tickets handed out this way."""

from __future__ import annotations

from typing import Any

from counter_tui.core.views import TicketView
from counter_tui.services import printjobs, queue


def slip_out(store: Any, job_id: int) -> None:
    """What the spooler does when the printer took the slip."""
    assert printjobs.claim(store, job_id) is not None, f"print job {job_id} is not queued"
    printjobs.sent(store, job_id)


def hand_out(store: Any, group: str, priority: str | None = None) -> TicketView:
    """Issue a ticket and print its slip; the ticket as it now is (waiting)."""
    issued = queue.issue(store, group, priority)
    slip_out(store, issued.print_job)
    return queue.get(store, issued.ticket.id)


def gone_process() -> str:
    """host:pid of a process of this machine that has ended: what a print job's claim says
    when the program sending it was killed."""
    import socket
    import subprocess
    import sys

    pid = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                         capture_output=True, text=True, check=True).stdout.strip()
    return f"{socket.gethostname()}:{pid}"
