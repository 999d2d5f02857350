"""Look-ups over a generated store of a province's year (1,000,000 dossiers by default): by code,
by phone, by folded name; with the query plans, so an index that stops being used shows."""

from __future__ import annotations

import random
import sys
import time

from tests.perf.common import load_config, office_dir, summary
from tests.perf.dataset import build


def main(quick: bool = False) -> None:
    n = 100_000 if quick else 1_000_000
    path = build(n, 2 * n)
    folder = office_dir(f"sqlite:///{path}")
    from counter_tui.services import lookup
    from counter_tui.services.store import open_store

    store = open_store(load_config(folder), seed=False)
    with store.read():
        rows = store.db.execute_sql(
            "SELECT code, phone, applicant_name FROM dossier WHERE id % 997 = 0").fetchall()
    rnd = random.Random(3)
    queries = {
        "code": [r[0] for r in rows],
        "phone": [r[1] for r in rows],
        "name": [r[2] for r in rows],
        "name prefix": [r[2].rsplit(" ", 1)[0] for r in rows],
    }
    targets = {"code": "<= 10 ms", "phone": "<= 10 ms", "name": "<= 50 ms",
               "name prefix": "<= 50 ms"}
    print(f"store: {n:,} dossiers", flush=True)
    for kind, texts in queries.items():
        rnd.shuffle(texts)
        samples, found = [], 0
        for text in texts[:200]:
            started = time.perf_counter()
            result = lookup.find(store, text)
            samples.append((time.perf_counter() - started) * 1000)
            found += bool(result.items)
        summary(f"lookup by {kind} (page of 20, audited)", samples, target=targets[kind])
        assert found == min(200, len(texts)), f"{kind}: some look-ups found nothing"
    _plans(store)


def _plans(store) -> None:  # type: ignore[no-untyped-def]
    plans = {
        "code": "SELECT * FROM dossier WHERE code = ?",
        "phone": "SELECT * FROM dossier WHERE phone = ? ORDER BY received_at DESC LIMIT 21",
        "name": "SELECT * FROM dossier WHERE applicant_folded >= ? AND applicant_folded < ? "
                "ORDER BY applicant_folded, received_at DESC LIMIT 21",
    }
    with store.read():
        for kind, sql in plans.items():
            args = ("x",) if kind != "name" else ("nguyen van", "nguyen vao")
            plan = store.db.execute_sql("EXPLAIN QUERY PLAN " + sql, args).fetchall()
            print(f"plan {kind:<6}: " + " | ".join(str(row[-1]) for row in plan), flush=True)


if __name__ == "__main__":
    main("--quick" in sys.argv)
