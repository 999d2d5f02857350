"""`python -m tests.perf [--quick] [--postgres] [--compare REF] [bench_name ...]`: every
benchmark (or those named), one after the other, printing each figure beside its floor
measured in the same run.

- `--quick`: a 100,000-dossier store instead of 1,000,000, fewer runs;
- `--postgres`: the store benchmarks (worklists, reports and import, look-ups) on a
  PostgreSQL server started on 127.0.0.1 on a data folder loaded with the generated rows by
  COPY on first use and kept for the next run (tests/perf/province.py; needs the server
  binaries: `apt-get install postgresql`);
- `--dossiers N` (and `--tickets N`, twice as many by default): the store benchmarks' size,
  e.g. a province's 10,000,000 dossiers over five years:
  `python -m tests.perf --postgres --dossiers 10000000 --tickets 10000000 bench_reports
  bench_worklists bench_lookup` (the first run loads for about 25 minutes on two cores and
  keeps about 21 GB; not part of CI);
- `--compare REF`: the same benchmarks on this tree and on REF (a commit, branch or tag of this
  repository, unpacked with `git archive`), run alternately, A B A B ... (`--rounds N`, 2 by
  default), so both meet the same load; prints each figure's median for both and their ratio.
  Each side gets a generated store of its own schema (kept in the cache folder under the
  name of its migrations), since the two sides' migrations differ.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCHES = ["bench_startup", "bench_cli", "bench_queue", "bench_intake", "bench_lookup",
           "bench_printing", "bench_reports", "bench_worklists", "bench_i18n", "bench_live",
           "bench_forms", "bench_sync", "bench_scan"]
STORE_BENCHES = {"bench_reports", "bench_worklists", "bench_lookup"}
ROOT = Path(__file__).resolve().parents[2]


def _option(name: str) -> str | None:
    if name in sys.argv:
        at = sys.argv.index(name)
        if at + 1 < len(sys.argv):
            return sys.argv[at + 1]
    return None


def run(names: list[str], quick: bool, engine: str) -> None:
    for name in names:
        try:
            module = importlib.import_module(f"tests.perf.{name}")
        except ModuleNotFoundError:
            print(f"({name}: not present)")
            continue
        print(f"== {name}", flush=True)
        parameters = inspect.signature(module.main).parameters
        if name == "bench_lookup":
            module.main(quick, (engine,))
        elif "engine" in parameters:
            module.main(quick, engine)
        elif engine == "sqlite" or name not in STORE_BENCHES:
            module.main(quick)


def _side(tree: Path, work: Path, label: str) -> tuple[Path, dict[str, str]]:
    """A folder to run the benchmarks from (this tree's tests/perf, `tree`'s application) and
    its environment."""
    cwd = work / f"cwd-{label}"
    cwd.mkdir()
    (cwd / "tests").symlink_to(ROOT / "tests")
    migrations = sorted(p.name for p in (tree / "db" / "migrations").glob("[0-9]*.py"))
    schema = hashlib.sha1("\n".join(migrations).encode()).hexdigest()[:10]
    from tests.perf.dataset import CACHE

    env = {**os.environ, "PYTHONPATH": str(tree), "COUNTER_PERF_CACHE": str(CACHE / schema)}
    return cwd, env


def compare(ref: str, names: list[str], quick: bool, engine: str, rounds: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="counter-perf-compare-"))
    tree = work / "ref"
    tree.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    sides = {"this tree": _side(ROOT, work, "a"), ref: _side(tree, work, "b")}
    args = [*names, *(["--quick"] if quick else []),
            *(["--postgres"] if engine == "postgres" else [])]
    figures: dict[str, dict[str, list[float]]] = {label: {} for label in sides}
    for round_ in range(rounds):
        for label, (cwd, env) in sides.items():
            out = work / f"figures-{round_}-{len(label)}.jsonl"
            print(f"== round {round_ + 1}: {label}", flush=True)
            subprocess.run([sys.executable, "-m", "tests.perf", *args], cwd=cwd,
                           env={**env, "COUNTER_PERF_FIGURES": str(out)}, check=False)
            if out.exists():
                for line in out.read_text(encoding="utf-8").splitlines():
                    figure = json.loads(line)
                    figures[label].setdefault(figure["name"], []).append(figure["median"])
                    if "ratio" in figure:  # to its floor, in that run: what load cannot move
                        figures[label].setdefault(f"  {figure['name'][:28].strip()}: /floor",
                                                  []).append(figure["ratio"])
    a, b = sides
    print(f"\n== {a} (A) against {ref} (B), {rounds} rounds alternately; medians of the "
          "rounds' medians", flush=True)
    for name, values in figures[a].items():
        other = figures[b].get(name)
        if not other:
            print(f"{name:<44} A {statistics.median(values):10.2f}  B (none)", flush=True)
            continue
        ma, mb = statistics.median(values), statistics.median(other)
        print(f"{name:<44} A {ma:10.2f}  B {mb:10.2f}  A/B {ma / mb if mb else 0:6.2f}",
              flush=True)


def main() -> None:
    quick = "--quick" in sys.argv
    engine = "postgres" if "--postgres" in sys.argv else "sqlite"
    ref, rounds = _option("--compare"), int(_option("--rounds") or 2)
    values = {ref, _option("--rounds"), _option("--dossiers"), _option("--tickets")}
    for option, variable in (("--dossiers", "COUNTER_PERF_DOSSIERS"),
                             ("--tickets", "COUNTER_PERF_TICKETS")):
        if _option(option):  # read by tests/perf/dataset.sizes, here and in --compare's runs
            os.environ[variable] = str(int(_option(option) or 0))
    only = [a for a in sys.argv[1:] if not a.startswith("-") and a not in values]
    if ref:
        compare(ref, only or BENCHES, quick, engine, rounds)
    else:
        run(only or BENCHES, quick, engine)


if __name__ == "__main__":
    main()
