"""Tables 二, 三, 四 of one document → cells, per-table layouts and errors.

Every row of every TableBlock is assigned to a table by its label words (a row without any
inherits the table of the row before it, across page breaks), so tables split over pages or
over several <table> elements, and several tables drawn as one, come out right. A table with no
grid at all is read from its section's text as a stream. Every cell of the detected layout gets
a CellValue, with flag ``not_found`` when its row or table is missing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from gongkai.extractors.labels import compact
from gongkai.extractors.sections import LocatedSections
from gongkai.extractors.tables.active import extract_active
from gongkai.extractors.tables.applications import TableOutcome, extract_applications, t3_row_code
from gongkai.extractors.tables.cells import cell_not_found
from gongkai.extractors.tables.headers import (
    CONFLICTING_HEADER,
    T3_EXPECTED,
    T4_EXPECTED,
    HeaderOrder,
    applicant_header,
    bind,
    review_header,
)
from gongkai.extractors.tables.review import extract_review
from gongkai.extractors.tables.rows import (
    RowRecord,
    is_transposed,
    rows_from_grid,
    rows_from_stream,
    transposed,
)
from gongkai.model.document import Cell, Document, Locator
from gongkai.model.result import CellValue, ErrorRecord
from gongkai.model.settings import ExtractSettings
from gongkai.schemas.codes import codes_for
from gongkai.schemas.headings import STREAM_HEADERS, STREAM_MIN_HEADERS, TABLE_MARKERS
from gongkai.schemas.layouts import T3_ROW_KEYS

SECTION_OF: dict[str, int] = {"active": 2, "applications": 3, "review_litigation": 4}
_MARKERS: dict[str, tuple[str, ...]] = {
    "active": TABLE_MARKERS["active"],
    "applications": (*TABLE_MARKERS["applications"], *(k for k, _ in T3_ROW_KEYS)),
    "review_litigation": TABLE_MARKERS["review_litigation"],
}
# removed before looking for header words in a long text (uncached: a section can be long)
_HEADER_NOISE = re.compile(r"[\s/／]")


@dataclass(slots=True)
class TableExtraction:
    cells: list[CellValue] = field(default_factory=list)
    templates: dict[str, str] = field(default_factory=dict)
    template: str = "UNKNOWN"
    absent: list[str] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)


@lru_cache(maxsize=8192)
def row_kind(text: str) -> str | None:
    """Which table a row's text belongs to, by marker words (None when it has none)."""
    key = compact(text)
    scores = {kind: sum(1 for m in markers if m in key) for kind, markers in _MARKERS.items()}
    best = max(scores.values())
    if best == 0:
        return None
    winners = [k for k, v in scores.items() if v == best]
    return winners[0] if len(winners) == 1 else None


def looks_like_table(kind: str, text: str) -> bool:
    """Whether a section's text holds the column headers of table ``kind`` (not just prose)."""
    key = _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text))
    return sum(1 for word in STREAM_HEADERS[kind] if word in key) >= STREAM_MIN_HEADERS


_HEADER_READERS: dict[str, Callable[[Iterable[Cell]], HeaderOrder | None]] = {
    "applications": applicant_header,
    "review_litigation": review_header,
}


def reconcile(kind: str, seen: HeaderOrder | None, new: HeaderOrder) -> HeaderOrder:
    """The header for the rows below ``new``, given the header ``seen`` earlier in the same table.

    A header repeated on a later page (or a stray one over the last rows) that binds the columns
    differently from the first one leaves the column order in doubt: the conflict header, which
    binds nothing (``header_mismatch``).
    """
    if seen is None:
        return new
    expected = T3_EXPECTED if kind == "applications" else T4_EXPECTED
    if bind(seen, expected) != bind(new, expected):
        return CONFLICTING_HEADER
    return new


