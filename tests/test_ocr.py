"""OCR of scanned PDFs (issue 14). Tests that OCR skip when the ``ocr`` extra is not installed.

The default suite reads one small scanned table (table 四 of the Huai'an report, cut out of its
page); the accuracy runs over whole scanned reports are ``slow`` (``pytest -m slow tests/test_ocr.py``).
The Huai'an PDF embeds its fonts; the synthetic PDFs use a non-embedded CJK font that pdfium draws
only when the system has a CJK font (Debian: fonts-wqy-microhei), else those tests skip.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import pytest

from gongkai.convert.stages import extract_bytes
from gongkai.extractors.ocr import ocr_available
from gongkai.extractors.readers.pdf import read
from gongkai.model.result import ReportResult, Status
from tests.ocr_scans import ScanStyle, blank_page_pdf, cjk_font_renders, crop_pdf, scan_pdf

DATA = Path(__file__).parent / "data"
HUAIAN = DATA / "js-huaian-city-gov-2024.pdf"
GOLD = json.loads((DATA / "hand_checked" / "js-huaian-city-gov-2024.pdf.json").read_text(encoding="utf-8"))

needs_ocr_extra = pytest.mark.skipif(not ocr_available(), reason="the ocr extra is not installed")

T4_CODES = [f"{group}.{leaf}" for group in ("review", "litigation.direct", "litigation.after_review")
            for leaf in ("upheld", "corrected", "other", "pending", "total")]


def test_without_the_extra_a_scan_still_needs_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    import gongkai.extractors.ocr.scans as scans

    monkeypatch.setattr(scans, "ocr_available", lambda: False)
    result = extract_bytes(blank_page_pdf(), "blank.pdf")
    assert result.status is Status.FAILED and "needs_ocr" in [e.code for e in result.errors]


@needs_ocr_extra
def test_a_small_scanned_table_is_read_into_a_grid_with_provenance() -> None:
    style = ScanStyle(dpi=150, skew=0.5, noise=0.002, jpeg_quality=60)
    scan = crop_pdf(HUAIAN.read_bytes(), 5, (0.0, 0.53, 1.0, 0.85), style)
    doc = read(scan, "t4.pdf")
    assert doc.ocr is not None and doc.ocr.pages == {1} and not doc.issues
    assert any("行政复议" in b.text for b in doc.text_blocks())  # the heading above the table
    (table,) = list(doc.tables())
    last = table.rows()[-1]
    assert [c.text for c in last] == [str(GOLD["cells"][code]) for code in T4_CODES]
    assert all(c.locator.page == 1 and c.locator.bbox is not None for c in last)
    assert "结果维持" in table.text() and "未经复议直接起诉" in table.text()


@needs_ocr_extra
def test_a_cell_crop_keeps_the_faint_strokes_next_to_the_ink_and_drops_lone_specks() -> None:
    import cv2
    import numpy as np

    from gongkai.extractors.ocr.grid import CROP_PAD, cell_image
    from gongkai.extractors.ocr.image import PageImage

    gray = np.full((200, 200), 255, dtype=np.uint8)
    gray[80:121, 110:114] = 40  # the dark stem of a thin 4
    cv2.line(gray, (111, 80), (92, 110), 190, 1)  # its hairline diagonal, fainter than the ink threshold
    gray[110, 92:118] = 190  # and its bar
    gray[20:22, 20:22] = 0  # a noise speck (4 px) far from the ink
    scale = 2.0
    crop, _ink = cell_image(PageImage(gray, scale), np.zeros_like(gray), (0.0, 0.0, 100.0, 100.0)) or (None, None)
    assert crop is not None
    height, width = crop.shape
    assert height == 41 + 2 * CROP_PAD  # the speck is not in the crop
    assert width >= (118 - 92) + 2 * CROP_PAD  # the diagonal and the bar are
    assert int(crop.min()) == 40 and np.count_nonzero(crop == 190) > 20


@needs_ocr_extra
def test_digit_beams_give_the_probable_digit_strings_of_a_ctc_matrix() -> None:
    import numpy as np

    from gongkai.extractors.ocr.engine import digit_beams

    def step(**probs: float) -> list[float]:  # columns: blank, 0…9
        row = [0.0] * 11
        for key, p in probs.items():
            row[0 if key == "blank" else int(key[1:]) + 1] = p
        return row

    # "3" or "1" (a faint 3), blank, "4": 34 and 14 nearly even; a repeated digit needs a blank between
    matrix = np.asarray([step(d3=0.5, d1=0.5), step(blank=1.0), step(d4=1.0), step(d4=1.0), step(blank=1.0),
                         step(d4=1.0)], dtype=np.float32)
    beams = dict(digit_beams(matrix))
    assert set(beams) == {"344", "144"} and abs(beams["344"] - 0.5) < 1e-6


@needs_ocr_extra
def test_a_number_cell_read_badly_falls_back_on_its_digit_reading() -> None:
    from gongkai.extractors.ocr.engine import NumberReading
    from gongkai.extractors.ocr.grid import number_read

    bracket = number_read(NumberReading("6]", 0.85, (("61", 0.97), ("67", 0.012))))
    assert (bracket.text, bracket.score, bracket.alternatives) == ("61", 0.85, ("67",))
    clean = number_read(NumberReading("14", 0.63, (("14", 0.37), ("34", 0.36))))
    assert clean.text == "14" and clean.alternatives[0] == "34"
    dash = number_read(NumberReading("—", 0.99, (("1", 0.2),)))  # a placeholder is never turned into digits
    assert dash.text == "—"
    label = number_read(NumberReading("总计", 0.9, (("1", 0.03),)))
    assert label.text == "总计" and label.score == 0.9


# --- slow: whole scanned reports ----------------------------------------------------------------

# (dpi, noise seed, skew°, speckle share, JPEG quality) of the scanned copies of the Huai'an sample
HUAIAN_SCANS = [(150, 150, 0.7, 0.002, 60), (200, 200, 0.7, 0.002, 60), (150, 3, -1.2, 0.003, 50),
                (200, 4, 1.5, 0.003, 50)]


@cache
def _huaian_scan(dpi: int, seed: int, skew: float, noise: float, quality: int) -> ReportResult:
    style = ScanStyle(dpi=dpi, skew=skew, noise=noise, jpeg_quality=quality)
    return extract_bytes(scan_pdf(HUAIAN.read_bytes(), style, seed=seed), f"huaian-scan-{dpi}-{seed}.pdf")


def tally(result: ReportResult, want: dict[str, float | None]) -> tuple[int, int, list[str]]:
    """(correct, wrong, descriptions of the cells not correct): null where the report is blank is
    correct; a null with a flag where a value is printed is not correct but not wrong."""
    got = result.cell_map()
    correct, wrong, misses = 0, 0, []
    for code, value in want.items():
        cell = got.get(code)
        if cell is not None and (cell.value is None if value is None else
                                 cell.value is not None and math.isclose(cell.value, value, abs_tol=1e-9)):
            correct += 1
            continue
        if cell is not None and cell.value is not None:
            wrong += 1
        misses.append(f"{code}: want {value}, got {cell}")
    return correct, wrong, misses


@pytest.mark.slow
@needs_ocr_extra
@pytest.mark.parametrize(("dpi", "seed", "skew", "noise", "quality"), HUAIAN_SCANS)
def test_scanned_huaian_report_reaches_99_percent_with_no_wrong_value(
        dpi: int, seed: int, skew: float, noise: float, quality: int) -> None:
    result = _huaian_scan(dpi, seed, skew, noise, quality)
    correct, wrong, misses = tally(result, GOLD["cells"])
    assert wrong == 0, misses
    assert correct >= 0.99 * len(GOLD["cells"]), misses
    assert (result.year, result.issuer, result.template) == (GOLD["year"], GOLD["issuer"], GOLD["template"])
    assert all(c.flag in ("ocr", "ocr_chosen", "ocr_unsure", "ocr_conflict", "blank", "dash", "unreadable",
                          "not_found") for c in result.cells)


SYNTH_CASES = [(seed, layout, dpi) for seed, layout, dpi in
               ((1, "F2021", 150), (2, "F2019", 200), (3, "F2021", 200), (4, "F2019", 150))]


@pytest.mark.slow
@needs_ocr_extra
@pytest.mark.parametrize(("seed", "layout", "dpi"), SYNTH_CASES)
def test_scanned_synthetic_reports_match_their_truth(seed: int, layout: str, dpi: int) -> None:
    if not cjk_font_renders():
        pytest.skip("no system CJK font: pdfium draws no Chinese in the synthetic PDFs")
    from tests.synth.render_pdf import PdfVariant, render_pdf
    from tests.synth.truth import make_truth

    truth = make_truth(seed, layout)
    style = ScanStyle(dpi=dpi, skew=(-0.9, 0.4, 1.5, -0.3)[seed % 4], noise=0.002, jpeg_quality=55)
    data = scan_pdf(render_pdf(truth, PdfVariant(filler_before=seed % 3)), style, seed=seed)
    result = extract_bytes(data, f"synth-{seed}.pdf")
    correct, wrong, misses = tally(result, truth.values)
    assert wrong == 0, misses
    assert correct >= 0.99 * len(truth.values), misses
    assert result.template == truth.template and result.year == truth.year


@pytest.mark.slow
@needs_ocr_extra
def test_a_blank_scanned_page_is_not_a_report() -> None:
    result = extract_bytes(blank_page_pdf(), "blank.pdf")
    assert result.status is Status.NOT_A_REPORT
    assert [e.code for e in result.errors if e.code in ("internal_error", "needs_ocr")] == []


@pytest.mark.slow
@needs_ocr_extra
def test_a_photo_of_text_without_tables_gives_text_and_no_values() -> None:
    style = ScanStyle(dpi=150, skew=1.2, noise=0.003, jpeg_quality=45, blur=0.6)
    photo = crop_pdf(HUAIAN.read_bytes(), 1, (0.0, 0.0, 1.0, 0.45), style)
    result = extract_bytes(photo, "photo.pdf")
    assert result.year == 2024 and result.issuer == GOLD["issuer"]
    assert result.status is Status.PARTIAL
    assert sorted(e.code for e in result.errors if e.code == "table_absent") == ["table_absent"] * 3
    assert all(c.value is None and c.flag == "not_found" for c in result.cells)
