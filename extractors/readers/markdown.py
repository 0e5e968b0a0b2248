"""Markdown reader: reports converted from PDF (headings, paragraphs, pipe tables) → Document.

Pipe tables are often broken by converters: missing leading or trailing pipes, ragged rows,
``|---|`` separator rows anywhere, header rows merged. Each run of consecutive pipe rows becomes
one span-less TableBlock (separator rows dropped, cells stripped, ``<br>`` inside a cell joined
like HTML line breaks). HTML ``<table>`` blocks that some converters emit are read with the HTML
grid builder, spans included. Every other non-blank line is a TextBlock (``#`` markers and
emphasis stripped) with its 1-based line number.

Converters from PDF (OCR/LLM tools) explode a table into per-row mini-tables under generic
headers (数据1 … 数据6, Column 1, Unnamed: 0): such header rows say nothing about the columns and
are dropped, so no column is ever bound by them. A one-cell row ``| label |`` (a label the
converter detached from its numbers) stays a table row, for the table extractors to join with
the numbers row below it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from gongkai.extractors.cjk_spacing import join_fragments
from gongkai.extractors.encoding import decode_bytes
from gongkai.extractors.readers.html import parse_html
from gongkai.extractors.readers.html_grid import build_table_block
from gongkai.extractors.readers.html_text import collapse_whitespace
from gongkai.model.document import Block, Cell, Document, Locator, TableBlock, TextBlock

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_SEPARATOR_CELL = re.compile(r"^:?-+:?$")
_BR = re.compile(r"<\s*br\s*/?\s*>", re.IGNORECASE)
_HEADING_MARK = re.compile(r"^\s{0,3}#{1,6}\s+|\s+#+\s*$")
_QUOTE_OR_BULLET = re.compile(r"^\s*(?:>\s*)+|^\s*[-*+]\s+(?=\S)")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_FENCE = re.compile(r"^\s*(```|~~~)")
_HTML_TABLE_OPEN = re.compile(r"<table\b", re.IGNORECASE)
_HTML_TABLE_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)
# a column name a converter made up: 数据1, 列2, Column 3, Col4, Unnamed: 5, 表头6
_GENERIC_HEADER = re.compile(r"^(?:数据|列|字段|表头|column|col|unnamed:?|field)\s*_?\d{1,2}$", re.IGNORECASE)


def split_row(line: str) -> list[str]:
    """The cells of a pipe row (outer pipes optional), each stripped; ``<br>`` lines joined."""
    text = line.strip()
    pieces = _UNESCAPED_PIPE.split(text)
    if text.startswith("|"):
        pieces = pieces[1:]
    if text.endswith("|") and not text.endswith("\\|") and pieces:
        pieces = pieces[:-1]
    return [cell_text(p) for p in pieces]


def cell_text(raw: str) -> str:
    """A Markdown cell as printed: entities decoded, ``<br>`` lines joined, whitespace collapsed."""
    parts = _BR.split(raw.replace("\\|", "|"))
    return join_fragments(collapse_whitespace(html.unescape(_strip_emphasis(p))) for p in parts)


def is_separator_row(cells: list[str]) -> bool:
    """A ``|---|:---:|`` row (blank cells allowed, at least one dash cell)."""
    filled = [c.replace(" ", "") for c in cells if c.strip()]
    return bool(filled) and all(_SEPARATOR_CELL.match(c) for c in filled)


def is_pipe_row(line: str) -> bool:
    """A table row: two cells or more, or one cell between an opening and a closing pipe."""
    if len(_UNESCAPED_PIPE.findall(line)) < 1:
        return False
    text = line.strip()
    return len(split_row(line)) >= 2 or (len(text) > 2 and text.startswith("|") and text.endswith("|"))


def is_generic_header(cells: list[str]) -> bool:
    """A header row of made-up column names (数据1 | 数据2 …): no information about the columns."""
    filled = [c.replace(" ", "") for c in cells if c.strip()]
    return len(filled) >= 2 and all(_GENERIC_HEADER.match(c) for c in filled)


def _strip_emphasis(text: str) -> str:
    return _EMPHASIS.sub(r"\2", text)


def text_line(line: str) -> str:
    """A non-table line as text: heading marks, quote marks, bullets and emphasis removed."""
    text = _HEADING_MARK.sub("", line)
    text = _QUOTE_OR_BULLET.sub("", text)
    return collapse_whitespace(html.unescape(_strip_emphasis(text)))


@dataclass(slots=True)
class _PipeTable:
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (1-based line, cells)
    starts_with_pipe: bool = False


def _pipe_table_block(table: _PipeTable, index: int) -> TableBlock | None:
    rows = [(n, cells) for n, cells in table.rows if not is_separator_row(cells) and not is_generic_header(cells)]
    if not rows:
        return None
    cells = [
        Cell(text, r, c, locator=Locator(line=n, table=index, row=r, col=c))
        for r, (n, row) in enumerate(rows) for c, text in enumerate(row)
    ]
    return TableBlock(cells=cells, n_rows=len(rows), n_cols=max(len(row) for _n, row in rows),
                      locator=Locator(line=rows[0][0], table=index))


def _html_table_block(markup: str, first_line: int, index: int) -> TableBlock | None:
    root = parse_html(markup)
    table = next(root.iter("table"), None)
    if table is None:
        return None
    block = build_table_block(table, index)
    for cell in block.cells:
        loc = cell.locator
        line = first_line + (loc.line or 1) - 1
        cell.locator = Locator(line=line, table=index, row=loc.row, col=loc.col)
    block.locator = Locator(line=first_line, table=index)
    return block


class _Reader:
    """Line-by-line state: the pipe table or HTML table being collected, and the blocks so far."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.table: _PipeTable | None = None
        self.html_lines: list[str] = []
        self.html_start = 0
        self.in_fence = False
        self.lines: list[str] = []

    def _add_table(self, block: TableBlock | None) -> None:
        if block is not None and any(c.text for c in block.cells):
            self.blocks.append(block)

    def _table_count(self) -> int:
        return sum(1 for b in self.blocks if isinstance(b, TableBlock))

    def close_table(self) -> None:
        table, self.table = self.table, None
        if table is None:
            return
        if len(table.rows) == 1 and not table.starts_with_pipe:  # a lone "a | b" line is prose
            n, _cells = table.rows[0]
            self.blocks.append(TextBlock(text_line(self.lines[n - 1]), Locator(line=n)))
            return
        self._add_table(_pipe_table_block(table, self._table_count()))

    def feed(self, lines: list[str]) -> list[Block]:
        self.lines = lines
        for number, line in enumerate(lines, start=1):
            self.feed_line(number, line)
        self.close_table()
        if self.html_lines:
            self._flush_html()
        return self.blocks

    def _flush_html(self) -> None:
        markup = "\n".join(self.html_lines)
        self.html_lines = []
        self._add_table(_html_table_block(markup, self.html_start, self._table_count()))

    def feed_line(self, number: int, line: str) -> None:
        if self.html_lines or (not self.in_fence and _HTML_TABLE_OPEN.search(line)):
            self.close_table()
            if not self.html_lines:
                self.html_start = number
            self.html_lines.append(line)
            if _HTML_TABLE_CLOSE.search(line):
                self._flush_html()
            return
        if _FENCE.match(line):
            self.close_table()
            self.in_fence = not self.in_fence
            return
        if not self.in_fence and is_pipe_row(line):
            if self.table is None:
                self.table = _PipeTable(starts_with_pipe=line.lstrip().startswith("|"))
            self.table.rows.append((number, split_row(line)))
            return
        self.close_table()
        text = line.strip() if self.in_fence else text_line(line)
        if text:
            self.blocks.append(TextBlock(text, Locator(line=number)))


def read(data: bytes, source: str) -> Document:
    """Read a Markdown report (UTF-8, GB18030 … detected)."""
    text, _encoding = decode_bytes(data)
    blocks = _Reader().feed(text.splitlines())
    return Document(source_path=source, format="md", blocks=blocks)
