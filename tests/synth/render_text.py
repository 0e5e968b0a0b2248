"""Render a Truth as the text dumps found in the wild (tab-separated tables; one-line crawler dumps).

Variants (all chosen from a seeded random generator so a failure can be replayed):
- tab: label columns shifted per row (D5), trailing tab cells, blanks printed as "", "—", "-" or
  "/", half/full-width parentheses and spaces in labels, "1、" vs "1." numbering;
- oneline: the whole report on one line with the cells of a row run together, optional stray
  spaces between some cells (the Pingtan crawler dump).
"""

from __future__ import annotations

import random

from tests.synth.truth import HEADINGS, T3_CORNER, T3_RESULT_GROUP, T4_CODES, Truth, fmt_value

_PREAMBLE = ("本报告根据《中华人民共和国政府信息公开条例》要求编制，包括总体情况、主动公开政府信息情况、"
             "收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、"
             "其他需要报告的事项。")
_PROSE = "本年度，本机关认真贯彻落实《条例》，不断提升政府信息公开工作质量。"
_BLANKS = ("", "—", "-", "/")


def _label_variant(label: str, rng: random.Random) -> str:
    if rng.random() < 0.3:
        label = label.replace("（", "(").replace("）", ")")
    if rng.random() < 0.3:
        label = label.replace(".", ". ", 1)
    if rng.random() < 0.2:
        label = label.replace(".", "、", 1)
    return label


def _cell(value: float | None, rng: random.Random, blank_style: str) -> str:
    return fmt_value(value) if value is not None else blank_style


def render_tab(truth: Truth, seed: int = 0) -> str:
    rng = random.Random(seed)
    blank = rng.choice(_BLANKS)
    lines = [f"{truth.issuer} {truth.year} 年政府信息公开工作年度报告", "", _PREAMBLE, "", HEADINGS[0], _PROSE, "",
             HEADINGS[1], ""]
    for block, columns, rows in truth.t2_blocks():
        width = 4
        lines.append("\t".join([block] + [""] * (width - 1)))
        lines.append("\t".join(["信息内容", *columns] + [""] * (width - 1 - len(columns))))
        for label, codes in rows:
            cells = [_cell(truth.values[c], rng, blank) for c in codes]
            lines.append("\t".join([label, *cells] + [""] * (width - 1 - len(cells))))
    lines += ["", HEADINGS[2], ""]
    lines.append(f"{T3_CORNER}\t\t申请人情况\t\t\t\t\t\t总计\t")
    lines.append("\t\t自然人\t法人或其他组织\t\t\t\t\t\t")
    lines.append("\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\t")
    previous_group: str | None = None
    for code, group, label in truth.t3_rows():
        values = [_cell(v, rng, blank) for v in truth.t3_row_values(code)]
        label = _label_variant(label, rng)
        if code == "applications.result.granted":
            prefix = [T3_RESULT_GROUP, label]
        elif group is None:
            prefix = [label, ""] if rng.random() < 0.7 else [label]
        elif group != previous_group:
            prefix = ["", _label_variant(group, rng), label]
        else:
            prefix = ["", "", label] if rng.random() < 0.8 else [label, ""]  # shifted (D5)
        previous_group = group
        trailing = [""] if rng.random() < 0.5 else []
        lines.append("\t".join(prefix + values + trailing))
    lines += ["", HEADINGS[3], ""]
    lines.append("行政复议\t\t\t\t\t行政诉讼" + "\t" * 9)
    heads = ["结果 维持", "结果 纠正", "其他 结果", "尚未 审结", "总计"]
    lines.append("\t".join([*heads, "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""]))
    lines.append("\t".join(["", "", "", "", "", *heads, *heads]))
    lines.append("\t".join(_cell(v, rng, blank) for v in truth.t4_values()))
    lines += ["", HEADINGS[4], "", "一是工作机制有待完善。", "", HEADINGS[5], "", "无。"]
    return "\n".join(lines) + "\n"


def _run(values: list[float | None], rng: random.Random, spaces: bool) -> str:
    out = ""
    for value in values:
        if out and spaces and rng.random() < 0.25:
            out += " "
        out += fmt_value(value)
    return out


def render_oneline(truth: Truth, seed: int = 0, spaces: bool = True) -> str:
    """A crawler dump: header lines, then the whole report on one line, cells run together."""
    rng = random.Random(seed)
    parts = [f"{truth.issuer}{truth.year}年政府信息公开工作年度报告 ", _PREAMBLE, HEADINGS[0], _PROSE, HEADINGS[1], " "]
    for block, columns, rows in truth.t2_blocks():
        parts.append(block + "信息内容" + "".join(columns))
        for label, codes in rows:
            parts.append(label + _run([truth.values[c] for c in codes], rng, spaces))
    parts.append(HEADINGS[2])
    parts.append(T3_CORNER + "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他")
    previous_group: str | None = None
    for code, group, label in truth.t3_rows():
        if code == "applications.result.granted":
            parts.append(T3_RESULT_GROUP)
        if group is not None and group != previous_group:
            parts.append(group)
        previous_group = group
        parts.append(label + _run(truth.t3_row_values(code), rng, spaces))
    parts.append(HEADINGS[3])
    parts.append("行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
                 "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计")
    parts.append(_run(truth.t4_values(), rng, spaces) + " ")
    parts += [HEADINGS[4], "一是工作机制有待完善。", HEADINGS[5], " 无其他需要报告的事项"]
    header = f"标题: {truth.title}\n发布时间: {truth.year + 1}-01-20 15:22\n==================== 正文 ====================\n"
    return header + "".join(parts) + "\n"


__all__ = ["T4_CODES", "render_oneline", "render_tab"]
