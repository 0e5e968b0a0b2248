"""The PDF reader's door to OCR: which pages to OCR, and the provenance the OCR gate needs.

Imported by :mod:`gongkai.extractors.readers.pdf` on every run, so it imports nothing heavy; the
OCR modules (OpenCV, onnxruntime) are loaded on the first scanned page only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gongkai.extractors.ocr import ocr_available
from gongkai.model.document import Block, OcrProvenance, TableBlock
from gongkai.model.settings import OcrOptions

if TYPE_CHECKING:
    from gongkai.extractors.ocr.grid import CellRead
    from gongkai.extractors.ocr.page import OcrPage

# Why a cell's reading is not trusted (OcrProvenance.unsure values).
UNSURE_NO_TEXT = "ink in the cell but no text recognised"
UNSURE_LOW_SCORE = "recogniser confidence {score:.2f} below {threshold:.2f}"


@dataclass(slots=True)
class ScanReader:
    """OCR of the scanned pages of one PDF, when the extra is installed and OCR is enabled."""

    options: OcrOptions
    pages: set[int] = field(default_factory=set)
    reads: dict[tuple[int, tuple[float, float, float, float]], CellRead] = field(default_factory=dict)
    text_seen: bool = False  # some page's text has been read (the title page is behind)
    started: float | None = None  # monotonic time of the first page OCR'd
    over_budget: list[int] = field(default_factory=list)  # pages left unread: the time budget was spent

    @property
    def enabled(self) -> bool:
        return self.options.enabled and ocr_available()

    def budget_left(self, number: int) -> bool:
        """Whether page ``number`` (1-based) may still be OCR'd; if not, it is noted as left unread."""
        if self.started is None or time.monotonic() - self.started < self.options.max_seconds:
            return True
        self.over_budget.append(number)
        return False

    def read(self, pdf: Any, index: int) -> OcrPage:
        """OCR page ``index`` (0-based) of an open pdfium document."""
        from gongkai.extractors.ocr.engine import shared_engine
        from gongkai.extractors.ocr.page import read_page

        if self.started is None:
            self.started = time.monotonic()
        page = pdf[index]
        # the title page: the first page with any text (a blank cover does not count)
        text = self.options.text_pages == "all" or not self.text_seen
        try:
            result = read_page(page, index + 1, self.options.dpi, shared_engine(self.options.use_gpu), text)
        finally:
            page.close()
        self.pages.add(result.number)
        self.text_seen = self.text_seen or bool(result.lines)
        for bbox, read in result.reads.items():
            self.reads[(result.number, bbox)] = read
        return result

    def provenance(self, blocks: list[Block]) -> OcrProvenance | None:
        """What the gate needs: the OCR'd pages and the final locators of the unsure cells."""
        if not self.pages:
            return None
        out = OcrProvenance(pages=set(self.pages))
        for block in blocks:
            if not isinstance(block, TableBlock) or block.locator.page not in self.pages:
                continue
            for cell in block.cells:
                bbox = cell.locator.bbox
                read = self.reads.get((block.locator.page, bbox)) if bbox is not None else None
                if read is None or not read.ink:
                    continue
                if read.alternatives:
                    out.alternatives[cell.locator.describe()] = read.alternatives
                if not read.text:
                    out.unsure[cell.locator.describe()] = UNSURE_NO_TEXT
                elif read.score < self.options.min_confidence:
                    out.unsure[cell.locator.describe()] = UNSURE_LOW_SCORE.format(
                        score=read.score, threshold=self.options.min_confidence)
        return out
