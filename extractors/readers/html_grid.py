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


# What a cell's child element is for the cell's text (tags are lowercase: lxml's HTML parser
# lowercases them); any other tag is inline. Comments and processing instructions (not left by
# parse_html) and tables send the cell down the careful path.
_BREAK, _BLOCK, _SKIPPED, _CAREFUL = range(4)
_CHILD_KINDS: dict[object, int] = {
    **dict.fromkeys(BLOCK_TAGS, _BLOCK), **dict.fromkeys(SKIPPED_TAGS, _SKIPPED), "br": _BREAK,
    "table": _CAREFUL, etree.Comment: _CAREFUL, etree.ProcessingInstruction: _CAREFUL, etree.Entity: _CAREFUL,
}


def _inline_text(element: etree._Element) -> str | None:
    """The text content of an element whose descendants are all inline (nothing breaks a line or
    hides text), else None."""
    pieces = [element.text or ""]
    for child in element:
        if child.tag in _CHILD_KINDS:
            return None
        if len(child):  # nested deeper: check every descendant, take the text content in one call
            if any(descendant.tag in _CHILD_KINDS for descendant in element.iterdescendants()):
                return None
            text: str = text_content(element)
            return text
        pieces += (child.text or "", child.tail or "")
    return "".join(pieces)


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
        kind = _CHILD_KINDS.get(child.tag)
        if kind == _BREAK:
            if current:
                runs.append(current)
            current = ""
        elif kind == _CAREFUL:
            return None
        elif kind != _SKIPPED:
            content = (child.text or "") if not len(child) else _inline_text(child)
            if content is None:
                return None
            if kind == _BLOCK:
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
    if len(cell) == 1 and not cell.text:
        # the common cell: its text is all in one block or inline element (``<p>``, ``<span>``),
        # which gives the one run _cell_runs would give
        child = cell[0]
        if not child.tail and _CHILD_KINDS.get(child.tag, _BLOCK) == _BLOCK:
            content = _inline_text(child) if len(child) else (child.text or "")
            if content is not None:
                return collapse_whitespace(content)
    runs = _cell_runs(cell)
    if runs is None:
        return join_fragments(flow_lines(cell))
    if len(runs) == 1:
        return collapse_whitespace(runs[0])
    return join_fragments([line for line in map(collapse_whitespace, runs) if line])


def _cell_spans(attributes: tuple[tuple[str, str], ...]) -> tuple[int, int] | None:
    """(colspan, rowspan) of a cell from its attributes (``element.items()``), or None when the
    cell is hidden."""
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
    if style is not None and _HIDDEN_STYLE.search(style):
        return None
    return (1 if colspan is None else parse_span(colspan, zero_allowed=False, limit=MAX_COLSPAN),
            1 if rowspan is None else parse_span(rowspan, zero_allowed=True, limit=MAX_ROWSPAN))


def build_table_block(table: etree._Element, table_index: int) -> TableBlock:
    """The grid of anchor cells of a data table (no nested tables)."""
    cells: list[Cell] = []
    # columns of the rows below the current one taken by rowspans (a row's own cells never overlap)
    taken_below: dict[int, set[int]] = {}
    # spans by the cell's attributes: a table repeats a few attribute sets (one items() call into
    # lxml per cell, read once per distinct set); a cell that repeats the attributes of the cell
    # before it (most do) takes its spans without a look-up
    spans_by_attributes: dict[tuple[tuple[str, str], ...], tuple[int, int] | None] = {}
    previous_items: list[tuple[str, str]] | None = None
    spans: tuple[int, int] | None = None
    n_cols = 0
    row_index = 0
    for group in row_groups(table):
        group_end = row_index + len(group)
        for tr in group:
            taken = taken_below.pop(row_index, None)
            col = 0
            for td in tr:
                if td.tag not in _CELL_TAGS:  # tags are lowercase (lxml's HTML parser)
                    continue
                items = td.items()
                if items != previous_items:
                    previous_items = items
                    attributes = tuple(items)
                    try:
                        spans = spans_by_attributes[attributes]
                    except KeyError:
                        spans = spans_by_attributes[attributes] = _cell_spans(attributes)
                if spans is None:
                    continue  # a hidden cell takes no slot
                colspan, rowspan = spans
                if taken:
                    while col in taken:
                        col += 1
                if rowspan != 1:
                    if rowspan == 0 or row_index + rowspan > group_end:
                        rowspan = group_end - row_index
                    for r in range(row_index + 1, row_index + rowspan):
                        taken_below.setdefault(r, set()).update(range(col, col + colspan))
                # positional Locator(page, line, table, row, col): keywords cost twice as much
                locator = Locator(None, td.sourceline, table_index, row_index, col)
                cells.append(Cell(cell_text(td), row_index, col, rowspan, colspan, locator))
                col += colspan
                if col > n_cols:
                    n_cols = col
            row_index += 1
    return TableBlock(cells=cells, n_rows=row_index, n_cols=n_cols,
                      locator=Locator(line=table.sourceline, table=table_index))
