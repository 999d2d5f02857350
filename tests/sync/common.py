"""What the sync tests share: a central store (a migrated counter-tui store on the throwaway
PostgreSQL server) and an office's day of work through the real services."""

from __future__ import annotations

import random
from typing import Any

from counter_tui.core.errors import UserError
from counter_tui.core.intake import DocumentLine, DossierDraft
from counter_tui.db import connection
from counter_tui.db.models import database
from counter_tui.services import intake, lifecycle, queue

NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thị Dung", "Võ Minh Đức")
PROCEDURES = ("HT-XNHN", "HT-KS", "CT-BS")


def make_centre(server: Any, name: str | None = None) -> str:
    """A new central store: a counter-tui store migrated as `counter-tui init` makes it."""
    url = server.create_database(name or server.new_name("centre"))
    saved = database.obj
    db = connection.connect(url)
    try:
        connection.migrate(db)
    finally:
        connection.close(db)
        database.initialize(saved)
    return url


def centre_rows(server: Any, url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    conn = server.connect(url.rsplit("/", 1)[1])
    try:
        cur = conn.cursor()
        cur.execute(sql, params)
        return list(cur.fetchall()) if cur.description else []
    finally:
        conn.close()


def receive(store: Any, rng: random.Random) -> str:
    draft = DossierDraft(procedure_code=rng.choice(PROCEDURES),
                         applicant_name=rng.choice(NAMES), phone=f"09{rng.randrange(10**8):08d}",
                         documents=[DocumentLine("Tờ khai", 1, 0)])
    return intake.receive(store, draft).dossier.code


def work(store: Any, rng: random.Random, steps: int) -> None:
    """A random stretch of an office's work: tickets issued and called, dossiers received,
    handed over, resolved and returned (each step its own transaction, as at a counter)."""
    codes: list[str] = []
    for _ in range(steps):
        action = rng.random()
        if action < 0.35:
            queue.issue(store, rng.choice("AB"))
        elif action < 0.55:
            queue.call_next(store, 1)
        elif action < 0.8 or not codes:
            codes.append(receive(store, rng))
        else:
            code = rng.choice(codes)
            try:
                lifecycle.result_ready(store, code, given_by="Lê Văn Hùng")
            except UserError:  # a step the dossier's status does not allow now
                continue
