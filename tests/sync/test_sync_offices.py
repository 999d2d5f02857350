"""Three offices syncing into one centre: the centre's period report (by office, and its total)
equals the three offices' own reports, figure by figure, its day board of any office is that
office's own, and its board of all offices adds theirs up."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest

from counter_tui.core.report.model import Tally
from counter_tui.core.report.plain import day_json
from counter_tui.db.models import database
from counter_tui.services.reports.daily import ALL_OFFICES, day_board
from counter_tui.services.reports.periodic import period
from counter_tui.services.store import open_store
from counter_tui.services.sync import runner
from tests.conftest import sign_in_as
from tests.sync.common import make_centre, work

pytestmark = pytest.mark.postgres
AGENCIES = ("000.17.22.H57", "000.17.22.H58", "000.17.22.H59")
START, END = dt.date(2026, 5, 1), dt.date(2026, 6, 30)


def _figures(tally: Tally) -> dict[str, int]:
    return {f.name: getattr(tally, f.name) for f in dataclasses.fields(tally)}


def test_the_centres_report_is_the_sum_of_its_offices(pg_server: Any, tmp_path: Path,
                                                      make_config: Any, clock: Any) -> None:
    centre_url = make_centre(pg_server)
    own: dict[str, dict[str, int]] = {}
    boards: dict[str, Any] = {}
    figures: dict[str, dict[str, int]] = {}
    for n, agency in enumerate(AGENCIES):
        folder = tmp_path / agency
        folder.mkdir()
        cfg = make_config(folder, office={"agency_code": agency, "name": f"UBND xã {n + 1}"},
                          sync={"url": centre_url})
        office = open_store(cfg, clock=clock)
        try:
            sign_in_as(office, cfg.terminal.officer)
            rng = random.Random(n)
            work(office, rng, 25)
            clock.advance(days=4)
            work(office, rng, 15)
            link = runner.Link(office)
            try:
                assert link.run_pass().waiting == 0
            finally:
                link.close()
        finally:
            office.close()
            database.initialize(None)
    for n, agency in enumerate(AGENCIES):  # each office's own, at the moment the centre's is
        cfg = make_config(tmp_path / agency,
                          office={"agency_code": agency, "name": f"UBND xã {n + 1}"})
        office = open_store(cfg, clock=clock)
        try:
            sign_in_as(office, cfg.terminal.officer)
            own[agency] = _figures(period(office, START, END).total)
            board = day_board(office)
            boards[agency] = day_json(board)
            figures[agency] = _board_figures(board)
        finally:
            office.close()
            database.initialize(None)
    cfg = make_config(tmp_path, office={"agency_code": "000.17.22.H00",
                                        "name": "UBND huyện - trung tâm"},
                      database={"url": centre_url})
    centre_store = open_store(cfg, clock=clock)
    try:
        sign_in_as(centre_store, cfg.terminal.officer)
        by_office = period(centre_store, START, END, by="office")
        total = period(centre_store, START, END)
        # the district's board of any office is that office's own board
        for agency in AGENCIES:
            assert day_json(day_board(centre_store, office=agency)) == boards[agency]
        everyone = _board_figures(day_board(centre_store, office=ALL_OFFICES))
    finally:
        centre_store.close()
        database.initialize(None)
    rows = {r.key: _figures(r.tally) for r in by_office.rows}
    assert len(rows) == len(AGENCIES)
    assert sorted(rows.values(), key=str) == sorted(own.values(), key=str)
    summed = {k: sum(o[k] for o in own.values()) for k in next(iter(own.values()))}
    assert _figures(total.total) == summed == _figures(by_office.total)
    assert len(by_office.ranking) == len(AGENCIES)
    assert everyone == {k: sum(f[k] for f in figures.values()) for k in everyone}
    assert everyone["received"] > 0


def _board_figures(board: Any) -> dict[str, int]:
    return {"received": sum(n for _, n in board.received_by_channel),
            "resolved": board.resolved, "returned": board.returned, "due": board.due,
            "overdue": board.overdue, "supplements": board.supplements,
            "tickets": sum(g.issued for g in board.groups)}
