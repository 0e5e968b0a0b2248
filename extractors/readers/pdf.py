"""PDF reader: born-digital reports → Document (text lines + exact table grids), fast.

Per page, pdfium's text layer (C, cheap) gives the text and passes the quality gate; only the
pages that hold tables 二–四 (see :mod:`gongkai.extractors.readers.pdf_pages`) get character boxes and
ruling edges read, and pdfplumber's table finder run on them (:mod:`.pdf_tables`). A page whose
pdfium text is garbage is read again with pdfminer (through pdfplumber); a page that is still
garbage, or an image without a text layer (a scan), is read by OCR when the ``ocr`` extra is
installed (:mod:`gongkai.extractors.ocr`: the same lines and grids, plus the provenance the OCR
gate needs); without it such a page is ``page_unreadable``, and when the report cannot be read
without them the document fails with ``needs_ocr``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from gongkai.extractors.ocr.scans import ScanReader
from gongkai.extractors.readers.pdf_layout import (
    PdfChar,
    has_degenerate_text,
    page_chars,
    page_edges,
    page_has_image,
    page_origin,
)
from gongkai.extractors.readers.pdf_pages import continues_on_next_page, mentions_tables
from gongkai.extractors.readers.pdf_rows import (
    drop_page_number_rows,
    drop_repeated_header,
    join_continuation,
    merge_fragment_rows,
)
from gongkai.extractors.readers.pdf_tables import PageGrid, in_any, page_grids
from gongkai.extractors.readers.pdf_text import (
    PdfLine,
    bad_char_ratio,
    chars_to_lines,
    is_page_number,
    is_running,
    printed_char_count,
    running_lines,
    text_to_lines,
)
from gongkai.model.document import Block, Document, Locator, ReaderIssue, TextBlock
from gongkai.model.errors import ExtractionError
from gongkai.model.settings import PdfOptions

# Look for the end-of-file marker in this many trailing bytes (a truncated file has none).
EOF_SEARCH_BYTES = 65_536

# Lines this close to the top or bottom of a page's line list may be running headers/footers.
RUNNING_EDGE_LINES = 2


@dataclass(slots=True)
class PageContent:
    """What one page contributes: its text lines (outside tables) and its table grids."""

    number: int
    lines: list[PdfLine] = field(default_factory=list)
    grids: list[PageGrid] = field(default_factory=list)
    unreadable: str | None = None  # why, when the page has no usable text
    mentions_tables: bool = False
    table_continues: bool = False  # the page's last table runs to its bottom
    text_not_read: bool = False  # a scanned page without a table whose text OCR was told to skip


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    """Open with pdfium (an empty user password is tried); map failures to catalog errors."""
    if b"%%EOF" not in data[-EOF_SEARCH_BYTES:]:
        raise ExtractionError("corrupt_file", "the PDF is truncated: no %%EOF end marker")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        if getattr(err, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise ExtractionError("encrypted", "the PDF needs a user password to open") from err
        raise ExtractionError("corrupt_file", f"the PDF could not be parsed: {err}") from err
    if len(pdf) == 0:
        pdf.close()
        raise ExtractionError("corrupt_file", "the PDF has no pages")
    return pdf


class _PdfminerFallback:
    """pdfplumber (pdfminer) pages, opened only when pdfium's text of a page is bad."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pdf: Any = None

    def page(self, index: int) -> Any:
        if self._pdf is None:
            self._pdf = pdfplumber.open(BytesIO(self._data))
        return self._pdf.pages[index]

    def close(self) -> None:
        if self._pdf is not None:
            try:
                self._pdf.close()
            except Exception:  # pdfplumber's close walks the pages; a damaged one raises (found by fuzzing)
                self._pdf.stream.close()


