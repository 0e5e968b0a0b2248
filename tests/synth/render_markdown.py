"""Render a :class:`tests.synth.truth.Truth` as Markdown the way PDF converters write it (bytes).

Tables are pipe tables without spans: a merged label cell is printed in its first row and left
empty below (so rows carry leading empty cells), single-value rows are ragged (no padding).
:class:`MarkdownVariant` switches the breakage real conversions show: missing outer pipes,
``|---|`` separator rows, ``<br>`` inside labels, T3's three header rows merged into one, GBK bytes.

Written from docs/form.md and the truth generator, independently of the reader.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.synth.truth import APPLICANT_COLS, HEADINGS, T3_CORNER, T3_RESULT_GROUP, Truth, fmt_value

T4_LEAVES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


@dataclass(frozen=True, slots=True)
class MarkdownVariant:
    outer_pipes: bool = True  # False: rows lack the leading and trailing "|"
    separator: bool = True  # a |---| row after the first row of every table
    br_in_cells: bool = False  # long labels broken with <br>
    merged_header: bool = False  # T3's three header rows printed as one row
    encoding: str = "utf-8"  # "utf-8" or "gbk"


class _Markdown:
    def __init__(self, truth: Truth, variant: MarkdownVariant) -> None:
        self.truth = truth
        self.v = variant

    def label(self, text: str) -> str:
        if self.v.br_in_cells and len(text) >= 8:
            return f"{text[:4]}<br>{text[4:]}"
        return text

    def row(self, cells: list[str]) -> str:
        inner = " | ".join(cells)
        return f"| {inner} |" if self.v.outer_pipes else inner

    def table(self, rows: list[list[str]]) -> list[str]:
        lines = [self.row(rows[0])]
        if self.v.separator:
            lines.append(self.row(["---"] * len(rows[0])))
        lines += [self.row(r) for r in rows[1:]]
        return ["", *lines, ""]

    def t2(self) -> list[str]:
        rows: list[list[str]] = []
        for block, columns, data in self.truth.t2_blocks():
            rows.append([self.label(block), "", "", ""])
            rows.append(["信息内容", *(self.label(c) for c in columns)])
            for label, codes in data:
                rows.append([self.label(label), *(fmt_value(self.truth.values[c]) for c in codes)])
        return self.table(rows)

    def t3(self) -> list[str]:
        sub = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
        if self.v.merged_header:
            rows = [[self.label(T3_CORNER), "", "", "自然人", *sub, "总计"]]
        else:
            rows = [
                [self.label(T3_CORNER), "", "", "申请人情况", "", "", "", "", "", ""],
                ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
                ["", "", "", "", *sub, ""],
            ]
        seen_result = False
        previous_group: str | None = None
        for code, group, leaf in self.truth.t3_rows():
            values = [fmt_value(self.truth.values[f"{code}@{c}"]) for c in APPLICANT_COLS]
            if not code.startswith("applications.result."):
                rows.append([self.label(leaf), "", "", *values])
                continue
            first = "" if seen_result else T3_RESULT_GROUP
            seen_result = True
            if group is None:
                rows.append([first, self.label(leaf), "", *values])
            else:
                shown = group if group != previous_group else ""
                rows.append([first, shown, self.label(leaf), *values])
            previous_group = group
        return self.table(rows)

    def t4(self) -> list[str]:
        values = [fmt_value(v) for v in self.truth.t4_values()]
        return self.table([
            ["行政复议", "", "", "", "", "行政诉讼", *[""] * 9],
            [*T4_LEAVES, "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
            ["", "", "", "", "", *T4_LEAVES, *T4_LEAVES],
            values,
        ])

    def render(self) -> bytes:
        t = self.truth
        lines = [
            f"# {t.title}", "",
            f"本报告所列数据统计期限自{t.year}年1月1日起至{t.year}年12月31日止。", "",
            f"## {HEADINGS[0]}", "", f"{t.year}年，{t.issuer}认真贯彻落实《条例》。", "",
            f"## {HEADINGS[1]}", *self.t2(),
            f"## {HEADINGS[2]}", *self.t3(),
            f"## {HEADINGS[3]}", *self.t4(),
            f"## {HEADINGS[4]}", "", "**一是**公开内容不够全面。", "",
            f"## {HEADINGS[5]}", "", "无。", "",
        ]
        return "\n".join(lines).encode("gbk" if self.v.encoding == "gbk" else "utf-8")


def render_markdown(truth: Truth, variant: MarkdownVariant | None = None) -> bytes:
    """The Markdown report for ``truth`` as bytes."""
    return _Markdown(truth, variant or MarkdownVariant()).render()
