"""Messages: what the catalogues cost at start and per lookup.

Each figure that includes an import runs in a fresh interpreter, as the app starts: importing
`counter_tui.core.i18n`, then the first lookup in each language (which reads that language's
.mo file), then lookups on a warm catalogue.
"""

from __future__ import annotations

import subprocess
import sys
import timeit

from tests.perf.common import summary

IMPORT = ("import time; s = time.perf_counter(); import counter_tui.core.i18n; "
          "print((time.perf_counter() - s) * 1000)")
LOAD_BOTH = ("import time; from counter_tui.core import i18n; s = time.perf_counter(); "
             "i18n.t('app.quit'); i18n.set_language('en'); i18n.t('app.quit'); "
             "print((time.perf_counter() - s) * 1000)")
SETUP = "from counter_tui.core.i18n import t, tn; t('app.quit')"
LOOKUPS = {
    "t(key)": "t('queue_rules.state.waiting')",
    "t(key, **fields)": "t('codes.agency.invalid', value='x', max=3)",
    "tn(key, n)": "tn('slip.receipt.copies', 2)",
}


def fresh(code: str, runs: int) -> list[float]:
    return [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(runs)]


def main(quick: bool = False) -> None:
    runs = 10 if quick else 30
    summary("import counter_tui.core.i18n (fresh)", fresh(IMPORT, runs))
    summary("first lookup in vi and en (reads both .mo)", fresh(LOAD_BOTH, runs))
    number = 20_000 if quick else 200_000
    for name, statement in LOOKUPS.items():
        best = [t / number * 1e9 for t in timeit.repeat(statement, SETUP, number=number,
                                                          repeat=5)]
        summary(name, best, unit="ns")


if __name__ == "__main__":
    main("--quick" in sys.argv)
