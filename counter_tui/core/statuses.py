"""The national public-service portal's dossier status codes (1-10) and their names.

The store keeps the portal's number, so reports and a later synchronisation speak the portal's
language; screens and slips show the name in the officer's language. Overdue is not a status:
it is derived from the due date.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from counter_tui.core.errors import UserError
from counter_tui.core.i18n import t

SUBMITTED_ONLINE = 1
RECEIVED = 2
REFUSED = 3
PROCESSING = 4
SUPPLEMENT = 5
AWAITING_PAYMENT = 6
WITHDRAWN = 7
STOPPED = 8
RESULT_READY = 9
RETURNED = 10

# code -> message key; the text is looked up when shown, so it follows the chosen language.
STATUS_LABELS: Mapping[int, str] = MappingProxyType({code: f"status.{code}"
                                                     for code in range(1, 11)})


def status_label(code: int | None) -> str:
    """The status's name in the current language; a code the portal may add later is shown
    by its number rather than hidden."""
    if code is None:
        return ""
    key = STATUS_LABELS.get(code)
    return t(key) if key else t("status.unknown", code=code)


# --- the allowed transitions (issue 4) ----------------------------------------------------------
#
# from -> to, with the use case that makes each move (services/lifecycle/). Anything not listed
# is refused, with the reason and the statuses that are possible from where the dossier is.
#
#   1 submitted online  -> 2 accepted at the counter (the portal's dossier is complete)
#                       -> 3 refused (Mẫu 03: not this office's procedure, not eligible)
#                       -> 5 supplements requested (Mẫu 02: the online file is incomplete)
#                       -> 7 withdrawn by the citizen
#   2 received          -> 4 handed over to the processing unit (first Mẫu 05 step)
#                       -> 9 result ready: the counter resolves it itself (chứng thực, same-day
#                            civil status), no unit involved
#                       -> 5 supplements requested (found missing before the hand-over)
#                       -> 3 refused (Mẫu 03), 7 withdrawn, 8 stopped
#   4 processing        -> 5 supplements requested by the unit (Mẫu 02), the clock pauses
#                       -> 6 waiting for the citizen to pay (land, construction ...)
#                       -> 9 result ready (the unit hands the result back to the desk)
#                       -> 3 refused (the unit finds it not eligible: written reason, Mẫu 03)
#                       -> 7 withdrawn, 8 stopped
#   5 supplements       -> 4 or 2 supplements received: back to where it waited (2 when asked at
#                            the counter, or for an online dossier not yet accepted; 4 when asked
#                            by the unit); the due date moves by the working time waited
#                       -> 3 refused (nothing came by the deadline), 7 withdrawn, 8 stopped
#   6 awaiting payment  -> 4 paid, processing goes on; 9 paid and the result is ready
#                       -> 7 withdrawn, 8 stopped (never paid)
#   9 result ready      -> 10 returned (at the counter or by post)
#   3, 7, 8, 10         final: nothing follows. A wrong final status is corrected by the
#                       supervisor in the portal, not by a hidden "undo" at the counter.
#
# Not status changes, but steps recorded as events on an open dossier: a hand-over between units
# while processing (Mẫu 05), an apology with a new appointment (Mẫu 04), the post's delivery of a
# returned result, a rating given after the hand-over.

TRANSITIONS: Mapping[int, frozenset[int]] = MappingProxyType({
    SUBMITTED_ONLINE: frozenset({RECEIVED, REFUSED, SUPPLEMENT, WITHDRAWN}),
    RECEIVED: frozenset({PROCESSING, RESULT_READY, SUPPLEMENT, REFUSED, WITHDRAWN, STOPPED}),
    PROCESSING: frozenset({SUPPLEMENT, AWAITING_PAYMENT, RESULT_READY, REFUSED, WITHDRAWN,
                           STOPPED}),
    SUPPLEMENT: frozenset({PROCESSING, RECEIVED, REFUSED, WITHDRAWN, STOPPED}),
    AWAITING_PAYMENT: frozenset({PROCESSING, RESULT_READY, WITHDRAWN, STOPPED}),
    RESULT_READY: frozenset({RETURNED}),
    REFUSED: frozenset(),
    WITHDRAWN: frozenset(),
    STOPPED: frozenset(),
    RETURNED: frozenset(),
})

ALL_STATUSES: tuple[int, ...] = tuple(range(1, 11))
FINAL_STATUSES: frozenset[int] = frozenset(c for c, to in TRANSITIONS.items() if not to)
OPEN_STATUSES: frozenset[int] = frozenset({SUBMITTED_ONLINE, RECEIVED, PROCESSING, SUPPLEMENT,
                                           AWAITING_PAYMENT})

# Names a script may use for a status instead of its number (`--to processing`).
SLUGS: Mapping[str, int] = MappingProxyType({
    "submitted": SUBMITTED_ONLINE, "received": RECEIVED, "refused": REFUSED,
    "processing": PROCESSING, "supplement": SUPPLEMENT, "payment": AWAITING_PAYMENT,
    "withdrawn": WITHDRAWN, "stopped": STOPPED, "ready": RESULT_READY, "returned": RETURNED,
})


def allowed_from(code: int) -> frozenset[int]:
    """The statuses a dossier in `code` may move to (empty when it is finished)."""
    return TRANSITIONS.get(code, frozenset())


def can_move(src: int, dst: int) -> bool:
    return dst in allowed_from(src)


def _why(src: int, dst: int) -> str:
    if src == dst:
        return "same"
    if src in FINAL_STATUSES:
        return "final"
    if dst == SUBMITTED_ONLINE:
        return "portal_only"
    if src == RESULT_READY:
        return "only_return"
    if dst == RETURNED:
        return "return_needs_result"
    if dst == RECEIVED:
        return "already_received"
    if src == SUBMITTED_ONLINE:
        return "accept_first"
    if src == SUPPLEMENT:
        return "waiting_supplements"
    if dst == AWAITING_PAYMENT:
        return "unit_only"
    if src == AWAITING_PAYMENT:
        return "paying"
    return "not_allowed"


def describe_targets(codes: frozenset[int] | tuple[int, ...]) -> str:
    return ", ".join(f"{c} {status_label(c)}" for c in sorted(codes))


def refusal_reason(src: int, dst: int) -> str:
    """Why `src` -> `dst` is not allowed (the key of the message), for tests and screens."""
    return f"status.why.{_why(src, dst)}"


def check_transition(src: int, dst: int) -> None:
    """Raise UserError saying why `src` -> `dst` is refused and what is possible instead."""
    if dst not in ALL_STATUSES:
        raise UserError("status.unknown_code", field="to", value=dst, names=", ".join(SLUGS))
    if can_move(src, dst):
        return
    targets = allowed_from(src) - {src}
    possible = t("status.possible", targets=describe_targets(tuple(targets))) if targets else ""
    raise UserError("status.refused_move", field="to", src=status_label(src),
                    dst=status_label(dst), why=t(refusal_reason(src, dst)), possible=possible)


def parse_status(value: str | int) -> int:
    """A status from a script or a form: its number (1-10) or its name (`processing`)."""
    text = str(value).strip().lower()
    if text.isdigit() and int(text) in ALL_STATUSES:
        return int(text)
    if text in SLUGS:
        return SLUGS[text]
    raise UserError("status.unknown_code", field="to", value=value, names=", ".join(SLUGS))
