"""Many terminals live on one store: how soon a commit on one is on another's screen.

20 simulated terminals, each its own process with its own store connection and change feed
(services.changes), as the app runs them: 16 counters that call the next ticket, 2 kiosks
that issue tickets and print them, 2 waiting-room displays. Every terminal reloads what its
screen shows when its feed reports a change (one read at a time; a change heard during a read
means one more read), never on a timer. The office works at RATE x a busy office's pace.

Printed:
- commit -> seen: from a commit on one terminal to the end of the first reload of another
  terminal that began after that commit (the moment the new state is on its screen), over
  every (commit, other terminal) pair; target p95 <= 300 ms.
- called shown as waiting: reloads that showed a ticket as waiting although its call had been
  committed before the reload began (must be 0), and how long at most a terminal kept showing
  a called ticket as waiting (that is the latency above, said for the officer).
- how long one reload takes while every terminal reloads at once (on one machine they share
  its cores; in an office each counter has its own PC)
- the store's load per idle terminal, with the office quiet: transactions per second per
  terminal (PostgreSQL: pg_stat_database; SQLite: data_version polls), beside what the
  former 2-second timer of full reloads cost.
- the floor (PostgreSQL), on the same server at the same moment: a bare NOTIFY heard by a bare
  listener, and one `SELECT 1` round trip; and the machine's load at the end, since the
  machine may be shared.

`python -m tests.perf bench_live [--quick] [--sqlite]` (PostgreSQL by default; --sqlite for
the terminals sharing one file on one machine).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pwd
import random
import statistics
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path
from typing import Any

TERMINALS = 20
COUNTERS, KIOSKS, DISPLAYS = 16, 2, 2
# A busy office: 20 counters, a citizen every 4 minutes at each: 5 tickets issued and 5 called
# a minute. RATE times that.
RATE = 10
BUSY_PER_SECOND = 5 / 60


def _config(folder: Path, url: str) -> Path:
    from tests.conftest import toml_dumps
    from tests.perf.common import ROOT

    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    data["database"] = {"url": url}
    data["counters"] = [{"number": n, "name": f"Quầy {n}", "groups": ["A", "B", "C", "D"]}
                        for n in range(1, COUNTERS + 1)]
    data["printer"] = {**data.get("printer", {}), "kind": "file",
                       "target": str(folder / "printer.bin")}
    data["data"] = str(folder / "data")
    (folder / "data").mkdir(exist_ok=True)
    path = folder / "config.toml"
    path.write_text(toml_dumps(data), encoding="utf-8")
    return path


def _store(config_path: str, counter: int | None, role: str) -> Any:
    from counter_tui import config
    from counter_tui.core.roles import Actor, Role
    from counter_tui.services.store import open_store

    cfg = config.load(config_path)
    store = open_store(cfg, seed=False).as_terminal(counter, f"t{counter or role}")
    store.actor = Actor(username=role, full_name=role, roles=frozenset({Role(role)}))
    return store


def terminal(index: int, kind: str, config_path: str, rate: float, plan: Any, go: Any,
             ready: Any, out: Any) -> None:
    """One terminal: its screen's reloads on change, and its own work at `rate` per second.
    `plan` holds (start, end of work, end) once every terminal is ready (`go`)."""
    from counter_tui.services import changes, display, printjobs, queue

    counter = index + 1 if kind == "counter" else None
    role = {"counter": "officer", "kiosk": "kiosk", "display": "display"}[kind]
    store = _store(config_path, counter, role)
    heard = threading.Event()
    live = threading.Event()
    heard_at: list[float] = []

    def change() -> None:
        heard_at.append(time.time())
        heard.set()

    feed = changes.ChangeFeed(store.db, change,
                              on_status=lambda up: live.set() if up else None).start()
    live.wait(30)
    ready.put(index)
    go.wait()
    start_at, active_until, stop_at = plan[0], plan[1], plan[2]
    commits: list[tuple[str, float, int]] = []  # (kind, committed at, ticket id)
    reloads: list[tuple[float, float, tuple[int, ...]]] = []  # (began, ended, waiting ids)
    rng = random.Random(index)

    def work() -> None:
        time.sleep(max(0.0, start_at - time.time()))
        while time.time() < active_until:
            time.sleep(rng.expovariate(rate))
            if time.time() >= active_until:
                break
            if kind == "kiosk":
                issued = queue.issue(store, rng.choice("ABCD"))
                printjobs.claim(store, issued.print_job)
                printjobs.sent(store, issued.print_job)  # now it waits in the queue
                commits.append(("issue", time.time(), issued.ticket.id))
            elif kind == "counter":
                called = queue.call_next(store, counter)
                if called is not None:
                    commits.append(("call", time.time(), called.id))

    def reload() -> None:
        began = time.time()
        if kind == "display":
            display.board(store)  # numbers and counts: no waiting ticket listed
            shown: tuple[int, ...] = ()
        else:
            ov = queue.overview(store, counter or 1)
            shown = tuple(t.id for t in ov.waiting)
        reloads.append((began, time.time(), shown))

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    reload()
    while time.time() < stop_at:
        if heard.wait(0.2):
            heard.clear()
            reload()  # a change heard during this read is read again next
    worker.join(timeout=5)
    feed.stop()
    out.put((index, kind, commits, reloads, feed.wakeups, heard_at))
    store.close()


def _pg_server() -> Any:
    from tests.conftest import PostgresServer, _pg_prerequisites

    bindir, as_user = _pg_prerequisites()
    root = Path(tempfile.mkdtemp(prefix="counter-perf-live-"))
    if as_user:
        entry = pwd.getpwnam("postgres")
        os.chown(root, entry.pw_uid, entry.pw_gid)
    server = PostgresServer(bindir=bindir, root=root, port=0, as_user=as_user)
    server.start()
    return server


def _log_statements(server: Any, on: bool) -> None:
    conn = server.connect()
    try:
        cur = conn.cursor()
        cur.execute(f"ALTER SYSTEM SET log_statement = '{'all' if on else 'none'}'")
        cur.execute("SELECT pg_reload_conf()")
    finally:
        conn.close()
    time.sleep(0.5)  # every backend has read the new setting


def _mark(server: Any, name: str, text: str) -> None:
    conn = server.connect(name)
    try:
        conn.cursor().execute(f"SELECT 'counter-tui-mark-{text}'")
    finally:
        conn.close()


def _statements_between(server: Any, first: str, last: str) -> int:
    """Statements the server logged between two marks (the marks left out)."""
    text = (server.root / "server.log").read_text(errors="replace")
    part = text.split(f"counter-tui-mark-{first}", 1)[1].split(f"counter-tui-mark-{last}")[0]
    return sum(1 for line in part.splitlines() if "LOG:  statement:" in line)


def _notify_floor(server: Any, name: str, rounds: int = 40) -> tuple[list[float], list[float]]:
    """The floor of commit -> heard, on the same server at the same moment: a bare NOTIFY
    committed on one connection and heard by a bare listener blocked in select() (no
    settling, no reload); and the floor of a reload: one `SELECT 1` round trip."""
    import select

    talker, listener = server.connect(name), server.connect(name)
    try:
        talker.autocommit = listener.autocommit = True
        listener.cursor().execute("LISTEN counter_tui_floor")
        cur = talker.cursor()
        heard: list[float] = []
        trip: list[float] = []
        for _ in range(rounds):
            began = time.perf_counter()
            cur.execute("NOTIFY counter_tui_floor")
            while not listener.notifies:
                select.select([listener], [], [], 1.0)
                listener.poll()
            heard.append((time.perf_counter() - began) * 1000)
            listener.notifies.clear()
            began = time.perf_counter()
            cur.execute("SELECT 1")
            cur.fetchall()
            trip.append((time.perf_counter() - began) * 1000)
            time.sleep(0.02)
        return heard, trip
    finally:
        talker.close()
        listener.close()


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * (len(ordered) - 1) + 0.5))]


def _analyse(results: list[Any]) -> dict[str, Any]:
    all_commits = [(i, kind, at, tid) for i, _, commits, _, _, _ in results
                   for kind, at, tid in commits]
    calls = {tid: at for _, kind, at, tid in all_commits if kind == "call"}
    latencies: list[float] = []
    heard: list[float] = []
    stale_shown = 0
    for index, _, _, reloads, _, heard_at in results:
        ends = sorted(reloads)
        times = sorted(heard_at)
        for who, _, at, _ in all_commits:
            if who == index:
                continue
            seen = next((end for began, end, _ in ends if began >= at), None)
            if seen is not None:
                latencies.append((seen - at) * 1000)
            told = next((h for h in times if h >= at), None)
            if told is not None:
                heard.append((told - at) * 1000)
        for began, _, shown in reloads:
            stale_shown += sum(1 for tid in shown if tid in calls and calls[tid] < began)
    return {"latencies": latencies, "heard": heard, "stale": stale_shown,
            "issues": sum(1 for c in all_commits if c[1] == "issue"),
            "calls": len(calls), "reloads": sum(len(r[3]) for r in results)}


def _overview_cost(server: Any, name: str, config_path: Path) -> float:
    """Statements one full reload of the counter screen sends (the former 2-s timer's)."""
    from counter_tui.services import queue

    store = _store(str(config_path), 1, "officer")
    queue.overview(store, 1)  # connected
    _mark(server, name, "reload-start")
    for _ in range(10):
        queue.overview(store, 1)
    _mark(server, name, "reload-end")
    store.close()
    return _statements_between(server, "reload-start", "reload-end") / 10


def run(engine: str, quick: bool) -> None:
    active = 20.0 if quick else 60.0
    idle = 10.0
    folder = Path(tempfile.mkdtemp(prefix="counter-perf-live-office-"))
    server = None
    name = "live"
    if engine == "postgres":
        server = _pg_server()
        url = server.create_database(name)
    else:
        url = f"sqlite:///{folder / 'data' / 'counter.db'}"
    try:
        config_path = _config(folder, url)
        from counter_tui import config
        from counter_tui.services.store import open_store

        open_store(config.load(str(config_path))).close()  # migrated and seeded once
        kinds = ["counter"] * COUNTERS + ["kiosk"] * KIOSKS + ["display"] * DISPLAYS
        per_second = BUSY_PER_SECOND * RATE
        rates = {"counter": per_second / COUNTERS, "kiosk": per_second / KIOSKS,
                 "display": 0.0}
        ctx = mp.get_context("spawn")
        out, ready, go = ctx.Queue(), ctx.Queue(), ctx.Event()
        plan = ctx.Array("d", 3)
        procs = [ctx.Process(target=terminal, args=(
            i, kind, str(config_path), rates[kind] or 1.0, plan, go, ready, out))
            for i, kind in enumerate(kinds)]
        for p in procs:
            p.start()
        for _ in procs:  # every terminal has its store and hears the feed
            ready.get(timeout=300)
        time.sleep(2.0)  # the last ones' start-up work done
        start_at = time.time() + 0.5
        active_until = start_at + active
        stop_at = active_until + idle + 5.0
        plan[0], plan[1], plan[2] = start_at, active_until, stop_at
        go.set()
        print(f"  {os.getloadavg()[0]:.2f} load (1 min) on {os.cpu_count()} cores at the "
              f"start", flush=True)
        idle_from = idle_to = 0.0
        idle_xacts = 0
        if server is not None:
            time.sleep(max(0.0, active_until + 1.0 - time.time()))  # the last reloads done
            _log_statements(server, True)
            idle_from = time.time()
            _mark(server, name, "idle-start")
            time.sleep(idle)
            _mark(server, name, "idle-end")
            idle_to = time.time()
            idle_xacts = _statements_between(server, "idle-start", "idle-end")
        results = [out.get(timeout=stop_at - time.time() + 60) for _ in procs]
        for p in procs:
            p.join(timeout=10)
        found = _analyse(results)
        lat = found["latencies"]
        print(f"{engine}: {TERMINALS} terminals ({COUNTERS} counters, {KIOSKS} kiosks, "
              f"{DISPLAYS} displays), {active:.0f} s at {RATE}x a busy office "
              f"({per_second * 60:.0f} issued and called a minute): "
              f"{found['issues']} issued, {found['calls']} called, "
              f"{found['reloads']} reloads", flush=True)
        if server is not None:
            heard_floor, trip_floor = _notify_floor(server, name)
            print(f"  floor, same server, same moment: a NOTIFY heard by a bare listener "
                  f"median {statistics.median(heard_floor):.1f} ms, p95 "
                  f"{_percentile(heard_floor, 0.95):.1f} ms; one SELECT 1 round trip median "
                  f"{statistics.median(trip_floor):.1f} ms, p95 "
                  f"{_percentile(trip_floor, 0.95):.1f} ms", flush=True)
        if lat:
            print(f"  commit -> seen on another terminal: median "
                  f"{statistics.median(lat):.0f} ms, p95 {_percentile(lat, 0.95):.0f} ms, "
                  f"max {max(lat):.0f} ms (n={len(lat)})  target p95 <= 300 ms", flush=True)
        if found["heard"]:
            h = found["heard"]
            print(f"  commit -> the other terminal's feed hears it: median "
                  f"{statistics.median(h):.0f} ms, p95 {_percentile(h, 0.95):.0f} ms "
                  f"(n={len(h)})", flush=True)
        took = [(end - began) * 1000 for r in results for began, end, _ in r[3]]
        if took:
            print(f"  one reload (its queries and the Python around them, {TERMINALS} at "
                  f"once on {os.cpu_count()} cores): median {statistics.median(took):.0f} ms, "
                  f"p95 {_percentile(took, 0.95):.0f} ms", flush=True)
        print(f"  reloads showing a ticket as waiting after its call was committed: "
              f"{found['stale']} (must be 0)", flush=True)
        if server is not None:
            seconds = idle_to - idle_from
            per = idle_xacts / seconds / TERMINALS
            cost = _overview_cost(server, name, config_path)
            _log_statements(server, False)
            print(f"  idle office, {seconds:.0f} s: {idle_xacts} statements reached the "
                  f"server from {TERMINALS} terminals = {per:.3f} per terminal per second "
                  f"(the former 2-s timer of full reloads: {cost:.0f} statements a reload = "
                  f"{cost / 2:.1f} per terminal per second)", flush=True)
        else:
            polls = sum(r[4] for r in results) / TERMINALS / (stop_at - start_at)
            print(f"  idle terminal: about {polls:.0f} data_version reads a second (no I/O: "
                  f"the shared WAL index), and no query", flush=True)
        from tests.perf import floors

        print(f"  {floors.load()} at the end (the machine is shared: other people's work "
              f"counts in it)", flush=True)
    finally:
        if server is not None:
            server.stop()


def main(quick: bool = False) -> None:
    engines = [e for e in ("postgres", "sqlite") if f"--{e}" in sys.argv] or ["postgres"]
    for engine in engines:
        try:
            run(engine, quick)
        except Exception as exc:  # no server binaries here: say so
            print(f"({engine} not measured: {type(exc).__name__}: {exc})", flush=True)


if __name__ == "__main__":
    main("--quick" in sys.argv)
