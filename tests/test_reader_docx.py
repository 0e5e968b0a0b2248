"""The .docx reader: grids with merged cells resolved, text in document order, damaged files."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import docx
import pytest
from lxml import etree

from gongkai.extractors.readers.docx import join_lines, read
from gongkai.model.document import Cell, Document, TableBlock, TextBlock
from gongkai.model.errors import ExtractionError
from tests.synth.render_docx import build_docx, fill_official_template
from tests.synth.truth import (
    APPLICANT_COLS,
    T2_BLOCKS_2021,
    T3_ROWS_2021,
    T4_CODES,
    Truth,
    fmt_value,
    make_truth,
)

LEGAL_HEADERS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
T4_LEAVES = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]

DATA = Path(__file__).parent / "data"
BLANK = DATA / "official-blank-template-2021-format.docx"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _read(data: bytes) -> Document:
    return read(data, "test.docx")


def _spans(table: TableBlock) -> dict[tuple[int, int], tuple[int, int, str]]:
    return {(c.row, c.col): (c.rowspan, c.colspan, c.text) for c in table.cells}


def _cell(table: TableBlock, row: int, col: int) -> Cell:
    found = [c for c in table.cells if c.row == row and c.col == col]
    assert len(found) == 1, f"no single anchor at ({row}, {col})"
    return found[0]


@pytest.fixture(scope="module")
def blank() -> Document:
    return _read(BLANK.read_bytes())


# ---- the official blank template -------------------------------------------------------------

def test_blank_template_has_three_tables_with_the_official_grids(blank: Document) -> None:
    tables = list(blank.tables())
    assert [(t.n_rows, t.n_cols) for t in tables] == [(14, 4), (28, 10), (4, 15)]
    assert [t.locator.table for t in tables] == [0, 1, 2]


def test_blank_template_t2_spans_and_labels(blank: Document) -> None:
    t2 = _spans(next(blank.tables()))
    for row, header in ((0, "第二十条第（一）项"), (4, "第二十条第（五）项"), (7, "第二十条第（六）项"),
                        (11, "第二十条第（八）项")):
        assert t2[(row, 0)] == (1, 4, header)
    assert [t2[(1, c)][2] for c in range(4)] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert t2[(12, 1)] == (1, 3, "本年收费金额（单位：万元）")
    # value cells: three single cells for 规章/行政规范性文件, one 3-wide cell for the others; all ""
    labels = {label for _b, _c, rows in T2_BLOCKS_2021 for label, _codes in rows}
    value_cells = [(r, c) for (r, c), (_rs, _cs, text) in t2.items() if c > 0 and t2[(r, 0)][2] in labels]
    assert len(value_cells) == 10
    assert all(t2[rc][2] == "" for rc in value_cells)  # the template's full-width spaces collapse to ""
    assert t2[(2, 0)][2] == "规章" and t2[(3, 0)][2] == "行政规范性文件"
    assert [t2[(r, 1)][:2] for r in (6, 9, 10, 13)] == [(1, 3)] * 4


def test_blank_template_t3_spans(blank: Document) -> None:
    t3 = list(blank.tables())[1]
    spans = _spans(t3)
    assert spans[(0, 0)] == (3, 3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    assert spans[(0, 3)] == (1, 7, "申请人情况")
    assert spans[(1, 3)] == (2, 1, "自然人")
    assert spans[(1, 4)] == (1, 5, "法人或其他组织")
    assert spans[(1, 9)] == (2, 1, "总计")
    assert [spans[(2, c)][2] for c in range(4, 9)] == LEGAL_HEADERS
    assert spans[(5, 0)] == (22, 1, "三、本年度办理结果")
    assert spans[(7, 1)] == (8, 1, "（三）不予公开")
    assert spans[(15, 1)] == (3, 1, "（四）无法提供")
    assert spans[(18, 1)] == (5, 1, "（五）不予处理")
    assert spans[(23, 1)] == (3, 1, "（六）其他处理")
    assert spans[(3, 0)][:2] == spans[(4, 0)][:2] == spans[(27, 0)][:2] == (1, 3)
    assert spans[(5, 1)][:2] == spans[(6, 1)][:2] == spans[(26, 1)][:2] == (1, 2)
    # one anchor per printed cell: 10 header cells, 175 value cells, 30 label cells
    assert len(t3.cells) == 10 + 25 * 7 + 30


def test_blank_template_t3_labels_intact_and_values_blank(blank: Document) -> None:
    t3 = list(blank.tables())[1]
    rows = t3.rows()[3:]
    assert len(rows) == len(T3_ROWS_2021)
    for row, (_code, _group, leaf) in zip(rows, T3_ROWS_2021, strict=True):
        labels = [c for c in row if c.col < 3]
        values = [c for c in row if c.col >= 3]
        assert labels[-1].text == leaf
        assert [c.col for c in values] == list(range(3, 10))
        assert [c.text for c in values] == [""] * 7


def test_blank_template_t4_spans_and_blank_values(blank: Document) -> None:
    t4 = list(blank.tables())[2]
    spans = _spans(t4)
    assert spans[(0, 0)] == (1, 5, "行政复议")
    assert spans[(0, 5)] == (1, 10, "行政诉讼")
    assert [spans[(1, c)] for c in range(5)] == [(2, 1, t) for t in T4_LEAVES]
    assert spans[(1, 5)] == (1, 5, "未经复议直接起诉")
    assert spans[(1, 10)] == (1, 5, "复议后起诉")
    assert [spans[(2, c)][2] for c in range(5, 15)] == T4_LEAVES * 2
    assert [spans[(3, c)] for c in range(15)] == [(1, 1, "")] * 15


def test_blank_template_text_blocks_in_document_order(blank: Document) -> None:
    kinds = [b.text if isinstance(b, TextBlock) else "<table>" for b in blank.blocks]
    assert kinds == [
        "政府信息公开工作年度报告格式模板", "一、总体情况", "（文字描述）",
        "二、主动公开政府信息情况", "<table>",
        "三、收到和处理政府信息公开申请情况", "<table>",
        "四、政府信息公开行政复议、行政诉讼情况", "<table>",
        "五、存在的主要问题及改进情况", "（文字描述）",
        "六、其他需要报告的事项", "（文字描述，收取信息处理费情况在此处报告。）",
    ]
    # locators count every body paragraph, empty ones included (the template starts with one)
    assert [b.locator.line for b in blank.text_blocks()][:3] == [2, 4, 5]


def test_cell_locators_give_table_row_and_col(blank: Document) -> None:
    t3 = list(blank.tables())[1]
    cell = _cell(t3, 5, 0)
    assert (cell.locator.table, cell.locator.row, cell.locator.col) == (1, 5, 0)
    assert cell.locator.describe() == "table 1 row 5 col 0"


# ---- documents made from a Truth ------------------------------------------------------------

def _value_grid_t3(table: TableBlock) -> list[list[str]]:
    return [[c.text for c in row if c.col >= 3] for row in table.rows()[3:]]


def _expected_t3(truth: Truth) -> list[list[str]]:
    return [[fmt_value(v) for v in truth.t3_row_values(code)] for code, _g, _l in truth.t3_rows()]


@pytest.mark.parametrize("seed", [1, 7, 23])
def test_filled_template_cells_hold_the_truth(seed: int) -> None:
    truth = make_truth(seed, "F2021", big=seed == 23)
    document = _read(fill_official_template(truth))
    t2, t3, t4 = document.tables()
    assert document.blocks[0] == TextBlock(truth.title, document.blocks[0].locator)
    assert _value_grid_t3(t3) == _expected_t3(truth)
    assert [c.text for c in t4.rows()[3]] == [fmt_value(truth.values[c]) for c in T4_CODES]
    t2_rows = {row[0].text: [c.text for c in row[1:]] for row in t2.rows()}
    for _b, _cols, rows in T2_BLOCKS_2021:
        for label, codes in rows:
            assert t2_rows[label] == [fmt_value(truth.values[c]) for c in codes]
    # the merges of the template survive filling
    assert _spans(t3)[(5, 0)][:2] == (22, 1) and _spans(t2)[(6, 1)][:2] == (1, 3)


@pytest.mark.parametrize("template", ["F2019", "F2021"])
def test_built_report_spans_and_values(template: str) -> None:
    truth = make_truth(11, template)
    document = _read(build_docx(truth))
    t2, t3, t4 = document.tables()
    spans = _spans(t3)
    result_rows = 20 if template == "F2019" else 22
    assert spans[(5, 0)] == (result_rows, 1, "三、本年度办理结果")
    assert spans[(0, 0)][:2] == (3, 3) and spans[(1, 4)][:2] == (1, 5)
    assert _value_grid_t3(t3) == _expected_t3(truth)
    assert [c.text for c in t4.rows()[3]] == [fmt_value(truth.values[c]) for c in T4_CODES]
    assert t3.n_cols == 3 + len(APPLICANT_COLS) and t4.n_cols == 15 and t2.n_cols == 4
    if template == "F2019":
        other = [c for c in t3.cells if c.text == "（六）其他处理"]
        assert [(c.rowspan, c.colspan) for c in other] == [(1, 2)]
        fees = next(row for row in t2.rows() if row[0].text == "行政事业性收费")
        assert [(c.text, c.colspan) for c in fees[1:]] == [
            (fmt_value(truth.values["active.admin_fees.items_prev_year"]), 1),
            (fmt_value(truth.values["active.admin_fees.items_change"]), 2),
        ]


# ---- XML cases the templates do not exercise ----------------------------------------------------

def _docx_with_body(fragment: str) -> bytes:
    """A .docx whose body is ``fragment`` (WordprocessingML, ``w:`` prefix bound)."""
    word = docx.Document()
    body = word.element.body
    for child in list(body):
        if not child.tag.endswith("sectPr"):
            body.remove(child)
    wrapper = etree.fromstring(f'<w:body xmlns:w="{W_NS}">{fragment}</w:body>')
    for index, child in enumerate(list(wrapper)):
        body.insert(index, child)
    out = BytesIO()
    word.save(out)
    return out.getvalue()


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def _tc(content: str, pr: str = "") -> str:
    return f"<w:tc><w:tcPr>{pr}</w:tcPr>{content}</w:tc>"


def test_grid_before_and_after_shift_cells() -> None:
    rows = (
        "<w:tr>" + _tc(_p("a")) + _tc(_p("b")) + _tc(_p("c")) + "</w:tr>"
        + "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>" + _tc(_p("d")) + _tc(_p("e")) + "</w:tr>"
        + "<w:tr><w:trPr><w:gridAfter w:val=\"2\"/></w:trPr>" + _tc(_p("f")) + "</w:tr>"
    )
    table = next(_read(_docx_with_body(f"<w:tbl>{rows}</w:tbl>")).tables())
    assert {(c.row, c.col): c.text for c in table.cells} == {
        (0, 0): "a", (0, 1): "b", (0, 2): "c", (1, 1): "d", (1, 2): "e", (2, 0): "f"}
    assert (table.n_rows, table.n_cols) == (3, 3)


def test_vmerge_without_val_continues_and_hmerge_extends() -> None:
    rows = (
        "<w:tr>" + _tc(_p("top"), '<w:vMerge w:val="restart"/>')
        + _tc(_p("x"), '<w:hMerge w:val="restart"/>')
        + _tc("<w:p/>", "<w:hMerge/>") + "</w:tr>"
        + "<w:tr>" + _tc("<w:p/>", "<w:vMerge/>") + _tc(_p("1")) + _tc(_p("2")) + "</w:tr>"
        + "<w:tr>" + _tc(_p("new"), '<w:vMerge w:val="restart"/>') + _tc(_p("3")) + _tc(_p("4")) + "</w:tr>"
    )
    table = next(_read(_docx_with_body(f"<w:tbl>{rows}</w:tbl>")).tables())
    assert _spans(table) == {
        (0, 0): (2, 1, "top"), (0, 1): (1, 2, "x"),
        (1, 1): (1, 1, "1"), (1, 2): (1, 1, "2"),
        (2, 0): (1, 1, "new"), (2, 1): (1, 1, "3"), (2, 2): (1, 1, "4"),
    }


def test_cell_paragraphs_join_without_space_between_cjk() -> None:
    cell = (_tc(_p("（二）部分公开（区分处理的，") + _p("只计这一情形）"))
            + _tc(_p("12") + _p(" 34 ")) + _tc(_p("\u3000")))
    table = next(_read(_docx_with_body(f"<w:tbl><w:tr>{cell}</w:tr></w:tbl>")).tables())
    assert [c.text for c in table.cells] == ["（二）部分公开（区分处理的，只计这一情形）", "12 34", ""]


def test_join_lines_rules() -> None:
    assert join_lines(["三、本年度", "办理结果"]) == "三、本年度办理结果"
    assert join_lines(["Total", "总计"]) == "Total 总计"
    assert join_lines(["  a \t b ", "", "c"]) == "a b c"


def test_nested_table_is_read_as_layout() -> None:
    inner = "<w:tbl><w:tr>" + _tc(_p("规章")) + _tc(_p("5")) + "</w:tr></w:tbl>"
    outer = "<w:tbl><w:tr>" + _tc(_p("二、主动公开政府信息情况") + inner + "<w:p/>") + "</w:tr></w:tbl>"
    document = _read(_docx_with_body(_p("标题") + outer + _p("三、收到")))
    assert [b.text if isinstance(b, TextBlock) else b.text() for b in document.blocks] == [
        "标题", "二、主动公开政府信息情况", "规章\t5", "三、收到"]
    assert next(document.tables()).locator.table == 0


def test_content_controls_tracked_changes_and_breaks() -> None:
    fragment = (
        "<w:sdt><w:sdtContent>" + _p("一、总体情况") + "</w:sdtContent></w:sdt>"
        + "<w:p><w:r><w:t>某某县</w:t></w:r><w:ins><w:r><w:t>人民政府</w:t></w:r></w:ins>"
        + "<w:del><w:r><w:delText>删掉</w:delText></w:r></w:del>"
        + "<w:r><w:br/><w:t>2024年政府信息公开工作年度报告</w:t></w:r>"
        + "<w:r><w:instrText>PAGE</w:instrText></w:r></w:p>"
    )
    texts = [b.text for b in _read(_docx_with_body(fragment)).text_blocks()]
    # a line break joins like a wrapped line: no space between CJK characters, one before a digit
    assert texts == ["一、总体情况", "某某县人民政府 2024年政府信息公开工作年度报告"]


# ---- damaged files ------------------------------------------------------------------------------

def test_truncated_docx_is_corrupt_file() -> None:
    data = BLANK.read_bytes()
    with pytest.raises(ExtractionError) as err:
        _read(data[: len(data) // 2])
    assert err.value.code == "corrupt_file"


def test_zip_without_word_part_is_corrupt_file() -> None:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("hello.txt", "not a word file")
    with pytest.raises(ExtractionError) as err:
        _read(out.getvalue())
    assert err.value.code == "corrupt_file"


def test_malformed_document_xml_is_corrupt_file() -> None:
    source = zipfile.ZipFile(BLANK)
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for item in source.infolist():
            payload = source.read(item.filename)
            zf.writestr(item, payload[:2000] if item.filename == "word/document.xml" else payload)
    with pytest.raises(ExtractionError) as err:
        _read(out.getvalue())
    assert err.value.code == "corrupt_file"


def test_zero_byte_docx_is_empty_file() -> None:
    with pytest.raises(ExtractionError) as err:
        _read(b"")
    assert err.value.code == "empty_file"
