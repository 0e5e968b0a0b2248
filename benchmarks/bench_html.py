"""HTML reader speed: milliseconds per page, reader alone and whole extraction.

Target (issue 5): HTML batches at >= 200 reports/s per core, i.e. at most ~4 ms per synthetic
page for the whole extraction (``extract_bytes``), and the two real pages in tests/data at least
twice as fast as before the reader was tuned (26 ms and 10 ms). Run from the repository root:
``python benchmarks/bench_html.py`` (``--pages N`` for a different synthetic corpus size).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gongkai.convert.stages import extract_bytes
from gongkai.extractors.readers.html import read
from tests.synth.render_html import render_html
from tests.synth.truth import make_truth

REPEATS = 5
FIRST_SEED = 2000
DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
REAL_PAGES = ("fj-pingtan-zone-gov-2019.html", "sh-municipal-gov-office-2019.html")


def ms_per_page(pages: list[bytes], run: Callable[[bytes, str], object]) -> float:
    """Median over REPEATS runs of the mean CPU milliseconds per page (steady on a busy machine)."""
    times = []
    for _ in range(REPEATS):
        start = time.process_time()
        for i, data in enumerate(pages):
            run(data, f"page{i}.html")
        times.append((time.process_time() - start) / len(pages) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100, help="synthetic pages (default 100)")
    args = parser.parse_args()
    def reader(data: bytes, source: str) -> object:
        return read(data, source)

    corpus = {f"synthetic ({args.pages} pages)": [render_html(make_truth(s))
                                                   for s in range(FIRST_SEED, FIRST_SEED + args.pages)]}
    for name in REAL_PAGES:
        corpus[name] = [(DATA / name).read_bytes()] * 10
    print(f"{'corpus':<40} {'reader ms/page':>15} {'extract ms/page':>16}")
    for name, pages in corpus.items():
        print(f"{name:<40} {ms_per_page(pages, reader):>15.2f} {ms_per_page(pages, extract_bytes):>16.2f}")


if __name__ == "__main__":
    main()
