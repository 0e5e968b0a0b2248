"""Synthetic HTML pages (tests/synth/render_html.py) in every variant: grids carry the printed values
in the right rows, columns and spans, and end-to-end extraction equals the known truth."""

from __future__ import annotations

import dataclasses

import pytest

from gongkai.convert.stages import extract_bytes
from gongkai.extractors.readers.html import read
from gongkai.model.document import Cell, Document, TableBlock
from tests.synth.compare import assert_matches_truth
from tests.synth.render_html import CHROME_SNIPPETS, T3_SPLIT_AT, HtmlVariant, render_html
from tests.synth.truth import (
    APPLICANT_COLS,
    HEADINGS,
    T3_CORNER,
    T3_RESULT_GROUP,
    T4_CODES,
    Truth,
    fmt_value,
    make_truth,
)

VARIANTS: dict[str, HtmlVariant] = {
    "plain": HtmlVariant(),
    "flat": HtmlVariant(merged=False),
    "chrome": HtmlVariant(chrome=True),
    "br-labels": HtmlVariant(br_in_labels=True),
    "span-labels": HtmlVariant(span_labels=True, br_in_labels=True),
    "nbsp-blanks": HtmlVariant(nbsp_blanks=True),
    "split-t3": HtmlVariant(split_t3=True),
    "split-t3-flat": HtmlVariant(split_t3=True, merged=False),
    "malformed-spans": HtmlVariant(malformed_spans=True),
    "gbk-meta": HtmlVariant(encoding="gbk", charset_decl="meta"),
    "gbk-http-equiv": HtmlVariant(encoding="gbk", charset_decl="http-equiv"),
    "gbk-undeclared": HtmlVariant(encoding="gbk", charset_decl="none"),
    "utf8-undeclared": HtmlVariant(charset_decl="none"),
    "saved-page-header": HtmlVariant(encoding="gbk", charset_decl="header", chrome=True),
    "everything": HtmlVariant(chrome=True, br_in_labels=True, span_labels=True, nbsp_blanks=True,
                              split_t3=True, malformed_spans=True, encoding="gbk", charset_decl="header"),
}
SEEDS = {"F2021": 11, "F2019": 12}


def truth_for(template: str, blanks: bool) -> Truth:
    truth = make_truth(SEEDS[template], template)
    if blanks:  # some printed blanks (the reader must give "" and extraction null)
        for i, code in enumerate(sorted(truth.values)):
            if i % 7 == 3:
                truth.values[code] = None
    return truth


def read_page(truth: Truth, variant: HtmlVariant) -> Document:
    return read(render_html(truth, variant), "synthetic.html")


def anchors_by_row(table: TableBlock) -> list[list[Cell]]:
    return table.rows()


def t3_rows(truth: Truth, doc: Document) -> list[list[Cell]]:
    """Body rows of T3 over all its TableBlocks (the header is the first 3 rows of the first)."""
    t3_tables = list(doc.tables())[1:-1]
    rows = anchors_by_row(t3_tables[0])[3:]
    for table in t3_tables[1:]:
        rows += anchors_by_row(table)
    return rows


def check_t2(truth: Truth, table: TableBlock) -> None:
    rows = anchors_by_row(table)
    r = 0
    for block, columns, data in truth.t2_blocks():
        assert [(c.text, c.col, c.colspan) for c in rows[r]] == [(block, 0, 4)]
        spans = [1] * (len(columns) - 1) + [4 - len(columns)]
        cols = [1 + sum(spans[:i]) for i in range(len(spans))]
        assert [(c.text, c.col, c.colspan) for c in rows[r + 1]] == [
            ("信息内容", 0, 1), *zip(columns, cols, spans, strict=True)]
        for i, (label, codes) in enumerate(data):
            want = [(label, 0, 1)] + [(fmt_value(truth.values[code]), col, span)
                                      for code, col, span in zip(codes, cols, spans, strict=True)]
            assert [(c.text, c.col, c.colspan) for c in rows[r + 2 + i]] == want
        r += 2 + len(data)
    assert table.n_rows == r and table.n_cols == 4


