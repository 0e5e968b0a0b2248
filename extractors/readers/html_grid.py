"""Span-aware grid of an HTML data table (the HTML table model, simplified).

Rows come from ``thead``, then ``tbody``/bare ``tr`` groups, then ``tfoot`` (a footer prints last);
every ``td``/``th`` takes the first free slot of its row, and its ``rowspan``/``colspan`` occupy
the slots below and to the right. As in browsers, a rowspan ends with its row group and
``rowspan="0"`` reaches the group's end. Malformed span values (``"2;"``, ``" 3 "``, ``"abc"``)
are read as their leading digits, else 1.
"""

from __future__ import annotations

import re

from lxml import etree

from gongkai.extractors.cjk_spacing import join_fragments
from gongkai.extractors.readers.html_flow import SKIPPED_TAGS, flow_lines
from gongkai.extractors.readers.html_text import BLOCK_TAGS, collapse_whitespace, text_content
from gongkai.model.document import Cell, Locator, TableBlock

# Largest spans honoured (the HTML standard's limits); larger values are clamped.
MAX_COLSPAN = 1000
MAX_ROWSPAN = 65534

_LEADING_DIGITS = re.compile(r"\s*\+?(\d+)")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.IGNORECASE)
_CELL_TAGS = ("td", "th")


def parse_span(value: str | None, *, zero_allowed: bool, limit: int) -> int:
    """A span attribute as an int: leading digits of the value, else 1 (0 only when allowed)."""
    if value is None:
        return 1
    match = _LEADING_DIGITS.match(value)
    if not match:
        return 1
    number = int(match.group(1))
    if number == 0:
        return 0 if zero_allowed else 1
    return min(number, limit)


def _is_hidden(element: etree._Element) -> bool:
    style = element.get("style")
    return (style is not None and bool(_HIDDEN_STYLE.search(style))) or element.get("hidden") is not None


def _tag(element: etree._Element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def row_groups(table: etree._Element) -> list[list[etree._Element]]:
    """The table's own rows, grouped as the HTML table model groups them, in printed order."""
    head: list[list[etree._Element]] = []
    body: list[list[etree._Element]] = []
    foot: list[list[etree._Element]] = []
    loose: list[etree._Element] = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            loose.append(child)
            continue
        if loose:
            body.append(loose)
            loose = []
        if tag in ("thead", "tbody", "tfoot"):
            rows = [r for r in child if _tag(r) == "tr"]
            {"thead": head, "tbody": body, "tfoot": foot}[tag].append(rows)
    if loose:
        body.append(loose)
    groups = head + body + foot
    return [[r for r in group if not _is_hidden(r)] for group in groups]


def _is_inline_only(element: etree._Element) -> bool:
    """No descendant breaks a line or hides text (so the element's text is one inline run)."""
    if not len(element):
        return True
    for descendant in element.iterdescendants():
        tag = descendant.tag
        if not isinstance(tag, str):
            return False  # comments, processing instructions: take the careful path
        tag = tag.lower()
        if tag == "br" or tag in BLOCK_TAGS or tag in SKIPPED_TAGS:
            return False
    return True


def _cell_runs(cell: etree._Element) -> list[str] | None:
    """The raw text runs of a cell between its line breaks, when the cell is simple enough.

    Simple: each child is an inline element, a ``<br>``, a skipped element (no text) or a block
    element (``<p>``, ``<div>`` …) with only inline content. The runs are what
    :func:`flow_lines` would collapse into lines (empty runs left out); None sends the cell down
    that careful path.
    """
    runs: list[str] = []
    current = cell.text or ""
    for child in cell:
        tag = child.tag
        if not isinstance(tag, str):
            return None
        tag = tag.lower()
        if tag == "br":
            if current:
                runs.append(current)
            current = ""
        elif tag == "table":
            return None
        elif tag not in SKIPPED_TAGS:
            if not len(child):
                content = child.text or ""
            elif _is_inline_only(child):
                content = text_content(child)
            else:
                return None
            if tag in BLOCK_TAGS:
                if current:
                    runs.append(current)
                if content:
                    runs.append(content)
                current = ""
            else:
                current += content
        tail = child.tail
        if tail:
            current += tail
    if current:
        runs.append(current)
    return runs


def cell_text(cell: etree._Element) -> str:
    """A cell's printed text: its lines (``<br>``, ``<p>`` …) joined, ``&nbsp;``-only gives ``""``."""
    runs = _cell_runs(cell)
    if runs is None:
        return join_fragments(flow_lines(cell))
    if len(runs) == 1:
        return collapse_whitespace(runs[0])
    return join_fragments([line for line in map(collapse_whitespace, runs) if line])


def _cell_spans(attributes: list[tuple[str, str]], hidden_styles: dict[str, bool]) -> tuple[int, int] | None:
    """(colspan, rowspan) of a cell from its attributes (``element.items()``: one call into lxml
    instead of one per ``get``), or None when the cell is hidden. Hidden styles are cached."""
    if not attributes:
        return 1, 1
    style = colspan = rowspan = None
    for key, value in attributes:  # the first of a repeated name counts, as with element.get()
        if key == "style":
            style = value if style is None else style
        elif key == "colspan":
            colspan = value if colspan is None else colspan
        elif key == "rowspan":
            rowspan = value if rowspan is None else rowspan
        elif key == "hidden":
            return None
    if style is not None:
        hidden = hidden_styles.get(style)
        if hidden is None:
            hidden = hidden_styles[style] = bool(_HIDDEN_STYLE.search(style))
        if hidden:
            return None
    return (1 if colspan is None else parse_span(colspan, zero_allowed=False, limit=MAX_COLSPAN),
            1 if rowspan is None else parse_span(rowspan, zero_allowed=True, limit=MAX_ROWSPAN))


def build_table_block(table: etree._Element, table_index: int) -> TableBlock:
    """The grid of anchor cells of a data table (no nested tables)."""
    cells: list[Cell] = []
    # slots of rows below the current one taken by rowspans (a row's own cells never overlap)
    occupied: set[tuple[int, int]] = set()
    hidden_styles: dict[str, bool] = {}
    n_cols = 0
    row_index = 0
    for group in row_groups(table):
        group_end = row_index + len(group)
        for tr in group:
            col = 0
            for td in tr:
                tag = td.tag
                if not isinstance(tag, str) or tag.lower() not in _CELL_TAGS:
                    continue
                spans = _cell_spans(td.items(), hidden_styles)
                if spans is None:
                    continue  # a hidden cell takes no slot
                colspan, rowspan = spans
                while (row_index, col) in occupied:
                    col += 1
                if rowspan != 1:
                    if rowspan == 0 or row_index + rowspan > group_end:
                        rowspan = group_end - row_index
                    for r in range(row_index + 1, row_index + rowspan):
                        for c in range(col, col + colspan):
                            occupied.add((r, c))
                # positional Locator(page, line, table, row, col): keywords cost twice as much
                locator = Locator(None, td.sourceline, table_index, row_index, col)
                cells.append(Cell(cell_text(td), row_index, col, rowspan, colspan, locator))
                col += colspan
                if col > n_cols:
                    n_cols = col
            row_index += 1
    return TableBlock(cells=cells, n_rows=row_index, n_cols=n_cols,
                      locator=Locator(line=table.sourceline, table=table_index))
