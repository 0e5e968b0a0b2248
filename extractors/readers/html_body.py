"""Find the report inside a whole government web page: drop page chrome, pick the article.

Pages wrap the report in navigation, headers, footers, share buttons, breadcrumbs and scripts.
:func:`remove_chrome` deletes that; :func:`find_article` picks the element that holds the report:
the lowest common ancestor of the report's *anchors* (section headings 一、…六、 and the report
tables), else the element where most CJK text concentrates. :func:`page_title` reads the title.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from gongkai.extractors.readers.html_flow import is_layout_table
from gongkai.extractors.readers.html_text import (
    INVISIBLE_CHARS,
    collapse_whitespace,
    text_content,
    visible_char_count,
)
from gongkai.schemas.headings import SECTION_HEADING_WORDS, TABLE_MARKERS

# Removed with their content wherever they are.
DROPPED_TAGS: tuple[str, ...] = (
    "script", "style", "noscript", "iframe", "frame", "template", "object", "embed", "svg", "select",
    "button", "textarea", "input",
)
# Page furniture by HTML5 semantics; removed unless they hold the report (see _holds_report).
CHROME_TAGS: tuple[str, ...] = ("nav", "header", "footer", "aside", "form")
_CHROME_TAG_SET = frozenset(CHROME_TAGS)
# Words of class/id values that mark page furniture (split at -, _ and spaces).
CHROME_WORDS: frozenset[str] = frozenset({
    "share", "bdshare", "bdsharebuttonbox", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "nav",
    "navbar", "navigation", "menu", "footer", "header", "sidebar", "toolbar", "position", "location",
    "print", "qrcode", "copyright", "search", "pagination", "pager", "login", "topbar",
})
CHROME_TEXT = re.compile(r"^\s*(当前位置|您当前的位置|您的位置|当前的位置)\s*[:：]")
# Every CHROME_TEXT match holds this word: a page has breadcrumb text only if one of its text
# pieces holds the word or ends with the word's first character.
_CHROME_TEXT_CORE = "位置"
_CHROME_TEXT_CORE_START = _CHROME_TEXT_CORE[0]  # so every such text piece holds this character
# The first characters of CHROME_TEXT's words.
_CHROME_TEXT_OPENERS = "当您"
# CHROME_TEXT is decided by the first non-space character after its longest word (6 characters).
_CHROME_TEXT_WORD_CHARS = 6
# Elements dropped when their text starts like a breadcrumb (CHROME_TEXT).
_TEXT_CHROME_TAGS = frozenset({"div", "p", "span", "ul", "ol", "dl", "section"})
# An element with at least this many CJK characters is never page chrome.
CHROME_MAX_CJK = 300
_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_WORD_SPLIT = re.compile(r"[-_\s]+")
_NON_CJK_RUN = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff]+")
_CJK_COUNT_PIECE = 1024  # characters

# Section headings of the report (一、总体情况 …), matched on short blocks only.
HEADING = re.compile(r"^[一二三四五六]\s*[、.．]\s*\S*("
                     + "|".join(w for words in SECTION_HEADING_WORDS.values() for w in words) + ")")
HEADING_MAX_CHARS = 40
_HEADING_TAGS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "span", "strong", "b")
_HEADING_TAG_SET = frozenset(_HEADING_TAGS)
_HEADING_NUMERALS = "一二三四五六"
# First characters (after whitespace) of a piece of text that may open a heading.
_HEADING_OPENERS = frozenset(_HEADING_NUMERALS + INVISIBLE_CHARS)
# First characters of a piece of text that may open a heading or a breadcrumb (CHROME_TEXT).
_OPENERS = _HEADING_OPENERS | frozenset(_CHROME_TEXT_OPENERS)
# Words found in the report tables 二, 三, 四.
TABLE_KEYWORDS: tuple[str, ...] = tuple(w for words in TABLE_MARKERS.values() for w in words)
TITLE_KEYWORD = "年度报告"
_TITLE_SEPARATORS = re.compile(r"\s*(?:[_|｜]|\s[-–—－]\s)\s*")
# A share of the parent's CJK text above which the article search descends into a child.
DESCEND_SHARE = 0.7
# Elements the article search may descend into (a paragraph or heading is never the article).
CONTAINER_TAGS: frozenset[str] = frozenset({
    "div", "section", "article", "main", "center", "form", "tbody", "thead", "tfoot", "tr", "td", "th",
    "font",
})


def _tag(element: etree._Element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def cjk_count(text: str) -> int:
    """How many CJK ideographs ``text`` holds."""
    return len(_NON_CJK_RUN.sub("", text))


def _cjk_at_least(text: str, count: int) -> bool:
    """Whether ``text`` holds ``count`` CJK ideographs or more: counted a piece at a time, up to
    ``count`` (the containers of a report hold thousands)."""
    found = 0
    for start in range(0, len(text), _CJK_COUNT_PIECE):
        found += cjk_count(text[start:start + _CJK_COUNT_PIECE])
        if found >= count:
            return True
    return False


def _holds_report(element: etree._Element) -> bool:
    if next(element.iterdescendants("table"), None) is not None:
        return True
    return _cjk_at_least(text_content(element), CHROME_MAX_CJK)


def _has_chrome_name(element: etree._Element) -> bool:
    css_class = element.get("class")
    ident = element.get("id")
    if css_class is None and ident is None:
        return False
    return _names_say_chrome(f"{css_class or ''} {ident or ''}")


@lru_cache(maxsize=4096)
def _names_say_chrome(names: str) -> bool:
    """Whether class and id names hold a chrome word (cached: a page repeats its class names)."""
    return any(word in CHROME_WORDS for word in _WORD_SPLIT.split(names.lower()) if word)


def _is_hidden(element: etree._Element) -> bool:
    return bool(_HIDDEN_STYLE.search(element.get("style", ""))) or element.get("hidden") is not None


def _leading_text(element: etree._Element) -> str:
    """The start of the element's text content without its leading whitespace, long enough to
    decide CHROME_TEXT on it (which skips leading whitespace anyway)."""
    text = ""
    for piece in element.itertext():
        text = (text + piece) if text else piece.lstrip()
        rest = text[_CHROME_TEXT_WORD_CHARS:]
        if rest and not rest.isspace():
            break
    return text


@dataclass(slots=True)
class PageScan:
    """What one pass over the page found, in document order.

    ``elements``: every element of the page in document order (a position in the pass indexes
    it; the list also keeps lxml's element proxies alive for the later steps, which then reuse
    them instead of making new ones). ``chrome``: (position, element) of every element that may
    be chrome by its tag or attributes. ``heading_owners`` / ``breadcrumb_owners``: the elements
    owning a text (their own text or a child's tail) whose first non-space character may open a
    HEADING / a CHROME_TEXT. An element's text content opens with its first non-blank text, so
    every heading or breadcrumb is an ancestor-or-self of such an owner.
    """

    elements: list[etree._Element]
    chrome: list[tuple[int, etree._Element]]
    heading_owners: list[etree._Element]
    breadcrumb_owners: list[etree._Element]
    breadcrumbs_possible: bool


def scan_page(root: etree._Element) -> PageScan:
    """One pass over every element: candidates for :func:`remove_chrome` and :func:`find_article`."""
    elements = list(root.iter())
    chrome: list[tuple[int, etree._Element]] = []
    heading_owners: list[etree._Element] = []
    breadcrumb_owners: list[etree._Element] = []
    hidden_styles: dict[str, bool] = {}  # whether a style value hides its element
    breadcrumbs_possible = False
    for position, element in enumerate(elements):
        tag = element.tag
        if tag in _CHROME_TAG_SET:
            chrome.append((position, element))
        # (table parts are never chrome; the attribute names in one call into lxml: most elements
        # have none, or none of these)
        elif tag not in _TABLE_PARTS and (names := element.keys()):
            if "class" in names or "id" in names or "hidden" in names:
                chrome.append((position, element))
            elif "style" in names:
                style = element.get("style")
                hidden = hidden_styles.get(style) if style else False  # cached: a page repeats styles
                if hidden is None:
                    hidden = hidden_styles[style] = bool(_HIDDEN_STYLE.search(style))
                if hidden:
                    chrome.append((position, element))
        text = element.text
        if text:
            first = text.lstrip()[:1]  # "" when the text is all space
            if first in _OPENERS:
                (heading_owners if first in _HEADING_OPENERS else breadcrumb_owners).append(element)
            if not breadcrumbs_possible and _CHROME_TEXT_CORE_START in text:  # (a quick test first)
                breadcrumbs_possible = _may_hold_breadcrumb(text)
        tail = element.tail
        if tail and element is not root:
            first = tail.lstrip()[:1]
            if first in _OPENERS:
                owner = element.getparent()
                (heading_owners if first in _HEADING_OPENERS else breadcrumb_owners).append(owner)
            if not breadcrumbs_possible and _CHROME_TEXT_CORE_START in tail:
                breadcrumbs_possible = _may_hold_breadcrumb(tail)
    return PageScan(elements, chrome, heading_owners, breadcrumb_owners, breadcrumbs_possible)


def _may_open_with_breadcrumb(element: etree._Element) -> bool:
    """Whether an element's own text does not rule out its text content opening with CHROME_TEXT
    (the text is blank or its first non-space character opens a CHROME_TEXT word)."""
    text = element.text
    first = text.lstrip()[:1] if text else ""
    return not first or first in _CHROME_TEXT_OPENERS


def _may_hold_breadcrumb(text: str) -> bool:
    """Whether a page holding this text may hold CHROME_TEXT (the word may start at its end)."""
    return _CHROME_TEXT_CORE in text or text.endswith(_CHROME_TEXT_CORE_START)


def _ancestors_or_self(elements: list[etree._Element]) -> set[etree._Element]:
    found: set[etree._Element] = set()
    for element in elements:
        while element is not None and element not in found:
            found.add(element)
            element = element.getparent()
    return found


def _is_chrome(element: etree._Element, breadcrumb_holders: set[etree._Element]) -> bool:
    """Whether an element is page chrome; ``breadcrumb_holders``: the elements that may open with a
    breadcrumb (CHROME_TEXT), the ancestors-or-self of the breadcrumb owners when the page may
    hold one."""
    tag = _tag(element)
    if not tag or tag in _TABLE_PARTS or tag in ("html", "body"):
        return False
    if tag in CHROME_TAGS or _has_chrome_name(element) or _is_hidden(element):
        return not _holds_report(element)
    if element in breadcrumb_holders and tag in _TEXT_CHROME_TAGS and CHROME_TEXT.match(_leading_text(element)):
        text = text_content(element)
        return bool(CHROME_TEXT.match(text)) and not _cjk_at_least(text, CHROME_MAX_CJK)
    return False


def _drop(element: etree._Element) -> None:
    """Remove an element with its content, keeping the text that follows it (as lxml.html's drop_tree)."""
    parent = element.getparent()
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + tail
        else:
            previous.tail = (previous.tail or "") + tail
    parent.remove(element)


def remove_chrome(root: etree._Element) -> PageScan:
    """Delete scripts, styles, forms, navigation, headers, footers, share bars, breadcrumbs.

    Elements are judged in document order, only those :func:`scan_page` found possible; the
    content of a removed element is skipped. The removals before an element never touch its own
    content, so each is judged on the page's text. Returns the scan for :func:`find_article`.
    """
    for element in list(root.iter(*DROPPED_TAGS)):
        if element.getparent() is not None:
            _drop(element)
    scan = scan_page(root)
    candidates = scan.chrome
    holders: set[etree._Element] = set()
    if scan.breadcrumbs_possible:
        # a breadcrumb's first character opens one of its texts: it holds a breadcrumb owner; the
        # elements that may be chrome by their text alone: those holders that may be chrome by no
        # tag or attribute, with a breadcrumb tag and an own text that does not rule one out
        holders = _ancestors_or_self(scan.breadcrumb_owners)
        by_tag_or_attributes = {element for _, element in scan.chrome}
        positions = {element: position for position, element in enumerate(scan.elements)}
        text_chrome = sorted(
            (positions[element], element) for element in holders
            if element in positions and element.tag in _TEXT_CHROME_TAGS
            and element not in by_tag_or_attributes and _may_open_with_breadcrumb(element)
        )
        candidates = list(heapq.merge(scan.chrome, text_chrome, key=lambda item: item[0]))
    removed_until = -1  # the last scan position inside a removed element
    for position, element in candidates:
        if position > removed_until and element is not root and _is_chrome(element, holders):
            removed_until = position + sum(1 for _ in element.iterdescendants())
            _drop(element)
    return scan


def _heading_candidates(root: etree._Element, owners: list[etree._Element]) -> list[etree._Element]:
    """The heading-tag elements in ``root`` (itself included) holding one of ``owners``."""
    found: dict[etree._Element, None] = {}
    inside: dict[etree._Element, bool] = {}  # element -> whether it lies in root
    for owner in owners:
        path: list[etree._Element] = []
        element: etree._Element | None = owner
        reached = False
        while element is not None:
            known = inside.get(element)
            if known is not None:
                reached = known
                break
            path.append(element)
            if element is root:
                reached = True
                break
            element = element.getparent()
        for step in path:
            inside[step] = reached
            if reached and step.tag in _HEADING_TAG_SET:
                found[step] = None
    return list(found)


def _anchors(root: etree._Element, owners: list[etree._Element]) -> list[etree._Element]:
    found: list[etree._Element] = []
    for table in root.iter("table"):
        if not is_layout_table(table):
            text = text_content(table)
            if any(word in text for word in TABLE_KEYWORDS):
                found.append(table)
    for element in _heading_candidates(root, owners):
        text = text_content(element)
        if not _may_be_heading(text):
            continue
        text = collapse_whitespace(text)
        if len(text) <= HEADING_MAX_CHARS and HEADING.match(text):
            found.append(element)
    return found


def _may_be_heading(raw: str) -> bool:
    """False when the raw text of an element surely does not collapse to a HEADING (a quick test)."""
    head = raw.lstrip()
    if not head or (head[0] not in _HEADING_NUMERALS and visible_char_count(head[0])):
        return False  # the first visible character is not a heading numeral
    return len(head) <= HEADING_MAX_CHARS or visible_char_count(head) <= HEADING_MAX_CHARS


def _common_ancestor(elements: list[etree._Element]) -> etree._Element:
    chains = [[e, *e.iterancestors()] for e in elements]
    shared = set(map(id, chains[0]))
    for chain in chains[1:]:
        shared &= set(map(id, chain))
    return next(e for e in chains[0] if id(e) in shared)


def _can_hold_article(element: etree._Element) -> bool:
    tag = _tag(element)
    if tag == "table":
        return is_layout_table(element)
    return tag in CONTAINER_TAGS


def _densest(element: etree._Element) -> etree._Element:
    current = element
    while True:
        total = cjk_count(text_content(current))
        best = max((c for c in current if _tag(c)), key=lambda c: cjk_count(text_content(c)), default=None)
        if total == 0 or best is None or not _can_hold_article(best):
            return current
        if cjk_count(text_content(best)) < DESCEND_SHARE * total:
            return current
        current = best


def find_article(root: etree._Element, scan: PageScan | None = None) -> etree._Element:
    """The element that holds the report (after :func:`remove_chrome`, given the scan it made)."""
    body = root.find("body")
    start = body if body is not None else root
    anchors = _anchors(start, (scan or scan_page(root)).heading_owners)
    if len(anchors) >= 2:
        return _common_ancestor(anchors)
    return _densest(start)


def page_title(root: etree._Element) -> tuple[str, int | None] | None:
    """The report title: the part of ``<title>`` naming the 年度报告, else the first such ``h1``."""
    for element in root.iter("title"):
        text = collapse_whitespace(text_content(element))
        for part in _TITLE_SEPARATORS.split(text):
            if TITLE_KEYWORD in part:
                return part, element.sourceline
    for element in root.iter("h1"):
        text = collapse_whitespace(text_content(element))
        if TITLE_KEYWORD in text:
            return text, element.sourceline
    return None