def split_grid_rows(document: Document) -> tuple[dict[str, list[RowRecord]], dict[str, str]]:
    """Grid rows of all tables, per table kind, and the header text seen per kind.

    The column header of tables 三 and 四 (the rows of a grid before its first row with numbers)
    is attached to every data row below it; a table continued in another grid without a header
    keeps the header seen last.
    """
    per_kind: dict[str, list[RowRecord]] = {k: [] for k in SECTION_OF}
    column_header: dict[str, HeaderOrder | None] = {}
    current: str | None = None
    for block in document.tables():
        records = rows_from_grid(transposed(block) if is_transposed(block) else block)
        if current is None:
            current = row_kind(" ".join(r.label for r in records))
        header_cells: dict[str, list[Cell]] = {}
        in_data: set[str] = set()
        for record in records:
            kind = row_kind(record.label) if record.label else None
            if kind is not None:
                current = kind
            if current is None:
                continue
            if current in _HEADER_READERS and current not in in_data:
                if record.has_numbers:
                    in_data.add(current)
                    read = _HEADER_READERS[current](header_cells.get(current, []))
                    if read is not None:
                        column_header[current] = reconcile(current, column_header.get(current), read)
                elif not (current == "applications" and t3_row_code(record.label, None)):
                    header_cells.setdefault(current, []).extend(record.cells)  # not a blank data row
            record.header = column_header.get(current)
            per_kind[current].append(record)
        for kind, cells in header_cells.items():
            if kind not in in_data and (read := _HEADER_READERS[kind](cells)) is not None:
                # a grid of header rows only: its data follow in the next grids
                column_header[kind] = reconcile(kind, column_header.get(kind), read)
    headers = {kind: "".join([" " + r.label for r in records]) for kind, records in per_kind.items()}
    return per_kind, headers


def _locate_in(document: Document, sections: LocatedSections) -> Callable[[int], Locator]:
    spans = sections.flat.spans

    def locate(offset: int) -> Locator:
        for block, (start, end) in zip(document.blocks, spans, strict=True):
            if start <= offset <= end:
                base = block.locator
                return Locator(page=base.page, line=base.line, offset=offset - start)
        return Locator(offset=offset)

    return locate


def _year_template(year: int | None) -> str | None:
    if year is None:
        return None
    return "F2019" if year <= 2020 else "F2021"


def extract_tables(document: Document, sections: LocatedSections, year: int | None,
                   settings: ExtractSettings) -> TableExtraction:
    grid_rows, headers = split_grid_rows(document)
    locate = _locate_in(document, sections)
    rows: dict[str, list[RowRecord]] = {}
    for kind, number in SECTION_OF.items():
        rows[kind] = grid_rows[kind]
        if not any(r.values for r in rows[kind]):
            stream = sections.stream(number)
            if stream is not None and looks_like_table(kind, stream[0]):
                rows[kind] = rows_from_stream(stream[0], locate, stream[1])
                headers[kind] = stream[0]
    limit = settings.max_split_candidates
    hint = _year_template(year)
    t3 = extract_applications(rows["applications"], None, limit) if rows["applications"] else None
    t2_hint = (t3.template if t3 else None) or hint
    t2 = extract_active(rows["active"], headers["active"], t2_hint, limit) if rows["active"] else None
    template = (t3.template if t3 else None) or (t2.template if t2 else None) or hint
    if t3 is not None and t3.template is None and template is not None:
        t3 = extract_applications(rows["applications"], template, limit)
    if t2 is not None and t2.template is None and template is not None and template != t2_hint:
        t2 = extract_active(rows["active"], headers["active"], template, limit)
    t4 = extract_review(rows["review_litigation"], limit) if rows["review_litigation"] else None

    out = TableExtraction(template=template or "UNKNOWN")
    layout = template or "F2021"
    outcomes: dict[str, TableOutcome | None] = {"active": t2, "applications": t3, "review_litigation": t4}
    for kind, outcome in outcomes.items():
        if outcome is None:
            out.absent.append(kind)
            out.errors.append(ErrorRecord("tables", "table_absent",
                                          f"table {'二三四'[SECTION_OF[kind] - 2]} ({kind}) not found"))
            out.cells.extend(cell_not_found(kind, code) for code in codes_for(kind, layout))
            continue
        out.templates[kind] = outcome.template or layout
        out.cells.extend(outcome.cells)
        out.errors.extend(outcome.errors)
    if template is None:
        out.errors.append(ErrorRecord("tables", "template_unknown",
                                      "neither the table labels nor the year decide F2021 vs F2019; F2021 assumed"))
    return out
