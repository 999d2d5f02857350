"""A dossier's life after the receipt: every step one transaction with its event (and its slip).

Each use case loads the dossier, checks the move against the transition table
(`core.statuses.TRANSITIONS`), writes the new status with a conditional update (so two terminals
acting on one dossier at once cannot both win: the second is told to reload), records a
`DossierEvent` with time, officer, counter, note and structured `data`, and queues the slip the
citizen takes away, all or nothing. The on-time class of a dossier is decided by
`core.ontime.classify` only.

Dates kept on the dossier:

- `due_at`: the legal due date: the receipt's appointment, moved later only by pauses for
  supplements (`WorkingCalendar.shift_for_pause`); reports count early/on time/late against it;
- `original_due_at`: the receipt's appointment, never changed;
- `apology_due_at`: the new appointment promised by the last apology (Mẫu 04). It does not
  excuse the delay: a dossier resolved after `due_at` is late even if an apology was given (the
  national indicators count "late, with an apology" as late);
- `paused_at` while waiting for supplements; `supplement_deadline` the date asked for;
- `resolved_at`: when the dossier finished: result ready (9), refused (3), withdrawn (7) or
  stopped (8); `returned_at` when the result was handed over (10), `delivered_at` by post.

`holder` is the unit that has the dossier (empty: the one-stop desk), kept by the hand-overs
(Mẫu 05): the answer to "where is my dossier?".

Where each part lives: `reading` (a dossier's state and history), `recording` (what every step
does in its transaction: the conditional update, the event, the slip), `processing` (the steps
of an open dossier: accept, hand-overs, supplements, payment, apology), `closing` (refused,
withdrawn, stopped, result ready, returned, rated, delivered), `control_sheet` (Mẫu 05) and
`by_status` (one entry by target status, for scripts). The use cases are named here too, so
callers write `lifecycle.handover(...)`.
"""

from __future__ import annotations

from counter_tui.services.lifecycle.by_status import change_status, describe
from counter_tui.services.lifecycle.closing import (
    rate,
    record_delivery,
    refuse,
    result_ready,
    return_result,
    stop,
    withdraw,
)
from counter_tui.services.lifecycle.control_sheet import print_control_sheet
from counter_tui.services.lifecycle.processing import (
    accept,
    apologise,
    handover,
    payment_received,
    request_payment,
    request_supplements,
    requested_supplements,
    supplements_received,
)
from counter_tui.services.lifecycle.reading import history, state

__all__ = ["accept", "apologise", "change_status", "describe", "handover", "history",
           "payment_received", "print_control_sheet", "rate", "record_delivery", "refuse",
           "request_payment", "request_supplements", "requested_supplements", "result_ready",
           "return_result", "state", "stop", "supplements_received", "withdraw"]
