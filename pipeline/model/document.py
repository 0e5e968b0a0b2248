"""The intermediate document every reader produces.

A :class:`Document` is an ordered list of blocks: :class:`TextBlock` (one line or paragraph of
text) and :class:`TableBlock` (a grid of :class:`Cell` that keeps row/col spans). Every block and
cell carries a :class:`Locator` so that each extracted value can be traced back to its source:
page (PDF), line (text), table/row/column index (HTML, Word, PDF tables) or bounding box.

Readers for every input format (text, HTML, Markdown, Word, PDF) produce this same shape; the
section locator, table extractors, checks and writers only ever see a ``Document``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import attrgetter

# str(n) of the numbers locators hold (line, table, row, col), each made once per process: looking
# one up is several times cheaper than formatting it again (a plain dict: its subscript is the
# fastest). Bounded: numbers from _KEPT on are formatted each time.
_DIGITS: dict[int, str] = {}
_KEPT = 100_000


def _keep_digits(*numbers: int | None) -> None:
    for number in numbers:
        if number is not None and 0 <= number < _KEPT:
            _DIGITS[number] = str(number)


@dataclass(slots=True)
class Locator:
    """Where something was found in the source. All fields optional; set what the format knows.

    (Not frozen on purpose: documents hold one per cell, and frozen dataclasses are 3x slower to make.)

    ``page`` and ``line`` are 1-based (as a person counts); ``table``, ``row`` and ``col`` are
    0-based indexes into the document's tables and a table's grid.
    """

    page: int | None = None
    line: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    offset: int | None = None
    image: str | None = None  # the picture a cell or line was read from by OCR (Word media part, <img> src)

    def describe(self) -> str:
        """A short locator a person can follow, e.g. ``p4 table 2 row 7 col 3`` or ``line 42``."""
        if self.offset is None and self.bbox is None and self.image is None and self.page is None \
                and self.row is not None and self.col is not None:
            # the shapes of nearly every table cell (Word, text, HTML), spelt out for speed (and
            # their numbers' digits looked up: formatting an int was a third of the time)
            line, table, row, col = self.line, self.table, self.row, self.col
            try:
                if line is None:
                    if table is not None:
                        return f"table {_DIGITS[table]} row {_DIGITS[row]} col {_DIGITS[col]}"
                elif table is None:
                    return f"line {_DIGITS[line]} row {_DIGITS[row]} col {_DIGITS[col]}"
                else:
                    return f"line {_DIGITS[line]} table {_DIGITS[table]} row {_DIGITS[row]} col {_DIGITS[col]}"
            except KeyError:  # a number not seen before (kept from now on) or too large: formatted below
                _keep_digits(line, table, row, col)
        parts: list[str] = []
        if self.page is not None:
            parts.append(f"p{self.page}")
        if self.image is not None:
            parts.append(f"image {self.image}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.table is not None:
            parts.append(f"table {self.table}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.col is not None:
            parts.append(f"col {self.col}")
        if self.offset is not None:
            parts.append(f"char {self.offset}")
        if self.bbox is not None:
            parts.append("bbox " + ",".join(f"{v:.1f}" for v in self.bbox))
        return " ".join(parts)


@dataclass(slots=True)
class Cell:
    """One anchor cell of a table grid. A merged cell appears once, with its spans.

    ``text`` is the cell text with line breaks replaced by a space (readers join ``<br>``,
    paragraph breaks and PDF line wraps that way); ``None`` is never used: an empty cell has ``""``.
    """

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    locator: Locator = field(default_factory=Locator)


_column = attrgetter("col")


@dataclass(slots=True)
class TableBlock:
    """A table as a grid of anchor cells (row-major). ``n_rows``/``n_cols`` give the grid size."""

    cells: list[Cell]
    n_rows: int
    n_cols: int
    locator: Locator = field(default_factory=Locator)

    def rows(self) -> list[list[Cell]]:
        """Anchor cells grouped by the row they start in, each row ordered by column."""
        grouped: list[list[Cell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            if 0 <= cell.row < self.n_rows:
                grouped[cell.row].append(cell)
        for row in grouped:
            row.sort(key=_column)
        return grouped

    def text(self) -> str:
        """All cell texts, a line per row, tab-separated (for keyword search and debugging)."""
        return "\n".join("\t".join(c.text for c in row) for row in self.rows())

    @classmethod
    def from_rows(cls, rows: list[list[str]], locator: Locator | None = None) -> TableBlock:
        """Build a span-less grid from plain rows of strings (text and Markdown readers, tests)."""
        base = locator or Locator()
        page, first_line, table = base.page, base.line, base.table
        cells: list[Cell] = []
        append = cells.append
        for r, row in enumerate(rows):
            line = (first_line + r) if first_line else None
            for c, text in enumerate(row):
                # positional Locator(page, line, table, row, col) and Cell(text, row, col, rowspan, colspan, locator)
                append(Cell(text, r, c, 1, 1, Locator(page, line, table, r, c)))
        n_cols = max((len(r) for r in rows), default=0)
        return cls(cells=cells, n_rows=len(rows), n_cols=n_cols, locator=base)


@dataclass(slots=True)
class TextBlock:
    """A line or paragraph of text in reading order."""

    text: str
    locator: Locator = field(default_factory=Locator)


Block = TextBlock | TableBlock


@dataclass(slots=True)
class ReaderIssue:
    """Something a reader noticed that the result must carry (code from :mod:`gongkai.model.errors`)."""

    code: str
    message: str
    page: int | None = None
    fatal: bool = False


@dataclass(slots=True)
class OcrProvenance:
    """Which parts of a document were read by OCR (gongkai.extractors.ocr), for the OCR gate.

    ``pages`` are the PDF pages read by OCR (every value on them was); ``cells`` the
    :meth:`Locator.describe` of other table cells read by OCR (tables pasted as pictures in Word
    and HTML reports). ``unsure`` maps the locator of a table cell read by OCR to why its reading
    is not certain (low confidence, ink but no text); such a value is never used unconfirmed.
    ``alternatives`` maps the same locators to the recogniser's other digit readings of the cell
    (most probable first), among which the gate may choose the one combination every rule accepts.
    """

    pages: set[int] = field(default_factory=set)
    unsure: dict[str, str] = field(default_factory=dict)
    cells: set[str] = field(default_factory=set)
    alternatives: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(slots=True)
class Picture:
    """A picture in a Word or HTML report (a table may have been pasted as one), kept by the
    reader for the ``pictures`` stage, which reads it by OCR when the tables are not in the text.

    ``position`` is the number of blocks before it: its blocks go there. ``name`` says where it
    came from (the Word media part, the ``<img>`` src). Its bytes are ``data``, or the local file
    ``path`` (an HTML page's picture next to it), read only when the stage needs it.
    """

    name: str
    position: int
    data: bytes = b""
    path: str | None = None
    locator: Locator = field(default_factory=Locator)
    width_pt: float | None = None  # the width it is shown at, when the report says (Word's extent, <img width>)

    @property
    def available(self) -> bool:
        """Whether its bytes are here (an HTML page's picture on the web only is not)."""
        return bool(self.data) or self.path is not None


@dataclass(slots=True)
class Document:
    """What a reader returns: blocks in reading order, plus what the reader noticed."""

    source_path: str
    format: str
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None
    issues: list[ReaderIssue] = field(default_factory=list)
    ocr: OcrProvenance | None = None  # set when some pages or pictures were read by OCR
    pictures: list[Picture] = field(default_factory=list)  # Word/HTML pictures (the pictures stage)

    def tables(self) -> Iterator[TableBlock]:
        for block in self.blocks:
            if isinstance(block, TableBlock):
                yield block

    def text_blocks(self) -> Iterator[TextBlock]:
        for block in self.blocks:
            if isinstance(block, TextBlock):
                yield block

    def plain_text(self) -> str:
        """All text blocks and table texts joined by newlines (classification, debugging)."""
        out: list[str] = []
        for block in self.blocks:
            out.append(block.text if isinstance(block, TextBlock) else block.text())
        return "\n".join(out)
