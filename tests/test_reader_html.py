"""HTML reader: units (spans, text joining, charsets, body finding) and the two real pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from gongkai.extractors.cjk_spacing import join_fragments as join_pieces
from gongkai.extractors.readers.html import parse_html, read
from gongkai.extractors.readers.html_charset import declared_charset, decode_page, saved_page_header
from gongkai.extractors.readers.html_grid import parse_span
from gongkai.extractors.readers.html_text import collapse_whitespace, text_content
from gongkai.model.document import Cell, Document, TableBlock, TextBlock
from gongkai.model.errors import ExtractionError

DATA = Path(__file__).parent / "data"
HEADINGS_2019_SH = [
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况", "五、政府信息公开工作存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
HEADINGS_2019_PT = [*HEADINGS_2019_SH[:4], "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]


def read_html(data: bytes | str) -> Document:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return read(raw, "page.html")


def texts(doc: Document) -> list[str]:
    return [b.text for b in doc.text_blocks()]


def tables(doc: Document) -> list[TableBlock]:
    return list(doc.tables())


def anchor(table: TableBlock, row: int, col: int) -> Cell:
    found = [c for c in table.cells if c.row == row and c.col == col]
    assert len(found) == 1, f"no anchor cell at ({row}, {col})"
    return found[0]


def row_texts(table: TableBlock, row: int) -> list[str]:
    return [c.text for c in table.rows()[row]]


def spans(cell: Cell) -> tuple[str, int, int]:
    return cell.text, cell.rowspan, cell.colspan


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


# --- span attributes -----------------------------------------------------------------------

@pytest.mark.parametrize(("value", "zero_allowed", "expected"), [
    (None, False, 1), ("2", False, 2), ("2;", False, 2), (" 3 ", True, 3), ("3px", True, 3),
    ("abc", False, 1), ("", True, 1), ("0", False, 1), ("0", True, 0), ("-2", True, 1), ("+4", False, 4),
    ("99999", False, 1000),
])
def test_parse_span_reads_leading_digits_else_one(
        value: str | None, zero_allowed: bool, expected: int) -> None:
    assert parse_span(value, zero_allowed=zero_allowed, limit=1000) == expected


def test_grid_malformed_spans_are_honoured_by_their_digits() -> None:
    doc = read_html(page('<table><tr><td colspan="2;">a</td><td rowspan=" 2 ">b</td></tr>'
                         '<tr><td>c</td><td colspan="x">d</td></tr></table>'))
    (table,) = tables(doc)
    assert (table.n_rows, table.n_cols) == (2, 3)
    assert spans(anchor(table, 0, 0)) == ("a", 1, 2)
    assert spans(anchor(table, 0, 2)) == ("b", 2, 1)
    assert spans(anchor(table, 1, 1)) == ("d", 1, 1)


def test_grid_rowspan_zero_reaches_end_of_its_row_group_and_overlong_rowspan_is_clamped() -> None:
    doc = read_html(page('<table><tbody><tr><td rowspan="0">g</td><td>1</td></tr><tr><td>2</td></tr></tbody>'
                         '<tbody><tr><td rowspan="9">h</td><td>3</td></tr></tbody></table>'))
    (table,) = tables(doc)
    assert spans(anchor(table, 0, 0)) == ("g", 2, 1)
    assert anchor(table, 1, 1).text == "2"
    assert spans(anchor(table, 2, 0)) == ("h", 1, 1)
    assert table.n_rows == 3


def test_grid_thead_th_and_tfoot_printed_last() -> None:
    doc = read_html(page("<table><tfoot><tr><td>合计</td><td>9</td></tr></tfoot>"
                         "<thead><tr><th>项目</th><th>数量</th></tr></thead>"
                         "<tbody><tr><td>甲</td><td>9</td></tr></tbody></table>"))
    (table,) = tables(doc)
    assert [row_texts(table, r) for r in range(3)] == [["项目", "数量"], ["甲", "9"], ["合计", "9"]]
    assert anchor(table, 2, 0).locator.row == 2 and anchor(table, 2, 0).locator.table == 0


def test_cell_text_joins_breaks_without_space_between_cjk_and_keeps_blank_cells_empty() -> None:
    doc = read_html(page(
        "<table><tr><td><p>本年新</p><p>制作数量</p></td><td>本年新<br>公开<span>数</span>量</td>"
        "<td>251000<br/>元</td><td>&nbsp;</td><td> \n </td><td>结果\n维持</td><td>A&nbsp; B</td></tr></table>"
    ))
    (table,) = tables(doc)
    assert row_texts(table, 0) == ["本年新制作数量", "本年新公开数量", "251000 元", "", "", "结果维持", "A B"]


def test_whitespace_collapse_drops_source_line_breaks_between_cjk_only() -> None:
    assert collapse_whitespace("  平潭\n  综合 实验区\u3000 2019\n年 ") == "平潭综合 实验区 2019 年"
    assert collapse_whitespace("\u00a0\u200b") == ""
    joined = join_pieces(["第二十条", "第（一）项", "2019", "年", "", "abc"])
    assert joined == "第二十条第（一）项 2019 年 abc"


def test_whitespace_collapse_fast_path_covers_every_changed_character() -> None:
    # collapse_whitespace returns a printable text without spaces as it is: every character that
    # collapsing changes or drops (whitespace, invisible) must be unprintable or the space (the
    # unprintable "\x01", left as it is, sends each probe down the full path)
    changed = [ch for ch in map(chr, range(0x110000)) if collapse_whitespace(f"a{ch}a\x01") != f"a{ch}a\x01"]
    assert changed and all(not ch.isprintable() or ch == " " for ch in changed)
    assert collapse_whitespace("") == ""
    assert collapse_whitespace("第（一）项/-12") == "第（一）项/-12"


# --- text blocks ---------------------------------------------------------------------------

@pytest.mark.parametrize("page", [
    "fj-pingtan-zone-gov-2019.html", "sh-municipal-gov-office-2019.html",
    "<p>a<!--c-->b<?pi x?>c<![CDATA[d]]>e&foo;&amp;&#20301;<br/>f<script>s</script>g<b> </b></p><div></div>",
])
def test_text_content_is_the_xpath_string_value_of_every_element(page: str) -> None:
    markup = (DATA / page).read_bytes() if page.endswith(".html") else page.encode("utf-8")
    page_text = decode_page(markup)
    root = parse_html(page_text.text if page_text.utf8 is None else page_text.utf8)
    string_value = etree.XPath("string()", smart_strings=False)
    assert all(text_content(element) == string_value(element) for element in root.iter())


def test_br_lines_split_only_where_they_look_like_separate_lines() -> None:
    doc = read_html(page(
        "<p>一、总体情况<br>2019年，本机关认真贯彻落实条例要求，政府信息公开工作取得了新的进展，<br>"
        "公开质量进一步提升。<br>（一）主动公开</p><div>直接的文字<p>段落</p>尾巴</div>"
    ))
    assert texts(doc) == [
        "一、总体情况",
        "2019年，本机关认真贯彻落实条例要求，政府信息公开工作取得了新的进展，公开质量进一步提升。",
        "（一）主动公开", "直接的文字", "段落", "尾巴",
    ]


def test_nested_layout_table_gives_text_blocks_and_inner_tables_in_order() -> None:
    doc = read_html(page(
        "<table><tr><td><p>二、主动公开政府信息情况</p>"
        "<table><tr><td>规章</td><td>5</td></tr></table></td></tr>"
        "<tr><td>三、收到和处理政府信息公开申请情况<table><tr><td>本年新收</td><td>7</td></tr></table>"
        "</td></tr></table>"
    ))
    kinds = [b.text if isinstance(b, TextBlock) else row_texts(b, 0) for b in doc.blocks]
    assert kinds == [
        "二、主动公开政府信息情况", ["规章", "5"], "三、收到和处理政府信息公开申请情况", ["本年新收", "7"]]
    assert [t.locator.table for t in tables(doc)] == [0, 1]
    assert anchor(tables(doc)[1], 0, 1).locator.table == 1


def test_title_from_page_title_comes_first_and_site_suffix_is_cut() -> None:
    doc = read_html(page("<div class='content'><p>一、总体情况</p><p>正文。</p>"
                         "<p>二、主动公开政府信息情况</p></div>",
                         head="<title>某某县2020年政府信息公开工作年度报告_年报_某某县人民政府</title>"))
    assert texts(doc)[:2] == ["某某县2020年政府信息公开工作年度报告", "一、总体情况"]


def test_title_printed_on_two_lines_becomes_one_block() -> None:
    doc = read_html(page("<div><p>某某县人民政府</p><p>2020年政府信息公开工作年度报告</p><p>一、总体情况</p>"
                         "<p>二、主动公开政府信息情况</p></div>",
                         head="<title>某某县人民政府2020年政府信息公开工作年度报告</title>"))
    assert texts(doc)[:2] == ["某某县人民政府2020年政府信息公开工作年度报告", "一、总体情况"]


def test_chrome_hidden_and_scripts_removed_but_page_wide_form_kept() -> None:
    doc = read_html(page(
        '<form id="form1"><div class="nav">首页 政务公开</div><div id="breadcrumb">当前位置：首页</div>'
        '<script>document.write("一、总体情况")</script><div style="display:none">隐藏的文字</div>'
        '<div class="main"><p>一、总体情况</p><p>正文内容。</p><p>二、主动公开政府信息情况</p>'
        '<table><tr><td>第二十条第（一）项</td><td>1</td></tr></table></div>'
        '<div class="footer">版权所有</div></form>'))
    assert texts(doc) == ["一、总体情况", "正文内容。", "二、主动公开政府信息情况"]
    assert len(tables(doc)) == 1


def test_breadcrumbs_removed_by_their_text_alone_wherever_their_words_start() -> None:
    # breadcrumbs in plain elements, in one with a harmless class, in a tail after an empty
    # element, behind an inline element; text that only holds the words later, or other words, kept
    doc = read_html(page(
        '<div class="main"><p>本报告说明。</p><div>当前位置：<a>首页</a> &gt; <a>政务公开</a></div>'
        '<p class="lead">您的位置: 首页</p><span><b></b> 当前的位置：首页</span>'
        '<div><span>您当前的位置：</span>首页</div><p>说明：当前位置：首页</p>'
        '<ul class="x"><li>当前位置：<b>首页</b></li></ul><section> 您好：欢迎</section><div>当前位置 首页</div>'
        '<p>一、总体情况</p><p>正文内容。</p><p>二、主动公开政府信息情况</p>'
        '<table><tr><td>第二十条第（一）项</td><td>1</td></tr></table></div>'))
    assert texts(doc) == ["本报告说明。", "说明：当前位置：首页", "您好：欢迎", "当前位置 首页", "一、总体情况",
                          "正文内容。", "二、主动公开政府信息情况"]


def test_empty_page_is_an_empty_file_error() -> None:
    with pytest.raises(ExtractionError) as err:
        read_html(b"   \n ")
    assert err.value.code == "empty_file"


# --- charsets ------------------------------------------------------------------------------

GBK_PAGE = "<html><head>{meta}</head><body><p>一、总体情况</p><p>平潭综合实验区</p></body></html>"


@pytest.mark.parametrize("meta", [
    '<meta charset="gbk">', "<meta charset=gb2312>",
    '<meta http-equiv="Content-Type" content="text/html; charset=GB2312">', "",
])
def test_gbk_pages_decode_with_or_without_declaration(meta: str) -> None:
    doc = read_html(GBK_PAGE.format(meta=meta).encode("gbk"))
    assert texts(doc) == ["一、总体情况", "平潭综合实验区"]


def test_declared_charset_sniffed_from_raw_bytes() -> None:
    meta = b'<html><head><meta http-equiv="content-type" content="text/html;charset=gbk">'
    assert declared_charset(meta) == "gbk"
    assert declared_charset(b"<?xml version='1.0' encoding='GB2312'?><html>") == "GB2312"
    assert declared_charset(b"<html><p>charset=gbk</p>") is None


def test_meta_that_lies_about_gbk_on_utf8_bytes_is_ignored() -> None:
    doc = read_html(GBK_PAGE.format(meta='<meta charset="gb2312">').encode("utf-8"))
    assert texts(doc) == ["一、总体情况", "平潭综合实验区"]


def test_xml_declaration_with_encoding_parses() -> None:
    doc = read_html(('<?xml version="1.0" encoding="gbk"?>' + GBK_PAGE.format(meta="")).encode("gbk"))
    assert texts(doc) == ["一、总体情况", "平潭综合实验区"]


def test_saved_page_header_is_cut_off_and_its_charset_used() -> None:
    raw = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=gbk\r\nServer: x\r\n\r\n"
    header = saved_page_header(raw + b"<html>")
    assert header is not None and header.charset == "gbk" and header.line_count == 4
    doc = read_html(raw + GBK_PAGE.format(meta="").replace("<p>", "\n<p>").encode("gbk"))
    assert texts(doc) == ["一、总体情况", "平潭综合实验区"]
    assert [b.locator.line for b in doc.text_blocks()] == [6, 7]  # 4 header lines + markup lines 2, 3
    assert decode_page(raw + "<p>中文</p>".encode("gbk")).encoding == "gb18030"


def test_saved_page_header_without_blank_line_before_markup() -> None:
    raw = b"Content-Type: text/html; charset=gbk\n" + GBK_PAGE.format(meta="").encode("gbk")
    header = saved_page_header(raw)
    assert header is not None and (header.charset, header.line_count) == ("gbk", 1)
    assert texts(read_html(raw)) == ["一、总体情况", "平潭综合实验区"]
    assert saved_page_header(b"Title: not a header\nplain text\n\n") is None


def test_utf8_bom_wins_over_meta() -> None:
    doc = read_html(b"\xef\xbb\xbf" + GBK_PAGE.format(meta='<meta charset="gbk">').encode("utf-8"))
    assert texts(doc) == ["一、总体情况", "平潭综合实验区"]


# --- real pages ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pingtan() -> Document:
    return read((DATA / "fj-pingtan-zone-gov-2019.html").read_bytes(), "fj.html")


@pytest.fixture(scope="module")
def shanghai() -> Document:
    return read((DATA / "sh-municipal-gov-office-2019.html").read_bytes(), "sh.html")


def _heading_positions(doc: Document, headings: list[str]) -> list[int]:
    blocks = texts(doc)
    return [blocks.index(h) for h in headings]


def test_pingtan_title_headings_and_no_chrome(pingtan: Document) -> None:
    blocks = texts(pingtan)
    assert blocks[0] == "平潭综合实验区2019年度政府信息公开工作年度报告"
    positions = _heading_positions(pingtan, HEADINGS_2019_PT)
    assert positions == sorted(positions)
    assert blocks[-1] == "无其他需要报告的事项"
    text = pingtan.plain_text()
    for leak in ("当前位置", "分享到", "QQ空间", "新媒体矩阵", "全真版", "function", "来源：", "avalon"):
        assert leak not in text


def test_pingtan_tables_follow_their_headings(pingtan: Document) -> None:
    order = [b.text if isinstance(b, TextBlock) else "<table>" for b in pingtan.blocks]
    for heading in HEADINGS_2019_PT[1:4]:
        assert order[order.index(heading) + 1] == "<table>"
    assert len(tables(pingtan)) == 3


def test_pingtan_t2_grid(pingtan: Document) -> None:
    t2 = tables(pingtan)[0]
    assert (t2.n_rows, t2.n_cols) == (18, 4)
    assert spans(anchor(t2, 0, 0)) == ("第二十条第（一）项", 1, 4)
    assert row_texts(t2, 3) == ["规范性文件", "89", "89", "89"]
    assert row_texts(t2, 10) == ["行政处罚", "2648", "0", "430"]
    assert spans(anchor(t2, 17, 2)) == ("75394432.52元", 1, 2)


def test_pingtan_t3_vertical_label_printed_twice_with_rowspan_10(pingtan: Document) -> None:
    t3 = tables(pingtan)[1]
    assert (t3.n_rows, t3.n_cols) == (26, 10)
    corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert spans(anchor(t3, 0, 0)) == (corner, 3, 3)
    assert spans(anchor(t3, 0, 3)) == ("申请人情况", 1, 7)
    assert spans(anchor(t3, 1, 4)) == ("法人或其他组织", 1, 5)
    assert spans(anchor(t3, 5, 0)) == ("三、本年度办理结果", 10, 1)
    assert spans(anchor(t3, 15, 0)) == ("三、本年度办理结果", 10, 1)
    assert spans(anchor(t3, 7, 1)) == ("（三）不予公开", 8, 1)
    assert spans(anchor(t3, 15, 1)) == ("（四）无法提供", 3, 1)
    assert row_texts(t3, 15)[2:] == ["1.本机关不掌握相关政府信息", "7", "0", "0", "0", "0", "0", "7"]
    assert [c.col for c in t3.rows()[15]] == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert row_texts(t3, 24) == ["（七）总计", "23", "0", "0", "0", "0", "0", "23"]
    assert anchor(t3, 24, 3).locator.table == 1 and anchor(t3, 24, 3).locator.row == 24


def test_pingtan_t4_grid(pingtan: Document) -> None:
    t4 = tables(pingtan)[2]
    assert (t4.n_rows, t4.n_cols) == (4, 15)
    assert spans(anchor(t4, 0, 5)) == ("行政诉讼", 1, 10)
    assert spans(anchor(t4, 1, 4)) == ("总计", 2, 1)
    assert [c.col for c in t4.rows()[2]] == list(range(5, 15))
    assert row_texts(t4, 3) == ["0"] * 15


def test_shanghai_title_and_headings(shanghai: Document) -> None:
    blocks = texts(shanghai)
    assert blocks[:2] == ["2019年上海市人民政府办公厅政府信息公开工作年度报告", "发布日期：2020-01-31"]
    positions = _heading_positions(shanghai, HEADINGS_2019_SH)
    assert positions == sorted(positions)
    assert "《上海市贯彻<长江三角洲区域一体化发展规划纲要>实施方案》" in shanghai.plain_text()
    assert blocks[-1] == "无。"


def test_shanghai_t2_colspan_misalignment_kept_as_printed(shanghai: Document) -> None:
    t2 = tables(shanghai)[0]
    assert (t2.n_rows, t2.n_cols) == (18, 5)
    assert [spans(c) for c in t2.rows()[1]] == [
        ("信息内容", 1, 1), ("本年新制作数量", 1, 1), ("本年新公开数量", 1, 2), ("对外公开总数量", 1, 1)]
    assert [(c.col, c.text) for c in t2.rows()[2]] == [(0, "规章"), (1, "13"), (2, "13"), (4, "524")]
    assert [(c.col, c.colspan, c.text) for c in t2.rows()[6]] == [
        (0, 1, "行政许可"), (1, 2, "0"), (3, 1, "0"), (4, 1, "0")]
    assert [(c.col, c.colspan, c.text) for c in t2.rows()[17]] == [
        (0, 1, "政府集中采购"), (1, 2, "6"), (3, 2, "251000元")]


def test_shanghai_t3_blank_cells_stay_empty(shanghai: Document) -> None:
    t3 = tables(shanghai)[1]
    assert (t3.n_rows, t3.n_cols) == (26, 10)
    assert spans(anchor(t3, 5, 0)) == ("三、本年度办理结果", 20, 1)
    assert row_texts(t3, 3) == ["一、本年新收政府信息公开申请数量", "821", "35", "", "", "2", "1", "859"]
    assert row_texts(t3, 5)[2:] == ["258", "12", "", "", "1", "1", ""]
    assert row_texts(t3, 23) == ["（六）其他处理", "", "", "", "", "", "", ""]
    assert row_texts(t3, 25) == ["四、结转下年度继续办理", "72", "", "", "", "", "", "72"]


def test_shanghai_t4_row(shanghai: Document) -> None:
    t4 = tables(shanghai)[2]
    assert row_texts(t4, 3) == ["5", "", "", "2", "7", "8", "", "", "1", "9", "", "", "", "", ""]


def test_deeply_nested_markup_is_read_without_recursion_limits() -> None:
    depth = 1500  # past libxml2's default 256 and Python's recursion limit; libxml2 caps at 2048
    doc = read_html(page("<div>" * depth + "<p>一、总体情况</p><p>正文。</p>" + "</div>" * depth))
    assert texts(doc) == ["一、总体情况", "正文。"]
