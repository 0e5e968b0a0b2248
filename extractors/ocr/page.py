"""One scanned page → text lines (outside its tables) and table grids, as a digital page gives.

Which pages are read: every scanned page is rendered once; its ruled grids are looked for first
(OpenCV, a fraction of a second) and only a page with a ruled grid has cells read. A scan has no
text layer, so the table markers (schemas.headings.PAGE_MARKERS) cannot choose pages before OCR:
the ruled grid does. The text pass (the slow part: detection and recognition of a whole page)
runs on the pages whose text is wanted — by default the first page (title, year, issuer) and the
pages with a table (the headings around it); ``OcrOptions.text_pages="all"`` reads every page
(sections and prose too) — with the tables whitened out, so that table text is recognised once,
per cell. The markers still decide ``mentions_tables`` afterwards, as for a digital page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pypdfium2 as pdfium

from gongkai.extractors.cjk_spacing import join_fragments
from gongkai.extractors.ocr.engine import OcrEngine, TextLine
from gongkai.extractors.ocr.grid import CellRead, find_grids, read_cells
from gongkai.extractors.ocr.image import PageImage, deskew, render_page
from gongkai.extractors.readers.pdf_pages import mentions_tables
from gongkai.extractors.readers.pdf_tables import BBox, PageGrid
from gongkai.extractors.readers.pdf_text import PdfLine

# Boxes whose vertical centres differ by less than this share of the smaller box height are on one line.
SAME_LINE_RATIO = 0.5

# Margin (points) of white painted around a table before the text pass.
TABLE_MARGIN = 1.0


@dataclass(slots=True)
class OcrPage:
    """What OCR read on one page."""

    number: int
    lines: list[PdfLine] = field(default_factory=list)
    grids: list[PageGrid] = field(default_factory=list)
    reads: dict[BBox, CellRead] = field(default_factory=dict)
    mentions_tables: bool = False
    skew: float = 0.0
    text_skipped: bool = False  # no ruled table, and its text was not wanted (OcrOptions.text_pages)


def join_lines(found: list[TextLine], scale: float) -> list[PdfLine]:
    """Detected text boxes → printed lines in points (boxes side by side joined left to right)."""
    rows: list[list[TextLine]] = []
    for line in sorted(found, key=lambda ln: (ln.box[1] + ln.box[3]) / 2):
        if rows:
            last = rows[-1][-1]
            centre = (line.box[1] + line.box[3]) / 2
            last_centre = (last.box[1] + last.box[3]) / 2
            height = min(line.box[3] - line.box[1], last.box[3] - last.box[1])
            if abs(centre - last_centre) <= SAME_LINE_RATIO * height:
                rows[-1].append(line)
                continue
        rows.append([line])
    out: list[PdfLine] = []
    for row in rows:
        row.sort(key=lambda ln: ln.box[0])
        text = join_fragments(ln.text for ln in row)
        if text:
            out.append(PdfLine(text, min(ln.box[1] for ln in row) / scale, max(ln.box[3] for ln in row) / scale,
                               min(ln.box[0] for ln in row) / scale))
    return out


def read_image(image: PageImage, number: int, engine: OcrEngine, text: bool = True) -> OcrPage:
    """OCR of one page image (deskewed here). ``text=False``: a page without a ruled table is
    not read at all (its text is not wanted; ``text_skipped``)."""
    image = deskew(image)
    result = OcrPage(number=number, skew=image.skew)
    grids, rules = find_grids(image, number)
    if not grids and not text:
        result.text_skipped = True
        return result
    if grids:
        tables = read_cells(image, rules, grids, engine)
        result.grids, result.reads = tables.grids, tables.reads
    text_image = image.gray.copy()
    s = image.scale
    for grid in result.grids:
        x0, y0, x1, y1 = grid.bbox
        text_image[max(0, int((y0 - TABLE_MARGIN) * s)):int((y1 + TABLE_MARGIN) * s) + 1,
                   max(0, int((x0 - TABLE_MARGIN) * s)):int((x1 + TABLE_MARGIN) * s) + 1] = 255
    if np.count_nonzero(text_image < 128):
        result.lines = join_lines(engine.lines(text_image), s)
    all_text = "\n".join([*(ln.text for ln in result.lines),
                          *(c.text for g in result.grids for c in g.cells)])
    result.mentions_tables = mentions_tables(all_text)
    return result


def read_page(page: pdfium.PdfPage, number: int, dpi: int, engine: OcrEngine, text: bool = True) -> OcrPage:
    """Render page ``number`` (1-based) at ``dpi`` and OCR it (see :func:`read_image` for ``text``)."""
    return read_image(render_page(page, dpi), number, engine, text)
