"""Ruled tables of one PDF page → grids of anchor cells with row/col spans.

The table finder is pdfplumber's (``lines`` strategy: edges → intersections → cells → tables),
run on the edges pdfium read (see :mod:`gongkai.extractors.readers.pdf_layout`), which is much faster
than letting pdfminer parse the page. A table's cells become anchor cells: pdfplumber's grid has
one column per distinct cell ``x0`` and one row per distinct cell ``top``; a cell covering
several of them is one anchor with spans (pdfplumber's ``None`` positions), a cell without text
is an anchor with ``""``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from pdfplumber.table import TableFinder, TableSettings

from gongkai.extractors.cjk_spacing import join_fragments
from gongkai.extractors.readers.pdf_layout import Edge, PdfChar
from gongkai.extractors.readers.pdf_text import chars_to_lines
from gongkai.model.document import Cell, Locator, TableBlock

# pdfplumber's table settings for ruled tables (its defaults, spelled out).
DEFAULT_TABLE_SETTINGS = TableSettings(
    vertical_strategy="lines",
    horizontal_strategy="lines",
    snap_tolerance=3,
    join_tolerance=3,
    edge_min_length=3,
    intersection_tolerance=3,
)

# A "table" with fewer columns is a framed or shaded paragraph, read as text.
MIN_TABLE_COLS = 2

# Cell boundaries closer than this (points) are the same boundary.
SPAN_EPSILON = 0.5

BBox = tuple[float, float, float, float]


@dataclass(slots=True)
class GridCell:
    """An anchor cell while a page's grid is being cleaned up."""

    text: str
    row: int
    col: int
    rowspan: int
    colspan: int
    bbox: BBox


@dataclass(slots=True)
class PageGrid:
    """One table (or one page's piece of a table) found on one page."""

    page: int
    bbox: BBox
    n_rows: int
    n_cols: int
    cells: list[GridCell] = field(default_factory=list)

    def row_cells(self, row: int) -> list[GridCell]:
        return sorted((c for c in self.cells if c.row == row), key=lambda c: c.col)

    def covering(self, row: int, col: int) -> GridCell | None:
        """The anchor whose span covers grid position (row, col)."""
        for cell in self.cells:
            if cell.row <= row < cell.row + cell.rowspan and cell.col <= col < cell.col + cell.colspan:
                return cell
        return None

    def drop_row(self, row: int) -> None:
        """Remove grid row ``row``: spans through it shrink, anchors in it move down a row."""
        kept: list[GridCell] = []
        for cell in self.cells:
            if cell.row == row:
                if cell.rowspan > 1:  # a merged cell starting here keeps its lower part
                    cell.rowspan -= 1
                    kept.append(cell)
                continue
            if cell.row < row < cell.row + cell.rowspan:
                cell.rowspan -= 1
            elif cell.row > row:
                cell.row -= 1
            kept.append(cell)
        self.cells = kept
        self.n_rows -= 1

    def to_block(self, table_index: int) -> TableBlock:
        cells = [
            Cell(text=c.text, row=c.row, col=c.col, rowspan=c.rowspan, colspan=c.colspan,
                 locator=Locator(page=self.page, table=table_index, row=c.row, col=c.col, bbox=c.bbox))
            for c in sorted(self.cells, key=lambda c: (c.row, c.col))
        ]
        return TableBlock(cells=cells, n_rows=self.n_rows, n_cols=self.n_cols,
                          locator=Locator(page=self.page, table=table_index, bbox=self.bbox))


class _EdgePage:
    """The two attributes pdfplumber's TableFinder reads from a page (lines strategy)."""

    def __init__(self, edges: list[Edge], bbox: BBox) -> None:
        self.edges = edges
        self.bbox = bbox


def find_table_cells(edges: list[Edge], page_bbox: BBox,
                     settings: TableSettings = DEFAULT_TABLE_SETTINGS) -> list[list[BBox]]:
    """Cell boxes of each ruled table on the page (pdfplumber's finder), top to bottom."""
    finder = TableFinder(cast(Any, _EdgePage(edges, page_bbox)), settings)
    tables = [list(map(tuple, t.cells)) for t in finder.tables]
    tables.sort(key=lambda cells: (min(c[1] for c in cells), min(c[0] for c in cells)))
    return cast(list[list[BBox]], tables)


def _boundaries(values: Sequence[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SPAN_EPSILON:
            out.append(v)
    return out


def _span(start: float, end: float, bounds: list[float]) -> int:
    return max(1, sum(1 for b in bounds if start - SPAN_EPSILON <= b < end - SPAN_EPSILON))


def build_grid(cell_boxes: list[BBox], chars: Sequence[PdfChar], page: int) -> PageGrid:
    """The anchor-cell grid of one table, each cell holding the characters centred in it."""
    xs = _boundaries([c[0] for c in cell_boxes])
    tops = _boundaries([c[1] for c in cell_boxes])
    bbox = (min(c[0] for c in cell_boxes), min(c[1] for c in cell_boxes),
            max(c[2] for c in cell_boxes), max(c[3] for c in cell_boxes))
    grid = PageGrid(page=page, bbox=bbox, n_rows=len(tops), n_cols=len(xs))
    owner: dict[tuple[int, int], int] = {}
    for box in cell_boxes:
        row = bisect_right(tops, box[1] + SPAN_EPSILON) - 1
        col = bisect_right(xs, box[0] + SPAN_EPSILON) - 1
        cell = GridCell("", row, col, _span(box[1], box[3], tops), _span(box[0], box[2], xs), box)
        for r in range(row, row + cell.rowspan):
            for c in range(col, col + cell.colspan):
                owner.setdefault((r, c), len(grid.cells))
        grid.cells.append(cell)
    members: list[list[PdfChar]] = [[] for _ in grid.cells]
    for ch in chars:
        x, y = ch.x_mid, ch.y_mid
        if not (bbox[0] <= x < bbox[2] and bbox[1] <= y < bbox[3]):
            continue
        key = (bisect_right(tops, y) - 1, bisect_right(xs, x) - 1)
        index = owner.get(key)
        if index is not None:
            box = grid.cells[index].bbox
            if box[0] <= x < box[2] and box[1] <= y < box[3]:
                members[index].append(ch)
    for cell, cell_chars in zip(grid.cells, members, strict=True):
        cell.text = join_fragments(line.text for line in chars_to_lines(cell_chars))
    return grid


def page_grids(edges: list[Edge], page_bbox: BBox, chars: Sequence[PdfChar], page: int,
               settings: TableSettings = DEFAULT_TABLE_SETTINGS) -> list[PageGrid]:
    """The data tables of one page (framed paragraphs with a single column are left out)."""
    grids: list[PageGrid] = []
    for cell_boxes in find_table_cells(edges, page_bbox, settings):
        grid = build_grid(cell_boxes, chars, page)
        if grid.n_cols >= MIN_TABLE_COLS:
            grids.append(grid)
    return grids


def in_any(ch: PdfChar, boxes: Sequence[BBox]) -> bool:
    """Whether the character's centre lies inside one of ``boxes``."""
    x, y = ch.x_mid, ch.y_mid
    return any(b[0] <= x < b[2] and b[1] <= y < b[3] for b in boxes)
