"""Render a :class:`~tests.synth.truth.Truth` as a born-digital PDF (reportlab, STSong-Light).

Title, headings 一…六, prose and ruled tables 二/三/四 drawn as reportlab Tables (GRID style,
SPAN commands for merged cells), a "- N -" page number on every page. Variants
(:class:`PdfVariant`): filler prose pages before/after the tables (long reports, a table split
over two pages), wrapped labels, the vertical 三、本年度办理结果 label, and scans (pages
rasterised to images without a text layer).

pdfplumber and pdfium both read STSong-Light text as Unicode (checked), so no TTF is needed.
Known quirk: pdfium gives one-character strings of this non-embedded CID font no extent and
drops them from its text page (the vertical label); the reader detects such pages and reads
them with pdfminer instead (slower, see benchmarks/bench_pdf.py).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tests.synth.truth import HEADINGS, T3_CORNER, T3_RESULT_GROUP, Truth, fmt_value

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

_BODY = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=20, wordWrap="CJK", firstLineIndent=24)
_TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=28, alignment=1, wordWrap="CJK")
_HEAD = ParagraphStyle("head", fontName=FONT, fontSize=14, leading=24, wordWrap="CJK")
_CELL = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10, wordWrap="CJK")

_FILLER = (
    "本机关坚持以人民为中心的发展思想，持续深化政务公开，推进决策、执行、管理、服务、结果公开，"
    "围绕重点领域信息公开和政策解读回应，不断提升政府信息公开工作质量和实效。",
    "全年通过政府网站、政务新媒体、新闻发布会等渠道发布各类信息，及时回应社会关切，"
    "加强政策解读，规范依申请公开办理流程，按时答复申请人。",
    "健全政府信息公开保密审查机制，落实公开属性源头认定，加强平台建设和监督保障，"
    "组织开展业务培训，提高工作人员的业务能力和服务水平。",
)


@dataclass(frozen=True, slots=True)
class PdfVariant:
    """How to lay a Truth out as a PDF."""

    filler_before: int = 0  # filler paragraphs in section 一 (pushes the tables down/over pages)
    filler_after: int = 0  # filler paragraphs in section 五
    wrap_labels: bool = True  # long labels wrap inside their cell (Paragraph, CJK wrapping)
    vertical_result_label: bool = True  # "三、本年度办理结果" one character per line
    scan_pages: tuple[int, ...] = ()  # 1-based pages rasterised to images without text; (-1,) = all


def _cell(text: str, wrap: bool) -> Any:
    return Paragraph(text, _CELL) if wrap and text else text


def _grid_style(spans: list[tuple[int, int, int, int]]) -> TableStyle:
    commands: list[Any] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("FONT", (0, 0), (-1, -1), FONT, 8),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
    ]
    for c0, r0, c1, r1 in spans:
        commands.append(("SPAN", (c0, r0), (c1, r1)))
    return TableStyle(commands)


def t2_table(truth: Truth, variant: PdfVariant) -> Table:
    rows: list[list[Any]] = []
    spans: list[tuple[int, int, int, int]] = []
    for header, cols, block_rows in truth.t2_blocks():
        spans.append((0, len(rows), 3, len(rows)))
        rows.append([header, "", "", ""])
        head: list[Any] = ["信息内容", *[_cell(c, variant.wrap_labels) for c in cols]]
        if len(cols) < 3:
            spans.append((len(cols), len(rows), 3, len(rows)))
        rows.append(head + [""] * (4 - len(head)))
        for label, codes in block_rows:
            values = [fmt_value(truth.values[c]) for c in codes]
            if len(codes) < 3:
                spans.append((len(codes), len(rows), 3, len(rows)))
            rows.append([label, *values] + [""] * (3 - len(values)))
    return Table(rows, colWidths=[130, 107, 107, 107], style=_grid_style(spans))


_T3_LEGAL_COLS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")


def t3_table(truth: Truth, variant: PdfVariant) -> Table:
    wrap = variant.wrap_labels
    corner = _cell(T3_CORNER, True)
    rows: list[list[Any]] = [
        [corner, "", "", "申请人情况", "", "", "", "", "", ""],
        ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "", "", *[_cell(h, wrap) for h in _T3_LEGAL_COLS], ""],
    ]
    spans = [(0, 0, 2, 2), (3, 0, 9, 0), (3, 1, 3, 2), (4, 1, 8, 1), (9, 1, 9, 2)]
    result_rows = [r for r in truth.t3_rows() if r[0].startswith("applications.result.")]
    first_result = None
    group_start: dict[str, int] = {}
    for code, group, label in truth.t3_rows():
        values = [fmt_value(v) for v in truth.t3_row_values(code)]
        r = len(rows)
        if not code.startswith("applications.result."):
            rows.append([_cell(label, wrap), "", "", *values])
            spans.append((0, r, 2, r))
            continue
        if first_result is None:
            first_result = r
        if group is None:
            rows.append(["", _cell(label, wrap), "", *values])
            spans.append((1, r, 2, r))
        else:
            if group not in group_start:
                group_start[group] = r
            group_cell = _cell(group, wrap) if group_start[group] == r else ""
            rows.append(["", group_cell, _cell(label, wrap), *values])
    for group, start in group_start.items():
        size = sum(1 for row in result_rows if row[1] == group)
        spans.append((1, start, 1, start + size - 1))
    assert first_result is not None
    # a plain multi-line string: pdfium drops the characters of Paragraph <br/> lines (reportlab
    # writes an empty "() Tj" before each one), a quirk real WPS/Word PDFs do not have
    vertical = "\n".join(["三、", *T3_RESULT_GROUP[2:]]) if variant.vertical_result_label else T3_RESULT_GROUP
    rows[first_result][0] = vertical
    spans.append((0, first_result, 0, first_result + len(result_rows) - 1))
    widths = [22 if variant.vertical_result_label else 60, 50, 140, 34, 34, 34, 34, 34, 34, 34]
    return Table(rows, colWidths=widths, style=_grid_style(spans))


def t4_table(truth: Truth) -> Table:
    leaves = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows: list[list[Any]] = [
        ["行政复议", "", "", "", "", "行政诉讼", *[""] * 9],
        [*[_cell(h, True) for h in leaves], _cell("未经复议直接起诉", True), "", "", "", "",
         "复议后起诉", "", "", "", ""],
        ["", "", "", "", "", *[_cell(h, True) for h in leaves * 2]],
        [fmt_value(v) for v in truth.t4_values()],
    ]
    spans = [(0, 0, 4, 0), (5, 0, 14, 0), (5, 1, 9, 1), (10, 1, 14, 1)] + [(c, 1, c, 2) for c in range(5)]
    return Table(rows, colWidths=[30] * 15, style=_grid_style(spans))


def _filler(rng: random.Random, count: int) -> list[Flowable]:
    return [Paragraph(rng.choice(_FILLER) * rng.randint(1, 3), _BODY) for _ in range(count)]


def story(truth: Truth, variant: PdfVariant, seed: int = 0) -> list[Flowable]:
    rng = random.Random(seed)
    flow: list[Flowable] = [Paragraph(truth.title, _TITLE), Spacer(1, 6 * mm)]
    flow.append(Paragraph(f"本报告根据《中华人民共和国政府信息公开条例》编制，统计期限自{truth.year}年1月1日"
                          f"至{truth.year}年12月31日。", _BODY))
    flow.append(Paragraph(HEADINGS[0], _HEAD))
    flow += _filler(rng, 2 + variant.filler_before)
    flow += [Paragraph(HEADINGS[1], _HEAD), t2_table(truth, variant)]
    flow += [Paragraph(HEADINGS[2], _HEAD), t3_table(truth, variant)]
    flow += [Paragraph(HEADINGS[3], _HEAD), t4_table(truth)]
    flow.append(Paragraph(HEADINGS[4], _HEAD))
    flow += _filler(rng, 1 + variant.filler_after)
    flow += [Paragraph(HEADINGS[5], _HEAD), Paragraph("无。", _BODY)]
    return flow


def _page_number(canvas: Canvas, doc: Any) -> None:
    canvas.setFont(FONT, 10)
    canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")


def render_pdf(truth: Truth, variant: PdfVariant | None = None, seed: int = 0) -> bytes:
    """The report as PDF bytes (scanned pages rasterised when the variant asks for them)."""
    variant = variant or PdfVariant()
    out = BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=72, rightMargin=72, topMargin=72, bottomMargin=72,
                            title=truth.title)
    doc.build(story(truth, variant, seed), onFirstPage=_page_number, onLaterPages=_page_number)
    data = out.getvalue()
    if variant.scan_pages:
        data = rasterise_pages(data, variant.scan_pages)
    return data


def rasterise_pages(data: bytes, pages: tuple[int, ...], scale: float = 1.0) -> bytes:
    """Replace ``pages`` (1-based; ``(-1,)`` = all) by images of themselves: no text layer."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader

    pdf = pdfium.PdfDocument(data)
    out = BytesIO()
    canvas = Canvas(out, pagesize=A4)
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            width, height = page.get_size()
            if pages == (-1,) or index + 1 in pages:
                image = page.render(scale=scale).to_pil()
                canvas.setPageSize((width, height))
                canvas.drawImage(ImageReader(image), 0, 0, width, height)
                canvas.showPage()
            else:
                _copy_page_as_vector(canvas, data, index, width, height)
            page.close()
    finally:
        pdf.close()
    canvas.save()
    return out.getvalue()


def _copy_page_as_vector(canvas: Canvas, data: bytes, index: int, width: float, height: float) -> None:
    """Re-draw a page's text (not its rules) so it keeps a text layer in the rasterised copy."""
    import pdfplumber

    with pdfplumber.open(BytesIO(data)) as pdf:
        page = pdf.pages[index]
        canvas.setPageSize((width, height))
        for line in page.extract_text_lines():
            size = line["bottom"] - line["top"]
            canvas.setFont(FONT, max(size, 6))
            canvas.drawString(line["x0"], height - line["bottom"], line["text"])
    canvas.showPage()
