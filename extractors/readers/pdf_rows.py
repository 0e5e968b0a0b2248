"""Clean-up of table rows that page layout, not the report, put there (docs/form.md § Deviations, D9, D10).

- page-number rows ("- 4 -") printed inside a table's frame are dropped;
- a header repeated at the top of a continuation piece is dropped;
- a row holding only the tail of a wrapped label ("形，不计其他情形）", "法提供") and no values is
  merged into the row above (on the same page or the previous page's piece), and a label-only
  last row of a piece is merged into the continuation row that carries its values, so numbers
  never stand apart from their label.
"""

from __future__ import annotations

import re

from gongkai.extractors.cjk_spacing import join_fragments
from gongkai.extractors.readers.pdf_tables import GridCell, PageGrid
from gongkai.extractors.readers.pdf_text import is_page_number

# A printed value: a number (with separators, sign, decimals, percent) or a placeholder.
VALUE_RE = re.compile(r"^\s*(?:[+\-－]?\d[\d,，.．]*\s*%?|[—\-－–/／]+|无)\s*$")

# How a label (not a continuation) starts: numbering or the table's own header words.
LABEL_START_RE = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[、.．]|第|信息内容"
    r"|本年|上年|申请人|自然人|法人|行政|结果|其他|总计|合计|小计|尚未|未经|复议)"
)

# Compare at most this many leading rows when looking for a repeated header.
MAX_HEADER_ROWS = 4


def is_value(text: str) -> bool:
    return bool(VALUE_RE.match(text))


def row_has_values(grid: PageGrid, row: int) -> bool:
    return any(is_value(c.text) for c in grid.row_cells(row) if c.text)


def _texts(grid: PageGrid, row: int) -> list[str]:
    return [c.text for c in grid.row_cells(row) if c.text]


def is_fragment_row(grid: PageGrid, row: int) -> bool:
    """A row that holds only continuation text of a wrapped label: no values, no label start."""
    cells = [c for c in grid.row_cells(row) if c.text]
    if not cells or any(is_value(c.text) for c in cells):
        return False
    if any(c.colspan >= grid.n_cols for c in cells):  # a block header spanning the table
        return False
    return all(not LABEL_START_RE.match(c.text) for c in cells)


def is_page_number_row(grid: PageGrid, row: int) -> bool:
    cells = [c for c in grid.row_cells(row) if c.text]
    if len(cells) != 1 or not is_page_number(cells[0].text):
        return False
    text = cells[0].text
    return not text.strip().isdigit() or cells[0].colspan >= grid.n_cols


def _append_text(target: GridCell, text: str, prepend: bool = False) -> None:
    target.text = join_fragments([text, target.text] if prepend else [target.text, text])


def _label_target(grid: PageGrid, row: int, col: int) -> GridCell | None:
    """The label cell of ``row`` a fragment printed in column ``col`` continues."""
    cell = grid.covering(row, col)
    if cell is not None and cell.text and not is_value(cell.text):
        return cell
    labels = [c for c in grid.row_cells(row) if c.text and not is_value(c.text) and c.col <= col]
    return labels[-1] if labels else None


def merge_fragment_into(source: PageGrid, row: int, target: PageGrid, target_row: int) -> bool:
    """Append the fragment texts of ``source`` row ``row`` to the labels of ``target_row``."""
    moves: list[tuple[GridCell, str]] = []
    for cell in source.row_cells(row):
        if not cell.text:
            continue
        dest = _label_target(target, target_row, cell.col)
        if dest is None:
            return False
        moves.append((dest, cell.text))
    for dest, text in moves:
        _append_text(dest, text)
    return True


def drop_page_number_rows(grid: PageGrid) -> None:
    for row in reversed(range(grid.n_rows)):
        if is_page_number_row(grid, row):
            grid.drop_row(row)


def merge_fragment_rows(grid: PageGrid) -> None:
    """Merge wrapped-label rows into the data row above them, within one piece."""
    row = 1
    while row < grid.n_rows:
        if is_fragment_row(grid, row) and row_has_values(grid, row - 1) \
                and merge_fragment_into(grid, row, grid, row - 1):
            grid.drop_row(row)
            continue
        row += 1


def drop_repeated_header(first: PageGrid, piece: PageGrid) -> None:
    """Drop the leading rows of a continuation piece that repeat the first piece's header."""
    if first.n_cols != piece.n_cols:
        return
    count = 0
    while count < min(MAX_HEADER_ROWS, first.n_rows, piece.n_rows - 1):
        if row_has_values(first, count) or _texts(first, count) != _texts(piece, count):
            break
        count += 1
    for _ in range(count):
        piece.drop_row(0)


def join_continuation(prev: PageGrid, piece: PageGrid) -> None:
    """Repair a row broken by the page break between ``prev`` and its continuation ``piece``."""
    if piece.n_rows == 0 or prev.n_rows == 0:
        return
    last = prev.n_rows - 1
    if is_fragment_row(piece, 0) and row_has_values(prev, last):
        if merge_fragment_into(piece, 0, prev, last):
            piece.drop_row(0)
        return
    if not row_has_values(prev, last) and row_has_values(piece, 0) and _starts_with_fragment(piece, 0):
        heads = [c for c in prev.row_cells(last) if c.text]
        if heads and all(not c.colspan >= prev.n_cols for c in heads):
            for head in reversed(heads):
                dest = _label_target(piece, 0, head.col)
                if dest is None:
                    return
            for head in heads:
                dest = _label_target(piece, 0, head.col)
                assert dest is not None
                _append_text(dest, head.text, prepend=True)
            prev.drop_row(last)


def _starts_with_fragment(grid: PageGrid, row: int) -> bool:
    labels = [c for c in grid.row_cells(row) if c.text and not is_value(c.text)]
    return bool(labels) and not LABEL_START_RE.match(labels[0].text)
