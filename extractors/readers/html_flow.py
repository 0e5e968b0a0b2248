"""Walk an HTML element in document order and cut its content into paragraphs and tables.

Block elements (``p``, ``div``, ``h1``…, ``li``, cells of layout tables) end a paragraph, ``<br>``
ends a line inside one, inline elements (``span``, ``font``, ``a`` …) never break. A data table
(one that holds no other table) is returned as a :class:`TableRef` where it stands; a layout
table (one that holds tables) is walked like any other container, so its text becomes paragraphs
and its inner tables come out in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from gongkai.extractors.readers.html_text import BLOCK_TAGS, collapse_whitespace

# Elements whose content is never text of the report.
SKIPPED_TAGS: frozenset[str] = frozenset({
    "script", "style", "noscript", "iframe", "frame", "frameset", "object", "embed", "template",
    "svg", "math", "canvas", "audio", "video", "select", "option", "button", "input", "textarea",
    "head", "title", "meta", "link",
})


@dataclass(slots=True)
class Paragraph:
    """A block of text: its ``<br>``-separated lines (already whitespace-collapsed)."""

    lines: list[str]
    sourceline: int | None = None


@dataclass(slots=True)
class TableRef:
    """A data table met in the flow."""

    element: etree._Element


FlowItem = Paragraph | TableRef


def is_layout_table(table: etree._Element) -> bool:
    """A table that holds another table, or a single cell, only lays out the page."""
    if next(table.iterdescendants("table"), None) is not None:
        return True
    cells = table.iterdescendants("td", "th")
    return next(cells, None) is None or next(cells, None) is None


@dataclass(slots=True)
class _FlowBuilder:
    items: list[FlowItem] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    sourceline: int | None = None

    def add_text(self, text: str | None, sourceline: int | None) -> None:
        if not text:
            return
        if self.sourceline is None and text.strip():
            self.sourceline = sourceline
        self.raw.append(text)

    def line_break(self) -> None:
        if not self.raw:
            return
        line = collapse_whitespace("".join(self.raw))
        self.raw = []
        if line:
            self.lines.append(line)

    def paragraph_break(self) -> None:
        self.line_break()
        if self.lines:
            self.items.append(Paragraph(self.lines, self.sourceline))
        self.lines = []
        self.sourceline = None

    def table(self, element: etree._Element) -> None:
        self.paragraph_break()
        self.items.append(TableRef(element))


# Work items of the walk: an element to visit, a tail text to add, or the end of a block.
_Visit = tuple[etree._Element, None]
_Tail = tuple[None, tuple[str | None, int | None]]
_BLOCK_END: tuple[None, None] = (None, None)


def _walk(root: etree._Element, out: _FlowBuilder) -> None:
    """Depth-first walk with an explicit stack (pages can nest elements thousands deep)."""
    stack: list[_Visit | _Tail | tuple[None, None]] = [(root, None)]
    while stack:
        element, tail = stack.pop()
        if element is None:
            if tail is None:
                out.paragraph_break()
            else:
                out.add_text(*tail)
            continue
        tag = element.tag
        if not isinstance(tag, str):  # comment or processing instruction: only its tail is text
            continue
        tag = tag.lower()
        if tag in SKIPPED_TAGS:
            continue
        if tag == "br":
            out.line_break()
            continue
        if tag == "table" and not is_layout_table(element):
            out.table(element)
            continue
        if tag in BLOCK_TAGS:
            out.paragraph_break()
            stack.append(_BLOCK_END)
        text = element.text
        if text:  # (add_text skips no text; a line number read only for a text)
            out.add_text(text, element.sourceline)
        for child in reversed(element):
            tail = child.tail
            if tail:
                stack.append((None, (tail, child.sourceline)))
            stack.append((child, None))


def flow_items(element: etree._Element) -> list[FlowItem]:
    """Paragraphs and data tables of ``element`` in document order."""
    out = _FlowBuilder()
    _walk(element, out)
    out.paragraph_break()
    return out.items


def flow_lines(element: etree._Element) -> list[str]:
    """Every text line inside ``element`` (tables included as their paragraphs), in order."""
    lines: list[str] = []
    for item in flow_items(element):
        if isinstance(item, Paragraph):
            lines.extend(item.lines)
        else:
            for cell in item.element.iterdescendants("td", "th", "caption"):
                lines.extend(flow_lines(cell))
    return lines
