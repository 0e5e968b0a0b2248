"""Find the report inside a whole government web page: drop page chrome, pick the article.

Pages wrap the report in navigation, headers, footers, share buttons, breadcrumbs and scripts.
:func:`remove_chrome` deletes that; :func:`find_article` picks the element that holds the report:
the lowest common ancestor of the report's *anchors* (section headings 一、…六、 and the report
tables), else the element where most CJK text concentrates. :func:`page_title` reads the title.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from extractors.readers.html_flow import is_layout_table
from extractors.readers.html_text import collapse_whitespace

# Removed with their content wherever they are.
DROPPED_TAGS: tuple[str, ...] = (
    "script", "style", "noscript", "iframe", "frame", "template", "object", "embed", "svg", "select",
    "button", "textarea", "input",
)
# Page furniture by HTML5 semantics; removed unless they hold the report (see _holds_report).
CHROME_TAGS: tuple[str, ...] = ("nav", "header", "footer", "aside", "form")
# Words of class/id values that mark page furniture (split at -, _ and spaces).
CHROME_WORDS: frozenset[str] = frozenset({
    "share", "bdshare", "bdsharebuttonbox", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "nav",
    "navbar", "navigation", "menu", "footer", "header", "sidebar", "toolbar", "position", "location",
    "print", "qrcode", "copyright", "search", "pagination", "pager", "login", "topbar",
})
CHROME_TEXT = re.compile(r"^\s*(当前位置|您当前的位置|您的位置|当前的位置)\s*[:：]")
# An element with at least this many CJK characters is never page chrome.
CHROME_MAX_CJK = 300
_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_WORD_SPLIT = re.compile(r"[-_\s]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

# Section headings of the report (一、总体情况 …), matched on short blocks only.
HEADING = re.compile(r"^[一二三四五六]\s*[、.．]\s*\S*(总体情况|主动公开|申请|复议|诉讼|问题|其他)")
HEADING_MAX_CHARS = 40
_HEADING_TAGS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "span", "strong", "b")
# Words found in the report tables 二, 三, 四.
TABLE_KEYWORDS: tuple[str, ...] = ("第二十条", "本年新收", "申请人情况", "行政复议", "行政诉讼")
TITLE_KEYWORD = "年度报告"
_TITLE_SEPARATORS = re.compile(r"\s*(?:[_|｜]|\s[-–—－]\s)\s*")
# A share of the parent's CJK text above which the article search descends into a child.
DESCEND_SHARE = 0.7
# Elements the article search may descend into (a paragraph or heading is never the article).
CONTAINER_TAGS: frozenset[str] = frozenset({
    "div", "section", "article", "main", "center", "form", "tbody", "thead", "tfoot", "tr", "td", "th",
    "font",
})


def _tag(element: HtmlElement) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def cjk_count(text: str) -> int:
    return len(_CJK.findall(text))


def _holds_report(element: HtmlElement) -> bool:
    if any(True for _ in element.iterdescendants("table")):
        return True
    return cjk_count(element.text_content()) >= CHROME_MAX_CJK


def _has_chrome_name(element: HtmlElement) -> bool:
    names = f"{element.get('class', '')} {element.get('id', '')}".lower()
    return any(word in CHROME_WORDS for word in _WORD_SPLIT.split(names) if word)


def _is_hidden(element: HtmlElement) -> bool:
    return bool(_HIDDEN_STYLE.search(element.get("style", ""))) or element.get("hidden") is not None


def _is_chrome(element: HtmlElement) -> bool:
    tag = _tag(element)
    if not tag or tag in _TABLE_PARTS or tag in ("html", "body"):
        return False
    if tag in CHROME_TAGS or _has_chrome_name(element) or _is_hidden(element):
        return not _holds_report(element)
    if tag in ("div", "p", "span", "ul", "ol", "dl", "section"):
        text = element.text_content()
        return bool(CHROME_TEXT.match(text)) and cjk_count(text) < CHROME_MAX_CJK
    return False


def _drop(element: HtmlElement) -> None:
    """Remove an element with its content, keeping the text that follows it."""
    element.drop_tree()


def remove_chrome(root: HtmlElement) -> None:
    """Delete scripts, styles, forms, navigation, headers, footers, share bars, breadcrumbs."""
    for element in list(root.iter(*DROPPED_TAGS)):
        if element.getparent() is not None:
            _drop(element)
    for element in list(root.iter()):
        # an ancestor already removed leaves the element detached from root: skip it
        if element is root or not _attached(element, root):
            continue
        if _is_chrome(element):
            _drop(element)


def _attached(element: HtmlElement, root: HtmlElement) -> bool:
    for ancestor in element.iterancestors():
        if ancestor is root:
            return True
    return False


def _anchors(root: HtmlElement) -> list[HtmlElement]:
    found: list[HtmlElement] = []
    for table in root.iter("table"):
        if not is_layout_table(table):
            text = table.text_content()
            if any(word in text for word in TABLE_KEYWORDS):
                found.append(table)
    for element in root.iter(*_HEADING_TAGS):
        text = collapse_whitespace(element.text_content())
        if len(text) <= HEADING_MAX_CHARS and HEADING.match(text):
            found.append(element)
    return found


def _common_ancestor(elements: list[HtmlElement]) -> HtmlElement:
    chains = [[e, *e.iterancestors()] for e in elements]
    shared = set(map(id, chains[0]))
    for chain in chains[1:]:
        shared &= set(map(id, chain))
    return next(e for e in chains[0] if id(e) in shared)


def _can_hold_article(element: HtmlElement) -> bool:
    tag = _tag(element)
    if tag == "table":
        return is_layout_table(element)
    return tag in CONTAINER_TAGS


def _densest(element: HtmlElement) -> HtmlElement:
    current = element
    while True:
        total = cjk_count(current.text_content())
        best = max((c for c in current if _tag(c)), key=lambda c: cjk_count(c.text_content()), default=None)
        if total == 0 or best is None or not _can_hold_article(best):
            return current
        if cjk_count(best.text_content()) < DESCEND_SHARE * total:
            return current
        current = best


def find_article(root: HtmlElement) -> HtmlElement:
    """The element that holds the report (after :func:`remove_chrome`)."""
    body = root.find("body")
    start = body if body is not None else root
    anchors = _anchors(start)
    if len(anchors) >= 2:
        return _common_ancestor(anchors)
    return _densest(start)


def page_title(root: HtmlElement) -> tuple[str, int | None] | None:
    """The report title: the part of ``<title>`` naming the 年度报告, else the first such ``h1``."""
    for element in root.iter("title"):
        text = collapse_whitespace(element.text_content())
        for part in _TITLE_SEPARATORS.split(text):
            if TITLE_KEYWORD in part:
                return part, element.sourceline
    for element in root.iter("h1"):
        text = collapse_whitespace(element.text_content())
        if TITLE_KEYWORD in text:
            return text, element.sourceline
    return None
