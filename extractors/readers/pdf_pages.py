"""Which pages to run the table finder on (the fast path of issue 4).

Finding ruled tables needs every character box and path of a page; the cheap text layer is
enough to tell which pages hold tables 二–四. A page is analysed when its text carries one of
:data:`TABLE_KEYWORDS`, or when the table of the page before runs to the bottom of that page
(decided by the reader once that page has been analysed).
"""

from __future__ import annotations

import re

from gongkai.schemas.headings import PAGE_MARKERS

# Words printed in tables 二, 三 and 四 that prose hardly uses (spaces removed before matching).
TABLE_KEYWORDS: tuple[str, ...] = PAGE_MARKERS

_KEYWORD_RE = re.compile("|".join(map(re.escape, TABLE_KEYWORDS)))


def mentions_tables(text: str) -> bool:
    """Whether a page's text contains a word of tables 二–四."""
    return bool(_KEYWORD_RE.search(re.sub(r"\s+", "", text)))


def continues_on_next_page(table_bottom: float, line_tops: list[float]) -> bool:
    """Whether a table ends its page: none of the page's report lines (page numbers and running
    footers left out) starts below the table's bottom edge."""
    return all(top < table_bottom for top in line_tops)
