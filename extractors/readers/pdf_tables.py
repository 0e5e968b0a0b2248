"""Ruled tables of one PDF page → grids of anchor cells with row/col spans.

The table finder is pdfplumber's (``lines`` strategy: edges → intersections → cells → tables),
run on the edges pdfium read (see :mod:`gongkai.extractors.readers.pdf_layout`), which is much faster
than letting pdfminer parse the page. A table's cells become anchor cells: pdfplumber's grid has
one column per distinct cell ``x0`` and one row per distinct cell ``top``; a cell covering
several of them is one anchor with spans (pdfplumber's ``None`` positions), a cell without text
is an anchor with ``""``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from pdfplumber.table import TableFinder, TableSettings, cells_to_tables, edges_to_intersections

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
    """Cell boxes of each ruled table on the page (pdfplumber's finder), top to bottom.

    pdfplumber's own steps (edge merging, intersections, grouping cells into tables) with its
    ``intersections_to_cells`` replaced by :func:`intersections_to_cells`, which gives the same
    cells without pdfplumber's per-comparison set building.
    """
    finder = TableFinder.__new__(TableFinder)  # only its edge step: the rest is done below
    finder.page = cast(Any, _EdgePage(edges, page_bbox))
    finder.settings = TableSettings.resolve(settings)
    intersections = edges_to_intersections(finder.get_edges(), finder.settings.intersection_x_tolerance,
                                           finder.settings.intersection_y_tolerance)
    tables = [list(map(tuple, cells)) for cells in cells_to_tables(intersections_to_cells(intersections))]
    tables.sort(key=lambda cells: (min(c[1] for c in cells), min(c[0] for c in cells)))
    return cast(list[list[BBox]], tables)


Point = tuple[float, float]


def intersections_to_cells(intersections: dict[Point, dict[str, list[Edge]]]) -> list[BBox]:
    """pdfplumber's ``intersections_to_cells``, same result: for each intersection (sorted), the
    smallest cell whose four corners are intersections joined by shared edges.

    Each point's edge boxes are made into sets once; the points below / to the right of a point
    are its successors among the points of the same x / the same top.
    """
    points = sorted(intersections)
    v_sets: dict[Point, frozenset[BBox]] = {}
    h_sets: dict[Point, frozenset[BBox]] = {}
    for point, touching in intersections.items():
        v_sets[point] = frozenset((e["x0"], e["top"], e["x1"], e["bottom"]) for e in touching["v"])
        h_sets[point] = frozenset((e["x0"], e["top"], e["x1"], e["bottom"]) for e in touching["h"])
    by_x: dict[float, list[Point]] = {}
    by_top: dict[float, list[Point]] = {}
    for point in points:  # sorted by (x, top): each group is in the order pdfplumber scans it
        by_x.setdefault(point[0], []).append(point)
        by_top.setdefault(point[1], []).append(point)

    def connects(p1: Point, p2: Point) -> bool:
        if p1[0] == p2[0] and not v_sets[p1].isdisjoint(v_sets[p2]):
            return True
        return p1[1] == p2[1] and not h_sets[p1].isdisjoint(h_sets[p2])

    cells: list[BBox] = []
    for pt in points:
        column = by_x[pt[0]]
        row = by_top[pt[1]]
        below = column[column.index(pt) + 1:]
        right = row[row.index(pt) + 1:]
        cell = _smallest_cell(pt, below, right, intersections, connects)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(pt: Point, below: list[Point], right: list[Point], corners: Container[Point],
                   connects: Callable[[Point, Point], bool]) -> BBox | None:
    for below_pt in below:
        if not connects(pt, below_pt):
            continue
        for right_pt in right:
            if not connects(pt, right_pt):
                continue
            bottom_right = (right_pt[0], below_pt[1])
            if bottom_right in corners and connects(bottom_right, right_pt) \
                    and connects(bottom_right, below_pt):
                return (pt[0], pt[1], bottom_right[0], bottom_right[1])
    return None


def _boundaries(values: Sequence[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SPAN_EPSILON:
            out.append(v)
    return out


def _span(start: float, end: float, bounds: list[float]) -> int:
    """How many of the (sorted) ``bounds`` lie in [start, end), at least 1."""
    return max(1, bisect_left(bounds, end - SPAN_EPSILON) - bisect_left(bounds, start - SPAN_EPSILON))


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
