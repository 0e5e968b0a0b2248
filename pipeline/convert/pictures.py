"""The pictures stage: tables pasted as pictures in Word and HTML reports, read by OCR.

A reader keeps the pictures of a report (``Document.pictures``); this stage reads them only
when the report's text does not already hold all of tables 二, 三 and 四 (decided by the table
marker words, as the table stage classifies rows), so a report with real tables never pays for
OCR and never gets a second copy of a table. A picture without a ruled grid (a logo, a seal) is
not read. What OCR finds goes into the document at the picture's place, with locators naming
the picture, and every table cell read is listed in ``Document.ocr`` so the OCR gate
(:mod:`gongkai.extractors.ocr.gate`) flags and checks those values like a scanned page's.
"""

from __future__ import annotations

import time
from pathlib import Path

from gongkai.extractors.ocr import ocr_available
from gongkai.extractors.tables.extract import SECTION_OF, row_kind
from gongkai.model.document import Block, Document, OcrProvenance, Picture, TableBlock
from gongkai.model.errors import ExtractionError
from gongkai.model.result import ReportResult
from gongkai.model.settings import PictureOptions


def table_kinds_in_text(document: Document) -> set[str]:
    """Which of tables 二–四 the document's own (non-picture) tables hold, by their row words."""
    kinds: set[str] = set()
    for block in document.tables():
        for row in block.rows():
            kind = row_kind(" ".join(cell.text for cell in row))
            if kind is not None:
                kinds.add(kind)
    return kinds


def pictures_needed(document: Document) -> bool:
    """Whether pictures may hold a table the text lacks."""
    return bool(document.pictures) and not set(SECTION_OF) <= table_kinds_in_text(document)


def _picture_bytes(picture: Picture) -> bytes:
    if picture.path is None:
        return picture.data
    try:
        return Path(picture.path).read_bytes()
    except OSError as err:
        raise ExtractionError("picture_unreadable", f"{picture.name}: {err.strerror or err}") from err


def read_pictures(document: Document, result: ReportResult, options: PictureOptions) -> None:
    """OCR the pictures of ``document`` when they may hold its missing tables (in place)."""
    if not pictures_needed(document):
        return
    absent = [p.name for p in document.pictures if not p.available]
    if absent:
        result.add_error("pictures", "pictures_not_read",
                         f"{len(absent)} picture(s) that may hold tables 二–四 the text lacks are not available "
                         f"offline (save them beside the page): {', '.join(absent[:5])}"
                         + (" …" if len(absent) > 5 else ""))
    present = [p for p in document.pictures if p.available]
    if not present:
        return
    if not (options.ocr.enabled and ocr_available()):
        result.add_error("pictures", "pictures_not_read",
                         f"{len(present)} picture(s) may hold tables 二–四 that the text lacks; "
                         "install the ocr extra (pip install 'gongkai[ocr]') to read them")
        return
    from gongkai.extractors.ocr.engine import shared_engine
    from gongkai.extractors.ocr.pictures import read_picture

    engine = shared_engine(options.ocr.use_gpu)
    provenance = document.ocr or OcrProvenance()
    next_table = sum(1 for _ in document.tables())
    inserts: list[tuple[int, list[Block]]] = []
    started = time.monotonic()
    unread: list[str] = []
    for picture in present:
        if time.monotonic() - started >= options.ocr.max_seconds:
            unread.append(picture.name)
            continue
        try:
            read = read_picture(picture, _picture_bytes(picture), next_table, engine, options)
        except ExtractionError as err:
            result.add_error("pictures", "picture_unreadable", err.message)
            continue
        except Exception as err:  # OpenCV or onnxruntime on a damaged picture: that picture only
            result.add_error("pictures", "picture_unreadable", f"{picture.name}: {type(err).__name__}: {err}")
            continue
        if read.unreadable:
            result.add_error("pictures", "picture_unreadable", f"{picture.name}: {read.skipped}")
        if not read.blocks:
            continue
        next_table += sum(1 for block in read.blocks if isinstance(block, TableBlock))
        provenance.cells |= read.cells
        provenance.unsure.update(read.unsure)
        provenance.alternatives.update(read.alternatives)
        inserts.append((picture.position, read.blocks))
    if unread:
        result.add_error("pictures", "ocr_budget_spent",
                         f"{len(unread)} picture(s) not read by OCR: the OCR time budget of "
                         f"{options.ocr.max_seconds:g} s per document was spent: {', '.join(unread[:5])}")
    for position, blocks in reversed(sorted(inserts, key=lambda item: item[0])):  # later places first
        document.blocks[position:position] = blocks
    if provenance.cells or provenance.pages:
        document.ocr = provenance
