"""Text of HTML elements as lines: whitespace collapsing and CJK-aware joining.

A flow of HTML content is cut into *paragraphs* (block-element boundaries) made of *lines*
(``<br>`` breaks inside a paragraph). Inline elements (``span``, ``font``, ``a`` …) never break.
Source whitespace is collapsed the way a browser renders it, except that a source line break
between two wide (CJK) characters disappears (CSS Text 3 segment-break rule), and joined lines
get no space between two wide characters and a single space otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree

from gongkai.extractors.cjk_spacing import is_cjk, join_fragments

# Elements that start and end a paragraph when they appear inside a flow of text.
BLOCK_TAGS: frozenset[str] = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})

# Whitespace a browser collapses (ASCII whitespace; the ideographic space is treated the same way
# because reports indent paragraphs with it). No-break spaces become plain spaces afterwards.
_SPACE_RUN = re.compile(r"[ \t\n\r\f\v\u3000]+")
# Zero-width and soft-hyphen characters: dropped from rendered text.
INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")
_NBSP = "\u00a0"
# Any character collapse_whitespace would change (str.isspace characters and the invisible ones).
_NEEDS_COLLAPSE = re.compile(rf"[\s{INVISIBLE_CHARS}]")



def text_content(element: etree._Element) -> str:
    """Text content of an element (its text and every descendant's text and tail), as lxml.html's
    ``text_content()`` and XPath ``string()`` compute it, for plain lxml.etree elements.

    lxml's text serialisation reads the same libxml2 node content as ``string()`` without an
    XPath evaluation per call (whose set-up cost several times a short element's text).
    """
    text: str = etree.tostring(element, method="text", encoding=str, with_tail=False)
    return text


def visible_char_count(text: str) -> int:
    """How many characters of ``text`` survive :func:`collapse_whitespace` unchanged (a lower
    bound of the collapsed length): all but whitespace and invisible characters."""
    spaceless = "".join(text.split())
    return len(spaceless) - len(_INVISIBLE.findall(spaceless))


def _collapse_run(match: re.Match[str]) -> str:
    run = match.group(0)
    text = match.string
    start, end = match.span()
    if ("\n" in run or "\r" in run) and 0 < start and end < len(text) \
            and is_cjk(text[start - 1]) and is_cjk(text[end]):
        return ""
    return " "


def collapse_whitespace(raw: str) -> str:
    """Rendered text of a run of inline source text: whitespace collapsed, trimmed.

    A source line break between two wide characters is dropped; ``&nbsp;`` becomes a space.
    """
    if raw.isprintable() and " " not in raw:
        # fast path, same result: every character collapsing changes (whitespace, invisible) is
        # unprintable or the space (tests/test_html_text.py checks every code point)
        return raw
    if raw.isspace():
        return ""
    if not _NEEDS_COLLAPSE.search(raw):  # fast path, same result: nothing to collapse or trim
        return raw
    text = _INVISIBLE.sub("", raw)
    text = _SPACE_RUN.sub(_collapse_run, text)
    text = text.replace(_NBSP, " ")
    return _SPACE_RUN.sub(" ", text).strip()


# A line that closes a sentence, or one that opens a numbered heading or item, stands alone.
_SENTENCE_END = re.compile(r"[。！？；：!?;:…]\s*$")
_ITEM_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d+\s*[、.．](?!\d))"
)
# A line shorter than this is a line of its own (title, heading, signature), not a wrapped one.
MIN_WRAPPED_LINE_CHARS = 20


def looks_like_separate_lines(previous: str, following: str) -> bool:
    """Whether two ``<br>``-separated lines of one paragraph are separate lines of text."""
    return (
        bool(_SENTENCE_END.search(previous)) or bool(_ITEM_START.match(following))
        or len(previous) < MIN_WRAPPED_LINE_CHARS
    )


def paragraph_texts(lines: Sequence[str]) -> list[str]:
    """The text blocks of one paragraph: ``<br>`` lines split where they look separate."""
    out: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line:
            continue
        if current and looks_like_separate_lines(current[-1], line):
            out.append(join_fragments(current))
            current = []
        current.append(line)
    if current:
        out.append(join_fragments(current))
    return out