def _analyse_tables(content: PageContent, chars: list[PdfChar], edges: list[dict[str, Any]],
                    bbox: tuple[float, float, float, float]) -> None:
    """Find the page's tables; its lines become the characters outside them."""
    content.grids = page_grids(edges, bbox, chars, content.number)
    boxes = [g.bbox for g in content.grids]
    content.lines = chars_to_lines([c for c in chars if not in_any(c, boxes)])
    if content.grids:
        tops = [ln.top for ln in content.lines if ln.top is not None and not is_page_number(ln.text)]
        content.table_continues = continues_on_next_page(content.grids[-1].bbox[3], tops)


def _read_page(pdf: pdfium.PdfDocument, index: int, analyse: bool, options: PdfOptions,
               fallback: _PdfminerFallback) -> PageContent:
    content = PageContent(number=index + 1)
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        content.mentions_tables = mentions_tables(text)
        if bad_char_ratio(text) > options.bad_char_ratio:
            _read_fallback_page(content, fallback, analyse or content.mentions_tables, options)
        elif (analyse or content.mentions_tables) and has_degenerate_text(page):
            _read_fallback_page(content, fallback, True, options)  # pdfium lost characters
        elif printed_char_count(text) < options.min_page_chars and page_has_image(page):
            content.unreadable = "the page is an image without a text layer (scanned)"
        elif analyse or content.mentions_tables:
            origin = page_origin(page)
            width, height = page.get_size()
            _analyse_tables(content, page_chars(textpage, origin), page_edges(page, origin),
                            (0.0, 0.0, float(width), float(height)))
        else:
            content.lines = text_to_lines(text)
    finally:
        page.close()
    return content


def _read_fallback_page(content: PageContent, fallback: _PdfminerFallback, analyse: bool,
                        options: PdfOptions) -> None:
    try:
        page = fallback.page(content.number - 1)
        text = page.extract_text() or ""
    except Exception as err:  # pdfminer raises many kinds on a damaged content stream (found by fuzzing)
        content.unreadable = f"the page's content could not be parsed ({type(err).__name__}: {err})"
        return
    if bad_char_ratio(text) > options.bad_char_ratio or printed_char_count(text) == 0:
        content.unreadable = "the page's text layer is garbage (unmapped glyphs) in pdfium and pdfminer"
        return
    content.mentions_tables = mentions_tables(text)
    if analyse or content.mentions_tables:
        chars = [PdfChar(c["text"], c["x0"], c["top"], c["x1"], c["bottom"])
                 for c in page.chars if c["text"].strip()]
        _analyse_tables(content, chars, list(page.edges), (0.0, 0.0, float(page.width), float(page.height)))
    else:
        content.lines = text_to_lines(text)


def _use_ocr(content: PageContent, scans: ScanReader, pdf: pdfium.PdfDocument) -> None:
    """Replace an unreadable page's content by what OCR read on it."""
    page = scans.read(pdf, content.number - 1)
    content.lines, content.grids, content.unreadable = page.lines, page.grids, None
    content.mentions_tables, content.text_not_read = page.mentions_tables, page.text_skipped
    if content.grids:
        tops = [ln.top for ln in content.lines if ln.top is not None and not is_page_number(ln.text)]
        content.table_continues = continues_on_next_page(content.grids[-1].bbox[3], tops)


def _strip_furniture(pages: list[PageContent]) -> None:
    """Drop page numbers and running headers/footers from every page's lines."""
    running = running_lines([p.lines for p in pages if p.lines])
    for page in pages:
        n = len(page.lines)
        page.lines = [
            ln for i, ln in enumerate(page.lines)
            if not is_page_number(ln.text)
            and not ((i < RUNNING_EDGE_LINES or i >= n - RUNNING_EDGE_LINES) and is_running(ln.text, running))
        ]


