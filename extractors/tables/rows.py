"""Table rows as (label, value slots) records, from grids or from a running text stream.

Grid mode (tables as TableBlocks): a row's label is its non-numeric cells joined, its values are
the cells after the last label cell (docs/form.md § Deviations, D5: never trust label column positions).
Stream mode (a crawler dump with the whole table on one line, or any table text without a grid):
the text is cut into alternating label segments and digit runs; each run belongs to the label
before it and may hold several values run together (split later under the arithmetic rules).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from gongkai.extractors.labels import compact
from gongkai.extractors.numbers import is_footnote_mark, looks_numeric
from gongkai.extractors.tables.headers import HeaderOrder
from gongkai.extractors.tables.splitting import BOUNDARY
from gongkai.model.document import Cell, Locator, TableBlock


class Slot(Protocol):
    """A value slot of a row: a grid :class:`Cell` after the row's label, or a digit run."""

    @property
    def text(self) -> str: ...  # as printed (a run: its digits)

    @property
    def locator(self) -> Locator: ...


@dataclass(slots=True)
class ValueSlot:
    """A value slot that is not a grid cell (a digit run of a stream)."""

    text: str
    locator: Locator


@dataclass(slots=True)
class RowRecord:
    label: str
    values: Sequence[Slot] = ()  # grid mode: the row's cells after its label, as they are
    locator: Locator = field(default_factory=Locator)
    run: bool = False  # values[0] is a run of digits that may hold several values
    cells: list[Cell] = field(default_factory=list)  # the grid cells of the row (grid mode only)
    header: HeaderOrder | None = None  # the column header printed above this row (grid mode only)
    numbers: bool | None = None  # whether a value slot holds a digit (None: not known yet)

    @property
    def has_numbers(self) -> bool:
        if self.numbers is None:
            self.numbers = any(_has_digit(v.text) for v in self.values)
        return self.numbers


@lru_cache(maxsize=8192)
def _has_digit(raw: str) -> bool:
    return any(ch.isdigit() for ch in raw)


# Applicant column headers of table 三; a grid with most of them down its first columns is transposed.
APPLICANT_HEADERS: frozenset[str] = frozenset(
    {"自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计", "合计"})
MIN_APPLICANT_HEADERS_FOR_TRANSPOSE = 5


def is_transposed(table: TableBlock) -> bool:
    """Table 三 printed with rows and columns swapped: the applicant labels head the rows."""
    names = {compact(c.text) for c in table.cells if c.col <= 1 and len(c.text) <= 12}
    return len(names & APPLICANT_HEADERS) >= MIN_APPLICANT_HEADERS_FOR_TRANSPOSE


def transposed(table: TableBlock) -> TableBlock:
    """The same grid with rows and columns (and their spans) swapped."""
    cells = [Cell(c.text, c.col, c.row, c.colspan, c.rowspan, c.locator) for c in table.cells]
    return TableBlock(cells=cells, n_rows=table.n_cols, n_cols=table.n_rows, locator=table.locator)


_LABEL, _BLANK, _NUMBER = range(3)


@lru_cache(maxsize=8192)
def _cell_kind(text: str) -> int:
    """A grid cell's text is part of a row label, or a value slot without a digit (blank, a dash)
    or with one."""
    if text.strip() and not looks_numeric(text):
        return _LABEL
    return _NUMBER if _has_digit(text) else _BLANK


def rows_from_grid(table: TableBlock) -> list[RowRecord]:
    records: list[RowRecord] = []
    for row in table.rows():
        if not row:
            continue
        last_label = len(row) - 1  # the last label cell: values come after it
        numbers = False
        while last_label >= 0 and (kind := _cell_kind(row[last_label].text)) != _LABEL:
            numbers = numbers or kind == _NUMBER
            last_label -= 1
        label = " ".join([text for c in row[: last_label + 1] if (text := c.text.strip())])
        records.append(RowRecord(label, row[last_label + 1:], row[0].locator, False, row, numbers=numbers))
    return records


def fit_slots(slots: Sequence[Slot], expected: int) -> list[Slot] | None:
    """Trim surplus empty slots (trailing first, then leading) down to ``expected``; None if impossible."""
    out = list(slots)
    while len(out) > expected and not out[-1].text.strip():
        out.pop()
    while len(out) > expected and not out[0].text.strip():
        out.pop(0)
    return out if len(out) == expected else None


# A digit run: digits with spaces, decimal points, thousands commas and signs inside.
_RUN = re.compile(r"\|?[+\-－]?[0-9][0-9 \t\u3000\u00a0.,+\-－|]*、?")
# digits directly followed by these are prose (a year, a date, a count of things), not cell values
_PROSE_AFTER = tuple("年月日号条款项时分秒%％岁届期次")
# the item number of the next label, glued to the end of a run: "…00000002.其他法律…"
_TRAILING_ITEM = re.compile(r"([1-9])\s*[.、．]\s*$")
# a note in parentheses printed right after a number: "22（其中修订 16 件）" (not an item number "（一）")
_NOTE_AFTER_DIGIT = re.compile(r"(?<=[0-9０-９])\s*[(（](?![一二三四五六七八九十]+[)）])"
                               r"(?=[^()（）]*[\u4e00-\u9fff])[^()（）]{2,}[)）]")


def mark_boundaries(text: str) -> str:
    """Footnote marks and notes after numbers replaced by a ``|`` boundary, *before* NFKC.

    Normalising first would fold ``1204①`` into ``12041``; the boundary keeps the digits apart
    (no value of a split runs across it) and makes the row's values ``annotated``.
    """
    if any(is_footnote_mark(ch) for ch in text):
        text = "".join(BOUNDARY if is_footnote_mark(ch) and _near_digit(text, i) else ch
                       for i, ch in enumerate(text))
    return _NOTE_AFTER_DIGIT.sub(BOUNDARY, text)


def _near_digit(text: str, at: int) -> bool:
    """Whether the mark at ``at`` touches a digit (or another mark next to one)."""
    for step in (-1, 1):
        i = at + step
        while 0 <= i < len(text) and (is_footnote_mark(text[i]) or text[i] == " "):
            i += step
        if 0 <= i < len(text) and text[i].isdecimal():
            return True
    return False


def rows_from_stream(text: str, locate: Callable[[int], Locator], offset: int = 0) -> list[RowRecord]:
    """Label/run records of ``text`` (NFKC-normalised digits expected); offsets are for provenance."""
    text = unicodedata.normalize("NFKC", mark_boundaries(text))
    records: list[RowRecord] = []
    label_start = 0
    pos = 0
    pending_label = ""
    while True:
        match = _RUN.search(text, pos)
        if match is None:
            break
        run = match.group(0)
        end = match.end()
        following = text[end:end + 1]
        if following in _PROSE_AFTER:
            pos = end
            continue
        item = _TRAILING_ITEM.search(run)
        stripped_run = run
        if item and following and not following.isdigit():
            stripped_run = run[: item.start(1)]
            end = match.start() + item.start(1)
        label = pending_label + text[label_start:match.start()]
        if not stripped_run.strip(" \t\u3000\u00a0.,"):
            # only an item number: it belongs to the label that follows
            pending_label = label
            label_start = match.start()
            pos = match.end()
            continue
        records.append(RowRecord(
            label=label.strip().strip(BOUNDARY).strip(),
            values=[ValueSlot(stripped_run.strip(), locate(offset + match.start()))],
            locator=locate(offset + match.start()),
            run=True,
        ))
        pending_label = ""
        label_start = end
        pos = match.end()
    return records
