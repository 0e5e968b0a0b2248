"""Per-document speed of text and HTML reports against a regex-only yardstick, in one process.

Issue 15 measures gongkai against a regex-only parser, side by side in one process with
alternating runs. This script does the same with ``regex_yardstick.py`` (a minimal regex reader
of the same three tables written for this benchmark, not a peer's code): per corpus, rounds of
gongkai's whole extraction (``extract_bytes``), gongkai's reader alone, and the yardstick, each
round timing every document once (CPU time); the best round of each counts. Prints
ms/document and the ratio gongkai / yardstick. Run from the repository root:
``python benchmarks/bench_documents.py`` (``--docs N``, ``--rounds N``; ``--gc worker`` tunes
garbage collection as a batch worker does).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from regex_yardstick import read_document

from gongkai.batch.executors import tune_gc
from gongkai.convert.formats import READERS, Reader
from gongkai.convert.stages import extract_bytes
from gongkai.model.settings import ExtractSettings
from tests.synth.render_html import HtmlVariant, render_html
from tests.synth.render_text import render_tab
from tests.synth.truth import make_truth

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
REAL = {".txt": ("fj-pingtan-zone-gov-2019.txt", "hb-zhuozhou-district-gov-2024.txt"),
        ".html": ("fj-pingtan-zone-gov-2019.html", "sh-municipal-gov-office-2019.html")}
FIRST_SEED = 5000
SETTINGS = ExtractSettings()

Corpus = list[tuple[bytes, str]]


def synthetic_text(count: int) -> Corpus:
    return [(render_tab(make_truth(s), s).encode("utf-8"), f"s{s}.txt")
            for s in range(FIRST_SEED, FIRST_SEED + count)]


def synthetic_html(count: int) -> Corpus:
    """Pages in the variants of tests/synth/render_html.py, drawn at random (fixed seed)."""
    rng = random.Random(15)
    pages: Corpus = []
    for s in range(FIRST_SEED, FIRST_SEED + count):
        variant = HtmlVariant(merged=rng.random() < 0.7, chrome=rng.random() < 0.5,
                              br_in_labels=rng.random() < 0.3, span_labels=rng.random() < 0.3,
                              nbsp_blanks=rng.random() < 0.5, split_t3=rng.random() < 0.2,
                              encoding=rng.choice(["utf-8", "gbk"]))
        pages.append((render_html(make_truth(s), variant), f"s{s}.html"))
    return pages


def real(suffix: str) -> Corpus:
    return [((DATA / name).read_bytes(), name) for name in REAL[suffix]]


def ms_per_document(corpus: Corpus, run: Callable[[bytes, str], object]) -> float:
    start = time.process_time()
    for data, name in corpus:
        run(data, name)
    return (time.process_time() - start) / len(corpus) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200, help="synthetic documents per format (default 200)")
    parser.add_argument("--rounds", type=int, default=7, help="alternating rounds (default 7)")
    parser.add_argument("--gc", choices=("default", "worker"), default="default",
                        help="garbage collection: Python's defaults, or as a batch worker tunes it "
                             "(gongkai.batch.executors.tune_gc)")
    args = parser.parse_args()
    if args.gc == "worker":
        tune_gc()
    corpora = {
        f"synthetic text ({args.docs})": synthetic_text(args.docs),
        "real text (tests/data, 2)": real(".txt") * 25,
        f"synthetic HTML ({args.docs})": synthetic_html(args.docs),
        "real HTML (tests/data, 2)": real(".html") * 25,
    }
    print(f"{'corpus':<28} {'gongkai ms':>10} {'reader ms':>10} {'yardstick ms':>13} {'ratio':>6}")
    for name, corpus in corpora.items():
        suffix = Path(corpus[0][1]).suffix
        format_reader = READERS[suffix.lstrip(".")]

        def read_only(data: bytes, source: str, reader: Reader = format_reader) -> object:
            return reader(data, source, SETTINGS)

        def yardstick(data: bytes, source: str, suffix: str = suffix) -> object:
            return read_document(data, suffix)

        runs = {"gongkai": extract_bytes, "reader": read_only, "yardstick": yardstick}
        for run in runs.values():  # warm caches and imports
            ms_per_document(corpus[:5], run)
        best = dict.fromkeys(runs, float("inf"))
        for _ in range(args.rounds):
            for key, run in runs.items():
                best[key] = min(best[key], ms_per_document(corpus, run))
        print(f"{name:<28} {best['gongkai']:>10.2f} {best['reader']:>10.2f} {best['yardstick']:>13.3f} "
              f"{best['gongkai'] / best['yardstick']:>6.1f}")


if __name__ == "__main__":
    main()
