"""What may become of a print job, when it is tried again, and what an officer is shown.

The print queue (services.printjobs) stores jobs and the spooler (printing.spooler) sends them;
this module is the one place that says what each outcome means, so the screens, the CLI and the
tests read the same states and the same retry times.

    QUEUED --claim--> SENDING --every byte taken (and confirmed where it can be)--> SENT
    SENDING --nothing reached the printer, may pass--> QUEUED (tried again 2, 5, 15 s later)
    SENDING --nothing reached the printer, retries spent or a setting is wrong--> FAILED
    SENDING --part or all of it may be on paper, unconfirmed--> UNSURE
    SENDING --the app stopped while sending--> UNSURE            (found at the next start)
    FAILED, UNSURE --the officer reprints--> QUEUED               (sent at once)
    UNSURE --the officer says it came out--> SENT
    QUEUED, FAILED, UNSURE --the ticket is voided--> VOID

Choices, and why:

- A job that may be partly or wholly on paper (the connection dropped after bytes were taken,
  the printer did not confirm, the app stopped while sending) is never sent again by itself: a
  second copy of a queue ticket is a second person holding the same number, a half receipt is
  worse. It waits in UNSURE until an officer looks at the printer and chooses.
- Only a failure that put nothing on paper is retried automatically, and only a few times,
  close together (RETRY_AFTER): the citizen is standing at the desk, so a printer that comes
  back within half a minute prints the slip, and one that does not is shown as failed, with its
  reason, while the citizen is still there.
- An explicit reprint is sent at once, whatever back-off the printer was in: the officer has
  just fixed it.
"""

from __future__ import annotations

from enum import StrEnum

from counter_tui.core.i18n import t


class JobState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    UNSURE = "unsure"  # may be (partly) on paper: an officer decides
    FAILED = "failed"  # nothing on paper: reprint or void
    VOID = "void"
    # a kiosk's slip that did not print: its ticket voided at once (nobody there to hand a late
    # slip over), kept on every counter's list until an officer has seen it (the citizen was
    # sent to the help desk, and the kiosk's printer needs a hand)
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return t(f"print_rules.state.{self.value}")


RETRY_AFTER: tuple[int, ...] = (2, 5, 15)  # seconds after the 1st, 2nd, 3rd failed attempt
MAX_AUTO_RETRIES = len(RETRY_AFTER)

# what an officer must act on (the counter screen's "Lỗi in", `printer jobs --failed`)
NEEDS_OFFICER: tuple[str, ...] = (JobState.FAILED.value, JobState.UNSURE.value)
# what an explicit reprint may take back into the queue: a failed or doubtful job, or one
# waiting for its automatic retry (the officer fixed the printer and will not wait)
REPRINTABLE: tuple[str, ...] = (*NEEDS_OFFICER, JobState.QUEUED.value)


def retry_delay(attempts: int) -> int | None:
    """Seconds before a job whose `attempts`-th attempt put nothing on paper is tried again;
    None once the automatic retries are spent (the job is then failed)."""
    if attempts < 1 or attempts > MAX_AUTO_RETRIES:
        return None
    return RETRY_AFTER[attempts - 1]


def kind_label(kind: str) -> str:
    """What a slip is called on screen and in the CLI; a kind added later shows by its name."""
    key = f"print_rules.kind.{kind}"
    text = t(key)
    return kind if text == key else text


def state_label(state: str, *, retrying: bool = False) -> str:
    """A job's state as an officer reads it; a queued job that already failed is 'retrying'."""
    if state == JobState.QUEUED.value and retrying:
        return t("print_rules.state.retrying")
    try:
        return JobState(state).label
    except ValueError:
        return state


def outcome(state: str, error: str = "") -> str:
    """What became of a slip in one phrase for a message line: "đã in", or "lỗi in (reason)"."""
    return state_label(state) + (f" ({error})" if error else "")
