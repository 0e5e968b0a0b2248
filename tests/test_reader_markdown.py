"""Markdown reader: broken pipe tables, text lines, embedded HTML tables, synthetic reports."""

from __future__ import annotations

import pytest

from gongkai.convert.formats import detect_format
from gongkai.convert.stages import extract_bytes
from gongkai.extractors.readers.markdown import is_separator_row, read, split_row
from gongkai.model.document import Document, TableBlock, TextBlock
from tests.synth.compare import assert_matches_truth
from tests.synth.render_markdown import MarkdownVariant, render_markdown
from tests.synth.truth import APPLICANT_COLS, HEADINGS, Truth, fmt_value, make_truth


def read_md(text: str | bytes) -> Document:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return read(raw, "report.md")


def rows(table: TableBlock) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows()]


def test_split_row_with_and_without_outer_pipes() -> None:
    assert split_row("| 规章 | 1 | 2 |") == ["规章", "1", "2"]
    assert split_row("规章 | 1 | 2") == ["规章", "1", "2"]
    assert split_row("|  | 1.属于<br>国家秘密 | a\\|b |") == ["", "1.属于国家秘密", "a|b"]
    assert split_row("| 251000<br/>元 | &nbsp; |") == ["251000 元", ""]


def test_separator_rows() -> None:
    assert is_separator_row(["---", ":---:", "--:"])
    assert is_separator_row(["---", ""])
    assert not is_separator_row(["---", "1"])
    assert not is_separator_row(["", ""])


def test_broken_pipe_table_and_text_lines() -> None:
    doc = read_md(
        "# 某某县2020年政府信息公开工作年度报告\n\n## 一、总体情况\n**2020年**，本机关……\n\n"
        "| 第二十条第（一）项 | | | |\n|---|---|---|---|\n"
        "| 信息内容 | 本年新<br>制作数量 | 本年新公开数量 | 对外公开总数量 |\n"
        "规章 | 1 | 2 | 3\n| 规范性文件 | 4 | 5 |\n|:--|--|\n| 合计 | 9 |\n\n"
        "这不是表格 a | b\n> 引用的文字\n- 列表项\n"
    )
    blocks = doc.blocks
    assert [b.text for b in blocks[:3] if isinstance(b, TextBlock)] == [
        "某某县2020年政府信息公开工作年度报告", "一、总体情况", "2020年，本机关……"]
    assert [b.locator.line for b in blocks[:3]] == [1, 3, 4]
    table = blocks[3]
    assert isinstance(table, TableBlock)
    assert rows(table) == [
        ["第二十条第（一）项", "", "", ""],
        ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
        ["规章", "1", "2", "3"], ["规范性文件", "4", "5"], ["合计", "9"],
    ]
    assert (table.n_rows, table.n_cols) == (5, 4)
    assert [row[0].locator.line for row in table.rows()] == [6, 8, 9, 10, 12]
    assert table.rows()[2][1].locator.table == 0 and table.rows()[2][1].locator.row == 2
    tail = [b.text for b in blocks[4:] if isinstance(b, TextBlock)]
    assert tail == ["这不是表格 a | b", "引用的文字", "列表项"]


def test_html_table_inside_markdown_keeps_spans() -> None:
    doc = read_md("## 三、收到和处理政府信息公开申请情况\n\n"
                  "<table><tr><td rowspan=\"2\">三、本年度办理结果</td>"
                  "<td>（一）予以公开</td><td>5</td></tr>\n<tr><td>（二）部分公开</td><td>&nbsp;</td></tr></table>\n"
                  "\n| a | b |\n| c | d |\n")
    first, second = list(doc.tables())
    assert rows(first) == [["三、本年度办理结果", "（一）予以公开", "5"], ["（二）部分公开", ""]]
    assert first.rows()[0][0].rowspan == 2 and first.rows()[1][0].locator.line == 4
    assert second.locator.table == 1 and rows(second) == [["a", "b"], ["c", "d"]]


def test_fenced_code_is_text() -> None:
    doc = read_md("```\n| a | b |\n| c | d |\n```\n")
    assert [b.text for b in doc.blocks if isinstance(b, TextBlock)] == ["| a | b |", "| c | d |"]


@pytest.mark.parametrize(("data", "suffix", "fmt"), [
    ("# 标题\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", "", "md"),
    ("| 信息内容 | 本年新<br>制作数量 |\n|---|---|\n| <br> | <br> |\n| 规章 | <br> |\n", ".txt", "md"),
    ("# 标题\n\n正文\n", ".md", "md"),
    ("<html><body><table><tr><td>a</td></tr></table></body></html>", ".md", "html"),
])
def test_detect_format_recognises_markdown(data: str, suffix: str, fmt: str) -> None:
    assert detect_format(data.encode("utf-8"), suffix) == fmt


VARIANTS: dict[str, MarkdownVariant] = {
    "plain": MarkdownVariant(),
    "no-outer-pipes": MarkdownVariant(outer_pipes=False),
    "no-separator": MarkdownVariant(separator=False),
    "br-in-cells": MarkdownVariant(br_in_cells=True),
    "merged-header": MarkdownVariant(merged_header=True),
    "gbk": MarkdownVariant(encoding="gbk", outer_pipes=False),
}


@pytest.mark.parametrize("template", ["F2021", "F2019"])
@pytest.mark.parametrize("name", list(VARIANTS))
def test_synthetic_markdown_grids(name: str, template: str) -> None:
    truth = make_truth(31, template)
    doc = read(render_markdown(truth, VARIANTS[name]), "synthetic.md")
    texts = [b.text for b in doc.text_blocks()]
    assert texts[0] == truth.title
    assert [texts.index(h) for h in HEADINGS] == sorted(texts.index(h) for h in HEADINGS)
    t2, t3, t4 = doc.tables()
    header_rows = 1 if VARIANTS[name].merged_header else 3
    body = rows(t3)[header_rows:]
    for row, (code, _group, leaf) in zip(body, truth.t3_rows(), strict=True):
        assert row[-7:] == [fmt_value(truth.values[f"{code}@{c}"]) for c in APPLICANT_COLS]
        assert [c for c in row[:-7] if c][-1] == leaf
    assert rows(t4)[-1] == [fmt_value(v) for v in truth.t4_values()]
    assert rows(t2)[0][0] == "第二十条第（一）项"


def _assert_extracted(truth: Truth, data: bytes, source: str) -> None:
    assert_matches_truth(extract_bytes(data, source), truth, null_flags=(), every_code=False)


@pytest.mark.parametrize("template", ["F2021", "F2019"])
@pytest.mark.parametrize("name", list(VARIANTS))
def test_synthetic_markdown_end_to_end(name: str, template: str) -> None:
    truth = make_truth(41, template)
    _assert_extracted(truth, render_markdown(truth, VARIANTS[name]), "synthetic.md")
