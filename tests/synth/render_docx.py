"""Render a :class:`~tests.synth.truth.Truth` as a Word (.docx) document.

Two layouts:

* :func:`fill_official_template` writes the values into the official blank F2021 template
  (tests/data/official-blank-template-2021-format.docx), finding rows by their printed labels and
  value cells by position, so the template's own merged cells (gridSpan/vMerge) are kept.
* :func:`build_docx` builds the whole report from scratch with python-docx (either layout,
  F2019 or F2021), merging cells with ``cell.merge`` as Word does.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

from tests.synth.truth import (
    APPLICANT_COLS,
    HEADINGS,
    T3_CORNER,
    T3_RESULT_GROUP,
    Truth,
    fmt_value,
)

TEST_DATA = Path(__file__).resolve().parent.parent / "data"
OFFICIAL_TEMPLATE = TEST_DATA / "official-blank-template-2021-format.docx"

T3_APPLICANT_HEADERS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
T4_LEAVES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def _tc_text(tc: etree._Element) -> str:
    return "".join(t.text or "" for t in tc.iter(qn("w:t"))).strip().replace("\u3000", "")


def _row_tcs(tr: etree._Element) -> list[etree._Element]:
    return list(tr.iterchildren(qn("w:tc")))


def _set_tc_text(tc: etree._Element, table: Table, text: str) -> None:
    """Replace a cell's text, keeping its first paragraph (and so its alignment)."""
    cell = _Cell(tc, table)
    first, *rest = cell.paragraphs
    for paragraph in rest:
        paragraph._p.getparent().remove(paragraph._p)
    for run in list(first.runs):
        run._r.getparent().remove(run._r)
    if text:
        first.add_run(text)


def _table_with(word: WordDocument, keyword: str) -> Table:
    for table in word.tables:
        if keyword in "".join(_tc_text(tc) for tc in table._tbl.iter(qn("w:tc"))):
            return table
    raise ValueError(f"no table containing {keyword!r} in the template")


def _fill_t2(table: Table, truth: Truth) -> None:
    codes_by_label = {label: codes for _block, _cols, rows in truth.t2_blocks() for label, codes in rows}
    seen: set[str] = set()
    for tr in table._tbl.tr_lst:
        tcs = _row_tcs(tr)
        label = _tc_text(tcs[0])
        if label not in codes_by_label:
            continue
        codes = codes_by_label[label]
        value_tcs = tcs[1:]
        assert len(value_tcs) == len(codes), f"T2 row {label}: {len(value_tcs)} cells for {len(codes)} values"
        for tc, code in zip(value_tcs, codes, strict=True):
            _set_tc_text(tc, table, fmt_value(truth.values[code]))
        seen.add(label)
    assert seen == set(codes_by_label), f"T2 rows not found in the template: {set(codes_by_label) - seen}"


def _fill_t3(table: Table, truth: Truth) -> None:
    code_by_leaf = {leaf: code for code, _group, leaf in truth.t3_rows()}
    seen: set[str] = set()
    n_values = len(APPLICANT_COLS)
    for tr in table._tbl.tr_lst:
        tcs = _row_tcs(tr)
        labels = [t for t in (_tc_text(tc) for tc in tcs[:-n_values]) if t]
        if not labels or labels[-1] not in code_by_leaf:
            continue
        code = code_by_leaf[labels[-1]]
        for tc, value in zip(tcs[-n_values:], truth.t3_row_values(code), strict=True):
            _set_tc_text(tc, table, fmt_value(value))
        seen.add(code)
    missing = set(code_by_leaf.values()) - seen
    assert not missing, f"T3 rows not found in the template: {missing}"


def _fill_t4(table: Table, truth: Truth) -> None:
    tcs = _row_tcs(table._tbl.tr_lst[-1])
    assert len(tcs) == 15, f"T4 data row has {len(tcs)} cells"
    for tc, value in zip(tcs, truth.t4_values(), strict=True):
        _set_tc_text(tc, table, fmt_value(value))


def _set_paragraph_text(paragraph: Paragraph, text: str) -> None:
    runs = paragraph.runs
    for run in runs[1:]:
        run._r.getparent().remove(run._r)
    if runs:
        runs[0].text = text
    else:
        paragraph.add_run(text)


def fill_official_template(truth: Truth, template: Path = OFFICIAL_TEMPLATE) -> bytes:
    """The official F2021 blank template with ``truth``'s values and title written in."""
    if truth.template != "F2021":
        raise ValueError("the official blank template is the F2021 layout")
    word = docx.Document(str(template))
    title = next(p for p in word.paragraphs if "年度报告" in p.text)
    _set_paragraph_text(title, truth.title)
    _fill_t2(_table_with(word, "第二十条"), truth)
    _fill_t3(_table_with(word, "本年新收"), truth)
    _fill_t4(_table_with(word, "行政复议"), truth)
    out = BytesIO()
    word.save(out)
    return out.getvalue()


