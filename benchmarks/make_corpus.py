"""Write a synthetic corpus: N good reports per format plus ~2% bad files.

usage: python benchmarks/make_corpus.py OUT_DIR [--n 1000] [--formats .txt,.html] [--seed 0]
Formats without a renderer in tests/synth/ are skipped (text is always there).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.synth.corpus import GeneratedBatch, available_renderers, make_batch


def make_corpus(out: Path, n: int, formats: tuple[str, ...], seed: int = 0) -> GeneratedBatch:
    return make_batch(out, n, seed=seed, formats=formats)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=1000, help="good reports per format")
    parser.add_argument("--formats", default=",".join(available_renderers()))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    for suffix in args.formats.split(","):
        batch = make_corpus(args.out / suffix.strip("."), args.n, (suffix,), args.seed)
        print(f"{suffix}: {len(batch.good)} good, {len(batch.bad)} bad files under {batch.root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
