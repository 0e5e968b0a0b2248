"""Render a :class:`~tests.synth.truth.Truth` as a Word (.docx) document.

Two layouts:

* :func:`fill_official_template` writes the values into the official blank F2021 template
  (tests/data/official-blank-template-2021-format.docx), finding rows by their printed labels and
  value cells by position, so the template's own merged cells (gridSpan/vMerge) are kept.
* :func:`build_docx` builds the whole report from scratch with python-docx (either layout,
  F2019 or F2021), merging cells with ``cell.merge`` as Word does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass
class _GridSpec:
    """A table to build: cell texts by grid position and the rectangles to merge."""

    n_rows: int
    n_cols: int
    texts: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)

    def put(self, row: int, col: int, text: str, to: tuple[int, int] | None = None) -> None:
        """Write ``text`` at (row, col); with ``to``, merge the rectangle up to that corner."""
        self.texts[(row, col)] = text
        if to is not None and to != (row, col):
            self.merges.append(((row, col), to))


def _materialise(word: WordDocument, spec: _GridSpec) -> None:
    """Add ``spec`` as a Word table: texts first (one cell lookup), then ``cell.merge`` per rectangle."""
    table = word.add_table(rows=spec.n_rows, cols=spec.n_cols)
    table.style = "Table Grid"
    cells = table._cells  # row-major, computed once: table.cell() recomputes it on every call
    for (row, col), text in spec.texts.items():
        cells[row * spec.n_cols + col].text = text
    for (top, left), (bottom, right) in spec.merges:
        table.cell(top, left).merge(table.cell(bottom, right))


def _t2_spec(truth: Truth) -> _GridSpec:
    spec = _GridSpec(sum(2 + len(rows) for _b, _c, rows in truth.t2_blocks()), T2_GRID_COLS)
    last_col = T2_GRID_COLS - 1
    r = 0
    for block, columns, rows in truth.t2_blocks():
        spec.put(r, 0, block, to=(r, last_col))
        texts_by_row = [["信息内容", *columns]] + [[label, *(fmt_value(truth.values[c]) for c in codes)]
                                                  for label, codes in rows]
        for offset, texts in enumerate(texts_by_row, start=1):
            for c, text in enumerate(texts[:-1]):
                spec.put(r + offset, c, text)
            # the last printed column takes up the grid columns the block does not use
            spec.put(r + offset, len(texts) - 1, texts[-1], to=(r + offset, last_col))
        r += 1 + len(texts_by_row)
    return spec


def _t3_spec(truth: Truth) -> _GridSpec:
    rows = truth.t3_rows()
    spec = _GridSpec(3 + len(rows), T3_GRID_COLS)
    spec.put(0, 0, T3_CORNER, to=(2, 2))
    spec.put(0, 3, "申请人情况", to=(0, T3_GRID_COLS - 1))
    spec.put(1, 3, "自然人", to=(2, 3))
    spec.put(1, 4, "法人或其他组织", to=(1, 8))
    spec.put(1, 9, "总计", to=(2, 9))
    for c, text in enumerate(T3_APPLICANT_HEADERS, start=4):
        spec.put(2, c, text)
    result_rows = [i for i, (code, _g, _l) in enumerate(rows) if code.startswith("applications.result.")]
    spec.put(3 + result_rows[0], 0, T3_RESULT_GROUP, to=(3 + result_rows[-1], 0))
    group_rows: dict[str, list[int]] = {}
    for i, (code, group, leaf) in enumerate(rows):
        r = 3 + i
        if group is not None:
            group_rows.setdefault(group, []).append(r)
            spec.put(r, 2, leaf)
        elif code.startswith("applications.result."):
            spec.put(r, 1, leaf, to=(r, 2))
        else:
            spec.put(r, 0, leaf, to=(r, 2))
        for c, value in enumerate(truth.t3_row_values(code), start=3):
            spec.put(r, c, fmt_value(value))
    for group, group_row_list in group_rows.items():
        spec.put(group_row_list[0], 1, group, to=(group_row_list[-1], 1))
    return spec


def _t4_spec(truth: Truth) -> _GridSpec:
    spec = _GridSpec(4, T4_GRID_COLS)
    spec.put(0, 0, "行政复议", to=(0, 4))
    spec.put(0, 5, "行政诉讼", to=(0, 14))
    for c, text in enumerate(T4_LEAVES):
        spec.put(1, c, text, to=(2, c))
    spec.put(1, 5, "未经复议直接起诉", to=(1, 9))
    spec.put(1, 10, "复议后起诉", to=(1, 14))
    for c in range(5, 15):
        spec.put(2, c, T4_LEAVES[(c - 5) % 5])
    for c, value in enumerate(truth.t4_values()):
        spec.put(3, c, fmt_value(value))
    return spec


def build_docx(truth: Truth) -> bytes:
    """A whole report (title, six sections, tables 二–四) built with python-docx, either layout."""
    word = docx.Document()
    word.add_paragraph(truth.title)
    word.add_paragraph(f"本报告统计期限为{truth.year}年1月1日至{truth.year}年12月31日。")
    tables = {1: _t2_spec, 2: _t3_spec, 3: _t4_spec}
    for index, heading in enumerate(HEADINGS):
        word.add_paragraph(heading)
        if index in tables:
            _materialise(word, tables[index](truth))
        else:
            word.add_paragraph("（文字描述）")
    out = BytesIO()
    word.save(out)
    return out.getvalue()