def _clean_tables(pages: list[PageContent]) -> None:
    """Row clean-up inside each piece, then across the page breaks of split tables."""
    prev: PageGrid | None = None
    first: PageGrid | None = None
    prev_continues = False
    for page in pages:
        for grid in page.grids:
            drop_page_number_rows(grid)
            merge_fragment_rows(grid)
        for i, grid in enumerate(page.grids):
            text_above = any(ln.top is not None and ln.top < grid.bbox[1] for ln in page.lines)
            if i == 0 and prev is not None and first is not None and prev_continues and not text_above:
                drop_repeated_header(first, grid)
                join_continuation(prev, grid)
            else:
                first = grid
            prev = grid
        prev_continues = page.table_continues if page.grids else False
        if not page.grids and page.lines:
            prev = first = None
        page.grids = [g for g in page.grids if g.n_rows > 0]


def _blocks(pages: list[PageContent]) -> list[Block]:
    """Text lines and tables of each page interleaved by vertical position."""
    blocks: list[Block] = []
    table_index = 0
    for page in pages:
        items: list[tuple[float, int, Block | PageGrid]] = []
        for line_no, line in enumerate(page.lines, start=1):
            items.append((line.top if line.top is not None else float(line_no), 1,
                          TextBlock(line.text, Locator(page=page.number, line=line_no))))
        for grid in page.grids:
            items.append((grid.bbox[1], 0, grid))
        items.sort(key=lambda item: (item[0], item[1]))
        for _top, _kind, item in items:
            if isinstance(item, PageGrid):
                blocks.append(item.to_block(table_index))
                table_index += 1
            else:
                blocks.append(item)
    return blocks


def _issues(pages: list[PageContent], over_budget: list[int]) -> list[ReaderIssue]:
    """What the pages tell: unreadable ones, the scanned pages whose text was skipped, and
    ``needs_ocr`` (fatal) when OCR was needed and not there (pages OCR ran out of time for do not
    count: ``ocr_budget_spent`` says so and the document goes on)."""
    issues = [ReaderIssue("page_unreadable", p.unreadable, page=p.number) for p in pages if p.unreadable]
    skipped = [p.number for p in pages if p.text_not_read]
    if skipped:
        issues.append(ReaderIssue("scan_text_not_read", f"pages {skipped}: scanned, without a table; their text "
                                  "was not read by OCR (--ocr-text-pages all reads it)"))
    unreadable = [p.number for p in pages if p.unreadable and p.number not in over_budget]
    if unreadable and (len(unreadable) == len(pages) or not any(p.mentions_tables for p in pages)):
        where = "every page" if len(unreadable) == len(pages) else f"pages {unreadable}"
        issues.append(ReaderIssue("needs_ocr", f"{where} without a usable text layer; OCR is required",
                                  fatal=True))
    return issues


def read(data: bytes, source: str, options: PdfOptions | None = None) -> Document:
    """Read a PDF into text blocks and table grids (see the module docstring)."""
    options = options or PdfOptions()
    pdf = open_pdf(data)
    fallback = _PdfminerFallback(data)
    scans = ScanReader(options.ocr)
    pages: list[PageContent] = []
    try:
        continues = False
        for index in range(len(pdf)):
            analyse = continues or not options.table_pages_only
            try:
                content = _read_page(pdf, index, analyse, options, fallback)
            except pdfium.PdfiumError as err:
                raise ExtractionError("corrupt_file", f"page {index + 1} could not be read: {err}") from err
            if content.unreadable and scans.enabled and scans.budget_left(content.number):
                _use_ocr(content, scans, pdf)
            continues = content.table_continues
            pages.append(content)
    finally:
        fallback.close()
        pdf.close()
    _strip_furniture(pages)
    _clean_tables(pages)
    blocks = _blocks(pages)
    issues = _issues(pages, scans.over_budget)
    if scans.over_budget:
        issues.insert(0, ReaderIssue("ocr_budget_spent", f"pages {scans.over_budget} not read by OCR: the OCR time "
                                     f"budget of {scans.options.max_seconds:g} s per document was spent (raise "
                                     "--timeout or --ocr-budget)"))
    return Document(source_path=source, format="pdf", blocks=blocks, pages=len(pages),
                    issues=issues, ocr=scans.provenance(blocks))
