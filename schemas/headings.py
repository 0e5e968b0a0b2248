"""The words of the national form that find things in a document: ONE list of each.

- :data:`SECTION_HEADING_WORDS`: the keywords of the six section headings (一、总体情况 …);
  the section locator (``gongkai.extractors.sections``) and the HTML article finder
  (``gongkai.extractors.readers.html_body``) both build their patterns from it.
- :data:`TABLE_MARKERS`: words printed in each of tables 二, 三, 四; they classify table blocks
  (``gongkai.extractors.tables.extract``) and anchor the article of an HTML page.
- :data:`PAGE_MARKERS`: the table words that prose hardly uses; a PDF page is analysed for
  tables only when its text holds one (``gongkai.extractors.readers.pdf_pages``).
- :data:`STREAM_HEADERS`: column-header words of each table; a section's text is read as a table
  stream only when it holds at least :data:`STREAM_MIN_HEADERS` of them (D19: a prose sentence
  where the table should be is not a table).
"""

from __future__ import annotations

# Section number → words one of which its heading holds (after "一、" …); see docs/form.md.
SECTION_HEADING_WORDS: dict[int, tuple[str, ...]] = {
    1: ("总体情况", "总体概况", "基本情况", "工作概况", "概述", "概况"),
    2: ("主动公开",),
    3: ("申请",),
    4: ("复议", "诉讼"),
    5: ("问题",),
    6: ("其他", "其它"),
}

TABLE_MARKERS: dict[str, tuple[str, ...]] = {
    "active": ("第二十条", "信息内容", "本年制发件数", "本年新制作数量", "处理决定数量", "行政事业性收费",
               "政府集中采购", "现行有效件数"),
    "applications": ("本年新收", "上年结转", "予以公开", "部分公开", "不予公开", "无法提供", "不予处理",
                     "其他处理", "结转下年", "申请人情况", "自然人", "国家秘密", "不掌握", "重复申请", "内部事务"),
    "review_litigation": ("行政复议", "行政诉讼", "结果维持", "结果纠正", "尚未审结", "复议后起诉",
                          "未经复议直接起诉"),
}

STREAM_HEADERS: dict[str, tuple[str, ...]] = {
    "active": ("信息内容", "本年制发件数", "本年废止件数", "现行有效件", "本年收费金额", "本年新制作数量",
               "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增减", "处理决定数量", "采购项目数量",
               "第二十条第"),
    "applications": ("申请人情况", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织",
                     "法律服务机构", "勾稽关系"),
    "review_litigation": ("结果维持", "结果纠正", "其他结果", "尚未审结", "未经复议直接起诉", "复议后起诉"),
}

# Table markers that section prose also uses ("本年度…予以公开…件"): they do not make a page a table page.
_PROSE_WORDS: frozenset[str] = frozenset({
    "行政事业性收费", "政府集中采购", "现行有效件数", "予以公开", "部分公开", "不予公开", "无法提供", "不予处理",
    "其他处理", "自然人", "国家秘密", "不掌握", "重复申请", "内部事务", "行政复议", "行政诉讼",
})
PAGE_MARKERS: tuple[str, ...] = tuple(dict.fromkeys(
    [*(w for words in TABLE_MARKERS.values() for w in words if w not in _PROSE_WORDS),
     *(w for words in STREAM_HEADERS.values() for w in words if w not in _PROSE_WORDS)]))
STREAM_MIN_HEADERS = 2
