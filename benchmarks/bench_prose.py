"""Prose stage speed: jieba's one-time load, and milliseconds per report for facts and keywords.

Issue 13: jieba's dictionary load (~1 s) happens once per process, lazily, and only section 五 is
segmented; section 一 facts are regexes. Run from the repository root:
``python benchmarks/bench_prose.py``. Prints CPU time (steady on a busy machine).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gongkai.convert.stages import extract_file
from gongkai.extractors.prose import prose_facts
from gongkai.extractors.prose.keywords import KEYWORD_SECTION, keywords_of
from gongkai.extractors.prose.segmenter import tokenizer

REPEATS = 5
ROUNDS = 20
DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
SAMPLES = ("hb-zhuozhou-district-gov-2024.txt", "fj-pingtan-zone-gov-2019.txt",
           "sh-municipal-gov-office-2019.html", "js-huaian-city-gov-2024.pdf")


def ms(run: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.process_time()
        for _ in range(ROUNDS):
            run()
        times.append((time.process_time() - start) / ROUNDS * 1000)
    return statistics.median(times)


def main() -> None:
    start = time.process_time()
    tokenizer()
    print(f"jieba load (once per process): {time.process_time() - start:.2f} s CPU")
    for name in SAMPLES:
        sections = extract_file(DATA / name).sections
        five = next((s.text for s in sections if s.section == KEYWORD_SECTION), "")
        facts_ms = ms(partial(prose_facts, sections))
        keywords_ms = ms(partial(keywords_of, five))
        print(f"{name:40s} facts {facts_ms:6.2f} ms   keywords {keywords_ms:6.2f} ms")


if __name__ == "__main__":
    main()
