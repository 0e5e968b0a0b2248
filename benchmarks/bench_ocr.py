"""OCR speed (issue 14): seconds per scanned page, split into its steps, on this machine's CPU
(or GPU when onnxruntime's CUDA provider is present).

A scanned copy of the Huai'an report (6 pages, 200 dpi, skewed, noisy, JPEG) is read page by page;
for each page: rendering + deskew + ruling-line grid (OpenCV), cell recognition, the text pass
(detection + recognition outside the tables), and the page total; then the whole report through
``extract_bytes`` (all stages, the OCR gate included). The first page pays the model loading,
reported apart. Run from the repository root: ``python benchmarks/bench_ocr.py [dpi]``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pypdfium2 as pdfium

from gongkai.convert.stages import extract_bytes
from gongkai.extractors.ocr.engine import shared_engine
from gongkai.extractors.ocr.grid import find_grids, read_cells
from gongkai.extractors.ocr.image import deskew, render_page
from gongkai.extractors.ocr.page import read_image
from tests.ocr_scans import ScanStyle, scan_pdf

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "data" / "js-huaian-city-gov-2024.pdf"


def main() -> None:
    dpi = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    scan = scan_pdf(SAMPLE.read_bytes(), ScanStyle(dpi=dpi, skew=0.7, noise=0.002, jpeg_quality=60))
    started = time.perf_counter()
    engine = shared_engine()
    engine.read([np.full((32, 64), 255, dtype=np.uint8)])  # load the recogniser
    engine.lines(np.full((64, 64), 255, dtype=np.uint8))  # and the detector
    print(f"model loading: {time.perf_counter() - started:.2f} s  (GPU: {engine.uses_gpu})")
    pdf = pdfium.PdfDocument(scan)
    totals: list[float] = []
    print(f"{'page':>4} {'grid s':>7} {'cells s':>8} {'cells':>6} {'page s':>7}")
    for index in range(len(pdf)):
        page = pdf[index]
        t0 = time.perf_counter()
        image = deskew(render_page(page, dpi))
        grids, rules = find_grids(image, index + 1)
        t1 = time.perf_counter()
        read_cells(image, rules, grids, engine)
        t2 = time.perf_counter()
        n_cells = sum(len(g.cells) for g in grids)
        t3 = time.perf_counter()
        read_image(render_page(page, dpi), index + 1, engine)  # the whole page as the reader does it
        total = time.perf_counter() - t3
        totals.append(total)
        print(f"{index + 1:>4} {t1 - t0:>7.2f} {t2 - t1:>8.2f} {n_cells:>6} {total:>7.2f}")
        page.close()
    pdf.close()
    print(f"mean seconds per page ({dpi} dpi): {sum(totals) / len(totals):.2f}")
    started = time.perf_counter()
    result = extract_bytes(scan, "huaian-scan.pdf")
    print(f"extract_bytes, whole report: {time.perf_counter() - started:.2f} s, status {result.status}, "
          f"flags {sorted({str(c.flag) for c in result.cells})}")


if __name__ == "__main__":
    main()
