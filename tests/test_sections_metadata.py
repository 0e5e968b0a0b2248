"""Section locator and title metadata on the wording variants of docs/form.md § Deviations, D1, D18, D27."""

from __future__ import annotations

import pytest

from gongkai.extractors.metadata import issuer_from_title, year_from_text
from gongkai.extractors.readers.text import text_to_blocks
from gongkai.extractors.sections import locate_sections
from gongkai.model.document import Document


def _sections(text: str) -> dict[int, str]:
    located = locate_sections(Document("t.txt", "txt", text_to_blocks(text)))
    return {n: h.text for n, h in located.found.items()}


def test_preamble_listing_the_sections_is_not_taken_for_headings() -> None:
    text = ("本报告包括一、总体情况，二、主动公开政府信息情况，三、收到和处理政府信息公开申请情况等。\n"
            "一、总体情况\n正文。\n二、主动公开政府信息情况\n表\n三、收到和处理政府信息公开申请情况\n"
            "三、本年度办理结果\t1\n四、结转下年度继续办理\t0\n"
            "四、政府信息公开行政复议、行政诉讼情况\n五、政府信息公开工作存在的主要问题及改进情况\n六、其他需要报告的事项\n无。")
    found = _sections(text)
    assert sorted(found) == [1, 2, 3, 4, 5, 6]
    assert found[4] == "四、政府信息公开行政复议、行政诉讼情况"
    assert found[5] == "五、政府信息公开工作存在的主要问题及改进情况"


@pytest.mark.parametrize(("heading", "number"), [
    ("三、依申请公开政府信息情况", 3),
    ("四、因政府信息公开申请行政复议、提起行政诉讼的情况", 4),
    ("五、存在的主要问题和改进情况", 5),
    ("五. 存在问题及改进情况", 5),
    ("二、 主动公开政府信息情况", 2),
])
def test_heading_variants(heading: str, number: int) -> None:
    assert number in _sections(f"{heading}\n内容")


def test_one_line_dump_headings_inline() -> None:
    found = _sections("前言。一、总体情况2019年，我区……二、主动公开政府信息情况 第二十条 三、收到和处理政府信息公开申请情况"
                      "（本列数据）四、政府信息公开行政复议、行政诉讼情况行政复议 五、存在的主要问题及改进情况问题。"
                      "六、其他需要报告的事项 无")
    assert found == {1: "一、总体情况", 2: "二、主动公开政府信息情况", 3: "三、收到和处理政府信息公开申请情况",
                     4: "四、政府信息公开行政复议、行政诉讼情况", 5: "五、存在的主要问题及改进情况",
                     6: "六、其他需要报告的事项"}


def test_subheading_in_parentheses_is_not_a_section() -> None:
    assert 2 not in _sections("（二）主动公开政府信息情况良好\n")


@pytest.mark.parametrize(("title", "issuer", "year"), [
    ("涿州区人民政府 2024 年政府信息公开工作年度报告", "涿州区人民政府", 2024),
    ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅", 2019),
    ("平潭综合实验区2019年度政府信息公开工作年度报告", "平潭综合实验区", 2019),
    ("某某县人民政府二〇二四年度政府信息公开工作年度报告", "某某县人民政府", 2024),
    ("某某局２０２３年政府信息公开工作年度报告", "某某局", 2023),
])
def test_title_issuer_and_year(title: str, issuer: str, year: int) -> None:
    assert issuer_from_title(title) == issuer
    assert year_from_text(title) == year


def test_title_printed_on_two_lines_keeps_the_issuer() -> None:
    """淮安 2024 PDF: "淮安市人民政府" and "2024 年政府信息公开工作年度报告" are separate lines."""
    from gongkai.extractors.metadata import read_metadata

    blocks = text_to_blocks("淮安市人民政府\n2024 年政府信息公开工作年度报告\n本报告由……编制。\n")
    meta = read_metadata(Document("t.pdf", "pdf", blocks))
    assert (meta.issuer, meta.year) == ("淮安市人民政府", 2024)