# ---- building a report from scratch -------------------------------------------------------------

T2_GRID_COLS = 4
T3_GRID_COLS = 3 + len(APPLICANT_COLS)
T4_GRID_COLS = 15


def _write(cell: _Cell, text: str) -> None:
    cell.text = text


def _build_t2(word: WordDocument, truth: Truth) -> None:
    n_rows = sum(2 + len(rows) for _b, _c, rows in truth.t2_blocks())
    table = word.add_table(rows=n_rows, cols=T2_GRID_COLS)
    table.style = "Table Grid"
    r = 0
    for block, columns, rows in truth.t2_blocks():
        header = table.cell(r, 0).merge(table.cell(r, T2_GRID_COLS - 1))
        _write(header, block)
        texts_by_row = [["信息内容", *columns]] + [[label, *(fmt_value(truth.values[c]) for c in codes)]
                                                  for label, codes in rows]
        for offset, texts in enumerate(texts_by_row, start=1):
            row = r + offset
            # the last printed column takes up the grid columns the block does not use
            last = table.cell(row, len(texts) - 1)
            if len(texts) < T2_GRID_COLS:
                last = last.merge(table.cell(row, T2_GRID_COLS - 1))
            for c, text in enumerate(texts[:-1]):
                _write(table.cell(row, c), text)
            _write(last, texts[-1])
        r += 1 + len(texts_by_row)


def _build_t3(word: WordDocument, truth: Truth) -> None:
    rows = truth.t3_rows()
    table = word.add_table(rows=3 + len(rows), cols=T3_GRID_COLS)
    table.style = "Table Grid"
    _write(table.cell(0, 0).merge(table.cell(2, 2)), T3_CORNER)
    _write(table.cell(0, 3).merge(table.cell(0, T3_GRID_COLS - 1)), "申请人情况")
    _write(table.cell(1, 3).merge(table.cell(2, 3)), "自然人")
    _write(table.cell(1, 4).merge(table.cell(1, 8)), "法人或其他组织")
    _write(table.cell(1, 9).merge(table.cell(2, 9)), "总计")
    for c, text in enumerate(T3_APPLICANT_HEADERS, start=4):
        _write(table.cell(2, c), text)
    result_rows = [i for i, (code, _g, _l) in enumerate(rows) if code.startswith("applications.result.")]
    first, last = 3 + result_rows[0], 3 + result_rows[-1]
    _write(table.cell(first, 0).merge(table.cell(last, 0)), T3_RESULT_GROUP)
    group_start: dict[str, int] = {}
    group_end: dict[str, int] = {}
    for i, (code, group, leaf) in enumerate(rows):
        r = 3 + i
        if group is not None:
            group_start.setdefault(group, r)
            group_end[group] = r
            _write(table.cell(r, 2), leaf)
        elif code.startswith("applications.result."):
            _write(table.cell(r, 1).merge(table.cell(r, 2)), leaf)
        else:
            _write(table.cell(r, 0).merge(table.cell(r, 2)), leaf)
        for c, value in enumerate(truth.t3_row_values(code), start=3):
            _write(table.cell(r, c), fmt_value(value))
    for group, start in group_start.items():
        _write(table.cell(start, 1).merge(table.cell(group_end[group], 1)), group)


def _build_t4(word: WordDocument, truth: Truth) -> None:
    table = word.add_table(rows=4, cols=T4_GRID_COLS)
    table.style = "Table Grid"
    _write(table.cell(0, 0).merge(table.cell(0, 4)), "行政复议")
    _write(table.cell(0, 5).merge(table.cell(0, 14)), "行政诉讼")
    for c, text in enumerate(T4_LEAVES):
        _write(table.cell(1, c).merge(table.cell(2, c)), text)
    _write(table.cell(1, 5).merge(table.cell(1, 9)), "未经复议直接起诉")
    _write(table.cell(1, 10).merge(table.cell(1, 14)), "复议后起诉")
    for c in range(5, 15):
        _write(table.cell(2, c), T4_LEAVES[(c - 5) % 5])
    for c, value in enumerate(truth.t4_values()):
        _write(table.cell(3, c), fmt_value(value))


def build_docx(truth: Truth) -> bytes:
    """A whole report (title, six sections, tables 二–四) built with python-docx, either layout."""
    word = docx.Document()
    word.add_paragraph(truth.title)
    word.add_paragraph(f"本报告统计期限为{truth.year}年1月1日至{truth.year}年12月31日。")
    builders = {1: _build_t2, 2: _build_t3, 3: _build_t4}
    for index, heading in enumerate(HEADINGS):
        word.add_paragraph(heading)
        if index in builders:
            builders[index](word, truth)
        else:
            word.add_paragraph("（文字描述）")
    out = BytesIO()
    word.save(out)
    return out.getvalue()
