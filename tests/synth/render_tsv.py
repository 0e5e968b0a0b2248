"""Render a Truth as a plain-text report whose tables are tab-separated (like a copied web page).

The layout follows the real text samples: title, six section headings with prose, table 二 as
blocks of (header row, column row, data rows), table 三 with group labels in the first columns and
seven value columns, table 四 as two header rows and one row of fifteen values.
"""

from __future__ import annotations

from tests.synth.truth import APPLICANT_COLS, HEADINGS, T3_CORNER, T3_RESULT_GROUP, Truth, fmt_value

_PROSE = "本年度，我单位认真贯彻落实《中华人民共和国政府信息公开条例》，扎实做好政府信息公开工作。"


def _t2_lines(truth: Truth) -> list[str]:
    lines = []
    for block, cols, rows in truth.t2_blocks():
        lines.append("\t".join([block, *[""] * len(cols)]))
        lines.append("\t".join(["信息内容", *cols]))
        for label, codes in rows:
            lines.append("\t".join([label, *[fmt_value(truth.values[c]) for c in codes]]))
    return lines


def _t3_lines(truth: Truth) -> list[str]:
    lines = [
        f"{T3_CORNER}\t\t申请人情况\t\t\t\t\t\t总计",
        "\t\t自然人\t法人或其他组织\t\t\t\t\t",
        "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t",
    ]
    for code, group, label in truth.t3_rows():
        values = [fmt_value(v) for v in truth.t3_row_values(code)]
        if code.startswith("applications.result."):
            first = T3_RESULT_GROUP
            cells = [first, group, label] if group else [first, label]
        else:
            cells = [label, ""]
        lines.append("\t".join([*cells, *values]))
    assert len(APPLICANT_COLS) == 7
    return lines


def _t4_lines(truth: Truth) -> list[str]:
    return [
        "行政复议\t\t\t\t\t行政诉讼",
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉",
        "\t\t\t\t\t" + "\t".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2),
        "\t".join(fmt_value(v) for v in truth.t4_values()),
    ]


def render_tsv(truth: Truth) -> str:
    """The report as text (UTF-8 when encoded by the caller)."""
    lines = [truth.title, "", HEADINGS[0], _PROSE, "", HEADINGS[1], *_t2_lines(truth), "",
             HEADINGS[2], *_t3_lines(truth), "", HEADINGS[3], *_t4_lines(truth), "",
             HEADINGS[4], "一是公开内容有待丰富。二是解读形式有待创新。", "", HEADINGS[5], "无。", ""]
    return "\n".join(lines)


def render_tsv_bytes(truth: Truth) -> bytes:
    return render_tsv(truth).encode("utf-8")
