"""PDF reader speed: whole-report ``read()`` vs pdfplumber ``extract_tables()`` on every page.

Target (issue 4): ``read()`` takes at most 25% of the baseline, with identical table values
(every non-None cell of pdfplumber's multi-column tables equals the reader's anchor cell at the
same position, whitespace removed). Run from the repository root: ``python benchmarks/bench_pdf.py``.
"""

from __future__ import annotations

import re
import sys
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pdfplumber

from gongkai.extractors.readers.pdf import read
from gongkai.model.document import TableBlock
from tests.synth.render_pdf import PdfVariant, render_pdf
from tests.synth.truth import make_truth

REPEATS = 3
SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "data" / "js-huaian-city-gov-2024.pdf"

Grid = list[list[str | None]]


def baseline_tables(data: bytes) -> list[Grid]:
    with pdfplumber.open(BytesIO(data)) as pdf:
        return [t for page in pdf.pages for t in page.extract_tables()]


def _squash(text: str | None) -> str | None:
    return None if text is None else re.sub(r"\s+", "", text)


def reader_grid(block: TableBlock) -> Grid:
    grid: Grid = [[None] * block.n_cols for _ in range(block.n_rows)]
    for cell in block.cells:
        grid[cell.row][cell.col] = cell.text
    return grid


def same_tables(data: bytes) -> bool:
    expected = [[[_squash(c) for c in row] for row in t] for t in baseline_tables(data) if len(t[0]) > 1]
    got = [[[_squash(c) for c in row] for row in reader_grid(b)]
           for b in read(data, "bench.pdf").tables()]
    return expected == got


def best_time(fn: object, data: bytes) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        fn(data)  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def bench(name: str, data: bytes) -> float:
    base = best_time(baseline_tables, data)
    ours = best_time(lambda d: read(d, "bench.pdf"), data)
    with pdfplumber.open(BytesIO(data)) as pdf:
        pages = len(pdf.pages)
    ratio = ours / base
    print(f"{name:44s} {pages:3d} pages  extract_tables {base * 1000:8.1f} ms  read {ours * 1000:7.1f} ms"
          f"  ratio {ratio:5.1%}  identical tables: {same_tables(data)}")
    return ratio


def main() -> None:
    cases: list[tuple[str, bytes]] = []
    if SAMPLE.exists():
        cases.append(("js-huaian-city-gov-2024.pdf", SAMPLE.read_bytes()))
    for seed, before, after in ((1, 60, 100), (2, 150, 150), (3, 90, 200)):
        truth = make_truth(seed, "F2021", big=True)
        cases.append((f"synthetic seed {seed} (horizontal 三 label)",
                      render_pdf(truth, PdfVariant(filler_before=before, filler_after=after,
                                                   vertical_result_label=False), seed)))
        cases.append((f"synthetic seed {seed} (vertical 三 label)",
                      render_pdf(truth, PdfVariant(filler_before=before, filler_after=after), seed)))
    ratios = [bench(name, data) for name, data in cases]
    print(f"worst ratio {max(ratios):.1%} (target <= 25%)")


if __name__ == "__main__":
    main()
