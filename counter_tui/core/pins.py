"""PINs and keys, kept so that a copy of the store does not give them away.

A PIN is short and guessable, so it is hashed with scrypt (the standard library's, from
OpenSSL): memory-hard like argon2id, without a compiled dependency that a counter PC installed
offline from a wheel might lack. Each hash carries its salt and cost, so raising the cost
(`[security] pin_cost`) applies to new PINs and old ones still verify.

A service account's key and a command line's session token are long random secrets: nobody can
guess one, so a fast SHA-256 is enough to keep them out of the store in clear, and lets the
store find the account or session by it.

The delay after wrong PINs grows 1, 2, 4, 8 ... seconds (at most a minute) until the account is
locked; the services compare times from the store's clock, so tests need no sleeps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os

_R, _P = 8, 1
# base64 and secrets (which brings random) are imported where a PIN is checked or a secret
# made: a kiosk's script acting with its key only has the key's SHA-256 taken.


def _b64(raw: bytes) -> str:
    import base64

    return base64.b64encode(raw).decode("ascii")


def _scrypt(pin: str, salt: bytes, cost: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=cost, r=r, p=p, dklen=32,
                          maxmem=256 * r * cost + 1024 * 1024)


def hash_pin(pin: str, cost: int) -> str:
    salt = os.urandom(16)
    return f"scrypt${cost}${_R}${_P}${_b64(salt)}${_b64(_scrypt(pin, salt, cost, _R, _P))}"


def pin_matches(pin: str, stored: str) -> bool:
    """Whether `pin` is the one `stored` was made from; False for no PIN or a damaged hash."""
    import base64

    try:
        kind, cost, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        made = _scrypt(pin, base64.b64decode(salt), int(cost), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(made, base64.b64decode(digest))


def new_secret() -> str:
    """A key or token: 256 random bits, as text a script can hold."""
    import secrets

    return secrets.token_urlsafe(32)


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def retry_delay(failures: int) -> dt.timedelta:
    """How long after the `failures`-th wrong PIN in a row the next try is refused."""
    if failures <= 0:
        return dt.timedelta(0)
    return dt.timedelta(seconds=min(60, 2 ** (failures - 1)))
