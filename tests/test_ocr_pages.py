"""Which scanned pages have their text read by OCR (OcrOptions.text_pages, --ocr-text-pages):
by default the title page and the pages with a ruled table; ``all`` reads every page."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from gongkai.extractors.ocr import ocr_available
from gongkai.extractors.readers.pdf import read
from gongkai.model.settings import OcrOptions, PdfOptions
from tests.ocr_scans import ScanStyle, crop_pdf

HUAIAN = Path(__file__).parent / "data" / "js-huaian-city-gov-2024.pdf"

needs_ocr_extra = pytest.mark.skipif(not ocr_available(), reason="the ocr extra is not installed")


def two_page_scan() -> bytes:
    """Page 1: the title of the Huai'an report; page 2: a paragraph of its prose (no table)."""
    style = ScanStyle(dpi=200, noise=0.001, jpeg_quality=70)
    out = pdfium.PdfDocument.new()
    for box in ((0.0, 0.0, 1.0, 0.25), (0.0, 0.25, 1.0, 0.45)):
        part = pdfium.PdfDocument(crop_pdf(HUAIAN.read_bytes(), 1, box, style))
        out.import_pages(part)
        part.close()
    import io

    buffer = io.BytesIO()
    out.save(buffer)
    out.close()
    return buffer.getvalue()


@needs_ocr_extra
def test_a_scanned_page_without_a_table_is_read_only_when_every_page_is_asked_for() -> None:
    scan = two_page_scan()
    default = read(scan, "scan.pdf", PdfOptions())
    assert [(i.code, i.fatal) for i in default.issues] == [("scan_text_not_read", False)]
    assert "pages [2]" in default.issues[0].message
    assert {b.locator.page for b in default.text_blocks()} == {1}
    assert any("政府信息公开工作年度报告" in b.text for b in default.text_blocks())

    every = read(scan, "scan.pdf", PdfOptions(ocr=OcrOptions(text_pages="all")))
    assert every.issues == [] and {b.locator.page for b in every.text_blocks()} == {1, 2}
    assert default.ocr is not None and default.ocr.pages == {1, 2}


@needs_ocr_extra
def test_past_the_ocr_budget_the_pages_left_are_listed_not_read_and_the_document_goes_on() -> None:
    doc = read(two_page_scan(), "scan.pdf", PdfOptions(ocr=OcrOptions(max_seconds=0.001)))
    codes = [(i.code, i.page, i.fatal) for i in doc.issues]
    assert codes[0] == ("ocr_budget_spent", None, False) and "pages [2]" in doc.issues[0].message
    assert ("page_unreadable", 2, False) in codes and not any(fatal for _c, _p, fatal in codes)
    assert {b.locator.page for b in doc.text_blocks()} == {1}  # the first page was read


def test_the_command_line_sets_the_ocr_budget_from_the_timeout(monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    from typer.testing import CliRunner

    import gongkai.batch.runner as runner
    from gongkai.cli.app import app

    seen = []
    monkeypatch.setattr(runner, "run_batch", lambda paths, out, settings, **kw: seen.append(settings) or _raise())
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    for args, budget in ((["--timeout", "300"], 180.0), (["--ocr-budget", "30"], 30.0), ([], 72.0)):
        CliRunner().invoke(app, ["extract", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o"), *args])
        assert seen[-1].pdf.ocr.max_seconds == budget and seen[-1].pictures.ocr.max_seconds == budget


def _raise() -> None:
    raise SystemExit(0)
