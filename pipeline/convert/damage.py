"""The damaged_text stage: no value is read near a character the source could not give.

Text and HTML reports damaged in a few places (a stray byte, a multi-byte character cut in two)
are decoded with U+FFFD there (:mod:`gongkai.extractors.encoding`) instead of failing whole; a
PDF's text layer may hold U+FFFD too. A number next to such a place may have lost a digit, or
its row label a character, so:

- in a table grid, every value of a row with a damaged cell is nulled (flag ``damaged_text``),
  and every value of the grid when the damage is in a row without digits (its column header);
- in text read as a stream (a one-line dump), every value whose digits start within
  :data:`STREAM_WINDOW` characters of a damaged place is nulled: that covers its row, its label
  and its neighbours.

The reading stays in ``raw``; one ``text_damaged`` error says where the damage is.
"""

from __future__ import annotations

import re
from dataclasses import replace

from gongkai.extractors.encoding import DAMAGED
from gongkai.extractors.tables.cells import source_locator
from gongkai.model.document import Document, TableBlock, TextBlock
from gongkai.model.result import CellValue, ReportResult

# Characters either side of a damaged place in a stream within which no value is trusted (a
# row of table 三 in a dump is about 60–150 characters).
STREAM_WINDOW = 300

# Null cells whose flag the damage explains better (a digit lost to U+FFFD reads as unreadable).
_UNREAD = frozenset({"unreadable", "ambiguous"})
_STREAM = re.compile(r"^(.*?) char (\d+)")
_DIGIT = re.compile(r"\d")


def null_damaged(document: Document, cells: list[CellValue]) -> tuple[list[CellValue], list[str]]:
    """``cells`` with those near damaged text nulled, and where the damage is (for the error)."""
    if not any(DAMAGED in (block.text if isinstance(block, TextBlock) else "".join([c.text for c in block.cells]))
               for block in document.blocks):
        return cells, []  # (nearly every report: nothing else to do)
    rows: dict[str, tuple[int, int]] = {}  # grid cell locator -> (block, row)
    damaged_rows: set[tuple[int, int]] = set()
    damaged_grids: set[int] = set()
    streams: dict[str, list[int]] = {}  # text block locator -> damaged offsets
    places: list[str] = []
    for index, block in enumerate(document.blocks):
        if isinstance(block, TableBlock):
            for cell in block.cells:
                rows[cell.locator.describe()] = (index, cell.row)
            for cell in block.cells:
                if DAMAGED in cell.text:
                    places.append(cell.locator.describe())
                    damaged_rows.add((index, cell.row))
                    if not any(_DIGIT.search(c.text) for c in block.cells if c.row == cell.row):
                        damaged_grids.add(index)
        elif DAMAGED in block.text:
            key = block.locator.describe()
            streams.setdefault(key, []).extend(i for i, ch in enumerate(block.text) if ch == DAMAGED)
            places.append(key)
    if not places:
        return cells, []
    out: list[CellValue] = []
    for value in cells:
        if (value.value is not None or value.flag in _UNREAD) and \
                _near_damage(value.locator, rows, damaged_rows, damaged_grids, streams):
            value = replace(value, value=None, flag="damaged_text")
        out.append(value)
    return out, places


def _near_damage(locator: str, rows: dict[str, tuple[int, int]], damaged_rows: set[tuple[int, int]],
                 damaged_grids: set[int], streams: dict[str, list[int]]) -> bool:
    where = rows.get(source_locator(locator))
    if where is not None:
        return where in damaged_rows or where[0] in damaged_grids
    match = _STREAM.match(locator)
    if match is None:
        return False
    offsets = streams.get(match.group(1))
    start = int(match.group(2))
    return offsets is not None and any(abs(start - offset) <= STREAM_WINDOW for offset in offsets)


def apply(document: Document, result: ReportResult) -> None:
    """Null the values near damaged text and record where it is (in place)."""
    result.cells, places = null_damaged(document, result.cells)
    if places:
        shown = ", ".join(places[:5]) + (" …" if len(places) > 5 else "")
        result.add_error("damaged_text", "text_damaged",
                         f"{len(places)} place(s) hold characters the source bytes could not give (U+FFFD): "
                         f"{shown}; no value is read near them")
