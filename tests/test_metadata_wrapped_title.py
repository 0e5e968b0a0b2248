"""Issue 9: a title printed over two (or three) lines in a PDF keeps its year and issuer.

The fixtures are reportlab PDFs (as tests/synth/render_pdf.py makes them) whose title paragraph
wraps — naturally, at the page width, or by an explicit line break — with the statistics period
sentence removed, so the title is the only place the year is printed.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate

from gongkai.convert.formats import READERS
from gongkai.convert.stages import extract_bytes
from gongkai.model.result import Status
from gongkai.model.settings import ExtractSettings
from tests.synth import render_pdf as rp
from tests.synth.truth import Truth, make_truth


def _pdf(truth: Truth, title_lines: list[str] | None = None) -> bytes:
    """The report as a PDF without the statistics period; the title as one wrapping paragraph, or
    as ``title_lines`` (one paragraph per printed line)."""
    flow = rp.story(truth, rp.PdfVariant())
    assert "统计期限" in flow[2].text
    head = [Paragraph(line, rp._TITLE) for line in title_lines] if title_lines else [flow[0]]
    flow = head + flow[1:2] + flow[3:]
    out = BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=72, rightMargin=72, topMargin=72, bottomMargin=72).build(flow)
    return out.getvalue()


def _truth(issuer: str) -> Truth:
    truth = make_truth(3, "F2021")
    truth.year, truth.issuer = 2025, issuer
    return truth


def _first_lines(data: bytes) -> list[str]:
    return [b.text for b in list(READERS["pdf"](data, "t.pdf", ExtractSettings()).text_blocks())[:3]]


@pytest.mark.parametrize(("issuer", "tail"), [
    ("某某县市场监督管理局", "告"),  # "…2025年政府信息公开工作年度报" / "告"
    ("某某自治县市场监督管理局", "度报告"),
    ("某某省某某市某某县市场监督管理局", "开工作年度报告"),  # the title words themselves are cut
])
def test_a_title_wrapped_at_the_page_width_keeps_year_and_issuer(issuer: str, tail: str) -> None:
    truth = _truth(issuer)
    data = _pdf(truth)
    lines = _first_lines(data)
    assert lines[1] == tail and lines[0] + lines[1] == truth.title  # the fixture really wraps
    result = extract_bytes(data, "wrapped.pdf")
    assert (result.title, result.year, result.issuer) == (truth.title, 2025, issuer)
    assert result.status is Status.OK and result.reasons == []


def test_a_title_broken_by_hand_over_three_lines() -> None:
    truth = _truth("某某市人民政府办公室")
    data = _pdf(truth, ["某某市人民政府办公室2025年", "政府信息公开工作年度", "报告"])
    result = extract_bytes(data, "three-lines.pdf")
    assert (result.year, result.issuer) == (2025, "某某市人民政府办公室")
    assert result.title == truth.title


def test_issuer_line_above_a_wrapped_title() -> None:
    truth = _truth("淮安市人民政府")
    data = _pdf(truth, ["淮安市人民政府", "2025年政府信息公开工作年度报", "告"])
    result = extract_bytes(data, "issuer-above.pdf")
    assert (result.title, result.year, result.issuer) == (truth.title, 2025, "淮安市人民政府")


def _text_report(head: list[str]) -> bytes:
    body = ["一、总体情况", "本年度工作有序推进。", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    return "\n".join(head + body).encode("utf-8")


def test_prose_is_not_glued_to_a_title_fragment() -> None:
    # a sentence that happens to continue the words is not a title line: no invented year/issuer
    head = ["某某县2025年政府信息公开工作", "年度报告编制说明如下：本报告由县政府办公室编制，统计数据截至12月31日。"]
    result = extract_bytes(_text_report(head), "prose.txt")
    assert result.title is None and result.issuer is None


def test_a_text_title_wrapped_in_the_source_file() -> None:
    head = ["某某县人民政府2025年政府信息公开工作年度报", "告"]
    result = extract_bytes(_text_report(head), "wrapped.txt")
    assert (result.year, result.issuer) == (2025, "某某县人民政府")
