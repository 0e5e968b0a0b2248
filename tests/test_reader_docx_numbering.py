"""Automatic list numbers ("一、", "1.") that Word computes rather than stores in the text."""

from __future__ import annotations

from io import BytesIO

import docx
import pytest
from lxml import etree

from gongkai.extractors.readers.docx import read
from gongkai.extractors.readers.docx_numbering import chinese_count, format_number
from gongkai.model.document import TextBlock

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NUMBERING = f"""<w:numbering xmlns:w="{W_NS}">
  <w:abstractNum w:abstractNumId="7">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
      <w:lvlText w:val="（%2）"/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="8">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>
  <w:num w:numId="4"><w:abstractNumId w:val="8"/></w:num>
  <w:num w:numId="5"><w:abstractNumId w:val="7"/>
    <w:lvlOverride w:ilvl="2"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
</w:numbering>"""


def _numbered_docx(paragraphs: list[tuple[str, int | None, int]]) -> bytes:
    """Paragraphs (text, numId or None, ilvl) with the numbering definitions above."""
    word = docx.Document()
    numbering = word.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for child in etree.fromstring(NUMBERING):
        numbering.append(child)
    for text, num_id, ilvl in paragraphs:
        paragraph = word.add_paragraph(text)
        if num_id is not None:
            p_pr = paragraph._p.get_or_add_pPr()
            num_pr = etree.SubElement(p_pr, f"{{{W_NS}}}numPr")
            etree.SubElement(num_pr, f"{{{W_NS}}}ilvl").set(f"{{{W_NS}}}val", str(ilvl))
            etree.SubElement(num_pr, f"{{{W_NS}}}numId").set(f"{{{W_NS}}}val", str(num_id))
    out = BytesIO()
    word.save(out)
    return out.getvalue()


def test_generated_heading_numbers_are_printed() -> None:
    data = _numbered_docx([
        ("某某县2024年政府信息公开工作年度报告", None, 0),
        ("总体情况", 3, 0),
        ("主动公开", 3, 1),
        ("依申请公开", 3, 1),
        ("主动公开政府信息情况", 3, 0),
        ("属于国家秘密", 3, 2),
        ("其他法律行政法规禁止公开", 3, 2),
        ("要点", 4, 0),
        ("收到和处理政府信息公开申请情况", 3, 0),
        ("重新编号", 5, 2),
    ])
    texts = [b.text for b in read(data, "n.docx").blocks if isinstance(b, TextBlock)]
    assert texts == [
        "某某县2024年政府信息公开工作年度报告",
        "一、总体情况", "（一）主动公开", "（二）依申请公开",
        "二、主动公开政府信息情况", "1.属于国家秘密", "2.其他法律行政法规禁止公开",
        "要点",  # a bullet adds nothing
        "三、收到和处理政府信息公开申请情况",
        "1.重新编号",  # a list instance with a start override restarts its level
    ]


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一"),
                                         (100, "一百"), (105, "一百零五"), (110, "一百一十")])
def test_chinese_count(n: int, text: str) -> None:
    assert chinese_count(n) == text


def test_number_formats() -> None:
    assert [format_number(3, f) for f in ("decimal", "lowerLetter", "upperRoman", "decimalEnclosedCircle",
                                          "ideographTraditional", "decimalFullWidth", "bullet")] == [
        "3", "c", "III", "③", "丙", "３", ""]
