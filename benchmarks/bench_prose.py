"""Prose stage speed: the one-time costs (lexicon build, per-process start), ms per report.

Issue 13: jieba is loaded once per process, lazily, and only section 五 is segmented; section 一
facts are regexes. jieba's dictionary and IDF table are read word by word from the lexicon cache
(extractors/prose/lexicon.py), built once per user and jieba install. Run from the repository
root: ``python benchmarks/bench_prose.py``. Prints CPU time (steady on a busy machine). "first"
is the first keywords call on a sample (its words looked up in the lexicon file), "repeat" the
median of later calls (lookups memoized in the process).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gongkai.convert.stages import extract_file
from gongkai.extractors.prose import prose_facts
from gongkai.extractors.prose.keywords import KEYWORD_SECTION, keywords_of
from gongkai.extractors.prose.lexicon import build_lexicon, import_jieba, jieba_resource
from gongkai.extractors.prose.segmenter import lexicon, tokenizer

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


def seconds(run: Callable[[], object]) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def build_once() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        build_lexicon(Path(tmp) / "lexicon.cache", jieba_resource("dict.txt"), jieba_resource("analyse", "idf.txt"))


def main() -> None:
    print(f"import jieba (once per process):       {seconds(import_jieba):.3f} s CPU")
    print(f"lexicon build (once per user, install): {seconds(build_once):.2f} s CPU")
    print(f"lexicon open (once per process):       {seconds(lexicon):.3f} s CPU")
    print(f"tokenizer + domain terms (per process): {seconds(tokenizer):.3f} s CPU")
    sections = {name: extract_file(DATA / name).sections for name in SAMPLES}
    for name in SAMPLES:
        five = next((s.text for s in sections[name] if s.section == KEYWORD_SECTION), "")
        first_ms = seconds(partial(keywords_of, five)) * 1000
        facts_ms = ms(partial(prose_facts, sections[name]))
        keywords_ms = ms(partial(keywords_of, five))
        print(f"{name:36s} facts {facts_ms:5.2f} ms   keywords first {first_ms:6.2f} ms, repeat {keywords_ms:5.2f} ms")


if __name__ == "__main__":
    main()
