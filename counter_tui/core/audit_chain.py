"""The audit log's chain of hashes: why an edited, deleted or reordered entry shows.

Each entry carries the hash of the one before it (`prev_hash`) and its own (`hash`), computed
over its number in the chain (`seq`, 1, 2, 3 … with no gap), its fields and `prev_hash`. Changing
an entry changes its hash, which no longer matches what the next entry carries; deleting one
leaves a gap in the numbers and a broken link; swapping two breaks the links on both sides. The
last entry's number and hash are also kept apart (the chain's head), so cutting the end off the
log shows as well, unless the head is rewritten too: `audit verify` prints the head, and an
auditor who notes it can tell later that nothing was cut.

The form hashed here must never change: every entry ever written is checked against it. (The
migration that built the chain for entries written before it holds its own frozen copy, and a
test checks that the two agree.)
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from datetime import datetime

from counter_tui.core.records import frozen

GENESIS = "0" * 64  # the "previous hash" of the first entry


@frozen
class ChainEntry:
    """One stored entry, as the chain sees it."""

    id: int
    seq: int
    at: datetime
    officer: str
    counter: int | None
    action: str
    subject: str
    dossiers: str
    prev_hash: str
    hash: str


def moment(at: datetime | str) -> str:
    """The time as hashed: to the second, whatever the engine hands back (SQLite text,
    PostgreSQL a datetime)."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    return at.replace(microsecond=0).isoformat(sep=" ")


def entry_hash(prev_hash: str, seq: int, at: datetime | str, officer: str,
               counter: int | None, action: str, subject: str, dossiers: str) -> str:
    body = json.dumps([seq, moment(at), officer, counter, action, subject, dossiers],
                      ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def keyed(secret: str, kind: str, value: str) -> str:
    """A searched value (an ID number, a phone, a name) as the audit log keeps it: an HMAC
    with the store's own secret, so the log names no one, yet the same search always gives
    the same text, and an auditor holding the store can ask "who searched for this number?".
    16 hex digits: enough to tell searches apart, too short to be worth reversing."""
    return hmac.new(secret.encode(), f"{kind}\n{value}".encode(), hashlib.sha256).hexdigest()[:16]


@frozen
class Break:
    """The first entry that does not fit the chain, and how."""

    id: int | None  # the entry's row id; None when the break is at the end (entries cut off)
    seq: int
    reason: str  # edited | out_of_place (deleted before it, or moved) | cut


@frozen
class Verdict:
    count: int
    head_seq: int
    head_hash: str
    first_break: Break | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def verify(entries: Iterable[ChainEntry], head_seq: int | None,
           head_hash: str | None) -> Verdict:
    """Walk the entries in the order they were stored (by row id) and name the first that
    does not fit: its fields or its link were changed (edited), it is not the next in the
    chain because entries before it were deleted or it was moved (out_of_place), or the last
    entries were cut off (cut)."""
    prev_hash, prev_seq, count = GENESIS, 0, 0
    for e in entries:
        count += 1
        recomputed = entry_hash(e.prev_hash, e.seq, e.at, e.officer, e.counter, e.action,
                                e.subject, e.dossiers)
        if recomputed != e.hash:
            return Verdict(count, prev_seq, prev_hash, Break(e.id, e.seq, "edited"))
        if e.seq != prev_seq + 1:
            return Verdict(count, prev_seq, prev_hash, Break(e.id, e.seq, "out_of_place"))
        if e.prev_hash != prev_hash:  # the right number, but not linked to the entry before
            return Verdict(count, prev_seq, prev_hash, Break(e.id, e.seq, "edited"))
        prev_hash, prev_seq = e.hash, e.seq
    if head_seq is not None and (head_seq, head_hash) != (prev_seq, prev_hash):
        reason = "cut" if head_seq > prev_seq else "edited"
        return Verdict(count, prev_seq, prev_hash, Break(None, prev_seq + 1, reason))
    return Verdict(count, prev_seq, prev_hash, None)
