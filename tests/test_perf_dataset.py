"""The benchmarks' generated store, made small on both engines in the unit suite: a column
added to the models without a default, or a renamed one, fails here instead of leaving the
benchmarks unable to run on a fresh clone. No timing is asserted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from counter_tui.db.models import Dossier, Procedure, Ticket
from counter_tui.services import reports, worklists
from tests.perf import dataset

NOW = dt.datetime(2026, 11, 20, 10, 0)


def test_generated_store_serves_the_benchmarks(database_url: str, tmp_path: Path,
                                              open_test_store: Callable[..., Any]) -> None:
    (tmp_path / "data").mkdir(exist_ok=True)
    dataset.generate(database_url, 400, 900)
    store = open_test_store(seed=False, office={"agency_code": dataset.AGENCY})
    store.clock.now = NOW
    with store.read():
        assert Dossier.select().count() == 400
        assert Ticket.select().count() == 900
        assert Procedure.select().count() > 10
        assert Dossier.select().where(Dossier.holder.is_null()).count() == 0
    counts = worklists.counts(store)
    assert sum(counts.values()) > 0
    assert all(len(worklists.worklist(store, name).items) == min(n, worklists.LIMIT)
               for name, n in counts.items() if name != "overdue")
    report = reports.period(store, dt.date(2026, 5, 1), dt.date(2026, 10, 31))
    assert report.total.received > 0


def test_the_intake_benchmark_runs(tmp_path: Path, monkeypatch: Any,
                                   capsys: Any) -> None:
    """The intake benchmark acts through the gated services as a signed-in officer would: it
    stopped at the sign-in check once the services asked who acts. Run small, nothing timed."""
    from tests.perf import bench_intake, common

    monkeypatch.setattr(common.tempfile, "mkdtemp", lambda prefix="": str(tmp_path / "office"))
    (tmp_path / "office").mkdir()
    bench_intake.bench_receipts(20)
    shown = capsys.readouterr().out
    assert "intake save -> receipt bytes" in shown and "receipt size" in shown


@pytest.mark.postgres
def test_the_copy_load_writes_what_the_models_write(pg_server: Any) -> None:
    """The province-scale loader (COPY, tests/perf/province.py) and the models' bulk insert
    write the same rows from the one generator, and the reports' summary counts each dossier
    once: a column added to the models, or a default the loader missed, fails here."""
    from counter_tui.db import connection
    from tests.perf import province

    columns = {"dossier": "*", "ticket": "*", "procedure": "*", "office": "*",
               "dossier_tally": "state, received_day, office_id, due_day, channel, field, "
                                "procedure_code, officer, n"}
    seen = []
    for how in ("models", "copy"):
        name = pg_server.new_name(f"perf_{how}")
        url = pg_server.create_database(name)
        if how == "models":
            dataset.generate(url, 300, 700)
        else:
            db = connection.connect(url)
            connection.migrate(db)
            connection.close(db)
            con = pg_server.connect(name)
            province.load(con, 300, 700, years=1)
            con.close()
        con = pg_server.connect(name)
        cur = con.cursor()
        tables = {}
        for table, cols in columns.items():
            cur.execute(f"SELECT {cols} FROM {table}")
            tables[table] = sorted(cur.fetchall(), key=repr)
        cur.execute("SELECT SUM(n) FROM dossier_tally")
        assert cur.fetchone()[0] == 300
        cur.execute("SELECT nextval(pg_get_serial_sequence('dossier', 'id'))")
        assert cur.fetchone()[0] == 301  # the next dossier the application adds
        con.close()
        pg_server.drop_database(name)
        seen.append(tables)
    assert seen[0]["dossier"] and seen[0] == seen[1]


@pytest.mark.postgres
def test_the_kept_server_is_loaded_once(monkeypatch: Any, capsys: Any) -> None:
    """`--postgres`'s server: the first use loads its data folder, the next starts on it."""
    import shutil
    import tempfile

    import psycopg2

    from tests.conftest import PostgresUnavailable, _pg_prerequisites
    from tests.perf import province

    try:
        _pg_prerequisites()
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))
    cache = Path(tempfile.mkdtemp(prefix="counter-perf-pg-cache-"))
    monkeypatch.setenv("COUNTER_PERF_PG_CACHE", str(cache))
    try:
        for run in range(2):
            with province.server(120, 250) as url:
                con = psycopg2.connect(url)
                with con, con.cursor() as cur:
                    cur.execute("SELECT (SELECT count(*) FROM dossier), "
                                "(SELECT count(*) FROM ticket)")
                    assert cur.fetchone() == (120, 250)
                con.close()
            shown = capsys.readouterr().out
            assert ("loading 120 dossiers" in shown) == (run == 0), shown
        assert [p.name for p in cache.iterdir()] == [province.folder_name(120, 250, 1)]
    finally:
        shutil.rmtree(cache, ignore_errors=True)
