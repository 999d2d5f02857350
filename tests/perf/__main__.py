"""`python -m tests.perf [--quick]`: every benchmark, one after the other, printing figures."""

from __future__ import annotations

import importlib
import sys

BENCHES = ["bench_startup", "bench_queue", "bench_intake", "bench_lookup", "bench_printing",
           "bench_reports", "bench_worklists", "bench_i18n", "bench_live", "bench_forms"]


def main() -> None:
    quick = "--quick" in sys.argv
    only = [a for a in sys.argv[1:] if not a.startswith("-")]
    for name in only or BENCHES:
        try:
            module = importlib.import_module(f"tests.perf.{name}")
        except ModuleNotFoundError:
            print(f"({name}: not present)")
            continue
        print(f"== {name}", flush=True)
        module.main(quick)


if __name__ == "__main__":
    main()
