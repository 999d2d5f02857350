"""Finding a dossier: by code (what a barcode scanner types), phone, ID number or name.

Each kind of query reads one index in the order results are shown, so a page costs the same on
a million dossiers as on a hundred: code is unique; phone and ID number are indexed with the
receipt time descending (newest first); a name is matched as a prefix of the folded full name
("nguyen van a" finds "Nguyễn Văn An"), listed by name and, within a name, newest first.
"""

from __future__ import annotations

import re
from typing import Any

from peewee import SQL, SqliteDatabase

from counter_tui.core.codes import looks_like_dossier_code, parse_dossier_code
from counter_tui.core.text import clean, digits, fold
from counter_tui.core.views import FindResult
from counter_tui.services import dossiers
from counter_tui.services.store import Store
from db.models import Dossier

PAGE_SIZE = 20
_PHONEISH = re.compile(r"^\+?[\d\s.\-()]{8,}$")


def classify(text: str) -> tuple[str, str]:
    """What a typed text is taken for, and the normalised key: code, id, phone or name."""
    typed = clean(text)
    if looks_like_dossier_code(typed):
        parsed = parse_dossier_code(typed)
        return "code", str(parsed) if parsed else typed
    if _PHONEISH.match(typed):
        number = digits(typed)
        if typed.startswith("+"):
            return "phone", "0" + number.removeprefix("84").removeprefix("0")
        return ("id" if len(number) in (9, 12) else "phone"), number
    return "name", fold(typed)


def _upper_bound(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def find(store: Store, text: str, *, page: int = 0, page_size: int = PAGE_SIZE) -> FindResult:
    kind, key = classify(text)
    query = Dossier.select(Dossier.id, Dossier.code, Dossier.applicant_name, Dossier.phone,
                           Dossier.procedure_name, Dossier.channel, Dossier.status,
                           Dossier.received_at, Dossier.due_at)
    if not key:
        return FindResult(kind, key, (), page, False)
    if kind == "code":
        query = query.where(Dossier.code == key)
    elif kind == "phone":
        query = query.where(Dossier.phone == key).order_by(Dossier.received_at.desc())
    elif kind == "id":
        query = query.where(Dossier.id_number == key).order_by(Dossier.received_at.desc())
    else:
        name: Any = Dossier.applicant_folded
        if not isinstance(store.db, SqliteDatabase):
            name = SQL('"t1"."applicant_folded" COLLATE "C"')  # the index's collation
        query = query.where((name >= key) & (name < _upper_bound(key))).order_by(
            name, Dossier.received_at.desc())
    with store.write():
        rows = list(query.offset(page * page_size).limit(page_size + 1))
        dossiers.audit(store, f"find:{kind}", key)
    items = tuple(dossiers.summary(d) for d in rows[:page_size])
    return FindResult(kind, key, items, page, len(rows) > page_size)