def check_t3(truth: Truth, doc: Document, variant: HtmlVariant) -> None:
    t3 = list(doc.tables())[1]
    header = anchors_by_row(t3)[:3]
    assert (header[0][0].text, header[0][0].col) == (T3_CORNER, 0)
    assert [(c.text, c.col, c.colspan) for c in header[1] if c.text] == [
        ("自然人", 3, 1), ("法人或其他组织", 4, 5), ("总计", 9, 1)]
    if variant.merged:
        assert (header[0][0].rowspan, header[0][0].colspan) == (3, 3)
        assert [c.rowspan for c in header[1]] == [2, 1, 2]
    body = t3_rows(truth, doc)
    expected = truth.t3_rows()
    assert len(body) == len(expected)
    for cells, (code, group, leaf) in zip(body, expected, strict=True):
        values = [fmt_value(truth.values[f"{code}@{col}"]) for col in APPLICANT_COLS]
        assert [(c.text, c.col) for c in cells[-7:]] == list(zip(values, range(3, 10), strict=True)), code
        labels = [c.text for c in cells[:-7]]
        assert labels[-1] == leaf
        if not variant.merged and code.startswith("applications.result."):
            assert labels[0] == T3_RESULT_GROUP and (group is None or labels[1] == group)
    if variant.merged:
        check_t3_spans(truth, body, variant)


def check_t3_spans(truth: Truth, body: list[list[Cell]], variant: HtmlVariant) -> None:
    expected = truth.t3_rows()
    n_result = sum(1 for r in expected if r[0].startswith("applications.result."))
    first = 2  # rows 一 and 二 come first
    result_cells = [(i, c) for i, row in enumerate(body) for c in row if c.text == T3_RESULT_GROUP]
    if variant.split_t3:
        in_first = T3_SPLIT_AT - first
        want = [(first, in_first), (T3_SPLIT_AT, n_result - in_first)]
        assert [(i, c.rowspan) for i, c in result_cells] == want
    else:
        assert [(i, c.rowspan) for i, c in result_cells] == [(first, n_result)]
        assert n_result == (22 if truth.template == "F2021" else 20)
        group_spans = {c.text: c.rowspan for row in body for c in row if c.col == 1 and c.colspan == 1}
        assert group_spans["（三）不予公开"] == 8 and group_spans["（四）无法提供"] == 3
        assert group_spans["（五）不予处理"] == 5
        if truth.template == "F2021":
            assert group_spans["（六）其他处理"] == 3


def check_t4(truth: Truth, table: TableBlock, variant: HtmlVariant) -> None:
    rows = anchors_by_row(table)
    assert [(c.text, c.colspan) for c in rows[0]] == [("行政复议", 5), ("行政诉讼", 10)]
    if variant.merged:
        assert [(c.text, c.rowspan) for c in rows[1][:5]] == [
            ("结果维持", 2), ("结果纠正", 2), ("其他结果", 2), ("尚未审结", 2), ("总计", 2)]
    values = [fmt_value(truth.values[code]) for code in T4_CODES]
    assert [(c.text, c.col) for c in rows[3]] == list(zip(values, range(15), strict=True))


@pytest.mark.parametrize("template", ["F2021", "F2019"])
@pytest.mark.parametrize("name", list(VARIANTS))
def test_reader_grids_carry_printed_values(name: str, template: str) -> None:
    variant = VARIANTS[name]
    truth = truth_for(template, blanks=variant.nbsp_blanks)
    doc = read_page(truth, variant)
    texts = [b.text for b in doc.text_blocks()]
    assert texts[0] == truth.title
    positions = [texts.index(h) for h in HEADINGS]
    assert positions == sorted(positions)
    tables = list(doc.tables())
    assert len(tables) == (4 if variant.split_t3 else 3)
    assert [t.locator.table for t in tables] == list(range(len(tables)))
    check_t2(truth, tables[0])
    check_t3(truth, doc, variant)
    check_t4(truth, tables[-1], variant)
    plain = doc.plain_text()
    for snippet in CHROME_SNIPPETS:
        assert snippet not in plain


def test_malformed_spans_give_the_same_grid_as_clean_ones() -> None:
    truth = make_truth(5, "F2021")

    def grid(variant: HtmlVariant) -> list[tuple[int, int, int, int, str]]:
        doc = read_page(truth, variant)
        return [(c.row, c.col, c.rowspan, c.colspan, c.text) for t in doc.tables() for c in t.cells]

    assert grid(HtmlVariant(malformed_spans=True)) == grid(HtmlVariant())


def _assert_extracted(truth: Truth, data: bytes) -> None:
    assert_matches_truth(extract_bytes(data, "synthetic.html"), truth, null_flags=("blank",))


@pytest.mark.parametrize("template", ["F2021", "F2019"])
@pytest.mark.parametrize("name", list(VARIANTS))
def test_end_to_end_extraction_equals_truth(name: str, template: str) -> None:
    variant = VARIANTS[name]
    truth = truth_for(template, blanks=variant.nbsp_blanks)
    _assert_extracted(truth, render_html(truth, variant))


@pytest.mark.parametrize("seed", range(20, 30))
def test_end_to_end_random_seeds_with_everything_variant(seed: int) -> None:
    truth = make_truth(seed)
    variant = dataclasses.replace(VARIANTS["everything"], merged=seed % 2 == 0)
    _assert_extracted(truth, render_html(truth, variant))
