"""PDF reader: exact grids from the real Huai'an report, synthetic PDFs, scans, damaged files."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from io import BytesIO
from pathlib import Path

import pytest
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen.canvas import Canvas

from gongkai.convert.stages import extract_bytes, extract_file
from gongkai.extractors.cjk_spacing import join_fragments
from gongkai.extractors.readers.pdf import read
from gongkai.extractors.readers.pdf_rows import drop_page_number_rows, join_continuation, merge_fragment_rows
from gongkai.extractors.readers.pdf_tables import GridCell, PageGrid
from gongkai.extractors.readers.pdf_text import is_page_number
from gongkai.model.document import Document, TableBlock
from gongkai.model.errors import ExtractionError
from gongkai.model.settings import ExtractSettings, OcrOptions, PdfOptions
from tests.synth.render_pdf import FONT, PdfVariant, rasterise_pages, render_pdf
from tests.synth.truth import Truth, fmt_value, make_truth

DATA = Path(__file__).parent / "data"
HUAIAN = DATA / "js-huaian-city-gov-2024.pdf"


@lru_cache(maxsize=1)
def huaian() -> Document:
    return read(HUAIAN.read_bytes(), str(HUAIAN))


def same_value(got: float | None, want: float | None) -> bool:
    if want is None or got is None:
        return got is None and want is None
    return math.isclose(got, want, abs_tol=1e-9)


def rows_of(block: TableBlock) -> list[list[str]]:
    return [[c.text for c in row] for row in block.rows()]


def find_row(blocks: list[TableBlock], first: str) -> tuple[TableBlock, list[str]]:
    for block in blocks:
        for row in rows_of(block):
            if row and row[0] == first:
                return block, row
    raise AssertionError(f"no row starting with {first!r}")


# --- the real report ---------------------------------------------------------------------------

def test_huaian_table_two_split_over_pages_3_and_4() -> None:
    tables = list(huaian().tables())
    block, row = find_row(tables, "行政许可")
    assert block.locator.page == 3 and row == ["行政许可", "447228"]
    assert rows_of(block)[0] == ["第二十条第（一）项"]
    assert rows_of(block)[3] == ["行政规范性文件", "8", "26", "66"]
    anchor = block.rows()[6][1]
    assert (anchor.text, anchor.colspan) == ("447228", 3)
    block, row = find_row(tables, "行政处罚")
    assert block.locator.page == 4 and row == ["行政处罚", "3985758"]
    assert find_row(tables, "行政事业性收费")[1] == ["行政事业性收费", "96171.6"]


def test_huaian_table_three_grid_and_spans() -> None:
    tables = list(huaian().tables())
    block, row = find_row(tables, "一、本年新收政府信息公开申请数量")
    assert block.locator.page == 4 and (block.n_rows, block.n_cols) == (16, 10)
    assert row == ["一、本年新收政府信息公开申请数量", "3001", "53", "0", "0", "61", "4", "3119"]
    assert find_row(tables, "二、上年结转政府信息公开申请数量")[1][-1] == "34"
    _, granted = find_row(tables, "三、本年度办理结果")  # the vertical label, one character per line
    assert granted == ["三、本年度办理结果", "（一）予以公开", "1288", "21", "0", "0", "50", "3", "1362"]
    vertical = block.rows()[5][0]
    assert (vertical.rowspan, vertical.colspan, vertical.locator.page) == (11, 1, 4)
    corner = block.rows()[0][0]
    assert (corner.rowspan, corner.colspan) == (3, 3)
    assert corner.text == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert "商业企业" in rows_of(block)[2]


def test_huaian_table_three_continues_on_page_5() -> None:
    tables = list(huaian().tables())
    block = next(b for b in tables if b.locator.page == 5)
    rows = rows_of(block)
    assert rows[0] == ["", "法提供", "2.没有现成信息需要另行制作", "11", "0", "0", "0", "0", "0", "11"]
    assert block.rows()[0][0].rowspan == 11  # the vertical label's lower part: an empty anchor
    assert ["（七）总计", "2932", "53", "0", "0", "61", "4", "3050"] in rows
    assert rows[-1] == ["四、结转下年度继续办理", "103", "0", "0", "0", "0", "0", "103"]
    assert all(c.locator.page == 5 and c.locator.bbox is not None for c in block.cells)


def test_huaian_table_four_values() -> None:
    block = list(huaian().tables())[-1]
    assert rows_of(block)[-1] == ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26",
                                  "12", "1", "1", "6", "20"]
    assert rows_of(block)[1][:2] == ["结果维持", "结果纠正"]  # "结 果\n维持" printed with a gap


def test_huaian_text_blocks_headings_and_no_page_numbers() -> None:
    texts = [b.text for b in huaian().text_blocks()]
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                    "六、其他需要报告的事项"):
        assert heading in texts
    assert not any(is_page_number(t) for t in texts)
    assert "办法》，全年收取政府信息公开信息处理费 3940 元。" in texts


def test_huaian_blocks_interleave_text_and_tables_in_reading_order() -> None:
    kinds = ["T" if isinstance(b, TableBlock) else b.text for b in huaian().blocks]
    i2 = kinds.index("二、主动公开政府信息情况")
    i3 = kinds.index("三、收到和处理政府信息公开申请情况")
    i4 = kinds.index("四、政府信息公开行政复议、行政诉讼情况")
    assert kinds[i2 + 1: i3] == ["T", "T"] and kinds[i3 + 1: i4] == ["T", "T"] and kinds[i4 + 1] == "T"


def test_huaian_end_to_end_matches_gold() -> None:
    gold = json.loads((DATA / "hand_checked" / "js-huaian-city-gov-2024.pdf.json").read_text("utf-8"))
    result = extract_file(HUAIAN)
    got = {c.cell: c.value for c in result.cells}
    assert result.status == "ok" and result.template == "F2021"
    for code, want in gold["cells"].items():
        assert code in got, code
        assert same_value(got[code], want), (code, got[code], want)


# --- text and row clean-up ---------------------------------------------------------------------

def test_cjk_fragments_join_without_space() -> None:
    assert join_fragments(["三、", "本", "年", "度"]) == "三、本年度"
    assert join_fragments(["共计", "95"]) == "共计 95"
    assert join_fragments(["hazwgkc@163.com）。"]) == "hazwgkc@163.com）。"


def _grid(rows: list[list[str]], page: int = 1) -> PageGrid:
    grid = PageGrid(page=page, bbox=(0, 0, 100, 100), n_rows=len(rows), n_cols=len(rows[0]))
    for r, row in enumerate(rows):
        grid.cells += [GridCell(t, r, c, 1, 1, (0, 0, 1, 1)) for c, t in enumerate(row)]
    return grid


def _texts(grid: PageGrid) -> list[list[str]]:
    return [[c.text for c in grid.row_cells(r)] for r in range(grid.n_rows)]


def test_wrapped_label_row_is_merged_into_the_row_above() -> None:
    grid = _grid([["（一）予以公开", "1", "2"], ["（二）部分公开（区分处理的，只计这一情", "3", "4"],
                  ["形，不计其他情形）", "", ""]])
    merge_fragment_rows(grid)
    assert _texts(grid)[-1] == ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "3", "4"]


def test_label_tail_after_page_break_joins_previous_piece() -> None:
    prev = _grid([["（四）无", "1.本机关不掌握相关政府信息", "746"]], page=4)
    piece = _grid([["法提供", "", ""], ["", "2.没有现成信息需要另行制作", "11"]], page=5)
    join_continuation(prev, piece)
    assert _texts(prev) == [["（四）无法提供", "1.本机关不掌握相关政府信息", "746"]]
    assert _texts(piece) == [["", "2.没有现成信息需要另行制作", "11"]]


def test_label_head_before_page_break_joins_the_row_with_the_numbers() -> None:
    prev = _grid([["（一）予以公开", "1"], ["（二）部分公开（区分处理的，只计这一情", ""]], page=4)
    piece = _grid([["形，不计其他情形）", "447"]], page=5)
    join_continuation(prev, piece)
    assert _texts(prev) == [["（一）予以公开", "1"]]
    assert _texts(piece) == [["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "447"]]


def test_page_number_row_inside_table_is_dropped_but_a_lone_value_is_kept() -> None:
    grid = _grid([["行政许可", "5", ""], ["", "- 4 -", ""], ["", "7", ""]])
    drop_page_number_rows(grid)
    assert _texts(grid) == [["行政许可", "5", ""], ["", "7", ""]]


# --- synthetic PDFs ----------------------------------------------------------------------------

def _assert_tables_hold_truth(doc: Document, truth: Truth) -> None:
    rows = [r for b in doc.tables() for r in rows_of(b)]
    for code, _group, label in truth.t3_rows():
        values = [fmt_value(v) for v in truth.t3_row_values(code)]
        assert any(r[-7:] == values and label in r for r in rows), (label, values)
    t4 = [fmt_value(v) for v in truth.t4_values()]
    assert t4 in rows
    for _block, _cols, block_rows in truth.t2_blocks():
        for label, codes in block_rows:
            assert [label, *[fmt_value(truth.values[c]) for c in codes]] in rows, label


@pytest.mark.parametrize(("seed", "template", "variant"), [
    (1, "F2021", PdfVariant()),
    (2, "F2019", PdfVariant()),
    (3, "F2021", PdfVariant(filler_before=9, vertical_result_label=False)),  # T3 split over pages
    (4, "F2021", PdfVariant(filler_before=12, filler_after=30)),
])
def test_synthetic_pdf_grids_hold_the_truth(seed: int, template: str, variant: PdfVariant) -> None:
    truth = make_truth(seed, template, big=True)
    doc = read(render_pdf(truth, variant, seed), "synthetic.pdf")
    _assert_tables_hold_truth(doc, truth)
    texts = [b.text for b in doc.text_blocks()]
    assert truth.title in texts and not any(is_page_number(t) for t in texts)


def test_synthetic_vertical_label_is_read_whole() -> None:
    truth = make_truth(5, "F2021")
    doc = read(render_pdf(truth, PdfVariant()), "synthetic.pdf")
    labels = [c.text for b in doc.tables() for c in b.cells if c.rowspan > 10]
    assert labels == ["三、本年度办理结果"]


def test_synthetic_split_table_gives_one_block_per_page() -> None:
    truth = make_truth(6, "F2021")
    doc = read(render_pdf(truth, PdfVariant(filler_before=0, vertical_result_label=False)), "s.pdf",
               )
    t3 = [b for b in doc.tables() if b.n_cols == 10 or "申请人情况" in b.text()]
    assert len({b.locator.page for b in t3}) == 2


def test_fast_path_and_full_scan_give_the_same_tables() -> None:
    data = render_pdf(make_truth(7, "F2021"), PdfVariant(filler_before=20, filler_after=20))
    fast = read(data, "s.pdf")
    full = read(data, "s.pdf", PdfOptions(table_pages_only=False))
    assert [rows_of(b) for b in fast.tables()] == [rows_of(b) for b in full.tables()]


@pytest.mark.parametrize("seed", [11, 12])
def test_synthetic_pdf_end_to_end_equals_truth(seed: int) -> None:
    truth = make_truth(seed, big=True)
    data = render_pdf(truth, PdfVariant(filler_before=seed % 10), seed)
    result = extract_bytes(data, f"synthetic-{seed}.pdf")
    got = {c.cell: c for c in result.cells}
    assert result.template == truth.template and set(got) == set(truth.values)
    for code, want in truth.values.items():
        cell = got[code]
        assert same_value(cell.value, want), (code, cell, want)


# --- scans, damaged and encrypted files ---------------------------------------------------------

# without OCR (the ocr extra absent or disabled); OCR itself: tests/test_ocr*.py
NO_OCR = PdfOptions(ocr=OcrOptions(enabled=False))


def test_scanned_pdf_needs_ocr() -> None:
    data = render_pdf(make_truth(8, "F2021"), PdfVariant(scan_pages=(-1,)))
    doc = read(data, "scan.pdf", NO_OCR)
    assert [i.code for i in doc.issues if i.fatal] == ["needs_ocr"]
    assert {i.page for i in doc.issues if i.code == "page_unreadable"} == {1, 2}
    result = extract_bytes(data, "scan.pdf", ExtractSettings(pdf=NO_OCR))
    assert result.status == "failed" and "needs_ocr" in [e.code for e in result.errors]


def test_scanned_table_pages_in_a_digital_report_need_ocr() -> None:
    digital = render_pdf(make_truth(9, "F2021"), PdfVariant(filler_before=12))
    tables = read(digital, "d.pdf").tables()
    table_pages = tuple(sorted({b.locator.page or 0 for b in tables}))
    assert table_pages == (3, 4)
    doc = read(rasterise_pages(digital, table_pages), "mixed.pdf", NO_OCR)
    assert {i.page for i in doc.issues if i.code == "page_unreadable"} == {3, 4}
    assert any(i.code == "needs_ocr" and i.fatal for i in doc.issues)


def test_truncated_pdf_is_corrupt_file() -> None:
    data = HUAIAN.read_bytes()
    with pytest.raises(ExtractionError) as err:
        read(data[: len(data) // 2], "cut.pdf")
    assert err.value.code == "corrupt_file"
    result = extract_bytes(data[: len(data) // 2], "cut.pdf")
    assert result.status == "failed" and [e.code for e in result.errors] == ["corrupt_file"]


def test_garbage_after_pdf_header_is_corrupt_file() -> None:
    with pytest.raises(ExtractionError) as err:
        read(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n", "junk.pdf")
    assert err.value.code == "corrupt_file"


def _encrypted_pdf(user_password: str) -> bytes:
    out = BytesIO()
    canvas = Canvas(out, encrypt=StandardEncryption(user_password, ownerPassword="owner", canPrint=0))
    canvas.setFont(FONT, 14)
    canvas.drawString(72, 700, "淮安市人民政府2024年政府信息公开工作年度报告")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_owner_password_only_pdf_opens() -> None:
    doc = read(_encrypted_pdf(""), "owner.pdf")
    assert [b.text for b in doc.text_blocks()] == ["淮安市人民政府2024年政府信息公开工作年度报告"]


def test_user_password_pdf_is_encrypted_error() -> None:
    with pytest.raises(ExtractionError) as err:
        read(_encrypted_pdf("secret"), "locked.pdf")
    assert err.value.code == "encrypted"
