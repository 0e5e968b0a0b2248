"""Render a :class:`tests.synth.truth.Truth` as a realistic government web page (bytes).

:class:`HtmlVariant` switches the layout and the markup quirks real pages have: the official
merged layout (T3 corner rowspan 3, 三、本年度办理结果 rowspan 22/20, group cells with rowspans, T4
header spans) or a flat one, page chrome around the article, ``<br>`` inside labels, labels spread
over several ``<span>``s, ``&nbsp;`` in blank cells, T3 split into two ``<table>``s, malformed span
values, GBK bytes with a ``<meta>`` charset, no declared charset, or a saved-page header block.

Written from docs/form.md and the truth generator, independently of the reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from tests.synth.truth import APPLICANT_COLS, HEADINGS, T3_CORNER, T3_RESULT_GROUP, Truth, fmt_value

T3_APPLICANT_HEADER = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
T4_LEAVES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
# The row of T3 (index into truth.t3_rows()) where a split T3 continues in a second <table>.
T3_SPLIT_AT = 7
# A title can be labelled like this in the page chrome, to test it does not leak into the text.
CHROME_SNIPPETS = (
    "当前位置", "分享到", "版权所有", "相关阅读", "网站地图", "document.write", "var pageTitle",
)


@dataclass(frozen=True, slots=True)
class HtmlVariant:
    merged: bool = True  # official merged layout; False: every row carries its own labels
    chrome: bool = False  # navigation, breadcrumb, share bar, sidebar, footer, scripts
    br_in_labels: bool = False  # long labels broken with <br>
    span_labels: bool = False  # labels spread over several <span>s (Word-pasted markup)
    nbsp_blanks: bool = False  # blank cells hold &nbsp; (else nothing)
    split_t3: bool = False  # T3 printed as two <table> elements
    malformed_spans: bool = False  # colspan="2;" and rowspan=" 3 "
    encoding: str = "utf-8"  # "utf-8" or "gbk"
    charset_decl: str = "meta"  # "meta" | "http-equiv" | "none" | "header" (saved-page header)
    # T3's seven applicant columns printed in this order (indexes into APPLICANT_COLS), headers and
    # values alike; the header is then one flat row of the seven names (issue 9)
    t3_order: tuple[int, ...] | None = None
    # T4's three groups printed in this order (indexes into review, direct, after-review), flat header
    t4_order: tuple[int, ...] | None = None
    # cell text overrides: canonical cell code -> text printed instead of the value (footnote marks, notes)
    printed: tuple[tuple[str, str], ...] = ()


def _is_wide(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch in "（）“”，、"


class _Page:
    def __init__(self, truth: Truth, variant: HtmlVariant) -> None:
        self.truth = truth
        self.v = variant

    # -- cells -----------------------------------------------------------------------------
    def label(self, text: str) -> str:
        """Markup for a label cell's content (escaped, maybe broken with <br> or spread over spans)."""
        pieces = [text]
        if self.v.br_in_labels and len(text) >= 6:
            cut = next((i for i in range(len(text) // 2, len(text) - 1)
                        if _is_wide(text[i - 1]) and _is_wide(text[i])), None)
            if cut:
                pieces = [text[:cut], text[cut:]]
        out = []
        for piece in pieces:
            if self.v.span_labels and len(piece) >= 2:
                half = len(piece) // 2
                out.append(f'<span style="FONT-FAMILY: 仿宋_GB2312"><span lang="EN-US">{escape(piece[:half])}'
                           f'</span><span\nstyle="font-size:12pt">{escape(piece[half:])}</span></span>')
            else:
                out.append(escape(piece))
        return "<br />".join(out)

    def cell_value(self, code: str) -> str:
        override = dict(self.v.printed).get(code)
        return escape(override) if override is not None else self.value(self.truth.values[code])

    def value(self, value: float | None) -> str:
        text = fmt_value(value)
        if text:
            return escape(text)
        return "&nbsp;" if self.v.nbsp_blanks else ""

    def td(self, content: str, rowspan: int = 1, colspan: int = 1) -> str:
        attrs = ""
        if rowspan != 1:
            attrs += f' rowspan="{rowspan}"' if not self.v.malformed_spans else f' rowspan=" {rowspan} "'
        if colspan != 1:
            attrs += f' colspan="{colspan}"' if not self.v.malformed_spans else f' colspan="{colspan};"'
        return f'<td{attrs} style="border:solid windowtext 1.0pt"><p align="center">{content}</p></td>'

    @staticmethod
    def table(rows: list[str]) -> str:
        body = "\n".join(f"<tr>{row}</tr>" for row in rows)
        return (f'<table border="1" cellspacing="0" style="border-collapse:collapse">\n<tbody>\n{body}\n'
                "</tbody></table>")

    # -- tables ----------------------------------------------------------------------------
    def t2(self) -> str:
        rows: list[str] = []
        for block, columns, data in self.truth.t2_blocks():
            rows.append(self.td(self.label(block), colspan=4))
            spans = [1] * (len(columns) - 1) + [4 - len(columns)]
            rows.append(self.td(self.label("信息内容")) + "".join(
                self.td(self.label(c), colspan=s) for c, s in zip(columns, spans, strict=True)))
            for label, codes in data:
                cells = [self.td(self.cell_value(code), colspan=s)
                         for code, s in zip(codes, spans, strict=True)]
                rows.append(self.td(self.label(label)) + "".join(cells))
        return self.table(rows)

    def t3_header(self) -> list[str]:
        if self.v.t3_order is not None:
            names = ("自然人", *T3_APPLICANT_HEADER, "总计")
            return [self.td(self.label(T3_CORNER), colspan=3) + self.td(self.label("申请人情况"), colspan=7),
                    self.td(self.value(None), colspan=3)
                    + "".join(self.td(self.label(names[i])) for i in self.v.t3_order)]
        sub = "".join(self.td(self.label(h)) for h in T3_APPLICANT_HEADER)
        if self.v.merged:
            return [
                self.td(self.label(T3_CORNER), rowspan=3, colspan=3)
                + self.td(self.label("申请人情况"), colspan=7),
                self.td(self.label("自然人"), rowspan=2) + self.td(self.label("法人或其他组织"), colspan=5)
                + self.td(self.label("总计"), rowspan=2),
                sub,
            ]
        blank = self.value(None)
        return [
            self.td(self.label(T3_CORNER), colspan=3) + self.td(self.label("申请人情况"), colspan=7),
            self.td(blank, colspan=3) + self.td(self.label("自然人"))
            + self.td(self.label("法人或其他组织"), colspan=5) + self.td(self.label("总计")),
            self.td(blank, colspan=3) + self.td(blank) + sub + self.td(blank),
        ]

    def t3_body(self, rows: list[tuple[str, str | None, str]]) -> list[str]:
        """Body rows of T3 (a merged cell never reaches past the rows of one <table>)."""
        out: list[str] = []
        for i, (code, group, leaf) in enumerate(rows):
            order = self.v.t3_order or tuple(range(len(APPLICANT_COLS)))
            values = "".join(self.td(self.cell_value(f"{code}@{APPLICANT_COLS[i]}")) for i in order)
            is_result = code.startswith("applications.result.")
            if not is_result:
                out.append(self.td(self.label(leaf), colspan=3) + values)
                continue
            cells = ""
            first_result = i == 0 or not rows[i - 1][0].startswith("applications.result.")
            if not self.v.merged or first_result:
                left = sum(1 for r in rows[i:] if r[0].startswith("applications.result."))
                cells += self.td(self.label(T3_RESULT_GROUP), rowspan=left if self.v.merged else 1)
            if group is None:
                cells += self.td(self.label(leaf), colspan=2)
            else:
                first_in_group = i == 0 or rows[i - 1][1] != group
                if not self.v.merged or first_in_group:
                    size = sum(1 for r in rows[i:] if r[1] == group)
                    cells += self.td(self.label(group), rowspan=size if self.v.merged else 1)
                cells += self.td(self.label(leaf))
            out.append(cells + values)
        return out

    def t3(self) -> list[str]:
        rows = self.truth.t3_rows()
        if not self.v.split_t3:
            return [self.table(self.t3_header() + self.t3_body(rows))]
        first, second = rows[:T3_SPLIT_AT], rows[T3_SPLIT_AT:]
        return [self.table(self.t3_header() + self.t3_body(first)), self.table(self.t3_body(second))]

    def t4(self) -> str:
        if self.v.t4_order is not None:
            return self.t4_reordered(self.v.t4_order)
        values = self.truth.t4_values()
        leaves = "".join(self.td(self.label(x)) for x in T4_LEAVES)
        head = self.td(self.label("行政复议"), colspan=5) + self.td(self.label("行政诉讼"), colspan=10)
        groups = (self.td(self.label("未经复议直接起诉"), colspan=5)
                  + self.td(self.label("复议后起诉"), colspan=5))
        if self.v.merged:
            r1 = "".join(self.td(self.label(x), rowspan=2) for x in T4_LEAVES) + groups
            r2 = leaves + leaves
        else:
            r1 = leaves + groups
            r2 = self.td(self.value(None), colspan=5) + leaves + leaves
        return self.table([head, r1, r2, "".join(self.td(self.value(x)) for x in values)])

    def t4_reordered(self, order: tuple[int, ...]) -> str:
        groups = ("行政复议", "未经复议直接起诉", "复议后起诉")
        codes = [self.truth_t4_codes()[g * 5:(g + 1) * 5] for g in order]
        head = "".join(self.td(self.label(groups[g]), colspan=5) for g in order)
        leaves = "".join(self.td(self.label(x)) for x in T4_LEAVES) * 3
        values = "".join(self.td(self.cell_value(c)) for group in codes for c in group)
        return self.table([head, leaves, values])

    @staticmethod
    def truth_t4_codes() -> list[str]:
        return [f"{g}.{leaf}" for g in ("review", "litigation.direct", "litigation.after_review")
                for leaf in ("upheld", "corrected", "other", "pending", "total")]

    # -- page ------------------------------------------------------------------------------
    def para(self, text: str) -> str:
        return (f'<p style="TEXT-INDENT: 32pt; LINE-HEIGHT: 28pt"><span style="FONT-FAMILY: 仿宋">'
                f"{escape(text)}</span></p>")

    def article(self) -> str:
        t = self.truth
        parts = [
            f'<div class="article_title"><h1>{escape(t.title)}</h1></div>',
            '<div class="TRS_Editor">',
            self.para(f"本报告根据《中华人民共和国政府信息公开条例》编制，所列数据统计期限自{t.year}年1月1日起至"
                      f"{t.year}年12月31日止。"),
            f"<p><strong>{HEADINGS[0]}</strong></p>",
            self.para(f"{t.year}年，{t.issuer}认真贯彻落实《条例》，政府信息公开工作取得新进展。"),
            f"<p><strong>{HEADINGS[1]}</strong></p>", self.t2(),
            f"<p><strong>{HEADINGS[2]}</strong></p>", *self.t3(),
            f"<p><strong>{HEADINGS[3]}</strong></p>", self.t4(),
            f"<p><strong>{HEADINGS[4]}</strong></p>",
            self.para("一是公开内容不够全面；二是解读形式较为单一。下一步将持续改进。"),
            f"<p><strong>{HEADINGS[5]}</strong></p>", self.para("无。"),
            "</div>",
        ]
        return "\n".join(parts)

    def chrome_top(self) -> str:
        return (
            '<div class="header"><div class="logo">' + escape(self.truth.issuer) + '门户网站</div>'
            '<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>'
            '<li><a href="/hdjl/">互动交流</a></li></ul></div>\n'
            '<script type="text/javascript">var pageTitle = "一、总体情况"; '
            'document.write("<p>二、主动公开政府信息情况</p>");</script>\n'
            '<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a>政府信息公开年报</a></div>\n'
            '<div class="share_box">分享到：<a>微信</a><a>微博</a></div>\n'
        )

    def chrome_bottom(self) -> str:
        other_year = self.truth.year - 1
        return (
            f'<div class="sidebar"><h3>相关阅读</h3><ul><li><a>{escape(self.truth.issuer)}{other_year}'
            "年政府信息公开工作年度报告</a></li></ul></div>\n"
            '<div class="footer"><p>主办单位：' + escape(self.truth.issuer) + "办公室 版权所有 网站地图</p>"
            "<p>网站标识码：3500000001 闽ICP备05000000号</p></div>\n"
            "<style>.article_title{font-size:22pt}</style>\n"
        )

    def charset_meta(self) -> str:
        name = "gbk" if self.v.encoding == "gbk" else "utf-8"
        if self.v.charset_decl == "meta":
            return f'<meta charset="{name}" />'
        if self.v.charset_decl == "http-equiv":
            declared = "gb2312" if name == "gbk" else name
            return f'<meta http-equiv="Content-Type" content="text/html; charset={declared}" />'
        return ""

    def render(self) -> bytes:
        title = self.truth.title
        if self.v.chrome:
            title = f"{title}_政府信息公开年报_{self.truth.issuer}"
        body = self.article()
        if self.v.chrome:
            body = (f'{self.chrome_top()}<div class="main"><div class="content">{body}</div></div>\n'
                    f"{self.chrome_bottom()}")
        page = (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">\n<html>\n<head>\n'
            f"{self.charset_meta()}\n<title>{escape(title)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
        )
        if self.v.charset_decl == "header":
            name = "gbk" if self.v.encoding == "gbk" else "utf-8"
            page = (f"HTTP/1.1 200 OK\nContent-Type: text/html; charset={name}\nContent-Length: 12345\n\n"
                    + page)
        return page.encode("gbk" if self.v.encoding == "gbk" else "utf-8")


def render_html(truth: Truth, variant: HtmlVariant | None = None) -> bytes:
    """The page for ``truth`` as bytes (UTF-8 or GBK per the variant)."""
    return _Page(truth, variant or HtmlVariant()).render()
